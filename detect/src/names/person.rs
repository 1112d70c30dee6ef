//! People: a run of capitalised words (with initials and particles), read against the
//! given-name and surname lists, the shape of the run and the cue words around it.

use super::Match;
use super::context::Ctx;
use super::flags::*;
use super::lexicon::Flags;
use super::person_cues::{
    asked_or_introduced, booked_under, camel_case, colon_label_before, given_after_comma,
    given_an_action, known_as_late_or_signed, listed_name_acts, person_state_after, phone_after,
    possessive_given_name, pronoun_after,
};
use super::person_slots::only_a_name_fits;
use super::tokens::{Gap, Kind};

const GIVEN: [f32; 4] = [0.0, 0.6, 0.75, 0.9];
const SURNAME: [f32; 4] = [0.0, 0.5, 0.65, 0.8];
/// A capitalised word in no list: most often a proper noun, a name as often as not.
const UNKNOWN: f32 = 0.5;
const CUE_BEFORE: f32 = 0.3;
const WEAK_CUE_BEFORE: f32 = 0.15;
const CUE_AFTER: f32 = 0.15;
const MAX_WORDS: usize = 5;
/// A word where only a person's name fits ([`only_a_name_fits`]).
const SLOT: f32 = 0.6;

/// Words for a sale, a campaign or an event, which close its name.
const EVENTS: &[&str] = &[
    "Sale",
    "Fundraiser",
    "Appeal",
    "Gala",
    "Fete",
    "Collection",
    "Range",
    "Launch",
    "Promo",
    "Offer",
    "Deals",
    "Edition",
    "Challenge",
    "Campaign",
    "Raffle",
    "Bazaar",
    "Showcase",
    "Meetup",
    "Hackathon",
    "Fest",
];

/// Never part of a name, whatever its case.
pub(super) const STOP: u64 = NOT_NAME | ORG | STREET | TITLE | UNIT;

/// How much a word looks like any part of a name, 0 to 1. `foreign` marks a word with
/// letters outside ASCII, which product and company names rarely have.
fn nameish(f: Flags, foreign: bool) -> f32 {
    if f.has(STOP) {
        return 0.0;
    }
    let known = GIVEN[f.given() as usize].max(SURNAME[f.surname() as usize]);
    let mut s = if known > 0.0 {
        known
    } else if f.has(COMMON) {
        return 0.0;
    } else {
        unknown(foreign)
    };
    if f.has(TEMPORAL) {
        s *= 0.3;
    }
    if f.has(COMMON) {
        s *= 0.4;
    }
    if f.is_place() {
        s *= 0.7;
    }
    s
}

fn unknown(foreign: bool) -> f32 {
    if foreign { UNKNOWN + 0.1 } else { UNKNOWN }
}

fn as_given(f: Flags, foreign: bool) -> f32 {
    match f.given() {
        0 if !f.has(COMMON | STOP) => unknown(foreign) * if f.is_place() { 0.8 } else { 1.0 },
        0 => nameish(f, foreign) * 0.6,
        g => GIVEN[g as usize] * if f.has(COMMON | TEMPORAL) { 0.6 } else { 1.0 },
    }
}

fn as_surname(f: Flags, foreign: bool) -> f32 {
    match f.surname() {
        0 if !f.has(COMMON | STOP) => unknown(foreign) * if f.is_place() { 0.8 } else { 1.0 },
        0 => nameish(f, foreign) * 0.6,
        s => SURNAME[s as usize] * if f.has(COMMON) { 0.75 } else { 1.0 },
    }
}

