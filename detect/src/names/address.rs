//! Street addresses: a grammar per family of formats, then a tail of unit, city, region,
//! postcode and country parts joined by commas or line breaks.
//!
//! - number first: "12 Baker Street", "Unit 39/2362 Nicole Viaduct", "12 rue de la Paix";
//! - street first: "Musterstraße 12", "Keizersgracht 123", "Calle Mayor 5", "Via Roma 12";
//! - no street: "75002 Paris", "Southport QLD 4215", "Springfield, IL 62704".

use super::Match;
use super::context::Ctx;
use super::flags::*;
use super::place::{DIRECTIONS, LANDMARKS};
use super::tokens::{Gap, Kind};

/// Endings of one-word street names in Germanic and Nordic languages.
const STREET_ENDINGS: &[&str] = &[
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "vegur",
    "stígur", "braut", "chaussee", "gracht", "straat", "laan", "plein", "kade", "singel", "dijk",
    "gatan", "vägen", "gränd", "torget", "gade", "vej", "veien", "gata", "vei", "katu", "tie",
    "polku", "väg", "gate", "gaten", "vegen", "stræde", "torv", "plads", "utca", "caddesi",
    "sokak", "iela", "gatve", "kaari",
];
const STREET_WORDS: usize = 5;
const CITY_WORDS: usize = 3;

