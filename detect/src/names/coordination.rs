//! Words in one list are of one kind: "Ana, Lukas and Wen", "mother of Siobhán, Ciarán and
//! Rose", "Evans, Lloyd, Hughes". A weak reading joined to a confident name by a
//! conjunction, or by a comma where both sides are single words, is a name too; a weak
//! place joined so to a confident place is a place.

use crate::{Detection, EntityType};

use super::discourse::{CONFIDENT, FLOOR, RAISED};

/// Conjunctions of the languages the stage reads; " or " lists alternatives of one kind,
/// an arrow a move or a handover ("Winnipeg → Yellowknife", "Magnusson -> Oyelaran").
const CONJUNCTIONS: &[&str] = &[
    " and ",
    ", and ",
    " & ",
    " or ",
    " y ",
    " e ",
    " et ",
    " und ",
    " en ",
    " og ",
    " och ",
    " \u{2192} ",
    " -> ",
];

/// Raises, in place, weak readings in `found` (the stage's detections in `text`, sorted by
/// start) that a list joins to a confident reading, from either side, so that a raised
/// reading carries the list on.
pub(crate) fn raise_coordinated(text: &str, found: &mut [Detection]) {
    for i in 1..found.len() {
        let (before, after) = found.split_at_mut(i);
        raise(text, &before[i - 1], &mut after[0]);
    }
    for i in (1..found.len()).rev() {
        let (before, after) = found.split_at_mut(i);
        raise(text, &after[0], &mut before[i - 1]);
    }
}

/// Raises `weak` when `confident` is one of its kind and the two are neighbours in a list.
fn raise(text: &str, confident: &Detection, weak: &mut Detection) {
    if confident.score < CONFIDENT || weak.score >= CONFIDENT || weak.score < FLOOR {
        return;
    }
    let (first, second) = if confident.start < weak.start {
        (confident.end, weak.start)
    } else {
        (weak.end, confident.start)
    };
    let Some(join) = text.get(first..second) else {
        return;
    };
    let by_conjunction = CONJUNCTIONS.contains(&join);
    // "Groetjes, Bram": two words and a comma are a greeting and a name as often as a
    // list; a third member, or a colon before the first, makes it a list.
    let by_comma = join == ", "
        && one_word(&text[confident.start..confident.end])
        && one_word(&text[weak.start..weak.end])
        && list_goes_on(
            text,
            confident.start.min(weak.start),
            confident.end.max(weak.end),
        );
    if !by_conjunction && !by_comma || common_word(&text[confident.start..confident.end]) {
        return;
    }
    match confident.entity_type {
        // A weak place between names is a name misread ("Noa and Olive"); only a conjunction
        // says so, since a comma after a name often leads to where the person is from.
        EntityType::Name
            if (weak.entity_type == EntityType::Name || by_conjunction)
                && known_name_words(&text[weak.start..weak.end]) =>
        {
            weak.entity_type = EntityType::Name;
            weak.score = RAISED;
        }
        EntityType::Address if weak.entity_type == EntityType::Address => weak.score = RAISED,
        _ => {}
    }
}

fn one_word(span: &str) -> bool {
    !span.contains(char::is_whitespace)
}

/// Whether the list of two members `text[start..end]` has another join before or after it.
fn list_goes_on(text: &str, start: usize, end: usize) -> bool {
    let (before, after) = (&text[..start], &text[end..]);
    before.ends_with(", ")
        || before.ends_with(": ")
        || after.starts_with(", ")
        || CONJUNCTIONS
            .iter()
            .any(|c| before.ends_with(c) || after.starts_with(c))
}

/// "in Olive and Black": a single common word is too weak an anchor for a list, even where
/// read as a name.
fn common_word(span: &str) -> bool {
    one_word(span) && super::flags_of(span).has(super::flags::COMMON)
}

