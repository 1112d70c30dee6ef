//! Postcodes of many countries' shapes, and a postcode with its city.

use super::*;

/// "Karnataka 560001", "California 94103": the postcode after a region named in full;
/// five digits or more, so that a year after it ("Texas 2019") is not taken.
pub(crate) fn region_postcode(ctx: &mut Ctx, region: usize) -> Option<usize> {
    postcode_after(ctx, region).filter(|&p| p > region + 1 || ctx.word(p).len() >= 5)
}

pub(super) fn postcode_after(ctx: &mut Ctx, k: usize) -> Option<usize> {
    let t = ctx.get(k + 1)?;
    if t.gap != Gap::Space || t.kind != Kind::Number {
        return None;
    }
    postcode(ctx, k + 1)
}

/// A postcode starting at token `k`; returns its last token. Shapes: 3–6 digits with an
/// optional dash part (US ZIP+4, BR, JP, PL, PT), UK and Canadian two-part codes, Dutch
/// "1015 CJ", Swedish "114 55".
pub(crate) fn postcode(ctx: &mut Ctx, k: usize) -> Option<usize> {
    let w = ctx.word(k);
    let next = ctx.get(k + 1).filter(|t| t.gap == Gap::Space);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if let Some((a, b)) = w.split_once('-') {
        if digits(a, 2..=5) && digits(b, 3..=4) {
            return Some(k);
        }
        return None;
    }
    // "C1123AAN": Argentina's letter, four digits and three letters.
    let b = w.as_bytes();
    if b.len() == 8
        && b[0].is_ascii_uppercase()
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_uppercase)
    {
        return Some(k);
    }
    // "C1043": Argentina's letter and four digits, without the block's letters.
    if b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
        return Some(k);
    }
    if uk_outward(w) || ca_outward(w) {
        let n = next?;
        let nw = ctx.word(k + 1);
        return (n.kind == Kind::Number
            && (uk_inward(nw) || ca_inward(nw) || eircode_unique(w, nw)))
        .then_some(k + 1);
    }
    if digits(w, 4..=4)
        && let Some(n) = next
        && n.kind == Kind::Upper
        && ctx.word(k + 1).len() == 2
    {
        return Some(k + 1); // "1015 CJ"
    }
    if digits(w, 3..=3)
        && let Some(n) = next
        && digits(ctx.word(k + 1), 2..=2)
        && n.kind == Kind::Number
    {
        return Some(k + 1); // "114 55"
    }
    digits(w, 4..=6).then_some(k)
}

pub(super) fn uk_outward(w: &str) -> bool {
    let b = w.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    (1..=2).contains(&letters)
        && b.len() > letters
        && b[letters].is_ascii_digit()
        && b.len() - letters <= 2
        && b[letters + 1..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The second half of an Irish Eircode ("T12 XY34", "D6W 1234"): four letters and digits
/// after a routing key of a letter and two characters.
pub(super) fn eircode_unique(routing: &str, w: &str) -> bool {
    routing.len() == 3
        && w.len() == 4
        && w.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && w.bytes().any(|b| b.is_ascii_uppercase())
}

pub(super) fn uk_inward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

pub(super) fn ca_outward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_uppercase()
}

pub(super) fn ca_inward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_digit()
}

/// "C.P. 06000", "CP 06000": the label Mexico and other Spanish-speaking countries write
/// before a postcode. Returns the postcode's last token.
pub(super) fn labelled_postcode(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let code = match ctx.word(j) {
        "C." if ctx.word(j + 1) == "P." && ctx.tok(j + 1).gap == Gap::None => j + 2,
        "CP" => j + 1,
        _ => return None,
    };
    let t = ctx.get(code)?;
    if t.gap != Gap::Space || t.kind != Kind::Number {
        return None;
    }
    postcode(ctx, code)
}

/// "75002 Paris", "1015 CJ Amsterdam", "10115 Berlin": a postcode and a city after it.
/// Known cities score higher than unknown capitalised words.
pub(super) fn postcode_city(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
    let w = ctx.word(i);
    let plain = (3..=5).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    // "00-514 Warszawa", "1100-053 Lisboa": a dashed code.
    let dashed = w.contains('-') && postcode(ctx, i) == Some(i);
    if !plain && !dashed {
        return None;
    }
    let code_end = if w.len() == 3 && plain {
        // "101 Reykjavík", "100 00 Praha": three digits only before a listed city, or as the
        // first half of a code.
        postcode(ctx, i).filter(|&e| e > i).unwrap_or(i)
    } else {
        postcode(ctx, i)?
    };
    let c = ctx.get(code_end + 1)?;
    if c.gap != Gap::Space || c.kind != Kind::Cap {
        return None;
    }
    let f = ctx.flags(code_end + 1);
    if f.has(COMMON | NOT_NAME | TEMPORAL | ORG) && f.city() == 0 {
        return None;
    }
    let mut city_end = city_words(ctx, code_end + 1)?;
    // "03940 Ciudad de México": a listed city whose name has particles.
    if f.has(PLACE_PREFIX)
        && let Some(end) = listed_city_phrase(ctx, code_end + 1)
    {
        city_end = city_end.max(end);
    }
    let known =
        f.city() > 0 || f.has(PLACE_PREFIX) && ctx.phrase_flags(code_end + 1, city_end).city() > 0;
    if code_end == i && w.len() == 3 && !known {
        return None;
    }
    // "100 00 Praha 10": the city's district number.
    let city_end = match ctx.get(city_end + 1) {
        Some(t) if t.gap == Gap::Space && t.kind == Kind::Number && district(ctx, city_end + 1) => {
            city_end + 1
        }
        _ => city_end,
    };
    Some((city_end, if known { 0.8 } else { 0.55 }))
}