/// A person's name starting at or after token `i`, if the words there read as one.
/// `after_name` is the last token of the previous name found, for "Ana and Pedro".
pub(crate) fn at(ctx: &mut Ctx, i: usize, after_name: Option<usize>) -> Option<Match> {
    if ctx.tok(i).kind == Kind::Cjk {
        return cjk(ctx, i, after_name);
    }
    let (mut first, mut last, org_follows) = run(ctx, i)?;
    if org_follows {
        return None;
    }
    let run = (first, last);
    let slot_read = first == last && fits_a_name_slot(ctx, first);
    if slot_read && only_a_name_fits(ctx, first, last) {
        return Some(without_honorific(ctx, Match::new(first, last, SLOT)));
    }
    // Leading words that are not name-like ("Please", "Contact", sentence openers).
    while first <= last && !leading_ok(ctx, first) {
        first += 1;
    }
    let run_last = last;
    while last >= first && !trailing_ok(ctx, last) {
        last = last.checked_sub(1)?;
    }
    // "Rose Valley Florists", "Jade Dragon Trading", "the Angel Investor plan": a common
    // noun closing the run of capitals makes the run the name of a business or a product.
    // So does a word for a sale or an event, surname or not ("the Summer Sale", "the Hope
    // Street Fundraiser").
    if (last + 1..=run_last).any(|j| {
        let f = ctx.flags(j);
        ctx.tok(j).is_capitalised()
            && f.has(COMMON)
            && (f.surname() == 0 || EVENTS.contains(&ctx.word(j)))
            && !f.has(STOP | TEMPORAL)
    }) || EVENTS.contains(&ctx.word(run_last)) && run_last > first
    {
        return None;
    }
    if first > last || named_for_saint(ctx, first) || possessive_names_org(ctx, last) {
        return None;
    }
    // The capitalised words, without initials and particles, read off the token slice
    // rather than collected, so that no list is allocated for each reading.
    let toks = ctx.toks;
    let core = (first..=last).filter(move |&j| toks[j].is_capitalised());
    let (Some(core_first), Some(core_last)) = (core.clone().next(), core.clone().next_back())
    else {
        return None;
    };
    let core_len = core.clone().count();
    let mut score = match core_len {
        // "K. Sato": an initial and a surname.
        1 if ctx.tok(first).kind == Kind::Initial => {
            let f = ctx.flags(core_first);
            0.2 + 0.4 * UNKNOWN + 0.4 * as_surname(f, foreign(ctx, core_first))
        }
        1 => {
            let f = ctx.flags(core_first);
            // A listed place that no name list knows is a person only where a cue says so.
            let said_to = ctx.country_said_to(f, first);
            if f.is_place()
                && (ctx.place_cue_before(first) && !said_to
                    || f.given() == 0 && f.surname() == 0 && !ctx.person_cue_before(first)
                    || beside_a_place(ctx, first, last))
            {
                return None;
            }
            let mut s = 0.15 + 0.35 * nameish(f, foreign(ctx, core_first));
            // A given name that is also a small town somewhere ("Doreen") is read as the
            // name; mid-sentence, so is one that is also a city ("primary Nadia"), while
            // opening a sentence such a word is the city as often ("Florence was lovely").
            let given_not_common = f.given() >= 2 && !f.has(COMMON) && !f.has(COUNTRY | REGION);
            let plain_given = given_not_common && (!f.is_place() || f.city() <= 1);
            let given_mid_sentence = given_not_common
                && f.city() <= 2
                && !ctx.sentence_start(first)
                && !ctx.place_cue_before(first);
            // "First Name: Grace", "Actions: Mark to collect…": after a person's label or in
            // an action item the capital is the form's.
            let capital_explained = plain_given && subject_of_clause(ctx, last)
                || after_name_label(ctx, first) && f.given() >= 1
                || given_an_action(ctx, first, last);
            if ctx.sentence_start(first) && !capital_explained {
                s -= 0.1;
            } else if plain_given || given_mid_sentence {
                // A known given name capitalised mid-sentence, or opening a clause as its
                // subject ("Mehmet to follow up", "Hamid, the keys…"), is a person far more
                // often than anything else.
                s += 0.1;
            }
            s
        }
        _ => {
            let (f0, fl) = (ctx.flags(core_first), ctx.flags(core_last));
            // "Porto Alegre", "Nike Europe": a place, or something named after one.
            // A well-known given name before a city keeps it a surname ("Svetlana
            // Ivanova"); before a country or region it does not ("Georgia Europe").
            let given_first = f0.given() >= 2 && !f0.has(COMMON) && !f0.is_place();
            // "Quang Nguyen" is a city and a common name: the name unless a cue says place.
            let strong_name =
                |ctx: &mut Ctx| given_first && fl.surname() >= 2 && !ctx.place_cue_before(first);
            if f0.has(PLACE_PREFIX) && !strong_name(ctx) && ctx.phrase_flags(first, last).is_place()
                || fl.is_place() && fl.surname() == 0 && (!given_first || fl.has(COUNTRY | REGION))
            {
                return None;
            }
            let (w0, wl) = (foreign(ctx, core_first), foreign(ctx, core_last));
            let mut s = 0.2 + 0.4 * as_given(f0, w0) + 0.4 * as_surname(fl, wl);
            // "near Stokes Croft", "moved to Selly Oak": after a word that places what
            // follows, words that are no given name are a district's.
            if f0.given() < 2 && ctx.strong_place_cue_before(first) {
                s -= 0.15;
            }
            if core.clone().all(|j| ctx.flags(j).unknown()) {
                // Two unknown capitalised words are as often a product or a company.
                s -= 0.1;
            }
            if core_len < last - first + 1 {
                s += 0.05;
            }
            s
        }
    };
    // An acronym in the run ("TU Delft", "UK NI") makes it an organisation or a code;
    // words in all capitals are a name only when the lists know each of them as one, and
    // one such word alone only when it is among the most common ("IBAN" is a name
    // somewhere).
    let alone = core_len == 1;
    let acronym = |ctx: &mut Ctx, j: usize| {
        let f = ctx.flags(j);
        ctx.tok(j).kind == Kind::Upper
            && (f.given() == 0 && f.surname() == 0
                || f.is_place()
                || ctx.word(j).len() <= 3
                || alone && f.given() < 3 && f.surname() < 3)
    };
    // "SURNAME: NOWAK", "Guest: HAAPALAINEN Eero": after a form's label, capitals are how
    // the form writes a name.
    let labelled = colon_label_before(ctx, first);
    let form_capitals = |ctx: &mut Ctx, j: usize| {
        let f = ctx.flags(j);
        (ctx.word(j).len() >= 6 || f.given() >= 2 || f.surname() >= 2)
            && !f.is_place()
            && !f.has(STOP | COMMON)
    };
    // "StubHub", "PayPal", "LinkedIn": a capital inside a word names a product.
    if core.clone().any(|j| camel_case(ctx.word(j))) {
        return None;
    }
    // A copy line lists addresses and codes as often ("cc: IBAN, SWIFT").
    let copy_line = first >= 2 && ctx.word(first - 2).eq_ignore_ascii_case("cc");
    // "Surname: ORLOVA", "Given names: ANASTASIA": a name's own label says what follows,
    // even where the lists know the word as a town.
    let name_labelled =
        after_name_label(ctx, first) && core.clone().all(|j| !ctx.flags(j).has(STOP | COMMON));
    if core.clone().any(|j| acronym(ctx, j))
        && !(labelled && !copy_line && core.clone().all(|j| form_capitals(ctx, j)))
        && !name_labelled
    {
        return None;
    }
    // "Member: Delacroix, Amélie", "From: Petrov, Aleksandar Sent:": a surname, a comma
    // and the given names, as forms and address books write them.
    let last = match given_after_comma(ctx, last) {
        Some(given_end) if labelled && core_len == 1 => given_end,
        _ => last,
    };
    if ctx.person_cue_before(first)
        || ctx.talk_cue_before(first)
        || ctx.speech_after(last)
        || ctx.speaker_label(first, last) && ctx.flags(first).given() >= 1
        || coordinated(ctx, first, after_name)
        || before_a_given_name(ctx, last)
        || vocative(ctx, first, last)
        || asked_or_introduced(ctx, first, last)
        || booked_under(ctx, first)
        || given_an_action(ctx, first, last)
        || possessive_given_name(ctx, first, last)
        || listed_name_acts(ctx, first, last)
        || person_state_after(ctx, last)
        || phone_after(ctx, first, last)
        || pronoun_after(ctx, first, last)
        || known_as_late_or_signed(ctx, first, last)
        || labelled
        || ctx.own_line(first, last)
    {
        score += CUE_BEFORE;
    } else if ctx.weak_person_cue_before(first) {
        score += WEAK_CUE_BEFORE;
    }
    if ctx.person_cue_after(last) {
        score += CUE_AFTER;
    }
    // A single word's slot was read above, before trimming could change the run.
    if !(slot_read && (first, last) == run) && only_a_name_fits(ctx, first, last)
        || first == last && first > 0 && ctx.flags(first - 1).has(TITLE)
        || name_labelled
    {
        score = score.max(SLOT);
    }
    Some(without_honorific(ctx, Match::new(first, last, score)))
}

