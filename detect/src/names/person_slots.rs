//! Places in a sentence that only a person's name fills: "his name was X", "this is X
//! from …", "my son, X", "X, my daughter", "X (31)". There a capitalised word is a person
//! even when it is also a common word ("Hope", "Chase") or a city ("Paris"), which no
//! weaker cue lifts over the threshold.

use super::context::Ctx;
use super::flags::*;
use super::tokens::{Gap, Kind};

/// Words before "called" or "named" that say a person, not a pet or a thing, is named.
const PEOPLE: &[&str] = &[
    "guy",
    "man",
    "woman",
    "lady",
    "girl",
    "boy",
    "bloke",
    "chap",
    "fella",
    "fellow",
    "kid",
    "friend",
    "someone",
    "somebody",
    "person",
    "gentleman",
    "son",
    "daughter",
    "nurse",
    "doctor",
    "teacher",
    "neighbour",
    "neighbor",
    "agent",
    "rep",
    "technician",
    "driver",
];

/// Possessive determiners: "my son, X", "X, my daughter", "his name was X".
const POSSESSIVES: &[&str] = &["my", "our", "your", "his", "her", "their"];

/// Words that may follow a name someone gives for themselves: "this is Rose from the
/// surgery", "it's Paris calling".
const AFTER_INTRODUCTION: &[&str] = &[
    "from", "here", "speaking", "calling", "again", "not", "at", "with", "texting", "ringing",
];

/// Whether token `k` is a word equal to one of `words` (ASCII case-insensitive).
fn word_is(ctx: &Ctx, k: usize, words: &[&str]) -> bool {
    ctx.tok(k).is_word() && words.iter().any(|w| w.eq_ignore_ascii_case(ctx.word(k)))
}

/// Whether the run `first..=last` stands where only a person's name fits.
pub(super) fn only_a_name_fits(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    age_in_brackets(ctx, last)
        || kin_after_possessive(ctx, last)
        || name_said(ctx, first)
        || introduced(ctx, first, last)
        || person_noun_then_name(ctx, first, last)
        || name_then_person_noun(ctx, last)
}

/// "Femi's dad", "it's Rose (Lily and Jack's mum)": whose family member someone is.
fn kin_after_possessive(ctx: &Ctx, last: usize) -> bool {
    const KIN: &[&str] = &[
        "mum",
        "mom",
        "mam",
        "mummy",
        "mommy",
        "dad",
        "daddy",
        "mother",
        "father",
        "son",
        "daughter",
        "wife",
        "husband",
        "brother",
        "sister",
        "boyfriend",
        "girlfriend",
        "nan",
        "nana",
        "gran",
        "granny",
        "grandma",
        "grandad",
        "grandpa",
        "aunt",
        "auntie",
        "uncle",
        "fiancé",
        "fiancée",
        "stepmum",
        "stepdad",
    ];
    ctx.possessive(last)
        && ctx
            .get(last + 1)
            .is_some_and(|t| t.kind == Kind::Lower && t.gap == Gap::Space)
        && KIN.contains(&ctx.word(last + 1))
}

/// "Paris (31), nurse", "Summer (4) and Brooklyn (2)": an age in brackets after the name.
fn age_in_brackets(ctx: &Ctx, last: usize) -> bool {
    let (Some(open), Some(age), Some(close)) =
        (ctx.get(last + 1), ctx.get(last + 2), ctx.get(last + 3))
    else {
        return false;
    };
    let digits = ctx.word(last + 2);
    open.is_punct('(')
        && open.gap <= Gap::Space
        && age.kind == Kind::Number
        && age.gap == Gap::None
        && (1..=3).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|n| n <= 110)
        && (close.is_punct(')') || close.is_punct(','))
        && close.gap == Gap::None
}

