//! The context cues of a person beyond the words right before it: what the name does or
//! is said to be ("Kowalczyk will check", "Yerlan is out sick"), a request or a chat
//! introduction ("Rajesh can you…", "Olusegun here"), a possessive, and a form's label with
//! the shapes forms write names in (capitals, surname first).

use super::context::Ctx;
use super::flags::*;
use super::person::{STOP, nothing_but_a_name};
use super::tokens::{Gap, Kind};

/// "Kowalczyk will check", "Ayşe restarted the workers", "Hyun-woo to draft the deck",
/// "Luíza reviewing": one word the name lists know, and no other list, as the subject of
/// a verb. Products and services are subjects as often ("Kafka restarted"), so a word no
/// list knows needs more.
pub(super) fn listed_name_acts(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let f = ctx.flags(first);
    let listed = f.given() >= 1 || f.surname() >= 1;
    if first != last
        || !listed
        || f.has(COMMON | STOP | TEMPORAL)
        || f.has(COUNTRY | REGION)
        || f.city() > 1
    {
        return false;
    }
    let Some(n) = ctx.get(last + 1) else {
        return false;
    };
    if n.gap != Gap::Space || n.kind != Kind::Lower {
        return false;
    }
    let verb = ctx.word(last + 1);
    // What services and jobs do ("Jenkins failed", "Redis crashed") says nothing of a person.
    const MACHINE_VERBS: &[&str] = &[
        "failed",
        "failing",
        "crashed",
        "crashing",
        "errored",
        "timed",
        "exited",
        "rebooted",
        "restarting",
        "hung",
        "throttled",
        "throttling",
        "returned",
        "returning",
        "loading",
        "running",
        "pending",
    ];
    if MACHINE_VERBS.contains(&verb) {
        return false;
    }
    let past_or_ongoing = verb.len() >= 5 && (verb.ends_with("ed") || verb.ends_with("ing"));
    let infinitive = verb == "to"
        && ctx
            .get(last + 2)
            .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Lower);
    past_or_ongoing || infinitive || ctx.flags(last + 1).has(PERSON_AFTER | SPEECH)
}

/// A capital after a lower-case letter inside a word, other than after the prefixes of
/// surnames (McDonald, MacArthur, DeShawn, LeBron, DiCaprio, VanDyke).
pub(super) fn camel_case(word: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz",
    ];
    let b = word.as_bytes();
    let Some(k) =
        (1..b.len()).find(|&k| b[k].is_ascii_uppercase() && b[k - 1].is_ascii_lowercase())
    else {
        return false;
    };
    !PREFIXES.contains(&&word[..k])
}

/// "Magda +48 601 555 014", "ring Tunde 07700 900123": a phone number right after a name
/// the lists know is whom to call.
pub(super) fn phone_after(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let Some(n) = ctx.get(last + 1) else {
        return false;
    };
    let number = |ctx: &Ctx, k: usize| {
        ctx.get(k).is_some_and(|t| t.kind == Kind::Number)
            && ctx.word(k).bytes().all(|b| b.is_ascii_digit())
    };
    let phone = if n.is_punct('+') {
        ctx.get(last + 2).is_some_and(|t| t.gap == Gap::None) && number(ctx, last + 2)
    } else {
        let w = ctx.word(last + 1);
        number(ctx, last + 1)
            && w.starts_with('0')
            && (w.len() >= 9
                || w.len() >= 3
                    && ctx.get(last + 2).is_some_and(|t| t.gap == Gap::Space)
                    && number(ctx, last + 2))
    };
    phone
        && n.gap == Gap::Space
        && (first..=last).any(|j| {
            let f = ctx.flags(j);
            (f.given() >= 1 || f.surname() >= 2) && !f.has(STOP | COMMON)
        })
}

