//! Detection breadth as a new user tries it: dates beyond full calendar dates, ages in
//! sentences, mistyped card numbers next to card words, and labelled ID numbers.

use detect::{EntityType, PatternDetector};

/// Structured findings only: people and places come from the names stage.
fn spans(text: &str) -> Vec<(EntityType, &str)> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .filter(|d| !matches!(d.entity_type, EntityType::Name | EntityType::Address))
        .map(|d| (d.entity_type, &text[d.start..d.end]))
        .collect()
}

#[track_caller]
fn exactly(text: &str, want: &[(EntityType, &str)]) {
    assert_eq!(spans(text), want, "{text:?}");
}

#[test]
fn licence_plates_after_a_word_for_them() {
    use EntityType::LicensePlate;
    for (text, plate) in [
        (
            "Driver Abdullahi, van LK71 XWT, 43 drops today.",
            "LK71 XWT",
        ),
        ("kenteken GZ-481-K, geparkeerd voor de deur", "GZ-481-K"),
        ("Vehicle: KA 05 MN 7421 (white Swift)", "KA 05 MN 7421"),
        ("the car's number plate is NRK 52F", "NRK 52F"),
    ] {
        exactly(text, &[(LicensePlate, plate)]);
    }
    // A model or a year after the word has not both letters and digits.
    exactly("we took the van XL to the depot", &[]);
    exactly("Jan van Dijk drove the car HOME", &[]);
}

#[test]
fn clock_times_of_other_languages() {
    use EntityType::DateTime;
    for (text, time) in [
        ("le rendez-vous est à 9h15 au cabinet", "9h15"),
        ("Je passe vers 19h ?", "19h"),
        ("Bitte um Rückruf nach 17 Uhr", "17 Uhr"),
        ("ik sta morgen om 8 uur bij je", "8 uur"),
        ("só depois das 18h, trabalha por turno", "18h"),
    ] {
        exactly(text, &[(DateTime, time)]);
    }
    // Without minutes, "Uhr" or a word of time before them they are durations.
    exactly("an 8h shift and 12 uur werk", &[]);
}

#[test]
fn days_and_months_closed_by_dots() {
    use EntityType::DateTime;
    for (text, date) in [
        (
            "Uchazečka: Tereza, nar. 12. 9. 1996, bytem Brno",
            "12. 9. 1996",
        ),
        ("Objednávka měla dorazit dne 15. 5., ale nic", "15. 5."),
        ("1:1 Lena / Dominik – 08.02.\n- Q2", "08.02."),
    ] {
        exactly(text, &[(DateTime, date)]);
    }
    // A version, a numbered list or an address is no date.
    exactly("when running yarn on Ubuntu 22.04. Already tried", &[]);
    exactly("Steps 1. 2. and 3. are done", &[]);
    exactly(
        "ping 10.12.0.1 now",
        &[(EntityType::IpAddress, "10.12.0.1")],
    );
}

#[test]
fn weekdays_of_more_languages() {
    use EntityType::DateTime;
    for (text, day) in [
        ("ci vediamo sabato mattina", "sabato"),
        ("llego el domingo por la tarde", "domingo"),
        ("přijdu v pondělí", "pondělí"),
        ("Cumartesi günü geliyorum", "Cumartesi"),
    ] {
        exactly(text, &[(DateTime, day)]);
    }
    // A name is written with a capital.
    exactly("Domingo Pérez called", &[]);
}

#[test]
fn weekdays_times_years_and_months() {
    use EntityType::DateTime;
    // Parts of one date joined by a space, a comma or "at" are one span, as in Comprehend.
    exactly(
        "See you Tuesday at 3pm in the lobby.",
        &[(DateTime, "Tuesday at 3pm")],
    );
    exactly(
        "We met on monday afternoon.",
        &[(DateTime, "monday afternoon")],
    );
    exactly(
        "Sent Fri 3 May, 14:05 and again Mon 09:40 CEST.",
        &[(DateTime, "Fri 3 May, 14:05"), (DateTime, "Mon 09:40 CEST")],
    );
    exactly(
        "12/04/2024 08:01:17 job started",
        &[(DateTime, "12/04/2024 08:01:17")],
    );
    exactly(
        "He sat 3 times; open from 8am to 6pm.",
        &[(DateTime, "8am"), (DateTime, "6pm")],
    );
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
        &[(DateTime, "3 April 2023 at 6:45 pm")],
    );
    exactly("Renewal is due March 2024.", &[(DateTime, "March 2024")]);
    exactly(
        "Reports after that will be processed in January.",
        &[(DateTime, "January")],
    );
    exactly("We land on the 22nd. Thanks!", &[(DateTime, "22nd")]);
    exactly("Ask April about the 3rd floor.", &[]);
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
        ("Chinonso Obi, 19, from Port Harcourt, won.", "19"),
        ("Zdeněk Horák (52) is a violinist.", "52"),
        (
            "Patient Eleanor Whitcombe, 67, presented with chest pain.",
            "67",
        ),
        ("Elif Şahin, 29, runs a ceramics studio.", "29"),
        ("Chidinma Eze (34) will relocate to Rotterdam.", "34"),
        (
            "Exit interview - Marek Nowak, 34, leaving for Warsaw.",
            "34",
        ),
        ("Room wanted: Kenji, 24, software tester, non-smoker.", "24"),
        ("Grace, 27. Pharmacist by day, potter by night.", "27"),
        ("Hi, I'm Summer, 31, originally from Durban.", "31"),
        ("A Filipino nurse, 34, was among the passengers.", "34"),
        ("triage: child, 3, brought in by her father", "3"),
        ("My gran (91) needs the front seat.", "91"),
        (
            "the appeal for little Tilly Evans (5), the account is open",
            "5",
        ),
        ("The co-signer is 61 years of age and retired.", "61"),
        ("Der Fahrer ist 34 Jahre alt.", "34"),
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
        "Rooms in London, 12, 14 and 16.",
        "See Table (3) for details",
        "Rooms in London, 12, sessions in Leeds, 14.",
        "Totals (3) will follow",
        "Rooms in Leeds, 24, software included.",
        "Summer, 31 days of sales.",
        "We met Grace, 27 of us in all.",
        "Grace, 3.5 stars for the hotel.",
        "Open Tickets (12), then Closed Tickets (4)",
        "the man page, 3, covers it",
    ] {
        exactly(text, &[]);
    }
}

