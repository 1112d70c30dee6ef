use std::io::{IsTerminal, Read, Write};

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use mask::Summary;
use serde_json::Value;
use std::ops::Range;

use service::{
    Engine, Entities, Home, InvalidRecord, StagedRecords, StagedTexts, StoredRecords, StoredTexts,
};

use crate::args::AnonymizeArgs;
use crate::buffers::Buffers;
use crate::exit::DataError;
use crate::input::{open, utf8};
use crate::inputs::{InputFile, Inputs, bytes_bar, files_bar};
use crate::local::Local;
use crate::ordered;
use crate::output::Output;
use crate::pieces::{LineBatch, Piece, Pieces, Work, in_file};

/// Text is handled in pieces of about this size, which bounds memory for any input.
pub const TEXT_CHUNK_BYTES: usize = 1 << 20;
/// Records per piece of work and vault transaction. Tokens are HMAC outputs, so a
/// transaction of fresh values dirties pages all over the vault's token index, each written
/// to the WAL once per transaction: the more values per transaction, the fewer pages per value
/// (about 4 values per customer record; 4,096 records wrote half the WAL bytes per value
/// that 1,024 did into a vault of ~130k items, and 8,192 took 7-9% fewer CPU seconds than
/// 4,096 for 100,000 fresh records, at about 100 MB more peak memory).
pub const RECORD_BATCH: usize = 8192;
/// A single JSONL line larger than this is refused rather than buffered.
pub const MAX_LINE_BYTES: usize = 64 << 20;

pub async fn run(home: &Home, args: AnonymizeArgs) -> Result<()> {
    let local = Local::open_or_init(home)?;
    let engine = local.engine(&args.input.policy)?;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let jobs = ordered::jobs_or_cores(args.jobs);
    let inputs = Inputs::of(&args)?;
    let bar = if inputs.directory {
        Progress::Files(files_bar(show_progress, inputs.files.len()))
    } else {
        let (_, len) = open(&inputs.files[0].path)?;
        let big = len.filter(|&l| l > 8 * TEXT_CHUNK_BYTES as u64);
        Progress::Bytes(big.map(|l| bytes_bar(show_progress, l)))
    };
    let total = anonymize_files(&engine, &inputs.files, &bar, jobs)?;
    bar.finish();
    if args.summary {
        eprintln!("{}", serde_json::to_string_pretty(&total)?);
    }
    Ok(())
}

/// A directory's bar counts files; a large file's counts bytes.
enum Progress {
    Files(ProgressBar),
    Bytes(Option<ProgressBar>),
}

impl Progress {
    fn finish(&self) {
        match self {
            Progress::Files(bar) | Progress::Bytes(Some(bar)) => bar.finish_and_clear(),
            Progress::Bytes(None) => {}
        }
    }
}

/// A piece once detected, masked and its new values sealed: the vault write is next.
enum Staged {
    Text(StagedTexts),
    Lines(StagedRecords, LineBatch),
    Json(Vec<u8>),
    End,
}

/// A piece once its new values are in the vault (a JSON document is done by then).
enum Stored {
    Text(StoredTexts),
    Lines(StoredRecords, LineBatch),
    Done(Vec<u8>, Summary),
    End,
}

/// A piece's anonymized bytes; `failed` is the error of the JSONL line after them.
struct Done {
    file: usize,
    bytes: Vec<u8>,
    summary: Summary,
    bytes_read: u64,
    failed: Option<anyhow::Error>,
    end: bool,
}

