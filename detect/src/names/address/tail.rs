//! The parts after a street, joined by commas or line breaks: units, floors, buildings,
//! neighbourhoods, cities with their region and postcode, countries.

use super::*;

/// Extends an address over its comma- or line-separated parts: a unit, a postcode and
/// city, a city with region and postcode, a country.
pub(super) fn tail(ctx: &mut Ctx, end: usize) -> usize {
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
            Kind::Cap | Kind::Lower if unit_word(ctx, j) => unit_part(ctx, j),
            // "789 Pine St #402": a unit's number after `#`.
            Kind::Punct('#') => hash_unit(ctx, j).or_else(|| {
                (!t.is_punct(',') && !new_line && {
                    ctx.get(j + 1)
                        .is_some_and(|n| n.kind == Kind::Number && n.gap == Gap::None)
                })
                .then_some(j + 1)
            }),
            Kind::Number => postcode_city(ctx, j)
                .map(|(l, _)| l)
                .or_else(|| postcode(ctx, j))
                .or_else(|| floor_part(ctx, j))
                .or_else(|| sector_code(ctx, j))
                .or_else(|| number_first(ctx, j)),
            // "Moi Avenue, P.O. Box 1234-00100", "Col. Centro, C.P. 06000".
            Kind::Initial => po_box(ctx, j).or_else(|| labelled_postcode(ctx, j)),
            Kind::Cap | Kind::Upper => rt_rw(ctx, j)
                .or_else(|| po_box(ctx, j))
                .or_else(|| labelled_postcode(ctx, j))
                .or_else(|| numbered_road(ctx, j))
                .or_else(|| district_slash_city(ctx, j))
                .or_else(|| street_first(ctx, j))
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

/// "Suite 400", "Whg. 12", "Block C", "Apt #5": a unit word and its number or letter.
pub(super) fn unit_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
    // "Plot No. 14", "Stand No. 56".
    if let Some(n) = number_word(ctx, j + 1) {
        return Some(n);
    }
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

/// A unit's word: one the lexicon knows, or one that is a unit only before a number.
#[inline]
pub(super) fn unit_word(ctx: &mut Ctx, k: usize) -> bool {
    ctx.flags(k).has(UNIT) || numbered_unit(ctx, k)
}

/// "Plot 9, Sector 18": a unit and its number, and more after commas. Returns the last
/// unit's number.
pub(super) fn units(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut end = unit_part(ctx, i)?;
    while ctx.get(end + 1).is_some_and(|t| t.is_punct(','))
        && ctx
            .get(end + 2)
            .is_some_and(|t| t.is_word() && t.gap == Gap::Space)
        && unit_word(ctx, end + 2)
        && let Some(next) = unit_part(ctx, end + 2)
    {
        end = next;
    }
    Some(end)
}

/// "2º izq.", "3ª B", "12/F": a floor, with the side or door after it.
pub(super) fn floor_part(ctx: &mut Ctx, j: usize) -> Option<usize> {
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
pub(super) const BUILDINGS: &[&str] = &[
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
pub(super) fn building(ctx: &mut Ctx, j: usize) -> Option<usize> {
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
pub(super) fn city_part(ctx: &mut Ctx, j: usize) -> Option<(usize, bool)> {
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
    // "Davao del Norte": a region whose first word is a city.
    if f.has(PLACE_PREFIX)
        && !f.has(COUNTRY | REGION)
        && let Some(last) = region_phrase(ctx, j)
    {
        return Some((region_postcode(ctx, last).unwrap_or(last), true));
    }
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

/// A district's number after its city: one or two digits ending the part.
pub(super) fn district(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.word(k);
    (1..=2).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_digit())
        && ctx.get(k + 1).is_none_or(|n| {
            n.gap >= Gap::Line || n.is_punct(',') || n.is_punct('.') || n.is_punct(';')
        })
}

/// Labels of the contact details that often follow an address on its line.
pub(super) const CONTACT_LABELS: &[&str] = &[
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
pub(super) fn city_words(ctx: &mut Ctx, j: usize) -> Option<usize> {
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
pub(super) fn listed_city_phrase(ctx: &mut Ctx, j: usize) -> Option<usize> {
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

pub(super) fn region_phrase(ctx: &mut Ctx, j: usize) -> Option<usize> {
    let last = place_words(ctx, j);
    (last > j).then_some(last)
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

/// "Rosebank, Johannesburg 2196", "Banjara Hills, Hyderabad 500034", "Shanti Apartments,
/// Andheri West, Mumbai 400053": a building, or one or two capitalised words that name no
/// person, before a listed city and a postcode, region or country that surely end an
/// address. Returns the last token.
pub(super) fn neighbourhood_then_city(ctx: &mut Ctx, i: usize) -> Option<usize> {
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
