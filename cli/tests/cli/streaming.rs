//! Large inputs stream: memory stays bounded by the chunk size, not the input size.

use std::io::Write;
use std::process::Stdio;

use crate::common::Home;

/// Waits for `child` and returns whether it exited 0 and its own peak RSS in KiB. Other
/// tests of this binary run children at the same time, so the peak of all children
/// (`RUSAGE_CHILDREN`) would be theirs as often as this one's.
fn wait_with_max_rss_kib(child: &std::process::Child) -> (bool, i64) {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status = 0;
    // SAFETY: wait4 writes into the status and struct we own; the pid is our unreaped child.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    (
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        usage.ru_maxrss,
    )
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4 in wait_with_max_rss_kib"
)]
fn a_100_mb_text_streams_in_bounded_memory() {
    let home = Home::empty();
    let mut child = home
        .cmd(&["anonymize", "-", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let total: usize = 100 << 20;
    let writer = std::thread::spawn(move || {
        let line = "The quarterly report was filed on time; contact jane.doe@example.com or call 415-555-0132 for details.\n";
        let mut written = 0;
        let block = line.repeat(1000);
        while written < total {
            stdin.write_all(block.as_bytes()).unwrap();
            written += block.len();
        }
    });
    let reader = std::thread::spawn(move || {
        let mut sink = [0u8; 1 << 16];
        let mut n = 0usize;
        let mut tokens_seen = false;
        loop {
            let k = std::io::Read::read(&mut stdout, &mut sink).unwrap();
            if k == 0 {
                break;
            }
            if !tokens_seen {
                tokens_seen = std::str::from_utf8(&sink[..k]).is_ok_and(|s| s.contains("EMAIL_"));
            }
            n += k;
        }
        (n, tokens_seen)
    });
    writer.join().unwrap();
    let (success, max_rss_kib) = wait_with_max_rss_kib(&child);
    let (n, tokens_seen) = reader.join().unwrap();
    assert!(success);
    assert!(n > 50 << 20, "output is as long as the input: {n}");
    assert!(tokens_seen);
    let rss_mib = max_rss_kib / 1024;
    assert!(rss_mib < 200, "peak RSS {rss_mib} MiB for a 100 MiB input");
}
