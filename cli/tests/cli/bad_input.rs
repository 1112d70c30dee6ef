use std::os::unix::fs::PermissionsExt;

use crate::common::{Home, assert_ok, stderr, stdout};

#[test]
fn invalid_utf8_is_a_data_error_with_its_offset() {
    let home = Home::empty();
    let out = home.run_stdin(&["anonymize", "-"], b"hello jane@example.com \xff\xfe tail");
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("UTF-8 at byte 23"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_text_gives_empty_output_and_empty_json_is_an_error() {
    let home = Home::empty();
    let out = home.run_stdin(&["anonymize", "-"], b"");
    assert_ok(&out);
    assert_eq!(stdout(&out), "");
    let out = home.run_stdin(&["anonymize", "-", "--format", "json"], b"  ");
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr(&out).contains("empty input"));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let home = Home::empty();
    let depth = 10_000;
    let doc = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let out = home.run_stdin(&["anonymize", "-", "--format", "json"], doc.as_bytes());
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("recursion limit"), "{}", stderr(&out));

    let doc = format!("{}\"x\"{}\n", "[".repeat(100), "]".repeat(100));
    let out = home.run_stdin(&["anonymize", "-", "--format", "jsonl"], doc.as_bytes());
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("deeper than"), "{}", stderr(&out));
}

#[test]
fn malformed_jsonl_names_the_line_and_leaves_no_output_file() {
    let home = Home::empty();
    let target = home.path().join("out.jsonl");
    let input = b"{\"email\":\"a@b.co\"}\n{\"email\": oops}\n";
    let out = home.run_stdin(
        &[
            "anonymize",
            "-",
            "--format",
            "jsonl",
            "--out",
            target.to_str().unwrap(),
        ],
        input,
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert!(
        !target.exists(),
        "a failed run must not leave a finished-looking file"
    );
    assert!(!home.path().join("out.jsonl.partial").exists());
}

#[test]
fn unknown_policies_and_entity_types_are_config_errors() {
    let home = Home::empty();
    let out = home.run_stdin(&["anonymize", "-", "--policy", "nope"], b"x");
    assert_eq!(out.status.code(), Some(78));
    assert!(stderr(&out).contains("unknown policy"), "{}", stderr(&out));
    let policy = home.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"name":"p","types":{"E_MAIL":{"action":"keep"}}}"#,
    )
    .unwrap();
    let out = home.run_stdin(
        &["anonymize", "-", "--policy", policy.to_str().unwrap()],
        b"x",
    );
    assert_eq!(out.status.code(), Some(78));
    assert!(stderr(&out).contains("E_MAIL"), "{}", stderr(&out));
}

