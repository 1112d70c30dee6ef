//! Detection breadth as a new user tries it: dates beyond full calendar dates, ages in
//! sentences, mistyped card numbers next to card words, and labelled ID numbers.

use detect::{EntityType, PatternDetector};

fn spans(text: &str) -> Vec<(EntityType, &str)> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .map(|d| (d.entity_type, &text[d.start..d.end]))
        .collect()
}

#[track_caller]
fn exactly(text: &str, want: &[(EntityType, &str)]) {
    assert_eq!(spans(text), want, "{text:?}");
}

#[test]
fn weekdays_times_years_and_months() {
    use EntityType::DateTime;
    exactly(
        "See you Tuesday at 3pm in the lobby.",
        &[(DateTime, "Tuesday"), (DateTime, "3pm")],
    );
    exactly("We met on monday afternoon.", &[(DateTime, "monday")]);
    exactly(
        "The company was founded in 1984 by two engineers.",
        &[(DateTime, "1984")],
    );
    exactly(
        "I got the scar in 2011 while working abroad.",
        &[(DateTime, "2011")],
    );
    exactly(
        "The train leaves at 09:12 from platform 4.",
        &[(DateTime, "09:12")],
    );
    exactly(
        "Delivered 3 April 2023 at 6:45 pm.",
        &[(DateTime, "3 April 2023"), (DateTime, "6:45 pm")],
    );
    exactly("Renewal is due March 2024.", &[(DateTime, "March 2024")]);
    exactly(
        "Closed from 24 December to 2 January.",
        &[(DateTime, "24 December"), (DateTime, "2 January")],
    );
}

#[test]
fn numbers_that_only_look_like_dates_or_times() {
    for text in [
        "The ratio was 3:1 and the score 2:5.",
        "you may 2 or 3 times a day",
        "Room 34 is booked for 19 guests.",
        "It took 25:61 minutes",
        "build 7.3.15 and version 10.4.2",
    ] {
        exactly(text, &[]);
    }
}

#[test]
fn ages_in_sentences() {
    use EntityType::Age;
    for (text, age) in [
        ("My son just turned 34 and lives in Perth.", "34"),
        ("When she was 19 she moved to Toronto.", "19"),
        ("I'll turn 50 next spring.", "50"),
        ("The patient is a 42-year-old woman.", "42"),
        ("Applicant aged 42, nationality Irish.", "42"),
        ("Age: 42", "42"),
        ("He is 67 years old and retired.", "67"),
        ("I'm 29.", "29"),
    ] {
        exactly(text, &[(Age, age)]);
    }
}

#[test]
fn counts_after_verbs_are_not_ages() {
    for text in [
        "She was 5 minutes late.",
        "He is 6 feet tall.",
        "Turn 90 degrees left.",
        "I'm 100 percent sure.",
        "Room 34 is booked for 19 guests.",
        "she was 200 when",
    ] {
        exactly(text, &[]);
    }
}