pub(crate) fn at(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let t = ctx.tok(i);
    if t.kind == Kind::Cjk {
        return cjk(ctx, i).map(|last| Match::new(i, last, 0.8));
    }
    // "150-0002 東京都渋谷区…": a Japanese postcode before a CJK address.
    if t.kind == Kind::Number
        && jp_postcode(ctx.word(i))
        && let Some(n) = ctx.get(i + 1)
        && n.kind == Kind::Cjk
        && n.gap <= Gap::Space
        && let Some(last) = cjk(ctx, i + 1)
    {
        return Some(Match::new(i, last, 0.85));
    }
    // "left it at No. 22": a house number alone, after a word that places it.
    if t.kind == Kind::Cap
        && let Some(num) = number_word(ctx, i)
        && ctx.place_cue_before(i)
    {
        let last = tail(ctx, num);
        return Some(Match::new(i, last, 0.6));
    }
    if let Some(end) = po_box(ctx, i) {
        let last = tail(ctx, end);
        return Some(Match::new(i, last, if last > end { 0.9 } else { 0.75 }));
    }
    let street_end = match t.kind {
        Kind::Number => number_first(ctx, i).or_else(|| floor_first(ctx, i)),
        Kind::Cap | Kind::Lower if ctx.flags(i).has(UNIT) => unit_first(ctx, i),
        Kind::Cap | Kind::Lower => street_first(ctx, i),
        _ => None,
    };
    if let Some(end) = street_end {
        let last = tail(ctx, end);
        let score = if last > end { 0.9 } else { 0.8 };
        return Some(Match::new(i, last, score));
    }
    // "on Rua das Flores", "Calle Mayor, Madrid": a street word no English sentence uses
    // names a street even without its house number.
    if t.kind == Kind::Cap
        && ctx.flags(i).has(EURO_STREET)
        && ROMANCE_ONLY
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ctx.word(i)))
        && let Some(end) = romance_name(ctx, i)
    {
        let last = tail(ctx, end);
        return Some(Match::new(i, last, if last > end { 0.85 } else { 0.7 }));
    }
    // A street type the lists do not know: a house number and capitalised words are an
    // address when a region code or postcode follows ("12 Hopkins Sound, Glenelg SA 5045").
    let numbered_from = match t.kind {
        Kind::Number => Some(i),
        Kind::Cap | Kind::Lower if ctx.flags(i).has(UNIT) => after_unit(ctx, i),
        _ => None,
    };
    if let Some(n) = numbered_from
        && let Some(end) = number_words(ctx, n)
    {
        let last = tail(ctx, end);
        if (end + 1..=last).any(|k| {
            let t = ctx.tok(k);
            t.kind == Kind::Number || ctx.region_code(k)
        }) {
            return Some(Match::new(i, last, 0.75));
        }
    }
    // "Am Mühlbach 3, 83646 Bad Tölz", "An der Alster 12, 20099 Hamburg": a German street
    // named by a preposition, when its postcode and town follow.
    if t.kind == Kind::Cap
        && matches!(
            ctx.word(i),
            "Am" | "Im" | "An" | "Auf" | "Zum" | "Zur" | "Unter" | "Hinter" | "Vor" | "Beim"
        )
    {
        let name = if matches!(ctx.word(i + 1), "der" | "dem" | "den" | "die") {
            i + 2
        } else {
            i + 1
        };
        if ctx
            .get(name)
            .is_some_and(|n| n.gap == Gap::Space && n.kind == Kind::Cap)
            && number_then_postcode_city(ctx, name + 1)
        {
            return Some(Match::new(i, tail(ctx, name + 1), 0.8));
        }
    }
    // "Karlova 12, 110 00 Praha 1", "Vinohradská 1511/230, 120 00 Praha": a street named
    // in no list before its number, when a postcode and city follow after a comma.
    if t.kind == Kind::Cap
        && number_then_postcode_city(ctx, i + 1)
        && !ctx.flags(i).has(COMMON | NOT_NAME | TEMPORAL | ORG)
    {
        return Some(Match::new(i, tail(ctx, i + 1), 0.75));
    }
    // "Go to Nowy Świat 22, Warsaw": an unlisted street of one or two words before its
    // number, after a place cue and before a listed city.
    if t.kind == Kind::Cap
        && ctx.place_cue_before(i)
        && let Some(number) = (i + 1..=i + 2).find(|&k| {
            ctx.get(k).is_some_and(|n| {
                n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k))
            })
        })
        && (i..number).all(|k| {
            ctx.tok(k).is_capitalised()
                && (k == i || ctx.tok(k).gap == Gap::Space)
                && !ctx.flags(k).has(COMMON | NOT_NAME | TEMPORAL | ORG | UNIT)
        })
        && ctx.get(number + 1).is_some_and(|c| c.is_punct(','))
        && ctx
            .get(number + 2)
            .is_some_and(|c| c.gap == Gap::Space && c.is_capitalised())
        && ctx.flags(number + 2).city() > 0
    {
        return Some(Match::new(i, tail(ctx, number), 0.75));
    }
    // "Plot 9, Sector 18, Gurugram, Haryana 122015": units without a street, then a tail
    // that ends in a region or a postcode.
    if matches!(t.kind, Kind::Cap | Kind::Lower)
        && ctx.flags(i).has(UNIT)
        && let Some(units_end) = units(ctx, i)
    {
        let last = tail(ctx, units_end);
        if (units_end + 1..=last).any(|k| {
            let t = ctx.tok(k);
            t.kind == Kind::Number && k > units_end + 2
                || ctx.region_code(k)
                || t.is_capitalised() && ctx.flags(k).has(REGION | COUNTRY)
        }) {
            return Some(Match::new(i, last, 0.75));
        }
    }
    if t.kind == Kind::Cap
        && let Some(last) = neighbourhood_then_city(ctx, i)
    {
        return Some(Match::new(i, last, 0.75));
    }
    // No street: a postcode with a city, or a city with a region code and postcode.
    let (last, score) = match t.kind {
        Kind::Number => postcode_city(ctx, i)?,
        Kind::Cap => city_region_postcode(ctx, i).or_else(|| named_street(ctx, i))?,
        _ => return None,
    };
    let last = tail(ctx, last).max(last);
    Some(Match::new(i, last, score))
}

/// Characters that end an administrative or street part of a Chinese or Japanese address.
const HAN_ADDRESS_PARTS: &str = "都道府県市区區町村郡省州路街号號丁目番地巷弄";
/// Hangul syllables that end a part of a Korean address (시 city, 구 district, 로/길 road…).
const HANGUL_ADDRESS_PARTS: &str = "시도구군동로길읍면리";

fn jp_postcode(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 8 && b[3] == b'-' && b[..3].iter().chain(&b[4..]).all(u8::is_ascii_digit)
}

