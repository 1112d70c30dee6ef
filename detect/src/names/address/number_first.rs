//! Addresses that open with a number: a house number and its street ("12 Baker Street"),
//! or a unit or floor and its number before one ("Flat 3, 22 Baker Street").

use super::*;

/// "Unit 39/2362 Nicole Viaduct", "Apt 4B, 22 Main St", "Flat 3, 22 Baker Street".
pub(super) fn unit_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut j = i + 1;
    if ctx.get(j)?.is_punct('#') {
        j += 1;
    }
    let t = ctx.get(j)?;
    // "Block C, Marina Heights": a unit named by a letter.
    let letter = matches!(t.kind, Kind::Initial | Kind::Upper) && ctx.word(j).len() == 1;
    if t.kind != Kind::Number && !letter {
        return None;
    }
    if !letter && let Some(end) = number_first(ctx, j) {
        return Some(end); // "Unit 39/2362 Nicole Viaduct": unit and house number in one
    }
    j += 1;
    let comma = ctx.get(j).is_some_and(|t| t.is_punct(','));
    if comma {
        j += 1;
    }
    match ctx.get(j)?.kind {
        Kind::Number => number_first(ctx, j),
        // "Room 502, Building 3, 88 Century Avenue": a unit within a unit.
        Kind::Cap if comma && ctx.flags(j).has(UNIT) && j - i <= 4 => unit_first(ctx, j),
        // "Flat 2B, Oakwood Court", "Plot 14, Admiralty Way": a building or an unnumbered
        // street after the unit.
        // "Villa 23, Street 12": a street known by its number.
        Kind::Cap => street_first(ctx, j)
            .or_else(|| comma.then(|| numbered_road(ctx, j)).flatten())
            .or_else(|| comma.then(|| building(ctx, j)).flatten()),
        _ => None,
    }
}

/// "5th Floor, 1 Raffles Place": an ordinal floor, then the street after a comma.
pub(super) fn floor_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if !is_ordinal(ctx.word(i)) || !ctx.get(i + 1)?.is_word() || !ctx.flags(i + 1).has(UNIT) {
        return None;
    }
    if !ctx.get(i + 2)?.is_punct(',') || ctx.get(i + 3)?.kind != Kind::Number {
        return None;
    }
    number_first(ctx, i + 3)
}

/// "2nd Floor, Residency Road" in "45, 2nd Floor, Residency Road, Bengaluru 560025": a floor, then a street
/// named without a number; the house number before it is read as a prefix part. Returns
/// the street's last token.
pub(super) fn floor_then_street(ctx: &mut Ctx, floor: usize) -> Option<usize> {
    // Token kinds first: most numbers have no comma two tokens on.
    if !ctx.get(floor + 2)?.is_punct(',')
        || !is_ordinal(ctx.word(floor))
        || !matches!(ctx.word(floor + 1), "Floor" | "floor" | "Flr")
        || !ctx.get(floor + 2)?.is_punct(',')
    {
        return None;
    }
    let street = floor + 3;
    if ctx.get(street)?.kind != Kind::Cap {
        return None;
    }
    building(ctx, street)
}

/// "Apartment 12, 45 Kingsway": the token after a unit and its number, when a number
/// follows.
pub(super) fn after_unit(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut j = i + 1;
    if ctx.get(j)?.is_punct('#') {
        j += 1;
    }
    if ctx.get(j)?.kind != Kind::Number {
        return None;
    }
    j += 1;
    if ctx.get(j)?.is_punct(',') {
        j += 1;
    }
    (ctx.get(j)?.kind == Kind::Number).then_some(j)
}

#[inline]
pub(super) fn is_house_number(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    (1..=5).contains(&digits)
        && !is_hour(word)
        && word[digits..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-')
        && word[digits..]
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .count()
            <= 2
}

/// "5pm", "8AM": an hour, where a house number or a flat's would have letters after its
/// digits.
pub(super) fn is_hour(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && matches!(
            word.as_bytes()[digits..],
            [b'a' | b'p' | b'A' | b'P', b'm' | b'M']
        )
}

/// A house number, then street words ending in a street type ("Baker Street"), or a
/// Romance street word and its name ("rue de la Paix"). Returns the street's last token.
pub(super) fn number_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if !is_house_number(ctx.word(i)) {
        return None;
    }
    let mut j = i + 1;
    if ctx.get(j).is_some_and(|t| t.is_punct(',')) {
        j += 1; // "12, rue de la Paix"
    }
    let first = ctx.get(j)?;
    if first.gap > Gap::Space || !(first.is_word()) {
        return None;
    }
    if ctx.flags(j).has(EURO_STREET) {
        if numbered_name_street(ctx, j) {
            return numbered_name(ctx, j);
        }
        return romance_name(ctx, j);
    }
    if let Some(moo) = village_number(ctx, j) {
        return Some(moo);
    }
    let mut words = 0;
    let mut last_street = None;
    while let Some(t) = ctx.get(j) {
        if words == STREET_WORDS || t.gap > Gap::Space || t.glued {
            break;
        }
        match t.kind {
            Kind::Cap | Kind::Upper | Kind::Initial => {
                // "14th Cross", "3rd Main": an ordinal names the street before its type.
                let ordinal = words == 0 && is_ordinal(ctx.word(i));
                if ctx.flags(j).has(STREET) && (words > 0 || ordinal) {
                    last_street = Some(j);
                    // "Oak Street Road" or "St" with its period.
                    if !ctx.get(j + 1).is_some_and(|n| {
                        n.gap == Gap::Space && n.is_capitalised() && ctx.flags(j + 1).has(STREET)
                    }) {
                        break;
                    }
                } else if words > 0
                    && (ctx.flags(j).has(TEMPORAL)
                        || ctx.flags(j).has(NOT_NAME | ORG) && !next_is_capitalised(ctx, j))
                {
                    // "Welch Service Way": a word of another kind inside a street name
                    // goes on only while capitalised words follow it.
                    break;
                }
                words += 1;
            }
            Kind::Number if words == 0 => {} // "12 3rd Avenue"
            Kind::Number => {
                words += 1;
            }
            _ => break,
        }
        j += 1;
    }
    let end = last_street?;
    let end = directional(ctx, end);
    Some(street_type_number(ctx, end))
}

#[inline]
pub(super) fn is_ordinal(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "st" | "nd" | "rd" | "th")
}

pub(super) fn next_is_capitalised(ctx: &Ctx, j: usize) -> bool {
    ctx.get(j + 1)
        .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
}

/// A house number and one to four capitalised words after it.
pub(super) fn number_words(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if !is_house_number(ctx.word(i)) {
        return None;
    }
    let mut last = None;
    for k in i + 1..(i + 5).min(ctx.len()) {
        let t = ctx.tok(k);
        if t.gap != Gap::Space || t.kind != Kind::Cap || ctx.flags(k).has(NOT_NAME | TEMPORAL) {
            break;
        }
        last = Some(k);
    }
    last
}

/// "NW", "SE" after a street type.
pub(super) fn directional(ctx: &mut Ctx, end: usize) -> usize {
    match ctx.get(end + 1) {
        Some(t)
            if t.gap == Gap::Space
                && matches!(
                    ctx.word(end + 1),
                    "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW"
                ) =>
        {
            end + 1
        }
        _ => end,
    }
}
