//! The fast first pass: finds the few places in a text where a name, place or address can
//! start (a capital, a digit, a non-ASCII letter at the start of a word), passes over the
//! capitalised words that open sentences ("The", "Our"), and hands the rules a window of
//! text around the rest, with a few words of context on each side.

use super::byte_classes::{ALPHA, NUMBER_RUN, WORD, is, run_end};
use super::flags;
use super::lexicon::Lexicon;

/// Bytes of context kept before the first candidate word of a window: the rules look at
/// most three words back.
const BEFORE: usize = 32;
/// A window ends this many bytes after its last candidate word: room for a cue word after
/// a name ("said"), and for the parts of an address, which follow each other closely.
const AFTER: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// Start of the context words (a word start).
    pub(crate) start: usize,
    /// Start of the first candidate word: nothing before it is reported.
    pub(crate) anchor: usize,
    /// End of the window (a whitespace byte or the end of the text).
    pub(crate) end: usize,
}

/// Lead bytes that can start a candidate word: capitals, digits, any non-ASCII character.
static ANCHOR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_uppercase() || (b as u8).is_ascii_digit() || b >= 0xC0;
        b += 1;
    }
    t
};

/// Index of the first byte at or after `i` that can start a candidate word. Sixteen bytes
/// at a time: lower-case prose has few candidates, so most of a text is passed over in
/// blocks. Out of line: inlined into `next`, its loop compiled to more instructions.
#[inline(never)]
fn find_anchor(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(block) = bytes.get(i..i + 16) {
        let block: &[u8; 16] = block.try_into().expect("sixteen bytes");
        let hits = anchor_bits(block);
        if hits != 0 {
            return Some(i + hits.trailing_zeros() as usize);
        }
        i += 16;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| ANCHOR[b as usize])
        .map(|k| i + k)
}

/// One bit for each byte of `block` that can start a candidate word, the first byte
/// lowest. SSE2, which every x86-64 has: this runs on every byte of a text, and three
/// compares and a move of their mask cost about two thirds of what the compiler made of
/// the same test written portably (bytes of 0xFF gathered into a 128-bit integer and
/// searched in halves), and a fifth of what it made of one bit gathered per byte.
#[cfg(target_arch = "x86_64")]
fn anchor_bits(block: &[u8; 16]) -> u32 {
    // SAFETY: SSE2 is part of the x86-64 baseline, so every x86-64 CPU has it.
    unsafe { anchor_bits_sse2(block) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn anchor_bits_sse2(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8, _mm_sub_epi8, _mm_xor_si128,
    };
    let lo = i64::from_le_bytes(block[..8].try_into().expect("eight bytes"));
    let hi = i64::from_le_bytes(block[8..].try_into().expect("eight bytes"));
    let v = _mm_set_epi64x(hi, lo);
    // SSE2 compares bytes as signed: flipping the top bit orders them as unsigned, so
    // `b - lo < n` (unsigned) is `(b - lo) ^ 0x80 < n ^ 0x80` (signed).
    let flip = _mm_set1_epi8(i8::MIN);
    let upper = _mm_cmplt_epi8(
        _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(b'A' as i8)), flip),
        _mm_set1_epi8((26u8 ^ 0x80) as i8),
    );
    let digit = _mm_cmplt_epi8(
        _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8)), flip),
        _mm_set1_epi8((10u8 ^ 0x80) as i8),
    );
    // `b >= 0xC0` (unsigned) is `b ^ 0x80 > 0x3F` (signed).
    let lead = _mm_cmpgt_epi8(_mm_xor_si128(v, flip), _mm_set1_epi8(0x3F));
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(upper, digit), lead)) as u32
}

#[cfg(not(target_arch = "x86_64"))]
fn anchor_bits(block: &[u8; 16]) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |bits, (k, &b)| bits | u32::from(ANCHOR[b as usize]) << k)
}

fn word_byte(b: u8) -> bool {
    is(WORD, b)
}

