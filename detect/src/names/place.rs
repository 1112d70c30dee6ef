//! Places named alone: cities, regions and countries from the gazetteer, read with the
//! cue words before them ("flew to", "lives in", "based in").

use super::Match;
use super::context::Ctx;
use super::flags::*;
use super::lexicon::Flags;
use super::tokens::{Gap, Kind};

const CUE: f32 = 0.3;
/// A word no list knows, after a place cue: at the threshold, so that it is reported, and
/// below a person reading with a person cue.
const UNLISTED: f32 = 0.5;
const MAX_WORDS: usize = 4;

/// Words that make a place of the capitalised word after them ("Lake Como").
const PLACE_BEFORE: &[&str] = &[
    "Lake", "Mount", "Mt", "Lago", "Monte", "Loch", "Isle", "Cape",
];
/// Words that keep a place going ("Nakuru County", "Québec City").
const PLACE_AFTER: &[&str] = &[
    "County",
    "City",
    "Province",
    "Region",
    "District",
    "Prefecture",
    "Island",
    "Islands",
    "Highlands",
    "Valley",
    "State",
    "Territory",
    "Oblast",
    "Governorate",
];
/// Words before a place that keep it a place ("North Wales", "Greater Manchester").
pub(crate) const DIRECTIONS: &[&str] = &[
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Greater", "Midtown", "Downtown", "Uptown", "Upper", "Lower", "Inner", "Outer",
];
/// Nouns of a landmark or a natural feature: the capitalised words before one name a place
/// whether or not a list knows them ("Union Square", "Tatra Mountains", "Changi Airport").
pub(crate) const LANDMARKS: &[&str] = &[
    "Square",
    "Airport",
    "Station",
    "Park",
    "Bridge",
    "Mountains",
    "Hills",
    "Coast",
    "Beach",
    "Bay",
    "Harbour",
    "Harbor",
    "Pier",
    "Canyon",
    "Falls",
    "Peninsula",
    "Desert",
    "Forest",
    "Heights",
    "Wharf",
    "Quay",
    "Marina",
    "Plaza",
    "Valley",
];
const LANDMARK_WORDS: usize = 3;
/// Landmarks that nature made, which nothing else is named after.
const NATURAL_LANDMARKS: &[&str] = &[
    "Mountains",
    "Hills",
    "Canyon",
    "Falls",
    "Peninsula",
    "Desert",
    "Forest",
];