/// "Morimoto-san", "Ji-woo-ssi": an honorific written onto the name with a hyphen is
/// outside it, as a title before it is. Not "-ji" or "-chan", which end Korean given names
/// as often ("Min-ji", "Hee-chan").
fn without_honorific(ctx: &Ctx, mut m: Match) -> Match {
    const HONORIFICS: &[&str] = &[
        "-san", "-sama", "-kun", "-sensei", "-senpai", "-ssi", "-nim",
    ];
    let word = ctx.word(m.last);
    if let Some(h) = HONORIFICS
        .iter()
        .find(|h| word.len() > h.len() + 1 && word.ends_with(*h))
    {
        m.trim_end = h.len();
    }
    m
}

/// Whether the capitalised word `j` can be a name in a place only a name fits: anything
/// but a word that never names a person, a time, a place no name list knows or a product.
fn fits_a_name_slot(ctx: &mut Ctx, j: usize) -> bool {
    let f = ctx.flags(j);
    let place_only = f.is_place() && f.given() == 0 && f.surname() == 0;
    ctx.tok(j).kind == Kind::Cap
        && !f.has(NOT_NAME | ORG | TITLE | UNIT | TEMPORAL)
        && !place_only
        && !camel_case(ctx.word(j))
}

/// The run of name-shaped tokens from `i`: capitalised words joined by single spaces,
/// with initials and lower-case particles inside. Also says whether an organisation word
/// ends it ("Acme Corp").
fn run(ctx: &mut Ctx, i: usize) -> Option<(usize, usize, bool)> {
    let mut last = i;
    let mut j = i;
    let mut words = 0;
    while j < ctx.len() && words < MAX_WORDS {
        let t = ctx.tok(j);
        if j > i && (t.gap != Gap::Space || t.glued || column_break(ctx, j)) {
            break;
        }
        match t.kind {
            Kind::Cap | Kind::Upper if !t.glued => {
                let f = ctx.flags(j);
                let surname = j > i && surname_after_given(ctx, last, j);
                if j > i && f.has(ORG | STREET) && !surname {
                    return Some((i, last, f.has(ORG)));
                }
                if j > i
                    && f.has(TEMPORAL | NOT_NAME)
                    && !surname
                    && !(last + 1 == j && ctx.temporal_after_title(j))
                {
                    break;
                }
                // "From: Marta Kowalczyk To: Daniel Reyes": a label ends the name before it.
                if j > i && f.has(COMMON) && !surname && ctx.glued(j + 1, ':') {
                    break;
                }
                last = j;
                words += 1;
            }
            Kind::Initial
                if j > i
                    || next_is_cap(ctx, j)
                    || initials_then_cap(ctx, j)
                    || initial_then_particles(ctx, j) =>
            {
                last = j
            }
            Kind::Lower if j > i && particles_then_name(ctx, j) => {}
            _ => break,
        }
        j += 1;
    }
    Some((i, last, false))
}

