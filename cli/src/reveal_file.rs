//! `reidentify --file`: one format dispatch, whether the local engine or a deployed API
//! reveals, so both read, refuse and write the same way.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::args::InputFormat;
use crate::input::{JsonlRecords, json_document, open, resolve_format, utf8};

/// What reveals one record or one text.
#[async_trait::async_trait]
pub trait Revealer {
    async fn record(&self, record: Value) -> Result<Value>;
    async fn text(&self, text: &str) -> Result<String>;
}

/// Reveals `path` (or stdin for `-`) as text, one JSON document or JSONL (one record per
/// line, each line bounded and its errors naming the line) and writes the result to `out`.
pub async fn reveal_file(
    path: &Path,
    format: InputFormat,
    revealer: &(dyn Revealer + Sync),
    out: &mut impl Write,
) -> Result<()> {
    let (mut reader, _) = open(path)?;
    match resolve_format(path, format) {
        InputFormat::Json => {
            let record = revealer.record(json_document(reader)?).await?;
            serde_json::to_writer_pretty(&mut *out, &record)?;
            writeln!(out)?;
        }
        InputFormat::Jsonl => {
            let mut records = JsonlRecords::new(reader);
            while let Some((line_no, record)) = records.next_record(|_| {})? {
                let record = revealer
                    .record(record)
                    .await
                    .with_context(|| format!("line {line_no}"))?;
                serde_json::to_writer(&mut *out, &record)?;
                writeln!(out)?;
            }
        }
        InputFormat::Text | InputFormat::Auto => {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes)?;
            let text = revealer.text(utf8(&bytes, None)?).await?;
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}