pub(crate) fn at(ctx: &mut Ctx, i: usize, after_place: Option<usize>) -> Option<Match> {
    let word = ctx.word(i);
    let next_cap = ctx
        .get(i + 1)
        .is_some_and(|t| t.gap == Gap::Space && t.is_capitalised());
    // "the River Irwell", "down to the River Dee": with "the" before it, not "River Phoenix".
    let river = word == "River" && i > 0 && matches!(ctx.word(i - 1), "the" | "The");
    if (PLACE_BEFORE.contains(&word) || river) && next_cap {
        let score = 0.6 + if ctx.place_cue_before(i) { CUE } else { 0.0 };
        return Some(Match::new(i, i + 1, score));
    }
    if DIRECTIONS.contains(&word) && next_cap {
        if let Some((last, f)) = longest_place(ctx, i + 1) {
            let last = place_after(ctx, last);
            let score = base(f) + if ctx.place_cue_before(i) { CUE } else { 0.0 };
            return Some(Match::new(i, last, score));
        }
        return None;
    }
    if let Some(m) = saint(ctx, i)
        .or_else(|| origin_compound(ctx, i))
        .or_else(|| natural_feature(ctx, i))
    {
        return Some(m);
    }
    let Some((last, f)) = longest_place(ctx, i) else {
        return shire(ctx, i)
            .or_else(|| landmark(ctx, i))
            .or_else(|| locality(ctx, i))
            .or_else(|| unlisted(ctx, i));
    };
    if named_after(ctx, last) || named_of(ctx, i) || named_before(ctx, i, last) {
        return None;
    }
    // "Oslo. Mobil: +47…": a word opening a line or sentence before a colon is a label.
    if last == i && ctx.sentence_start(i) && ctx.get(i + 1).is_some_and(|t| t.is_punct(':')) {
        return None;
    }
    // "UK", "USA" alone are as often part of a code or a name as a place.
    if last == i && ctx.tok(i).kind == Kind::Upper && !ctx.place_cue_before(i) {
        return None;
    }
    let mut score = base(f);
    if last == i {
        let w = ctx.flags(i);
        if w.has(COMMON) {
            score -= 0.3;
        }
        if w.given() >= 2 || w.surname() >= 3 {
            score -= 0.15;
        }
        // The person's, unless sent there ("sent to Jordan"); a city so named stays the city
        // ("an email from Paris").
        if ctx.country_said_to(w, i) && !sending(ctx.word(i - 2)) {
            return None;
        }
    }
    // "the Blue Mountains": a listed place named as a landmark.
    if last > i && LANDMARKS.contains(&ctx.word(last)) {
        score = score.max(0.55);
    }
    if ctx.place_cue_before(i)
        || coordinated(ctx, i, after_place)
        || names_a_site(ctx, last)
        || before_a_place(ctx, last)
        || bracketed_after_a_name(ctx, i, last)
    {
        score += CUE;
    }
    let mut end = place_after(ctx, last);
    // "Jordan Valley Credit Union", "Hudson Valley Bank": the place with its landmark's
    // noun names an organisation.
    if end > last && named_after(ctx, end) {
        return None;
    }
    // "Union Square", "Brooklyn Bridge": a landmark noun makes a place of a weak reading.
    if end > last && LANDMARKS.contains(&ctx.word(end)) {
        let cue = if ctx.place_cue_before(i) { CUE } else { 0.0 };
        score = score.max(0.55 + cue);
    }
    // "Hyderabad 500034", "Berlin 10115": a city's postcode, five digits or more.
    if !f.has(COUNTRY | REGION)
        && let Some(p) = super::address::region_postcode(ctx, end)
    {
        end = p;
        score += 0.15;
    }
    end = county_after(ctx, end).unwrap_or(end);
    // "Paris, France", "Porto Alegre, Brazil", "Bloemfontein, Free State, South Africa":
    // a city with its region, its country, or both.
    let mut outer = if f.has(COUNTRY | REGION) {
        0
    } else {
        COUNTRY | REGION
    };
    while outer != 0
        && ctx.get(end + 1).is_some_and(|t| t.is_punct(','))
        && ctx
            .get(end + 2)
            .is_some_and(|t| t.gap == Gap::Space && t.is_capitalised())
        && let Some((l, g)) = longest_place(ctx, end + 2)
        && let admin = admin_word_after(ctx, l)
        && let g = admin.map_or(g, |_| Flags(g.0 | REGION))
        && g.has(outer)
    {
        end = admin.unwrap_or(l);
        if outer != COUNTRY {
            score += 0.15;
        }
        if g.has(REGION) {
            end = super::address::region_postcode(ctx, end).unwrap_or(end);
        }
        outer = if g.has(COUNTRY) { 0 } else { COUNTRY };
    }
    // "Springdale, AR": a listed city and its state's code.
    if outer == (COUNTRY | REGION)
        && f.city() > 0
        && ctx.get(end + 1).is_some_and(|t| t.is_punct(','))
        && ctx.get(end + 2).is_some_and(|t| t.gap == Gap::Space)
        && ctx.region_code(end + 2)
        && ctx
            .get(end + 3)
            .is_none_or(|t| !t.is_word() || t.gap > Gap::Space)
    {
        end += 2;
        score += 0.2;
    }
    // "Washington, D.C."
    if ctx.get(end + 1).is_some_and(|t| t.is_punct(','))
        && let Some((last, "DC")) = dotted_letters(ctx, end + 2)
    {
        end = last;
    }
    Some(Match::new(i, end, score))
}

