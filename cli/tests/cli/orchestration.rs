//! `piiflow run` executes the shipped Step Functions definition locally; its result must
//! be exactly what the direct pipeline produces.

use crate::common::{Home, assert_ok, fixtures, stderr, stdout};

#[test]
fn the_documents_state_machine_gives_the_same_result_as_anonymize() {
    for doc in [
        "documents/support-ticket.txt",
        "documents/email.eml",
        "documents/access.log",
    ] {
        let home = Home::with_test_keys();
        let input = fixtures().join(doc);
        let direct = home.run(&["anonymize", input.to_str().unwrap()]);
        let orchestrated = home.run(&["run", input.to_str().unwrap()]);
        assert_ok(&direct);
        assert_ok(&orchestrated);
        assert_eq!(stdout(&orchestrated), stdout(&direct), "{doc}");
    }
}

#[test]
fn a_document_over_the_chunk_size_runs_as_a_map_and_gives_the_same_result() {
    let home = Home::with_test_keys();
    let mut text = String::new();
    for round in 0..6 {
        for doc in ["support-ticket.txt", "email.eml", "access.log"] {
            text.push_str(
                &std::fs::read_to_string(fixtures().join("documents").join(doc)).unwrap(),
            );
            text.push_str(&format!("\n\nSection {round} ends here.\n\n"));
        }
    }
    let input = home.path().join("big.txt");
    std::fs::write(&input, &text).unwrap();
    let input = input.to_str().unwrap();
    let direct = home.run(&["anonymize", input]);
    let chunked = home.run(&["run", "--chunk-bytes", "2048", "--history", input]);
    assert_ok(&direct);
    assert_ok(&chunked);
    assert_eq!(stdout(&chunked), stdout(&direct));
    let history = stderr(&chunked);
    let iterations = history.matches("MapIterationSucceeded").count();
    assert!(
        iterations as u64 >= text.len() as u64 / 2048,
        "{iterations} chunks for {} bytes",
        text.len()
    );
    // No chunk's masked stage or scratch part outlives the join.
    let objects = walk(&home.path().join("objects"));
    assert_eq!(
        objects
            .iter()
            .filter(|p| p.ends_with(".anonymized"))
            .count(),
        1,
        "{objects:?}"
    );
    assert_eq!(objects.len(), 1, "{objects:?}");
}

#[test]
fn the_records_state_machine_gives_the_same_record_as_anonymize() {
    let home = Home::with_test_keys();
    let input = fixtures().join("records/customer.json");
    let direct = home.run(&["anonymize", input.to_str().unwrap()]);
    let orchestrated = home.run(&["run", "--definition", "records", input.to_str().unwrap()]);
    assert_ok(&direct);
    assert_ok(&orchestrated);
    let a: serde_json::Value = serde_json::from_str(&stdout(&direct)).unwrap();
    let b: serde_json::Value = serde_json::from_str(&stdout(&orchestrated)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn executions_are_persisted_and_reruns_are_idempotent() {
    let home = Home::empty();
    let input = fixtures().join("documents/email.eml");
    let first = home.run(&["run", input.to_str().unwrap()]);
    assert_ok(&first);
    let second = home.run(&["run", input.to_str().unwrap()]);
    assert_ok(&second);
    let list = home.run(&["executions"]);
    assert_ok(&list);
    let listing = stdout(&list);
    let ids: Vec<&str> = listing
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "the same input under the same name runs once: {ids:?}"
    );
    let described = home.run(&["executions", ids[0], "--history"]);
    assert_ok(&described);
    let text = stdout(&described);
    assert!(
        text.contains("SUCCEEDED") && text.contains("TaskSucceeded"),
        "{text}"
    );
    assert!(
        !text.contains("priya.sharma@example.in"),
        "execution records hold references, not originals"
    );
    // The masked intermediate (which still held originals) is gone; the result remains.
    let objects: Vec<_> = walk(&home.path().join("objects"));
    assert!(
        objects.iter().all(|p| !p.ends_with(".masked")),
        "{objects:?}"
    );
    assert!(
        objects.iter().any(|p| p.ends_with(".anonymized")),
        "{objects:?}"
    );
}

#[test]
fn a_failing_step_fails_the_execution_with_its_error_name() {
    let home = Home::empty();
    let input = home.path().join("bad.txt");
    std::fs::write(&input, b"Mail jane.doe@example.com \xff").unwrap();
    let out = home.run(&["run", input.to_str().unwrap()]);
    // The step's error name decides the exit code, as a local command's error would.
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Pii.InvalidInput"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("jane.doe"), "{}", stderr(&out));
}

#[test]
fn an_unknown_policy_is_refused_before_the_execution_starts() {
    let home = Home::empty();
    let input = fixtures().join("documents/email.eml");
    let out = home.run(&["run", input.to_str().unwrap(), "--policy", "no-such-policy"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(!home.path().join("executions.db").exists() || !stderr(&out).contains("execution"));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn a_job_over_a_directory_anonymizes_every_file_like_anonymize_and_writes_a_manifest() {
    let home = Home::with_test_keys();
    let docs = home.path().join("docs");
    let names = ["support-ticket.txt", "email.eml", "access.log"];
    for (i, doc) in names.iter().enumerate() {
        let dir = docs.join(format!("part{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(fixtures().join("documents").join(doc), dir.join(doc)).unwrap();
    }
    let job = home.run(&["run", "--definition", "jobs", docs.to_str().unwrap()]);
    assert_ok(&job);
    let out = stdout(&job);
    assert!(
        out.starts_with("3 documents: 3 succeeded, 0 failed"),
        "{out}"
    );
    let manifest = out
        .lines()
        .find_map(|l| l.strip_prefix("results: file://"))
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    let file = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap();
    let bucket = manifest["DestinationBucket"].as_str().unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/{file}",
            bucket.strip_prefix("file://").unwrap()
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(entries.len(), 3);
    // Each child's result is what `piiflow anonymize` gives for the same file.
    for e in entries {
        let input: serde_json::Value = serde_json::from_str(e["Input"].as_str().unwrap()).unwrap();
        let source = input["document"]["ref"].as_str().unwrap();
        let output: serde_json::Value =
            serde_json::from_str(e["Output"].as_str().unwrap()).unwrap();
        let result = output["output"]["ref"].as_str().unwrap();
        let direct = home.run(&["anonymize", source.strip_prefix("file://").unwrap()]);
        assert_ok(&direct);
        let anonymized = std::fs::read_to_string(result.strip_prefix("file://").unwrap()).unwrap();
        assert_eq!(anonymized, stdout(&direct), "{source}");
    }
}

#[test]
fn a_job_fails_over_its_threshold_and_bad_sources_are_data_errors() {
    let home = Home::with_test_keys();
    let docs = home.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("ok.txt"), "mail alice@example.com").unwrap();
    // A manifest naming files that do not exist: every child fails.
    let manifest = docs.join("keys.json");
    std::fs::write(
        &manifest,
        r#"[{"Key": "missing-1.txt"}, {"Key": "missing-2.txt"}]"#,
    )
    .unwrap();
    let job = home.run(&["run", "--definition", "jobs", manifest.to_str().unwrap()]);
    assert!(!job.status.success());
    assert!(
        stderr(&job).contains("States.ExceedToleratedFailureThreshold"),
        "{}",
        stderr(&job)
    );
    let missing = home.run(&["run", "--definition", "jobs", "/no/such/dir"]);
    assert!(!missing.status.success());
}
