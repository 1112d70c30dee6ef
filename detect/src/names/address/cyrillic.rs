//! Russia, Ukraine and Belarus: the settlement before the street ("г. Москва, ул. Ленина,
//! д. 15"). The street words themselves ("ул.", "вул.", "пр.") are Romance-style street
//! words in the lexicon, and the house's word ("д.", "буд.") a number word.

/// "г." (город), "м." (місто), "пос.", "с.", "смт": a settlement's abbreviation before its
/// name.
pub(super) fn settlement_word(w: &str) -> bool {
    matches!(w, "г" | "м" | "пос" | "с" | "смт" | "дер")
}
