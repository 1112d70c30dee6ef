//! Dates as Comprehend counts them beyond full calendar dates: weekday names, clock
//! times, and bare years where the sentence uses them as years. Prose is full of these,
//! so their score is fixed rather than looked up in the context words.

use super::Candidate;
use super::neighbours::{Token, ends_phrase, token_after, token_before};
use crate::EntityType;
use crate::validators::parse_num;

/// Words before a lower-case weekday abbreviation that make it a day ("on sat", "til fri");
/// the match starts at the word and the span after it.
const WEEKDAY_ABBREVIATION_CUES: &[&str] = &["on", "this", "next", "til", "till", "until"];

/// "Tuesday", "on monday", "Monday afternoon": a weekday name is a date reference wherever
/// it stands. An abbreviation matched with the first digit after it ends before them.
pub(super) fn weekday(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let start = match text[start..end].split_once(' ') {
        Some((first, _)) if Token::Word(first).is_one_of(WEEKDAY_ABBREVIATION_CUES) => {
            start + first.len() + 1
        }
        _ => start,
    };
    // "Black Friday", "Good Friday", "Cyber Monday": a holiday, which is no date of anyone's.
    if matches!(
        super::neighbours::word_before(text, start),
        "Black" | "Good" | "Cyber" | "Easter" | "Ash" | "Shrove" | "Maundy" | "Holy" | "Whit"
    ) {
        return;
    }
    let end = if text.as_bytes()[end - 1].is_ascii_digit() {
        start
            + text[start..end]
                .bytes()
                .take_while(u8::is_ascii_alphabetic)
                .count()
    } else {
        end
    };
    out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
}

/// "lunedì", "mardi", "Donnerstag": a weekday of another language, when no letter goes on
/// after it (the shape has no closing word boundary).
pub(super) fn foreign_weekday(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if super::neighbours::word_goes_on(text, end) {
        return;
    }
    out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
}

/// Words after which a month named alone is a date: "in January", "until April", "from
/// May to June". Elsewhere the word is as often a person ("April", "June") or a verb.
const MONTH_BEFORE: &[&str] = &[
    "in",
    "on",
    "of",
    "for",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "through",
    "during",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "next",
    "last",
    "this",
    "every",
    "each",
    "end",
    "between",
    "and",
    "or",
    "throughout",
    "around",
    "about",
];

/// Months that are neither a given name, a verb nor an adjective: "its September event",
/// "the October release" name a time wherever they stand.
const UNAMBIGUOUS_MONTHS: &[&str] = &[
    "January",
    "February",
    "July",
    "September",
    "October",
    "November",
    "December",
];

/// "processed in January", "expected in October": a month named alone after a word that
/// places something in time; the months of [`UNAMBIGUOUS_MONTHS`] anywhere.
pub(super) fn month(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let (before, _) = token_before(text, start);
    let dated = before.is_one_of(MONTH_BEFORE)
        || before == Token::Punct(b'-')
        || UNAMBIGUOUS_MONTHS.contains(&&text[start..end]);
    // "April Strand", "June Carter": a capitalised word right after makes it a name.
    let named = matches!(token_after(text, end).0, Token::Word(w) if w.starts_with(|c: char| c.is_ascii_uppercase()));
    if dated && !named {
        out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
    }
}

/// Words that may follow a day of the month named alone: the sentence goes on about the
/// date. Any other word after it ("the 3rd floor", "her 22nd birthday") makes it a rank.
const ORDINAL_DAY_AFTER: &[&str] = &[
    "at", "of", "and", "or", "to", "until", "till", "from", "in", "for", "by", "when", "is", "was",
    "will", "works", "please", "if", "but", "then", "so",
];

/// "on the 22nd", "by the 18th": a day of the month named alone, after "the" with a word
/// that places something in time before it, and not followed by a noun it ranks.
pub(super) fn ordinal_day(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if !ordinal_of_a_day(&text[start..end]) {
        return;
    }
    let (the, the_at) = token_before(text, start);
    if !the.is_one_of(&["the"]) {
        return;
    }
    let (cue, _) = token_before(text, the_at);
    let placed = cue.is_one_of(&[
        "on", "by", "until", "till", "from", "since", "before", "after", "for", "and", "to", "or",
        "through",
    ]);
    let after = token_after(text, end).0;
    let goes_on = match after {
        Token::Word(w) => {
            after.is_one_of(ORDINAL_DAY_AFTER) || !w.starts_with(|c: char| c.is_ascii_lowercase())
        }
        _ => true,
    };
    if placed && goes_on {
        out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
    }
}

