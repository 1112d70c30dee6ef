//! Chat written all in lower case ("omg is jess coming to leeds sat??"): the first pass
//! looks for capitals and passes such lines over, so a line that opens in lower case is
//! read here instead, word by word. Only two readings are made, both on what the lists
//! know for sure: a given name that is no common word ("kemi", "mateo"), and a place after
//! a preposition of place ("to leeds", "en palermo", "from pune").

use super::flags;
use super::lexicon::{Flags, Lexicon};
use super::tokens::{Kind, Token, tokenize_range};
use crate::{Detection, EntityType};

/// A given name read without a capital: above the default threshold, below any cue's.
const NAME_SCORE: f32 = 0.55;
const PLACE_SCORE: f32 = 0.6;

/// Prepositions of place in the languages of the lists, in the lower case chat uses.
fn place_preposition(word: &str) -> bool {
    matches!(
        word,
        "in" | "to"
            | "from"
            | "near"
            | "round"
            | "around"
            | "outside"
            | "en"
            | "em"
            | "para"
            | "desde"
            | "nach"
            | "aus"
            | "dans"
            | "à"
            | "a"
            | "al"
            | "ao"
            | "no"
            | "na"
            | "at"
            | "i"
            | "w"
            | "v"
    )
}

/// The token list and readings of a call, for the caller to keep for its next one.
#[derive(Default)]
pub(crate) struct Buffers {
    toks: Vec<Token>,
    mine: Vec<Detection>,
}

/// Appends the readings of the lower-case lines of `text` to `found` (the stage's
/// readings, sorted by start), keeping it sorted and free of overlaps.
pub(crate) fn read_lower_case_lines(
    text: &str,
    found: &mut Vec<Detection>,
    first: usize,
    buffers: &mut Buffers,
) {
    let Buffers { toks, mine } = buffers;
    mine.clear();
    let mut line_start = 0;
    for line_end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        if chat_line(&text.as_bytes()[line_start..line_end]) {
            tokenize_range(text, line_start, line_end, toks);
            read_line(text, toks, mine);
        }
        line_start = line_end + 1;
    }
    if mine.is_empty() {
        return;
    }
    // Both lists are sorted by start and free of overlaps among themselves, so one forward
    // walk finds the stage's reading that could overlap each of these.
    let stage = &found[first..];
    let mut k = 0;
    mine.retain(|m| {
        while k < stage.len() && stage[k].end <= m.start {
            k += 1;
        }
        stage.get(k).is_none_or(|d| d.start >= m.end)
    });
    found.append(mine);
    found[first..].sort_by_key(|d| d.start);
}

/// Whether `line` is written in lower case: its first letter is, and so is the first
/// letter after its first sentence's end.
fn chat_line(line: &[u8]) -> bool {
    let Some(first) = line
        .iter()
        .position(|b| b.is_ascii_alphabetic() || *b >= 0x80)
    else {
        return false;
    };
    line[first].is_ascii_lowercase()
        && crate::lower_case_lines::next_sentence_in_lower_case(line, first)
}

