//! Large inputs stream: memory stays bounded by the chunk size, not the input size.

use std::io::Write;
use std::process::Stdio;

use crate::common::Home;

/// The peak RSS of process `pid` so far, in KiB (`VmHWM`), or `None` once it has exited.
/// Read from its own memory map: `wait4`'s `ru_maxrss` also counts the test process's
/// memory, which a child spawned with `vfork` shares until it runs the binary.
fn peak_rss_kib(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `args` on 100 MiB of text written to its stdin and returns whether it succeeded,
/// its peak RSS in MiB (sampled after every MiB of its output), how many bytes it wrote
/// and whether they contain `marker`.
fn run_on_100_mib(args: &[&str], marker: &'static str) -> (bool, i64, usize, bool) {
    let home = Home::empty();
    let mut child = home
        .cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
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
        let (mut n, mut next_sample) = (0usize, 0usize);
        let (mut seen, mut peak_kib) = (false, 0);
        loop {
            let k = std::io::Read::read(&mut stdout, &mut sink).unwrap();
            if k == 0 {
                break;
            }
            if !seen {
                seen = std::str::from_utf8(&sink[..k]).is_ok_and(|s| s.contains(marker));
            }
            n += k;
            if n >= next_sample {
                peak_kib = peak_kib.max(peak_rss_kib(pid).unwrap_or(0));
                next_sample = n + (1 << 20);
            }
        }
        (n, seen, peak_kib)
    });
    writer.join().unwrap();
    let (n, seen, peak_kib) = reader.join().unwrap();
    let success = child.wait().unwrap().success();
    assert!(peak_kib > 0, "no sample of the peak RSS was taken");
    (success, peak_kib / 1024, n, seen)
}

#[test]
fn a_100_mb_text_streams_in_bounded_memory() {
    let (success, rss_mib, n, tokens_seen) =
        run_on_100_mib(&["anonymize", "-", "--quiet"], "EMAIL_");
    assert!(success);
    assert!(n > 50 << 20, "output is as long as the input: {n}");
    assert!(tokens_seen);
    assert!(rss_mib < 200, "peak RSS {rss_mib} MiB for a 100 MiB input");
}

/// Detecting writes each chunk's entities as it goes: the 2 million found in 100 MiB
/// would take 64 MB if they were kept to the end.
#[test]
fn detecting_in_a_100_mb_text_streams_in_bounded_memory() {
    let (success, rss_mib, n, entities_seen) = run_on_100_mib(&["detect", "-"], "\"EMAIL\"");
    assert!(success);
    assert!(
        n > 100 << 20,
        "two entities of about 90 bytes per line of 103: {n}"
    );
    assert!(entities_seen);
    assert!(rss_mib < 60, "peak RSS {rss_mib} MiB for a 100 MiB input");
}
