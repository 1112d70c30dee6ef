//! Determinism across processes: this test binary runs itself as a child that opens
//! the same keyring and vault files and tokenizes the same values.

use std::path::Path;
use std::process::Command;

use detect::EntityType;

use crate::common::{open_in, rt};

const CHILD_DIR: &str = "PIIFLOW_TEST_CHILD_DIR";
const VALUES: [(EntityType, &str); 3] = [
    (EntityType::Email, "jane@example.com"),
    (EntityType::CreditDebitNumber, "4111 1111 1111 1111"),
    (EntityType::Name, "Zoë Ångström"),
];

fn tokenize_in(dir: &Path) -> Vec<String> {
    let (d, _) = open_in(dir);
    rt().block_on(d.tokenize(&VALUES)).unwrap()
}

/// Does nothing unless started by `tokens_are_the_same_in_another_process`.
#[test]
fn child_tokenize() {
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        let dir = Path::new(&dir);
        std::fs::write(dir.join("child-tokens.txt"), tokenize_in(dir).join("\n")).unwrap();
    }
}

#[test]
fn tokens_are_the_same_in_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let here = tokenize_in(dir.path());
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "cross_process::child_tokenize",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let there = std::fs::read_to_string(dir.path().join("child-tokens.txt")).unwrap();
    assert_eq!(there.lines().collect::<Vec<_>>(), here);

    // And a second, separately opened instance in this process agrees as well.
    assert_eq!(tokenize_in(dir.path()), here);
    let (_, vault) = open_in(dir.path());
    assert_eq!(vault.len().unwrap(), 3);
}