/// "a Taipei-born designer", "a Leeds-based firm": the place before a hyphen and a word of
/// origin, when the lists know it as a place and mainly as one.
fn origin_compound(ctx: &mut Ctx, i: usize) -> Option<Match> {
    const ORIGINS: [&str; 4] = ["-born", "-based", "-raised", "-bred"];
    let word = ctx.word(i);
    let suffix = ORIGINS.iter().find(|s| {
        word.len() > s.len() + 1
            && word.is_char_boundary(word.len() - s.len())
            && word[word.len() - s.len()..].eq_ignore_ascii_case(s)
    })?;
    let head = &word[..word.len() - suffix.len()];
    if head.contains('-') {
        return None;
    }
    let f = super::flags_of(head);
    // A word no list knows is a nationality as often ("Somali-born").
    let place = f.is_place() || f.has(LOCALITY);
    let mainly_a_name = f.given() >= 2 && f.city() < 2 && !f.has(COUNTRY | REGION);
    if !place || mainly_a_name || f.has(COMMON | ORG | TEMPORAL | NOT_NAME) {
        return None;
    }
    let mut m = Match::new(i, i, 0.7);
    m.trim_end = suffix.len();
    Some(m)
}

/// "St. Petersburg", "St Louis", "Saint Paul": a listed place named for a saint.
fn saint(ctx: &mut Ctx, i: usize) -> Option<Match> {
    if !matches!(ctx.word(i), "St" | "Saint" | "Ste") {
        return None;
    }
    let mut k = i + 1;
    if ctx.get(k)?.is_punct('.') {
        k += 1;
    }
    let t = ctx.get(k)?;
    if t.gap != Gap::Space || t.kind != Kind::Cap {
        return None;
    }
    let f = ctx.prefixed_phrase_flags("saint ", k, k);
    if !f.is_place() || named_after(ctx, k) {
        return None;
    }
    let score = base(f) + if ctx.place_cue_before(i) { CUE } else { 0.0 };
    Some(Match::new(i, k, score))
}

/// Countries and districts written in dotted capitals.
const DOTTED_PLACES: &[&str] = &["UK", "US", "USA", "UAE", "NZ", "PRC", "DC"];

/// "the U.S.", "moved to the U.K.": a country in dotted capitals, which no other thing is
/// written as.
pub(crate) fn dotted(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let (last, _) = dotted_letters(ctx, i)?;
    let score = 0.7 + if ctx.place_cue_before(i) { CUE } else { 0.0 };
    Some(Match::new(i, last, score))
}

/// The last token and the letters of a dotted abbreviation of a place from token `i`.
fn dotted_letters(ctx: &Ctx, i: usize) -> Option<(usize, &'static str)> {
    let mut letters = [0u8; 4];
    let mut n = 0;
    let mut k = i;
    while let Some(t) = ctx.get(k) {
        let w = ctx.word(k).as_bytes();
        let joined = k == i || t.gap == Gap::None;
        if t.kind != Kind::Initial || !joined || w.len() != 2 || w[1] != b'.' || n == 4 {
            break;
        }
        letters[n] = w[0];
        n += 1;
        k += 1;
    }
    if n < 2 {
        return None;
    }
    let word = std::str::from_utf8(&letters[..n]).ok()?;
    DOTTED_PLACES
        .iter()
        .find(|p| **p == word)
        .map(|p| (k - 1, *p))
}

/// "the village of Hallstatt", "moved to Doolin": a capitalised word no list knows, right
/// after words that place something, is a place as often as a person; the person rule
/// reads it too, and the better reading wins.
fn unlisted(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let t = ctx.tok(i);
    let f = ctx.flags(i);
    // "living in Stockwell", "moved to Moseley": after a verb of place, a word the lists
    // know only as a surname is the place named after the family.
    let surname_only = f.surname() > 0 && known_only_as_surname(f);
    if t.kind != Kind::Cap {
        return None;
    }
    if !(f.unknown() || surname_only) {
        return district_of_two_words(ctx, i);
    }
    let strong = ctx.strong_place_cue_before(i);
    if surname_only && !strong {
        return None;
    }
    if !strong {
        return before_a_place(ctx, i).then(|| Match::new(i, i, UNLISTED));
    }
    // One or two words: a longer run of unknown capitalised words is more often an
    // organisation, and so is a pair with a common word in it.
    let next_cap = |ctx: &Ctx, k: usize| {
        ctx.get(k + 1)
            .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
    };
    if !next_cap(ctx, i) {
        return Some(Match::new(i, i, UNLISTED));
    }
    let pair =
        ctx.tok(i + 1).kind == Kind::Cap && !next_cap(ctx, i + 1) && ctx.flags(i + 1).unknown();
    pair.then(|| Match::new(i, i + 1, UNLISTED))
        .or_else(|| district_of_two_words(ctx, i))
}

