//! Turkey: a street after its mahalle ("Moda Mah. Bahariye Cad. No: 45"), the flat and
//! floor after the house number ("No: 12 D: 5", "Kat: 3"), and the district and province
//! joined by a slash ("Kadıköy/İstanbul").

use super::*;

/// "Moda Mah. Bahariye Cad. No: 45", "Cumhuriyet Mahallesi Gül Sokak No: 3": one to three
/// capitalised words naming the mahalle, its word, then a street read from there. Returns
/// the street's last token.
pub(super) fn mahalle(ctx: &mut Ctx, i: usize) -> Option<usize> {
    // Token kinds and text only: most capitalised words have no capitalised word after
    // them, and no mahalle word among those.
    let mut word = i + 1;
    loop {
        let t = ctx.get(word)?;
        if word > i + 3 || t.gap != Gap::Space || t.kind != Kind::Cap {
            return None;
        }
        if matches!(ctx.word(word), "Mah" | "Mahallesi" | "Mh") {
            break;
        }
        word += 1;
    }
    let street = if ctx.glued_period(word + 1) {
        word + 2
    } else {
        word + 1
    };
    if ctx.get(street)?.gap > Gap::Space || !ctx.tok(street).is_capitalised() {
        return None;
    }
    street_first(ctx, street)
}

/// "D: 5", "Kat: 3 D: 8", "Daire 4": the floor and flat after a Turkish house number.
/// Returns the last token, `number` when there are none.
pub(super) fn floor_and_flat(ctx: &Ctx, number: usize) -> usize {
    let mut last = number;
    loop {
        let k = last + 1;
        if ctx.get(k).is_none_or(|t| t.gap != Gap::Space)
            || !matches!(ctx.word(k), "D" | "Daire" | "Kat" | "K")
        {
            return last;
        }
        let mut n = k + 1;
        if ctx.glued(n, ':') || ctx.glued(n, '.') {
            n += 1;
        } else if ctx.word(k).len() == 1 {
            return last; // "No: 12 D" alone is a staircase letter.
        }
        match ctx.get(n) {
            Some(t) if t.kind == Kind::Number && t.gap <= Gap::Space => last = n,
            _ => return last,
        }
    }
}

/// "Kadıköy/İstanbul", "Fatih/İstanbul": a district and its province joined by a slash.
/// Returns the province's token.
pub(super) fn district_slash_city(ctx: &Ctx, j: usize) -> Option<usize> {
    let slash = ctx.get(j + 1)?;
    let city = ctx.get(j + 2)?;
    (ctx.tok(j).kind == Kind::Cap
        && slash.is_punct('/')
        && slash.gap == Gap::None
        && city.gap == Gap::None
        && city.kind == Kind::Cap)
        .then_some(j + 2)
}
