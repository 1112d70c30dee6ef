//! Context words near a candidate raise its score (Presidio's rule: +0.35 when one of the
//! type's words appears within a few words before, or just after, the match).
//!
//! Only runs on candidates, never on the whole text, so it may be simple: words are runs of
//! ASCII letters and digits, compared case-insensitively without allocating.

use crate::EntityType;

/// Score added when context is found.
pub const CONTEXT_BOOST: f32 = 0.35;

/// How many words after the match are looked at (labels usually precede values).
const WORDS_AFTER: usize = 3;
/// Bytes scanned in each direction at most, so a long run of punctuation cannot make a
/// lookup expensive.
const MAX_SCAN: usize = 160;
const MAX_WORDS: usize = 16;

/// Context words per type. A trailing `*` matches any word starting with the stem; several
/// words separated by spaces must appear in sequence.
pub fn context_words(entity_type: EntityType) -> &'static [&'static str] {
    use EntityType::*;
    match entity_type {
        CreditDebitNumber => &[
            "credit",
            "card*",
            "visa",
            "mastercard",
            "amex",
            "debit",
            "cc",
        ],
        CreditDebitCvv => &[
            "cvv*",
            "cvc*",
            "cid",
            "csc",
            "security code",
            "card verification",
            "verification code",
        ],
        CreditDebitExpiry => &[
            "exp",
            "expir*",
            "expires",
            "valid thru",
            "valid through",
            "good thru",
            "valid until",
            "valid to",
        ],
        Ssn => &["ssn*", "social security"],
        UsIndividualTaxIdentificationNumber => &["itin*", "taxpayer", "tax id", "tin"],
        Phone => &[
            "phone*",
            "tel",
            "telephone",
            "mobile",
            "cell*",
            "call",
            "fax",
            "contact",
            "whatsapp",
            "sms",
            "text",
        ],
        Email => &["email*", "e mail", "mail"],
        IpAddress => &["ip", "ipv4", "ipv6", "host*", "server", "address"],
        MacAddress => &["mac", "address"],
        BankRouting => &["routing", "aba", "rtn", "transit", "abartn"],
        BankAccountNumber => &[
            "account*", "acct*", "a c", "checking", "savings", "iban", "bank",
        ],
        InternationalBankAccountNumber => &["iban*", "account*", "bank"],
        SwiftCode => &["swift*", "bic*", "bank identifier"],
        PassportNumber => &["passport*"],
        DriverId => &["driver*", "licence*", "license*", "dl", "driving"],
        CaSocialInsuranceNumber => &["sin", "social insurance", "nas"],
        InAadhaar => &["aadhaar*", "aadhar*", "uid", "uidai"],
        UkNationalHealthServiceNumber => &["nhs", "health service", "national health", "patient"],
        UkNationalInsuranceNumber => &["nino", "national insurance", "ni number"],
        InPermanentAccountNumber => &["pan", "permanent account", "income tax"],
        VehicleIdentificationNumber => &["vin", "vehicle", "chassis"],
        DateTime => &["date*", "dob", "born", "birth*", "d o b"],
        Address => &[
            "address*",
            "live*",
            "lived",
            "living",
            "located",
            "street",
            "postcode*",
            "post code",
            "postal",
            "zip*",
            "residence",
            "resides",
        ],
        AwsSecretKey => &["secret*", "aws*"],
        AwsAccessKey => &["aws*", "access key*"],
        Age => &["age*", "aged", "old"],
        Pin => &["pin"],
        Password => &["password*", "passwd", "pwd"],
        Username => &["user*", "login"],
        Url => &["url", "link", "website", "site"],
        Name => &["name*", "mr", "mrs", "ms", "dr"],
        _ => &[],
    }
}

/// True when any of `words` appears among the `before` words preceding `start` or the few
/// words following `end`.
pub fn has_context(text: &str, start: usize, end: usize, before: usize, words: &[&str]) -> bool {
    Window::new(text, start, end, before).has_any(text, words)
}

/// The words around one candidate, found once and checked against several types' words.
pub(crate) struct Window {
    before: [(usize, usize); MAX_WORDS],
    n_before: usize,
    after: [(usize, usize); WORDS_AFTER],
    n_after: usize,
}