/// "near Stokes Croft", "around Selly Oak", "just past Lone Pine": two capitalised words
/// that no list knows as a given name or a place, right after a word that places them,
/// name a district, whatever else the words are.
fn district_of_two_words(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let pair = ctx
        .get(i + 1)
        .is_some_and(|n| n.kind == Kind::Cap && n.gap == Gap::Space && !n.glued)
        && !ctx
            .get(i + 2)
            .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised());
    if !pair {
        return None;
    }
    let plain = |f: Flags| {
        f.given() < 2 && !f.is_place() && !f.has(NOT_NAME | TEMPORAL | ORG | TITLE | STREET | UNIT)
    };
    // Two English words are as often a thing's name ("move the All Hands").
    let (a, b) = (ctx.flags(i), ctx.flags(i + 1));
    (plain(a) && plain(b) && !(a.has(COMMON) && b.has(COMMON)) && ctx.strong_place_cue_before(i))
        .then(|| Match::new(i, i + 1, UNLISTED))
}

/// "grew up in Leith", "a flat in Clapham", "near Grindelwald": a town or district too
/// small for the city list, after a word that places it, even a bare preposition. English
/// words, given names, common surnames, a possessive and a capitalised word after it are
/// read otherwise ("in Progress", "in Grant's team", "at Clapham Capital"), but for a
/// rare given name after a strong cue.
fn locality(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let f = ctx.flags(i);
    // "at the vets in Ponsonby", "moved to Fitzroy": a rare given name that is also a
    // town reads as the town after a strong cue.
    let rare_given = f.given() == 1
        && known_only_as_surname(Flags(f.0 & !(STRENGTH_MASK << GIVEN_SHIFT)))
        && ctx.strong_place_cue_before(i);
    if ctx.tok(i).kind != Kind::Cap
        || !f.has(LOCALITY)
        || !(known_only_as_surname(f) || rare_given)
        || f.surname() > 2
    {
        return None;
    }
    let next_cap = ctx
        .get(i + 1)
        .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised());
    if ctx.possessive(i) || next_cap || !ctx.place_cue_before(i) {
        return None;
    }
    let strong = f.surname() == 0 && ctx.strong_place_cue_before(i);
    let end = county_after(ctx, i).unwrap_or(i);
    Some(Match::new(
        i,
        end,
        UNLISTED + if strong { CUE } else { 0.0 },
    ))
}

/// No list but the surnames' (and the towns') knows the word, if any list does.
fn known_only_as_surname(f: Flags) -> bool {
    f.0 & !(LOCALITY | PLACE_PREFIX | ORG_PREFIX | STRENGTH_MASK << SURNAME_SHIFT) == 0
}

/// "Ballina, County Mayo", "Castlemartyr, Co. Cork": an Irish county after its town.
/// Returns the county's last token.
fn county_after(ctx: &Ctx, end: usize) -> Option<usize> {
    if !ctx.get(end + 1)?.is_punct(',') || ctx.get(end + 2)?.gap != Gap::Space {
        return None;
    }
    super::address::irish_county(ctx, end + 2)
}

/// "Bedfordshire", "Yorkshire": an English county by its ending, listed or not.
fn shire(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let w = ctx.word(i);
    let county = ctx.tok(i).kind == Kind::Cap
        && w.len() > "shire".len() + 2
        && w.ends_with("shire")
        && !ctx.flags(i).has(ORG | NOT_NAME);
    if !county || named_after(ctx, i) {
        return None;
    }
    let score = base(Flags(REGION)) + if ctx.place_cue_before(i) { CUE } else { 0.0 };
    Some(Match::new(i, i, score))
}

