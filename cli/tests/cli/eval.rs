//! `piiflow eval`: scores on gold files whose answers follow from the labels themselves.

use serde_json::Value;

use crate::common::{Home, assert_ok, fixtures, stderr, stdout};

fn write_gold(home: &Home, lines: &[Value]) -> String {
    let path = home.path().join("gold.jsonl");
    let body: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(&path, body.join("\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn exact_hits_misses_and_false_alarms_are_counted_per_type() {
    let home = Home::empty();
    let text = "Mail jane.doe@example.com about card 4111 1111 1111 1111 today";
    let email = (5, 25);
    let card = (37, 56);
    assert_eq!(&text[email.0..email.1], "jane.doe@example.com");
    assert_eq!(&text[card.0..card.1], "4111 1111 1111 1111");
    let gold = write_gold(
        &home,
        &[
            // The e-mail is labeled right; the card is labeled as a phone on purpose.
            serde_json::json!({"id": "a", "text": text, "spans": [
                {"start": email.0, "end": email.1, "type": "EMAIL"},
                {"start": card.0, "end": card.1, "type": "PHONE"},
            ]}),
            serde_json::json!({"id": "b", "text": "nothing personal here", "spans": []}),
        ],
    );
    let out = home.run(&["eval", &gold, "--json"]);
    assert_ok(&out);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["examples"], 2);
    let t = &report["types"];
    assert_eq!(
        t["EMAIL"]["exact"],
        serde_json::json!({"tp": 1, "fp": 0, "fn": 0})
    );
    assert_eq!(
        t["PHONE"]["exact"],
        serde_json::json!({"tp": 0, "fp": 0, "fn": 1})
    );
    assert_eq!(
        t["CREDIT_DEBIT_NUMBER"]["exact"],
        serde_json::json!({"tp": 0, "fp": 1, "fn": 0})
    );
    // The mislabeled card is still covered by a detection: nothing leaks.
    assert_eq!(report["untyped_recall"], 1.0);
    assert!(
        home.path().read_dir().unwrap().count() == 1,
        "eval writes no state"
    );
}

#[test]
fn the_table_names_every_type_and_the_untyped_recall() {
    let home = Home::empty();
    let out = home.run(&["eval", fixtures().join("eval/dev.jsonl").to_str().unwrap()]);
    assert_ok(&out);
    let table = stdout(&out);
    for needle in ["NAME", "ADDRESS", "EMAIL", "ALL (micro)", "untyped recall"] {
        assert!(table.contains(needle), "{needle} missing from\n{table}");
    }
}

#[test]
fn show_errors_lists_misses_and_false_alarms_on_stderr() {
    let home = Home::empty();
    let gold = write_gold(
        &home,
        &[
            serde_json::json!({"id": "x", "text": "call me at home", "spans": [
            {"start": 11, "end": 15, "type": "ADDRESS"}]}),
        ],
    );
    let out = home.run(&["eval", &gold, "--show-errors"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("x\t-\tADDRESS\t\"home\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_gold_files_and_options_are_clear_errors() {
    let home = Home::empty();
    let out = home.run(&["eval", "/nonexistent/gold.jsonl"]);
    assert_eq!(out.status.code(), Some(66), "{}", stderr(&out));
    let gold = write_gold(
        &home,
        &[serde_json::json!({"text": "abc", "spans": [
        {"start": 1, "end": 9, "type": "NAME"}]})],
    );
    let out = home.run(&["eval", &gold]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the text"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&gold, "{not json").unwrap();
    let out = home.run(&["eval", &gold]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let out = home.run(&["eval", &gold, "--threshold", "1.5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let gold = write_gold(&home, &[serde_json::json!({"text": "abc", "spans": []})]);
    let out = home.run(&["eval", &gold, "--policy", "no-such-policy"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
}
