//! Classifiers for word-based shapes: URLs, emails, labelled values, names, street
//! addresses, ages and dates.

use super::{Candidate, Shape, next_byte};
use crate::EntityType;
use crate::validators::{
    date_exists, foreign_month_from_name, month_from_name, parse_num, time_valid,
};

pub(super) fn url(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let end = trim_url_end(text, start, end);
    let body = &text[start..end];
    let host = body.split_once("://").map_or(body, |(_, rest)| rest);
    if host.len() >= 4 && host.contains('.') || host.starts_with("localhost") {
        out.push(Candidate::scored(EntityType::Url, start, end, 0.6));
    }
}

/// Sentence punctuation after a URL is not part of it; a closing parenthesis only is when
/// the URL opened one (Wikipedia-style links).
fn trim_url_end(text: &str, start: usize, mut end: usize) -> usize {
    let b = text.as_bytes();
    while end > start {
        let last = b[end - 1];
        let trim = match last {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' => true,
            b')' => {
                let s = &b[start..end];
                s.iter().filter(|&&c| c == b'(').count() < s.iter().filter(|&&c| c == b')').count()
            }
            b']' => true,
            _ => false,
        };
        if !trim {
            break;
        }
        end -= 1;
    }
    end
}

pub(super) fn email(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if email_valid(&text[start..end]) {
        out.push(Candidate::validated(EntityType::Email, start, end));
    }
}

/// Structural checks RFC 5321 implies and the regex does not: no leading, trailing or
/// doubled dots in the local part, no label starting or ending with a hyphen.
pub(super) fn email_valid(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    local_ok && labels_ok && !domain.contains('@')
}

/// Words that follow "username" or "user" in sentences about the field, not its value.
const NOT_A_USERNAME: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "is",
    "was",
    "are",
    "not",
    "and",
    "field",
    "required",
    "missing",
    "empty",
    "invalid",
    "incorrect",
    "wrong",
    "already",
    "taken",
    "available",
    "changed",
    "updated",
    "reset",
    "too",
    "must",
    "should",
    "can",
    "cannot",
    "will",
    "has",
    "have",
    "had",
    "you",
    "your",
    "my",
    "his",
    "her",
    "their",
    "our",
    "account",
    "accounts",
    "support",
    "name",
    "names",
    "login",
    "password",
    "unknown",
    "exists",
    "does",
    "did",
];

/// "example.com", "www.acme.co.uk": a host name, which "by" comes before as often as a
/// login ("hosted by example.com").
fn looks_like_a_domain(value: &str) -> bool {
    const TLDS: &[&str] = &[
        "com", "org", "net", "io", "co", "uk", "de", "fr", "es", "it", "nl", "eu", "gov", "edu",
        "info", "biz", "app", "dev", "ai", "us", "ca", "au", "in", "jp", "br", "pl", "se", "no",
    ];
    value.starts_with("www.")
        || value
            .rsplit_once('.')
            .is_some_and(|(_, tld)| TLDS.contains(&tld))
}

/// "my password is hunter2", "the password for the VPN is Kx7!pQ2vLm9": the value ends
/// the match, and counts when it has the look of a secret: digits in letters, a symbol
/// inside, or a capital after its first letter. A word ("is incorrect", "was Expired") or
/// a short count ("is 12 characters") does not.
pub(super) fn password_said(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let vs = end
        - b[start..end]
            .iter()
            .rev()
            .take_while(|c| !c.is_ascii_whitespace())
            .count();
    let value = text[vs..end].trim_end_matches(['.', ',', ';', ':', '?', ')', ']', '}']);
    let v = value.as_bytes();
    let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = v.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let inner_symbol = v.len() > 2 && v[1..v.len() - 1].iter().any(|c| !c.is_ascii_alphanumeric());
    let inner_capital =
        v.iter().skip(1).any(u8::is_ascii_uppercase) && v.iter().any(u8::is_ascii_lowercase);
    let said = text[start..vs].split(' ').any(|w| {
        ["is", "was", "to", "be"]
            .iter()
            .any(|v| w.eq_ignore_ascii_case(v))
    });
    let classes = [
        v.iter().any(u8::is_ascii_lowercase),
        v.iter().any(u8::is_ascii_uppercase),
        digits > 0,
        // Joiners ("2fa-enabled", "v1.2_final") are no symbol of a secret.
        v.iter()
            .any(|c| !c.is_ascii_alphanumeric() && !b"-_.".contains(c)),
    ]
    .into_iter()
    .filter(|&c| c)
    .count();
    let secret = if said {
        v.len() >= 4
            && (digits == v.len()
                || digits > 0 && letters > 0
                || inner_symbol && letters + digits > 0
                || inner_capital)
    } else {
        // Right after the word, only a value with three kinds of character.
        v.len() >= 6 && classes >= 3
    };
    if secret {
        out.push(Candidate::scored(
            EntityType::Password,
            vs,
            vs + value.len(),
            0.7,
        ));
    }
}

