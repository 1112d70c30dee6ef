//! One sentence per entity type, written the way people write them.

use detect::{Detector, EntityType, PatternDetector};

fn spans(text: &str) -> Vec<(EntityType, String)> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .map(|d| (d.entity_type, text[d.start..d.end].to_string()))
        .collect()
}

#[track_caller]
fn finds(text: &str, t: EntityType, value: &str) {
    let got = spans(text);
    assert!(
        got.contains(&(t, value.to_string())),
        "{t} {value:?} not found in {text:?}: {got:?}"
    );
}

#[test]
fn contact_details() {
    use EntityType::*;
    finds(
        "write to jane.doe@example.com today",
        Email,
        "jane.doe@example.com",
    );
    finds("call +44 20 7946 0958 now", Phone, "+44 20 7946 0958");
    finds("call (555) 123-4567 now", Phone, "(555) 123-4567");
    finds("ring 202-555-0173 now", Phone, "202-555-0173");
    finds("mobile 07700 900123", Phone, "07700 900123");
    finds("mobile 0412 345 678", Phone, "0412 345 678");
    finds("or +61 412 345 678 in Sydney", Phone, "+61 412 345 678");
    finds(
        "see https://example.com/path?q=1.",
        Url,
        "https://example.com/path?q=1",
    );
    finds("Dr Jane Smith will see you", Name, "Jane Smith");
    finds("Name: John O'Neil", Name, "John O'Neil");
    finds(
        "she lives at 221 Baker Street, London",
        Address,
        "221 Baker Street, London",
    );
    finds("postcode SW1A 1AA", Address, "SW1A 1AA");
    finds("zip: 94105", Address, "94105");
}

#[test]
fn government_ids() {
    use EntityType::*;
    finds("SSN 536-22-1234 on file", Ssn, "536-22-1234");
    finds("SSN: 536221234", Ssn, "536221234");
    finds(
        "ITIN 912-70-1234",
        UsIndividualTaxIdentificationNumber,
        "912-70-1234",
    );
    finds("passport number X1234567", PassportNumber, "X1234567");
    finds("driver's license D1234567", DriverId, "D1234567");
    finds(
        "NI number AB 12 34 56 C",
        UkNationalInsuranceNumber,
        "AB 12 34 56 C",
    );
    finds(
        "NHS number 943 476 5919",
        UkNationalHealthServiceNumber,
        "943 476 5919",
    );
    finds("SIN 130 692 544", CaSocialInsuranceNumber, "130 692 544");
    // The Government of Canada's sample SIN starts with 0, a digit never issued.
    assert!(spans("SIN 046 454 286").is_empty());
    finds("Aadhaar 2341 2341 2346", InAadhaar, "2341 2341 2346");
    finds("PAN ABCPE1234F", InPermanentAccountNumber, "ABCPE1234F");
    finds(
        "VIN 1M8GDM9AXKP042788",
        VehicleIdentificationNumber,
        "1M8GDM9AXKP042788",
    );
}

#[test]
fn financial() {
    use EntityType::*;
    finds(
        "card 4111 1111 1111 1111 exp 12/25 cvv 123",
        CreditDebitNumber,
        "4111 1111 1111 1111",
    );
    finds(
        "card 4111 1111 1111 1111 exp 12/25 cvv 123",
        CreditDebitExpiry,
        "12/25",
    );
    finds(
        "card 4111 1111 1111 1111 exp 12/25 cvv 123",
        CreditDebitCvv,
        "123",
    );
    finds("amex 378282246310005", CreditDebitNumber, "378282246310005");
    finds(
        "IBAN GB82 WEST 1234 5698 7654 32 please",
        InternationalBankAccountNumber,
        "GB82 WEST 1234 5698 7654 32",
    );
    finds(
        "IBAN DE89370400440532013000",
        InternationalBankAccountNumber,
        "DE89370400440532013000",
    );
    finds("SWIFT: DEUTDEFF", SwiftCode, "DEUTDEFF");
    finds("routing number 011000015", BankRouting, "011000015");
    finds("account number 12345678", BankAccountNumber, "12345678");
}

