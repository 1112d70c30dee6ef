//! Remote mode against a real `piiflow serve --dev-auth` over HTTP: the same outputs and
//! exit codes as the local commands on the same home (so the same keyring and vault).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::cli::{code, credentials, free_port, piiflow, run, stderr, stdout};
use crate::idp::{Behavior, Idp};
use crate::login::expired_credentials;
use crate::server::{Server, fixtures, tokens_in};

/// `piiflow --api <server> ARGS` with `token` in PIIFLOW_TOKEN, from a home of its own.
fn remote(s: &Server, client_home: &Path, token: &str, args: &[&str]) -> Output {
    let mut cmd = piiflow(client_home);
    cmd.args(["--api", &s.base])
        .args(args)
        .env("PIIFLOW_TOKEN", token);
    run(&mut cmd)
}

/// The same command run locally on the server's home.
fn local(s: &Server, args: &[&str]) -> Output {
    let mut cmd: Command = piiflow(s.home.path());
    run(cmd.args(args))
}

fn ok(out: &Output) -> String {
    assert_eq!(code(out), 0, "{}", stderr(out));
    stdout(out)
}

#[tokio::test]
async fn anonymize_gives_the_local_output_for_text_json_and_jsonl() {
    let s = Server::start(&[]).await;
    let client = tempfile::tempdir().unwrap();
    let token = s.token(&["pii/anonymize"]);
    let inputs = [
        fixtures().join("documents/support-ticket.txt"),
        fixtures().join("documents/email.eml"),
        fixtures().join("records/customer.json"),
        fixtures().join("records/customers.jsonl"),
    ];
    for input in inputs {
        let input = input.to_str().unwrap();
        let there = ok(&remote(
            &s,
            client.path(),
            &token,
            &["anonymize", input, "--summary"],
        ));
        let here = ok(&local(&s, &["anonymize", input]));
        assert_eq!(there, here, "{input}");
        assert!(
            !tokens_in(&Value::String(there)).is_empty() || input.ends_with(".eml"),
            "{input}"
        );
    }
}

#[tokio::test]
async fn a_directory_goes_through_the_batch_route_into_the_same_tree() {
    let s = Server::start(&[]).await;
    let client = tempfile::tempdir().unwrap();
    let token = s.token(&["pii/anonymize"]);
    let tree = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tree.path().join("sub")).unwrap();
    std::fs::copy(
        fixtures().join("documents/support-ticket.txt"),
        tree.path().join("a.txt"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("records/customers.jsonl"),
        tree.path().join("sub/b.jsonl"),
    )
    .unwrap();
    let there = tempfile::tempdir().unwrap();
    let here = tempfile::tempdir().unwrap();
    let src = tree.path().to_str().unwrap();
    ok(&remote(
        &s,
        client.path(),
        &token,
        &["anonymize", src, "--out", there.path().to_str().unwrap()],
    ));
    ok(&local(
        &s,
        &["anonymize", src, "--out", here.path().to_str().unwrap()],
    ));
    for rel in ["a.txt", "sub/b.jsonl"] {
        let a = std::fs::read_to_string(there.path().join(rel)).unwrap();
        let b = std::fs::read_to_string(here.path().join(rel)).unwrap();
        assert_eq!(a, b, "{rel}");
    }
}