/// "at Union Square", "in the Tatra Mountains": capitalised words no list knows as a
/// place, then a landmark noun that nothing else named follows, after a word that places
/// them; without one, "Data Bridge" or "Sarah Park" is as likely a product or a person.
fn landmark(ctx: &mut Ctx, i: usize) -> Option<Match> {
    // Token shapes and the noun first: most capitalised words have none after them, and
    // need no lookup.
    let noun = (i + 1..(i + LANDMARK_WORDS).min(ctx.len())).find_map(|k| {
        let t = ctx.tok(k);
        if !t.is_capitalised() || t.glued || t.gap != Gap::Space {
            return Some(None);
        }
        LANDMARKS.contains(&ctx.word(k)).then_some(Some(k))
    })??;
    // "about the Blue Mountains": a natural feature after "the" needs no other cue.
    let natural_after_the = i > 0
        && matches!(ctx.word(i - 1), "the" | "The")
        && NATURAL_LANDMARKS.contains(&ctx.word(noun));
    if ctx.tok(i).glued || !(natural_after_the || ctx.place_cue_before(i)) {
        return None;
    }
    for k in i..noun {
        let f = ctx.flags(k);
        // "Loading Bay", "Parking Station": a gerund names what happens there, not a place.
        if f.has(NOT_NAME | TEMPORAL | ORG | TITLE) || f.has(COMMON) && ctx.word(k).ends_with("ing")
        {
            return None;
        }
    }
    if named_after(ctx, noun) {
        return None;
    }
    // "Joon-ho Park", "Sarah Hill": a surname after a given name.
    let before = ctx.flags(noun - 1);
    if ctx.flags(noun).surname() >= 2
        && (before.given() >= 1 || before.unknown() && ctx.word(noun - 1).contains('-'))
    {
        return None;
    }
    Some(Match::new(i, noun, 0.55 + CUE))
}

/// A natural feature's noun, written in lower case after its name.
fn feature_noun(word: &str) -> bool {
    matches!(
        word,
        "river"
            | "lake"
            | "island"
            | "islands"
            | "mountain"
            | "mountains"
            | "valley"
            | "peninsula"
            | "desert"
            | "glacier"
            | "volcano"
            | "fjord"
            | "estuary"
            | "gorge"
            | "delta"
    )
}

/// "the bridge over the Çoruh river", "a table on Kampa island": one or two capitalised
/// words before a natural feature's noun in lower case, after "the", a preposition or a
/// word that places them, name the feature.
fn natural_feature(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let last = (i..i + 2).find(|&k| {
        ctx.get(k + 1).is_some_and(|t| {
            t.kind == Kind::Lower && t.gap == Gap::Space && feature_noun(ctx.word(k + 1))
        })
    })?;
    if (i..=last).any(|k| {
        let t = ctx.tok(k);
        t.kind != Kind::Cap || t.glued || k > i && t.gap != Gap::Space
    }) {
        return None;
    }
    const BEFORE: &[&str] = &[
        "the", "on", "to", "at", "near", "across", "along", "over", "around", "from", "of", "in",
        "by", "up", "down",
    ];
    let placed = i > 0
        && ctx.tok(i - 1).is_word()
        && BEFORE
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ctx.word(i - 1)));
    if !placed && !ctx.place_cue_before(i) {
        return None;
    }
    for k in i..=last {
        if ctx
            .flags(k)
            .has(NOT_NAME | TEMPORAL | ORG | TITLE | PERSON_CUE)
        {
            return None;
        }
    }
    Some(Match::new(i, last, 0.6))
}

fn base(f: Flags) -> f32 {
    if f.has(COUNTRY) {
        0.7
    } else if f.has(REGION) {
        0.65
    } else {
        [0.0, 0.35, 0.5, 0.6][f.city() as usize]
    }
}

