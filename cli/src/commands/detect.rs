use std::io::Write;

use anyhow::{Context, Result};
use detect::offsets;
use service::Engine;

use crate::args::{DetectArgs, InputFormat};
use crate::chunked_reader::ChunkedReader;
use crate::commands::anonymize::TEXT_CHUNK_BYTES;
use crate::input::{JsonlRecords, json_document, open, resolve_format};
use crate::local::Local;
use crate::output::stdout_writer;
use service::Home;

/// Prints entities as JSON: one array for a text or JSON document (offsets in characters
/// from the start of the input), one array per line for JSONL.
pub async fn run(home: &Home, args: DetectArgs) -> Result<()> {
    let local = Local::for_detection(home)?;
    let engine = local.engine(&args.input.policy)?;
    let (reader, _) = open(&args.input.input)?;
    let format = resolve_format(&args.input.input, args.input.format);
    let mut out = stdout_writer()?;
    match format {
        InputFormat::Json => {
            let record = json_document(reader)?;
            let findings = engine.detect_record(&record)?;
            detect::write_entities_pretty(&mut out, &Engine::record_entities(&record, &findings))?;
            writeln!(out)?;
        }
        InputFormat::Jsonl => {
            let mut records = JsonlRecords::new(reader);
            while let Some((line_no, record)) = records.next_record(|_| {})? {
                let findings = engine
                    .detect_record(&record)
                    .with_context(|| format!("line {line_no}"))?;
                detect::write_entities_compact(
                    &mut out,
                    &Engine::record_entities(&record, &findings),
                )?;
                writeln!(out)?;
            }
        }
        InputFormat::Text | InputFormat::Auto => {
            // Each chunk's entities are written as soon as they are found, so memory stays
            // that of one chunk whatever the input's size; an error part-way leaves the
            // array unclosed and the exit status says why.
            let mut chunks = ChunkedReader::new(reader, TEXT_CHUNK_BYTES);
            let mut base_chars = 0;
            let mut array = detect::PrettyEntities::default();
            while let Some(chunk) = chunks.next_chunk()? {
                let mut detections = engine.detect_text(&chunk);
                base_chars += offsets::to_char_offsets(&chunk, &mut detections, base_chars);
                array.push_detections(&mut out, &detections)?;
                chunks.recycle(chunk);
            }
            array.finish(&mut out)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
