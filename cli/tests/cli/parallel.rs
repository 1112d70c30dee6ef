//! A file's records or text, or a directory's files, spread over worker threads: the output,
//! the summary and the vault are what one thread makes of the same input.

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

/// Over three of the 1 MiB pieces text is handled in.
fn tickets() -> String {
    let mut input = String::new();
    let mut i = 0;
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
    input
}

#[test]
fn text_on_many_workers_gives_the_output_of_one() {
    let input = tickets();
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

fn detect(input: &[u8], format: &str, jobs: &str) -> std::process::Output {
    Home::empty().run_stdin(&["detect", "-", "--format", format, "--jobs", jobs], input)
}

#[test]
fn detect_on_many_workers_prints_what_one_does() {
    let text = tickets();
    let lines = records();
    for (input, format, found) in [(&text, "text", "\"EMAIL\""), (&lines, "jsonl", "/email")] {
        let one = detect(input.as_bytes(), format, "1");
        assert_ok(&one);
        assert!(stdout(&one).contains(found), "{format}");
        for jobs in ["2", "3"] {
            let many = detect(input.as_bytes(), format, jobs);
            assert_ok(&many);
            assert_eq!(stdout(&many), stdout(&one), "{format} on {jobs} workers");
        }
    }
    // The offsets count from the start of the text, in every piece.
    let chars: Vec<char> = text.chars().collect();
    let entities: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&detect(text.as_bytes(), "text", "2"))).unwrap();
    let emails: Vec<String> = entities
        .iter()
        .filter(|e| e["type"] == "EMAIL")
        .map(|e| {
            let (begin, end) = (e["begin"].as_u64().unwrap(), e["end"].as_u64().unwrap());
            assert!(begin < end && end - begin < 100, "{e}");
            chars[begin as usize..end as usize].iter().collect()
        })
        .collect();
    assert_eq!(emails.len(), text.lines().count());
    for email in emails {
        assert!(
            email.starts_with("user") && email.ends_with("@example.com"),
            "{email}"
        );
    }
}

/// Lines in the batches before a bad line's and in its batch before it are printed, one
/// array each, and nothing after it, on any number of workers.
#[test]
fn a_bad_line_stops_a_parallel_detect_after_the_lines_before_it() {
    let good = records();
    let lines: Vec<&str> = good.lines().collect();
    let bad_line = 2_500;
    let mut input = lines[..bad_line - 1].join("\n");
    input.push_str("\n{\"email\": oops}\n");
    input.push_str(&lines[bad_line - 1..].join("\n"));
    let before = lines[..bad_line - 1]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .count();
    for jobs in ["1", "4"] {
        let out = detect(input.as_bytes(), "jsonl", jobs);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("line {bad_line}: invalid JSON")),
            "{}",
            stderr(&out)
        );
        let printed = stdout(&out);
        assert_eq!(printed.lines().count(), before, "{jobs} workers");
        let whole = detect(good.as_bytes(), "jsonl", "1");
        let expected: String = stdout(&whole)
            .lines()
            .take(before)
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(printed, expected, "{jobs} workers");
    }
}

/// Bytes that are not UTF-8 in a text's third piece: the entities of the pieces before it
/// are printed, on any number of workers, and the run fails naming the byte.
#[test]
fn bad_utf8_stops_a_parallel_detect_after_the_pieces_before_it() {
    let mut input = tickets().into_bytes();
    let at = 2_500_000;
    input.splice(at..at, [0xff, 0xfe]);
    let mut printed = Vec::new();
    for jobs in ["1", "3"] {
        let out = detect(&input, "text", jobs);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("not valid UTF-8 at byte {at}")),
            "{}",
            stderr(&out)
        );
        printed.push(stdout(&out));
    }
    assert_eq!(printed[0], printed[1]);
    assert!(printed[0].starts_with('[') && printed[0].contains("\"EMAIL\""));
}

