//! Where input comes from and what format it is in.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use serde_json::Value;

use crate::args::InputFormat;
use crate::commands::anonymize::MAX_LINE_BYTES;
use crate::exit::{DataError, NoInput};

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub fn open(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
    if is_stdin(path) {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let cannot = |why: String| NoInput(format!("cannot open {}: {why}", path.display()));
    let file = File::open(path).map_err(|e| cannot(e.to_string()))?;
    let meta = file.metadata().map_err(|e| cannot(e.to_string()))?;
    if meta.is_dir() {
        return Err(cannot("it is a directory".into()).into());
    }
    let len = Some(meta.len());
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

/// The records of a JSONL stream, one at a time: each line bounded by `MAX_LINE_BYTES`,
/// checked as UTF-8 and parsed, blank lines skipped; every error names its line.
pub struct JsonlRecords<R> {
    lines: BufReader<R>,
    buf: Vec<u8>,
    line_no: usize,
}

impl<R: Read> JsonlRecords<R> {
    pub fn new(reader: R) -> Self {
        Self {
            lines: BufReader::with_capacity(1 << 16, reader),
            buf: Vec::new(),
            line_no: 0,
        }
    }

    /// The next record and its line number; `read` is told the bytes of every line read,
    /// blank ones included (for a progress bar).
    pub fn next_record(&mut self, read: impl FnMut(u64)) -> Result<Option<(usize, Value)>> {
        let Some((line_no, text)) = self.next_line(read)? else {
            return Ok(None);
        };
        let record =
            serde_json::from_str(text).with_context(|| format!("line {line_no}: invalid JSON"))?;
        Ok(Some((line_no, record)))
    }

    /// The next line that is not blank, checked but not parsed, and its line number.
    pub fn next_line(&mut self, mut read: impl FnMut(u64)) -> Result<Option<(usize, &str)>> {
        loop {
            self.buf.clear();
            let n = (&mut self.lines)
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.line_no += 1;
            let line_no = self.line_no;
            if self.buf.len() > MAX_LINE_BYTES {
                return Err(DataError(format!(
                    "line {line_no}: longer than {MAX_LINE_BYTES} bytes"
                ))
                .into());
            }
            read(n as u64);
            if utf8(&self.buf, Some(line_no))?.trim().is_empty() {
                continue;
            }
            let text = utf8(&self.buf, Some(line_no)).expect("checked above");
            return Ok(Some((line_no, text)));
        }
    }
}

/// A whole JSON document: read, checked as UTF-8 (naming the byte offset), refused when
/// empty, parsed.
pub fn json_document(mut reader: impl Read) -> Result<Value> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let text = utf8(&bytes, None)?;
    if text.trim().is_empty() {
        return Err(DataError("empty input: expected a JSON document".into()).into());
    }
    serde_json::from_str(text).context("invalid JSON")
}