/// "his name was Dale", "my name's Hope", "a guy called Dale", "a nurse named Faith".
fn name_said(ctx: &Ctx, first: usize) -> bool {
    let word = |k: usize| {
        first
            .checked_sub(k)
            .filter(|&j| ctx.tok(j).is_word())
            .map(|j| ctx.word(j))
    };
    let lower = |k: usize, w: &[&str]| first.checked_sub(k).is_some_and(|j| word_is(ctx, j, w));
    if first < 2
        || ctx.tok(first).gap != Gap::Space
        || !matches!(
            ctx.word(first - 1),
            "is" | "was" | "name" | "called" | "named"
        )
    {
        return false;
    }
    let owner = |k: usize| lower(k, POSSESSIVES) || lower(k, &["whose", "the"]);
    // "his name is", "the caller's name is", but not "the dog's name is".
    let name_is = lower(1, &["is", "was"])
        && lower(2, &["name"])
        && (owner(3) || first >= 3 && ctx.possessive(first - 3) && !word(3).is_some_and(animal));
    let names = lower(1, &["name"]) && ctx.possessive(first - 1) && owner(2);
    let called = lower(1, &["called", "named"]) && lower(2, PEOPLE);
    name_is || names || called
}

/// Whether the word is an animal's noun: pets are named as people are.
pub(super) fn animal(word: &str) -> bool {
    [
        "dog", "cat", "puppy", "pup", "kitten", "horse", "pony", "pet", "hamster", "rabbit",
        "parrot", "tortoise", "goldfish",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(word))
}

/// "Hi, this is Hope from the surgery", "this is Neve not Siobhán": a name given
/// for oneself at the start of a message or after a greeting.
fn introduced(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    if first < 2
        || ctx.word(first - 1) != "is"
        || !ctx.word(first - 2).eq_ignore_ascii_case("this")
        || !ctx.tok(first - 2).is_word()
    {
        return false;
    }
    let opening = first == 2
        || ctx.tok(first - 2).gap >= Gap::Line
        || !ctx.tok(first - 3).is_word()
        || ctx.flags(first - 3).has(PERSON_CUE);
    let after = match ctx.get(last + 1) {
        None => true,
        Some(t) if t.gap >= Gap::Line || !t.is_word() => true,
        Some(_) => AFTER_INTRODUCTION
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ctx.word(last + 1))),
    };
    opening && after
}

/// "For my son, Chase.", "our lodger, Sunny, has a key", "The tour guide, Hope, knew": a
/// person's noun after a determiner, a comma, then the name, with the clause going on or
/// ending after it.
fn person_noun_then_name(ctx: &mut Ctx, first: usize, last: usize) -> bool {
    if first < 3 || !ctx.glued(first - 1, ',') || ctx.tok(first).gap != Gap::Space {
        return false;
    }
    let noun = first - 2;
    if ctx.tok(noun).kind != Kind::Lower || !ctx.flags(noun).has(PERSON_CUE) {
        return false;
    }
    let determined = (1..=2).any(|k| {
        noun.checked_sub(k)
            .is_some_and(|d| word_is(ctx, d, POSSESSIVES) || word_is(ctx, d, &["the"]))
    });
    let ends = ctx
        .get(last + 1)
        .is_none_or(|t| !t.is_word() || t.kind == Kind::Lower || t.gap >= Gap::Line);
    determined && ends
}

/// "for Hope, my daughter", "Harmony (my daughter) has": the name, then a person's noun
/// after a possessive determiner.
fn name_then_person_noun(ctx: &mut Ctx, last: usize) -> bool {
    let separated = ctx.glued(last + 1, ',') || ctx.get(last + 1).is_some_and(|t| t.is_punct('('));
    if !separated {
        return false;
    }
    let det = last + 2;
    ctx.get(det).is_some_and(|t| t.kind == Kind::Lower)
        && word_is(ctx, det, POSSESSIVES)
        && ctx
            .get(det + 1)
            .is_some_and(|t| t.kind == Kind::Lower && t.gap == Gap::Space)
        && ctx.flags(det + 1).has(PERSON_CUE)
}