/// "1st" to "31st", with the suffix English gives each number.
fn ordinal_of_a_day(word: &str) -> bool {
    let (digits, suffix) = word.split_at(word.len() - 2);
    let Some(day) = parse_num(digits.as_bytes()).filter(|d| (1..=31).contains(d)) else {
        return false;
    };
    let want = match (day % 10, day / 10) {
        (_, 1) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    suffix == want
}

/// Words before a clock time in French, Portuguese and Dutch ("à 19h", "depois das 18h",
/// "om 8 uur"): without one, "8h" and "8 uur" are as often a duration.
const FOREIGN_TIME_CUES: &[&str] = &[
    "à", "às", "as", "das", "vers", "dès", "até", "umas", "depuis", "avant", "après", "om",
    "tegen", "rond", "vanaf", "tot", "entre",
];

/// Words that join a second clock time to a first ("entre 9h et 13h", "das 9h às 18h").
const TIME_JOINERS: &[&str] = &["et", "e", "y", "en", "und", "-", "a", "à", "às", "bis"];

/// "9h15", "à 19h", "nach 17 Uhr", "om 8 uur".
pub(super) fn foreign_time(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let minutes = s.split_once('h').is_some_and(|(_, m)| !m.is_empty());
    let word_before = super::neighbours::word_before(text, start).to_lowercase();
    let b = text.as_bytes();
    let glued = matches!(b.get(end), Some(b'0'..=b'9' | b':'))
        || b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit)
        || start > 0 && b[start - 1].is_ascii_alphanumeric();
    if !glued
        && (minutes
            || s.ends_with("Uhr")
            || FOREIGN_TIME_CUES.contains(&word_before.as_str())
            || TIME_JOINERS.contains(&word_before.as_str()) && follows_a_clock_time(text, start))
    {
        out.push(Candidate::scored(EntityType::DateTime, start, end, 0.6));
    }
}

/// Whether the word two before `start` is a clock time such as "9h" or "9h30".
fn follows_a_clock_time(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let Some(joiner) = before.rfind(char::is_whitespace) else {
        return false;
    };
    let time = super::neighbours::word_before(text, joiner);
    let digits = time.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && time.as_bytes().get(digits) == Some(&b'h')
        && time[digits + 1..].bytes().all(|c| c.is_ascii_digit())
}

/// "09:12", "10:30:00", "6:45 pm", "3pm", "8 a.m.": the clock values must exist.
pub(super) fn time(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text.as_bytes()[start..end];
    let hour_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let Some(hour) = parse_num(&s[..hour_len]) else {
        return;
    };
    let minutes = match s.get(hour_len) {
        // "7.30 pm": British clocks write a dot, and the shape allows it only before am/pm.
        Some(b':' | b'.') => parse_num(&s[hour_len + 1..hour_len + 3]),
        _ => Some(0),
    };
    // A zone ("UTC", "MSK") is three capitals or more after a space; "am"/"pm" have an M.
    let zone = s
        .iter()
        .rposition(|&c| c == b' ')
        .filter(|&k| s.len() - k > 3 && s[k + 1..].iter().all(u8::is_ascii_uppercase))
        .unwrap_or(s.len());
    let meridiem = s[..zone].iter().any(|c| matches!(c, b'm' | b'M'));
    let hour_ok = if meridiem {
        (1..=12).contains(&hour)
    } else {
        hour < 24
    };
    // A time glued to more digits or colons is part of something else (a log field, an
    // IPv6-like run) that its own shape reads.
    // A zone or am/pm ends the time: a colon after it is the end of a label ("INC-2291
    // 02:14 UTC: latency spike").
    let closed = s
        .last()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.');
    // A colon then a space ends a label ("Nurse's note 22:40: …").
    let glued = matches!(text.as_bytes().get(end), Some(b'0'..=b'9'))
        || !closed
            && text.as_bytes().get(end) == Some(&b':')
            && text
                .as_bytes()
                .get(end + 1)
                .is_some_and(|c| !c.is_ascii_whitespace())
        || (start > 0 && matches!(text.as_bytes()[start - 1], b':' | b'.'));
    if hour_ok && minutes.is_some_and(|m| m < 60) && !glued {
        out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
    }
}

/// Words that may follow an hour named alone: the phrase about the time goes on or ends.
const AFTER_HOUR: &[&str] = &[
    "and", "or", "to", "a", "alle", "tomorrow", "tonight", "today", "then", "sharp", "latest",
    "ish", "on", "if", "so", "but", "when", "pls", "please", "tho", "y", "e", "et", "und", "en",
];