/// "your username is jamal.hussain", "for user m.kowalski", "Failed password for root
/// from": the value ends the match. After "for user" a value needs the shape of a handle
/// (a dot, underscore, dash or digit) or sshd's "from" after it; after "password for" the
/// "from" is required.
pub(super) fn username_said(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    use super::neighbours::token_after;
    let b = text.as_bytes();
    let handle = |c: &u8| c.is_ascii_alphanumeric() || b"._@+-".contains(c);
    let vs = end - b[start..end].iter().rev().take_while(|c| handle(c)).count();
    let ve = vs + text[vs..end].trim_end_matches(['.', '-']).len();
    if ve <= vs || start == vs {
        return;
    }
    let value = &text[vs..ve];
    let label = text[start..vs].to_ascii_lowercase();
    let from_after = token_after(text, ve).0.is_one_of(&["from"]);
    let handle_shaped = value
        .bytes()
        .any(|c| c.is_ascii_digit() || b"._-".contains(&c));
    let accepted = if label.contains("password") || label.contains("publickey") {
        from_after
    } else if let Some(before_by) = label.trim_end().trim_end_matches(':').strip_suffix("by") {
        // "triggered by: ci-bot", "approved by j.smith", "changed … by rsilva_admin": only
        // the shape of a handle tells it from prose ("approved by e-mail", "by Maria");
        // after a log's verb, a lower-case word no list knows is one too ("merged by
        // lpretorius").
        let inner = value.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
        let handle = value.bytes().next().is_some_and(|c| c.is_ascii_lowercase())
            && !looks_like_a_domain(value)
            && (value.bytes().any(|c| c.is_ascii_digit() || c == b'_')
                || inner.contains('.') && !matches!(value, "e.g" | "i.e")
                || value.ends_with("-bot"));
        let after_verb = !before_by.trim().is_empty();
        let unlisted = value.len() >= 4
            && value.bytes().all(|c| c.is_ascii_lowercase())
            && crate::names::unlisted_word(value);
        handle || after_verb && unlisted
    } else if label.contains("for user") || label.contains("invalid user") {
        from_after || handle_shaped
    } else if label.trim_end().eq_ignore_ascii_case("user") {
        // "locked: user lena_k92 from IP …": alone, "user" comes before a handle only.
        value.bytes().any(|c| c.is_ascii_alphabetic()) && (from_after || handle_shaped)
    } else {
        !NOT_A_USERNAME.iter().any(|w| value.eq_ignore_ascii_case(w))
    };
    if accepted {
        if value.contains('@') && email_valid(value) {
            out.push(Candidate::validated(EntityType::Email, vs, ve));
        } else {
            out.push(Candidate::scored(EntityType::Username, vs, ve, 0.65));
        }
    }
}

/// Words after "@" that are no one's handle: chat's group mentions, code's annotations
/// and CSS at-rules.
const NOT_A_HANDLE: &[&str] = &[
    "here",
    "channel",
    "everyone",
    "all",
    "home",
    "work",
    "param",
    "return",
    "returns",
    "throws",
    "override",
    "deprecated",
    "author",
    "since",
    "see",
    "link",
    "media",
    "import",
    "charset",
    "keyframes",
    "interface",
    "end",
    "property",
    "test",
    "before",
    "after",
    "component",
    "injectable",
    "autowired",
    "bean",
    "type",
    "types",
    "example",
];

/// "@marco_b can you review": a handle after "@" that begins a word, not the domain of an
/// e-mail address or an annotation in code.
pub(super) fn mention(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b"._-+@/".contains(&b[start - 1])) {
        return;
    }
    let ve = start + text[start..end].trim_end_matches('.').len();
    let value = &text[start + 1..ve];
    if value.len() < 2 || NOT_A_HANDLE.iter().any(|w| value.eq_ignore_ascii_case(w)) {
        return;
    }
    out.push(Candidate::scored(EntityType::Username, start + 1, ve, 0.6));
}

