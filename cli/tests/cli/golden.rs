//! Golden files: the anonymized fixtures under the fixed test keyring. They fail whenever
//! detection or masking changes; after reviewing such a change, regenerate them with
//! `PIIFLOW_BLESS=1 cargo test -p cli --test cli golden`.

use crate::common::{Home, assert_ok, fixtures, stdout};

const CASES: &[(&str, &str, &str)] = &[
    (
        "documents/support-ticket.txt",
        "default",
        "support-ticket.default.txt",
    ),
    ("documents/access.log", "default", "access.default.log"),
    ("documents/email.eml", "default", "email.default.eml"),
    (
        "documents/support-ticket.txt",
        "redact",
        "support-ticket.redact.txt",
    ),
    (
        "documents/email.eml",
        "policies/mask-only.json",
        "email.mask-only.eml",
    ),
    ("records/customer.json", "default", "customer.default.json"),
    (
        "records/customers.jsonl",
        "default",
        "customers.default.jsonl",
    ),
    (
        "records/customers.jsonl",
        "policies/analytics.toml",
        "customers.analytics.jsonl",
    ),
];

fn policy_arg(policy: &str) -> String {
    if policy.contains('/') {
        fixtures().join(policy).display().to_string()
    } else {
        policy.to_string()
    }
}

#[test]
fn anonymized_fixtures_match_their_golden_files() {
    let bless = std::env::var_os("PIIFLOW_BLESS").is_some();
    let mut mismatches = Vec::new();
    for (input, policy, golden) in CASES {
        let home = Home::with_test_keys();
        let input_path = fixtures().join(input);
        let out = home.run(&[
            "anonymize",
            input_path.to_str().unwrap(),
            "--policy",
            &policy_arg(policy),
        ]);
        assert_ok(&out);
        let got = stdout(&out);
        let golden_path = fixtures().join("golden").join(golden);
        if bless {
            std::fs::write(&golden_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden_path).unwrap_or_else(|_| {
            panic!(
                "missing {}; run with PIIFLOW_BLESS=1",
                golden_path.display()
            )
        });
        if got != want {
            mismatches.push(format!("{golden}:\n--- want\n{want}\n--- got\n{got}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn detected_entities_of_the_ticket_match_their_golden_file() {
    let home = Home::with_test_keys();
    let input = fixtures().join("documents/support-ticket.txt");
    let out = home.run(&["detect", input.to_str().unwrap()]);
    assert_ok(&out);
    let golden_path = fixtures().join("golden/support-ticket.entities.json");
    if std::env::var_os("PIIFLOW_BLESS").is_some() {
        std::fs::write(&golden_path, stdout(&out)).unwrap();
        return;
    }
    assert_eq!(stdout(&out), std::fs::read_to_string(golden_path).unwrap());
}

/// Independent of the code under test: values planted in the fixtures that the default
/// policy must never let through (tokenized, masked or redacted).
#[test]
fn default_outputs_leak_none_of_the_planted_originals() {
    let planted: &[(&str, &[&str])] = &[
        (
            "documents/support-ticket.txt",
            &[
                "john.smith@example.com",
                "4111 1111 1111 1111",
                "536-22-8726",
                "Hunter2!x",
                "GB82 WEST 1234 5698 7654 32",
                "415-555-0132",
                "amelia.w@example.org",
                "4012 8888 8888 1881",
                "jsmith84",
                "742 Evergreen Terrace",
            ],
        ),
        (
            "documents/email.eml",
            &[
                "2345 6789 0124",
                "ABCPE1234F",
                "DE89 3704 0044 0532 0130 00",
                "943 476 5919",
                "AB 12 34 56 C",
                "221B Baker Street",
                "priya.sharma@example.in",
            ],
        ),
        (
            "documents/access.log",
            &[
                "alice.jones@example.com",
                "5500 0055 5555 5559",
                "+44 7700 900123",
                "203.0.113.7",
            ],
        ),
        (
            "records/customer.json",
            &[
                "olivia.nguyen@example.com.au",
                "0412 345 678",
                "Nguyen",
                "4111-1111-1111-1111",
            ],
        ),
    ];
    for (input, originals) in planted {
        let home = Home::with_test_keys();
        let out = home.run(&["anonymize", fixtures().join(input).to_str().unwrap()]);
        assert_ok(&out);
        let text = stdout(&out);
        for original in *originals {
            assert!(
                !text.contains(original),
                "{input}: {original:?} survived:\n{text}"
            );
        }
    }
}