#[test]
fn card_numbers_failing_luhn_next_to_card_words() {
    use EntityType::CreditDebitNumber as Card;
    for (text, card) in [
        ("my credit card is 483920175566", "483920175566"),
        ("block card 350012345678901 now", "350012345678901"),
        ("cc 601100223344 please", "601100223344"),
        ("Visa 4111 1111 1111 1112 declined", "4111 1111 1111 1112"),
    ] {
        let found = PatternDetector::default().detect_text(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (found[0].entity_type, &text[found[0].start..found[0].end]),
            (Card, card)
        );
        // Below a Luhn-checked card, above the default threshold the policies mask at.
        assert!(found[0].score >= 0.5 && found[0].score < 1.0, "{found:?}");
    }
    // Without a card word Luhn stays mandatory.
    exactly("Tracking number 483920175566 is with the courier.", &[]);
    exactly("order 4111 1111 1111 1112 shipped", &[]);
}

#[test]
fn labelled_licence_and_passport_numbers_in_any_case() {
    use EntityType::{DriverId, PassportNumber};
    for (text, want) in [
        (
            "Driver's licence no. ab1234567 was scanned",
            (DriverId, "ab1234567"),
        ),
        (
            "Driver license number: k12345678901",
            (DriverId, "k12345678901"),
        ),
        (
            "driving licence: smith901234ab9cd",
            (DriverId, "smith901234ab9cd"),
        ),
        ("DL# D1234-56789-01234", (DriverId, "D1234-56789-01234")),
        (
            "Passport no X551234 issued in Dublin",
            (PassportNumber, "X551234"),
        ),
        ("passport number: c01x00t47", (PassportNumber, "c01x00t47")),
        ("My passport # is L898902C3.", (PassportNumber, "L898902C3")),
    ] {
        exactly(text, &[want]);
    }
}

#[test]
fn licence_words_without_an_id_after_them() {
    for text in [
        "passport renewal takes 6 weeks",
        "license key ABCD-1234-EFGH-5678",
        "the licence no longer applies",
        "upgraded to version 10.4.2.1 today",
    ] {
        exactly(text, &[]);
    }
}

#[test]
fn usernames_in_sentences_and_auth_logs() {
    use EntityType::Username;
    exactly(
        "Please change it on first login. Your username is jamal.hussain.",
        &[(Username, "jamal.hussain")],
    );
    exactly(
        "WARN auth: 5 failed attempts for user m.kowalski",
        &[(Username, "m.kowalski")],
    );
    exactly(
        "sshd[2231]: Failed password for invalid user admin from host",
        &[(Username, "admin")],
    );
    exactly(
        "Accepted publickey for deploy from host",
        &[(Username, "deploy")],
    );
    for text in [
        "The username is required.",
        "Contact us for user support.",
        "Reset the password for your account.",
    ] {
        exactly(text, &[]);
    }
}

#[test]
fn region_codes_after_their_labels() {
    let places = |text: &str| -> Vec<String> {
        PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .filter(|d| d.entity_type == EntityType::Address)
            .map(|d| text[d.start..d.end].to_string())
            .collect()
    };
    assert_eq!(
        places("City: Glendale\nState: CA\nZIP: 91201"),
        ["Glendale", "CA", "91201"]
    );
    assert_eq!(places("visitor=anon_4412 country=BR"), ["BR"]);
    assert!(places("The state: we are ready to ship.").is_empty());
}

#[test]
fn dates_written_as_in_chat_and_in_more_languages() {
    use EntityType::DateTime;
    for (text, date) in [
        ("the site visit moves to Wednesday 11th.", "Wednesday 11th"),
        ("see you on 12 july at the pub", "12 july"),
        ("jadi ke sana tanggal 20 Agustus?", "20 Agustus"),
        ("Kami bertolak pada 15 Julai nanti", "15 Julai"),
    ] {
        exactly(text, &[(DateTime, date)]);
    }
    exactly("option 5 may apply to you", &[]);
}

#[test]
fn holidays_named_by_a_weekday_are_no_dates() {
    use EntityType::DateTime;
    exactly("3) Black Friday readiness 4) AOB", &[]);
    exactly("closed on Good Friday", &[]);
    exactly("closed on Friday", &[(DateTime, "Friday")]);
}