/// "東京都渋谷区渋谷2-21-1", "서울특별시 강남구 테헤란로 152", "北京市朝阳区建国路88号": a run of
/// CJK words and numbers on one line with at least two address parts and a number, or
/// three parts. Returns the last token. Ordinary prose has such characters too ("知道",
/// "城市"), rarely two of them with a house number.
fn cjk(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut parts = 0;
    let mut numbered = false;
    let mut last = i;
    let mut k = i;
    while let Some(t) = ctx.get(k) {
        if k > i && t.gap > Gap::Space {
            break;
        }
        match t.kind {
            Kind::Cjk => {
                let w = ctx.word(k);
                let mut here = w.chars().filter(|c| HAN_ADDRESS_PARTS.contains(*c)).count();
                if w.chars()
                    .last()
                    .is_some_and(|c| HANGUL_ADDRESS_PARTS.contains(c))
                    && w.chars().count() >= 2
                {
                    here += 1;
                }
                // An address starts with a part ("주소는 서울특별시…" starts at 서울특별시), and
                // after the house number only a part ("号") continues it.
                if here == 0 && (k == i || numbered) {
                    break;
                }
                parts += here;
                last = k;
            }
            Kind::Number => {
                numbered = true;
                last = k;
            }
            Kind::Punct('-' | '\u{2010}' | '\u{2212}' | '\u{30FC}') if k > i => {}
            _ => break,
        }
        k += 1;
    }
    (k > i && (parts >= 3 || parts >= 2 && numbered)).then_some(last)
}

/// "Unit 39/2362 Nicole Viaduct", "Apt 4B, 22 Main St", "Flat 3, 22 Baker Street".
fn unit_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
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
        Kind::Cap => street_first(ctx, j).or_else(|| comma.then(|| building(ctx, j)).flatten()),
        _ => None,
    }
}

/// "5th Floor, 1 Raffles Place": an ordinal floor, then the street after a comma.
fn floor_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if !is_ordinal(ctx.word(i)) || !ctx.get(i + 1)?.is_word() || !ctx.flags(i + 1).has(UNIT) {
        return None;
    }
    if !ctx.get(i + 2)?.is_punct(',') || ctx.get(i + 3)?.kind != Kind::Number {
        return None;
    }
    number_first(ctx, i + 3)
}

/// "Apartment 12, 45 Kingsway": the token after a unit and its number, when a number
/// follows.
fn after_unit(ctx: &mut Ctx, i: usize) -> Option<usize> {
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

/// "P.O. Box 1234", "GPO Box 77", "Postfach 10 01 23", "Apartado Postal 245", "Locked Bag
/// 5": a post office box stands in for the street. Returns the box number's last token.
fn po_box(ctx: &mut Ctx, i: usize) -> Option<usize> {
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

fn is_house_number(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    (1..=5).contains(&digits)
        && word[digits..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-')
        && word[digits..]
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .count()
            <= 2
}

/// A house number, then street words ending in a street type ("Baker Street"), or a
/// Romance street word and its name ("rue de la Paix"). Returns the street's last token.
fn number_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
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
        return romance_name(ctx, j);
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
    Some(directional(ctx, end))
}

fn is_ordinal(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "st" | "nd" | "rd" | "th")
}

fn next_is_capitalised(ctx: &Ctx, j: usize) -> bool {
    ctx.get(j + 1)
        .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
}

/// "County Mayo", "Co. Cork" from token `k`: an Irish county, its word before its name.
/// Returns the name's token.
pub(crate) fn irish_county(ctx: &Ctx, k: usize) -> Option<usize> {
    let name = match ctx.word(k) {
        "County" => k + 1,
        "Co" if ctx.glued_period(k + 1) => k + 2,
        _ => return None,
    };
    let t = ctx.get(name)?;
    (t.gap == Gap::Space && t.kind == Kind::Cap).then_some(name)
}

/// A house number at token `k`, then a comma, a postcode and a city: "12, 110 00 Praha 1".
fn number_then_postcode_city(ctx: &mut Ctx, k: usize) -> bool {
    ctx.get(k).is_some_and(|n| {
        n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k))
    }) && ctx.get(k + 1).is_some_and(|c| c.is_punct(','))
        && ctx
            .get(k + 2)
            .is_some_and(|p| p.kind == Kind::Number && p.gap == Gap::Space)
        && postcode_city(ctx, k + 2).is_some()
}