/// The longest gazetteer place starting at token `i` (one to four words).
fn longest_place(ctx: &mut Ctx, i: usize) -> Option<(usize, Flags)> {
    let first = ctx.flags(i);
    if first.has(PLACE_PREFIX) {
        // The words after the first that join it into one phrase: the phrases to look up
        // end before the first word that does not.
        let end = (i + MAX_WORDS).min(ctx.len());
        let joined_end = (i + 1..end)
            .find(|&m| {
                let t = ctx.tok(m);
                !((t.gap == Gap::Space || t.gap == Gap::None && ctx.word(m - 1).ends_with('-'))
                    && t.is_word())
            })
            .unwrap_or(end);
        let mut phrase = ctx.phrase_reader(i);
        let mut longest = None;
        for k in i + 1..joined_end {
            let Some(f) = ctx.read_phrase_to(&mut phrase, k, "-") else {
                break;
            };
            if f.is_place() && ctx.tok(k).is_capitalised() {
                longest = Some((k, f));
            }
        }
        if longest.is_some() {
            return longest;
        }
    }
    (first.is_place() && !first.has(NOT_NAME | TEMPORAL)).then_some((i, first))
}

/// "Lagos State", "Gauteng Province": a word after a place that makes a region of it.
fn admin_word_after(ctx: &Ctx, last: usize) -> Option<usize> {
    const ADMIN: &[&str] = &[
        "State",
        "Province",
        "Region",
        "County",
        "Prefecture",
        "Oblast",
    ];
    (ctx.get(last + 1).is_some_and(|t| t.gap == Gap::Space) && ADMIN.contains(&ctx.word(last + 1)))
        .then_some(last + 1)
}

fn place_after(ctx: &mut Ctx, last: usize) -> usize {
    match ctx.get(last + 1) {
        Some(t)
            if t.gap == Gap::Space
                && (PLACE_AFTER.contains(&ctx.word(last + 1))
                    || LANDMARKS.contains(&ctx.word(last + 1)))
                && !ctx.get(last + 2).is_some_and(|n| n.is_punct(':')) =>
        {
            last + 1
        }
        _ => last,
    }
}

/// "Manchester United", "Paris Marathon", "the Lincoln Conference Room": the place names
/// an organisation, an event or a room.
fn named_after(ctx: &mut Ctx, last: usize) -> bool {
    let Some(t) = ctx.get(last + 1) else {
        return false;
    };
    let next = ctx.word(last + 1);
    if t.gap != Gap::Space
        || !t.is_capitalised()
        || PLACE_AFTER.contains(&next)
        || LANDMARKS.contains(&next)
    {
        return false;
    }
    // "City: Atlanta State: GA": the next word is a form's label, not part of a name.
    if ctx.get(last + 2).is_some_and(|n| n.is_punct(':')) {
        return false;
    }
    let f = ctx.flags(last + 1);
    // "the Toyota Prius", "Tokyo Disneyland": a word no list knows names a product or a
    // venue after the place.
    f.has(ORG) || f.has(COMMON) && !f.is_place() || f.unknown() && t.kind == Kind::Cap
}

/// "the Summer Sale team", "Hampton Court": a one-word place right after a capitalised
/// word inside a sentence ends the name of something else.
fn named_before(ctx: &mut Ctx, i: usize, last: usize) -> bool {
    if last != i || i == 0 {
        return false;
    }
    let p = ctx.tok(i - 1);
    if p.kind != Kind::Cap || ctx.tok(i).gap != Gap::Space || p.glued || ctx.sentence_start(i - 1) {
        return false;
    }
    let f = ctx.flags(i - 1);
    let cue = PLACE_CUE | PERSON_CUE | TITLE | NOT_NAME | WEAK_CUE | TALK | TEMPORAL;
    !f.has(cue) && !f.is_place() && !DIRECTIONS.contains(&ctx.word(i - 1))
}

/// "the Reserve Bank of Australia", "University of Toronto", "the Order of Canada": a
/// place after "of" and the noun of an institution names the institution.
fn named_of(ctx: &mut Ctx, i: usize) -> bool {
    i >= 2
        && ctx.word(i - 1) == "of"
        && ctx.tok(i - 2).kind == Kind::Cap
        && (ctx.flags(i - 2).has(ORG) || ctx.word(i - 2) == "Order")
}

