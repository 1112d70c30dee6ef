//! Numbers read out digit by digit, typed by the word that asks for them or names them.

use super::{BARE_PHONE_SCORE, LABELLED_SCORE, Tok, lower, word};
use crate::{Detection, EntityType};

/// The digit a word says: English, and Spanish for the transcripts of Spanish calls.
pub(super) fn unit(w: &str) -> Option<u8> {
    Some(match w {
        "zero" | "oh" | "o" | "cero" => 0,
        "one" | "uno" => 1,
        "two" | "dos" => 2,
        "three" | "tres" => 3,
        "four" | "cuatro" => 4,
        "five" | "cinco" => 5,
        "six" | "seis" => 6,
        "seven" | "siete" => 7,
        "eight" | "ocho" => 8,
        "nine" | "nueve" => 9,
        _ => return None,
    })
}

/// Ten to nineteen.
pub(super) fn teen(w: &str) -> Option<u8> {
    Some(match w {
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

pub(super) fn tens(w: &str) -> Option<u8> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// What a run of spoken characters is, by the word before it that names it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Card,
    Account,
    Ssn,
    Zip,
    Postcode,
    Passport,
    Licence,
    Plate,
    Phone,
    /// `number` alone: a phone's unless a word before it says whose.
    Number,
}

impl Label {
    fn of(w: &str) -> Option<Self> {
        use Label::*;
        Some(match w {
            "card" | "visa" | "mastercard" | "amex" | "debit" | "credit" => Card,
            "account" | "acct" | "iban" | "cuenta" => Account,
            "social" | "ssn" | "sin" | "tfn" | "tax" | "dni" | "nif" | "nie" | "insurance" => Ssn,
            "zip" | "zipcode" => Zip,
            "postcode" | "postal" | "post" => Postcode,
            "passport" | "pasaporte" => Passport,
            "licence" | "license" | "licencia" => Licence,
            "reg" | "registration" | "plate" | "plates" | "matrícula" | "matricula" => Plate,
            "phone" | "mobile" | "cell" | "landline" | "ring" | "call" | "reach" | "text"
            | "whatsapp" | "contact" | "tel" | "teléfono" | "telefono" | "móvil" | "movil" => {
                Phone
            }
            "number" | "number's" | "no" | "num" | "número" | "numero" | "digits" => Number,
            _ => return None,
        })
    }

    fn letters(self) -> bool {
        matches!(
            self,
            Label::Postcode | Label::Passport | Label::Licence | Label::Plate
        )
    }

    /// The type of a run of `digits` digits and `letters` letters named by this label, if
    /// the run has the shape of one.
    fn fits(self, digits: usize, letters: usize) -> Option<EntityType> {
        let chars = digits + letters;
        let (ok, ty) = match self {
            Label::Card => (
                letters == 0 && (13..=19).contains(&digits),
                EntityType::CreditDebitNumber,
            ),
            Label::Account => (
                letters == 0 && (6..=18).contains(&digits),
                EntityType::BankAccountNumber,
            ),
            Label::Ssn => (letters <= 1 && (8..=11).contains(&digits), EntityType::Ssn),
            Label::Zip => (
                letters == 0 && (digits == 5 || digits == 9),
                EntityType::Address,
            ),
            Label::Postcode => (
                digits >= 1 && (4..=8).contains(&chars) && (letters > 0 || digits >= 4),
                EntityType::Address,
            ),
            Label::Passport => (
                digits >= 5 && (6..=12).contains(&chars),
                EntityType::PassportNumber,
            ),
            Label::Licence => (
                digits >= 2 && (5..=20).contains(&chars),
                EntityType::DriverId,
            ),
            Label::Plate => (
                digits >= 1 && letters >= 1 && (4..=8).contains(&chars),
                EntityType::LicensePlate,
            ),
            Label::Phone | Label::Number => (
                letters == 0 && (7..=15).contains(&digits),
                EntityType::Phone,
            ),
        };
        ok.then_some(ty)
    }
}

/// How far back a word naming the value may stand, in words: the question of the turn
/// before, not the talk of a minute ago.
const LABEL_REACH: usize = 24;

/// Up to three labels before word `i`, nearest first, within the line and the one before.
fn labels_before(text: &str, toks: &[Tok], i: usize) -> [Option<Label>; 3] {
    let mut found = [None; 3];
    let mut n = 0;
    let mut buf = [0u8; 16];
    let mut lines = 0;
    let mut j = i;
    let stop = i.saturating_sub(LABEL_REACH);
    while j > stop && n < found.len() {
        if toks[j].newline {
            lines += 1;
            if lines > 1 {
                break;
            }
        }
        j -= 1;
        let Some(w) = lower(word(text, &toks[j]), &mut buf) else {
            continue;
        };
        let Some(mut label) = Label::of(w) else {
            continue;
        };
        if label == Label::Number {
            // "account number", "tax file number", "driving licence number".
            for k in (j.saturating_sub(3)..j).rev() {
                let mut b = [0u8; 16];
                if let Some(l) = lower(word(text, &toks[k]), &mut b).and_then(Label::of)
                    && l != Label::Number
                {
                    label = l;
                    j = k;
                    break;
                }
            }
        }
        if !found[..n].contains(&Some(label)) {
            found[n] = Some(label);
            n += 1;
        }
    }
    found
}

/// One item of a run: its digits or letters and how many words it took.
struct Item {
    digits: usize,
    letters: usize,
    words: usize,
}

/// The item at word `j`: a digit word, `double`/`triple` and one, a letter said alone (when
/// `letters`), or, with three digits before it, a number from ten to ninety-nine (phone
/// numbers are read in pairs: `eighteen, forty`).
fn item(
    text: &str,
    toks: &[Tok],
    j: usize,
    first: bool,
    digits_before: usize,
    letters: bool,
) -> Option<Item> {
    let t = &toks[j];
    let raw = word(text, t);
    let mut buf = [0u8; 16];
    let w = lower(raw, &mut buf)?;
    if unit(w).is_some() {
        // A lone "o" is a letter or a typo unless it stands among digits.
        if w == "o" && first {
            return None;
        }
        return Some(Item {
            digits: 1,
            letters: 0,
            words: 1,
        });
    }
    if let ("double" | "triple", Some(n)) = (w, toks.get(j + 1))
        && n.soft
        && lower(word(text, n), &mut [0u8; 16])
            .and_then(unit)
            .is_some()
    {
        let digits = if w == "double" { 2 } else { 3 };
        return Some(Item {
            digits,
            letters: 0,
            words: 2,
        });
    }
    if letters && raw.len() == 1 && raw.as_bytes()[0].is_ascii_uppercase() {
        return Some(Item {
            digits: 0,
            letters: 1,
            words: 1,
        });
    }
    if digits_before >= 3 {
        if teen(w).is_some() {
            return Some(Item {
                digits: 2,
                letters: 0,
                words: 1,
            });
        }
        if let Some((a, b)) = w.split_once('-')
            && tens(a).is_some()
            && unit(b).is_some_and(|u| u > 0)
        {
            return Some(Item {
                digits: 2,
                letters: 0,
                words: 1,
            });
        }
        if tens(w).is_some() {
            // "thirty eight": the unit after a space is the second digit.
            let unit_next = toks.get(j + 1).is_some_and(|n| {
                n.soft
                    && text[t.end..n.start].bytes().all(|b| b == b' ')
                    && lower(word(text, n), &mut [0u8; 16])
                        .and_then(unit)
                        .is_some_and(|u| u > 0)
            });
            let words = if unit_next { 2 } else { 1 };
            return Some(Item {
                digits: 2,
                letters: 0,
                words,
            });
        }
    }
    None
}

/// Words that make a "one" before a number the pronoun it is ("the old one, oh one six").
fn determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "old"
            | "new"
            | "this"
            | "that"
            | "a"
            | "another"
            | "which"
            | "no"
            | "every"
            | "other"
    )
}