fn read_line(text: &str, toks: &[Token], out: &mut Vec<Detection>) {
    let lexicon = Lexicon::get();
    let mut buf = String::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t.kind != Kind::Lower || t.glued {
            i += 1;
            continue;
        }
        let word = &text[t.start..t.end];
        if i > 0
            && toks[i - 1].kind == Kind::Lower
            && place_preposition(&text[toks[i - 1].start..toks[i - 1].end])
            && let Some(last) = place_at(text, toks, i, lexicon, &mut buf)
        {
            out.push(Detection::from_pattern(
                EntityType::Address,
                t.start,
                toks[last].end,
                PLACE_SCORE,
            ));
            i = last + 1;
            continue;
        }
        // "dani: yo whats the wifi pw": a speaker's name opening a line before a colon,
        // short or not.
        let speaker = i == 0
            && toks
                .get(1)
                .is_some_and(|c| c.kind == Kind::Punct(':') && c.gap == super::tokens::Gap::None);
        let f = lexicon.lookup(word, &mut buf);
        let reading = if name_slot(text, toks, i, out) {
            (f.given() >= 2 && word.len() >= 3 && plain(f))
                .then_some((EntityType::Name, NAME_SCORE))
        } else if speaker {
            (f.given() >= 1 && word.len() >= 3 && !f.has(flags::COMMON) && plain(f))
                .then_some((EntityType::Name, NAME_SCORE))
        } else if word.len() < 4 {
            // "nan", "til", "che", "ana": three letters spell as many words of some
            // language as names.
            None
        } else if given_name(f)
            || i == 1 && greeting(&text[toks[0].start..toks[0].end]) && f.given() == 3 && plain(f)
        {
            Some((EntityType::Name, NAME_SCORE))
        } else if big_city(f) && !place_preposition(word) {
            Some((EntityType::Address, PLACE_SCORE))
        } else {
            None
        };
        if let Some((entity_type, score)) = reading {
            out.push(Detection::from_pattern(entity_type, t.start, t.end, score));
        }
        i += 1;
    }
}

/// "love from lily and ollie", "hey its gaz", "hi this is brooklyn": where chat signs or
/// introduces itself only a name fits, so a well-known given name counts even when it is
/// a common word or a city; so does a second one joined by "and".
fn name_slot(text: &str, toks: &[Token], i: usize, out: &[Detection]) -> bool {
    let word = |k: usize| {
        let t = toks[k];
        (t.kind == Kind::Lower).then(|| &text[t.start..t.end])
    };
    let before = |n: usize| i.checked_sub(n).and_then(word);
    match (before(2), before(1)) {
        (Some("love"), Some("from")) | (Some("this"), Some("is")) => true,
        (_, Some("its")) => true,
        // A token ends before a possessive's `'s`, and "it's" is written like one.
        (_, Some("it")) => text[toks[i - 1].end..].starts_with(['\'', '\u{2019}']),
        // "love from lily and ollie": a name just before the "and"; a line may open with it.
        (_, Some("and")) => i.checked_sub(2).is_some_and(|k| {
            out.last()
                .is_some_and(|d| d.entity_type == EntityType::Name && d.end == toks[k].end)
        }),
        _ => false,
    }
}

/// The last token of a place of up to three lower-case words from token `i` ("fort wayne",
/// "são joão del rei" is too long and stays), the longest the lists know.
fn place_at(
    text: &str,
    toks: &[Token],
    i: usize,
    lexicon: &Lexicon,
    buf: &mut String,
) -> Option<usize> {
    let mut phrase = String::new();
    let mut best = None;
    for (j, &t) in toks.iter().enumerate().skip(i).take(3) {
        if t.kind != Kind::Lower || t.glued || j > i && t.gap != super::tokens::Gap::Space {
            break;
        }
        if j > i {
            phrase.push(' ');
        }
        phrase.push_str(&text[t.start..t.end]);
        let f = if j == i {
            lexicon.lookup(&phrase, buf)
        } else {
            lexicon.lookup_lower(&phrase)
        };
        if j == i && !f.has(flags::PLACE_PREFIX) && !place(f) {
            return None;
        }
        if place(f) {
            best = Some(j);
        }
    }
    best
}

/// A place the lists know that no common word, given name or cue spells.
fn place(f: Flags) -> bool {
    let known = f.is_place() || f.has(flags::LOCALITY) && f.surname() <= 2;
    known
        && f.given() == 0
        && !f.has(flags::COMMON | flags::TEMPORAL | flags::ORG | flags::NOT_NAME | flags::PARTICLE)
}

/// A given name the lists know well that is no common word, region or city of size
/// ("kemi", "marco": towns of the name count for little against the name).
fn given_name(f: Flags) -> bool {
    f.given() >= 2
        && f.city() <= 1
        && !f.has(flags::COMMON | flags::COUNTRY | flags::REGION)
        && plain(f)
}

