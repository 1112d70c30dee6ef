//! Token access with lazily looked-up lexicon flags, and the cue words around a span.

use super::flags::*;
use super::lexicon::{Flags, Lexicon, PhraseWalk};
use super::tokens::{Gap, Kind, Token};

/// Buffers a `Ctx` borrows, kept from one window to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    flags: Vec<Option<Flags>>,
    pub(crate) buf: String,
    phrase: String,
}

/// Tokens read into the lexicon as one phrase so far, by [`Ctx::read_phrase_to`].
pub(crate) struct PhraseReader {
    first: usize,
    /// The token to read next.
    next: usize,
    /// `None` from the first word outside ASCII on: a phrase with one that no list has
    /// as it is spelled is looked up again folded to ASCII, so it is looked up whole.
    walk: Option<PhraseWalk<'static>>,
}

pub(crate) struct Ctx<'a> {
    pub(crate) text: &'a str,
    pub(crate) toks: &'a [Token],
    lexicon: &'static Lexicon,
    /// Flags per token, looked up on first use: most words are never asked about.
    flags: &'a mut Vec<Option<Flags>>,
    buf: &'a mut String,
    phrase: &'a mut String,
}

impl<'a> Ctx<'a> {
    /// `scratch` is reused across windows.
    pub(crate) fn new(text: &'a str, toks: &'a [Token], scratch: &'a mut Scratch) -> Self {
        let Scratch { flags, buf, phrase } = scratch;
        flags.clear();
        flags.resize(toks.len(), None);
        Self {
            text,
            toks,
            lexicon: Lexicon::get(),
            flags,
            buf,
            phrase,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(crate) fn tok(&self, i: usize) -> Token {
        self.toks[i]
    }

    pub(crate) fn get(&self, i: usize) -> Option<Token> {
        self.toks.get(i).copied()
    }

    /// The text of token `i`; past the last token, the empty string, so that the rules
    /// can look a few words ahead without checking where the window ends.
    pub(crate) fn word(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    /// What the lexicon knows of token `i`, nothing past the last token. Asked about the
    /// same few tokens again and again by every rule: the answer already looked up is
    /// returned inline, the lookup itself is out of line.
    #[inline]
    pub(crate) fn flags(&mut self, i: usize) -> Flags {
        match self.flags.get(i) {
            Some(Some(f)) => *f,
            Some(None) => self.look_up_flags(i),
            None => Flags::default(),
        }
    }

    #[inline(never)]
    fn look_up_flags(&mut self, i: usize) -> Flags {
        let t = self.toks[i];
        let f = if t.is_word() || t.kind == Kind::Number {
            let word = &self.text[t.start..t.end];
            let f = self.lexicon.lookup(word.trim_end_matches('.'), self.buf);
            if f.unknown() && t.kind == Kind::Cap && word.contains('-') {
                self.compound_given(word).unwrap_or(f)
            } else {
                f
            }
        } else {
            Flags::default()
        };
        self.flags[i] = Some(f);
        f
    }

    /// "Jan-Willem", "Anna-Lena", "Sun-hee": a compound of given names is a given name as
    /// strong as its weaker part.
    fn compound_given(&mut self, word: &str) -> Option<Flags> {
        let mut strength = 3;
        for part in word.split('-') {
            let f = self.lexicon.lookup(part, self.buf);
            // "Jan" is a month too; inside a compound of names it is not.
            if part.is_empty() || f.has(COMMON | NOT_NAME | ORG) || f.given() == 0 {
                return None;
            }
            strength = strength.min(f.given() as u64);
        }
        Some(Flags(strength << GIVEN_SHIFT))
    }

    /// Flags of the words `first..=last` read as one phrase ("porto alegre").
    pub(crate) fn phrase_flags(&mut self, first: usize, last: usize) -> Flags {
        self.prefixed_phrase_flags("", first, last)
    }

    /// Flags of the words `first..=last` read as one phrase after `prefix` ("saint " +
    /// "petersburg").
    pub(crate) fn prefixed_phrase_flags(
        &mut self,
        prefix: &str,
        first: usize,
        last: usize,
    ) -> Flags {
        self.phrase_lookup(prefix, first, last, "-", "")
    }

    /// A reading of the tokens from `first` on as one phrase, a token at a time (see
    /// [`Self::read_phrase_to`]).
    pub(crate) fn phrase_reader(&self, first: usize) -> PhraseReader {
        PhraseReader {
            first,
            next: first,
            walk: Some(self.lexicon.phrase_walk()),
        }
    }

    /// Flags of the tokens from the reader's first to `last` (no token before the last one
    /// read) read as one phrase, as [`Self::phrase_lookup`] reads them with `joint`; `None`
    /// when no listed phrase starts with them, so that none longer is listed either, and
    /// the reader is done.
    pub(crate) fn read_phrase_to(
        &mut self,
        reader: &mut PhraseReader,
        last: usize,
        joint: &str,
    ) -> Option<Flags> {
        while reader.next <= last {
            let i = reader.next;
            reader.next += 1;
            let Some(walk) = &mut reader.walk else {
                break;
            };
            let word = self.word(i);
            if !word.is_ascii() {
                reader.walk = None;
                break;
            }
            let read = if i == reader.first {
                walk.read_first_word(word)
            } else {
                let space = if self.toks[i].gap == Gap::None {
                    joint
                } else {
                    " "
                };
                walk.read_lower(space.as_bytes()) && walk.read_lower(word.as_bytes())
            };
            if !read {
                return None;
            }
        }
        Some(match &reader.walk {
            Some(walk) => walk.flags(),
            None => self.phrase_lookup("", reader.first, last, joint, ""),
        })
    }

    /// Flags of token `i` read with the possessive `'s` after it ("mcdonald's").
    pub(crate) fn possessive_phrase_flags(&mut self, i: usize) -> Flags {
        self.phrase_lookup("", i, i, "", "'s")
    }

    /// Flags of `prefix`, the tokens `first..=last` in lower case, and `suffix`, read as one
    /// phrase: tokens with no space between them are joined by `joint`, others by a space.
    fn phrase_lookup(
        &mut self,
        prefix: &str,
        first: usize,
        last: usize,
        joint: &str,
        suffix: &str,
    ) -> Flags {
        self.phrase.clear();
        self.phrase.push_str(prefix);
        for i in first..=last {
            if i > first {
                self.phrase.push_str(if self.toks[i].gap == Gap::None {
                    joint
                } else {
                    " "
                });
            }
            push_lower(self.phrase, self.word(i));
        }
        self.phrase.push_str(suffix);
        self.lexicon.lookup_lower(self.phrase)
    }

    /// "Mrs Thu", "Ms June": token `j` is a day's or month's word right after a title,
    /// which makes it a name.
    pub(crate) fn temporal_after_title(&mut self, j: usize) -> bool {
        j > 0 && self.flags(j).has(TEMPORAL) && self.flags(j - 1).has(TITLE)
    }

    /// Token `k` is a state or province code in capitals ("NSW", "AR", "ON"), which in
    /// lower or mixed case is an ordinary word.
    pub(crate) fn region_code(&mut self, k: usize) -> bool {
        self.get(k).is_some_and(|t| t.kind == Kind::Upper) && self.flags(k).has(REGION_CODE)
    }

    /// Token `k` when it is a lower-case word one space after the token before it.
    pub(crate) fn lower_word(&self, k: usize) -> Option<&'a str> {
        self.get(k)
            .filter(|t| t.kind == Kind::Lower && t.gap == Gap::Space)
            .map(|_| self.word(k))
    }

    /// Token `k` is followed by a possessive's apostrophe, which the tokens leave out
    /// ("Nkechi's", "Thomas'").
    pub(crate) fn possessive(&self, k: usize) -> bool {
        let mut rest = self.text[self.toks[k].end..].chars();
        matches!(rest.next(), Some('\'' | '\u{2019}'))
            // "Ankara'dan": a Turkish case ending is no possessive.
            && match rest.next() {
                Some('s' | 'S') => !rest.next().is_some_and(char::is_alphanumeric),
                Some(c) => !c.is_alphanumeric(),
                None => true,
            }
    }

    /// Token `k` is the punctuation `c` written onto the word before it.
    pub(crate) fn glued(&self, k: usize, c: char) -> bool {
        self.get(k)
            .is_some_and(|t| t.is_punct(c) && t.gap == Gap::None)
    }

    /// Token `k` is a period written onto the word before it: an abbreviation's ("St.",
    /// "Whg.", "Co.").
    pub(crate) fn glued_period(&self, k: usize) -> bool {
        self.glued(k, '.')
    }

    /// Whether token `i` follows a word with `flag` (skipping one comma: "Thanks, Maria").
    pub(crate) fn word_before_has(&mut self, i: usize, flag: u64) -> bool {
        let mut j = i;
        let mut flag = flag;
        for _ in 0..2 {
            let Some(p) = j.checked_sub(1) else {
                return false;
            };
            let t = self.toks[p];
            if t.is_word() {
                return self.flags(p).has(flag);
            }
            // "Dr. Okafor", but "…this automated message. Whitelist": across a period only
            // a title is a cue.
            if t.is_punct('.') {
                flag &= TITLE;
            }
            if !(t.is_punct(',') || t.is_punct('.')) {
                return false;
            }
            j = p;
        }
        false
    }

    /// Starts a sentence, a line or a quoted phrase: its capital says little.
    pub(crate) fn sentence_start(&self, i: usize) -> bool {
        let t = self.toks[i];
        if i == 0 || t.gap >= Gap::Line {
            return true;
        }
        matches!(
            self.toks[i - 1].kind,
            Kind::Punct(
                '.' | '!'
                    | '?'
                    | ':'
                    | ';'
                    | '"'
                    | '\u{201C}'
                    | '('
                    | '['
                    | '*'
                    | '-'
                    | '\u{2022}'
                    | '>'
                    | '|'
            )
        )
    }

    /// Cue words before a person's name: a greeting, a verb of contact, a title, a
    /// `Name:`-style label, a sign-off on the line above.
    pub(crate) fn person_cue_before(&mut self, i: usize) -> bool {
        if self.message_from(i) {
            return true;
        }
        if self.word_before_has(i, PERSON_CUE | TITLE) {
            return self.introduces_a_name(i);
        }
        // "anh Tuấn", "chị Lan": Vietnamese kin words before a name, in lower case only,
        // since written with a capital they are given names themselves ("Tran Duc Anh").
        if i > 0
            && self.toks[i - 1].kind == Kind::Lower
            && matches!(
                self.word(i - 1),
                "anh" | "chị" | "em" | "cô" | "chú" | "bác" | "ông" | "bà"
            )
        {
            return true;
        }
        // "Agent (Diego):", "the tenant (Ms Ruiz)": a name in brackets after a role.
        if i >= 2
            && self.toks[i - 1].is_punct('(')
            && self.toks[i - 2].is_word()
            && self.flags(i - 2).has(PERSON_CUE)
        {
            return true;
        }
        if i >= 2 && matches!(self.toks[i - 1].kind, Kind::Punct(':' | '=' | '\u{FF1A}')) {
            // "Customer: Dana", "名前：山田太郎"
            let label = i - 2;
            let t = self.toks[label];
            if t.is_word() && self.flags(label).has(PERSON_CUE) {
                return true;
            }
            if t.kind == Kind::Cjk {
                let w = self.word(label);
                return [
                    "名前",
                    "氏名",
                    "姓名",
                    "担当",
                    "担当者",
                    "名",
                    "이름",
                    "성명",
                ]
                .iter()
                .any(|l| w.ends_with(l));
            }
        }
        // A sign-off line ("Best regards,") right above.
        if self.toks[i].gap >= Gap::Line && i >= 2 && self.toks[i - 1].is_punct(',') {
            return self.word_before_has(i - 1, PERSON_CUE) || self.toks[i - 2].is_word();
        }
        false
    }

    /// "My name is Ana", "this is Ana", but not "the capital is Paris": after "is" only a
    /// word that names the person comes before the name; after "called", no pet's.
    fn introduces_a_name(&mut self, i: usize) -> bool {
        let Some(p) = i.checked_sub(1) else {
            return true;
        };
        // "a dog called Bella": pets are named too.
        if matches!(self.word(p), "called" | "named") {
            return p == 0 || !super::person_slots::animal(self.word(p - 1));
        }
        if self.word(p) != "is" {
            return true;
        }
        p > 0
            && self.toks[p - 1].is_word()
            && (matches!(
                self.word(p - 1),
                "this" | "This" | "it" | "It" | "here" | "that" | "That"
            ) || self.flags(p - 1).has(PERSON_CUE))
    }

    pub(crate) fn weak_person_cue_before(&mut self, i: usize) -> bool {
        i > 0 && self.toks[i - 1].is_word() && self.flags(i - 1).has(WEAK_CUE)
    }

    /// A weak cue right after a word of talking or meeting: "spoke to Bob", "a chat with
    /// Chioma".
    pub(crate) fn talk_cue_before(&mut self, i: usize) -> bool {
        i >= 2
            && self.weak_person_cue_before(i)
            && self.toks[i - 1].gap == Gap::Space
            && self.toks[i - 2].is_word()
            && self.flags(i - 2).has(TALK)
    }

    /// "Shoutout to Jordan", "thanks to Georgia": a well-known given name that is also a
    /// country (flags `f`, at token `i`) after words said to a person, which makes it the
    /// person's.
    pub(crate) fn country_said_to(&mut self, f: Flags, i: usize) -> bool {
        f.given() >= 2 && f.has(COUNTRY) && self.talk_cue_before(i)
    }

    /// Cue words after a person's name: a verb of speech or action, a possessive.
    pub(crate) fn person_cue_after(&mut self, last: usize) -> bool {
        if self.possessive(last) {
            return true;
        }
        match self.get(last + 1) {
            Some(n) if n.is_word() && n.gap == Gap::Space => self.flags(last + 1).has(PERSON_AFTER),
            Some(n) if n.is_punct('(') => true,
            _ => false,
        }
    }

    /// A verb only a person does right after the name ("Osagie hated it").
    pub(crate) fn speech_after(&mut self, last: usize) -> bool {
        let word_at = |ctx: &Self, k: usize| {
            ctx.get(k)
                .is_some_and(|n| n.is_word() && n.gap == Gap::Space)
        };
        // "Isla already said yes": an adverb of time between the name and the verb.
        let verb = if word_at(self, last + 1)
            && matches!(
                self.word(last + 1),
                "already" | "just" | "also" | "never" | "always" | "then" | "still" | "finally"
            ) {
            last + 2
        } else {
            last + 1
        };
        word_at(self, verb) && self.flags(verb).has(SPEECH)
    }

    /// "Gwen: running late": a speaker's name opening a chat line, before a colon and
    /// what they said. A form's label has the same shape (`Colour: blue`), so callers
    /// also ask the name lists.
    pub(crate) fn speaker_label(&self, first: usize, last: usize) -> bool {
        // A transcript on one line changes speaker after the end of a sentence ("… with
        // one suitcase. Tom: Wow").
        let turn = first > 0
            && matches!(self.toks[first - 1].kind, Kind::Punct('.' | '?' | '!'))
            && self.toks[first].gap == Gap::Space;
        (first == 0 || self.toks[first].gap >= Gap::Line || turn)
            && self.glued(last + 1, ':')
            && self
                .toks
                .get(last + 2)
                .is_some_and(|t| t.gap == Gap::Space && t.is_word())
    }

    /// The words are a line of their own at the end of a text or paragraph: a signature
    /// ("Best,\nMarcus", "— Niamh").
    pub(crate) fn own_line(&self, first: usize, last: usize) -> bool {
        let mut start = first;
        if start > 0
            && matches!(
                self.toks[start - 1].kind,
                Kind::Punct('-' | '\u{2014}' | '\u{2013}' | '~')
            )
        {
            start -= 1;
        }
        let starts_line = start == 0 || self.toks[start].gap >= Gap::Line;
        let ends = match self.toks.get(last + 1) {
            None => true,
            Some(t) => {
                t.gap >= Gap::Paragraph || (t.gap == Gap::Line && self.toks.get(last + 2).is_none())
            }
        };
        starts_line && ends && start > 0
    }

    /// "A note from Yuki", "an email from Dana": "from" after a message comes before
    /// its sender, unless the word after it is a country, region or large city ("an
    /// email from Paris").
    pub(crate) fn message_from(&mut self, i: usize) -> bool {
        const MESSAGES: &[&str] = &[
            "note",
            "message",
            "email",
            "e-mail",
            "mail",
            "letter",
            "call",
            "text",
            "reply",
            "update",
            "word",
            "feedback",
            "request",
            "invite",
            "invitation",
            "card",
            "gift",
            "greetings",
            "news",
            "notes",
            "messages",
            "emails",
            "calls",
            "texts",
            "DM",
            "dm",
        ];
        i >= 2
            && self.word(i - 1) == "from"
            && MESSAGES.contains(&self.word(i - 2))
            && self.flags(i).city() < 3
            && !self.flags(i).has(COUNTRY | REGION)
    }

    /// "in Paris", "City: Paris", "country=Nigeria".
    pub(crate) fn place_cue_before(&mut self, i: usize) -> bool {
        if i == 0 || self.message_from(i) {
            return false;
        }
        let mut p = i - 1;
        if matches!(self.toks[p].kind, Kind::Punct(':' | '=')) && p > 0 {
            p -= 1;
        }
        if p > 0 && matches!(self.word(p), "the" | "The") {
            p -= 1;
        }
        // "Tane Hohaia, 34, of Marton", "(née Pryce), of Llanidloes", "late of Zamora": where a
        // person is from, after the person.
        // "Ciarán Mac Aodha of Galway": right after a name too, but not after an
        // institution's noun ("Bank of Scotland").
        if p > 0
            && self.word(p) == "of"
            && (matches!(self.toks[p - 1].kind, Kind::Punct(',' | ')'))
                || self.word(p - 1) == "late"
                || self.toks[p - 1].kind == Kind::Cap && {
                    let f = self.flags(p - 1);
                    (f.surname() >= 1 || f.unknown()) && !f.has(ORG | TITLE | COMMON)
                })
        {
            return true;
        }
        // "the village of Hallstatt", "the city of Bergen", "a town called Vevey".
        if p > 0 && matches!(self.word(p), "of" | "called" | "named") {
            if self.word(p) != "of"
                && !(self.toks[p - 1].is_word() && self.flags(p - 1).has(PLACE_CUE))
            {
                return false;
            }
            p -= 1;
        }
        self.toks[p].is_word() && self.flags(p).has(PLACE_CUE)
    }

    /// A place cue that names no other kind of thing after it: a verb or noun of place
    /// ("lives in", "village of", "flew to"), not a bare preposition, which as often comes
    /// before a company or a product ("at Acme", "in Slack").
    pub(crate) fn strong_place_cue_before(&mut self, i: usize) -> bool {
        if !self.place_cue_before(i) {
            return false;
        }
        let mut p = i - 1;
        while p > 0 && matches!(self.word(p), "the" | "The" | "of" | ":" | "=") {
            p -= 1;
        }
        let cue = self.word(p);
        let bare = matches!(
            cue,
            "in" | "to"
                | "from"
                | "at"
                | "via"
                | "across"
                | "around"
                | "inside"
                | "outside"
                | "towards"
                | "toward"
                | "through"
                | "throughout"
                | "into"
                | "within"
        );
        // "moved to", "lives in", "lives out in", "moved back to": a verb of place right
        // before the preposition, or before an adverb and the preposition.
        let verb_at =
            |ctx: &mut Self, v: usize| ctx.toks[v].is_word() && ctx.flags(v).has(PLACE_CUE);
        let adverb = |ctx: &Self, v: usize| {
            matches!(
                ctx.word(v),
                "out" | "back" | "over" | "up" | "down" | "away" | "here" | "there"
            )
        };
        // "a fisherman from Lofoten", "a woman from Leith", "originally from Tromsø":
        // where a person comes from.
        let person_from = cue == "from"
            && p > 0
            && self.toks[p - 1].is_word()
            && (self.flags(p - 1).has(PERSON_CUE)
                || matches!(
                    self.word(p - 1),
                    "man"
                        | "woman"
                        | "men"
                        | "women"
                        | "boy"
                        | "girl"
                        | "fisherman"
                        | "farmer"
                        | "student"
                        | "family"
                        | "couple"
                        | "resident"
                        | "native"
                        | "pensioner"
                        | "teenager"
                        | "originally"
                        | "hails"
                        | "comes"
                ));
        // "the best barber in Sparkhill", "two nights in Zermatt", "a flat near Jesmond":
        // what a neighbourhood has, or time spent there.
        let local = matches!(cue, "in" | "near" | "around")
            && p > 0
            && self.toks[p - 1].kind == Kind::Lower
            && LOCAL_NOUNS.contains(&self.word(p - 1));
        !bare
            || person_from
            || local
            || p > 0 && verb_at(self, p - 1)
            || p > 1 && adverb(self, p - 1) && verb_at(self, p - 2)
    }
}

/// Appends `word` to `phrase` in lower case, bytewise where it is ASCII.
fn push_lower(phrase: &mut String, word: &str) {
    if word.is_ascii() {
        phrase.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        phrase.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Nouns of what a town or a neighbourhood has, and of time spent in one: a bare "in",
/// "near" or "around" after them places the word after it.
const LOCAL_NOUNS: &[&str] = &[
    "barber",
    "barbers",
    "barbershop",
    "hairdresser",
    "hairdressers",
    "salon",
    "vet",
    "vets",
    "dentist",
    "dentists",
    "surgery",
    "clinic",
    "hospital",
    "pharmacy",
    "chemist",
    "cafe",
    "café",
    "cafes",
    "restaurant",
    "restaurants",
    "takeaway",
    "pub",
    "pubs",
    "bakery",
    "butcher",
    "butchers",
    "grocer",
    "shop",
    "shops",
    "supermarket",
    "gym",
    "pool",
    "park",
    "playground",
    "library",
    "school",
    "schools",
    "nursery",
    "church",
    "mosque",
    "temple",
    "synagogue",
    "market",
    "flat",
    "flats",
    "house",
    "houses",
    "home",
    "homes",
    "apartment",
    "apartments",
    "cottage",
    "bungalow",
    "rent",
    "rents",
    "property",
    "cat",
    "cats",
    "dog",
    "dogs",
    "people",
    "family",
    "families",
    "friends",
    "folks",
    "locals",
    "neighbours",
    "neighbors",
    "kids",
    "hotel",
    "hotels",
    "hostel",
    "airbnb",
    "weekend",
    "weekends",
    "week",
    "weeks",
    "night",
    "nights",
    "days",
    "months",
    "summer",
    "winter",
    "holiday",
    "roadworks",
    "traffic",
    "parking",
    "burglary",
    "burglaries",
    "break-in",
    "crash",
    "flooding",
    "stabbing",
    "shooting",
    "fire",
    "wedding",
    "weddings",
    "ceremony",
    "funeral",
    "party",
    "festival",
    "gig",
    "concert",
];