/// "Samuel Ford", "Tim North", "Zachary May", "Dawn King": a common surname right after a
/// common given name is a surname, whatever else the word can be (a brand, a direction, a
/// month, or a title when no name follows it).
fn surname_after_given(ctx: &mut Ctx, prev: usize, j: usize) -> bool {
    let prev_tok = ctx.tok(prev);
    (prev_tok.is_capitalised() || prev_tok.kind == Kind::Initial)
        && ctx.flags(j).surname() >= 2
        && !ctx.flags(j).has(UNIT)
        && !(ctx.flags(j).has(TITLE) && next_is_cap(ctx, j))
        && (prev_tok.kind == Kind::Initial
            || ctx.flags(prev).given() >= 2
            || (ctx.flags(prev).given() >= 1 || ctx.flags(prev).unknown())
                && ctx.word(prev).contains('-'))
}

/// "Galway, Ireland", "Fitzgerald, Galway, Ireland", "Madrid 28001": a listed place with
/// a country, region or postcode after it is a place, and so is a country or region with
/// a place before it.
fn beside_a_place(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let country_after = ctx.glued(last + 1, ',')
        && ctx
            .get(last + 2)
            .is_some_and(|t| t.gap == Gap::Space && t.is_capitalised())
        && ctx.flags(last + 2).has(COUNTRY | REGION);
    country_after
        || super::address::region_postcode(ctx, last).is_some()
        || first >= 2
            && ctx.glued(first - 1, ',')
            && ctx.tok(first).gap == Gap::Space
            && ctx.tok(first - 2).is_capitalised()
            && ctx.flags(first - 2).is_place()
            && ctx.flags(first).has(COUNTRY | REGION)
}

