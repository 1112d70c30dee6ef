//! Addresses without a house number: a street named by its type alone ("on Station
//! Road"), or a city with its region code and postcode.

use super::*;

/// Street types that name a street on their own, without a house number.
pub(crate) const STREET_TYPES: &[&str] = &[
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Boulevard",
    "Drive",
    "Crescent",
    "Terrace",
    "Gardens",
    "Highway",
    "Freeway",
    "Expressway",
    "Motorway",
    "Turnpike",
    "Parkway",
    "Straße",
    "Strasse",
    "Allee",
    "Gasse",
    "Chaussee",
];

/// Abbreviated street types, and types that are also common words, which name a street
/// without a number only after a place cue ("on Westheimer Rd", "at Orchard Close").
pub(super) const STREET_ABBREVIATIONS: &[&str] = &[
    "St", "Rd", "Ave", "Blvd", "Ln", "Dr", "Cres", "Tce", "Close", "Grove", "Way", "Walk", "Row",
    "Rise", "Mews", "Green", "Vale", "View", "Parade", "Court", "Place", "Square", "Hill", "Chase",
    "Wynd",
];

/// "Kingsland Road", "on Main Street": one to three capitalised words and a street type,
/// not followed by more of a name ("Main Street Bank"). The words before the type may be
/// anything a street is named after ("Station Road", "Church Lane", "Dale Street").
pub(super) fn named_street(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
    if ctx.flags(i).has(NOT_NAME | TEMPORAL) || STREET_TYPES.contains(&ctx.word(i)) {
        return None;
    }
    for k in i + 1..(i + 4).min(ctx.len()) {
        let t = ctx.tok(k);
        if t.gap != Gap::Space || !t.is_capitalised() {
            return None;
        }
        // "on Westheimer Rd", "on Dundas St W": an abbreviated type only after a place cue,
        // and with the compass point after it.
        let full = STREET_TYPES.contains(&ctx.word(k));
        let abbreviated = STREET_ABBREVIATIONS.contains(&ctx.word(k));
        let street_cue = |ctx: &mut Ctx| {
            ctx.place_cue_before(i)
                || i > 0 && matches!(ctx.word(i - 1), "on" | "off" | "along" | "at" | "down")
        };
        if full || abbreviated && street_cue(ctx) {
            let mut end = k;
            if ctx.get(k + 1).is_some_and(|n| n.gap == Gap::Space)
                && matches!(
                    ctx.word(k + 1),
                    "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW"
                )
            {
                end = k + 1;
            }
            // "on Smithdown Road Tuesday night": a day or month after the street is when.
            let named = ctx
                .get(end + 1)
                .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
                && !ctx.flags(end + 1).has(TEMPORAL);
            return (!named).then_some((end, 0.6));
        }
        if ctx.flags(k).has(NOT_NAME | TEMPORAL) {
            return None;
        }
    }
    None
}

/// "Southport QLD 4215", "Springfield, IL 62704", "London NW1 6XE": a city with a region
/// code and postcode, or with a UK-style postcode.
pub(super) fn city_region_postcode(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
    if ctx.flags(i).has(NOT_NAME | TEMPORAL | ORG) {
        return None;
    }
    let city_end = city_words(ctx, i)?;
    let mut k = city_end + 1;
    if ctx.get(k)?.is_punct(',') {
        k += 1;
    }
    let t = ctx.get(k)?;
    if t.gap > Gap::Space {
        return None;
    }
    if ctx.region_code(k) {
        let last = postcode_after(ctx, k)?;
        return Some((last, 0.85));
    }
    if t.kind == Kind::Number && uk_outward(ctx.word(k)) {
        let last = postcode(ctx, k)?;
        return Some((last, 0.85));
    }
    None
}
