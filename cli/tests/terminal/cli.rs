//! Runs the real `piiflow` binary.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn piiflow(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_piiflow"));
    cmd.env("PIIFLOW_HOME", home)
        .env_remove("RUST_LOG")
        .env_remove("PIIFLOW_API")
        .env_remove("PIIFLOW_TOKEN");
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().unwrap()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn credentials(home: &Path) -> PathBuf {
    home.join("credentials.json")
}

pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A `piiflow login --no-browser` in progress: the sign-in URL it printed, and the rest
/// of its stderr once it ends.
pub struct PendingLogin {
    child: Child,
    lines: mpsc::Receiver<String>,
    pub url: String,
}

impl PendingLogin {
    pub fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let url = loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.starts_with("http") => break line,
                Ok(line) => seen.push(line),
                Err(_) => {
                    let _ = child.kill();
                    panic!("login printed no URL; stderr: {seen:?}");
                }
            }
        };
        Self {
            child,
            lines: rx,
            url,
        }
    }

    /// Waits for the exit: (code, stdout, the stderr after the URL).
    pub fn finish(mut self) -> (i32, String, String) {
        let mut stdout = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            std::io::Read::read_to_string(&mut out, &mut stdout).unwrap();
        }
        let status = self.child.wait().unwrap();
        let rest: Vec<String> = self.lines.iter().collect();
        (status.code().unwrap_or(-1), stdout, rest.join("\n"))
    }
}

impl Drop for PendingLogin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
