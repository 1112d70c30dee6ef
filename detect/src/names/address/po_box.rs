//! Post office boxes, which stand in for a street.

use super::*;

/// "P.O. Box 1234", "GPO Box 77", "Postfach 10 01 23", "Apartado Postal 245", "Locked Bag
/// 5": a post office box stands in for the street. Returns the box number's last token.
pub(super) fn po_box(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let spaced = |ctx: &Ctx, k: usize| ctx.get(k).is_some_and(|t| t.gap == Gap::Space);
    fn word_at<'a>(ctx: &Ctx<'a>, k: usize) -> Option<&'a str> {
        ctx.get(k).filter(|t| t.is_word()).map(|_| ctx.word(k))
    }
    let number_from = match ctx.word(i) {
        "PO" | "Po" | "GPO"
            if spaced(ctx, i + 1) && matches!(word_at(ctx, i + 1), Some("Box" | "BOX" | "box")) =>
        {
            i + 2
        }
        "P." if ctx.get(i + 1).is_some_and(|t| t.gap == Gap::None)
            && ctx.word(i + 1) == "O."
            && spaced(ctx, i + 2)
            && matches!(word_at(ctx, i + 2), Some("Box" | "BOX" | "box")) =>
        {
            i + 3
        }
        "Locked" | "Private"
            if spaced(ctx, i + 1) && matches!(word_at(ctx, i + 1), Some("Bag" | "BAG")) =>
        {
            i + 2
        }
        "Caixa" | "Apartado" | "Casilla"
            if spaced(ctx, i + 1)
                && matches!(
                    word_at(ctx, i + 1),
                    Some("Postal" | "postal" | "Aéreo" | "aéreo")
                ) =>
        {
            i + 2
        }
        "Postfach" | "Apartado" | "Casilla" | "Postboks" | "Postbus" | "PMB" => i + 1,
        _ => return None,
    };
    let mut k = number_from;
    // "P.O. Box KA 1234": a letter code before the number.
    if ctx
        .get(k)
        .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Upper && ctx.word(k).len() <= 3)
    {
        k += 1;
    }
    let n = ctx.get(k)?;
    if n.gap != Gap::Space || n.kind != Kind::Number {
        return None;
    }
    // "Postfach 10 01 23": the number in groups.
    while ctx
        .get(k + 1)
        .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Number && t.end - t.start <= 3)
        && ctx.word(k).len() <= 3
    {
        k += 1;
    }
    Some(k)
}
