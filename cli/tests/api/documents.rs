//! `POST /v1/documents` and `GET /v1/documents/{id}` through the local state machine.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{Server, fixtures, json};

/// Starts a run of `source` and polls it until it is no longer running.
async fn run_to_end(s: &Server, token: &str, source: &str) -> Value {
    let body = json!({ "source": source });
    let started = json(
        s.post("/v1/documents", token, &body).send().await.unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    let id = started["id"].as_str().unwrap().to_string();
    let mut status = Value::Null;
    // Bounded polling: the loop ends in failure, not in a hang, if the run never finishes.
    for _ in 0..600 {
        status = json(
            s.get(&format!("/v1/documents/{id}"), token)
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        if status["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    status
}

fn file_ref(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[tokio::test]
async fn a_file_document_runs_to_success_with_a_summary() {
    let documents = std::fs::canonicalize(fixtures().join("documents")).unwrap();
    let s = Server::start(&["--documents-root", documents.to_str().unwrap()]).await;
    let token = s.token(&["pii/anonymize"]);
    let status = run_to_end(&s, &token, &file_ref(&documents.join("email.eml"))).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    assert!(
        status["summary"]["entity_count"].as_u64().unwrap() > 0,
        "{status}"
    );
    let result = status["result"].as_str().unwrap();
    let result = std::fs::canonicalize(result.strip_prefix("file://").unwrap()).unwrap();
    let objects = std::fs::canonicalize(s.home.path().join("objects")).unwrap();
    assert!(
        result.starts_with(&objects),
        "{result:?} outside {objects:?}"
    );
    let text = std::fs::read_to_string(result).unwrap();
    assert!(!text.contains("priya.sharma@example.in"), "{text}");
    assert!(text.contains("Subject: Updated bank and ID details"));
}

#[tokio::test]
async fn s3_sources_relative_paths_and_unknown_ids_are_refused() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    for source in [
        "s3://bucket/key.txt",
        "file://relative/path.txt",
        "file:///no/such/file.txt",
    ] {
        let r = s
            .post("/v1/documents", &token, &json!({ "source": source }))
            .send()
            .await
            .unwrap();
        let body = json(r, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["error"]["code"], "invalid_input", "{source}");
    }
    let r = s
        .post("/v1/documents", &token, &json!({ "source": "s3://b/k" }))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("AWS deployment"));
    let r = s
        .get(
            "/v1/documents/arn:aws:states:local:execution:documents:nope",
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// The server's default documents root, `<home>/documents`, with one document in it.
fn default_root(s: &Server) -> PathBuf {
    let root = s.home.path().join("documents");
    std::fs::write(root.join("a.txt"), "mail olivia.nguyen@example.com.au").unwrap();
    root
}

#[tokio::test]
async fn sources_outside_the_documents_roots_are_refused_before_anything_is_read() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let root = default_root(&s);
    let home = s.home.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
    std::os::unix::fs::symlink(home.join("keyring.json"), root.join("keyring-link")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("out-dir")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("secret")).unwrap();
    assert!(
        home.join("keyring.json").exists(),
        "the server made no keyring"
    );
    for path in [
        home.join("keyring.json"),
        home.join("dev-auth-key.pem"),
        root.join("../keyring.json"),
        root.join("sub/../../keyring.json"),
        root.join("keyring-link"),
        root.join("out-dir/secret.txt"),
        root.join("secret"),
        outside.path().join("secret.txt"),
        PathBuf::from("/etc/passwd"),
        PathBuf::from("/no/such/file.txt"),
        home.join("objects/../keyring.json"),
    ] {
        let r = s
            .post(
                "/v1/documents",
                &token,
                &json!({ "source": file_ref(&path) }),
            )
            .send()
            .await
            .unwrap();
        let body = json(r, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["error"]["code"], "invalid_input", "{path:?}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("outside the documents roots"),
            "{path:?}: {message}"
        );
    }
    // The same server still runs a document that is inside.
    let status = run_to_end(&s, &token, &file_ref(&root.join("a.txt"))).await;
    assert_eq!(status["status"], "succeeded", "{status}");
}

#[tokio::test]
async fn results_are_written_only_inside_the_home_whatever_waits_there() {
    use sha2::Digest;
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let root = default_root(&s);
    let elsewhere = tempfile::tempdir().unwrap();
    // A results directory planted as a symlink out of the home: the run fails, writing
    // nothing there.
    let real = std::fs::canonicalize(root.join("a.txt")).unwrap();
    let reference = file_ref(&real);
    let digest: String = sha2::Sha256::digest(reference.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::create_dir_all(s.home.path().join("objects")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path(),
        s.home.path().join("objects").join(&digest),
    )
    .unwrap();
    let status = run_to_end(&s, &token, &file_ref(&root.join("./a.txt"))).await;
    assert_eq!(status["status"], "failed", "{status}");
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "a stage was written through the symlink"
    );
    // A destination is refused outright.
    let r = s
        .post(
            "/v1/documents",
            &token,
            &json!({ "source": reference, "destination": "file:///tmp/out" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn a_documents_root_that_does_not_exist_stops_the_server() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piiflow"))
        .args([
            "serve",
            "--dev-auth",
            "--addr",
            "127.0.0.1:0",
            "--documents-root",
        ])
        .arg(home.path().join("missing"))
        .env("PIIFLOW_HOME", home.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--documents-root"), "{stderr}");
}

#[tokio::test]
async fn the_same_content_posted_again_answers_its_run_and_changed_content_starts_another() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let root = default_root(&s);
    let source = file_ref(&root.join("a.txt"));
    let post = |source: String| {
        let s = &s;
        let token = &token;
        async move {
            let r = s
                .post("/v1/documents", token, &json!({ "source": source }))
                .send()
                .await
                .unwrap();
            let code = r.status();
            let location = r.headers()["location"].to_str().unwrap().to_string();
            let body = r.json::<Value>().await.unwrap();
            assert_eq!(
                location,
                format!("/v1/documents/{}", body["id"].as_str().unwrap())
            );
            (code, body)
        }
    };
    let (code, first) = post(source.clone()).await;
    assert_eq!(code, StatusCode::ACCEPTED, "{first}");
    assert_eq!(first["existing"], false);
    // Rewritten with the same bytes (a new mtime): still the same document version.
    std::thread::sleep(Duration::from_millis(20));
    let text = std::fs::read(root.join("a.txt")).unwrap();
    std::fs::write(root.join("a.txt"), &text).unwrap();
    let (code, again) = post(source.clone()).await;
    assert_eq!(code, StatusCode::OK, "{again}");
    assert_eq!(again["existing"], true);
    assert_eq!(again["id"], first["id"]);
    // Changed bytes are another version.
    std::fs::write(root.join("a.txt"), b"mail liam.chen@example.org").unwrap();
    let (code, changed) = post(source).await;
    assert_eq!(code, StatusCode::ACCEPTED, "{changed}");
    assert_ne!(changed["id"], first["id"]);
}

/// `url` with the value of its query parameter `name` replaced by `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap();
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == name => format!("{k}={value}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

#[tokio::test]
async fn a_presigned_upload_runs_and_its_result_downloads_by_a_presigned_get() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let ticket = json(
        s.post(
            "/v1/documents/uploads",
            &token,
            &json!({ "file_name": "note.txt" }),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let key = ticket["key"].as_str().unwrap();
    assert!(
        key.starts_with("incoming/") && key.ends_with("/note.txt"),
        "{ticket}"
    );
    assert_eq!(ticket["method"], "PUT");
    assert!(ticket["expires_at"].as_str().unwrap().ends_with('Z'));
    let url = ticket["url"].as_str().unwrap();
    assert!(url.starts_with(&s.base), "{url}");

    // Tampered, or used for another method: refused, nothing written.
    let incoming = s.home.path().join("documents/incoming");
    let signature = url.split("signature=").nth(1).unwrap();
    let mut flipped = signature.to_string();
    let last = if flipped.ends_with('0') { "1" } else { "0" };
    flipped.replace_range(flipped.len() - 1.., last);
    let forged_path = data_encoding::BASE64URL_NOPAD.encode(b"x/../../../keyring.json");
    for bad in [
        with_param(url, "signature", &flipped),
        with_param(url, "path", &forged_path),
        with_param(url, "expires", "99999999999"),
        with_param(url, "signature", ""),
        url.replace("/incoming?", "/results?"),
    ] {
        let r = s.http.put(&bad).body("x").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{bad}");
    }
    let r = s.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "GET of an upload URL");
    assert!(
        !incoming.exists() || walk(&incoming).is_empty(),
        "a refused upload wrote {:?}",
        walk(&incoming)
    );

    // The real upload: no bearer token, the URL is the credential.
    let text = "Write to Olivia at olivia.nguyen@example.com.au";
    let r = s.http.put(url).body(text).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let written = s.home.path().join("documents").join(key);
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);

    let source = ticket["source"].as_str().unwrap();
    assert_eq!(source, file_ref(&std::fs::canonicalize(&written).unwrap()));
    let status = run_to_end(&s, &token, source).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    let result_url = status["result_url"].as_str().unwrap();
    assert!(status["result_url_expires_at"].is_string(), "{status}");
    let r = s.http.get(result_url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let anonymized = r.text().await.unwrap();
    assert!(anonymized.starts_with("Write to"), "{anonymized}");
    assert!(
        !anonymized.contains("olivia.nguyen@example.com.au"),
        "{anonymized}"
    );
    // A result URL neither uploads nor reads anything else.
    let r = s.http.put(result_url).body("x").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let other = data_encoding::BASE64URL_NOPAD.encode(b"../keyring.json");
    let r = s
        .http
        .get(with_param(result_url, "path", &other))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn upload_file_names_that_are_not_one_plain_segment_are_refused() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    for name in [
        "../x.txt",
        "a/b.txt",
        "..",
        ".env",
        "a..b",
        "",
        "name with spaces",
    ] {
        let r = s
            .post(
                "/v1/documents/uploads",
                &token,
                &json!({ "file_name": name }),
            )
            .send()
            .await
            .unwrap();
        let body = json(r, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["error"]["code"], "invalid_input", "{name:?}");
    }
    let r = s
        .post(
            "/v1/documents/uploads",
            &s.token(&["pii/reidentify"]),
            &json!({ "file_name": "a.txt" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
