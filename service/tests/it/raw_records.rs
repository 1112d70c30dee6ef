//! Records given as text (`Engine::stage_record_texts`): a record in compact canonical JSON
//! is read in place and its output spliced into its text; it must come out byte for byte
//! as the parsed record does through `stage_records`, with the same entities and summary.

use std::sync::Arc;

use deidentify::{Deidentifier, SqliteVault, StaticKeyring};
use mask::Policy;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use service::{Engine, Entities, RecordOutput};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn engine(policy: &str) -> Engine {
    let vault = Arc::new(SqliteVault::open_in_memory().unwrap());
    let keyring = Arc::new(StaticKeyring::generate().unwrap());
    let policy = match policy {
        "custom" => Policy::from_json(
            r#"{"name":"t","default":{"action":"tokenize"},
                "types":{"CREDIT_DEBIT_NUMBER":{"action":"mask","keep_last":4},
                         "DATE_TIME":{"action":"replace"}},
                "fields":[{"field":"notes","action":{"action":"redact"}},
                          {"field":"/k/a~1b","type":"NAME"},
                          {"field":"plan","action":{"action":"keep"}}]}"#,
            "t",
        )
        .unwrap(),
        name => Policy::builtin(name).unwrap(),
    };
    Engine::new(policy, Arc::new(Deidentifier::new(keyring, vault)), None).unwrap()
}

/// Strings with PII, escapes (quotes, backslashes, control characters), non-ASCII text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ann.lee@example.com".to_string()),
        Just("call 0412 345 678 or +61 2 9999 9999".to_string()),
        Just("card 4111 1111 1111 1111, born 1972-05-13".to_string()),
        Just("Olivia Nguyen wrote to \"bo@example.org\"\n\tthanks\\".to_string()),
        Just("José Müller — 😀 lives at 333 Queen Street, Sydney NSW 2000".to_string()),
        Just(String::new()),
        Just("  ".to_string()),
        "[a-zA-Z0-9 @.\"\\\\/\u{0}\u{1f}\u{7f}é中😀\n\t-]{0,40}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("email".to_string()),
        Just("firstName".to_string()),
        Just("mobileNumber".to_string()),
        Just("dob".to_string()),
        Just("notes".to_string()),
        Just("emails".to_string()),
        Just("plan".to_string()),
        Just("k".to_string()),
        Just("a/b".to_string()),
        Just("m~n".to_string()),
        Just(String::new()),
        "[a-zé\"\\\\\n]{1,6}",
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        Just(Number::from(61412345678u64)),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (0u32..100_000).prop_map(|c| Number::from_f64(f64::from(c) / 100.0).unwrap()),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The records through `stage_records` and, as JSONL lines, through `stage_record_texts`
/// (which reads in place the lines in compact canonical JSON: most, but not a float that
/// serde_json does not read back as written), one batch each.
/// Outputs, entities and summaries, and how many records were read in place.
type Results = (Vec<Vec<u8>>, Vec<String>, usize);

fn both_ways(e: &Engine, records: &[Value]) -> (Results, Results) {
    let rt = rt();
    let by_value = {
        // As a JSONL reader gets them: parsed from their text.
        let parsed = records
            .iter()
            .map(|r| serde_json::from_str(&serde_json::to_string(r).unwrap()).unwrap())
            .collect();
        let batch = rt
            .block_on(e.stage_records(parsed, Entities::Report))
            .unwrap();
        let batch = rt.block_on(e.store_records(batch)).unwrap();
        let mut outs = Vec::new();
        let mut reports = Vec::new();
        for r in e.finish_records(batch).unwrap() {
            let r = r.unwrap();
            outs.push(serde_json::to_vec(&r.record).unwrap());
            reports.push(format!("{:?} {:?}", r.entities, r.summary));
        }
        (outs, reports, records.len())
    };
    let in_place = {
        // Lines as in JSONL, with whitespace around some, which the output drops.
        let mut text = String::new();
        let mut lines = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let start = text.len();
            if i % 2 == 1 {
                text.push_str(" \t");
            }
            text.push_str(&serde_json::to_string(r).unwrap());
            text.push('\n');
            lines.push(start..text.len());
        }
        let batch = rt
            .block_on(e.stage_record_texts(text, &lines, Entities::Report))
            .unwrap()
            .unwrap();
        let mut batch = rt.block_on(e.store_records(batch)).unwrap();
        let text = batch.take_text();
        let mut outs = Vec::new();
        let mut reports = Vec::new();
        let mut read_in_place = 0;
        for r in e.finish_record_outputs(batch).unwrap() {
            let (output, entities, summary) = r.unwrap();
            read_in_place += usize::from(matches!(output, RecordOutput::Raw { .. }));
            let mut bytes = Vec::new();
            output.write_json(&text, &mut bytes).unwrap();
            outs.push(bytes);
            reports.push(format!("{entities:?} {summary:?}"));
        }
        (outs, reports, read_in_place)
    };
    (by_value, in_place)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn records_read_in_place_come_out_as_parsed_ones_do(
        records in proptest::collection::vec(json(), 1..5),
        policy in prop_oneof![Just("default"), Just("redact"), Just("custom")],
    ) {
        let e = engine(policy);
        let (by_value, in_place) = both_ways(&e, &records);
        for (i, (a, b)) in by_value.0.iter().zip(&in_place.0).enumerate() {
            prop_assert_eq!(String::from_utf8_lossy(a), String::from_utf8_lossy(b), "record {}", i);
        }
        prop_assert_eq!(by_value.1, in_place.1);
    }
}

#[test]
fn the_customer_records_of_the_benchmark_come_out_alike() {
    let record: Value = serde_json::from_str(
        r#"{"customerId":"C-00000000","title":"Mr","firstName":"Oliver","lastName":"Taylor",
        "email":"oliver.taylor0@example.com","mobileNumber":"0400 000 000",
        "dateOfBirth":"1972-05-13","address":{"street":"333 Queen Street","suburb":"Sydney",
        "state":"NSW","postcode":"2000"},"account":{"plan":"standard","createdAt":"2021-05-03",
        "balance":701.64},"notes":"Oliver Taylor called on 05/02/2024. Paid with card
        4066-5717-9027-9056; call back on (02) 0000 0000 or write to aiko.ali0@corp.example.net."}"#
            .replace('\n', " ")
            .as_str(),
    )
    .unwrap();
    for policy in ["default", "redact", "custom"] {
        let e = engine(policy);
        let (by_value, in_place) = both_ways(&e, &[record.clone(), record.clone()]);
        assert_ne!(
            by_value.0[0],
            serde_json::to_vec(&record).unwrap(),
            "{policy}: something was anonymized"
        );
        assert_eq!(in_place.2, 2, "{policy}: both records are read in place");
        assert_eq!(by_value.0, in_place.0, "{policy}");
        assert_eq!(by_value.1, in_place.1, "{policy}");
    }
}
