//! Russia, Ukraine and Belarus: the settlement before the street ("г. Москва, ул. Ленина,
//! д. 15"). The street words themselves ("ул.", "вул.", "пр.") are Romance-style street
//! words in the lexicon, and the house's word ("д.", "буд.") a number word.

use super::*;

/// "г." (город), "м." (місто), "пос.", "с.", "смт": a settlement's abbreviation before its
/// name.
pub(super) fn settlement_word(w: &str) -> bool {
    matches!(w, "г" | "м" | "пос" | "с" | "смт" | "дер")
}

/// "Россия" or "Москва" in "Россия, 125009, Москва, ул. Тверская": one or two capitalised
/// Cyrillic words, with a six-digit postcode as the part before or after them.
pub(super) fn cyrillic_place_by_postcode(ctx: &Ctx, start: usize, end: usize) -> bool {
    let cyrillic = |k: usize| {
        ctx.tok(k).kind == Kind::Cap
            && ctx
                .word(k)
                .chars()
                .next()
                .is_some_and(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    };
    let six_digits = |k: usize| {
        let w = ctx.word(k);
        w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit())
    };
    end - start <= 1
        && (start..=end).all(cyrillic)
        && (start >= 2 && ctx.glued(start - 1, ',') && six_digits(start - 2)
            || ctx.glued(end + 1, ',') && six_digits(end + 2))
}
