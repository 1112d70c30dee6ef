//! Streets named before their house number ("Musterstraße 12", "Calle Mayor 5", "Via
//! Roma 12"), and the number words and flat numbers around that number.

use super::*;

/// Endings of one-word street names in Germanic and Nordic languages.
pub(super) const STREET_ENDINGS: &[&str] = &[
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "vegur",
    "stígur", "braut", "chaussee", "gracht", "straat", "laan", "plein", "kade", "singel", "dijk",
    "gatan", "vägen", "gränd", "torget", "gade", "vej", "veien", "gata", "vei", "katu", "tie",
    "polku", "väg", "gate", "gaten", "vegen", "stræde", "torv", "plads", "utca", "caddesi",
    "sokak", "iela", "gatve", "kaari",
];

/// "Musterstraße 12", "Keizersgracht 123", "Calle Mayor 5", "Via Roma 12", "Rua Augusta 45".
pub(super) fn street_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if let Some(last) = numbered_street(ctx, i) {
        return Some(last);
    }
    if ctx.flags(i).has(EURO_STREET)
        && numbered_name_street(ctx, i)
        && let Some(number) = numbered_name_then_number(ctx, i)
    {
        return Some(apartment_after(ctx, number));
    }
    let name_end = if ctx.flags(i).has(EURO_STREET) {
        romance_name(ctx, i)?
    } else if ctx.tok(i).kind == Kind::Cap
        && ctx
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Number && n.gap == Gap::Space)
    {
        if !has_street_ending(ctx.word(i)) {
            return None;
        }
        i
    } else if ctx.tok(i).kind == Kind::Cap
        && ctx.glued_period(i + 1)
        && ctx.word(i).len() > 4
        && ctx.word(i).to_ascii_lowercase().ends_with("str")
    {
        i + 1 // "Hauptstr. 12a"
    } else {
        typed_name(ctx, i)?
    };
    let number = house_number_after(ctx, name_end)?;
    Some(apartment_after(ctx, number))
}

pub(super) fn has_street_ending(word: &str) -> bool {
    let lower;
    let word = if word.is_ascii() {
        word
    } else {
        lower = word.to_lowercase();
        &lower
    };
    STREET_ENDINGS.iter().any(|e| {
        word.len() > e.len()
            && word.is_char_boundary(word.len() - e.len())
            && word[word.len() - e.len()..].eq_ignore_ascii_case(e)
    })
}

/// "Nevsky Prospekt 28", "Bağdat Cd. 45": capitalised words and a street type, named
/// before their house number. Returns the street type's token.
pub(super) fn typed_name(ctx: &mut Ctx, i: usize) -> Option<usize> {
    // Token kinds first: most capitalised words have no number two or three words on,
    // and need no lookup.
    let mut k = i + 1;
    let street = loop {
        let t = ctx.get(k)?;
        if k - i > 3 || t.gap != Gap::Space {
            return None;
        }
        // "Karl Johans gate 22", "Andrássy út 45": these street types stay lower-case.
        if !t.is_capitalised() && !LOWER_CASE_STREET_TYPES.contains(&ctx.word(k)) {
            return None;
        }
        let mut n = k + 1;
        if ctx.glued_period(n) {
            n += 1; // "Cd." keeps its period before the number.
        }
        if ctx.get(n).is_some_and(|t| t.kind == Kind::Number) || number_word(ctx, n).is_some() {
            break (k, n - 1);
        }
        k += 1;
    };
    let (k, last) = street;
    // "Västra Hamngatan 9": a word with a street's ending counts as its type.
    if ctx.tok(i).kind != Kind::Cap
        || !(ctx.flags(k).has(STREET) || has_street_ending(ctx.word(k)))
        || (i..k).any(|j| ctx.flags(j).has(STREET | NOT_NAME | TEMPORAL))
    {
        return None;
    }
    Some(last)
}