#[test]
fn a_missing_keyring_is_explained_for_reidentify() {
    let home = Home::empty();
    let out = home.run(&[
        "reidentify",
        "EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "--reason",
        "r",
    ]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("piiflow keys init"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_corrupt_vault_file_is_reported() {
    let home = Home::empty();
    assert_ok(&home.run(&["keys", "init"]));
    std::fs::write(home.path().join("vault.db"), vec![0x5a; 8192]).unwrap();
    let out = home.run_stdin(&["anonymize", "-"], b"jane@example.com");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("vault"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("jane"));
}

#[test]
fn a_keyring_readable_by_others_is_refused() {
    let home = Home::empty();
    assert_ok(&home.run(&["keys", "init"]));
    let keyring = home.path().join("keyring.json");
    std::fs::set_permissions(&keyring, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = home.run_stdin(&["anonymize", "-"], b"jane@example.com");
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
}

#[test]
fn a_missing_input_file_is_no_input() {
    let home = Home::empty();
    let out = home.run(&["anonymize", "/nonexistent/file.txt"]);
    assert_eq!(out.status.code(), Some(66), "{}", stderr(&out));
}

#[test]
fn detect_on_json_and_jsonl_with_invalid_utf8_is_a_data_error_with_its_offset() {
    let home = Home::empty();
    let out = home.run_stdin(&["detect", "--format", "json", "-"], b"{\"a\":\"x\xff\"}");
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("UTF-8 at byte 7"), "{}", stderr(&out));
    let out = home.run_stdin(
        &["detect", "--format", "jsonl", "-"],
        b"{\"a\":\"ok\"}\n{\"a\":\"x\xff\"}\n",
    );
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 2: not valid UTF-8 at byte 7"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reidentify_of_a_file_with_invalid_utf8_is_a_data_error_with_its_offset() {
    let home = Home::with_test_keys();
    let path = home.path().join("bad.txt");
    std::fs::write(&path, b"abc \xff").unwrap();
    let out = home.run(&[
        "reidentify",
        "--file",
        path.to_str().unwrap(),
        "--reason",
        "ticket 1",
    ]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("UTF-8 at byte 4"), "{}", stderr(&out));
}

#[test]
fn a_jsonl_line_over_the_line_limit_is_refused_by_every_command_that_reads_jsonl() {
    // 64 MiB (the limit) plus one byte, with no newline: refused, never buffered whole.
    let mut long = b"{\"a\":\"".to_vec();
    long.resize((64 << 20) + 1, b'x');
    let home = Home::with_test_keys();
    let path = home.path().join("long.jsonl");
    std::fs::write(&path, [b"{\"a\":\"ok\"}\n".as_slice(), &long].concat()).unwrap();
    let path = path.to_str().unwrap();
    let out_file = home.path().join("out.jsonl");
    let commands: [Vec<&str>; 3] = [
        vec!["detect", path],
        vec!["anonymize", path, "--out", out_file.to_str().unwrap()],
        vec!["reidentify", "--reason", "ticket 1", "--file", path],
    ];
    for args in commands {
        let out = home.run(&args);
        assert_eq!(out.status.code(), Some(65), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("line 2: longer than 67108864 bytes"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("xxxx"), "{}", stderr(&out));
    }
    assert!(!out_file.exists());
}

/// JSONL lines in compact canonical JSON are anonymized in place, other lines through a
/// parsed value: the same records either way give the same bytes.
#[test]
fn jsonl_lines_give_the_same_output_however_they_are_spaced_or_escaped() {
    let home = Home::empty();
    let records = [
        r#"{"email":"ann@example.com","notes":"call 0412 345 678, card 4111 1111 1111 1111","n":[1,2.5,{"phone":"+61 2 9999 9999"}],"q":"\"quoted\"\n\u0001"}"#,
        r#"{"firstName":"José","balance":701.64,"tags":["Olivia Nguyen","é😀"],"empty":{}}"#,
        r#"["x@y.org",null,true,61412345678]"#,
    ];
    let compact = records.join("\n") + "\n";
    // The same values: spaced, `\/` and `\u` escapes, which serde_json does not write.
    let spaced: String = records
        .iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_str(r).unwrap();
            let pretty = serde_json::to_string(&v)
                .unwrap()
                .replace("\":", "\": ")
                .replace('/', "\\/")
                .replace('é', "\\u00e9");
            format!("{pretty}\n")
        })
        .collect();
    assert_ne!(compact, spaced);
    let a = home.run_stdin(&["anonymize", "-", "--format", "jsonl"], compact.as_bytes());
    let b = home.run_stdin(&["anonymize", "-", "--format", "jsonl"], spaced.as_bytes());
    assert_ok(&a);
    assert_ok(&b);
    assert_eq!(stdout(&a).lines().count(), 3);
    assert!(!stdout(&a).contains("ann@example.com"), "{}", stdout(&a));
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn jsonl_with_invalid_utf8_deep_nesting_or_bad_json_names_the_line() {
    let home = Home::empty();
    let cases: [(Vec<u8>, &str); 5] = [
        (
            b"{\"a\":\"ok\"}\n{\"a\":\"\xff\"}\n".to_vec(),
            "line 2: not valid UTF-8 at byte 6",
        ),
        (
            format!("{{\"a\":1}}\n{}1{}\n", "[".repeat(65), "]".repeat(65)).into_bytes(),
            "deeper than",
        ),
        (
            format!("{}1{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "line 1: invalid JSON",
        ),
        (b"{\"a\":\"x\"} {\n".to_vec(), "line 1: invalid JSON"),
        (b"{\"a\":\"\\x\"}\n".to_vec(), "line 1: invalid JSON"),
    ];
    for (input, message) in cases {
        let out = home.run_stdin(&["anonymize", "-", "--format", "jsonl"], &input);
        assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{message}: {}",
            stderr(&out)
        );
    }
}
