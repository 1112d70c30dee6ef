//! Well-known organisations, brands, teams and holidays named with names or places ("Wells
//! Fargo", "Boston Celtics", "Victoria Day"): found whole in the lexicon's list and passed
//! over, so that no word of them is read as a person or a place.

use super::context::Ctx;
use super::flags::{ORG, ORG_PREFIX, TITLE};
use super::tokens::{Gap, Kind};

/// Tokens of the longest listed name ("Martin Luther King Jr. Day").
const MAX_TOKENS: usize = 7;

/// The last token of the listed organisation that starts at token `i`, if one does.
pub(super) fn at(ctx: &mut Ctx, i: usize) -> Option<usize> {
    // Every listed name opens with a word, whose flags the caller has looked up already;
    // a number's would be a lookup of its own.
    if !ctx.tok(i).is_capitalised() || !ctx.flags(i).has(ORG_PREFIX) {
        return None;
    }
    // "only on McDonald's", but "Ms McDonald's account": a shop known by a possessive,
    // unless a title or a given name makes it a person's.
    if ctx.possessive(i) && ctx.possessive_phrase_flags(i).has(ORG) {
        let named = i > 0
            && ctx.tok(i).gap == Gap::Space
            && (ctx.flags(i - 1).has(TITLE) || ctx.flags(i - 1).given() >= 2);
        return (!named).then_some(i);
    }
    // After most words that can open a listed name a lower-case word follows, which no
    // listed name but a few has there.
    let next = ctx.get(i + 1)?;
    if next.kind == Kind::Lower && !inner_word(ctx.word(i + 1)) {
        return None;
    }
    let mut found = None;
    let mut phrase = ctx.phrase_reader(i);
    for k in i + 1..(i + MAX_TOKENS).min(ctx.len()) {
        let t = ctx.tok(k);
        let goes_on = match t.kind {
            Kind::Lower => inner_word(ctx.word(k)),
            Kind::Punct(c) => matches!(c, '&' | '\'' | '.' | '-'),
            // "the 49ers"; "West 23rd" is an address.
            Kind::Number => ctx.word(k).ends_with("ers"),
            _ => true,
        };
        if t.gap > Gap::Space || t.glued || !goes_on {
            break;
        }
        // The words and signs as written, with one space where there is any ("marks &
        // spencer", "st. louis cardinals"); when no listed name starts so, none goes on.
        let Some(f) = ctx.read_phrase_to(&mut phrase, k, "") else {
            break;
        };
        if f.has(ORG) {
            found = Some(k);
        }
    }
    found
}

/// The lower-case words inside a listed name ("Bank of America", "Jack in the Box").
fn inner_word(word: &str) -> bool {
    matches!(word, "of" | "in" | "a" | "for" | "de" | "the" | "and")
}

#[cfg(test)]
mod tests {
    use super::super::detect_names_and_places;

    fn found(text: &str) -> Vec<&str> {
        detect_names_and_places(text)
            .iter()
            .filter(|d| d.score >= 0.5)
            .map(|d| &text[d.start..d.end])
            .collect()
    }

    #[test]
    fn listed_organisations_hide_their_names_and_places() {
        for text in [
            "I moved my savings from Wells Fargo to a credit union.",
            "Tickets for the Boston Celtics game went on sale.",
            "She has worked at Morgan Stanley since 2019.",
            "The office is closed for Victoria Day.",
            "A refund from Marks & Spencer arrived.",
            "We watched Paris Saint-Germain lose again.",
            "He bought the shoes at Dick's Sporting Goods.",
            "Our account at JPMorgan Chase was frozen.",
            "Nike wants co-branded Air Jordan 1s for the Chicago Bulls anniversary.",
            "The Bank of England held interest rates.",
            "Secret Santa budget is 15 pounds.",
            "The code only works on McDonald's orders.",
            "He was fined at the District Court on Monday.",
            "Happy Mother's Day to the woman who raised us",
            "Thanks for calling Jordan Valley Credit Union, how may I help?",
            "there's no hope for the Mets this season",
            "a can of Dr Pepper and a pair of Dr. Martens",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn their_words_stay_names_and_places_elsewhere() {
        assert_eq!(found("We flew to Boston on Monday."), ["Boston"]);
        assert_eq!(
            found("Please contact Morgan Wells about the invoice."),
            ["Morgan Wells"]
        );
        assert_eq!(found("I moved to Paris last year."), ["Paris"]);
        assert_eq!(found("Please ask Dr Pepperell to call"), ["Pepperell"]);
        assert_eq!(
            found("Victoria Okafor signed the form."),
            ["Victoria Okafor"]
        );
    }
}
