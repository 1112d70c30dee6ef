//! Classes of the ASCII bytes the first pass and the tokenizer read runs of, looked up one
//! byte at a time or tested sixteen at a time: a word's length read a byte at a time ends
//! in a branch that mispredicts at nearly every word.

/// A letter, a digit, or any byte beyond ASCII: what joins a word.
pub(super) const WORD: u8 = 1;
/// An ASCII letter.
pub(super) const ALPHA: u8 = 2;
/// A letter, a digit, `/` or `-`: a house number's run ("12/3", "4-6").
pub(super) const NUMBER_RUN: u8 = 4;
/// An ASCII letter or digit.
pub(super) const ALNUM: u8 = 8;
/// An ASCII digit.
pub(super) const DIGIT: u8 = 16;
/// An ASCII lower-case letter.
pub(super) const LOWER: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if c.is_ascii_alphanumeric() || c >= 0x80 {
            k |= WORD;
        }
        if c.is_ascii_alphabetic() {
            k |= ALPHA;
        }
        if c.is_ascii_alphanumeric() || c == b'/' || c == b'-' {
            k |= NUMBER_RUN;
        }
        if c.is_ascii_alphanumeric() {
            k |= ALNUM;
        }
        if c.is_ascii_digit() {
            k |= DIGIT;
        }
        if c.is_ascii_lowercase() {
            k |= LOWER;
        }
        t[b] = k;
        b += 1;
    }
    t
};

/// Whether `b` is in any of `classes`.
#[inline]
pub(super) fn is(classes: u8, b: u8) -> bool {
    CLASS[b as usize] & classes != 0
}

/// The end of the run of bytes of `class` from `i` (at most `bytes.len()`).
#[inline]
pub(super) fn run_end(bytes: &[u8], i: usize, class: u8) -> usize {
    run_end_before(bytes, i, bytes.len(), class)
}

/// The end of the run of bytes of `class` from `i`, at most `limit`; bytes up to the end of
/// `bytes` may be read.
#[inline]
pub(super) fn run_end_before(bytes: &[u8], mut i: usize, limit: usize, class: u8) -> usize {
    while let Some(block) = bytes.get(i..i + 16) {
        let block: &[u8; 16] = block.try_into().expect("sixteen bytes");
        let outside = !class_bits(block, class) & 0xFFFF;
        if outside != 0 {
            return (i + outside.trailing_zeros() as usize).min(limit);
        }
        i += 16;
        if i >= limit {
            return limit;
        }
    }
    let tail = bytes.get(i..limit).unwrap_or_default();
    i + tail.iter().take_while(|&&b| is(class, b)).count()
}

/// Whether any byte of `bytes[from..to]` is in `class`.
#[inline]
pub(super) fn any_in(bytes: &[u8], from: usize, to: usize, class: u8) -> bool {
    let mut i = from;
    while i < to {
        let Some(block) = bytes.get(i..i + 16) else {
            return bytes[i..to].iter().any(|&b| is(class, b));
        };
        let block: &[u8; 16] = block.try_into().expect("sixteen bytes");
        let n = (to - i).min(16);
        let wanted = if n == 16 { 0xFFFF } else { (1u32 << n) - 1 };
        if class_bits(block, class) & wanted != 0 {
            return true;
        }
        i += 16;
    }
    false
}

/// One bit for each byte of `block` in `class` (one of the classes above), the first byte
/// lowest.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) fn class_bits(block: &[u8; 16], class: u8) -> u32 {
    // SAFETY: SSE2 is part of the x86-64 baseline, so every x86-64 CPU has it.
    unsafe { class_bits_sse2(block, class) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn class_bits_sse2(block: &[u8; 16], class: u8) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set_epi64x, _mm_set1_epi8, _mm_sub_epi8, _mm_xor_si128,
    };
    let lo = i64::from_le_bytes(block[..8].try_into().expect("eight bytes"));
    let hi = i64::from_le_bytes(block[8..].try_into().expect("eight bytes"));
    let v = _mm_set_epi64x(hi, lo);
    // SSE2 compares bytes as signed: flipping the top bit orders them as unsigned, so
    // `b - from < n` (unsigned) is `(b - from) ^ 0x80 < n ^ 0x80` (signed).
    let flip = _mm_set1_epi8(i8::MIN);
    let in_range = |x, from: u8, n: u8| {
        _mm_cmplt_epi8(
            _mm_xor_si128(_mm_sub_epi8(x, _mm_set1_epi8(from as i8)), flip),
            _mm_set1_epi8((n ^ 0x80) as i8),
        )
    };
    // Setting bit 5 makes capitals lower case and moves no other byte into `a..=z`.
    let alpha = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
    let digit = in_range(v, b'0', 10);
    let bits = match class {
        ALPHA => alpha,
        ALNUM => _mm_or_si128(alpha, digit),
        DIGIT => digit,
        LOWER => in_range(v, b'a', 26),
        // `/` to `9` are the slash and the digits.
        NUMBER_RUN => _mm_or_si128(
            _mm_or_si128(alpha, in_range(v, b'/', 11)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8)),
        ),
        // WORD. `b >= 0x80` (unsigned) is `b ^ 0x80 >= 0` (signed).
        _ => _mm_or_si128(
            _mm_or_si128(alpha, digit),
            _mm_cmpgt_epi8(_mm_xor_si128(v, flip), _mm_set1_epi8(-1)),
        ),
    };
    _mm_movemask_epi8(bits) as u32
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn class_bits(block: &[u8; 16], class: u8) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |bits, (k, &b)| bits | u32::from(is(class, b)) << k)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CLASSES: [u8; 6] = [WORD, ALPHA, NUMBER_RUN, ALNUM, DIGIT, LOWER];

    proptest! {
        /// Runs and tests read sixteen bytes at a time agree with the byte-at-a-time
        /// reading, for every class, from every position, up to every limit, in text of
        /// every kind of byte.
        #[test]
        fn sixteen_at_a_time_agrees_with_one_at_a_time(
            bytes in prop::collection::vec(
                prop::sample::select(b"aAZz09:/-_ .,'@[`{\x7f\x80\xbf\xc3\xff".to_vec()), 0..40),
        ) {
            for class in CLASSES {
                for i in 0..=bytes.len() {
                    for limit in i..=bytes.len() {
                        let want = i + bytes[i..limit].iter().take_while(|&&b| is(class, b)).count();
                        prop_assert_eq!(run_end_before(&bytes, i, limit, class), want,
                            "class {} from {} to {}", class, i, limit);
                        let any = bytes[i..limit].iter().any(|&b| is(class, b));
                        prop_assert_eq!(any_in(&bytes, i, limit, class), any,
                            "class {} in {}..{}", class, i, limit);
                    }
                }
            }
        }
    }
}