/// "Figma and Canva", "the Everest and Denali rooms": every word of a raised reading must
/// be one the name lists know, as a given name or a surname of some weight.
fn known_name_words(span: &str) -> bool {
    span.split_whitespace().all(|w| {
        let f = super::flags_of(w.trim_end_matches([',', '.']));
        (f.given() >= 1 || f.surname() >= 2) && !f.has(super::flags::ORG | super::flags::NOT_NAME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(text: &str, word: &str, entity_type: EntityType, score: f32) -> Detection {
        let start = text.find(word).unwrap();
        Detection::from_pattern(entity_type, start, start + word.len(), score)
    }

    #[test]
    fn a_list_carries_a_confident_name_to_its_weak_members() {
        let text = "mother of Siobhán, Ciarán, Aoife and Rose.";
        let mut found = vec![
            det(text, "Siobhán", EntityType::Name, 0.36),
            det(text, "Ciarán", EntityType::Name, 0.66),
            det(text, "Aoife", EntityType::Address, 0.3),
            det(text, "Rose", EntityType::Address, 0.3),
        ];
        raise_coordinated(text, &mut found);
        assert!(found[0].score >= CONFIDENT);
        assert_eq!(found[2].score, 0.3, "a weak place after a comma stays");
        let text = "Noa and Olive are thrilled";
        let mut found = vec![
            det(text, "Noa", EntityType::Name, 0.51),
            det(text, "Olive", EntityType::Address, 0.35),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(found[1].entity_type, EntityType::Name);
        assert!(found[1].score >= CONFIDENT);
    }

    #[test]
    fn words_no_name_list_knows_and_pairs_after_a_greeting_stay_weak() {
        let text = "building tools at Figma and Canva.";
        let mut found = vec![
            det(text, "Figma", EntityType::Name, 0.3),
            det(text, "Canva", EntityType::Name, 0.7),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(found[0].score, 0.3);
        let text = "Tot dan. Groetjes, Bram";
        let mut found = vec![
            det(text, "Groetjes", EntityType::Name, 0.3),
            det(text, "Bram", EntityType::Name, 0.8),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(found[0].score, 0.3);
        let text = "in Olive and Black.";
        let mut found = vec![
            det(text, "Olive", EntityType::Name, 0.3),
            det(text, "Black", EntityType::Name, 0.56),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(found[0].score, 0.3);
    }

    #[test]
    fn an_arrow_joins_places() {
        let text = "Winnipeg \u{2192} Yellowknife";
        let mut found = vec![
            det(text, "Winnipeg", EntityType::Address, 0.8),
            det(text, "Yellowknife", EntityType::Address, 0.35),
        ];
        raise_coordinated(text, &mut found);
        assert!(found[1].score >= CONFIDENT);
    }

    #[test]
    fn a_comma_after_a_full_name_does_not_make_a_name() {
        let text = "Rosalind Achterberg, Veldhoven";
        let mut found = vec![
            det(text, "Rosalind Achterberg", EntityType::Name, 0.9),
            det(text, "Veldhoven", EntityType::Name, 0.3),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(found[1].score, 0.3);
    }

    #[test]
    fn weak_words_alone_or_apart_stay_weak() {
        let text = "Jordan and Casey met Grant in Leeds.";
        let mut found = vec![
            det(text, "Jordan", EntityType::Name, 0.4),
            det(text, "Casey", EntityType::Name, 0.3),
            det(text, "Grant", EntityType::Name, 0.3),
            det(text, "Leeds", EntityType::Address, 0.9),
        ];
        raise_coordinated(text, &mut found);
        assert!(found.iter().take(3).all(|d| d.score < CONFIDENT));
        let text = "Kings Cross or Camden";
        let mut found = vec![
            det(text, "Kings Cross", EntityType::Address, 0.7),
            det(text, "Camden", EntityType::Name, 0.43),
        ];
        raise_coordinated(text, &mut found);
        assert_eq!(
            found[1].entity_type,
            EntityType::Name,
            "a name is not made a place"
        );
        assert_eq!(found[1].score, 0.43);
    }
}
