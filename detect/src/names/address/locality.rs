//! Words for a neighbourhood, ward, village, district or city before its name or number,
//! which join an address's tail and can open one: Mexico's colonias, Brazil's bairros,
//! Spain's barrios, Vietnam's wards and districts, Indonesia's kelurahan and kecamatan,
//! Malaysia's taman, the Philippines' barangays and puroks, Thailand's tambon, amphoe,
//! khwaeng and khet, Turkey's mahalle.

use super::*;

/// Vietnamese words of two syllables: "Thành phố" (city), "Thị xã" (town), "Thị trấn"
/// (township). Returns the second syllable's token.
fn vietnamese_locality(ctx: &Ctx, j: usize) -> Option<usize> {
    let second = match ctx.word(j) {
        "Thành" => "phố",
        "Thị" if ctx.word(j + 1) == "xã" => "xã",
        "Thị" => "trấn",
        _ => return None,
    };
    (ctx.word(j + 1) == second && ctx.tok(j + 1).gap == Gap::Space).then_some(j + 1)
}

#[inline]
pub(super) fn locality_word(ctx: &Ctx, j: usize) -> bool {
    matches!(
        ctx.word(j),
        "Col"
            | "Colonia"
            | "Bairro"
            | "Barrio"
            | "Urb"
            | "Urbanización"
            | "Fracc"
            | "TP"
            | "Phường"
            | "Quận"
            | "Tỉnh"
            | "Huyện"
            | "Taman"
            | "Tmn"
            | "Kampung"
            | "Kg"
            | "Kelurahan"
            | "Kel"
            | "Kecamatan"
            | "Kec"
            | "Desa"
            | "Kabupaten"
            | "Kab"
            | "Barangay"
            | "Brgy"
            | "Bgy"
            | "Purok"
            | "Sitio"
            | "Tambon"
            | "Amphoe"
            | "Khwaeng"
            | "Khet"
            | "Moo"
            | "Mah"
            | "Mahallesi"
            | "Xã"
    )
}

/// "Col. Roma Norte", "Taman Sri Muda", "Brgy. 45", "Quận 1", "Thành phố Hồ Chí Minh": the word, then the
/// locality's name or number. Returns the last token.
pub(super) fn neighbourhood_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let j = match vietnamese_locality(ctx, j) {
        Some(second) => second,
        None if locality_word(ctx, j) => j,
        None => return None,
    };
    let k = if ctx.glued_period(j + 1) {
        j + 2
    } else {
        j + 1
    };
    let t = ctx.get(k)?;
    if t.gap != Gap::Space {
        return None;
    }
    if t.kind == Kind::Number {
        return (ctx.word(k).len() <= 4).then_some(k);
    }
    city_words(ctx, k)
}