#[test]
fn technical_and_credentials() {
    use EntityType::*;
    finds("from 192.168.1.20 at", IpAddress, "192.168.1.20");
    finds("from 2001:db8::1 at", IpAddress, "2001:db8::1");
    finds("mac 00:1A:2B:3C:4D:5E", MacAddress, "00:1A:2B:3C:4D:5E");
    finds(
        "key AKIAIOSFODNN7EXAMPLE",
        AwsAccessKey,
        "AKIAIOSFODNN7EXAMPLE",
    );
    finds(
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AwsSecretKey,
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    finds("password: hunter2!", Password, "hunter2!");
    finds("pwd=s3cr3t", Password, "s3cr3t");
    finds("username: jdoe42", Username, "jdoe42");
    finds("PIN: 4821", Pin, "4821");
}

#[test]
fn ages_and_dates() {
    use EntityType::*;
    finds("patient age 42 presented", Age, "42");
    finds("a 42 years old man", Age, "42");
    finds("aged 67", Age, "67");
    finds("on 2024-02-29 we", DateTime, "2024-02-29");
    finds(
        "at 2024-02-28T10:30:00Z we",
        DateTime,
        "2024-02-28T10:30:00Z",
    );
    finds("born 29/02/2024", DateTime, "29/02/2024");
    finds("born 02/29/2024", DateTime, "02/29/2024");
    finds("on 12 March 2024", DateTime, "12 March 2024");
    finds("on March 12, 2024", DateTime, "March 12, 2024");
    assert!(
        spans("on 2023-02-29 we").is_empty(),
        "2023 has no 29 February"
    );
    assert!(spans("on 31 April 2024").is_empty());
}

#[test]
fn invalid_checksums_are_dropped() {
    // Next to a card word it would be a mistyped card (see breadth.rs).
    assert!(spans("ref 4111 1111 1111 1112").is_empty());
    assert!(spans("VIN 1M8GDM9A1KP042788").is_empty());
    // Right next to their label they are mistyped numbers (see the test below).
    assert!(
        spans("ref 943 476 5918")
            .iter()
            .all(|(t, _)| *t != EntityType::UkNationalHealthServiceNumber)
    );
    assert!(
        spans("ref 2341 2341 2347")
            .iter()
            .all(|(t, _)| *t != EntityType::InAadhaar)
    );
    assert!(spans("SSN 666-22-1234").is_empty());
}

#[test]
fn a_mistyped_iban_in_its_country_length_and_groups_is_still_an_iban() {
    // Nothing but an account number is written as a country's code, check digits and
    // groups of four to the country's registry length.
    finds(
        "please transfer it to NL47 INGB 0006 5532 19 today",
        EntityType::InternationalBankAccountNumber,
        "NL47 INGB 0006 5532 19",
    );
    // One character short of the registry length, or an unknown country: not one.
    assert!(spans("ref GB82 WEST 1234 5698 7654 3 ok").is_empty());
    assert!(spans("ref QQ82 WEST 1234 5698 7654 33 ok").is_empty());
}

#[tokio::test]
async fn detector_trait_reports_patterns() {
    let d = PatternDetector::default();
    assert_eq!(d.name(), "patterns");
    let report = d.detect("mail a@example.com").await.unwrap();
    assert_eq!(report.detections.len(), 1);
    assert!(report.degraded.is_none());
}

#[test]
fn other_countries_ids_in_a_form_of_their_own_stand_alone() {
    use EntityType::Ssn;
    finds("Seu CPF 123.456.789-09 foi validado", Ssn, "123.456.789-09");
    finds("Mi número es 12345678Z, gracias", Ssn, "12345678Z");
    finds("Tarjeta de residente X1234567L.", Ssn, "X1234567L");
    finds("Il mio è RSSMRA85T10A562S.", Ssn, "RSSMRA85T10A562S");
    finds(
        "Registro HEGG560427MVZRRL04 en el sistema",
        Ssn,
        "HEGG560427MVZRRL04",
    );
    finds("holder S1234567D at the counter", Ssn, "S1234567D");
    finds("Card 11010519491231002X scanned", Ssn, "11010519491231002X");
    finds("Asiakas 131052-308T soitti", Ssn, "131052-308T");
    finds("Asiakas 010101A123N soitti", Ssn, "010101A123N");
    finds(
        "assuré 1 85 05 78 006 084 91 ok",
        Ssn,
        "1 85 05 78 006 084 91",
    );
    finds("klant 85.07.30-033.28 gebeld", Ssn, "85.07.30-033.28");
    finds("kund 850612-1238 ringde", Ssn, "850612-1238");
    finds("kund 19850612-1238 ringde", Ssn, "19850612-1238");
    finds("고객 850612-1234561 확인", Ssn, "850612-1234561");
}

#[test]
fn other_countries_bare_ids_need_their_label() {
    use EntityType::Ssn;
    for (labelled, value) in [
        ("PESEL: 44051401359", "44051401359"),
        ("numer pesel 44051401359", "44051401359"),
        ("BSN 111222333", "111222333"),
        ("burgerservicenummer: 111222333", "111222333"),
        ("CPF 12345678909", "12345678909"),
        ("personnummer 8506121238", "8506121238"),
        ("CPR-nr. 010190-1234", "010190-1234"),
        ("Fødselsnummer: 12038512356", "12038512356"),
        ("Rijksregisternummer 85073003328", "85073003328"),
        ("주민등록번호 8506121234562", "8506121234562"),
        ("SA ID 8001015009087", "8001015009087"),
        ("PPS number 1234567T", "1234567T"),
        ("NIF 123456789", "123456789"),
        ("DNI 12.345.678", "12.345.678"),
        ("Steuer-ID 47368124094", "47368124094"),
        (
            "numéro de sécurité sociale 185057800608491",
            "185057800608491",
        ),
        ("national ID 44051401359", "44051401359"),
    ] {
        finds(labelled, Ssn, value);
        let unlabelled = format!("Order {value} shipped");
        assert!(
            !spans(&unlabelled).iter().any(|(t, _)| *t == Ssn),
            "{unlabelled:?}: {:?}",
            spans(&unlabelled)
        );
    }
}

#[test]
fn ids_with_a_failed_check_count_only_right_next_to_their_label() {
    use EntityType::*;
    for (text, t, value) in [
        ("Seu CPF 123.456.789-08 foi validado", Ssn, "123.456.789-08"),
        ("DNI 12345678A, gracias", Ssn, "12345678A"),
        ("C.F. RSSMRA85T10A562T.", Ssn, "RSSMRA85T10A562T"),
        ("NRIC S1234567E at the counter", Ssn, "S1234567E"),
        ("HETU 131052-308U soitti", Ssn, "131052-308U"),
        ("personnummer 850612-1234 ringde", Ssn, "850612-1234"),
        (
            "sécurité sociale 1 85 05 78 006 084 36 ok",
            Ssn,
            "1 85 05 78 006 084 36",
        ),
        ("PESEL: 44051401358", Ssn, "44051401358"),
        ("BSN 111222334", Ssn, "111222334"),
        ("Steuer-ID 47368124095", Ssn, "47368124095"),
        ("CPR 310290-1234", Ssn, "310290-1234"),
        ("SSN 046 454 286", Ssn, "046 454 286"),
        ("SIN 527 419 883", CaSocialInsuranceNumber, "527 419 883"),
        ("Aadhaar 2341 2341 2347", InAadhaar, "2341 2341 2347"),
        (
            "NHS number 943 476 5918",
            UkNationalHealthServiceNumber,
            "943 476 5918",
        ),
    ] {
        let found = PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .find(|d| &text[d.start..d.end] == value)
            .map(|d| (d.entity_type, d.score));
        assert_eq!(found, Some((t, 0.6)), "{text:?}");
        for other in [
            format!("Order {value} shipped"),
            format!("Invoice no. {value}"),
        ] {
            assert!(
                !spans(&other).iter().any(|(found, _)| *found == t),
                "{other:?}: {:?}",
                spans(&other)
            );
        }
    }
}
