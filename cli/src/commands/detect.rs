use std::io::{BufRead, BufReader, Read, Write};

use anyhow::{Context, Result};
use detect::offsets;
use serde_json::Value;
use service::Engine;

use crate::args::{DetectArgs, InputFormat};
use crate::chunked_reader::ChunkedReader;
use crate::commands::anonymize::TEXT_CHUNK_BYTES;
use crate::exit::DataError;
use crate::input::{open, resolve_format, utf8};
use crate::local::Local;
use service::Home;

/// Prints entities as JSON: one array for a text or JSON document (offsets in characters
/// from the start of the input), one array per line for JSONL.
pub async fn run(home: &Home, args: DetectArgs) -> Result<()> {
    let local = Local::open_or_init(home)?;
    let engine = local.engine(&args.input.policy)?;
    let (reader, _) = open(&args.input.input)?;
    let format = resolve_format(&args.input.input, args.input.format);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match format {
        InputFormat::Json => {
            let mut bytes = Vec::new();
            BufReader::new(reader).read_to_end(&mut bytes)?;
            let text = utf8(&bytes, None)?;
            if text.trim().is_empty() {
                return Err(DataError("empty input: expected a JSON document".into()).into());
            }
            let record: Value = serde_json::from_str(text).context("invalid JSON")?;
            let findings = engine.detect_record(&record)?;
            detect::write_entities_pretty(&mut out, &Engine::record_entities(&record, &findings))?;
            writeln!(out)?;
        }
        InputFormat::Jsonl => {
            let mut reader = BufReader::new(reader);
            let mut buf = Vec::new();
            let mut line_no = 0;
            loop {
                buf.clear();
                if reader.read_until(b'\n', &mut buf)? == 0 {
                    break;
                }
                line_no += 1;
                let line = utf8(&buf, Some(line_no))?;
                if line.trim().is_empty() {
                    continue;
                }
                let record: Value = serde_json::from_str(line)
                    .with_context(|| format!("line {line_no}: invalid JSON"))?;
                let findings = engine
                    .detect_record(&record)
                    .with_context(|| format!("line {line_no}"))?;
                serde_json::to_writer(&mut out, &Engine::record_entities(&record, &findings))?;
                writeln!(out)?;
            }
        }
        InputFormat::Text | InputFormat::Auto => {
            let mut chunks = ChunkedReader::new(reader, TEXT_CHUNK_BYTES);
            let mut base_chars = 0;
            let mut all = Vec::new();
            while let Some(chunk) = chunks.next_chunk()? {
                let detections = engine.detect_text(&chunk);
                for mut e in offsets::to_entities(&chunk, &detections, None) {
                    e.begin += base_chars;
                    e.end += base_chars;
                    all.push(e);
                }
                base_chars += chunk.chars().count();
            }
            detect::write_entities_pretty(&mut out, &all)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
