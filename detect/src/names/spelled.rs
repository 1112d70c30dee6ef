//! A name spelled out letter by letter, as callers and agents do on the phone
//! ("Ogunbanjo, that's O-G-U-N-B-A-N-J-O", "Is that O-K-O-N-K-W-O?").

use super::Match;
use super::context::Ctx;

/// Letters spelled this way are a name when the text wrote the word itself shortly before,
/// or when a word of spelling comes right before them.
const LOOK_BACK: usize = 400;
const SCORE: f32 = 0.7;

/// Token `i` as a spelled-out name: three or more capital letters joined by hyphens.
pub(crate) fn at(ctx: &Ctx, i: usize) -> Option<Match> {
    let word = ctx.word(i);
    if !spelled_letters(word) {
        return None;
    }
    let cue = i > 0
        && matches!(
            ctx.word(i - 1).to_ascii_lowercase().as_str(),
            "that's" | "thats" | "that" | "spelled" | "spelt" | "spell" | "spelling"
        );
    (cue || written_before(ctx, i, word)).then(|| Match::new(i, i, SCORE))
}

/// "A-O-I-F-E": single letters, at least three, joined by single hyphens.
fn spelled_letters(word: &str) -> bool {
    let mut letters = 0;
    for (k, part) in word.split('-').enumerate() {
        let mut chars = part.chars();
        let single_capital = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
        if !single_capital {
            return false;
        }
        letters = k + 1;
    }
    letters >= 3
}

/// Whether the word the letters spell occurs in the text shortly before them, in any case.
fn written_before(ctx: &Ctx, i: usize, word: &str) -> bool {
    let spelled: String = word
        .split('-')
        .flat_map(|l| l.chars().flat_map(char::to_lowercase))
        .collect();
    let start = ctx.tok(i).start;
    let mut from = start.saturating_sub(LOOK_BACK);
    while !ctx.text.is_char_boundary(from) {
        from += 1;
    }
    ctx.text[from..start].to_lowercase().contains(&spelled)
}

#[cfg(test)]
mod tests {
    use crate::EntityType;

    fn names(text: &str) -> Vec<&str> {
        crate::detect_names_and_places(text)
            .into_iter()
            .filter(|d| d.entity_type == EntityType::Name && d.score >= 0.5)
            .map(|d| &text[d.start..d.end])
            .collect()
    }

    #[test]
    fn letters_that_spell_a_name_said_before_or_after_a_word_of_spelling() {
        assert_eq!(
            names("Caller: It's Aaliyah Ogunbanjo, O-G-U-N-B-A-N-J-O."),
            ["Aaliyah Ogunbanjo", "O-G-U-N-B-A-N-J-O"]
        );
        assert_eq!(
            names("Agent: Is that K-O-W-A-L-S-K-I?"),
            ["K-O-W-A-L-S-K-I"]
        );
    }

    #[test]
    fn other_hyphenated_capitals_are_no_names() {
        assert!(names("Press the A-B-C buttons in turn").is_empty());
        assert!(names("Gate B-12-C is closed").is_empty());
        assert!(names("the X-Y plot").is_empty());
    }
}