/// "Can Svetlana cover Friday?": an auxiliary verb opening a question is not the given
/// name it can also be.
fn opens_a_question(ctx: &Ctx, j: usize) -> bool {
    const AUXILIARIES: [&str; 6] = ["Can", "Will", "May", "Shall", "Must", "Has"];
    if !AUXILIARIES.contains(&ctx.word(j)) || !ctx.sentence_start(j) {
        return false;
    }
    let rest = &ctx.text.as_bytes()[ctx.tok(j).end..];
    let rest = &rest[..rest.len().min(240)];
    rest.iter()
        .find(|&&b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
        .is_some_and(|&b| b == b'?')
}

fn foreign(ctx: &Ctx, j: usize) -> bool {
    !ctx.word(j).is_ascii()
}

/// "L. van der Berg": an initial, then particles and the surname.
fn initial_then_particles(ctx: &mut Ctx, j: usize) -> bool {
    ctx.get(j + 1).is_some_and(|n| n.gap == Gap::Space) && particles_then_name(ctx, j + 1)
}

/// "van der Berg", "de la Cruz": particles, then a capitalised word.
fn particles_then_name(ctx: &mut Ctx, mut j: usize) -> bool {
    for _ in 0..3 {
        if ctx.tok(j).kind != Kind::Lower || !ctx.flags(j).has(PARTICLE) {
            return false;
        }
        if next_is_cap(ctx, j) {
            return true;
        }
        match ctx.get(j + 1) {
            Some(n) if n.gap == Gap::Space => j += 1,
            _ => return false,
        }
    }
    false
}

/// "J. R. Hartley": initials, then a capitalised word.
fn initials_then_cap(ctx: &Ctx, j: usize) -> bool {
    let mut k = j + 1;
    while ctx
        .get(k)
        .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Initial)
        && k < j + 3
    {
        k += 1;
    }
    k > j + 1 && next_is_cap(ctx, k - 1)
}

/// "Amelia Grace Thompson   Date of birth": two spaces or a tab between words of a form
/// separate its columns.
fn column_break(ctx: &Ctx, j: usize) -> bool {
    let between = &ctx.text[ctx.tok(j - 1).end..ctx.tok(j).start];
    between.len() > 1 && (between.contains('\t') || between.contains("  "))
}

fn next_is_cap(ctx: &Ctx, j: usize) -> bool {
    ctx.get(j + 1)
        .is_some_and(|n| n.gap == Gap::Space && n.is_capitalised())
}

fn leading_ok(ctx: &mut Ctx, j: usize) -> bool {
    let t = ctx.tok(j);
    if t.kind == Kind::Initial {
        // "A Reykjavík woman", "O Caio chega", "I Ahmed": an article or a pronoun.
        if matches!(ctx.word(j), "A" | "I" | "O") {
            return false;
        }
        return next_is_cap(ctx, j) || initials_then_cap(ctx, j) || initial_then_particles(ctx, j);
    }
    if !t.is_capitalised() || opens_a_question(ctx, j) {
        return false;
    }
    let f = ctx.flags(j);
    // A greeting, a title or a label opening the run ("Bonjour Mme Lefèvre", "Governor
    // Adrienne Coulter") is context for the name, whatever the name lists say of it.
    if f.has(PERSON_CUE | TITLE)
        || f.has(WEAK_CUE | PLACE_CUE) && f.given() == 0 && f.surname() == 0
    {
        return false;
    }
    // "14 April Nuala Fitzgerald": a month after a day's number ends a date.
    if f.has(TEMPORAL) && t.gap == Gap::Space && j > 0 && day_of_month(ctx, j - 1) {
        return false;
    }
    // "Park Ji-hoon", "Lee Seo-yeon": a surname the lists know before a Korean given name
    // in its romanized form, whatever else the surname is.
    if f.surname() >= 1 && korean_given(ctx, j + 1) {
        return true;
    }
    // "Dale Ruiz", "Chase Hurst": a given name that is also a street's type, before a
    // surname.
    if f.given() >= 2
        && f.has(STREET)
        && !f.has(NOT_NAME | ORG | TITLE | UNIT)
        && next_is_cap(ctx, j)
        && ctx.flags(j + 1).surname() >= 1
        && !ctx.flags(j + 1).has(STOP)
    {
        return true;
    }
    let n = nameish(f, foreign(ctx, j));
    if ctx.sentence_start(j) && f.has(COMMON) && f.given() < 2 {
        return false;
    }
    n >= 0.3 || (f.given() > 0 && !f.has(STOP))
}

