use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mask::Summary;
use serde_json::Value;
use service::Engine;

use crate::args::{AnonymizeArgs, InputFormat};
use crate::chunked_reader::ChunkedReader;
use crate::exit::DataError;
use crate::input::{JsonlRecords, files_below, is_stdin, open, resolve_format, utf8};
use crate::local::Local;
use crate::output::Output;
use service::Home;

/// Text is handled in pieces of about this size, which bounds memory for any input.
pub const TEXT_CHUNK_BYTES: usize = 1 << 20;
/// Records per vault batch: large enough to amortize the SQLite transaction.
pub const RECORD_BATCH: usize = 1024;
/// A single JSONL line larger than this is refused rather than buffered.
pub const MAX_LINE_BYTES: usize = 64 << 20;

pub async fn run(home: &Home, args: AnonymizeArgs) -> Result<()> {
    let local = Local::open_or_init(home)?;
    let engine = local.engine(&args.input.policy)?;
    let input = &args.input.input;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let mut total = Summary::default();

    if !is_stdin(input) && input.is_dir() {
        let Some(out_dir) = args.out.as_deref() else {
            bail!(
                "{} is a directory: pass --out DIR for the anonymized copies",
                input.display()
            );
        };
        let files = files_below(input)?;
        let bar = progress_bar(show_progress, files.len() as u64, "files");
        for file in &files {
            let rel = file
                .strip_prefix(input)
                .expect("files_below yields paths below input");
            let target = out_dir.join(rel);
            bar.set_message(rel.display().to_string());
            let format = resolve_format(file, args.input.format);
            let summary = anonymize_file(&engine, file, format, Some(&target), None)
                .await
                .with_context(|| format!("anonymizing {}", file.display()))?;
            total.merge(&summary);
            bar.inc(1);
        }
        bar.finish_and_clear();
    } else {
        let format = resolve_format(input, args.input.format);
        let (_, len) = open(input)?;
        let bar = len
            .filter(|&l| l > 8 * TEXT_CHUNK_BYTES as u64)
            .map(|l| progress_bar(show_progress, l, "bytes"));
        total = anonymize_file(&engine, input, format, args.out.as_deref(), bar.as_ref())
            .await
            .with_context(|| format!("anonymizing {}", describe(input)))?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }
    if args.summary {
        eprintln!("{}", serde_json::to_string_pretty(&total)?);
    }
    Ok(())
}

fn describe(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

pub(crate) fn progress_bar(visible: bool, len: u64, unit: &str) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let template = if unit == "bytes" {
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})"
    } else {
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files {msg}"
    };
    ProgressBar::new(len)
        .with_style(ProgressStyle::with_template(template).expect("valid template"))
}

async fn anonymize_file(
    engine: &Engine,
    path: &Path,
    format: InputFormat,
    target: Option<&Path>,
    bar: Option<&ProgressBar>,
) -> Result<Summary> {
    let (reader, _) = open(path)?;
    let mut out = Output::open(target)?;
    let summary = match format {
        InputFormat::Json => anonymize_json(engine, reader, &mut out).await?,
        InputFormat::Jsonl => anonymize_jsonl(engine, reader, &mut out, bar).await?,
        InputFormat::Text | InputFormat::Auto => {
            anonymize_text(engine, reader, &mut out, bar).await?
        }
    };
    out.finish()?;
    Ok(summary)
}

pub async fn anonymize_text(
    engine: &Engine,
    reader: impl Read,
    out: &mut impl Write,
    bar: Option<&ProgressBar>,
) -> Result<Summary> {
    let mut chunks = ChunkedReader::new(reader, TEXT_CHUNK_BYTES);
    let mut total = Summary::default();
    while let Some(chunk) = chunks.next_chunk()? {
        let mut done = engine.anonymize_texts(&[chunk.as_str()]).await?;
        let done = done.pop().expect("one result per text");
        out.write_all(done.text.as_bytes())?;
        total.merge(&done.summary);
        if let Some(bar) = bar {
            bar.inc(chunk.len() as u64);
        }
    }
    Ok(total)
}

pub async fn anonymize_jsonl(
    engine: &Engine,
    reader: impl Read,
    out: &mut impl Write,
    bar: Option<&ProgressBar>,
) -> Result<Summary> {
    let mut records = JsonlRecords::new(reader);
    let mut total = Summary::default();
    let mut batch: Vec<Value> = Vec::with_capacity(RECORD_BATCH);
    let mut batch_lines: Vec<usize> = Vec::with_capacity(RECORD_BATCH);
    while let Some((line_no, record)) = records.next_record(|n| {
        if let Some(bar) = bar {
            bar.inc(n);
        }
    })? {
        batch.push(record);
        batch_lines.push(line_no);
        if batch.len() == RECORD_BATCH {
            flush_records(engine, &mut batch, &mut batch_lines, out, &mut total).await?;
        }
    }
    flush_records(engine, &mut batch, &mut batch_lines, out, &mut total).await?;
    Ok(total)
}

async fn flush_records(
    engine: &Engine,
    batch: &mut Vec<Value>,
    lines: &mut Vec<usize>,
    out: &mut impl Write,
    total: &mut Summary,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let results = engine.anonymize_records(batch).await?;
    for (i, result) in results.into_iter().enumerate() {
        let done = result.with_context(|| format!("line {}", lines[i]))?;
        serde_json::to_writer(&mut *out, &done.record)?;
        out.write_all(b"\n")?;
        total.merge(&done.summary);
    }
    batch.clear();
    lines.clear();
    Ok(())
}

/// One JSON document: an array is a batch of records, anything else one record.
pub async fn anonymize_json(
    engine: &Engine,
    mut reader: impl Read,
    out: &mut impl Write,
) -> Result<Summary> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let text = utf8(&bytes, None)?;
    if text.trim().is_empty() {
        return Err(DataError("empty input: expected a JSON document".into()).into());
    }
    let value: Value = serde_json::from_str(text).context("invalid JSON")?;
    let mut total = Summary::default();
    let output = match value {
        Value::Array(items) => {
            let mut done = Vec::with_capacity(items.len());
            for chunk in items.chunks(RECORD_BATCH) {
                for (i, r) in engine
                    .anonymize_records(chunk)
                    .await?
                    .into_iter()
                    .enumerate()
                {
                    let r = r.with_context(|| format!("array element {}", done.len() + i))?;
                    total.merge(&r.summary);
                    done.push(r.record);
                }
            }
            Value::Array(done)
        }
        record => {
            let r = engine.anonymize_record(&record).await?;
            total.merge(&r.summary);
            r.record
        }
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    out.write_all(b"\n")?;
    Ok(total)
}