/// Anonymizes `files` as one stream of pieces on `jobs` workers: the pieces of the next
/// file are staged while the last ones of a file are still being written, the vault is
/// written one piece at a time in input order, and each copy gets the bytes a run on one
/// thread writes. Stops at the first error, leaving the files before it complete.
fn anonymize_files(
    engine: &Engine,
    files: &[InputFile],
    bar: &Progress,
    jobs: usize,
) -> Result<Summary> {
    let vault = tokio::runtime::Handle::current();
    // The batches' texts and their copies, each kind reused for its own kind.
    let held = ordered::in_flight(jobs);
    let (texts, copies) = (Buffers::new(held), Buffers::new(held));
    let stages = ordered::Stages {
        stage: |piece: Piece| {
            let staged = match piece.work {
                Work::Text(chunk) => {
                    let staged =
                        vault.block_on(engine.stage_texts(&[chunk.as_str()], Entities::Skip));
                    Staged::Text(in_file(files, piece.file, staged.map_err(Into::into))?)
                }
                Work::Lines(mut batch) => {
                    let staged = stage_lines(engine, &vault, &mut batch);
                    Staged::Lines(in_file(files, piece.file, staged)?, batch)
                }
                Work::Json(bytes) => Staged::Json(bytes),
                Work::End => Staged::End,
            };
            Ok((piece.file, piece.bytes_read, staged))
        },
        commit: |(file, bytes_read, staged): (usize, u64, Staged)| {
            let stored = match staged {
                Staged::Text(staged) => {
                    let stored = vault.block_on(engine.store_texts(staged));
                    Stored::Text(in_file(files, file, stored.map_err(Into::into))?)
                }
                Staged::Lines(staged, batch) => {
                    let stored = vault.block_on(engine.store_records(staged));
                    Stored::Lines(in_file(files, file, stored.map_err(Into::into))?, batch)
                }
                // A whole document, in order with the rest: JSON files are the small ones.
                Staged::Json(bytes) => {
                    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
                    let summary = vault.block_on(anonymize_json(engine, &bytes[..], &mut out));
                    Stored::Done(out, in_file(files, file, summary)?)
                }
                Staged::End => Stored::End,
            };
            Ok((file, bytes_read, stored))
        },
        finish: |(file, bytes_read, stored): (usize, u64, Stored)| {
            let mut done = Done {
                file,
                bytes: Vec::new(),
                summary: Summary::default(),
                bytes_read,
                failed: None,
                end: false,
            };
            match stored {
                Stored::Text(stored) => {
                    let text = engine.finish_texts(stored).map_err(Into::into);
                    let text = in_file(files, file, text)?
                        .pop()
                        .expect("one result per text");
                    done.bytes = text.text.into_bytes();
                    done.summary = text.summary;
                }
                Stored::Lines(stored, mut batch) => {
                    finish_lines(engine, files, file, stored, &mut batch, &mut done, &copies)?;
                    texts.give(batch.text.into_bytes());
                }
                Stored::Done(bytes, summary) => {
                    done.bytes = bytes;
                    done.summary = summary;
                }
                Stored::End => done.end = true,
            }
            Ok(done)
        },
    };
    let mut total = Summary::default();
    // One input's copy is there (as `.partial`) from the start, as the run waits for input;
    // a directory's copies each from their first piece.
    let mut writing: Option<(usize, Output)> = match (bar, files) {
        (Progress::Bytes(_), [only]) => {
            Some((0, in_file(files, 0, Output::open(only.target.as_deref()))?))
        }
        _ => None,
    };
    ordered::run(
        Pieces::new(files, &texts),
        jobs,
        ordered::in_flight(jobs),
        stages,
        |mut done: Done| {
            let input = &files[done.file];
            let out = match &mut writing {
                Some((file, out)) if *file == done.file => out,
                _ => {
                    if let (Progress::Files(bar), Some(rel)) = (bar, &input.rel) {
                        bar.set_message(rel.display().to_string());
                    }
                    let out = in_file(files, done.file, Output::open(input.target.as_deref()))?;
                    &mut writing.insert((done.file, out)).1
                }
            };
            in_file(
                files,
                done.file,
                out.write_all(&done.bytes).map_err(Into::into),
            )?;
            copies.give(std::mem::take(&mut done.bytes));
            total.merge(&done.summary);
            if let Progress::Bytes(Some(bar)) = bar {
                bar.inc(done.bytes_read);
            }
            if let Some(e) = done.failed {
                return in_file(files, done.file, Err(e));
            }
            if done.end {
                let (_, out) = writing.take().expect("a file ends after it was opened");
                in_file(files, done.file, out.finish())?;
                if let Progress::Files(bar) = bar {
                    bar.inc(1);
                }
            }
            Ok(())
        },
    )?;
    Ok(total)
}

/// Stages the batch's lines; its text moves into the staged batch. The engine reads a line
/// in compact canonical JSON (what serde_json writes, as most JSONL is) in place and
/// anonymizes it by splicing; it parses any other, so a bad line gets serde_json's error.
fn stage_lines(
    engine: &Engine,
    vault: &tokio::runtime::Handle,
    batch: &mut LineBatch,
) -> Result<StagedRecords> {
    let text = std::mem::take(&mut batch.text);
    let spans: Vec<Range<usize>> = batch.lines.iter().map(|(_, span)| span.clone()).collect();
    match vault.block_on(engine.stage_record_texts(text, &spans, Entities::Skip))? {
        Ok(staged) => Ok(staged),
        Err(InvalidRecord { index, error }) => {
            let line_no = batch.lines[index].0;
            Err(anyhow::Error::new(error).context(format!("line {line_no}: invalid JSON")))
        }
    }
}

/// The batch's anonymized lines, up to the first record that failed.
fn finish_lines(
    engine: &Engine,
    files: &[InputFile],
    file: usize,
    mut stored: StoredRecords,
    batch: &mut LineBatch,
    done: &mut Done,
    copies: &Buffers,
) -> Result<()> {
    // The text goes back into the batch, whose buffer is reused once the batch is done.
    batch.text = stored.take_text();
    let text = &batch.text;
    let records = engine.finish_record_outputs(stored).map_err(Into::into);
    let records = in_file(files, file, records)?;
    done.bytes = copies.take();
    done.bytes.reserve(text.len() + text.len() / 4);
    for (result, (line_no, _)) in records.into_iter().zip(&batch.lines) {
        match result {
            Ok((output, _, summary)) => {
                output.write_json(text, &mut done.bytes)?;
                done.bytes.push(b'\n');
                done.summary.merge(&summary);
            }
            Err(e) => {
                done.failed = Some(anyhow::Error::new(e).context(format!("line {line_no}")));
                break;
            }
        }
    }
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