/// "hey sarah", "thanks mark!": the lower-case word after a greeting, when the name lists
/// know it as a given name.
pub(super) fn greeting_name(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let vs = end
        - b[start..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
    if vs == start {
        return;
    }
    let pause_after = matches!(
        b.get(end),
        None | Some(b',' | b'!' | b'.' | b'?' | b'\n' | b'\r' | b':' | b';' | b')')
    );
    if crate::names::lower_case_given_name(&text[vs..end], pause_after) {
        out.push(Candidate {
            boostable: false,
            ..Candidate::scored(EntityType::Name, vs, end, 0.7)
        });
    }
}

/// "State: CA", "country=BR": the code the match ends with is part of an address.
pub(super) fn region_code(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let vs = end
        - text.as_bytes()[start..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
    out.push(Candidate::scored(EntityType::Address, vs, end, 0.6));
}

/// Values after labels such as `password:` or titles such as `Dr`.
pub(super) fn labelled(shape: Shape, text: &str, vs: usize, ve: usize, out: &mut Vec<Candidate>) {
    let value = &text[vs..ve];
    match shape {
        Shape::PasswordLabel => {
            let ve = vs + value.trim_end_matches(['.', ')', ']', '}']).len();
            if ve > vs {
                out.push(Candidate::scored(EntityType::Password, vs, ve, 0.7));
            }
        }
        Shape::UsernameLabel => {
            let ve = vs + value.trim_end_matches('.').len();
            if ve <= vs {
                return;
            }
            if value.contains('@') && email_valid(&text[vs..ve]) {
                out.push(Candidate::validated(EntityType::Email, vs, ve));
            } else {
                out.push(Candidate::scored(EntityType::Username, vs, ve, 0.65));
            }
        }
        Shape::PinLabel => out.push(Candidate::scored(EntityType::Pin, vs, ve, 0.7)),
        Shape::CvvLabel => out.push(Candidate::scored(EntityType::CreditDebitCvv, vs, ve, 0.7)),
        Shape::PostcodeLabel => out.push(Candidate::scored(EntityType::Address, vs, ve, 0.6)),
        Shape::NameLabel | Shape::NameTitle => {
            let ve = name_end(text, vs, ve);
            if ve > vs {
                out.push(Candidate::scored(EntityType::Name, vs, ve, 0.6));
            }
        }
        Shape::AgeLabel | Shape::AgeSuffix | Shape::AgeVerb | Shape::AgeAppositive
            if parse_num(value.as_bytes()).is_some_and(|age| (1..=130).contains(&age))
                && (shape != Shape::AgeVerb || age_phrase_ends(text, ve))
                && (shape != Shape::AgeAppositive || appositive_goes_on(text, vs, ve + 1)) =>
        {
            out.push(Candidate::scored(EntityType::Age, vs, ve, 0.6));
        }
        _ => {}
    }
}

/// After "she was 19" comes the end of the phrase or "years (old)"; anything else makes
/// the number a count ("she was 5 minutes late").
fn age_phrase_ends(text: &str, end: usize) -> bool {
    use super::neighbours::{Token, ends_phrase, token_after};
    ends_phrase(text, end)
        || token_after(text, end).0.is_one_of(&["years", "yrs", "yo"])
        || matches!(token_after(text, end).0, Token::Punct(b'-'))
}

/// "Obi, 19, from Port Harcourt": after an age set off by commas or parentheses the
/// sentence goes on about the person; after "London, 12, 13" it does not.
fn appositive_goes_on(text: &str, vs: usize, end: usize) -> bool {
    use super::neighbours::{Token, token_after};
    // "Grace, 3.5 stars": a dot before a digit makes a decimal, not the end of a sentence.
    if text.as_bytes()[end - 1] == b'.' && text.as_bytes().get(end).is_some_and(u8::is_ascii_digit)
    {
        return false;
    }
    // "Aoife, 29, and Tomasz, 33", "Kenji, 24, software tester": after a given name the
    // number is an age whatever follows.
    let lead = text[..vs].trim_end_matches(['(', ',', ' ']);
    let head_at = lead.rfind([' ', '(']).map_or(0, |k| k + 1);
    let head = &lead[head_at..];
    if crate::names::plain_given_name(head) || super::shapes::PERSON_NOUNS.contains(&head) {
        return true;
    }
    // "Grace, 27. Pharmacist by day", "Hi, I'm Summer, 31, originally from Durban": a
    // given name that is also a word, opening a profile or after "I'm".
    let before = lead[..head_at].trim_end();
    let opens = before.is_empty()
        || before.ends_with(['.', '!', '?', '\n', '|'])
        || before.ends_with("I'm")
        || before.ends_with("I am");
    if opens && crate::names::common_given_name(head) {
        return true;
    }
    // "Tilly Evans (5), the account…": in brackets after a given name and a surname.
    let mut words = lead.rsplit(' ');
    if text[..vs].ends_with('(')
        && words
            .next()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words.next().is_some_and(crate::names::plain_given_name)
    {
        return true;
    }
    // "Chidinma Eze (34) will relocate": after a modal only when a full name comes before,
    // not "Totals (3) will follow".
    let full_name_before = || {
        let mut words = lead.rsplit(' ').take(2);
        let capitalised = |w: Option<&str>| w.is_some_and(|w| w.starts_with(char::is_uppercase));
        capitalised(words.next()) && capitalised(words.next())
    };
    if token_after(text, end)
        .0
        .is_one_of(&["will", "would", "can", "must"])
    {
        return full_name_before();
    }
    // "Whitcombe, 67, presented with": a verb in the past or present tense.
    let verb = |w: &str| {
        w.len() >= 4
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && (w.ends_with("ed") || w.ends_with("es"))
    };
    matches!(token_after(text, end).0, Token::Word(w) if verb(w))
        || token_after(text, end).0.is_one_of(&[
            "is",
            "was",
            "from",
            "who",
            "has",
            "had",
            "a",
            "an",
            "the",
            "of",
            "and",
            "said",
            "says",
            "died",
            "lives",
            "lived",
            "works",
            "worked",
            "became",
            "joined",
            "moved",
            "now",
            "told",
            "won",
            "plays",
            "played",
            "runs",
            "owns",
            "leads",
            "heads",
            "writes",
            "studies",
            "teaches",
            "serves",
            "leaving",
            "joining",
            "living",
            "working",
            "moving",
            "returning",
        ])
}

/// Words that are capitalised in forms and sentences but are not part of a name.
const NOT_NAME: &[&str] = &[
    "The", "And", "Or", "Of", "In", "On", "At", "To", "Is", "Was", "Phone", "Email", "Tel",
    "Address", "Dob", "DOB", "Date", "Age", "Street", "Mobile", "Fax", "Said", "I",
];

/// Cuts a captured name before the first word that is a label or function word.
fn name_end(text: &str, vs: usize, ve: usize) -> usize {
    let mut end = vs;
    let mut at = vs;
    for word in text[vs..ve].split(' ') {
        if NOT_NAME.contains(&word.trim_end_matches(['\'', '-'])) {
            break;
        }
        at += word.len();
        end = vs + text[vs..at].trim_end_matches(['\'', '-']).len();
        at += 1;
    }
    end
}

pub(super) fn address(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let end = start + text[start..end].trim_end_matches([',', ' ']).len();
    out.push(Candidate::scored(EntityType::Address, start, end, 0.6));
}

/// "12 March 2024", "12th of March, 2024", "March 12, 2024", and without a year
/// ("24 December", "March 12") or a day ("March 2024").
pub(super) fn date_words(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let mut day = None;
    let mut month = None;
    let mut month_word = "";
    let mut year = None;
    let mut foreign = false;
    // "15. März" ends in a letter that the shape cannot bound: a word must not go on.
    if super::neighbours::word_goes_on(text, end) {
        return;
    }
    // "12-23 August", "29 – 31 January": a range of days is read as its last day, and its
    // first must come before it.
    let s = match s.split_once(['-', '\u{2013}']) {
        Some((first, rest)) => {
            let rest = rest.trim_start();
            let day = |w: &str| {
                parse_num(
                    w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                        .trim()
                        .as_bytes(),
                )
            };
            let last = rest.split(' ').next().unwrap_or("");
            match (day(first), day(last)) {
                (Some(a), Some(b)) if a < b => rest,
                _ => return,
            }
        }
        None => s,
    };
    for raw in s.split([' ', ',']).filter(|w| !w.is_empty()) {
        let digits = raw
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .trim_end_matches('.');
        if let Some(m) = month_from_name(raw) {
            month = Some(m);
            month_word = raw;
        } else if let Some(m) = foreign_month_from_name(raw) {
            month = Some(m);
            month_word = raw;
            foreign = true;
        } else if digits.len() == 4 {
            year = parse_num(digits.as_bytes());
        } else if !digits.is_empty() {
            day = parse_num(digits.as_bytes());
        }
    }
    let Some(m) = month else {
        return;
    };
    // Without a year, "may 5" and "3 mar" are too often not dates: the month must be
    // capitalised and the phrase must end where a date would.
    let partial_ok = || {
        month_word.as_bytes()[0].is_ascii_uppercase() && super::neighbours::ends_phrase(text, end)
    };
    // "from 8 April to 19 April due to…": a day with a month written out in full and
    // capitalised is a date whatever follows it.
    // "before the 14 May steering call": "May" is written out too; "3 Mar units" is not.
    // "turning 90 on 12 july": in chat a month may be written out in lower case, all but
    // the two that are also verbs and the one abbreviation of four letters.
    let written_out = || {
        let lower = month_word.bytes().all(|b| b.is_ascii_lowercase())
            && !matches!(month_word, "march" | "sept");
        (month_word.len() >= 4 || month_word == "May")
            && (month_word.as_bytes()[0].is_ascii_uppercase() || lower)
    };
    let valid = match (day, year) {
        (Some(d), Some(y)) => date_exists(y, m, d),
        // A month of another language after a day is written out whatever its case.
        (Some(d), None) => date_exists(2024, m, d) && (partial_ok() || written_out() || foreign),
        (None, Some(y)) => (1000..=2999).contains(&y) && partial_ok(),
        (None, None) => false,
    };
    if valid {
        out.push(Candidate::scored(EntityType::DateTime, start, end, 0.6));
    }
}

/// `2024-02-29`, `2024/02/29`, optionally with a time and zone (ISO 8601 / RFC 3339).
pub(super) fn date_iso(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = &text.as_bytes()[start..end];
    let sep1 = b[4];
    let Some(sep2_at) = b[5..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map(|p| p + 5)
    else {
        return;
    };
    if b[sep2_at] != sep1 {
        return;
    }
    let day_end = b[sep2_at + 1..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(b.len(), |p| p + sep2_at + 1);
    let (Some(y), Some(m), Some(d)) = (
        parse_num(&b[..4]),
        parse_num(&b[5..sep2_at]),
        parse_num(&b[sep2_at + 1..day_end]),
    ) else {
        return;
    };
    if !(1000..=2999).contains(&y) || !date_exists(y, m, d) {
        return;
    }
    let mut end_ok = start + day_end;
    // A time part: "T10:30" or " 10:30:00"; accept it only when the clock values exist.
    if day_end + 6 <= b.len() {
        let t = &b[day_end + 1..];
        let hh = parse_num(&t[..2]);
        let mm = parse_num(&t[3..5]);
        let ss = if t.len() >= 8 && t[5] == b':' {
            parse_num(&t[6..8])
        } else {
            Some(0)
        };
        if let (Some(h), Some(mi), Some(se)) = (hh, mm, ss)
            && time_valid(h, mi, se)
        {
            end_ok = end;
        }
    }
    out.push(Candidate::scored(EntityType::DateTime, start, end_ok, 0.6));
}

/// `29/02/2024`, `02/29/2024`, `29.02.2024`, `3/7/24`: valid as day-month or month-day.
pub(super) fn date_numeric(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let b = s.as_bytes();
    let mut parts = s.split(['-', '/', '.']);
    let (Some(a), Some(m), Some(y)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let sep1 = b[a.len()];
    let sep2 = b[a.len() + 1 + m.len()];
    // Two-digit years only with slashes: "1.2.24" reads more like a version than a date.
    if sep1 != sep2 || (y.len() == 2 && sep1 != b'/') {
        return;
    }
    let (Some(a), Some(m), Some(mut y)) = (
        parse_num(a.as_bytes()),
        parse_num(m.as_bytes()),
        parse_num(y.as_bytes()),
    ) else {
        return;
    };
    if y < 100 {
        y += 2000;
    }
    if date_exists(y, m, a) || date_exists(y, a, m) {
        out.push(Candidate::scored(EntityType::DateTime, start, end, 0.6));
    }
}

/// Words before a day and month closed by dots in Czech, Slovak, German and the Nordic
/// languages ("nar. 12. 9.", "am 08.02.", "den 4.11.").
const DOTTED_DATE_CUES: &[&str] = &[
    "nar", "dne", "od", "do", "am", "bis", "vom", "ab", "seit", "den", "fra", "til", "fram",
];

/// "12. 9. 1996", "08.02.", "nar. 15. 5.": a day and a month each closed by a dot.
pub(super) fn date_dotted(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let mut parts = s.split('.').map(str::trim);
    let (Some(d), Some(m), Some(y)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    // Glued to more digits or dots it is a version or an address ("1.2.3", "10.0.0.1").
    if matches!(text.as_bytes().get(end), Some(b'0'..=b'9' | b'.'))
        || start > 0 && matches!(text.as_bytes()[start - 1], b'0'..=b'9' | b'.')
    {
        return;
    }
    let (Some(day), Some(month)) = (parse_num(d.as_bytes()), parse_num(m.as_bytes())) else {
        return;
    };
    let year = parse_num(y.as_bytes()).unwrap_or(2024);
    if !date_exists(year, month, day) {
        return;
    }
    let word = super::neighbours::word_before(text, start);
    let cue = word
        .trim_end_matches('.')
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    // "Ubuntu 22.04.", "version 10.12.": a product's version, not a day.
    let version = word.starts_with(char::is_uppercase) || word.eq_ignore_ascii_case("version");
    if !y.is_empty()
        || d.len() == 2 && m.len() == 2 && !version
        || DOTTED_DATE_CUES.contains(&cue.as_str())
    {
        out.push(Candidate::scored(EntityType::DateTime, start, end, 0.6));
    }
}

/// Words of time before a day and month written without a year ("on 22/05").
const DAY_MONTH_CUES: &[&str] = &[
    "on",
    "by",
    "until",
    "till",
    "til",
    "from",
    "since",
    "before",
    "after",
    "scheduled",
    "due",
    "dated",
    "date",
    "booked",
    "starting",
    "ending",
    "expires",
    "expiring",
];

/// "scheduled 22/05", "on 5/6": a day and a month, in either order, after a word of time.
/// A fraction or a score ("3/4 of", "won 2/1") has no such word before it.
pub(super) fn day_month(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    use super::neighbours::{Token, token_after, token_before};
    let s = text[start..end].trim();
    let Some((a, b)) = s.split_once('/') else {
        return;
    };
    let (Some(a), Some(b)) = (
        parse_num(a.trim().as_bytes()),
        parse_num(b.trim().as_bytes()),
    ) else {
        return;
    };
    if s.len() > 5 || !token_before(text, start).0.is_one_of(DAY_MONTH_CUES) {
        return;
    }
    // "on 22/05/2024" is a whole date and "on 3/4." may end a sentence; "on 5/6/7" is not
    // a day and month.
    if matches!(token_after(text, end).0, Token::Punct(b'/' | b'-')) {
        return;
    }
    if date_exists(2024, b, a) || date_exists(2024, a, b) {
        out.push(Candidate::scored(EntityType::DateTime, start, end, 0.6));
    }
}

/// `MM/YY` or `MM/YYYY`: a valid month is not enough (it reads like any fraction), so the
/// low base score needs an "exp"/"valid thru" context word.
pub(super) fn expiry(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if matches!(next_byte(text, end), Some(b'/' | b'.')) {
        return;
    }
    out.push(Candidate::scored(
        EntityType::CreditDebitExpiry,
        start,
        end,
        0.3,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(
        f: fn(&str, usize, usize, &mut Vec<Candidate>),
        s: &str,
    ) -> Option<(EntityType, String)> {
        let mut out = Vec::new();
        f(s, 0, s.len(), &mut out);
        out.first()
            .map(|c| (c.entity_type, s[c.start..c.end].to_string()))
    }

    #[test]
    fn usernames_said_in_sentences_and_logs() {
        let value = |s: &str| {
            let mut out = Vec::new();
            username_said(s, 0, s.len(), &mut out);
            out.first().map(|c| s[c.start..c.end].to_string())
        };
        assert_eq!(
            value("Your username is jamal.hussain.").as_deref(),
            Some("jamal.hussain")
        );
        assert_eq!(
            value("failed attempts for user m.kowalski").as_deref(),
            Some("m.kowalski")
        );
        assert_eq!(
            value("Failed password for root").as_deref(),
            None,
            "no `from` in the match"
        );
        assert_eq!(value("username is required"), None);
        assert_eq!(value("for user support"), None);
    }

    #[test]
    fn iso_dates_must_exist() {
        assert!(one(date_iso, "2024-02-29").is_some());
        assert!(one(date_iso, "2023-02-29").is_none());
        assert!(one(date_iso, "2024-02-30").is_none());
        assert!(one(date_iso, "2024-02/28").is_none(), "mixed separators");
        assert_eq!(
            one(date_iso, "2024-02-28T10:30:00Z").unwrap().1,
            "2024-02-28T10:30:00Z"
        );
        assert_eq!(
            one(date_iso, "2024-02-28 25:30").unwrap().1,
            "2024-02-28",
            "hour 25 is not a time"
        );
    }

    #[test]
    fn numeric_dates_either_order() {
        assert!(one(date_numeric, "29/02/2024").is_some());
        assert!(one(date_numeric, "02/29/2024").is_some());
        assert!(one(date_numeric, "31/04/2024").is_none());
        assert!(one(date_numeric, "13/13/2024").is_none());
        assert!(one(date_numeric, "1.2.24").is_none());
        assert!(one(date_numeric, "29/02/2023").is_none());
    }

    #[test]
    fn word_dates() {
        assert!(one(date_words, "12 March 2024").is_some());
        assert!(one(date_words, "March 12, 2024").is_some());
        assert!(one(date_words, "29th of February, 2023").is_none());
        assert!(one(date_words, "29th of February, 2024").is_some());
        assert!(one(date_words, "31 June 2024").is_none());
        assert!(one(date_words, "24 December").is_some());
        assert!(one(date_words, "March 12").is_some());
        assert!(one(date_words, "March 2024").is_some());
        assert!(one(date_words, "31 June").is_none());
        assert!(
            one(date_words, "may 2024").is_none(),
            "a verb before a number"
        );
        assert!(one(date_words, "3 mar").is_none());
        assert!(
            one(date_words, "12 july").is_some(),
            "written out in lower case"
        );
        assert!(one(date_words, "15 september").is_some());
        assert!(one(date_words, "5 may").is_none(), "a number before a verb");
        assert!(one(date_words, "4 march").is_none());
        let within = |text: &str, end: usize| {
            let mut out = Vec::new();
            date_words(text, 0, end, &mut out);
            !out.is_empty()
        };
        assert!(
            within("19 April due to an injury", 8),
            "a month written out"
        );
        assert!(
            !within("3 Mar units shipped", 5),
            "an abbreviation needs the phrase to end"
        );
        assert!(one(date_words, "9 avril").is_some());
        assert!(one(date_words, "20 Agustus").is_some(), "Indonesian");
        assert!(one(date_words, "15 Julai").is_some(), "Malay");
        assert!(one(date_words, "3 Şubat 2024").is_some(), "Turkish");
        assert!(one(date_words, "3 de marzo de 2024").is_some());
        assert!(one(date_words, "15. März 2024").is_some());
        assert!(one(date_words, "31 avril").is_none(), "the date must exist");
        assert!(!within("9 marsupials", 6), "a word goes on after the month");
    }

    #[test]
    fn emails_need_sane_structure() {
        assert!(email_valid("john.smith@example.co.uk"));
        assert!(!email_valid(".john@example.com"));
        assert!(!email_valid("jo..hn@example.com"));
        assert!(!email_valid("john@-example.com"));
    }

    #[test]
    fn url_trailing_punctuation_is_trimmed() {
        assert_eq!(
            one(url, "https://example.com/a.").unwrap().1,
            "https://example.com/a"
        );
        assert_eq!(
            one(url, "https://en.wikipedia.org/wiki/Foo_(bar)")
                .unwrap()
                .1,
            "https://en.wikipedia.org/wiki/Foo_(bar)"
        );
        assert_eq!(
            one(url, "https://example.com/x)").unwrap().1,
            "https://example.com/x"
        );
    }

    #[test]
    fn names_stop_at_labels() {
        let s = "John Smith Phone";
        assert_eq!(name_end(s, 0, s.len()), "John Smith".len());
        let s = "O'Neil";
        assert_eq!(name_end(s, 0, s.len()), s.len());
    }
}

#[cfg(test)]
mod detector_tests {
    use crate::{EntityType, PatternDetector};

    fn detected(text: &str, entity_type: EntityType) -> Vec<&str> {
        PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .filter(|d| d.entity_type == entity_type)
            .map(|d| &text[d.start..d.end])
            .collect()
    }

    fn usernames(text: &str) -> Vec<&str> {
        detected(text, EntityType::Username)
    }

    fn dates(text: &str) -> Vec<&str> {
        detected(text, EntityType::DateTime)
    }

    #[test]
    fn handles_after_an_at_sign_are_usernames() {
        assert_eq!(usernames("@marco_b can you review PR 4412"), ["marco_b"]);
        assert_eq!(usernames("ping @here and @Dana.K."), ["Dana.K"]);
        assert_eq!(
            usernames("@dev_ankit @sofia-r standup moved, venmo @Lily-Chen-22"),
            ["dev_ankit", "sofia-r", "Lily-Chen-22"]
        );
        assert_eq!(usernames("insta is @rose.bakes.lyon"), ["rose.bakes.lyon"]);
        assert!(usernames("write to rose@bakes.fr").is_empty());
    }

    #[test]
    fn e_mail_domains_annotations_and_lone_at_signs_are_not() {
        assert!(usernames("mail me at dana@example.com").is_empty());
        assert!(usernames("@Override public void run()").is_empty());
        assert!(usernames("meet @ 5pm, foo@bar").is_empty());
    }

    #[test]
    fn a_handle_after_a_log_verb_is_a_username() {
        assert_eq!(usernames("triggered by: ci-bot\nduration: 14m"), ["ci-bot"]);
        assert_eq!(usernames("Approved by j.smith at 10:00"), ["j.smith"]);
        assert_eq!(usernames("deployed by deploy_svc2"), ["deploy_svc2"]);
    }

    #[test]
    fn handles_in_audit_logs() {
        assert_eq!(
            usernames("field 'email' changed from a to b by rsilva_admin on 2023-11-07"),
            ["rsilva_admin"]
        );
        assert_eq!(
            usernames("duplicate removed; merged by lpretorius 14/03/2024 10:12"),
            ["lpretorius"]
        );
        assert_eq!(
            usernames("Lead note by ckim: spoke with the buyer"),
            ["ckim"]
        );
        assert_eq!(
            usernames("AUDIT actor=j.okonkwo action=EXPORT"),
            ["j.okonkwo"]
        );
        assert_eq!(
            usernames(r#"{"user_id":"bella_t88","ip":"x"}"#),
            ["bella_t88"]
        );
    }

    #[test]
    fn words_dates_and_links_after_by_are_not_handles() {
        assert!(usernames("paid by card, sent by post, fixed by e.g. a patch").is_empty());
        assert!(usernames("merged by hand and approved by legal").is_empty());
        assert!(usernames("hosted by example.com and run by www.acme.co.uk").is_empty());
        assert_eq!(dates("Please reply by 5/6."), ["5/6"]);
        let text = "reported by https://status.example.com today";
        let urls: Vec<&str> = PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .filter(|d| d.entity_type == EntityType::Url)
            .map(|d| &text[d.start..d.end])
            .collect();
        assert_eq!(urls, ["https://status.example.com"]);
    }

    #[test]
    fn a_handle_after_the_word_user() {
        assert_eq!(
            usernames("Account locked - user lena_k92 from IP 185.43.12.207"),
            ["lena_k92"]
        );
        assert!(usernames("the user experience and user 1 of 3").is_empty());
        assert!(usernames("every user should reset").is_empty());
    }

    #[test]
    fn words_and_names_after_a_log_verb_are_not() {
        assert!(usernames("The refund was approved by e-mail.").is_empty());
        assert!(usernames("It was created by Maria Lopez.").is_empty());
        assert!(usernames("requested by 3 customers").is_empty());
        assert!(usernames("merged by the release manager").is_empty());
    }

    fn passwords(text: &str) -> Vec<&str> {
        detected(text, EntityType::Password)
    }

    #[test]
    fn a_secret_said_to_be_the_password_is_one() {
        assert_eq!(
            passwords("Your temporary password for the VPN is Kx7!pQ2vLm9. Change it."),
            ["Kx7!pQ2vLm9"]
        );
        assert_eq!(passwords("my password is hunter2"), ["hunter2"]);
        assert_eq!(
            passwords("Changed the password to sardinha!Faro22 and it still happens."),
            ["sardinha!Faro22"]
        );
        assert_eq!(
            passwords(
                "his username is siddharth.k and temp password Welcome#2024! must be rotated"
            ),
            ["Welcome#2024!"]
        );
        assert_eq!(
            passwords("pushed the staging DB password st4g1ng-Pg!x77 to a Gist"),
            ["st4g1ng-Pg!x77"]
        );
        assert_eq!(
            passwords("Your new password is: Summer2024!"),
            ["Summer2024!"]
        );
        assert_eq!(passwords("the passcode to the door is 4471."), ["4471"]);
        assert_eq!(
            passwords("The password was changed to correct-horse-battery"),
            ["correct-horse-battery"]
        );
    }

    #[test]
    fn words_and_counts_said_of_a_password_are_not() {
        assert!(passwords("the password is incorrect").is_empty());
        assert!(passwords("Your password was Expired yesterday").is_empty());
        assert!(passwords("the password is 12 characters long").is_empty());
        assert!(passwords("use a password manager or 2FA").is_empty());
        assert!(passwords("the password reset-link expired").is_empty());
        assert!(passwords("password 2fa-enabled").is_empty());
        assert!(passwords("the password to the portal expired").is_empty());
        assert!(passwords("Failed password for invalid user admin from 1.2.3.4").is_empty());
    }

    #[test]
    fn a_day_and_month_after_a_word_of_time_is_a_date() {
        assert_eq!(
            dates("The call is scheduled 22/05 at the clinic."),
            ["22/05"]
        );
        assert_eq!(dates("Please reply by 5/6."), ["5/6"]);
        assert_eq!(dates("on 12/05 we met"), ["12/05"]);
    }

    #[test]
    fn log_stamps_and_zones_after_iso_times() {
        assert_eq!(
            dates("AUDIT 2024-01-29 14:05:11 UTC actor=j.okonkwo"),
            ["2024-01-29 14:05:11 UTC"]
        );
        assert_eq!(
            dates("Oct  3 11:42:09 web-01 nginx: reload"),
            ["Oct  3 11:42:09"]
        );
        assert_eq!(
            dates("41.203.18.66 - - 05/Aug/2024:13:27:40 +0300 \"GET /\""),
            ["05/Aug/2024:13:27:40 +0300"]
        );
    }

    #[test]
    fn dates_and_weekdays_of_more_languages() {
        assert_eq!(
            dates("Rechnung am 30. April 2024 fällig"),
            ["30. April 2024"]
        );
        assert_eq!(dates("le 1er juillet à Lyon"), ["1er juillet"]);
        assert_eq!(dates("before the 14 May steering call"), ["14 May"]);
        assert!(dates("all 3 may apply").is_empty());
        assert_eq!(dates("w piątku, 19 kwietnia"), ["piątku, 19 kwietnia"]);
        assert_eq!(dates("do 3 października"), ["3 października"]);
        assert_eq!(dates("på lørdag kl. 10"), ["lørdag"]);
        assert!(dates("the sobotage and fredagsbar").is_empty());
    }

    #[test]
    fn a_range_of_days_before_a_month_is_one_date() {
        assert_eq!(
            dates("annual leave 12-23 August, approved"),
            ["12-23 August"]
        );
        assert_eq!(
            dates("off for 29 \u{2013} 31 January."),
            ["29 \u{2013} 31 January"]
        );
        assert!(dates("scores of 23-12 August").is_empty());
        assert!(dates("rooms 3-40 March").is_empty());
    }

    #[test]
    fn a_clock_with_a_dot_is_a_time_only_before_am_or_pm() {
        assert_eq!(dates("at about 7.30 pm I saw two youths"), ["7.30 pm"]);
        assert!(dates("version 7.30 shipped and costs 7.30 EUR").is_empty());
    }

    #[test]
    fn fractions_scores_and_impossible_days_are_not() {
        assert!(dates("We fixed 3/4 of the servers.").is_empty());
        assert!(dates("The team won 2/1 away.").is_empty());
        assert!(dates("until 31/02").is_empty());
        assert!(dates("due 5/6/7 of the batch").is_empty());
    }
}
