//! The parts before the street an address's grammar starts from: a house's or building's
//! name, or a flat's number, each ending in a comma.

use super::*;

/// Words that end the name of a house or farm before its street ("Rose Cottage", "The Old
/// Schoolhouse", "Hillside Farm").
pub(super) const HOUSE_NAMES: &[&str] = &[
    "Cottage",
    "Farm",
    "Lodge",
    "Barn",
    "Manor",
    "Grange",
    "Rectory",
    "Vicarage",
    "Schoolhouse",
    "Farmhouse",
    "Bungalow",
    "Croft",
    "Mill",
    "Villa",
];

/// Words that open the name of a house, an estate or a locality before the street
/// ("Rancho El Mirador", "Lieu-dit Kerbastard", which the tokens split at its dash,
/// "Quinta da Serra").
pub(super) const PLACE_NAME_OPENERS: &[&str] = &[
    "Rancho", "Hacienda", "Finca", "Quinta", "Lieu", "Lieu-dit", "Villa", "Casa", "Masseria",
    "Cortijo",
];

pub(super) const PREFIX_WORDS: usize = 5;

/// "Rose Cottage, Mill Lane, …", "B-204, Shubh Residency, Scheme No. 54, …", "Lieu-dit
/// Kerbastard, 29260 Ploudaniel": the parts before the one an address's grammar starts
/// from, each ending in a comma: a house's or building's name, or a flat's number.
/// Returns the address's first token.
pub(crate) fn prefix(ctx: &mut Ctx, first: usize) -> usize {
    let mut first = first;
    for _ in 0..3 {
        if first < 2 || !ctx.glued(first - 1, ',') {
            break;
        }
        let end = first - 2;
        let mut start = end;
        while start > 0 && end - start < PREFIX_WORDS {
            let t = ctx.tok(start);
            let prev = ctx.tok(start - 1);
            let joins = prev.is_capitalised()
                || matches!(prev.kind, Kind::Number | Kind::Initial)
                || prev.is_punct('-')
                || prev.is_punct('.')
                || prev.kind == Kind::Lower && ctx.flags(start - 1).has(PARTICLE)
                || prev.kind == Kind::Lower
                    && t.is_punct('.')
                    && settlement_word(ctx.word(start - 1));
            if t.gap > Gap::Space || !joins {
                break;
            }
            start -= 1;
        }
        if !part_before_street(ctx, start, end) {
            break;
        }
        first = start;
    }
    first
}

pub(super) fn part_before_street(ctx: &mut Ctx, start: usize, end: usize) -> bool {
    let first_word = ctx.word(start);
    let last_word = ctx.word(end);
    // "302-1104", "B-204", "12B": a flat's number alone; "until 5pm, 12 High Street" has an
    // hour there.
    if start == end && number_first::is_hour(first_word) {
        return false;
    }
    if start == end || (end - start == 2 && ctx.tok(start + 1).is_punct('-')) {
        let flat = (start..=end).any(|k| ctx.tok(k).kind == Kind::Number)
            && (start..=end).all(|k| {
                let t = ctx.tok(k);
                t.kind == Kind::Number
                    || t.is_punct('-')
                    || t.kind == Kind::Initial
                    || t.kind == Kind::Upper
            });
        if flat {
            return true;
        }
    }
    // "Россия, 125009, Москва, ул. Тверская": Russia writes the country, postcode and city
    // before the street; a part in Cyrillic next to a six-digit postcode is one of them.
    if cyrillic_place_by_postcode(ctx, start, end) {
        return true;
    }
    // "г. Москва": a settlement after its abbreviation.
    if settlement_word(first_word) && ctx.tok(start + 1).is_punct('.') && start + 1 < end {
        return true;
    }
    // "House No. 14", "Blk 305".
    if matches!(first_word, "House" | "Blk" | "Plot" | "Villa") && ctx.tok(end).kind == Kind::Number
    {
        return true;
    }
    let capitalised = (start..=end).all(|k| {
        let t = ctx.tok(k);
        t.is_capitalised() || t.kind == Kind::Lower && ctx.flags(k).has(PARTICLE) || t.is_punct('-')
    });
    capitalised
        && (HOUSE_NAMES.contains(&last_word)
            || BUILDINGS.contains(&last_word)
            || PLACE_NAME_OPENERS.contains(&first_word))
}