/// Token `k` is a romanized Korean given name: two syllables of two to four letters joined
/// by a hyphen, the first capitalised ("Ji-hoon", "Soo-yeon", "Min-jun").
fn korean_given(ctx: &Ctx, k: usize) -> bool {
    let Some(t) = ctx.get(k) else {
        return false;
    };
    if t.kind != Kind::Cap || t.gap != Gap::Space {
        return false;
    }
    let Some((a, b)) = ctx.word(k).split_once('-') else {
        return false;
    };
    let syllable =
        |s: &str| (2..=4).contains(&s.len()) && s.bytes().skip(1).all(|c| c.is_ascii_lowercase());
    syllable(a) && syllable(b) && b.as_bytes()[0].is_ascii_lowercase()
}

/// Token `first` comes after a name's label and its colon ("Surname: ", "First Name: ").
fn after_name_label(ctx: &Ctx, first: usize) -> bool {
    first >= 2
        && ctx.tok(first - 1).is_punct(':')
        && ctx.tok(first - 2).is_word()
        && name_label(ctx.word(first - 2))
}

/// A form's label for a name ("Name", "First Name", "Surname", "Vorname", "Prénom"), not
/// a role ("Customer:" opens a transcript's turn, whatever word follows).
fn name_label(word: &str) -> bool {
    const LABELS: &[&str] = &[
        "name",
        "names",
        "forenames",
        "surname",
        "forename",
        "firstname",
        "lastname",
        "fullname",
        "vorname",
        "nachname",
        "prénom",
        "prenom",
        "nom",
        "nombre",
        "apellido",
        "apellidos",
        "nome",
        "cognome",
        "imię",
        "nazwisko",
        "fornavn",
        "etternavn",
        "förnamn",
        "efternamn",
        "voornaam",
        "achternaam",
    ];
    LABELS.contains(&word.to_lowercase().as_str())
}