#[tokio::test]
async fn reidentify_erase_and_audit_match_the_local_commands() {
    let s = Server::start(&[]).await;
    let client = tempfile::tempdir().unwrap();
    let anonymize = s.token(&["pii/anonymize"]);
    let auditor = s.token(&["pii/reidentify"]);
    let input = fixtures().join("documents/support-ticket.txt");
    let masked = ok(&remote(
        &s,
        client.path(),
        &anonymize,
        &["anonymize", input.to_str().unwrap()],
    ));
    let tokens = tokens_in(&Value::String(masked.clone()));
    assert!(tokens.len() >= 2, "{masked}");

    let mut args = vec!["reidentify", "--reason", "case 7"];
    args.extend(tokens.iter().map(String::as_str));
    let there = ok(&remote(&s, client.path(), &auditor, &args));
    assert_eq!(there, ok(&local(&s, &args)));

    // --file: the whole text back, as the local command gives it.
    let file = client.path().join("masked.txt");
    std::fs::write(&file, &masked).unwrap();
    let file_args = [
        "reidentify",
        "--reason",
        "case 7",
        "--file",
        file.to_str().unwrap(),
    ];
    let revealed = ok(&remote(&s, client.path(), &auditor, &file_args));
    assert_eq!(revealed, ok(&local(&s, &file_args)));
    assert!(tokens_in(&Value::String(revealed)).is_empty());

    let erase = ["erase", tokens[0].as_str(), "--reason", "request 9"];
    let out = ok(&remote(&s, client.path(), &auditor, &erase));
    assert!(out.starts_with(&format!("erased {}", tokens[0])), "{out}");
    let out = ok(&remote(&s, client.path(), &auditor, &erase));
    assert!(out.contains("was not in the vault"), "{out}");

    let audit = ok(&remote(
        &s,
        client.path(),
        &auditor,
        &["audit", "--token", tokens[0].as_str(), "--limit", "10"],
    ));
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Two reveals and two erasures named the token; the local --file reveal did too.
    assert!(lines.len() >= 4, "{audit}");
    assert!(lines.iter().all(|l| {
        l["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == tokens[0].as_str())
    }));
    assert!(lines.iter().any(|l| l["action"] == "erase"), "{audit}");
}

#[tokio::test]
async fn documents_run_waits_and_downloads_the_result() {
    let documents = fixtures().join("documents");
    let s = Server::start(&["--documents-root", documents.to_str().unwrap()]).await;
    let client = tempfile::tempdir().unwrap();
    let token = s.token(&["pii/anonymize"]);
    let input = documents.join("email.eml");
    let out_file = client.path().join("email.anonymized");
    let out = remote(
        &s,
        client.path(),
        &token,
        &[
            "documents",
            "run",
            input.to_str().unwrap(),
            "--out",
            out_file.to_str().unwrap(),
            "--poll",
            "1",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(&out_file).unwrap();
    let original = std::fs::read_to_string(&input).unwrap();
    assert!(
        !text.contains("priya.sharma@example.in") && original.contains("priya.sharma@example.in")
    );
    assert!(
        text.contains("Subject: Updated bank and ID details"),
        "{text}"
    );

    let missing = remote(
        &s,
        client.path(),
        &token,
        &["documents", "status", "no-such-run"],
    );
    assert_eq!(code(&missing), 66, "{}", stderr(&missing));
}

#[tokio::test]
async fn refusals_say_what_to_do() {
    let s = Server::start(&[]).await;
    let client = tempfile::tempdir().unwrap();
    let anonymize_only = s.token(&["pii/anonymize"]);

    let out = remote(&s, client.path(), "not-a-token", &["audit"]);
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("run piiflow login"),
        "{}",
        stderr(&out)
    );

    let out = remote(
        &s,
        client.path(),
        &anonymize_only,
        &[
            "reidentify",
            "--reason",
            "r",
            "EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ],
    );
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lacks the scope pii/reidentify"),
        "{}",
        stderr(&out)
    );

    // Bad input is found before anything is sent, with the local command's code.
    let bad = client.path().join("bad.json");
    std::fs::write(&bad, b"{\"a\": ").unwrap();
    let out = remote(
        &s,
        client.path(),
        &anonymize_only,
        &["anonymize", bad.to_str().unwrap()],
    );
    assert_eq!(
        code(&out),
        code(&local(&s, &["anonymize", bad.to_str().unwrap()]))
    );
    assert_eq!(code(&out), 65);

    // A policy the API cannot use is a configuration error, as locally.
    let text = client.path().join("t.txt");
    std::fs::write(&text, b"mail jane.doe@example.com\n").unwrap();
    let args = [
        "anonymize",
        text.to_str().unwrap(),
        "--policy",
        "no-such-policy",
    ];
    let out = remote(&s, client.path(), &anonymize_only, &args);
    assert_eq!(code(&out), code(&local(&s, &args)));
    assert_eq!(code(&out), 78, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("with --api, only built-in policies"),
        "{}",
        stderr(&out)
    );

    // No login at all.
    let mut cmd = piiflow(client.path());
    let out = run(cmd.args(["--api", &s.base, "audit"]));
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("run piiflow login"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn an_unreachable_api_is_named_after_the_retries() {
    let client = tempfile::tempdir().unwrap();
    let closed = free_port();
    let mut cmd = piiflow(client.path());
    cmd.args(["--api", &format!("http://127.0.0.1:{closed}"), "audit"])
        .env("PIIFLOW_TOKEN", "t");
    let out = run(&mut cmd);
    assert_eq!(code(&out), 69, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot reach the API"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_and_saved() {
    let s = Server::start(&[]).await;
    let idp = Idp::start(Behavior::Normal).await;
    let client = tempfile::tempdir().unwrap();
    let fresh = s.token(&["pii/reidentify"]);
    idp.answer_refresh_with(&fresh);
    expired_credentials(client.path(), &idp.base, "refresh-token-1");
    let mut cmd = piiflow(client.path());
    let out = run(cmd.args(["--api", &s.base, "audit"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let stored: Value =
        serde_json::from_slice(&std::fs::read(credentials(client.path())).unwrap()).unwrap();
    assert_eq!(stored["access_token"], fresh.as_str());
    assert_eq!(
        stored["refresh_token"], "refresh-token-1",
        "kept across the refresh"
    );
    assert_eq!(idp.with_record(|r| r.token_requests.len()), 1);
}
