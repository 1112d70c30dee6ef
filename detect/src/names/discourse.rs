//! One sense per discourse: a word that a document confidently uses as a person's name is
//! that person's name wherever else the document writes it, even where its context alone
//! says little ("Mehmet to follow up" on a new line, after "Attendees: Sarah, Mehmet").

use rustc_hash::FxHashSet;

use crate::{Detection, EntityType};

/// The score from which a reading counts as confident: the default threshold.
pub(super) const CONFIDENT: f32 = 0.5;
/// What a weak reading is raised to, here and in a list (`coordination`).
pub(super) const RAISED: f32 = 0.6;
/// Readings weaker than this are not raised: the word was hardly read as a name at all.
pub(super) const FLOOR: f32 = 0.2;

/// Raises, in place, the weak readings in `found` (the stage's detections in `text`) whose
/// every word is a word of a confident NAME elsewhere in `text`.
pub(crate) fn raise_repeated_names(text: &str, found: &mut [Detection]) {
    if found.len() < 2 {
        return;
    }
    let mut names: FxHashSet<&str> = FxHashSet::default();
    for d in found.iter() {
        if d.entity_type == EntityType::Name && d.score >= CONFIDENT {
            names.extend(name_words(&text[d.start..d.end]));
        }
    }
    if names.is_empty() {
        return;
    }
    for d in found.iter_mut() {
        if d.score >= CONFIDENT || d.score < FLOOR || after_an_article(text, d.start) {
            continue;
        }
        let mut words = name_words(&text[d.start..d.end]).peekable();
        if words.peek().is_some() && words.all(|w| names.contains(w)) {
            d.entity_type = EntityType::Name;
            d.score = RAISED;
        }
    }
}

/// "the Brooklyn bed frame", "the Florence + Partners studio": after an article the word
/// names a thing or a place called after the person, not the person.
fn after_an_article(text: &str, start: usize) -> bool {
    let before = text[..start].strip_suffix(' ').unwrap_or("");
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    matches!(word, "the" | "The" | "a" | "A" | "an" | "An")
}

/// The words of a name that identify it: no initials, no particles.
fn name_words(span: &str) -> impl Iterator<Item = &str> {
    span.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2 && w.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(text: &str, word: &str, entity_type: EntityType, score: f32) -> Detection {
        let start = text.find(word).unwrap();
        Detection::from_pattern(entity_type, start, start + word.len(), score)
    }

    #[test]
    fn a_weak_mention_of_a_confident_name_is_raised() {
        let text = "Attendees: Mehmet Yilmaz\n- Mehmet to follow up";
        let mut found = vec![
            det(text, "Mehmet Yilmaz", EntityType::Name, 0.8),
            Detection {
                start: text.rfind("Mehmet").unwrap(),
                end: text.rfind("Mehmet").unwrap() + 6,
                ..det(text, "Mehmet", EntityType::Address, 0.35)
            },
        ];
        raise_repeated_names(text, &mut found);
        assert_eq!(found[1].entity_type, EntityType::Name);
        assert!(found[1].score >= CONFIDENT);
    }

    #[test]
    fn a_name_after_an_article_names_a_thing() {
        let text = "Brooklyn Ortega says the Brooklyn bed frame arrived cracked";
        let mut found = vec![
            det(text, "Brooklyn Ortega", EntityType::Name, 0.9),
            Detection {
                start: text.rfind("Brooklyn").unwrap(),
                end: text.rfind("Brooklyn").unwrap() + 8,
                ..det(text, "Brooklyn", EntityType::Name, 0.4)
            },
        ];
        raise_repeated_names(text, &mut found);
        assert_eq!(found[1].score, 0.4);
    }

    #[test]
    fn words_of_no_confident_name_stay_weak() {
        let text = "Jordan called. Later Jordan and Casey left.";
        let mut found = vec![
            det(text, "Jordan", EntityType::Name, 0.4),
            det(text, "Casey", EntityType::Name, 0.3),
        ];
        raise_repeated_names(text, &mut found);
        assert!(found.iter().all(|d| d.score < CONFIDENT));
    }

    #[test]
    fn a_weak_reading_with_one_unknown_word_stays_weak() {
        let text = "Dana Carrillo wrote. Dana Smith replied.";
        let mut found = vec![
            det(text, "Dana Carrillo", EntityType::Name, 0.9),
            det(text, "Dana Smith", EntityType::Name, 0.45),
        ];
        raise_repeated_names(text, &mut found);
        assert_eq!(found[1].score, 0.45);
    }
}