impl Window {
    pub(crate) fn new(text: &str, start: usize, end: usize, before: usize) -> Self {
        let bytes = text.as_bytes();
        let mut w = Window {
            before: [(0, 0); MAX_WORDS],
            n_before: 0,
            after: [(0, 0); WORDS_AFTER],
            n_after: 0,
        };
        w.n_before = words_before(bytes, start, before.min(MAX_WORDS), &mut w.before);
        // `words_before` fills in reverse; put them in reading order for phrase matching.
        w.before[..w.n_before].reverse();
        w.n_after = words_after(bytes, end, WORDS_AFTER, &mut w.after);
        w
    }

    pub(crate) fn has_any(&self, text: &str, words: &[&str]) -> bool {
        let bytes = text.as_bytes();
        !words.is_empty()
            && (any_phrase(bytes, &self.before[..self.n_before], words)
                || any_phrase(bytes, &self.after[..self.n_after], words))
    }
}

fn words_before(bytes: &[u8], start: usize, limit: usize, out: &mut [(usize, usize)]) -> usize {
    let floor = start.saturating_sub(MAX_SCAN);
    let mut i = start;
    let mut n = 0;
    while n < limit && i > floor {
        while i > floor && !bytes[i - 1].is_ascii_alphanumeric() {
            i -= 1;
        }
        let end = i;
        while i > floor && bytes[i - 1].is_ascii_alphanumeric() {
            i -= 1;
        }
        if i == end {
            break;
        }
        out[n] = (i, end);
        n += 1;
    }
    n
}

fn words_after(bytes: &[u8], end: usize, limit: usize, out: &mut [(usize, usize)]) -> usize {
    let ceil = (end + MAX_SCAN).min(bytes.len());
    let mut i = end;
    let mut n = 0;
    while n < limit && i < ceil {
        while i < ceil && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let start = i;
        while i < ceil && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            break;
        }
        out[n] = (start, i);
        n += 1;
    }
    n
}

fn any_phrase(bytes: &[u8], spans: &[(usize, usize)], phrases: &[&str]) -> bool {
    // This runs for every candidate: a bitmask of the words' first letters rejects most
    // phrases with one AND instead of a comparison per word.
    let mut first_letters = 0u128;
    for &(s, _) in spans {
        first_letters |= letter_bit(bytes[s].to_ascii_lowercase());
    }
    phrases.iter().any(|phrase| {
        let Some(&first) = phrase.as_bytes().first() else {
            return false;
        };
        if first_letters & letter_bit(first) == 0 {
            return false;
        }
        (0..spans.len()).any(|i| {
            let mut parts = phrase.split(' ');
            let mut j = i;
            parts.all(|part| {
                let Some(&(s, e)) = spans.get(j) else {
                    return false;
                };
                j += 1;
                word_matches(&bytes[s..e], part.as_bytes())
            })
        })
    })
}

/// Words and phrases are ASCII, so 128 bits cover every first byte.
fn letter_bit(b: u8) -> u128 {
    1u128 << (b & 127)
}

fn word_matches(word: &[u8], pattern: &[u8]) -> bool {
    // Cheap reject first: most words differ in their first letter.
    if word.is_empty() || pattern.is_empty() || word[0].to_ascii_lowercase() != pattern[0] {
        return false;
    }
    match pattern.split_last() {
        Some((b'*', stem)) => {
            word.len() >= stem.len() && word[..stem.len()].eq_ignore_ascii_case(stem)
        }
        _ => word.eq_ignore_ascii_case(pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, needle: &str, words: &[&str]) -> bool {
        let start = text.find(needle).unwrap();
        has_context(text, start, start + needle.len(), 5, words)
    }

    #[test]
    fn finds_words_before_within_the_window() {
        assert!(ctx("my SSN is 123", "123", &["ssn*"]));
        assert!(ctx("Routing: 011000015", "011000015", &["routing"]));
        assert!(!ctx(
            "routing one two three four five six 011000015",
            "011000015",
            &["routing"]
        ));
    }

    #[test]
    fn stems_phrases_and_case() {
        assert!(ctx("Card Expiration 12/25", "12/25", &["expir*"]));
        assert!(!ctx("expert 12/25", "12/25", &["expir*", "exp"]));
        assert!(ctx("the security code: 123", "123", &["security code"]));
        assert!(!ctx("security of the code 123", "123", &["security code"]));
    }

    #[test]
    fn looks_just_after_too() {
        assert!(ctx("4111 (visa card)", "4111", &["visa"]));
        assert!(!ctx("4111 a b c visa", "4111", &["visa"]));
    }

    #[test]
    fn survives_multibyte_neighbours() {
        assert!(ctx("ссн ssn 😀 123 中文", "123", &["ssn"]));
        assert!(!ctx("😀123", "123", &["ssn"]));
    }
}
