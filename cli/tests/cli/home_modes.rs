//! The home holds the keyring and the vault: it is the user's alone, checked on every run.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::common::{Home, assert_ok, fixtures, stderr, stdout};

/// Every directory and file under `dir`, with its permission bits.
fn modes(dir: &Path, out: &mut Vec<(String, bool, u32)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = std::fs::symlink_metadata(entry.path()).unwrap();
        let name = entry.path().display().to_string();
        out.push((name, meta.is_dir(), meta.mode() & 0o7777));
        if meta.is_dir() {
            modes(&entry.path(), out);
        }
    }
}

#[test]
fn every_state_file_is_owner_only_and_every_directory_0700() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("home");
    let home = Home::empty();
    let cmd = |args: &[&str]| {
        let mut c = home.cmd(args);
        c.env("PIIFLOW_HOME", &root);
        c.output().unwrap()
    };
    let ticket = fixtures().join("documents/support-ticket.txt");
    let out = cmd(&["anonymize", ticket.to_str().unwrap()]);
    assert_ok(&out);
    let token = stdout(&out)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.starts_with("EMAIL_"))
        .expect("an email token")
        .to_string();
    assert_ok(&cmd(&["reidentify", &token, "--reason", "modes"]));
    assert_ok(&cmd(&["run", ticket.to_str().unwrap()]));
    assert_ok(&cmd(&[
        "keys",
        "api-key",
        "create",
        "--name",
        "a",
        "--scope",
        "pii/anonymize",
    ]));
    assert_ok(&cmd(&["token", "--scope", "pii/anonymize"]));

    let mut found = Vec::new();
    modes(&root, &mut found);
    let names: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
    for expected in [
        "vault.db",
        "audit.db",
        "executions.db",
        "api-keys.db",
        "keyring.json",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(&format!("/{expected}"))),
            "{expected} in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.contains("/objects/")), "{names:?}");
    assert_eq!(std::fs::metadata(&root).unwrap().mode() & 0o7777, 0o700);
    for (name, is_dir, mode) in &found {
        let want = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{name} has mode {mode:04o}");
    }
}

#[test]
fn a_home_others_can_write_is_refused_with_a_clear_error_and_nothing_written() {
    let home = Home::empty();
    assert_ok(&home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n"));
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let vault_before = std::fs::read(home.path().join("vault.db")).unwrap();
    for args in [
        &["anonymize", "-"][..],
        &[
            "reidentify",
            "EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "--reason",
            "x",
        ][..],
        &["keys", "show-versions"][..],
    ] {
        let out = home.run_stdin(args, b"jane.doe@example.com\n");
        assert_eq!(out.status.code(), Some(77), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("0777") && err.contains("chmod 700"), "{err}");
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(
        std::fs::read(home.path().join("vault.db")).unwrap(),
        vault_before
    );
}

#[test]
fn loose_database_files_from_before_are_tightened() {
    let home = Home::empty();
    assert_ok(&home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n"));
    let vault = home.path().join("vault.db");
    std::fs::set_permissions(&vault, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_ok(&home.run_stdin(&["anonymize", "-"], b"jane.doe@example.com\n"));
    assert_eq!(std::fs::metadata(&vault).unwrap().mode() & 0o777, 0o600);
}