#[test]
fn zero_jobs_is_refused() {
    let home = Home::empty();
    let out = home.run_stdin(&["anonymize", "-", "--jobs", "0"], b"text");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A directory of JSONL (over two pieces, and one that fits one), text, a JSON document, an
/// empty file and a nested one, where values recur across files in other spellings.
fn directory(root: &std::path::Path) {
    let records = records();
    let mut files: Vec<(&str, String)> = vec![
        (
            "a.jsonl",
            records.lines().take(5_000).collect::<Vec<_>>().join("\n"),
        ),
        (
            "b.txt",
            "Write to ANN.LEE@EXAMPLE.COM or call 0412 000 007.\n".repeat(200),
        ),
        (
            "c.json",
            r#"[{"email":"Ann.Lee@example.com","notes":"call 0412 999 999"},{"ip":"10.1.2.3"}]"#
                .into(),
        ),
        (
            "d/e.jsonl",
            records.lines().skip(5_000).collect::<Vec<_>>().join("\n"),
        ),
        ("d/empty.txt", String::new()),
        (
            "f.jsonl",
            records.lines().take(10).collect::<Vec<_>>().join("\n"),
        ),
    ];
    let mut big = String::new();
    for i in 0..40_000 {
        writeln!(
            big,
            "Ticket {i}: user{}@example.com called 0412 {:03} {:03}.",
            i % 3_000,
            i % 1000,
            i % 997
        )
        .unwrap();
    }
    files.push(("g.txt", big));
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Every file below `dir` by its relative path, with its bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn anonymize_dir(
    home: &Home,
    input: &std::path::Path,
    jobs: &str,
) -> (std::process::Output, std::path::PathBuf) {
    let out_dir = home.path().join("out");
    let out = home.run(&[
        "anonymize",
        input.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--policy",
        "tokenize-all",
        "--summary",
        "--jobs",
        jobs,
    ]);
    (out, out_dir)
}

#[test]
fn a_directory_on_many_workers_gives_the_copies_summary_and_vault_of_one() {
    let input = tempfile::tempdir().unwrap();
    directory(input.path());
    let one = Home::with_test_keys();
    let many = Home::with_test_keys();
    let (run_one, out_one) = anonymize_dir(&one, input.path(), "1");
    let (run_many, out_many) = anonymize_dir(&many, input.path(), "4");
    assert_ok(&run_one);
    assert_ok(&run_many);

    let copies = tree(&out_one);
    let names: Vec<&str> = copies.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "a.jsonl",
            "b.txt",
            "c.json",
            "d/e.jsonl",
            "d/empty.txt",
            "f.jsonl",
            "g.txt"
        ]
    );
    assert!(
        copies
            .iter()
            .all(|(n, bytes)| n.contains("empty") || !bytes.is_empty())
    );
    assert!(String::from_utf8_lossy(&copies[1].1).contains("EMAIL_"));
    assert_eq!(tree(&out_many), copies, "the same bytes in every copy");
    assert_eq!(stderr(&run_many), stderr(&run_one), "the same summary");
    assert_eq!(vault_len(&many), vault_len(&one));
    // Every token reverses, to the first spelling seen in input order in both runs.
    for name in ["a.jsonl", "d/e.jsonl"] {
        let revealed = reveal(
            &many,
            &std::fs::read_to_string(out_many.join(name)).unwrap(),
        );
        assert_eq!(
            revealed,
            reveal(&one, &std::fs::read_to_string(out_one.join(name)).unwrap())
        );
        assert!(!revealed.contains("ANN.LEE@EXAMPLE.COM"));
    }
}

#[test]
fn a_bad_file_stops_a_directory_run_after_the_files_before_it_on_any_number_of_workers() {
    let input = tempfile::tempdir().unwrap();
    directory(input.path());
    std::fs::write(
        input.path().join("d/e.jsonl"),
        "{\"email\": \"x@example.com\"}\n{oops\n",
    )
    .unwrap();
    let mut runs = Vec::new();
    for jobs in ["1", "4"] {
        let home = Home::with_test_keys();
        let (out, out_dir) = anonymize_dir(&home, input.path(), jobs);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        let bad = input.path().join("d/e.jsonl");
        assert!(
            stderr(&out).contains(&format!(
                "anonymizing {}: line 2: invalid JSON",
                bad.display()
            )),
            "{}",
            stderr(&out)
        );
        let names: Vec<String> = tree(&out_dir).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["a.jsonl", "b.txt", "c.json"],
            "no partial or later copy"
        );
        runs.push((tree(&out_dir), vault_len(&home)));
    }
    assert_eq!(runs[0], runs[1]);
}
