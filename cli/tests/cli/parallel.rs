//! A file's records or text spread over worker threads: the output, the summary and the
//! vault are what one thread makes of the same input.

use std::fmt::Write as _;

use crate::common::{Home, assert_ok, stderr, stdout};

/// Over two pieces (4,096 records each) of records, with values that recur across batches in other
/// spellings (the vault keeps the first one seen) and a blank line.
fn records() -> String {
    let mut out = String::new();
    for i in 0..9_000 {
        let email = match i % 1_000 {
            7 if i > 1_000 => "ANN.LEE@EXAMPLE.COM".to_string(),
            7 => "ann.lee@example.com".to_string(),
            _ => format!("person{i}@example.com"),
        };
        writeln!(
            out,
            r#"{{"id":{i},"firstName":"Ann{}","email":"{email}","mobileNumber":"0412 {:03} {:03}","notes":"call 0412 {:03} {:03} or mail {email} about card 4111 1111 1111 1111"}}"#,
            i % 37,
            i / 1000,
            i % 1000,
            i % 997,
            i % 991,
        )
        .unwrap();
        if i == 1_500 {
            out.push_str("   \n");
        }
    }
    out
}

fn anonymize(home: &Home, input: &[u8], format: &str, jobs: &str) -> (String, String) {
    let out = home.run_stdin(
        &[
            "anonymize",
            "-",
            "--format",
            format,
            "--policy",
            "tokenize-all",
            "--summary",
            "--jobs",
            jobs,
        ],
        input,
    );
    assert_ok(&out);
    (stdout(&out), stderr(&out))
}

fn reveal(home: &Home, anonymized: &str) -> String {
    let file = home.path().join("anonymized.out");
    std::fs::write(&file, anonymized).unwrap();
    let back = home.run(&[
        "reidentify",
        "--file",
        file.to_str().unwrap(),
        "--format",
        "jsonl",
        "--reason",
        "parallel test",
    ]);
    assert_ok(&back);
    stdout(&back)
}

fn vault_len(home: &Home) -> usize {
    deidentify::SqliteVault::open(home.path().join("vault.db"))
        .unwrap()
        .len()
        .unwrap()
}

#[test]
fn records_on_many_workers_give_the_output_summary_and_vault_of_one() {
    let input = records();
    let one = Home::with_test_keys();
    let many = Home::with_test_keys();
    let (out_one, summary_one) = anonymize(&one, input.as_bytes(), "jsonl", "1");
    let (out_many, summary_many) = anonymize(&many, input.as_bytes(), "jsonl", "4");

    assert_eq!(out_one.lines().count(), 9_000);
    assert!(out_one.contains("EMAIL_"), "tokens were written");
    assert_eq!(out_many, out_one, "same bytes in the same order");
    assert_eq!(summary_many, summary_one);
    assert_eq!(vault_len(&many), vault_len(&one));
    // Every token reverses, to the first spelling seen in both runs.
    let revealed = reveal(&many, &out_many);
    assert_eq!(revealed, reveal(&one, &out_one));
    assert!(revealed.contains("ann.lee@example.com"));
    assert!(!revealed.contains("ANN.LEE@EXAMPLE.COM"));
    assert!(revealed.contains("person8999@example.com"));
}

#[test]
fn text_on_many_workers_gives_the_output_of_one() {
    let mut input = String::new();
    let mut i = 0;
    // Over three of the 1 MiB pieces text is handled in.
    while input.len() < 3_300_000 {
        writeln!(
            input,
            "Ticket {i}: customer wrote from user{}@example.com and asked us to call 0412 {:03} {:03}.",
            i % 5_000,
            i % 1000,
            i % 997
        )
        .unwrap();
        i += 1;
    }
    let one = Home::with_test_keys();
    let many = Home::with_test_keys();
    let (out_one, summary_one) = anonymize(&one, input.as_bytes(), "text", "1");
    let (out_many, summary_many) = anonymize(&many, input.as_bytes(), "text", "3");
    assert!(out_one.contains("EMAIL_"));
    assert_eq!(out_many, out_one);
    assert_eq!(summary_many, summary_one);
    assert_eq!(vault_len(&many), vault_len(&one));
}

#[test]
fn a_bad_line_stops_a_parallel_run_with_its_line_number() {
    let mut input = records();
    let lines: Vec<&str> = input.lines().collect();
    let bad_line = 8_500;
    let mut broken = lines[..bad_line - 1].join("\n");
    broken.push_str("\n{\"email\": oops}\n");
    broken.push_str(&lines[bad_line - 1..].join("\n"));
    input = broken;
    let mut runs = Vec::new();
    for jobs in ["1", "4"] {
        let home = Home::with_test_keys();
        let out = home.run_stdin(
            &["anonymize", "-", "--format", "jsonl", "--jobs", jobs],
            input.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("line {bad_line}: invalid JSON")),
            "{}",
            stderr(&out)
        );
        assert!(!stdout(&out).contains("person8999@"));
        runs.push((stdout(&out), vault_len(&home)));
    }
    // What was written before the bad line's batch, to the output and to the vault, does
    // not depend on the number of workers.
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].1 > 0);
}

#[test]
fn zero_jobs_is_refused() {
    let home = Home::empty();
    let out = home.run_stdin(&["anonymize", "-", "--jobs", "0"], b"text");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
