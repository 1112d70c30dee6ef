//! Where a match of the most frequent variable-length shapes starts, read back by hand
//! from its end: the reverse search (`crate::match_start`) costs about as much per match as
//! the forward pass spends on thirty bytes, and on prose these shapes are half of all
//! matches. Each answers what that search answers: the leftmost start at or after
//! `from` of a match of its shape that ends at `end`, given that there is one (`None`
//! leaves it to the search).

use super::Shape;
use super::by_hand::no_word_before;

/// Reads a match's start back from its end by hand: `(text, from, end) -> start`.
pub(crate) type ReadBack = fn(&[u8], usize, usize) -> Option<usize>;

/// The rule that reads back where a match of `shape` starts, for the shapes that have one.
pub(crate) fn start_reader(shape: Shape) -> Option<ReadBack> {
    match shape {
        Shape::AlnumToken => Some(token_trigger_start),
        Shape::Numeric => Some(numeric_start),
        Shape::Weekday => Some(weekday_start),
        Shape::Email => Some(email_start),
        Shape::PhoneIntl => Some(phone_intl_start),
        _ => None,
    }
}

/// Bytes of `class` just before `end`, not counting any before `from`.
fn run_before(text: &[u8], from: usize, end: usize, class: fn(&u8) -> bool) -> usize {
    text[from..end]
        .iter()
        .rev()
        .take_while(|b| class(b))
        .count()
}

fn digits_before(text: &[u8], from: usize, end: usize) -> usize {
    run_before(text, from, end, u8::is_ascii_digit)
}

/// The token trigger, `\b(?:[A-Z][A-Z0-9]|[0-9]+[A-Z])`: two characters from a capital,
/// or else a run of digits and the capital after it, which can start only at the run's
/// first digit (a word boundary).
fn token_trigger_start(text: &[u8], from: usize, end: usize) -> Option<usize> {
    if end < from + 2 {
        return None;
    }
    if text[end - 2].is_ascii_uppercase() {
        return Some(end - 2);
    }
    let start = end - 1 - digits_before(text, from, end - 1);
    (start < end - 1 && no_word_before(text, start)).then_some(start)
}

/// [`super::Shape::Numeric`], `\b(?:[0-9]{5,}|[0-9]{1,4}[ \-.][0-9])[0-9]*(?:[ \-.][0-9]+)*\b`:
/// groups of digits joined by single separators. A match starts at a group's first digit
/// with a word boundary before it; any group can start one that goes on past a
/// separator, the last group only with five digits or more.
fn numeric_start(text: &[u8], from: usize, end: usize) -> Option<usize> {
    let mut start = end;
    let mut best = None;
    let mut last_group = true;
    loop {
        let digits = digits_before(text, from, start);
        start -= digits;
        let boundary = no_word_before(text, start);
        if digits > 0 && boundary && (!last_group || digits >= 5) {
            best = Some(start);
        }
        last_group = false;
        let joined = start >= from + 2
            && matches!(text[start - 1], b' ' | b'-' | b'.')
            && text[start - 2].is_ascii_digit();
        if !joined {
            return best;
        }
        start -= 1;
    }
}

/// [`super::Shape::Email`], matched from its `@`: no other `@` can follow in the domain.
fn email_start(text: &[u8], from: usize, end: usize) -> Option<usize> {
    memchr::memrchr(b'@', &text[from..end]).map(|at| from + at)
}

/// [`super::Shape::PhoneIntl`], `\+[0-9]{1,3}(?:[ \-.]?\(?[0-9]{1,5}\)?){2,6}\b`: from its
/// `+`, the only one in it.
fn phone_intl_start(text: &[u8], from: usize, end: usize) -> Option<usize> {
    memchr::memrchr(b'+', &text[from..end]).map(|at| from + at)
}

fn letters_before(text: &[u8], from: usize, end: usize) -> usize {
    run_before(text, from, end, u8::is_ascii_alphabetic)
}

/// [`super::Shape::Weekday`] when it ends in a word: a day's name alone ("Sunday") starts
/// where that word does; a day with the part of the day after it ("Monday morning", "sat
/// pm") or a day's abbreviation after "on", "this", "til" ("this tue") where the word
/// before the last does. A match that ends in a digit or an ordinal ("Mon 9", "Monday the
/// 3rd") is left to the search.
fn weekday_start(text: &[u8], from: usize, end: usize) -> Option<usize> {
    let last = letters_before(text, from, end);
    let last_start = end - last;
    let start = if last >= 3 && text[end - 3..end].eq_ignore_ascii_case(b"day") {
        last_start
    } else {
        if last == 0 || last_start < from + 2 || text[last_start - 1] != b' ' {
            return None;
        }
        let before = letters_before(text, from, last_start - 1);
        if before == 0 {
            return None;
        }
        last_start - 1 - before
    };
    no_word_before(text, start).then_some(start)
}