/// The next window at or after byte `pos`, if any.
pub(crate) fn next(text: &str, pos: usize, buf: &mut String) -> Option<Window> {
    let anchor = next_candidate(text, pos, buf)?;
    let anchor = street_word_before(text, pos, anchor, buf).unwrap_or(anchor);
    let bytes = text.as_bytes();
    let mut start = anchor.saturating_sub(BEFORE);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    // Start at a word boundary, so that no context word is cut.
    while start > 0 && word_byte(bytes[start - 1]) {
        start -= 1;
    }
    Some(Window {
        start,
        anchor,
        end: window_end(text, anchor, buf),
    })
}

/// Start of the next word that can begin a name, place or address.
fn next_candidate(text: &str, mut i: usize, buf: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    loop {
        i = find_anchor(bytes, i)?;
        let b = bytes[i];
        if i > 0 && joined_to_word(bytes, i) {
            i = word_end(bytes, i);
            continue;
        }
        if b >= 0x80 {
            let c = text[i..].chars().next()?;
            if c.is_lowercase() {
                i += c.len_utf8();
                continue;
            }
            return Some(i);
        }
        if b.is_ascii_digit() {
            let end = run_end(bytes, i, NUMBER_RUN);
            if !starts_street(text, end, buf) {
                i = end;
                continue;
            }
            return Some(i);
        }
        let end = run_end(bytes, i, ALPHA);
        if opens_plain_sentence(bytes, i, end, buf) {
            i = end;
            continue;
        }
        return Some(i);
    }
}