/// "Yerlan is out sick", "Aigerim is on leave", "Dinara was covering": what only a person
/// is, said right after the word, makes a person even of a word no list knows.
pub(super) fn person_state_after(ctx: &Ctx, last: usize) -> bool {
    const STATES: &[&str] = &[
        "sick",
        "ill",
        "covering",
        "pregnant",
        "retiring",
        "resigning",
        "travelling",
        "traveling",
        "leave",
        "holiday",
        "vacation",
        "maternity",
        "paternity",
        "furlough",
    ];
    if !matches!(ctx.lower_word(last + 1), Some("is" | "was")) {
        return false;
    }
    let mut k = last + 2;
    while matches!(
        ctx.lower_word(k),
        Some("out" | "off" | "on" | "away" | "currently" | "still")
    ) {
        k += 1;
    }
    ctx.lower_word(k).is_some_and(|w| STATES.contains(&w))
}

/// A form's label and its colon right before the name: `Name:`, `Surname:`, `Guest:`,
/// `From:`, `SHIP TO:`.
pub(super) fn colon_label_before(ctx: &mut Ctx, first: usize) -> bool {
    if first < 2 || !ctx.tok(first - 1).is_punct(':') || !ctx.tok(first - 2).is_word() {
        return false;
    }
    let label = first - 2;
    // An e-mail's header lines ("From: Petrov, Aleksandar", "To: Hassan, Mariam").
    if ctx.flags(label).has(PERSON_CUE) || matches!(ctx.word(label), "From" | "To" | "Cc" | "Bcc") {
        return true;
    }
    label > 0
        && ctx.word(label).eq_ignore_ascii_case("to")
        && ["ship", "deliver", "bill", "sold", "send"]
            .iter()
            .any(|w| ctx.word(label - 1).eq_ignore_ascii_case(w))
}

/// The last given name after "Surname, " when one or two given names end the field there
/// (a line end, `;`, `|`, a bracket, or the next label).
pub(super) fn given_after_comma(ctx: &mut Ctx, last: usize) -> Option<usize> {
    if !ctx.glued(last + 1, ',') {
        return None;
    }
    let given = |ctx: &mut Ctx, k: usize| {
        ctx.get(k)
            .is_some_and(|t| t.gap == Gap::Space && t.is_capitalised())
            && {
                let f = ctx.flags(k);
                f.given() >= 1 && nothing_but_a_name(f)
            }
    };
    let mut end = last + 2;
    if !given(ctx, end) {
        return None;
    }
    if given(ctx, end + 1) {
        end += 1;
    }
    let field_ends = match ctx.get(end + 1) {
        None => true,
        Some(t) if t.gap >= Gap::Line => true,
        Some(t) if t.is_punct(';') || t.is_punct('|') || t.is_punct(')') => true,
        Some(t) if t.is_capitalised() => ctx.glued(end + 2, ':'),
        _ => false,
    };
    field_ends.then_some(end)
}

/// "Nkechi's citizenship ceremony": a given name no other list knows, with a possessive,
/// belongs to a person; places and companies take one too, so those lists must be silent.
pub(super) fn possessive_given_name(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let f = ctx.flags(first);
    first == last
        && f.given() >= 1
        && f.surname() <= 1
        && nothing_but_a_name(f)
        && ctx.possessive(last)
}

/// "Rajesh can you bump the heap?", "Tomasz, pls don't", "Olusegun here, joining from
/// Lagos", "hey it's Hyun-woo, new number": a name asked to do something, or giving
/// itself in chat, or signing off with kisses.
pub(super) fn asked_or_introduced(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let word_at = |k: usize| {
        ctx.get(k)
            .filter(|t| t.is_word() && t.gap <= Gap::Space)
            .map(|_| ctx.word(k))
    };
    let mut k = last + 1;
    if ctx.glued(k, ',') {
        k += 1;
    }
    let asked = match word_at(k) {
        Some("pls" | "plz" | "please") => true,
        Some("can" | "could" | "would" | "will" | "do" | "did" | "have") => {
            matches!(word_at(k + 1), Some("you" | "u"))
        }
        _ => false,
    };
    let pause = |k: usize| {
        ctx.get(k)
            .is_none_or(|t| !t.is_word() || t.gap >= Gap::Line)
    };
    let clause_start =
        first == 0 || !ctx.tok(first - 1).is_word() || ctx.tok(first).gap >= Gap::Line;
    let here = clause_start && word_at(last + 1) == Some("here") && pause(last + 2);
    // The tokens drop a possessive's "'s", so "it's" is read from the text; chat drops
    // the apostrophe ("hi its Jomo again").
    let before = ctx.text[..ctx.tok(first).start].trim_end();
    let its = ["it's", "it\u{2019}s", "its"].iter().any(|w| {
        before.len() >= w.len()
            && before.is_char_boundary(before.len() - w.len())
            && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
            && !before[..before.len() - w.len()].ends_with(|c: char| c.is_alphanumeric())
    }) && (pause(last + 1)
        || matches!(word_at(last + 1), Some("from" | "again" | "here")));
    // "…don't ask. Kasia x", "see you soon, Grace xx": a given name signed with kisses.
    let kisses = first == last
        && matches!(word_at(last + 1), Some("x" | "xx" | "xxx"))
        && pause(last + 2)
        && ctx.flags(first).given() >= 1;
    asked || here || its || kisses
}