/// "at work til 6, pls", "Ci vediamo alle 10!", "at home after 4.": an hour without minutes
/// after a word that places it in the day, where the phrase ends or goes on about the time.
/// After "at", only a clock-face hour: "left school at 16" is an age.
pub(super) fn hour_after_word(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let Some(space) = text[start..end].rfind(' ') else {
        return;
    };
    let hour_at = start + space + 1;
    let Some(hour) = parse_num(&text.as_bytes()[hour_at..end]) else {
        return;
    };
    let at = text[start..hour_at - 1].eq_ignore_ascii_case("at");
    if hour > 23 || at && !(1..=12).contains(&hour) {
        return;
    }
    let b = text.as_bytes();
    // "6:30", "6.30", "6,5" and "6%" are other things read by other shapes or none.
    let more_number = matches!(b.get(end), Some(b':' | b'.' | b',' | b'/'))
        && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    let ends = match token_after(text, end).0 {
        Token::Edge => true,
        Token::Punct(p) => {
            !more_number && !matches!(p, b'%' | b'$' | b'/' | b'*' | b'+' | b'=' | b'x')
        }
        word @ Token::Word(_) => word.is_one_of(AFTER_HOUR),
    };
    if ends {
        out.push(Candidate::settled(EntityType::DateTime, hour_at, end, 0.6));
    }
}

/// "Jun 12 03:17:44", "05/Aug/2024:13:27:40 +0300": a log's stamp, whose day and clock
/// must exist.
pub(super) fn log_stamp(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| parse_num(p.as_bytes()))
        .collect();
    // Syslog: day, h, m, s; the web server's: day, year, h, m, s (and a zone).
    let (day, clock) = match numbers.as_slice() {
        [d, h, m, sec] => (*d, [*h, *m, *sec]),
        [d, _, h, m, sec, ..] => (*d, [*h, *m, *sec]),
        _ => return,
    };
    if (1..=31).contains(&day) && clock[0] < 24 && clock[1] < 60 && clock[2] < 61 {
        out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
    }
}

/// Words after which a four-digit number is a year: "founded in 1984", "during 2003",
/// "since 1999", "the year 2000", "summer 2019".
const YEAR_BEFORE: &[&str] = &[
    "in",
    "during",
    "since",
    "until",
    "till",
    "circa",
    "ca",
    "around",
    "before",
    "after",
    "by",
    "year",
    "early",
    "late",
    "mid",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
    "founded",
    "established",
    "est",
    "born",
    "christmas",
    "easter",
    "diagnosed",
    "graduated",
    "married",
    "divorced",
    "retired",
    "hired",
    "died",
    "review",
    "fy",
    "season",
    "cohort",
];

/// Words that open a range whose ends are years only when the range goes on ("from 2020
/// to 2025", "between 2016 and 2018"); alone, "from 2000" is as often a count.
const RANGE_OPENERS: &[&str] = &["from", "between"];
const RANGE_JOINERS: &[&str] = &["to", "and", "until", "till", "through", "or"];

/// A bare year, only where the words around it use it as one.
pub(super) fn year(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let (before, before_at) = token_before(text, start);
    let word_before_that = || token_before(text, before_at).0;
    let as_year = before.is_one_of(YEAR_BEFORE)
        || (before.is_one_of(RANGE_OPENERS) && token_after(text, end).0.is_one_of(RANGE_JOINERS))
        || (before.is_one_of(RANGE_JOINERS)
            && matches!(word_before_that(), Token::Word(w) if is_year(w)));
    // "class of 2009 update", "b. 1841", "d. 1902": no count reads so, whatever follows.
    let marked = before.is_one_of(&["of"]) && word_before_that().is_one_of(&["class", "batch"])
        || before == Token::Punct(b'.') && word_before_that().is_one_of(&["b", "d"])
        || life_span(text, start, end);
    if marked || as_year && ends_phrase(text, end) {
        out.push(Candidate::settled(EntityType::DateTime, start, end, 0.6));
    }
}

