//! The steps on large documents: detect plans chunks, each chunk goes through mask and
//! deidentify, join puts the results together; long entity lists go by reference; and the
//! errors a bad range or join state gets.

use std::sync::Arc;

use deidentify::{Deidentifier, ErrorKind, FileKeyring, SqliteVault};
use mask::Policy;
use serde_json::{Value, json};
use service::{DocumentStore, Engine, FileDocumentStore};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// A deidentifier over the keyring and vault files in `dir`, as a process would open them.
fn open_in(dir: &std::path::Path) -> (Deidentifier, Arc<SqliteVault>) {
    let keyring = Arc::new(FileKeyring::open_or_create(dir.join("keyring.json")).unwrap());
    let vault = Arc::new(SqliteVault::open(dir.join("vault.db")).unwrap());
    (Deidentifier::new(keyring, vault.clone()), vault)
}

const PARAGRAPH: &str = "Customer Priya Sharma (priya.sharma@example.in, +44 20 7946 0958) \
asked about card 4111 1111 1111 1111.\n\nNothing personal here, just a long enough line of \
ordinary words to fill the chunk.\n\n";

fn engine(dir: &std::path::Path) -> Engine {
    let (deidentifier, _) = open_in(dir);
    Engine::new(
        Policy::builtin("tokenize-all").unwrap(),
        Arc::new(deidentifier),
        None,
    )
    .unwrap()
}

/// detect → mask → deidentify on one state, as the state machine chains them.
async fn pipeline(engine: &Engine, docs: &dyn DocumentStore, state: &Value) -> Value {
    let mut state = state.clone();
    state["detection"] = engine.detect_step(&state, docs).await.unwrap();
    if state["detection"]["entity_count"] == json!(0) {
        return json!({"output": state["document"], "summary": {"entity_count": 0}});
    }
    state["masked"] = engine.mask_step(&state, docs).await.unwrap();
    engine.deidentify_step(&state, docs).await.unwrap()
}

#[test]
fn chunks_joined_give_what_one_pass_gives() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let text = PARAGRAPH.repeat(40);
    let input = dir.path().join("long.txt");
    std::fs::write(&input, &text).unwrap();
    let state = json!({"document": {"ref": format!("file://{}", input.display())}});
    rt().block_on(async {
        let whole = FileDocumentStore::new(dir.path().join("whole"));
        let one_pass = pipeline(&engine, &whole, &state).await;
        let one_pass_text = whole
            .read(one_pass["output"]["ref"].as_str().unwrap())
            .await
            .unwrap();

        let chunked =
            FileDocumentStore::new(dir.path().join("chunked")).with_chunk_bytes(Some(700));
        let plan = engine.detect_step(&state, &chunked).await.unwrap();
        let chunks = plan["chunks"].as_array().unwrap();
        assert!(chunks.len() >= text.len() / 700, "{} chunks", chunks.len());
        let mut parts = Vec::new();
        for chunk in chunks {
            parts.push(pipeline(&engine, &chunked, chunk).await);
        }
        let joined = engine
            .deidentify_step(
                &json!({"action": "join", "document": state["document"], "parts": parts}),
                &chunked,
            )
            .await
            .unwrap();
        let joined_text = chunked
            .read(joined["output"]["ref"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(joined_text, one_pass_text);
        assert!(!joined_text.contains("priya.sharma@example.in"));
        assert_eq!(
            joined["summary"]["entity_count"],
            one_pass["summary"]["entity_count"]
        );
        // Only the joined result is left of the chunks' stages and parts.
        let left: Vec<_> = walk(&dir.path().join("chunked"));
        assert_eq!(left.len(), 1, "{left:?}");
    });
}

#[test]
fn large_entity_lists_travel_as_scratch_objects_that_hold_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let text: String = (0..2_000)
        .map(|i| format!("Write to user{i}@example.com today.\n"))
        .collect();
    let input = dir.path().join("many.txt");
    std::fs::write(&input, &text).unwrap();
    let docs = FileDocumentStore::new(dir.path().join("out"));
    let inline = json!({"document": {"text": text}});
    let by_ref = json!({"document": {"ref": format!("file://{}", input.display())}});
    rt().block_on(async {
        let mut state = by_ref.clone();
        state["detection"] = engine.detect_step(&state, &docs).await.unwrap();
        assert_eq!(state["detection"]["entities"], json!([]));
        assert_eq!(state["detection"]["entity_count"], json!(2_000));
        let entities_ref = state["detection"]["entities_ref"]
            .as_str()
            .unwrap()
            .to_string();
        state["masked"] = engine.mask_step(&state, &docs).await.unwrap();
        let pending_ref = state["masked"]["pending_ref"].as_str().unwrap().to_string();
        for list in [&entities_ref, &pending_ref] {
            let listed = docs.read(list).await.unwrap();
            assert!(listed.contains("\"begin\"") && !listed.contains("example.com"));
        }
        let out = engine.deidentify_step(&state, &docs).await.unwrap();
        let result = docs
            .read(out["output"]["ref"].as_str().unwrap())
            .await
            .unwrap();

        // The same document inline: the lists stay in the state, the result is the same.
        let mut state = inline;
        state["detection"] = engine.detect_step(&state, &docs).await.unwrap();
        assert_eq!(state["detection"]["entities_ref"], json!(null));
        state["masked"] = engine.mask_step(&state, &docs).await.unwrap();
        let out = engine.deidentify_step(&state, &docs).await.unwrap();
        assert_eq!(out["output"]["text"].as_str().unwrap(), result);

        let left = walk(&dir.path().join("out"));
        assert_eq!(left.len(), 1, "only the result is left: {left:?}");
    });
}

#[test]
fn bad_ranges_and_join_states_are_refused_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let input = dir.path().join("doc.txt");
    std::fs::write(&input, "Grüße an priya.sharma@example.in").unwrap();
    let reference = format!("file://{}", input.display());
    let docs = FileDocumentStore::new(dir.path().join("out"));
    rt().block_on(async {
        for (range, expected) in [
            (json!([5, 2]), "begin <= end"),
            (json!([0, 999]), "outside the document"),
            // "ü" is bytes 2..4; a range ending at 3 splits it.
            (json!([0, 3]), "not valid UTF-8"),
            (json!("0-4"), "must be"),
        ] {
            let state = json!({"document": {"ref": reference, "range": range}});
            let e = engine.detect_step(&state, &docs).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{range}: {e}");
            assert!(e.to_string().contains(expected), "{range}: {e}");
            assert!(!e.to_string().contains("priya"), "{e}");
        }
        for (state, expected) in [
            (json!({"action": "join", "parts": []}), "join needs the whole"),
            (
                json!({"action": "join", "document": {"ref": reference, "range": [0, 3]}, "parts": []}),
                "join needs the whole",
            ),
            (
                json!({"action": "join", "document": {"ref": reference}}),
                "`parts` list",
            ),
            (
                json!({"action": "join", "document": {"ref": reference}, "parts": [{"summary": {}}]}),
                "parts[0]",
            ),
            (
                json!({"action": "join", "document": {"ref": reference},
                    "parts": [{"output": {"ref": reference}, "summary": {"entity_count": "x"}}]}),
                "parts[0].summary",
            ),
        ] {
            let e = engine.deidentify_step(&state, &docs).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{state}: {e}");
            assert!(e.to_string().contains(expected), "{state}: {e}");
        }
    });
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