/// "Actions: Hunter to fix the webhook; Wei Ling to chase Atlassian": an action item
/// given to a name after a colon, a semicolon or a bullet, common word or not ("Hope to
/// see you" opens a line or a sentence, not an item).
pub(super) fn given_an_action(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let item_start = first > 0
        && matches!(
            ctx.tok(first - 1).kind,
            Kind::Punct(':' | ';' | '-' | '\u{2022}' | '*')
        )
        && ctx.tok(first).gap <= Gap::Space;
    let to_verb = ctx.word(last + 1) == "to"
        && ctx.get(last + 1).is_some_and(|t| t.gap == Gap::Space)
        && ctx
            .get(last + 2)
            .is_some_and(|t| t.gap == Gap::Space && t.kind == Kind::Lower);
    item_start
        && to_verb
        && ctx.flags(first).given() >= 2
        && !ctx.flags(first).has(TEMPORAL | NOT_NAME)
}

/// Words of a booking before "under": the name after it is the one the booking is held
/// under.
const BOOKINGS: &[&str] = &[
    "table",
    "booking",
    "booked",
    "book",
    "reservation",
    "reserved",
    "room",
    "order",
    "it",
    "its",
];

/// "a table for 6 under Nguyen", "booked under McAllister", "it's under Sato": a booking
/// held under a person's name.
pub(super) fn booked_under(ctx: &Ctx, first: usize) -> bool {
    if first < 2 || ctx.word(first - 1) != "under" || ctx.tok(first).gap != Gap::Space {
        return false;
    }
    (first.saturating_sub(6)..first - 1).any(|k| {
        let w = ctx.word(k);
        BOOKINGS.iter().any(|b| b.eq_ignore_ascii_case(w))
    })
}

/// "gutted for Summer, she trained so hard", "told Grace he would": a given name, common
/// word or not, that "she" or "he" takes up right after it.
pub(super) fn pronoun_after(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let mut k = last + 1;
    if ctx.glued(k, ',') {
        k += 1;
    }
    // "In Summer, she travels": a season or a month after a word of time.
    let of_time = first > 0
        && [
            "in", "during", "since", "until", "till", "by", "this", "last", "next", "every",
        ]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(ctx.word(first - 1)));
    matches!(ctx.lower_word(k), Some("she" | "he"))
        && ctx.lower_word(k + 1).is_some()
        && !of_time
        && ctx.flags(first).given() >= 1
}

/// "known to everyone as Bel", "aka Meche", "the late Hunter", and a given name that ends
/// the text after a sentence's end ("Lock your cars folks! Gareth"), as a note is signed.
pub(super) fn known_as_late_or_signed(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    let is = |k: usize, w: &str| {
        first
            .checked_sub(k)
            .is_some_and(|j| ctx.tok(j).is_word() && ctx.word(j).eq_ignore_ascii_case(w))
    };
    let known_as = is(1, "as") && (2..=5).any(|k| is(k, "known")) || is(1, "aka");
    let late = is(1, "late") && is(2, "the");
    let signed = last - first <= 1
        && first > 0
        && matches!(ctx.tok(first - 1).kind, Kind::Punct('.' | '!' | '?'))
        && ctx.tok(first).gap >= Gap::Space
        && !ctx.text[ctx.tok(last).end..].contains(char::is_alphanumeric)
        && ctx.flags(first).given() >= 1
        && !ctx.flags(first).has(STOP | TEMPORAL);
    known_as || late || signed
}
