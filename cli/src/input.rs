//! Where input comes from and what format it is in.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::args::InputFormat;
use crate::exit::DataError;

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub fn open(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
    if is_stdin(path) {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), len))
}

/// `auto` decides by extension; stdin without `--format` is text.
pub fn resolve_format(path: &Path, format: InputFormat) -> InputFormat {
    if format != InputFormat::Auto {
        return format;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => InputFormat::Json,
        Some("jsonl" | "ndjson") => InputFormat::Jsonl,
        _ => InputFormat::Text,
    }
}

/// Every regular file below `dir`, sorted, so runs are reproducible.
pub fn files_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let entry = entry?;
            let ty = entry.file_type()?;
            if ty.is_dir() {
                stack.push(entry.path());
            } else if ty.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `bytes` as text, or a data error naming the byte offset (and line, for JSONL) where it
/// stops being UTF-8.
pub fn utf8(bytes: &[u8], line: Option<usize>) -> Result<&str, DataError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = format!("not valid UTF-8 at byte {}", e.valid_up_to());
        DataError(match line {
            Some(n) => format!("line {n}: {at}"),
            None => at,
        })
    })
}