/// A number starts an address only when a street or place name follows it: a capital, a
/// non-ASCII letter, or a Romance street word ("12 rue"), after a space or a comma.
fn starts_street(text: &str, end: usize, buf: &mut String) -> bool {
    let bytes = text.as_bytes();
    let mut k = end;
    if bytes.get(k) == Some(&b',') {
        k += 1;
    }
    if !matches!(bytes.get(k), Some(b' ' | b'\n')) {
        return false;
    }
    match bytes.get(k + 1) {
        Some(b) if b.is_ascii_uppercase() || *b >= 0x80 => true,
        Some(b) if b.is_ascii_lowercase() => {
            let w = bytes[k + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            w <= 9
                && Lexicon::get()
                    .lookup(&text[k + 1..k + 1 + w], buf)
                    .has(flags::EURO_STREET | flags::UNIT)
        }
        _ => false,
    }
}

/// "ul. Marszałkowska 84", "via Roma 12": a lower-case street word (at or after `pos`)
/// right before the candidate word starts the address.
fn street_word_before(text: &str, pos: usize, anchor: usize, buf: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = anchor.checked_sub(1)?;
    if bytes[end] != b' ' {
        return None;
    }
    if end > pos && bytes[end - 1] == b'.' {
        end -= 1;
    }
    if end > pos && bytes[end - 1] >= 0x80 {
        return other_script_street_word(text, pos, end, buf);
    }
    let len = bytes[pos.min(end)..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    let start = end - len;
    let word_start = start == 0 || !word_byte(bytes[start - 1]);
    (len > 0 && len <= 9 && word_start)
        .then(|| Lexicon::get().lookup(&text[start..end], buf))
        .filter(|f| f.has(flags::EURO_STREET))
        .map(|_| start)
}

/// "ул. Тверская", "вул. Хрещатик": a street word of a few letters in another script,
/// ending at `end`. Out of line: English text seldom has one.
#[cold]
#[inline(never)]
fn other_script_street_word(text: &str, pos: usize, end: usize, buf: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = bytes[pos..end]
        .iter()
        .rev()
        .take_while(|&&b| b >= 0x80)
        .count();
    let start = end - len;
    let word_start = start == 0 || !word_byte(bytes[start - 1]);
    (len <= 20
        && word_start
        && text.is_char_boundary(start)
        && text[start..end].chars().all(char::is_lowercase))
    .then(|| Lexicon::get().lookup(&text[start..end], buf))
    .filter(|f| f.has(flags::EURO_STREET))
    .map(|_| start)
}

/// The end of the run of word bytes from `i`: every candidate byte inside it is joined
/// to the word, so none is looked at.
fn word_end(bytes: &[u8], i: usize) -> usize {
    run_end(bytes, i, WORD)
}

/// Inside a word ("macOS", "Jean-Luc" after its hyphen): not a word start.
fn joined_to_word(bytes: &[u8], i: usize) -> bool {
    let p = bytes[i - 1];
    word_byte(p) || matches!(p, b'-' | b'\'') && i >= 2 && word_byte(bytes[i - 2])
}

/// "The", "Our", "Ticket", "SSN": a capitalised word that can be no part of a name, place
/// or street. The words after it are read on their own; it stays as context. `start..end`
/// lies between char boundaries of the text `bytes`.
fn opens_plain_sentence(bytes: &[u8], start: usize, end: usize, buf: &mut String) -> bool {
    let (before, rest) = bytes.split_at(end);
    let Some(word) = before
        .get(start..)
        .filter(|w| !w.is_empty() && w.len() <= 12)
    else {
        return false;
    };
    let after = rest.first().copied();
    if after.is_some_and(|b| b >= 0x80 || b == b'\'' || b == b'-') {
        return false;
    }
    if word.len() == 1 && after == Some(b'.') {
        return false; // an initial
    }
    // "the M62", "A487": a letter and a number are one word, a road's or a code's.
    if after.is_some_and(|b| b.is_ascii_digit()) {
        return false;
    }
    // "No. 22", "Nr. 5", "No:45": a number word before a house number.
    if matches!(word, b"No" | b"Nr")
        && matches!(after, Some(b'.' | b':'))
        && rest[1..]
            .iter()
            .find(|b| **b != b' ')
            .is_some_and(u8::is_ascii_digit)
    {
        return false;
    }
    let f = Lexicon::get().lookup_bytes(word, buf);
    // "Dr Okafor", "New York", "Lake Como", "Unit 4", "Via Roma": the word opens what
    // follows it.
    let opens_next = after == Some(b' ')
        && rest
            .get(1)
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b >= 0x80);
    // "Rue du Marché 14", "Via dei Condotti 9": a Romance street word opens its name
    // over the particles after it too.
    if f.has(flags::EURO_STREET) && after == Some(b' ') {
        return false;
    }
    if opens_next
        && (f.has(
            flags::EURO_STREET
                | flags::UNIT
                | flags::PLACE_PREFIX
                | flags::ORG_PREFIX
                | flags::STREET
                | flags::TITLE,
        ) || names_street(&rest[1..]))
    {
        return false;
    }
    if f.has(flags::NOT_NAME | flags::TEMPORAL | flags::ORG) {
        return !unit_before_number_word(word, rest);
    }
    // "SURNAME: NOWAK": after a label's colon, capitals may be how a form writes a name.
    let after_colon = || bytes[..start].iter().rev().find(|b| **b != b' ') == Some(&b':');
    let acronym = word.iter().all(u8::is_ascii_uppercase)
        && word.len() >= 2
        && !(word.len() >= 4 && after_colon());
    let no_name = f.given() == 0 && f.surname() <= 2 && !f.is_place();
    no_name
        && (f.has(flags::COMMON) && !unit_before_number_word(word, rest)
            || acronym && !f.has(flags::REGION_CODE))
}

/// "Stand No. 56", "Door No. 12-3-45": a plot's or house's word, common in English,
/// before its number word.
#[inline]
fn unit_before_number_word(word: &[u8], after: &[u8]) -> bool {
    matches!(word, b"Stand" | b"Door") && after.starts_with(b" No")
}

/// "Hackney Road", "Station Road": the next word is a street type that names a street
/// with the words before it, however common they are.
fn names_street(next: &[u8]) -> bool {
    let len = next.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    super::address::STREET_TYPES
        .iter()
        .any(|t| t.as_bytes() == &next[..len])
}

/// The first whitespace at least `AFTER` bytes past the last candidate word that follows
/// the anchor closely enough to belong to the same name or address.
fn window_end(text: &str, anchor: usize, buf: &mut String) -> usize {
    let bytes = text.as_bytes();
    let mut last = anchor;
    let mut i = anchor;
    loop {
        let limit = (last + AFTER).min(bytes.len());
        // Only up to the limit: the next window looks for its own start from the end of
        // this one.
        let next = find_anchor(&bytes[..(limit + 1).min(bytes.len())], i);
        match next {
            Some(start) if start <= limit => {
                i = start;
                if start > 0 && joined_to_word(bytes, start) {
                    i = word_end(bytes, start);
                    continue;
                }
                i = word_end(bytes, i);
                let b = bytes[start];
                if start == anchor
                    || !(b.is_ascii_uppercase() && opens_plain_sentence(bytes, start, i, buf))
                {
                    last = i;
                }
            }
            _ => {
                let from = limit.max(i);
                return from
                    + bytes[from..]
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .unwrap_or(bytes.len() - from);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut pos = 0;
        let mut buf = String::new();
        while let Some(w) = next(text, pos, &mut buf) {
            out.push(&text[w.anchor..w.end]);
            assert!(w.start <= w.anchor && w.anchor < w.end);
            pos = w.end;
        }
        out
    }

    #[test]
    fn anchors_are_found_in_any_position_of_a_word() {
        let anchor = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b >= 0xC0;
        for text in [
            "abcdefghijklmnopqrstuvwxyz Q",
            "abcdefgh7",
            "abcdefghé",
            "Zabc",
            "ab cd ef gh ij kl mn op",
        ] {
            let want = text.bytes().position(anchor);
            assert_eq!(find_anchor(text.as_bytes(), 0), want, "{text}");
        }
        // Every byte value in every position of a block, and in the tail after it.
        for b in 0..=255u8 {
            for i in 0..40 {
                let mut bytes = vec![b'x'; 40];
                bytes[i] = b;
                let want = anchor(b).then_some(i);
                assert_eq!(find_anchor(&bytes, 0), want, "{b:#x} at {i}");
            }
        }
        for i in 0..20 {
            let text = format!("{}A{}", "x".repeat(i), "y".repeat(20 - i));
            assert_eq!(find_anchor(text.as_bytes(), 0), Some(i));
            assert_eq!(find_anchor(text.as_bytes(), i + 1), None);
        }
    }

    #[test]
    fn sentence_openers_are_passed_over() {
        let text = "The team met. Our billing department paid. we called.";
        assert!(windows(text).is_empty());
    }

    #[test]
    fn candidates_open_windows_with_context_after() {
        let text = "The refund went to Dana Carrillo yesterday after a long wait of many days for everyone involved in it.";
        let w = windows(text);
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("Dana Carrillo yesterday"));
        let text = "straße über Þórunn";
        assert_eq!(windows(text), ["Þórunn"]);
    }

    #[test]
    fn a_street_word_before_a_candidate_opens_the_window() {
        assert_eq!(
            windows("ship to ul. Marszałkowska 84"),
            ["ul. Marszałkowska 84"]
        );
        assert_eq!(windows("near via Roma 12"), ["via Roma 12"]);
        assert_eq!(windows("на ул. Тверская, д. 7"), ["ул. Тверская, д. 7"]);
        // A window that ends right after a period, with a candidate next: the look back
        // stays after the previous window.
        for k in 0..48 {
            let text = format!("Ann {}. Bob said", "x".repeat(k));
            let w = windows(&text);
            assert!(w.last().is_some_and(|w| w.ends_with("Bob said")), "{text}");
        }
    }
}