/// Lower-case words for a site of an organisation: after a place, they say it is one ("our
/// Lyon warehouse", "the Berlin office").
const SITES: &[&str] = &[
    "office",
    "offices",
    "warehouse",
    "warehouses",
    "branch",
    "branches",
    "store",
    "stores",
    "site",
    "sites",
    "plant",
    "factory",
    "hub",
    "depot",
    "campus",
    "headquarters",
    "hq",
    "facility",
    "showroom",
    "airport",
    "team",
    "teams",
    "area",
    "metro",
    "suburbs",
    "region",
    "datacenter",
    "pool",
    "library",
    "gym",
    "school",
    "schools",
    "hospital",
    "market",
    "folks",
    "locals",
    "residents",
    "neighbours",
    "neighbors",
    "crowd",
    "community",
    "location",
    "outlet",
    "clinic",
    "contact",
    "contacts",
    "supplier",
    "suppliers",
    "client",
    "clients",
    "customers",
    "colleagues",
    "staff",
    "flat",
    "apartment",
    "trip",
    "wedding",
];

fn names_a_site(ctx: &Ctx, last: usize) -> bool {
    ctx.get(last + 1).is_some_and(|t| {
        t.gap == Gap::Space && t.kind == Kind::Lower && SITES.contains(&ctx.word(last + 1))
    })
}

/// "Call w/ Mariana Quintela (Aveiro)": a listed place alone in brackets after a name
/// is where the person is.
fn bracketed_after_a_name(ctx: &Ctx, i: usize, last: usize) -> bool {
    i >= 2
        && ctx.tok(i - 1).is_punct('(')
        && ctx.tok(i).gap == Gap::None
        && ctx.tok(i - 2).is_capitalised()
        && ctx
            .get(last + 1)
            .is_some_and(|t| t.is_punct(')') && t.gap == Gap::None)
}

/// "Basel -> Singapore", "between Sintra and Cascais", "Leeds or York": a well-known
/// place right after the joining word makes a place of the word before it too.
fn before_a_place(ctx: &mut Ctx, last: usize) -> bool {
    let mut k = last + 1;
    let Some(t) = ctx.get(k) else {
        return false;
    };
    if t.gap > Gap::Space {
        return false;
    }
    match ctx.word(k) {
        "and" | "or" | "\u{2192}" | "/" => {}
        "-" if ctx.glued(k + 1, '>') => k += 1,
        _ => return false,
    }
    let Some(n) = ctx.get(k + 1) else {
        return false;
    };
    if n.gap > Gap::Space || n.kind != Kind::Cap {
        return false;
    }
    let f = ctx.flags(k + 1);
    let named = f.given() > 0 || f.surname() > 0;
    (f.has(COUNTRY | REGION) || f.city() >= 2 || f.city() == 1 && !named)
        && f.given() < 2
        && !f.has(COMMON | NOT_NAME | TEMPORAL | ORG)
}

/// "Rome, Florence and Venice", "Lake Como and then Florence": a listed place right after
/// another place, joined by a comma or a conjunction, is a place too.
fn coordinated(ctx: &Ctx, i: usize, after_place: Option<usize>) -> bool {
    let Some(prev) = after_place else {
        return false;
    };
    match i - prev {
        2 => matches!(ctx.word(prev + 1), "," | "and" | "or" | "&"),
        3 => matches!(
            (ctx.word(prev + 1), ctx.word(prev + 2)),
            (",", "and") | (",", "or") | ("and", "then")
        ),
        _ => false,
    }
}

/// Verbs of sending, after which a preposition leads to a place as often as a person.
fn sending(word: &str) -> bool {
    [
        "sent",
        "send",
        "forwarded",
        "forward",
        "forwarding",
        "handed",
        "hand",
    ]
    .iter()
    .any(|w| w.eq_ignore_ascii_case(word))
}