/// A house number and one to four capitalised words after it.
fn number_words(ctx: &mut Ctx, i: usize) -> Option<usize> {
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
fn directional(ctx: &mut Ctx, end: usize) -> usize {
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

/// After "rue"/"calle"/"via": capitalised words and lower-case particles, up to a comma,
/// a number or the end of the line.
fn romance_name(ctx: &mut Ctx, street_word: usize) -> Option<usize> {
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

fn has_street_ending(word: &str) -> bool {
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

/// "Musterstraße 12", "Keizersgracht 123", "Calle Mayor 5", "Via Roma 12", "Rua Augusta 45".
fn street_first(ctx: &mut Ctx, i: usize) -> Option<usize> {
    if let Some(last) = numbered_street(ctx, i) {
        return Some(last);
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

/// "Mannerheimintie 12 B 7", "Hauptstraße 12 b", "Marszałkowska 84/92 m. 15": a staircase
/// letter or a flat number right after the house number. Returns the last token.
fn apartment_after(ctx: &mut Ctx, number: usize) -> usize {
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

/// "Calle 85 # 11-53", "Carrera 7 No. 71-21": a street named by its number, then the
/// house number after `#` or a number word (Colombia, Venezuela).
fn numbered_street(ctx: &mut Ctx, i: usize) -> Option<usize> {
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
fn house_number_after(ctx: &mut Ctx, name_end: usize) -> Option<usize> {
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
fn street_word_of(ctx: &mut Ctx, name_end: usize) -> usize {
    let from = name_end.saturating_sub(STREET_WORDS);
    (from..=name_end)
        .find(|&k| ctx.tok(k).is_word() && ctx.flags(k).has(EURO_STREET))
        .unwrap_or(name_end)
}

/// "No. 45", "Nr. 5", "nº 379", "No:45", "N° 12": a word for "number", then a house
/// number. Returns the number's token.
fn number_word(ctx: &mut Ctx, k: usize) -> Option<usize> {
    let t = ctx.get(k)?;
    if t.gap > Gap::Space || !t.is_word() {
        return None;
    }
    let mut n = k + 1;
    match ctx.word(k) {
        "No" | "no" | "NO" | "Nº" | "nº" | "Nr" | "nr" | "Nro" | "nro" | "Núm" | "núm" => {}
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

/// "Nevsky Prospekt 28", "Bağdat Cd. 45": capitalised words and a street type, named
/// before their house number. Returns the street type's token.
fn typed_name(ctx: &mut Ctx, i: usize) -> Option<usize> {
    // Token kinds first: most capitalised words have no number two or three words on,
    // and need no lookup.
    let mut k = i + 1;
    let street = loop {
        let t = ctx.get(k)?;
        if k - i > 3 || t.gap != Gap::Space {
            return None;
        }
        // "Karl Johans gate 22", "Bredgade vej 4": Nordic street types stay lower-case.
        if !t.is_capitalised() && !NORDIC_STREET_TYPES.contains(&ctx.word(k)) {
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

/// Street types written in lower case after the street's name in Norwegian, Danish and
/// Swedish ("Karl Johans gate").
const NORDIC_STREET_TYPES: &[&str] =
    &["gate", "gata", "vei", "veg", "vej", "gade", "plass", "torg"];

/// Street words of Romance and Slavic languages that English never uses, so that they
/// name a street without a house number.
const ROMANCE_ONLY: &[&str] = &[
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
    "lorong",
    "carrera",
    "ulitsa",
    "calea",
    "bulevardul",
    "thanon",
];

/// Extends an address over its comma- or line-separated parts: a unit, a postcode and
/// city, a city with region and postcode, a country.
fn tail(ctx: &mut Ctx, end: usize) -> usize {
    let mut last = end;
    for _ in 0..6 {
        let mut j = last + 1;
        // "123 Main St., Suite 400": an abbreviation's period before the comma.
        if ctx.glued_period(j) && ctx.get(j + 1).is_some_and(|c| c.is_punct(',')) {
            j += 1;
        }
        let Some(t) = ctx.get(j) else { break };
        if t.is_punct(',') {
            j += 1;
        } else if (t.is_punct('-') || t.is_punct('\u{2013}'))
            && t.gap == Gap::Space
            && ctx.get(j + 1).is_some_and(|r| r.gap == Gap::Space)
            && ctx.region_code(j + 1)
        {
            // "São Paulo - SP": a region code after a spaced dash.
            j += 1;
        } else if t.is_punct('-')
            && t.gap == Gap::Space
            && ctx
                .get(j + 1)
                .is_some_and(|r| r.gap == Gap::Space && r.kind == Kind::Cap)
            && ctx.tok(last).kind == Kind::Number
        {
            // "1578 - Bela Vista": a neighbourhood after the house number.
            j += 1;
        } else if t.gap == Gap::Space || t.gap == Gap::Line {
            // The part follows after a space or on the next line.
        } else {
            break;
        }
        let Some(part) = ctx.get(j) else { break };
        if part.gap >= Gap::Paragraph {
            break;
        }
        // On the next line without a comma, only a part that cannot be a label or the
        // start of a sentence continues the address.
        let new_line = !t.is_punct(',') && t.gap == Gap::Line;
        let next = match part.kind {
            Kind::Cap | Kind::Lower if ctx.flags(j).has(UNIT) => unit_part(ctx, j),
            // "789 Pine St #402": a unit's number after `#`.
            Kind::Punct('#') if !t.is_punct(',') && !new_line => ctx
                .get(j + 1)
                .is_some_and(|n| n.kind == Kind::Number && n.gap == Gap::None)
                .then_some(j + 1),
            Kind::Number => postcode_city(ctx, j)
                .map(|(l, _)| l)
                .or_else(|| postcode(ctx, j))
                .or_else(|| floor_part(ctx, j))
                .or_else(|| number_first(ctx, j)),
            Kind::Cap | Kind::Upper => street_first(ctx, j)
                .or_else(|| (!new_line).then(|| building(ctx, j)).flatten())
                .or_else(|| neighbourhood_part(ctx, j))
                .or_else(|| {
                    city_part(ctx, j)
                        .filter(|&(_, strong)| strong || !new_line)
                        .map(|(l, _)| l)
                }),
            _ => None,
        };
        match next {
            Some(l) => last = l,
            None => break,
        }
    }
    last
}

/// "Col. Roma Norte", "Bairro Jardim América", "TP. Hồ Chí Minh": a word for a
/// neighbourhood, district or city and its name (Mexico's colonias, Brazil's bairros,
/// Spain's barrios and urbanizaciones, Vietnam's wards, districts, provinces and cities).
fn neighbourhood_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
    if !matches!(
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
            | "Tỉnh"
            | "Huyện"
    ) {
        return None;
    }
    let k = if ctx.glued_period(j + 1) {
        j + 2
    } else {
        j + 1
    };
    if ctx.get(k)?.gap != Gap::Space {
        return None;
    }
    city_words(ctx, k)
}

/// "Suite 400", "Whg. 12", "Block C", "Apt #5": a unit word and its number or letter.
fn unit_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let mut k = j + 1;
    if ctx.glued_period(k) {
        k += 1;
    }
    if ctx.get(k)?.is_punct('#') {
        k += 1;
    }
    let t = ctx.get(k)?;
    let letter = matches!(t.kind, Kind::Initial | Kind::Upper) && ctx.word(k).len() == 1;
    (t.gap <= Gap::Space && (t.kind == Kind::Number || letter)).then_some(k)
}

/// "Plot 9, Sector 18": a unit and its number, and more after commas. Returns the last
/// unit's number.
fn units(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut end = unit_part(ctx, i)?;
    while ctx.get(end + 1).is_some_and(|t| t.is_punct(','))
        && ctx
            .get(end + 2)
            .is_some_and(|t| t.is_word() && t.gap == Gap::Space)
        && ctx.flags(end + 2).has(UNIT)
        && let Some(next) = unit_part(ctx, end + 2)
    {
        end = next;
    }
    Some(end)
}

/// "2º izq.", "3ª B", "12/F": a floor, with the side or door after it.
fn floor_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let w = ctx.word(j);
    // "4th Block", "2nd Floor", "3rd Stage".
    if is_ordinal(w)
        && ctx
            .get(j + 1)
            .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Cap)
        && (BUILDINGS.contains(&ctx.word(j + 1))
            || matches!(
                ctx.word(j + 1),
                "Floor" | "Stage" | "Phase" | "Cross" | "Main"
            ))
    {
        return Some(j + 1);
    }
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    // "3. OG links", "2. Stock": a German floor, with the side after it.
    if (1..=2).contains(&digits)
        && digits == w.len()
        && ctx.glued_period(j + 1)
        && ctx.get(j + 2).is_some_and(|t| t.gap == Gap::Space)
        && matches!(
            ctx.word(j + 2),
            "OG" | "EG" | "DG" | "UG" | "Stock" | "Etage"
        )
    {
        let side = ctx.get(j + 3).is_some_and(|t| t.gap == Gap::Space)
            && matches!(ctx.word(j + 3), "links" | "rechts" | "Mitte" | "li" | "re");
        return Some(j + 2 + usize::from(side));
    }
    let mark = &w[digits..];
    // "3ºB": the door's letter written onto the floor.
    let door = mark.len() > 1
        && mark.is_char_boundary(mark.len() - 1)
        && mark.as_bytes()[mark.len() - 1].is_ascii_uppercase()
        && matches!(&mark[..mark.len() - 1], "º" | "ª" | "°");
    let ordinal = digits > 0 && digits <= 2 && (matches!(mark, "º" | "ª" | "°" | "/F") || door);
    if !ordinal {
        return None;
    }
    if door {
        return Some(j);
    }
    let mut last = j;
    if let Some(t) = ctx.get(j + 1)
        && t.gap == Gap::Space
        && (t.kind == Kind::Lower && ctx.word(j + 1).len() <= 4
            || matches!(t.kind, Kind::Initial | Kind::Upper) && ctx.word(j + 1).len() == 1)
    {
        last = j + 1;
        if ctx.glued_period(j + 2) {
            last = j + 2;
        }
    }
    Some(last)
}

/// Words that end the name of a building or an estate ("Marina Heights", "Shanti
/// Apartments", "Riverside Industrial Estate"), besides street types.
const BUILDINGS: &[&str] = &[
    "Apartments",
    "Towers",
    "Tower",
    "Residency",
    "Residences",
    "House",
    "Mansions",
    "Complex",
    "Building",
    "Centre",
    "Center",
    "Villas",
    "Block",
    "Chambers",
    "Hall",
    "Estate",
    "Area",
    "Zone",
    "Sector",
    "Colony",
    "Nagar",
    "Layout",
];

/// "Oakwood Court", "Marina Heights", "Admiralty Way": one to three capitalised words
/// ending in a street type or a building word. Returns the last token.
fn building(ctx: &mut Ctx, j: usize) -> Option<usize> {
    for k in j..(j + 4).min(ctx.len()) {
        let t = ctx.tok(k);
        if !t.is_capitalised() || t.glued || k > j && t.gap != Gap::Space {
            return None;
        }
        if k > j && (ctx.flags(k).has(STREET) || BUILDINGS.contains(&ctx.word(k))) {
            return Some(k);
        }
        if ctx.flags(k).has(NOT_NAME | TEMPORAL) {
            return None;
        }
    }
    None
}

/// A city (capitalised words, known or not), then an optional region or region code and
/// postcode: "Southport QLD 4215", "Ambershire, CO 43226", "London NW1 6XE", "Norway".
/// Also says whether the part is surely a place: known, or with a region or postcode.
fn city_part(ctx: &mut Ctx, j: usize) -> Option<(usize, bool)> {
    // "Co. Dublin": Ireland's county before its name.
    if ctx.word(j) == "Co"
        && let Some(last) = irish_county(ctx, j)
    {
        return Some((postcode_after(ctx, last).unwrap_or(last), true));
    }
    // "Rio de Janeiro": a listed city whose name has particles.
    if ctx.flags(j).has(PLACE_PREFIX)
        && let Some(last) = listed_city_phrase(ctx, j)
    {
        return Some((region_postcode(ctx, last).unwrap_or(last), true));
    }
    let f = ctx.flags(j);
    if f.has(COUNTRY | REGION) {
        let last = place_words(ctx, j);
        return Some((region_postcode(ctx, last).unwrap_or(last), true));
    }
    if ctx.tok(j).kind == Kind::Upper && f.has(REGION_CODE) {
        return Some((postcode_after(ctx, j).unwrap_or(j), true));
    }
    let city_end = city_words(ctx, j)?;
    let known = f.city() > 0
        || city_end > j && f.has(PLACE_PREFIX) && ctx.phrase_flags(j, city_end).is_place()
        || city_end == j + 1 && DIRECTIONS.contains(&ctx.word(j)) && ctx.flags(j + 1).city() > 0;
    let mut last = city_end;
    let mut k = city_end + 1;
    if ctx.get(k).is_some_and(|t| t.is_punct(',')) {
        k += 1;
    }
    if let Some(t) = ctx.get(k)
        && t.gap <= Gap::Space
    {
        if ctx.region_code(k) {
            last = postcode_after(ctx, k).unwrap_or(k);
        } else if t.kind == Kind::Number
            && let Some(p) = postcode(ctx, k)
        {
            last = p;
        } else if t.kind == Kind::Number && k == city_end + 1 && district(ctx, k) {
            last = k; // "Dublin 4", "Lekki Phase 1"
        }
    }
    if last > city_end || known {
        return Some((last, true));
    }
    // An unknown word followed by a label or by more of a sentence is not a city.
    match ctx.get(city_end + 1) {
        Some(n) if n.is_punct(':') || n.gap <= Gap::Space && n.kind == Kind::Lower => None,
        _ => Some((last, false)),
    }
}

/// "Rosebank, Johannesburg 2196", "Banjara Hills, Hyderabad 500034", "Shanti Apartments,
/// Andheri West, Mumbai 400053": a building, or one or two capitalised words that name no
/// person, before a listed city and a postcode, region or country that surely end an
/// address. Returns the last token.
fn neighbourhood_then_city(ctx: &mut Ctx, i: usize) -> Option<usize> {
    // Read on every capitalised word that no other rule took: the comma after at most
    // three words is checked first, without a lookup.
    if !(i + 1..=i + 3).any(|k| ctx.glued(k, ',')) {
        return None;
    }
    let (words_end, named_part) = match building(ctx, i) {
        Some(end) => (end, true),
        None => {
            let end = city_words(ctx, i)?;
            let w = ctx.word(end);
            (end, DIRECTIONS.contains(&w) || LANDMARKS.contains(&w))
        }
    };
    if words_end > i + 2 || !ctx.glued(words_end + 1, ',') {
        return None;
    }
    // "Gwen Probert, Flat 3, …": the words end a name that starts before them.
    if i > 0 && ctx.tok(i - 1).is_capitalised() && ctx.tok(i).gap == Gap::Space {
        return None;
    }
    let personal = (i..=words_end).any(|k| {
        let f = ctx.flags(k);
        f.given() >= 1 || f.surname() >= 2 || f.has(COMMON | UNIT | STREET)
    });
    if personal && !named_part {
        return None;
    }
    let last = tail(ctx, words_end);
    let city = (words_end + 2..=last)
        .find(|&k| ctx.tok(k).kind == Kind::Cap && ctx.flags(k).city() > 0)?;
    let ended = (city + 1..=last).any(|k| {
        let t = ctx.tok(k);
        t.kind == Kind::Number || t.is_word() && ctx.flags(k).has(REGION | COUNTRY | REGION_CODE)
    });
    // "lives in Kadıköy, Istanbul", "grew up in Vinohrady, Prague": after a place cue, a
    // city of 100,000 or more right after the comma is end enough.
    let cued = city == words_end + 2 && ctx.flags(city).city() >= 2 && ctx.place_cue_before(i);
    (ended || cued).then_some(last)
}

/// A district's number after its city: one or two digits ending the part.
fn district(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.word(k);
    (1..=2).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_digit())
        && ctx.get(k + 1).is_none_or(|n| {
            n.gap >= Gap::Line || n.is_punct(',') || n.is_punct('.') || n.is_punct(';')
        })
}

/// Labels of the contact details that often follow an address on its line.
const CONTACT_LABELS: &[&str] = &[
    "Tel",
    "Phone",
    "Fax",
    "Mobile",
    "Mob",
    "Cell",
    "Email",
    "E",
    "Mobil",
    "Telefon",
    "Tlf",
    "Handy",
    "Tél",
    "Telefone",
    "Teléfono",
    "Celular",
];

/// Capitalised words of a city; none of them a word that cannot be part of a place.
fn city_words(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let mut last = None;
    let mut k = j;
    while let Some(t) = ctx.get(k) {
        if k - j == CITY_WORDS || (k > j && t.gap != Gap::Space) || t.glued {
            break;
        }
        if !t.is_capitalised() || ctx.flags(k).has(NOT_NAME | TEMPORAL | ORG | STREET) && k > j {
            break;
        }
        if ctx.flags(k).has(TEMPORAL | ORG) || CONTACT_LABELS.contains(&ctx.word(k)) {
            return None;
        }
        last = Some(k);
        k += 1;
    }
    last
}

/// The last word of the longest listed city of two to four words from `j`, lower-case
/// particles included ("Rio de Janeiro", "Ciudad de México").
fn listed_city_phrase(ctx: &mut Ctx, j: usize) -> Option<usize> {
    for k in (j + 1..(j + 4).min(ctx.len())).rev() {
        if (j + 1..=k).all(|m| ctx.tok(m).gap == Gap::Space && ctx.tok(m).is_word())
            && ctx.tok(k).is_capitalised()
            && ctx.phrase_flags(j, k).city() > 0
        {
            return Some(k);
        }
    }
    None
}

fn place_words(ctx: &mut Ctx, j: usize) -> usize {
    let mut last = j;
    if !ctx.flags(j).has(PLACE_PREFIX) {
        return last;
    }
    for k in (j + 1..(j + 4).min(ctx.len())).rev() {
        if (j + 1..=k).all(|m| ctx.tok(m).gap == Gap::Space && ctx.tok(m).is_word())
            && ctx.phrase_flags(j, k).has(COUNTRY | REGION)
        {
            last = k;
            break;
        }
    }
    last
}

/// "Karnataka 560001", "California 94103": the postcode after a region named in full;
/// five digits or more, so that a year after it ("Texas 2019") is not taken.
pub(crate) fn region_postcode(ctx: &mut Ctx, region: usize) -> Option<usize> {
    postcode_after(ctx, region).filter(|&p| p > region + 1 || ctx.word(p).len() >= 5)
}

fn postcode_after(ctx: &mut Ctx, k: usize) -> Option<usize> {
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

fn uk_outward(w: &str) -> bool {
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
fn eircode_unique(routing: &str, w: &str) -> bool {
    routing.len() == 3
        && w.len() == 4
        && w.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && w.bytes().any(|b| b.is_ascii_uppercase())
}

fn uk_inward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

fn ca_outward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_uppercase()
}

fn ca_inward(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_digit()
}

/// "75002 Paris", "1015 CJ Amsterdam", "10115 Berlin": a postcode and a city after it.
/// Known cities score higher than unknown capitalised words.
fn postcode_city(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
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
    "Straße",
    "Strasse",
    "Allee",
    "Gasse",
    "Chaussee",
];

/// Abbreviated street types, and types that are also common words, which name a street
/// without a number only after a place cue ("on Westheimer Rd", "at Orchard Close").
const STREET_ABBREVIATIONS: &[&str] = &[
    "St", "Rd", "Ave", "Blvd", "Ln", "Dr", "Cres", "Tce", "Close", "Grove", "Way", "Walk", "Row",
    "Rise", "Mews", "Green", "Vale", "View", "Parade", "Court", "Place", "Square", "Hill", "Chase",
    "Wynd",
];

/// "Kingsland Road", "on Main Street": one to three capitalised words and a street type,
/// not followed by more of a name ("Main Street Bank"). The words before the type may be
/// anything a street is named after ("Station Road", "Church Lane", "Dale Street").
fn named_street(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
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
            let named = ctx
                .get(end + 1)
                .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised());
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
fn city_region_postcode(ctx: &mut Ctx, i: usize) -> Option<(usize, f32)> {
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

/// Words that end the name of a house or farm before its street ("Rose Cottage", "The Old
/// Schoolhouse", "Hillside Farm").
const HOUSE_NAMES: &[&str] = &[
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
const PLACE_NAME_OPENERS: &[&str] = &[
    "Rancho", "Hacienda", "Finca", "Quinta", "Lieu", "Lieu-dit", "Villa", "Casa", "Masseria",
    "Cortijo",
];
const PREFIX_WORDS: usize = 5;

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
                || prev.kind == Kind::Lower && ctx.flags(start - 1).has(PARTICLE);
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

fn part_before_street(ctx: &mut Ctx, start: usize, end: usize) -> bool {
    let first_word = ctx.word(start);
    let last_word = ctx.word(end);
    // "302-1104", "B-204", "12B": a flat's number alone.
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