/// Street types written in lower case after the street's name in Norwegian, Danish,
/// Swedish, Hungarian and Czech ("Karl Johans gate", "Andrássy út", "Václavské náměstí").
pub(super) const LOWER_CASE_STREET_TYPES: &[&str] = &[
    "gate",
    "gata",
    "vei",
    "veg",
    "vej",
    "gade",
    "plass",
    "torg",
    "út",
    "utca",
    "körút",
    "tér",
    "náměstí",
    "nám",
    "třída",
];

/// After "rue"/"calle"/"via": capitalised words and lower-case particles, up to a comma,
/// a number or the end of the line.
pub(super) fn romance_name(ctx: &mut Ctx, street_word: usize) -> Option<usize> {
    let mut j = street_word + 1;
    // "ul. Marszałkowska", "Av. Paulista": the abbreviation's period.
    if ctx.glued_period(j) {
        j += 1;
    }
    let mut last = None;
    while let Some(t) = ctx.get(j) {
        if t.gap > Gap::Space || t.glued || j - street_word > STREET_WORDS {
            break;
        }
        match t.kind {
            Kind::Cap | Kind::Upper | Kind::Initial => last = Some(j),
            Kind::Lower if ctx.flags(j).has(PARTICLE) || matches!(ctx.word(j), "l" | "d") => {}
            Kind::Punct('\'' | '\u{2019}') => {}
            _ => break,
        }
        j += 1;
    }
    last
}

/// Street words of Romance and Slavic languages that English never uses, so that they
/// name a street without a house number.
pub(super) const ROMANCE_ONLY: &[&str] = &[
    "rue",
    "calle",
    "avenida",
    "rua",
    "carrer",
    "viale",
    "piazza",
    "strada",
    "travessa",
    "praça",
    "praca",
    "estrada",
    "alameda",
    "paseo",
    "camino",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "travesía",
    "travesia",
    "vicolo",
    "rodovia",
    "ulica",
    "rambla",
    "jalan",
    "jln",
    "jl",
    "lorong",
    "lrg",
    "persiaran",
    "lebuh",
    "carrera",
    "ulitsa",
    "calea",
    "bulevardul",
    "thanon",
];

/// "Calle 85 # 11-53", "Carrera 7 No. 71-21": a street named by its number, then the
/// house number after `#` or a number word (Colombia, Venezuela).
pub(super) fn numbered_street(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let n = ctx.get(i + 1)?;
    if n.kind != Kind::Number || n.gap != Gap::Space || !ctx.flags(i).has(EURO_STREET) {
        return None;
    }
    let mut k = i + 2;
    // "Calle 5A Bis": a letter or "Bis" after the street's number.
    if ctx.get(k).is_some_and(|t| {
        t.gap == Gap::Space && matches!(ctx.word(k), "A" | "B" | "C" | "Bis" | "bis")
    }) {
        k += 1;
    }
    if ctx.get(k)?.is_punct('#') {
        let h = ctx.get(k + 1)?;
        return (h.kind == Kind::Number && h.gap <= Gap::Space).then_some(k + 1);
    }
    number_word(ctx, k)
}

/// The house number after a street's name: "Calle Mayor 5", "Bağdat Cd. No:45", "Rua
/// Oscar Freire, nº 379". Returns its token.
pub(super) fn house_number_after(ctx: &mut Ctx, name_end: usize) -> Option<usize> {
    let mut k = name_end + 1;
    if ctx.get(k)?.is_punct(',') {
        k += 1;
        // "Av. Paulista, 1578": Brazil writes the number after a comma.
        let street_word = street_word_of(ctx, name_end);
        if ctx.flags(street_word).has(EURO_STREET)
            && ctx.get(k).is_some_and(|n| {
                n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k))
            })
            && !ctx
                .get(k + 1)
                .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
        {
            return Some(k);
        }
        return number_word(ctx, k);
    }
    let n = ctx.get(k)?;
    if n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k)) {
        return Some(k);
    }
    number_word(ctx, k)
}

