//! Every CLI row of the table against the real `piiflow` binary.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::Home;
use crate::table::{CliRow, bytes, load, shape};

/// A home with the fixed test keyring, a scratch directory beside it.
struct Scene {
    home: Home,
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        Self {
            home: Home::with_test_keys(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn expand(&self, s: &str, file: &Path) -> String {
        s.replace("{dir}", self.dir.path().to_str().unwrap())
            .replace("{home}", self.home.path().to_str().unwrap())
            .replace("{file}", file.to_str().unwrap())
    }

    fn command(
        &self,
        args: &[OsString],
        env: &std::collections::BTreeMap<String, String>,
    ) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_piiflow"));
        c.args(args)
            .env("PIIFLOW_HOME", self.home.path())
            .env_remove("RUST_LOG")
            .env_remove("PIIFLOW_API")
            .env_remove("PIIFLOW_TOKEN")
            .envs(env);
        c
    }

    /// Runs `piiflow` once so that the home's databases exist.
    fn init(&self) {
        let out = self
            .command(&["anonymize".into(), "-".into()], &Default::default())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = self
            .command(&["audit".into()], &Default::default())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn write_owner_only(path: &Path, content: &[u8]) {
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn content(row: &CliRow) -> Vec<u8> {
    match (row.nest, &row.nest_key) {
        (Some(n), Some(key)) => {
            format!("{}1{}\n", format!("{{{key:?}:").repeat(n), "}".repeat(n)).into_bytes()
        }
        (Some(n), None) => format!("{}{}\n", "[".repeat(n), "]".repeat(n)).into_bytes(),
        (None, _) => bytes(row.content.as_deref().unwrap_or("")),
    }
}

/// Runs one row; `Err` says how it deviates from the table.
fn run_row(row: &CliRow) -> Result<(), String> {
    let scene = Scene::new();
    let content = content(row);
    let file = match row.file.as_deref() {
        Some(name) if name.starts_with("home:") => {
            let path = scene.home.path().join(&name["home:".len()..]);
            write_owner_only(&path, &content);
            path
        }
        Some(name) => {
            let path = scene.dir.path().join(name);
            std::fs::write(&path, &content).unwrap();
            path
        }
        None => scene.dir.path().join("none"),
    };
    let args: Vec<OsString> = row
        .args
        .iter()
        .map(|a| OsString::from_vec(bytes(&scene.expand(a, &file))))
        .collect();
    let mut _lock = None;
    match row.setup.as_deref() {
        None | Some("sigint") => {}
        Some("no-keyring") => std::fs::remove_file(scene.home.path().join("keyring.json")).unwrap(),
        Some("symlink-loop") => {
            std::os::unix::fs::symlink("loop", scene.dir.path().join("loop")).unwrap()
        }
        Some("corrupt-vault") => {
            scene.init();
            write_owner_only(&scene.home.path().join("vault.db"), &[b'x'; 8192]);
            let _ = std::fs::remove_file(scene.home.path().join("vault.db-wal"));
        }
        Some("corrupt-audit") => {
            scene.init();
            write_owner_only(&scene.home.path().join("audit.db"), &[b'x'; 8192]);
            let _ = std::fs::remove_file(scene.home.path().join("audit.db-wal"));
        }
        Some("lock-vault") => {
            scene.init();
            let conn = rusqlite::Connection::open(scene.home.path().join("vault.db")).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            _lock = Some(conn);
        }
        Some(other) => panic!("{}: unknown setup {other}", row.id()),
    }

    let out = if row.setup.as_deref() == Some("sigint") {
        interrupted(&scene, row, &args)
    } else {
        let mut cmd = scene.command(&args, &row.env);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if row.stdin {
            let _ = stdin.write_all(&content);
        }
        drop(stdin);
        child.wait_with_output().unwrap()
    };
    drop(_lock);
    check(&scene, row, &file, &out)
}

/// Starts the command on a stdin that stays open, waits for its `.partial` output, then
/// sends SIGINT.
fn interrupted(scene: &Scene, row: &CliRow, args: &[OsString]) -> Output {
    let target = scene.expand(
        row.absent.as_deref().expect("sigint rows name `absent`"),
        Path::new(""),
    );
    let partial = format!("{target}.partial");
    let mut child = scene
        .command(args, &row.env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("Mail jane.doe@example.com\n".repeat(1000).as_bytes())
        .unwrap();
    let start = Instant::now();
    while !Path::new(&partial).exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{}: {partial} never appeared",
            row.id()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: kill(2) on the pid of a child this test owns and has not reaped.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    out
}

fn check(scene: &Scene, row: &CliRow, file: &Path, out: &Output) -> Result<(), String> {
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let code = out
        .status
        .code()
        .or_else(|| out.status.signal().map(|s| 128 + s));
    let mut problems = Vec::new();
    if code != row.exit {
        problems.push(format!("exit {code:?}, the table says {:?}", row.exit));
    }
    if let Some(s) = &row.stderr
        && !shape(&scene.expand(s, file)).is_match(&stderr)
    {
        problems.push(format!("stderr does not match {s:?}"));
    }
    if let Some(secret) = &row.secret
        && (stderr.contains(secret.as_str())
            || (row.exit != Some(0) && stdout.contains(secret.as_str())))
    {
        problems.push(format!("the output names the value {secret:?}"));
    }
    if let Some(absent) = &row.absent
        && Path::new(&scene.expand(absent, file)).exists()
    {
        problems.push(format!("{absent} exists"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {} (stderr: {})",
            row.id(),
            problems.join("; "),
            stderr.trim()
        ))
    }
}

#[test]
fn every_cli_row_holds() {
    let rows: Vec<CliRow> = load().cli.into_iter().filter(|r| r.na.is_none()).collect();
    let only = std::env::var("PIIFLOW_CONTRACT_ONLY").ok();
    let rows: Vec<CliRow> = rows
        .into_iter()
        .filter(|r| only.as_deref().is_none_or(|o| r.id().contains(o)))
        .collect();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(rows.len().div_ceil(4).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|r| run_row(r).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(!rows.is_empty());
    assert!(
        failures.is_empty(),
        "{} of {} rows deviate:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
