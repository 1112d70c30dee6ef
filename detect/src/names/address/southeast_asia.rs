//! Malaysia, Indonesia, Singapore and Thailand: streets whose names carry numbers ("Jalan
//! SS2/24", "Lorong Kemuning 3", "Soi Sukhumvit 11", "Ang Mo Kio Ave 3"), Singapore's unit
//! numbers ("#05-67") and Indonesia's neighbourhood numbers ("RT 03/RW 05").

use super::*;

/// Street words after which the name may carry numbers, and the house number comes before
/// the street or after a number word ("Jl. Sudirman No. 5").
const NUMBERED_NAME_STREETS: &[&str] = &[
    "Jalan",
    "Jln",
    "Jl",
    "Lorong",
    "Lrg",
    "Persiaran",
    "Lebuh",
    "Soi",
    "Gg",
];

#[inline]
pub(super) fn numbered_name_street(ctx: &Ctx, k: usize) -> bool {
    NUMBERED_NAME_STREETS.contains(&ctx.word(k))
}

/// "Jalan SS2/24", "Lorong Kemuning 3", "Soi 24": the street word, then capitalised words
/// and numbers up to a comma, the end of the line or a house number's word. Returns the
/// last token.
pub(super) fn numbered_name(ctx: &mut Ctx, street_word: usize) -> Option<usize> {
    let mut j = street_word + 1;
    if ctx.glued_period(j) {
        j += 1;
    }
    let mut last = None;
    while let Some(t) = ctx.get(j) {
        if t.gap != Gap::Space || j - street_word > STREET_WORDS {
            break;
        }
        match t.kind {
            Kind::Cap | Kind::Upper | Kind::Initial => {}
            // "Jalan Alor 8pm": an hour after the street is when, not where.
            Kind::Number if !is_hour(ctx.word(j)) => {}
            _ => break,
        }
        // "Jl. Sudirman No. 5": the number word opens the house number.
        if number_word(ctx, j).is_some() || lot_number(ctx, j).is_some() {
            break;
        }
        last = Some(j);
        j += 1;
    }
    last
}

/// After a street of that kind: "Jl. Sudirman No. 5", "Jl. Gatot Subroto Kav. 21".
pub(super) fn numbered_name_then_number(ctx: &mut Ctx, street_word: usize) -> Option<usize> {
    let end = numbered_name(ctx, street_word)?;
    number_word(ctx, end + 1).or_else(|| lot_number(ctx, end + 1))
}

/// "Kav. 21", "Blok A": a lot or block after an Indonesian street's name.
fn lot_number(ctx: &mut Ctx, k: usize) -> Option<usize> {
    if !matches!(ctx.word(k), "Kav" | "Blok") || ctx.get(k)?.gap != Gap::Space {
        return None;
    }
    let n = if ctx.glued_period(k + 1) {
        k + 2
    } else {
        k + 1
    };
    let t = ctx.get(n)?;
    let letter = t.kind == Kind::Initial && ctx.word(n).len() == 1;
    (t.gap == Gap::Space && (t.kind == Kind::Number || letter)).then_some(n)
}

/// "Ang Mo Kio Ave 3", "Jurong West St 42": Singapore numbers a street after its type. The
/// number must end the part, so that a count after a street ("Main St 5 times") is not taken.
pub(super) fn street_type_number(ctx: &Ctx, street_type: usize) -> usize {
    let k = street_type + 1;
    let numbered = ctx.get(k).is_some_and(|t| {
        t.gap == Gap::Space
            && t.kind == Kind::Number
            && ctx.word(k).len() <= 3
            && ctx.word(k).bytes().all(|b| b.is_ascii_digit())
    }) && ctx
        .get(k + 1)
        .is_none_or(|n| n.gap >= Gap::Line || n.is_punct(','));
    if numbered { k } else { street_type }
}

/// "#05-67": a Singapore unit, floor and unit number after `#`.
pub(super) fn hash_unit(ctx: &Ctx, j: usize) -> Option<usize> {
    let n = ctx.get(j + 1)?;
    let w = ctx.word(j + 1);
    (ctx.tok(j).is_punct('#') && n.gap == Gap::None && n.kind == Kind::Number && w.contains('-'))
        .then_some(j + 1)
}

/// "RT 03/RW 05", "RT 003 RW 005", "RT.03/RW.05": Indonesia's neighbourhood and hamlet
/// numbers. Returns the last token.
pub(super) fn rt_rw(ctx: &mut Ctx, j: usize) -> Option<usize> {
    if !matches!(ctx.word(j), "RT" | "Rt") {
        return None;
    }
    let mut k = j + 1;
    if ctx.glued_period(k) {
        k += 1;
    }
    let t = ctx.get(k)?;
    if t.kind != Kind::Number || t.gap > Gap::Space {
        return None;
    }
    let w = ctx.word(k);
    // "03/RW": the tokens keep a number and the letters after its slash together.
    let rw_follows = w.ends_with("/RW") || w.ends_with("/Rw");
    let mut last = k;
    let rw = if rw_follows {
        Some(k + 1)
    } else if matches!(ctx.word(k + 1), "RW" | "Rw") {
        Some(k + 2)
    } else {
        None
    };
    if let Some(mut n) = rw {
        if ctx.glued_period(n) {
            n += 1;
        }
        if ctx
            .get(n)
            .is_some_and(|t| t.kind == Kind::Number && t.gap <= Gap::Space)
        {
            last = n;
        }
    }
    Some(last)
}

/// "99 Moo 4,": Thailand's village number after the house number, where a street would
/// be; a comma must follow, as the district parts come next.
pub(super) fn village_number(ctx: &Ctx, j: usize) -> Option<usize> {
    let n = ctx.get(j + 1)?;
    (matches!(ctx.word(j), "Moo" | "Mu")
        && n.gap == Gap::Space
        && n.kind == Kind::Number
        && ctx.word(j + 1).len() <= 2
        && ctx.get(j + 2).is_some_and(|c| c.is_punct(',')))
    .then_some(j + 1)
}
