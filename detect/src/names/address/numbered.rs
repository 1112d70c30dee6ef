//! Houses, plots and roads known by number rather than by name: India's "H.No. 1-2-34",
//! the Gulf's and Bangladesh's "Street 12", "Way 3012", "Road No. 3", South Africa's
//! "Stand No. 56". Alone these are product names and section numbers ("Way 3012
//! headphones", "Sector 15 of the report"), so they count only inside an address: after
//! a unit and a comma, in an address's tail, or before parts that end in a place.

use super::*;

/// "H.No. 1-2-34", "H. No. 5": India's house number. Returns the number's token.
pub(super) fn house_no(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if ctx.word(i) != "H." {
        return None;
    }
    let no = ctx.get(i + 1)?;
    if no.gap > Gap::Space {
        return None;
    }
    number_word(ctx, i + 1)
}

/// "Stand No. 56", "Door No. 12-3-45", "Villa 23", "Of. 1201": words that are a unit only before a number, being a
/// surname or an English word elsewhere ("Erika Villa", "a stand").
#[inline]
pub(super) fn numbered_unit(ctx: &mut Ctx, k: usize) -> bool {
    match ctx.word(k) {
        "Stand" | "Door" => number_word(ctx, k + 1).is_some(),
        "Villa" => ctx
            .get(k + 1)
            .is_some_and(|n| n.gap == Gap::Space && n.kind == Kind::Number),
        // "Of. 1201": a Spanish office, which in any other case is the English word.
        "Of" => ctx.glued_period(k + 1) && ctx.get(k + 2).is_some_and(|n| n.kind == Kind::Number),
        _ => false,
    }
}

/// "F-7/2", "G-9": an Islamabad sector, a letter and its numbers, in an address's tail.
pub(super) fn sector_code(ctx: &Ctx, j: usize) -> Option<usize> {
    let b = ctx.word(j).as_bytes();
    let (Some(letter), Some(b'-')) = (b.first(), b.get(1)) else {
        return None;
    };
    let (sector, sub) = match b[2..].iter().position(|&c| c == b'/') {
        Some(p) => (&b[2..2 + p], &b[3 + p..]),
        None => (&b[2..], &b[..0]),
    };
    (letter.is_ascii_uppercase()
        && (1..=2).contains(&sector.len())
        && sector.iter().all(u8::is_ascii_digit)
        && sub.len() <= 1
        && sub.iter().all(u8::is_ascii_digit))
    .then_some(j)
}

/// "Street 12", "Way 3012", "Road No. 3": a street type, then the street's number ending
/// the part. Returns the number's token.
pub(super) fn numbered_road(ctx: &mut Ctx, j: usize) -> Option<usize> {
    if ctx.tok(j).kind != Kind::Cap || !ctx.flags(j).has(STREET) {
        return None;
    }
    let number = match number_word(ctx, j + 1) {
        Some(n) => n,
        None => {
            let t = ctx.get(j + 1)?;
            let w = ctx.word(j + 1);
            if t.gap != Gap::Space
                || t.kind != Kind::Number
                || !(1..=4).contains(&w.len())
                || !w.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            j + 1
        }
    };
    ctx.get(number + 1)
        .is_none_or(|n| n.gap >= Gap::Line || n.is_punct(','))
        .then_some(number)
}