/// A number read out from word `i`, typed by the words before it.
pub(super) fn at(text: &str, toks: &[Tok], i: usize) -> Option<Detection> {
    let raw = word(text, &toks[i]);
    // Every item opens with a letter of the alphabet: a cheap test before any lookup.
    let mut buf = [0u8; 16];
    let w = lower(raw, &mut buf)?;
    let digit_first = unit(w).is_some() || matches!(w, "double" | "triple");
    let letter_first = raw.len() == 1 && raw.as_bytes()[0].is_ascii_uppercase();
    if !digit_first && !letter_first {
        return None;
    }
    if w == "one"
        && i > 0
        && lower(word(text, &toks[i - 1]), &mut [0u8; 16]).is_some_and(determiner)
    {
        return None;
    }
    // The run must go on past its first word before the labels are looked up.
    let next = toks.get(i + 1).filter(|n| n.soft)?;
    let next_word = lower(word(text, next), &mut [0u8; 16]).map(str::to_owned)?;
    let next_ok = unit(&next_word).is_some()
        || matches!(next_word.as_str(), "double" | "triple")
        || word(text, next).len() == 1 && word(text, next).as_bytes()[0].is_ascii_uppercase();
    if !next_ok && !matches!(w, "double" | "triple") {
        return None;
    }
    let labels = labels_before(text, toks, i);
    let letters = labels.iter().flatten().any(|l| l.letters());
    if letter_first && !letters {
        return None;
    }
    let (mut digits, mut nletters) = (0, 0);
    let mut j = i;
    let mut last = i;
    while j < toks.len() && (j == i || toks[j].soft) {
        let Some(it) = item(text, toks, j, j == i, digits, letters) else {
            break;
        };
        digits += it.digits;
        nletters += it.letters;
        last = j + it.words - 1;
        j += it.words;
    }
    // Letters said after the last digit are more often words ("I", "A") than part of it,
    // unless a label wanted letters.
    let mut start = toks[i].start;
    let end = toks[last].end;
    let typed = labels
        .iter()
        .flatten()
        .find_map(|l| l.fits(digits, nletters).map(|ty| (ty, LABELLED_SCORE)));
    let (ty, score) = match typed {
        Some(t) => t,
        None if nletters == 0 && (7..=15).contains(&digits) => {
            (EntityType::Phone, BARE_PHONE_SCORE)
        }
        None => return None,
    };
    if ty == EntityType::Phone
        && i > 0
        && toks[i].soft
        && word(text, &toks[i - 1]).eq_ignore_ascii_case("plus")
    {
        start = toks[i - 1].start;
    }
    Some(Detection::from_pattern(ty, start, end, score))
}