/// "(1938–2024)": a year joined by a dash to a later one, at most a lifetime apart, is
/// one end of a span of years, either end.
fn life_span(text: &str, start: usize, end: usize) -> bool {
    const DASHES: [&str; 3] = ["-", "\u{2013}", "\u{2014}"];
    let year = |w: &str| parse_num(w.as_bytes()).filter(|_| is_year(w));
    // A dash's first byte must follow the year, or its last byte precede it: most years
    // have neither, and are passed over before any dash is compared.
    let b = text.as_bytes();
    let dash_after = matches!(b.get(end), Some(b'-' | 0xE2));
    let dash_before = start > 0 && matches!(b[start - 1], b'-' | 0x93 | 0x94);
    if !dash_after && !dash_before {
        return false;
    }
    let after = DASHES
        .iter()
        .find_map(|d| text[end..].strip_prefix(d))
        .and_then(|rest| {
            rest.get(..4)
                .filter(|_| !rest[4..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .and_then(year);
    let before = DASHES
        .iter()
        .find_map(|d| text[..start].strip_suffix(d))
        .and_then(|rest| {
            rest.len().checked_sub(4).and_then(|k| {
                rest.get(k..)
                    .filter(|_| !rest[..k].ends_with(|c: char| c.is_ascii_alphanumeric()))
            })
        })
        .and_then(year);
    // Nearly every year stands alone: its own value is read only beside another.
    if after.is_none() && before.is_none() {
        return false;
    }
    let this = year(&text[start..end]);
    let spans = |a: Option<u32>, b: Option<u32>| matches!((a, b), (Some(a), Some(b)) if a < b && b - a <= 120);
    spans(this, after) || spans(before, this)
}

fn is_year(word: &str) -> bool {
    word.len() == 4 && parse_num(word.as_bytes()).is_some_and(|y| (1600..=2099).contains(&y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(f: fn(&str, usize, usize, &mut Vec<Candidate>), text: &str, needle: &str) -> bool {
        let start = text.find(needle).unwrap();
        let mut out = Vec::new();
        f(text, start, start + needle.len(), &mut out);
        !out.is_empty()
    }

    #[test]
    fn weekdays_of_other_languages() {
        let one = |text: &str, end: usize| {
            let mut out = Vec::new();
            foreign_weekday(text, 0, end, &mut out);
            !out.is_empty()
        };
        assert!(one("lunedì alle 10", "lunedì".len()));
        assert!(one("mardi 9 avril", 5));
        assert!(!one("mardis gras", 5));
    }

    #[test]
    fn years_after_life_events() {
        assert!(found(year, "type 2 diabetes, diagnosed 2012.", "2012"));
        assert!(found(year, "Performance review 2023 – Job title", "2023"));
        assert!(!found(year, "review 2023 items", "2023"));
    }

    #[test]
    fn log_stamps_must_exist() {
        assert!(found(
            log_stamp,
            "Jun 12 03:17:44 host sshd",
            "Jun 12 03:17:44"
        ));
        assert!(found(
            log_stamp,
            "- hkamau [05/Aug/2024:13:27:40 +0300] \"GET",
            "05/Aug/2024:13:27:40 +0300"
        ));
        assert!(!found(log_stamp, "Jun 32 03:17:44", "Jun 32 03:17:44"));
        assert!(!found(log_stamp, "Jun 12 25:17:44", "Jun 12 25:17:44"));
    }

    #[test]
    fn years_of_a_life_or_a_class() {
        let text = "Prof. Václav Dvořák (1938–2024) taught chemistry.";
        assert!(found(year, text, "1938"));
        assert!(found(year, text, "2024"));
        assert!(found(year, "Class of 2009 update:", "2009"));
        assert!(found(year, "Oberhauser (b. 1841, Tübingen)", "1841"));
        assert!(!found(year, "parts 1938-1800 of the order", "1938"));
        assert!(!found(year, "codes 1938-2024x", "1938"));
        assert!(!found(year, "a box of 2009 screws", "2009"));
    }

    #[test]
    fn years_in_date_phrases() {
        assert!(found(
            year,
            "The company was founded in 1984 by two engineers.",
            "1984"
        ));
        assert!(found(
            year,
            "She worked during 2003 and moved later.",
            "2003"
        ));
        assert!(found(
            year,
            "I got the scar in 2011 while working abroad.",
            "2011"
        ));
        assert!(found(
            year,
            "Since 1999 we have served 40 countries.",
            "1999"
        ));
        assert!(found(
            year,
            "Interest from 2020 to 2025 on the loan",
            "2020"
        ));
        assert!(found(
            year,
            "Interest from 2020 to 2025 on the loan",
            "2025"
        ));
        assert!(found(year, "Between 2016 and 2018 he lived there", "2018"));
    }

    #[test]
    fn years_in_prices_and_quantities_are_not_dates() {
        assert!(!found(year, "Price: $2019 for the bundle.", "2019"));
        assert!(!found(year, "We shipped 2023 units last quarter.", "2023"));
        assert!(!found(year, "Batch 2021 contains 300 items.", "2021"));
        assert!(!found(year, "Ticket 2024 was merged.", "2024"));
        assert!(!found(year, "in 2000 stores nationwide", "2000"));
        assert!(!found(year, "rose by 2000 votes", "2000"));
        assert!(!found(year, "from 2000 customers", "2000"));
        assert!(!found(year, "grew in 2020%", "2020"));
    }

    #[test]
    fn months_placed_in_time_are_dates() {
        assert!(found(month, "processed in January.", "January"));
        assert!(found(month, "Decision expected in October", "October"));
        assert!(found(month, "from May to June", "June"));
        assert!(found(month, "open until April, then closed", "April"));
    }

    #[test]
    fn days_of_the_month_named_alone() {
        assert!(found(ordinal_day, "we land on the 22nd. Thanks", "22nd"));
        assert!(found(ordinal_day, "due by the 18th at noon", "18th"));
        assert!(found(ordinal_day, "from the 1st to the 3rd", "3rd"));
        assert!(!found(ordinal_day, "on the 3rd floor", "3rd"));
        assert!(!found(ordinal_day, "for her 22nd birthday", "22nd"));
        assert!(!found(ordinal_day, "came in the 2nd place", "2nd"));
        assert!(!found(ordinal_day, "finished 2nd overall", "2nd"));
        assert!(!found(ordinal_day, "on the 32nd", "32nd"));
        assert!(!found(ordinal_day, "on the 22th", "22th"));
        assert!(found(ordinal_day, "on the 11th.", "11th"));
        assert!(found(ordinal_day, "on the 31st.", "31st"));
    }

    #[test]
    fn months_as_names_or_alone_are_not_dates() {
        assert!(!found(month, "ask April about it", "April"));
        assert!(!found(month, "with April Strand today", "April"));
        assert!(!found(month, "May I come in?", "May"));
        assert!(!found(month, "March was cold", "March"));
    }

    #[test]
    fn months_that_are_no_other_word_are_dates_anywhere() {
        assert!(found(month, "at its September event in", "September"));
        assert!(found(month, "the October release", "October"));
        assert!(!found(month, "Book club – March meeting", "March"));
        assert!(!found(month, "the September Films office", "September"));
    }

    #[test]
    fn hours_named_alone_after_a_word_of_time() {
        let hour = |text: &str, needle: &str| {
            let start = text.find(needle).expect("needle");
            let word = text[..start].trim_end().rfind(' ').map_or(0, |k| k + 1);
            let mut out = Vec::new();
            hour_after_word(text, word, start + needle.len(), &mut out);
            out.first().map(|c| &text[c.start..c.end]) == Some(needle.rsplit(' ').next().unwrap())
        };
        assert!(hour("i'm at work til 6, pls leave it", "6"));
        assert!(hour("Ci vediamo lunedì alle 10!", "10"));
        assert!(hour("she is at home after 4. Her mob", "4"));
        assert!(hour("call me at 3 tomorrow", "3"));
        assert!(hour("open until 22", "22"));
        assert!(!hour("after 4 attempts the lock", "4"));
        assert!(!hour("moved to Seoul at 18 to study", "18"));
        assert!(!hour("left school at 16.", "16"));
        assert!(!hour("at 5 Main Street", "5"));
        assert!(!hour("after 6.30 we left", "6"));
        assert!(!hour("until 25.", "25"));
    }

    #[test]
    fn clock_times_in_pairs() {
        assert!(found(foreign_time, "livré entre 9h et 13h.", "9h"));
        assert!(found(foreign_time, "livré entre 9h et 13h.", "13h"));
        assert!(!found(foreign_time, "3 jours et 13h", "13h"));
    }

    #[test]
    fn clock_times_must_exist() {
        assert!(found(time, "Nurse's note 22:40: nausea", "22:40"));
        assert!(found(time, "leaves at 09:12 from", "09:12"));
        assert!(found(time, "at 6:45 pm", "6:45 pm"));
        assert!(found(time, "at about 7.30 pm I saw", "7.30 pm"));
        assert!(found(time, "bridge opened at 17:20 WAT", "17:20 WAT"));
        assert!(found(
            time,
            "INC-2291 02:14 UTC: latency spike",
            "02:14 UTC"
        ));
        assert!(found(time, "restored at 14:05 MSK", "14:05 MSK"));
        assert!(found(time, "at 9 PM EST", "9 PM EST"));
        assert!(!found(time, "at 14 PM EST", "14 PM EST"));
        assert!(!found(time, "at about 13.30 pm", "13.30 pm"));
        assert!(found(time, "at 3pm", "3pm"));
        assert!(found(time, "at 23:59:59", "23:59:59"));
        assert!(!found(time, "at 24:10", "24:10"));
        assert!(!found(time, "at 13pm", "13pm"));
        assert!(!found(time, "at 0am", "0am"));
        assert!(
            !found(time, "id 12:34:56:78", "12:34:56"),
            "glued to more fields"
        );
    }
}
