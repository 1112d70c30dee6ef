use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mask::Summary;
use serde_json::Value;
use service::{Engine, Entities, StoredRecords};

use crate::args::{AnonymizeArgs, InputFormat};
use crate::chunked_reader::ChunkedReader;
use crate::exit::DataError;
use crate::input::{JsonlRecords, files_below, is_stdin, open, resolve_format, utf8};
use crate::local::Local;
use crate::ordered;
use crate::output::Output;
use service::Home;

/// Text is handled in pieces of about this size, which bounds memory for any input.
pub const TEXT_CHUNK_BYTES: usize = 1 << 20;
/// Records per piece of work and vault transaction. Tokens are HMAC outputs, so a
/// transaction of fresh values dirties B-tree pages all over the vault, each written to the
/// WAL once per transaction: the more values per transaction, the fewer pages per value
/// (about 4 values per customer record; 4,096 records wrote half the WAL bytes per value
/// that 1,024 did into a vault of ~130k items).
pub const RECORD_BATCH: usize = 4096;
/// A single JSONL line larger than this is refused rather than buffered.
pub const MAX_LINE_BYTES: usize = 64 << 20;

pub async fn run(home: &Home, args: AnonymizeArgs) -> Result<()> {
    let local = Local::open_or_init(home)?;
    let engine = local.engine(&args.input.policy)?;
    let input = &args.input.input;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let jobs = args.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
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
            let summary = anonymize_file(&engine, file, format, Some(&target), None, jobs)
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
        total = anonymize_file(
            &engine,
            input,
            format,
            args.out.as_deref(),
            bar.as_ref(),
            jobs,
        )
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
    jobs: usize,
) -> Result<Summary> {
    let (reader, _) = open(path)?;
    let mut out = Output::open(target)?;
    let summary = match format {
        InputFormat::Json => anonymize_json(engine, reader, &mut out).await?,
        InputFormat::Jsonl => anonymize_jsonl(engine, reader, &mut out, bar, jobs).await?,
        InputFormat::Text | InputFormat::Auto => {
            anonymize_text(engine, reader, &mut out, bar, jobs).await?
        }
    };
    out.finish()?;
    Ok(summary)
}

pub async fn anonymize_text(
    engine: &Engine,
    reader: impl Read + Send,
    out: &mut impl Write,
    bar: Option<&ProgressBar>,
    jobs: usize,
) -> Result<Summary> {
    let mut chunks = ChunkedReader::new(reader, TEXT_CHUNK_BYTES);
    let input = std::iter::from_fn(move || chunks.next_chunk().map_err(Into::into).transpose());
    let vault = tokio::runtime::Handle::current();
    let mut total = Summary::default();
    let stages = ordered::Stages {
        stage: |chunk: String| {
            let staged = vault.block_on(engine.stage_texts(&[chunk.as_str()], Entities::Skip))?;
            Ok((staged, chunk.len()))
        },
        commit: |(staged, len)| Ok((vault.block_on(engine.store_texts(staged))?, len)),
        finish: |(stored, len)| {
            let mut done = engine.finish_texts(stored)?;
            Ok((done.pop().expect("one result per text"), len))
        },
    };
    ordered::run(input, jobs, in_flight(jobs), stages, |(done, len)| {
        out.write_all(done.text.as_bytes())?;
        total.merge(&done.summary);
        if let Some(bar) = bar {
            bar.inc(len as u64);
        }
        Ok(())
    })?;
    Ok(total)
}

/// Pieces held at once between the reader and the writer: one per worker, one being read
/// and one being written, so memory is a few pieces (a few MB each) per core.
fn in_flight(jobs: usize) -> usize {
    jobs + 2
}

/// Up to `RECORD_BATCH` JSONL lines (blank ones skipped) and their line numbers.
struct LineBatch {
    text: String,
    lines: Vec<(usize, std::ops::Range<usize>)>,
    bytes_read: u64,
}

/// Anonymized JSONL lines of one batch; `failed` is the error of the line after them.
struct RecordsDone {
    jsonl: Vec<u8>,
    summary: Summary,
    bytes_read: u64,
    failed: Option<anyhow::Error>,
}

pub async fn anonymize_jsonl(
    engine: &Engine,
    reader: impl Read + Send,
    out: &mut impl Write,
    bar: Option<&ProgressBar>,
    jobs: usize,
) -> Result<Summary> {
    let mut records = JsonlRecords::new(reader);
    let input = std::iter::from_fn(move || next_batch(&mut records).transpose());
    let vault = tokio::runtime::Handle::current();
    let mut total = Summary::default();
    let stages = ordered::Stages {
        stage: |batch: LineBatch| {
            let mut values = Vec::with_capacity(batch.lines.len());
            for (line_no, range) in &batch.lines {
                values.push(
                    serde_json::from_str::<Value>(&batch.text[range.clone()])
                        .with_context(|| format!("line {line_no}: invalid JSON"))?,
                );
            }
            let staged = vault.block_on(engine.stage_records(values, Entities::Skip))?;
            Ok((staged, batch))
        },
        commit: |(staged, batch)| Ok((vault.block_on(engine.store_records(staged))?, batch)),
        finish: |(stored, batch): (StoredRecords, LineBatch)| {
            let mut done = RecordsDone {
                jsonl: Vec::with_capacity(batch.text.len() + batch.text.len() / 4),
                summary: Summary::default(),
                bytes_read: batch.bytes_read,
                failed: None,
            };
            for (result, (line_no, _)) in
                engine.finish_records(stored)?.into_iter().zip(&batch.lines)
            {
                match result {
                    Ok(r) => {
                        serde_json::to_writer(&mut done.jsonl, &r.record)?;
                        done.jsonl.push(b'\n');
                        done.summary.merge(&r.summary);
                    }
                    Err(e) => {
                        done.failed =
                            Some(anyhow::Error::new(e).context(format!("line {line_no}")));
                        break;
                    }
                }
            }
            Ok(done)
        },
    };
    ordered::run(input, jobs, in_flight(jobs), stages, |done: RecordsDone| {
        out.write_all(&done.jsonl)?;
        total.merge(&done.summary);
        if let Some(bar) = bar {
            bar.inc(done.bytes_read);
        }
        done.failed.map_or(Ok(()), Err)
    })?;
    Ok(total)
}

/// The next batch of non-blank lines, or `None` at the end of the input.
fn next_batch(records: &mut JsonlRecords<impl Read>) -> Result<Option<LineBatch>> {
    let mut batch = LineBatch {
        text: String::new(),
        lines: Vec::with_capacity(RECORD_BATCH),
        bytes_read: 0,
    };
    while batch.lines.len() < RECORD_BATCH {
        let mut read = 0;
        let Some((line_no, line)) = records.next_line(|n| read += n)? else {
            break;
        };
        batch.bytes_read += read;
        let start = batch.text.len();
        batch.text.push_str(line);
        batch.lines.push((line_no, start..batch.text.len()));
    }
    Ok((!batch.lines.is_empty()).then_some(batch))
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