/// "14", "3rd": a number that can be a day of a month ("1552 April Strand" is a street).
fn day_of_month(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.word(k);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    ctx.tok(k).kind == Kind::Number
        && matches!(&w[digits.len()..], "" | "st" | "nd" | "rd" | "th")
        && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn trailing_ok(ctx: &mut Ctx, j: usize) -> bool {
    let t = ctx.tok(j);
    if !t.is_capitalised() {
        return false;
    }
    if j > 0 && surname_after_given(ctx, j - 1, j) {
        return true;
    }
    let f = ctx.flags(j);
    !f.has(STOP)
        && (!f.has(TEMPORAL) || ctx.temporal_after_title(j))
        && (!f.has(COMMON) || f.surname() >= 2 || f.given() >= 2)
}

/// A word opening a sentence reads as its subject when a lower-case word or a comma
/// follows it on the same line, not another capitalised word or the end of the sentence.
fn subject_of_clause(ctx: &Ctx, last: usize) -> bool {
    ctx.get(last + 1).is_some_and(|n| {
        n.gap <= Gap::Space && (n.kind == Kind::Lower || n.is_punct(',') && n.gap == Gap::None)
    })
}

/// "St Thomas' Hospital", "San Diego", "Saint Laurent": a saint's name names a place, a
/// church or a brand.
fn named_for_saint(ctx: &Ctx, first: usize) -> bool {
    let mut p = first;
    if p > 0 && ctx.tok(p - 1).is_punct('.') && ctx.tok(p).gap == Gap::Space {
        p -= 1;
    }
    p > 0
        && ctx.tok(p).gap <= Gap::Space
        && matches!(
            ctx.word(p - 1),
            "St" | "Saint" | "Sainte" | "San" | "Santa" | "Santo" | "São"
        )
}

/// "Thomas' Hospital", "Macy's Store": a possessive followed by an organisation word.
fn possessive_names_org(ctx: &mut Ctx, last: usize) -> bool {
    let end = ctx.tok(last).end;
    let rest = &ctx.text[end..];
    let after = ["'s ", "\u{2019}s ", "' ", "\u{2019} "]
        .iter()
        .find_map(|p| rest.strip_prefix(p));
    let Some(after) = after else {
        return false;
    };
    let at = ctx.text.len() - after.len();
    (last + 1..ctx.len().min(last + 4))
        .find(|&k| ctx.tok(k).start == at)
        .is_some_and(|k| ctx.tok(k).is_capitalised() && ctx.flags(k).has(ORG))
}

/// "Ana and Pedro", "Ana, Pedro": a name right after another one.
fn coordinated(ctx: &mut Ctx, first: usize, after_name: Option<usize>) -> bool {
    let Some(prev) = after_name else {
        return false;
    };
    let between = first.saturating_sub(prev + 1);
    if between == 0 || between > 1 {
        return false;
    }
    joins_names(ctx, prev + 1)
}

/// "Ana and Pedro", "Ana, Pedro", "Ibrahim + Sun-hee": a token that joins two names.
fn joins_names(ctx: &Ctx, k: usize) -> bool {
    let t = ctx.tok(k);
    t.is_punct(',')
        || t.is_punct('&')
        || t.is_punct('+')
        || matches!(ctx.word(k), "and" | "or" | "und" | "et" | "y" | "e")
}

/// "Sindre & Maja", "Osagie and Bernadette": a well-known given name right after the
/// joining word makes a person of the word before it too.
fn before_a_given_name(ctx: &mut Ctx, last: usize) -> bool {
    let (Some(j), Some(n)) = (ctx.get(last + 1), ctx.get(last + 2)) else {
        return false;
    };
    if j.gap > Gap::Space || n.gap != Gap::Space || n.kind != Kind::Cap || j.is_punct(',') {
        return false;
    }
    if !joins_names(ctx, last + 1) {
        return false;
    }
    let f = ctx.flags(last + 2);
    if f.given() >= 2 && nothing_but_a_name(f) {
        return true;
    }
    // "Faith and Mark Chen": a given name, common word or not, and a surname after it.
    f.given() >= 1
        && ctx
            .get(last + 3)
            .is_some_and(|s| s.gap == Gap::Space && s.kind == Kind::Cap)
        && ctx.flags(last + 3).surname() >= 2
        && !ctx.flags(last + 3).has(COMMON | STOP)
}

/// No list but the name lists knows the word: not a common word, a stop word, a word of
/// time or a place.
pub(super) fn nothing_but_a_name(f: Flags) -> bool {
    !f.has(COMMON | STOP | TEMPORAL) && !f.is_place()
}

/// "Hamid, the keys are…": a given name opening a paragraph and followed by a comma
/// addresses its reader.
fn vocative(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let t = ctx.tok(first);
    if !(first == 0 || t.gap >= Gap::Line) || first != last {
        return false;
    }
    if !ctx.glued(last + 1, ',') {
        return false;
    }
    let f = ctx.flags(first);
    let given = if f.is_place() {
        f.given() >= 2
    } else {
        f.given() >= 1
    };
    given && !f.has(COMMON | STOP | TEMPORAL)
}

/// CJK names are only taken where context marks them: "logged by 山田太郎", "名前: 山田太郎",
/// a recipient label ("수령인 김민수"), brackets after the same name in Latin script ("Liu
/// Yang (刘洋)"), or an honorific after it ("山田様", "佐藤花子 様").
fn cjk(ctx: &mut Ctx, i: usize, after_name: Option<usize>) -> Option<Match> {
    let word = ctx.word(i);
    const HONORIFICS: [&str; 6] = ["様", "さん", "氏", "先生", "님", "씨"];
    // Labels written without a colon: "수령인 김민수", "收件人 王芳".
    const LABELS: [&str; 9] = [
        "수령인",
        "받는분",
        "담당자",
        "고객",
        "收件人",
        "收货人",
        "联系人",
        "客户",
        "宛名",
    ];
    let spaced_honorific = ctx.get(i + 1).is_some_and(|n| {
        n.kind == Kind::Cjk && n.gap == Gap::Space && HONORIFICS.contains(&ctx.word(i + 1))
    });
    let label_before = i > 0
        && ctx.tok(i - 1).kind == Kind::Cjk
        && ctx.tok(i).gap == Gap::Space
        && LABELS.iter().any(|l| ctx.word(i - 1).ends_with(l));
    // "Liu Yang (刘洋)": the same name in its own script, in brackets after it.
    let glossed = after_name.is_some_and(|p| p + 2 == i) && ctx.tok(i - 1).is_punct('(');
    if (spaced_honorific || label_before || glossed) && (2..=4).contains(&word.chars().count()) {
        return Some(Match::new(i, i, 0.75));
    }
    let honorific = HONORIFICS
        .iter()
        .find(|h| word.ends_with(*h) && word.len() > h.len())
        .map_or(0, |h| h.len());
    let name_chars = word[..word.len() - honorific].chars().count();
    if !(2..=4).contains(&name_chars) && honorific == 0 {
        return cjk_inside_run(ctx, i);
    }
    if honorific > 0 || ctx.person_cue_before(i) || ctx.weak_person_cue_before(i) {
        let mut m = Match::new(i, i, 0.75);
        m.trim_end = honorific;
        return Some(m);
    }
    cjk_inside_run(ctx, i)
}

/// Japanese and Chinese write no spaces, so a name is often inside a longer run: before an
/// honorific (`資料は佐藤さんから`), after a recipient's label (`收件人刘婷`), before a
/// greeting (`王磊你好`), or alone after a sentence's end as the text's last word, as a
/// message is signed (`よろしくお願いします。中村`). The name is the two to four Han
/// characters there.
fn cjk_inside_run(ctx: &Ctx, i: usize) -> Option<Match> {
    const HONORIFICS: [&str; 6] = ["さん", "様", "さま", "くん", "ちゃん", "先生"];
    const LABELS: [&str; 4] = ["收件人", "收货人", "联系人", "宛名"];
    const GREETINGS: [&str; 2] = ["你好", "您好"];
    let word = ctx.word(i);
    let span = |from: usize, to: usize| {
        let mut m = Match::new(i, i, 0.7);
        m.trim_start = from;
        m.trim_end = word.len() - to;
        m
    };
    for h in HONORIFICS.iter().chain(&GREETINGS) {
        if let Some(at) = word.find(h)
            && let Some(from) = han_run_before(word, at)
        {
            return Some(span(from, at));
        }
    }
    for l in LABELS {
        if let Some(at) = word.find(l)
            && let Some(to) = han_run_after(word, at + l.len())
        {
            return Some(span(at + l.len(), to));
        }
    }
    let signed = i > 0
        && matches!(ctx.tok(i - 1).kind, Kind::Punct('。' | '！' | '.' | '!'))
        && !ctx.text[ctx.tok(i).end..].contains(char::is_alphanumeric)
        && (2..=4).contains(&word.chars().count())
        && word.chars().all(han);
    signed.then(|| span(0, word.len()))
}

fn han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Start of the two to four Han characters that end at byte `at` of `word`, if that many
/// and no more stand there.
fn han_run_before(word: &str, at: usize) -> Option<usize> {
    let run: Vec<(usize, char)> = word[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| han(c))
        .take(5)
        .collect();
    (2..=4)
        .contains(&run.len())
        .then(|| run.last().map(|&(k, _)| k))?
}

/// End of the two or three Han characters that start at byte `from` of `word` and end it
/// or end before a character of another kind.
fn han_run_after(word: &str, from: usize) -> Option<usize> {
    let run: Vec<(usize, char)> = word[from..]
        .char_indices()
        .take_while(|&(_, c)| han(c))
        .take(4)
        .collect();
    let (k, c) = *run.last()?;
    (2..=3)
        .contains(&run.len())
        .then_some(from + k + c.len_utf8())
}
