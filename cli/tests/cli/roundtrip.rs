use crate::common::{Home, assert_ok, fixtures, stderr, stdout};

#[test]
fn reidentify_restores_every_tokenized_original_and_is_audited() {
    let home = Home::empty();
    let input = fixtures().join("records/customer.json");
    let out = home.run(&[
        "anonymize",
        input.to_str().unwrap(),
        "--policy",
        "tokenize-all",
    ]);
    assert_ok(&out);
    let anonymized = home.path().join("anon.json");
    std::fs::write(&anonymized, stdout(&out)).unwrap();

    let back = home.run(&[
        "reidentify",
        "--file",
        anonymized.to_str().unwrap(),
        "--reason",
        "unit test",
    ]);
    assert_ok(&back);
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
    let restored: serde_json::Value = serde_json::from_str(&stdout(&back)).unwrap();
    assert_eq!(restored, original);

    let audit = home.run(&["audit"]);
    assert_ok(&audit);
    let lines: Vec<serde_json::Value> = stdout(&audit)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["reason"], "unit test");
    assert!(
        !stdout(&audit).contains("olivia"),
        "the audit trail must not hold originals"
    );
}

#[test]
fn tokens_are_the_same_across_processes_and_files() {
    let home = Home::empty();
    let a = home.run_stdin(&["anonymize", "-"], b"mail jane.doe@example.com now\n");
    let b = home.run_stdin(&["anonymize", "-"], b"again: jane.doe@example.com\n");
    assert_ok(&a);
    assert_ok(&b);
    let token = |s: &str| {
        s.split_whitespace()
            .find(|w| w.starts_with("EMAIL_"))
            .map(str::to_string)
    };
    let (ta, tb) = (token(&stdout(&a)), token(&stdout(&b)));
    assert!(ta.is_some());
    assert_eq!(ta, tb);
    // Another home has other keys: other tokens.
    let other = Home::empty().run_stdin(&["anonymize", "-"], b"mail jane.doe@example.com now\n");
    assert_ne!(token(&stdout(&other)), ta);
}

#[test]
fn reidentify_without_a_reason_reveals_nothing() {
    let home = Home::empty();
    let a = home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n");
    let token = stdout(&a).trim().to_string();
    let out = home.run(&["reidentify", &token, "--reason", "  "]);
    assert_eq!(out.status.code(), Some(65));
    assert!(!stdout(&out).contains("jane"));
    assert!(stderr(&out).contains("reason"));
}

#[test]
fn erased_tokens_can_no_longer_be_reversed() {
    let home = Home::empty();
    let a = home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n");
    let token = stdout(&a).trim().to_string();
    assert!(token.starts_with("EMAIL_"), "{token}");
    assert_ok(&home.run(&["erase", &token, "--reason", "GDPR art. 17 request"]));
    let out = home.run(&["reidentify", &token, "--reason", "check"]);
    assert_ok(&out);
    let revealed: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(revealed["value"], serde_json::Value::Null);

    // The same value anonymized again keeps its token, and the token stays irreversible.
    let again = home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n");
    assert_eq!(stdout(&again).trim(), token);
    let out = home.run(&["reidentify", &token, "--reason", "check again"]);
    assert_ok(&out);
    let revealed: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(revealed["token"], token.as_str());
    assert_eq!(revealed["value"], serde_json::Value::Null);
    let erase_again = home.run(&["erase", &token, "--reason", "again"]);
    assert_ok(&erase_again);
    assert!(stdout(&erase_again).contains("already erased or never stored"));
}

#[test]
fn keys_can_be_rotated_and_old_tokens_still_reverse() {
    let home = Home::empty();
    assert_ok(&home.run(&["keys", "init"]));
    assert!(
        !home.run(&["keys", "init"]).status.success(),
        "init must not overwrite"
    );
    let before = home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n");
    assert_ok(&home.run(&["keys", "rotate"]));
    let versions = home.run(&["keys", "show-versions"]);
    assert!(
        stdout(&versions).contains("[1, 2]"),
        "{}",
        stdout(&versions)
    );
    let token = stdout(&before).trim().to_string();
    let out = home.run(&["reidentify", &token, "--reason", "after rotation"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("jane.doe@example.com"));
    let keyring_text = std::fs::read_to_string(home.path().join("keyring.json")).unwrap();
    assert!(!stdout(&versions).contains(&keyring_text[..20]));
}

#[test]
fn a_custom_recognizers_type_is_tokenized_and_reidentified_in_another_process() {
    let home = Home::empty();
    let policy = home.path().join("hr.toml");
    std::fs::write(
        &policy,
        r#"
name = "hr"
default = { action = "replace" }
[types]
EMPLOYEE_ID = { action = "tokenize" }
[[recognizers]]
name = "employee"
type = "EMPLOYEE_ID"
pattern = '\bEMP-[0-9]{6}\b'
"#,
    )
    .unwrap();
    let out = home.run_stdin(
        &["anonymize", "-", "--policy", policy.to_str().unwrap()],
        b"badge EMP-204981 mailed jane.doe@example.com\n",
    );
    assert_ok(&out);
    let anonymized = stdout(&out);
    assert!(anonymized.contains("EMPLOYEE_ID_"), "{anonymized}");
    assert!(anonymized.contains("[EMAIL]"), "{anonymized}");
    assert!(!anonymized.contains("EMP-204981"), "{anonymized}");
    let file = home.path().join("anon.txt");
    std::fs::write(&file, &anonymized).unwrap();
    let back = home.run(&[
        "reidentify",
        "--file",
        file.to_str().unwrap(),
        "--reason",
        "unit test",
    ]);
    assert_ok(&back);
    assert!(
        stdout(&back).contains("badge EMP-204981 mailed"),
        "{}",
        stdout(&back)
    );
}
