//! An age said in words after the person it is of: "he's seventy-three", "she's ninety
//! one and", "aged forty-seven,". "I'm one of them" and "she's five minutes away" say a
//! count or a time, so the number must end the phrase.

use super::digits::{teen, tens, unit};
use super::{AGE_SCORE, Tok, lower, word};
use crate::{Detection, EntityType};

fn cue(w: &str) -> bool {
    matches!(
        w,
        "he's" | "she's" | "i'm" | "he’s" | "she’s" | "i’m" | "aged" | "age"
    )
}

/// Words after an age that leave it an age: "he's eighty-four and he can't", "she's
/// twenty-three now".
fn after_age(w: &str) -> bool {
    matches!(
        w,
        "and" | "now" | "but" | "so" | "today" | "next" | "this" | "years" | "year" | "yrs"
    )
}

/// A number from one to ninety-nine in words at `toks[i]`: its value and last word.
fn number(text: &str, toks: &[Tok], i: usize) -> Option<(u8, usize)> {
    let mut buf = [0u8; 16];
    let w = lower(word(text, &toks[i]), &mut buf)?;
    if let Some((a, b)) = w.split_once('-') {
        let u = unit(b).filter(|&u| u > 0 && b != "oh" && b != "o")?;
        return Some((tens(a)? + u, i));
    }
    if let Some(t) = tens(w) {
        // "ninety one": a unit after a space only.
        if let Some(n) = toks.get(i + 1)
            && text[toks[i].end..n.start].bytes().all(|b| b == b' ')
            && let Some(u) = lower(word(text, n), &mut [0u8; 16])
                .filter(|u| !matches!(*u, "oh" | "o" | "zero" | "cero"))
                .and_then(unit)
        {
            return Some((t + u, i + 1));
        }
        return Some((t, i));
    }
    if let Some(t) = teen(w) {
        return Some((t, i));
    }
    // Only English units: "dos" or "uno" after "age" is no age.
    match w {
        "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine" => {
            unit(w).map(|u| (u, i))
        }
        _ => None,
    }
}

pub(super) fn at(text: &str, toks: &[Tok], i: usize) -> Option<Detection> {
    let mut buf = [0u8; 16];
    if !cue(lower(word(text, &toks[i]), &mut buf)?) {
        return None;
    }
    let n = toks.get(i + 1).filter(|n| n.soft && !n.newline)?;
    if text[toks[i].end..n.start].contains(',') {
        return None;
    }
    let (_, last) = number(text, toks, i + 1)?;
    let end = toks[last].end;
    let ends_phrase = match toks.get(last + 1) {
        None => true,
        Some(after) => {
            let gap = &text[end..after.start];
            gap.bytes()
                .any(|b| matches!(b, b',' | b'.' | b'!' | b'?' | b';' | b')' | b'\n'))
                || lower(word(text, after), &mut [0u8; 16]).is_some_and(after_age)
        }
    };
    ends_phrase.then(|| Detection::from_pattern(EntityType::Age, n.start, end, AGE_SCORE))
}