/// No word that names a time, a company, a part of a name or never a name.
fn plain(f: Flags) -> bool {
    !f.has(flags::NOT_NAME | flags::TEMPORAL | flags::ORG | flags::PARTICLE)
}

/// "hey dawn", "lol grace just sent": the word that opens a line before a name, where a
/// given name that is also a common word, if among the most common names, is a name.
fn greeting(word: &str) -> bool {
    matches!(
        word,
        "hey"
            | "heyy"
            | "hi"
            | "hii"
            | "hiya"
            | "yo"
            | "oi"
            | "oye"
            | "hola"
            | "ciao"
            | "cau"
            | "ahoj"
            | "lol"
            | "omg"
            | "guys"
            | "thanks"
            | "thx"
            | "ty"
    )
}

/// A city of 100,000 people or more that no common word, name or cue spells: a place
/// even without a preposition ("sampe bekasi blm?").
fn big_city(f: Flags) -> bool {
    f.city() >= 2 && f.given() == 0 && f.surname() == 0 && place(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(EntityType, &str)> {
        let mut found = Vec::new();
        read_lower_case_lines(text, &mut found, 0, &mut Buffers::default());
        found
            .iter()
            .map(|d| (d.entity_type, &text[d.start..d.end]))
            .collect()
    }

    #[test]
    fn names_where_chat_signs_or_introduces_itself() {
        use EntityType::Name;
        assert_eq!(
            read("happy birthday nan!! love from lily and ollie xx"),
            [(Name, "lily"), (Name, "ollie")]
        );
        assert_eq!(read("hey it's faith, new number"), [(Name, "faith")]);
        assert_eq!(
            read("hi this is brooklyn from the surgery"),
            [(Name, "brooklyn")]
        );
        assert!(read("this is great and faith is restored").is_empty());
        // "and" opening a line has no name before it to join.
        assert!(read("and and").is_empty());
        assert!(read("and lily").is_empty());
    }

    #[test]
    fn names_and_places_in_lower_case_chat() {
        use EntityType::{Address, Name};
        assert_eq!(
            read("omg is jess coming to leeds sat?? ya her train gets in at 11"),
            [(Name, "jess"), (Address, "leeds")]
        );
        assert_eq!(
            read("at the olive garden in fort wayne at 7"),
            [(Address, "fort wayne")]
        );
        assert_eq!(
            read("mateo seguís en palermo?"),
            [(Name, "mateo"), (Address, "palermo")]
        );
        assert_eq!(read("lol grace just sent the wrong pic"), [(Name, "grace")]);
        assert_eq!(read("rui: its on the fridge"), [(Name, "rui")]);
        assert!(read("note: its on the fridge").is_empty());
    }

    #[test]
    fn common_words_short_words_and_prose_are_not_read() {
        // A common word that is a given name needs a greeting before it; a three-letter
        // name is a word of some language as often.
        assert!(read("i hope so, will u bring the cake").is_empty());
        assert!(read("ok nan says til 6").is_empty());
        // A line cut from prose: the sentence after its first opens with a capital.
        assert!(read("moved to leeds with Jess. Then she left for Mateo's place").is_empty());
        assert!(read("Jess moved to leeds").is_empty());
    }

    #[test]
    fn readings_of_the_first_pass_win_and_order_is_kept() {
        let text = "Dana Carrillo wrote\nhey kemi r u in leeds";
        let mut found = vec![Detection::from_pattern(EntityType::Name, 0, 13, 0.9)];
        read_lower_case_lines(text, &mut found, 0, &mut Buffers::default());
        let words: Vec<&str> = found.iter().map(|d| &text[d.start..d.end]).collect();
        assert_eq!(words, ["Dana Carrillo", "kemi", "leeds"]);
        let leeds = text.find("leeds").expect("in the text");
        let mut found = vec![Detection::from_pattern(
            EntityType::Address,
            leeds,
            leeds + 5,
            0.9,
        )];
        read_lower_case_lines(text, &mut found, 0, &mut Buffers::default());
        assert_eq!(found.len(), 2, "no second reading of the same word");
    }
}
