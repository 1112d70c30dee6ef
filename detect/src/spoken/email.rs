//! An e-mail address said aloud: "rose dot okonkwo at gmail dot com", "h underscore
//! svensson at protonmail dot com", "ravi dot menon eighty two at gmail dot com".

use super::digits::{teen, tens, unit};
use super::{EMAIL_SCORE, Tok, lower, word};
use crate::{Detection, EntityType};

/// Words spoken for the punctuation of a local part.
fn joiner(w: &str) -> bool {
    matches!(
        w,
        "dot" | "underscore" | "dash" | "hyphen" | "punto" | "guion"
    )
}

/// Words of the sentence around an address that are no part of it: "email me at",
/// "it's", "is".
fn framing(w: &str) -> bool {
    matches!(
        w,
        "is" | "it's"
            | "it’s"
            | "its"
            | "it"
            | "me"
            | "us"
            | "email"
            | "e-mail"
            | "mail"
            | "address"
            | "at"
            | "to"
            | "was"
            | "that's"
            | "that’s"
            | "use"
            | "my"
            | "the"
            | "on"
            | "and"
            | "or"
            | "be"
            | "sorry"
            | "yeah"
            | "yes"
            | "no"
            | "send"
            | "him"
            | "her"
            | "them"
            | "you"
            | "me,"
            | "es"
            | "a"
            | "an"
            | "of"
            | "in"
            | "from"
    )
}

fn number_word(w: &str) -> bool {
    unit(w).is_some() || teen(w).is_some() || tens(w).is_some()
}

/// A word that can be a part of an address: letters and digits only.
fn plain(raw: &str) -> bool {
    raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The address whose spoken "at" is word `i`.
pub(super) fn at(text: &str, toks: &[Tok], i: usize) -> Option<Detection> {
    let mut buf = [0u8; 16];
    let w = lower(word(text, &toks[i]), &mut buf)?;
    if w != "at" && w != "arroba" {
        return None;
    }
    // The domain first: it is rarer, and cheaper to refuse ("at one point", "at home").
    let mut last = None;
    let mut j = i + 1;
    loop {
        let part = toks.get(j).filter(|t| t.soft && !t.newline)?;
        let raw = word(text, part);
        if !plain(raw) || lower(raw, &mut [0u8; 16]).is_some_and(framing) {
            break;
        }
        let dot = toks.get(j + 1).filter(|t| {
            t.soft
                && lower(word(text, t), &mut [0u8; 16]).is_some_and(|d| d == "dot" || d == "punto")
        });
        match dot {
            Some(_) => j += 2,
            None => {
                last = (j > i + 1).then_some(j);
                break;
            }
        }
    }
    let last = last?;
    let tld = word(text, &toks[last]);
    if !(2..=6).contains(&tld.len()) || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    // Then the local part, read back: number words at its end ("menon eighty two"), a word,
    // and words joined to it by a spoken dot, underscore or dash.
    let mut k = i;
    let mut b = [0u8; 16];
    while k > 0 && k + 4 > i && toks[k].soft {
        let Some(prev) = lower(word(text, &toks[k - 1]), &mut b) else {
            break;
        };
        if !number_word(prev) || k - 1 == 0 {
            break;
        }
        k -= 1;
    }
    let head_word = |k: usize| {
        let raw = word(text, &toks[k]);
        plain(raw) && !lower(raw, &mut [0u8; 16]).is_some_and(|w| framing(w) || joiner(w))
    };
    if k == 0 || !toks[k].soft || !head_word(k - 1) {
        // Number words alone make no local part.
        return None;
    }
    let mut first = k - 1;
    while first >= 2
        && toks[first].soft
        && toks[first - 1].soft
        && lower(word(text, &toks[first - 1]), &mut [0u8; 16]).is_some_and(joiner)
        && head_word(first - 2)
    {
        first -= 2;
    }
    Some(Detection::from_pattern(
        EntityType::Email,
        toks[first].start,
        toks[last].end,
        EMAIL_SCORE,
    ))
}