/// The first word of the street whose name ends at `name_end`: the Romance street word
/// for "Av. Paulista", found within the street's few words.
pub(super) fn street_word_of(ctx: &mut Ctx, name_end: usize) -> usize {
    let from = name_end.saturating_sub(STREET_WORDS);
    (from..=name_end)
        .find(|&k| ctx.tok(k).is_word() && ctx.flags(k).has(EURO_STREET))
        .unwrap_or(name_end)
}

/// "No. 45", "Nr. 5", "nº 379", "No:45", "N° 12": a word for "number", then a house
/// number. Returns the number's token.
pub(super) fn number_word(ctx: &mut Ctx, k: usize) -> Option<usize> {
    let t = ctx.get(k)?;
    if t.gap > Gap::Space || !t.is_word() {
        return None;
    }
    let mut n = k + 1;
    match ctx.word(k) {
        "No" | "no" | "NO" | "Nº" | "nº" | "Nr" | "nr" | "Nro" | "nro" | "Núm" | "núm" => {}
        // Russian and Ukrainian: "д. 7", "дом 7", "буд. 22".
        "д" | "дом" | "буд" => {}
        "N" | "n" if ctx.glued(n, '°') => n += 1,
        _ => return None,
    }
    if ctx
        .get(n)
        .is_some_and(|p| (p.is_punct('.') || p.is_punct(':')) && p.gap == Gap::None)
    {
        n += 1;
    }
    let num = ctx.get(n)?;
    (num.kind == Kind::Number && num.gap <= Gap::Space && is_house_number(ctx.word(n))).then_some(n)
}

/// "Mannerheimintie 12 B 7", "Hauptstraße 12 b", "Marszałkowska 84/92 m. 15": a staircase
/// letter or a flat number right after the house number. Returns the last token.
pub(super) fn apartment_after(ctx: &mut Ctx, number: usize) -> usize {
    let turkish = floor_and_flat(ctx, number);
    if turkish > number {
        return turkish;
    }
    let mut last = number;
    let spaced = |ctx: &Ctx, k: usize| ctx.get(k).is_some_and(|t| t.gap == Gap::Space);
    // "m. 15", "lok. 3", "kv. 5": a flat word and its number.
    if matches!(
        ctx.word(last + 1),
        "m" | "lok" | "kv" | "apt" | "apto" | "dep"
    ) && spaced(ctx, last + 1)
        && ctx.glued_period(last + 2)
        && ctx
            .get(last + 3)
            .is_some_and(|n| n.kind == Kind::Number && n.gap == Gap::Space)
    {
        return last + 3;
    }
    let abbreviation = ctx.glued_period(last + 2);
    if spaced(ctx, last + 1) && ctx.word(last + 1).len() == 1 && !abbreviation {
        let t = ctx.tok(last + 1);
        if matches!(t.kind, Kind::Initial | Kind::Upper | Kind::Lower)
            && ctx.word(last + 1).bytes().all(|b| b.is_ascii_alphabetic())
        {
            last += 1;
        }
    }
    if last > number
        && spaced(ctx, last + 1)
        && ctx.tok(last + 1).kind == Kind::Number
        && ctx.word(last + 1).len() <= 3
        && ctx.word(last + 1).bytes().all(|b| b.is_ascii_digit())
    {
        return last + 1; // "12 B 7"
    }
    last
}

/// A house number at token `k`, then a comma, a postcode and a city: "12, 110 00 Praha 1".
pub(super) fn number_then_postcode_city(ctx: &mut Ctx, k: usize) -> bool {
    ctx.get(k).is_some_and(|n| {
        n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k))
    }) && ctx.get(k + 1).is_some_and(|c| c.is_punct(','))
        && ctx
            .get(k + 2)
            .is_some_and(|p| p.kind == Kind::Number && p.gap == Gap::Space)
        && postcode_city(ctx, k + 2).is_some()
}
