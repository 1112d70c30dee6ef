//! Deterministic generators of labelled text and records for tests and benchmarks.
//!
//! Check digits are computed here from the published algorithms, independently of the
//! crate's validators, so a detector bug cannot make its own labels.

#![allow(dead_code)]

use detect::{EntityType, Recognizer};

/// xorshift64*: reproducible without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn digits(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.below(10) as u8).collect()
    }
}

fn to_string(d: &[u8]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

fn group(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = Vec::new();
    let mut at = 0;
    for &n in sizes {
        out.push(&s[at..at + n]);
        at += n;
    }
    out.join(sep)
}

pub fn luhn_check_digit(payload: &[u8]) -> u8 {
    // Double every second digit counting from the right of the payload's end.
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

pub fn card(rng: &mut Rng) -> String {
    let mut d = vec![4];
    d.extend(rng.digits(14));
    d.push(luhn_check_digit(&d));
    let s = to_string(&d);
    match rng.below(3) {
        0 => s,
        1 => group(&s, &[4, 4, 4, 4], " "),
        _ => group(&s, &[4, 4, 4, 4], "-"),
    }
}

pub fn iban(rng: &mut Rng) -> String {
    let bban = format!("WEST{}", to_string(&rng.digits(14)));
    // ISO 7064 mod 97-10: check = 98 - (BBAN + "GB00" as digits) mod 97.
    let rearranged = format!("{bban}GB00");
    let mut rem = 0u64;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap() as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    let compact = format!("GB{:02}{bban}", 98 - rem);
    if rng.below(2) == 0 {
        compact
    } else {
        group(&compact, &[4, 4, 4, 4, 4, 2], " ")
    }
}

pub fn ssn(rng: &mut Rng) -> String {
    let area = 1 + rng.below(665); // 001..=665: never 000 or 666, never 9xx
    format!(
        "{:03}-{:02}-{:04}",
        area,
        1 + rng.below(99),
        1 + rng.below(9999)
    )
}

pub fn nhs(rng: &mut Rng) -> String {
    loop {
        let d = rng.digits(9);
        let sum: u32 = d
            .iter()
            .zip((2..=10).rev())
            .map(|(&x, w)| u32::from(x) * w)
            .sum();
        let check = (11 - sum % 11) % 11;
        if check == 10 {
            continue;
        }
        let s = format!("{}{}", to_string(&d), check);
        return group(&s, &[3, 3, 4], " ");
    }
}

pub fn vin(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: u8| -> u32 {
        match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            _ => {
                // Transliteration table of 49 CFR 565: A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9.
                let table = b"ABCDEFGH.JKLMN.P.R.STUVWXYZ";
                let i = table.iter().position(|&t| t == c).unwrap() as u32;
                match i {
                    0..=7 => i + 1,
                    9..=13 => i - 8,
                    15 => 7,
                    17 => 9,
                    _ => i - 17,
                }
            }
        }
    };
    let mut v: Vec<u8> = (0..17).map(|_| rng.pick(ALPHABET)).collect();
    v[0] = b'1';
    v[5] = b'7'; // make sure there is a digit and a letter mix
    v[1] = b'H';
    let sum: u32 = v.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    v[8] = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    String::from_utf8(v).unwrap()
}

const VD: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VP: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 8, 7, 6, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VINV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// Verhoeff check digit generation (the payload is processed with positions shifted by one).
pub fn verhoeff_check_digit(payload: &[u8]) -> u8 {
    let mut c = 0usize;
    for (i, &d) in payload.iter().rev().enumerate() {
        c = VD[c][VP[(i + 1) % 8][d as usize] as usize] as usize;
    }
    VINV[c]
}

pub fn aadhaar(rng: &mut Rng) -> String {
    let mut d = vec![2 + rng.below(8) as u8];
    d.extend(rng.digits(10));
    d.push(verhoeff_check_digit(&d));
    group(&to_string(&d), &[4, 4, 4], " ")
}

pub fn aba(rng: &mut Rng) -> String {
    let prefix = rng.pick(&[
        1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 26, 31, 61, 67, 72,
    ]);
    let mut d = vec![prefix / 10, prefix % 10];
    d.extend(rng.digits(6));
    let s = 3 * (u32::from(d[0]) + u32::from(d[3]) + u32::from(d[6]))
        + 7 * (u32::from(d[1]) + u32::from(d[4]) + u32::from(d[7]))
        + (u32::from(d[2]) + u32::from(d[5]));
    d.push(((10 - s % 10) % 10) as u8);
    to_string(&d)
}

const FIRST: &[&str] = &[
    "james", "maria", "wei", "olga", "ahmed", "sofia", "liam", "aiko", "noah", "fatima",
];
const LAST: &[&str] = &[
    "smith", "garcia", "chen", "ivanova", "khan", "rossi", "murphy", "tanaka", "brown", "ali",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "mail.example.org",
    "corp.example.net",
    "example.co.uk",
];

pub fn email(rng: &mut Rng) -> String {
    format!(
        "{}.{}{}@{}",
        rng.pick(FIRST),
        rng.pick(LAST),
        rng.below(100),
        rng.pick(DOMAINS)
    )
}

const WORDS: &[&str] = &[
    "the",
    "customer",
    "called",
    "about",
    "an",
    "order",
    "that",
    "was",
    "delayed",
    "and",
    "asked",
    "for",
    "a",
    "refund",
    "we",
    "reviewed",
    "account",
    "history",
    "found",
    "nothing",
    "unusual",
    "in",
    "recent",
    "weeks",
    "team",
    "will",
    "follow",
    "up",
    "with",
    "shipping",
    "details",
    "tomorrow",
    "morning",
    "please",
    "note",
    "product",
    "arrived",
    "damaged",
    "box",
    "was",
    "open",
    "on",
    "delivery",
    "they",
    "would",
    "like",
    "replacement",
    "instead",
    "of",
    "credit",
    "support",
    "ticket",
    "remains",
    "pending",
    "until",
    "manager",
    "approves",
    "it",
    "Monday",
    "meeting",
    "notes",
    "mention",
    "three",
    "items",
    "quarter",
    "budget",
    "review",
    "next",
    "steps",
];

/// Plain prose of about `bytes` bytes (no PII; a few harmless numbers).
pub fn prose(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::new();
    let mut sentence_len = 0;
    while s.len() < bytes {
        let w = rng.pick(WORDS);
        if sentence_len == 0 {
            let mut c = w.chars();
            let first = c.next().unwrap().to_ascii_uppercase();
            s.push(first);
            s.push_str(c.as_str());
        } else {
            s.push_str(w);
        }
        sentence_len += 1;
        match rng.below(40) {
            0 => s.push_str(&format!(" {}", rng.below(50))),
            1 => s.push_str(" in 2023"),
            _ => {}
        }
        if sentence_len > 8 && rng.below(6) == 0 {
            s.push_str(". ");
            sentence_len = 0;
        } else {
            s.push(' ');
        }
    }
    s
}

pub struct Labeled {
    pub text: String,
    /// (type, byte start, byte end) of every inserted item.
    pub labels: Vec<(EntityType, usize, usize)>,
}

/// Checksum-validated items (each with the context a human would write) between prose.
pub fn labeled_corpus(seed: u64, items: usize) -> Labeled {
    let mut rng = Rng::new(seed);
    let mut text = String::new();
    let mut labels = Vec::new();
    for _ in 0..items {
        let len = 60 + rng.below(140) as usize;
        text.push_str(&prose(&mut rng, len));
        let (t, prefix, value) = match rng.below(8) {
            0 => (
                EntityType::CreditDebitNumber,
                "paid with card",
                card(&mut rng),
            ),
            1 => (
                EntityType::InternationalBankAccountNumber,
                "IBAN",
                iban(&mut rng),
            ),
            2 => (EntityType::Ssn, "SSN", ssn(&mut rng)),
            3 => (
                EntityType::UkNationalHealthServiceNumber,
                "NHS number",
                nhs(&mut rng),
            ),
            4 => (
                EntityType::VehicleIdentificationNumber,
                "vehicle VIN",
                vin(&mut rng),
            ),
            5 => (EntityType::InAadhaar, "Aadhaar", aadhaar(&mut rng)),
            6 => (EntityType::BankRouting, "routing number", aba(&mut rng)),
            _ => (EntityType::Email, "write to", email(&mut rng)),
        };
        text.push_str(prefix);
        text.push(' ');
        let start = text.len();
        text.push_str(&value);
        labels.push((t, start, text.len()));
        text.push_str(". ");
    }
    Labeled { text, labels }
}

/// Realistic mixed text for benchmarks: about one PII item per 200 bytes of prose, of many types.
pub fn mixed_text(seed: u64, bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut text = String::with_capacity(bytes + 256);
    while text.len() < bytes {
        let len = 150 + rng.below(100) as usize;
        text.push_str(&prose(&mut rng, len));
        let item = match rng.below(14) {
            0 => format!("card {}", card(&mut rng)),
            1 => format!("email {}", email(&mut rng)),
            2 => format!("call {}-555-{:04}", 200 + rng.below(700), rng.below(10000)),
            3 => format!("SSN {}", ssn(&mut rng)),
            4 => format!("IBAN {}", iban(&mut rng)),
            5 => format!(
                "from IP 10.{}.{}.{}",
                rng.below(256),
                rng.below(256),
                rng.below(256)
            ),
            6 => format!(
                "on {}-{:02}-{:02}",
                2000 + rng.below(25),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            7 => format!("Mr {} {}", cap(rng.pick(FIRST)), cap(rng.pick(LAST))),
            8 => format!(
                "lives at {} {} Street",
                1 + rng.below(300),
                cap(rng.pick(LAST))
            ),
            9 => format!(
                "see https://www.{}/u/{}",
                rng.pick(DOMAINS),
                rng.below(10000)
            ),
            10 => format!("NHS number {}", nhs(&mut rng)),
            11 => format!("VIN {}", vin(&mut rng)),
            12 => format!("+44 20 7946 {:04}", rng.below(10000)),
            _ => format!("aged {}", 18 + rng.below(70)),
        };
        text.push_str(&item);
        text.push_str(". ");
    }
    text
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// An array of typical customer records: hinted fields, free-text notes, numbers.
pub fn records(seed: u64, n: usize) -> serde_json::Value {
    let mut rng = Rng::new(seed);
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": i,
                "firstName": cap(rng.pick(FIRST)),
                "lastName": cap(rng.pick(LAST)),
                "email": email(&mut rng),
                "mobileNumber": format!("+44 7700 9{:05}", rng.below(100000)),
                "address": {"street": format!("{} High Street", 1 + rng.below(200)), "city": "London", "postcode": "SW1A 1AA"},
                "orders": [{"sku": format!("SKU-{}", rng.below(100000)), "qty": 1 + rng.below(5), "price": 19.99}],
                "notes": format!("{} card {} {}", prose(&mut rng, 80), card(&mut rng), prose(&mut rng, 60)),
                "active": true,
            })
        })
        .collect();
    serde_json::Value::Array(items)
}

/// A policy's `n` custom recognizers, each its own type with a context word:
/// `\bK000-[0-9]{4}[A-Z]\b` as `CUSTOM_0` after "ref0", and so on.
pub fn custom_recognizers(n: usize) -> Vec<Recognizer> {
    (0..n)
        .map(|i| Recognizer {
            name: format!("r{i}"),
            type_name: format!("CUSTOM_{i}"),
            pattern: Some(format!(r"\bK{i:03}-[0-9]{{4}}[A-Z]\b")),
            patterns: vec![],
            validator: None,
            context: vec![format!("ref{i}")],
            score: 0.6,
            deny: vec![],
            allow: vec![],
        })
        .collect()
}
