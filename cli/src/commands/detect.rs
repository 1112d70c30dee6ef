use std::io::Write;

use anyhow::{Context, Result};
use detect::{Detection, PrettyEntities, offsets};
use serde_json::Value;
use service::Engine;

use crate::args::{DetectArgs, InputFormat};
use crate::buffers::Buffers;
use crate::chunked_reader::ChunkedReader;
use crate::commands::anonymize::TEXT_CHUNK_BYTES;
use crate::input::{JsonlRecords, json_document, open, resolve_format};
use crate::local::Local;
use crate::ordered;
use crate::output::stdout_writer;
use crate::pieces::LineBatch;
use service::Home;

/// JSONL lines per piece of work: a few hundred KB of records.
const LINE_BATCH: usize = 1024;

/// Prints entities as JSON: one array for a text or JSON document (offsets in characters
/// from the start of the input), one array per line for JSONL. The chunks of a text and
/// the batches of lines of a JSONL file are detected on `--jobs` threads and written in
/// input order as each is done, so memory stays that of the pieces in flight whatever the
/// input's size; an error part-way leaves what came before it written (a text's array
/// unclosed) and the exit status says why.
pub async fn run(home: &Home, args: DetectArgs) -> Result<()> {
    let local = Local::for_detection(home)?;
    let engine = local.engine(&args.input.policy)?;
    let (reader, _) = open(&args.input.input)?;
    let format = resolve_format(&args.input.input, args.input.format);
    let jobs = ordered::jobs_or_cores(args.jobs);
    let mut out = stdout_writer()?;
    match format {
        InputFormat::Json => {
            let record = json_document(reader)?;
            let findings = engine.detect_record(&record)?;
            detect::write_entities_pretty(&mut out, &Engine::record_entities(&record, &findings))?;
            writeln!(out)?;
        }
        InputFormat::Jsonl => detect_lines(&engine, JsonlRecords::new(reader), jobs, &mut out)?,
        InputFormat::Text | InputFormat::Auto => {
            let chunks = ChunkedReader::new(reader, TEXT_CHUNK_BYTES);
            detect_text(&engine, chunks, jobs, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `ordered::run` on `jobs` workers, or on this thread alone for one.
fn run_pieces<In: Send, Out: Send>(
    input: impl Iterator<Item = Result<In>> + Send,
    jobs: usize,
    stage: impl Fn(In) -> Result<Out> + Sync,
    sink: impl FnMut(Out) -> Result<()>,
) -> Result<()> {
    let stages = ordered::Stages {
        stage,
        commit: Ok,
        finish: Ok,
    };
    if jobs == 1 {
        ordered::run_here(input, stages, sink)
    } else {
        ordered::run(input, jobs, ordered::in_flight(jobs), stages, sink)
    }
}

/// One array of the text's entities, its chunks detected in parallel.
fn detect_text<R: std::io::Read + Send>(
    engine: &Engine,
    mut chunks: ChunkedReader<R>,
    jobs: usize,
    out: &mut impl Write,
) -> Result<()> {
    // The chunks' memory, passed back from the writer to the reader.
    let spare = Buffers::new(ordered::in_flight(jobs));
    let input = std::iter::from_fn(|| {
        let buffer = spare.take_string();
        if buffer.capacity() > 0 {
            chunks.recycle(buffer);
        }
        chunks.next_chunk().map_err(Into::into).transpose()
    });
    // Offsets in chars from the chunk's start, and the chunk's length in chars: the writer
    // knows where the chunk starts.
    let stage = |chunk: String| {
        let mut detections = engine.detect_text(&chunk);
        let chars = offsets::to_char_offsets(&chunk, &mut detections, 0);
        Ok((chunk, detections, chars))
    };
    let mut base_chars = 0;
    let mut array = PrettyEntities::default();
    run_pieces(
        input,
        jobs,
        stage,
        |(chunk, mut detections, chars): (String, Vec<Detection>, usize)| {
            for d in &mut detections {
                d.start += base_chars;
                d.end += base_chars;
            }
            base_chars += chars;
            array.push_detections(out, &detections)?;
            spare.give(chunk.into_bytes());
            Ok(())
        },
    )?;
    array.finish(out)?;
    writeln!(out)?;
    Ok(())
}

/// Up to `LINE_BATCH` non-blank lines and their numbers; `unread` is the error that
/// stopped the reading after them.
struct Lines {
    batch: LineBatch,
    unread: Option<anyhow::Error>,
}

/// The entities of a batch's lines as JSONL; `failed` is the error of the line after them.
struct Written {
    bytes: Vec<u8>,
    failed: Option<anyhow::Error>,
}

/// One array per line, batches of lines detected in parallel.
fn detect_lines<R: std::io::Read + Send>(
    engine: &Engine,
    mut records: JsonlRecords<R>,
    jobs: usize,
    out: &mut impl Write,
) -> Result<()> {
    let held = ordered::in_flight(jobs);
    let (texts, copies) = (Buffers::new(held), Buffers::new(held));
    let mut ended = false;
    let input = std::iter::from_fn(|| {
        if ended {
            return None;
        }
        let (batch, unread) = LineBatch::read(&mut records, &texts, LINE_BATCH, |_| {});
        ended = unread.is_some() || batch.lines.len() < LINE_BATCH;
        (!batch.lines.is_empty() || unread.is_some()).then_some(Ok(Lines { batch, unread }))
    });
    let stage = |Lines { batch, unread }: Lines| {
        let mut written = Written {
            bytes: copies.take(),
            failed: None,
        };
        for (line_no, span) in &batch.lines {
            if let Err(e) = write_line(engine, &batch.text[span.clone()], &mut written.bytes)
                .with_context(|| format!("line {line_no}"))
            {
                written.failed = Some(e);
                break;
            }
        }
        if written.failed.is_none() {
            written.failed = unread;
        }
        texts.give(batch.text.into_bytes());
        Ok(written)
    };
    run_pieces(input, jobs, stage, |written: Written| {
        out.write_all(&written.bytes)?;
        copies.give(written.bytes);
        written.failed.map_or(Ok(()), Err)
    })
}

/// One line's entities, as one compact array and a newline.
fn write_line(engine: &Engine, line: &str, out: &mut Vec<u8>) -> Result<()> {
    let record: Value = serde_json::from_str(line).context("invalid JSON")?;
    let findings = engine.detect_record(&record)?;
    detect::write_entities_compact(out, &Engine::record_entities(&record, &findings))?;
    out.push(b'\n');
    Ok(())
}
