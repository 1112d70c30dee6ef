//! The input of a local `anonymize` as one stream of pieces across its files, so the
//! workers of `ordered` stay busy across file boundaries: text in pieces of about
//! `TEXT_CHUNK_BYTES`, JSONL in batches of `RECORD_BATCH` lines, a JSON document whole,
//! and after each file's last piece an `End`, which completes its copy.

use std::io::Read;
use std::ops::Range;

use anyhow::{Context, Result};

use crate::args::InputFormat;
use crate::buffers::Buffers;
use crate::chunked_reader::ChunkedReader;
use crate::commands::anonymize::{RECORD_BATCH, TEXT_CHUNK_BYTES};
use crate::input::{JsonlRecords, open};
use crate::inputs::InputFile;

/// One piece of work from file number `file` of the run.
pub struct Piece {
    pub file: usize,
    pub work: Work,
    /// Input bytes this piece covers, for a progress bar.
    pub bytes_read: u64,
}

pub enum Work {
    Text(String),
    Lines(LineBatch),
    /// A whole JSON document: an array is a batch of records, anything else one record.
    Json(Vec<u8>),
    /// The file has no more pieces.
    End,
}

/// JSONL lines (blank ones skipped) and their line numbers: `RECORD_BATCH` of them for a
/// piece of `anonymize`.
pub struct LineBatch {
    pub text: String,
    pub lines: Vec<(usize, Range<usize>)>,
}

impl LineBatch {
    /// Up to `max` non-blank lines of `records`, in one of `buffers`; `read` is told the
    /// bytes of every line read. With the error that stopped the reading before `max`
    /// lines or the end, if one did: the lines before it are in the batch.
    pub fn read(
        records: &mut JsonlRecords<impl Read>,
        buffers: &Buffers,
        max: usize,
        mut read: impl FnMut(u64),
    ) -> (Self, Option<anyhow::Error>) {
        let mut batch = LineBatch {
            text: buffers.take_string(),
            lines: Vec::with_capacity(max),
        };
        while batch.lines.len() < max {
            match records.next_line(&mut read) {
                Ok(Some((line_no, line))) => {
                    let start = batch.text.len();
                    batch.text.push_str(line);
                    batch.lines.push((line_no, start..batch.text.len()));
                }
                Ok(None) => break,
                Err(e) => return (batch, Some(e)),
            }
        }
        (batch, None)
    }
}

type Reader = Box<dyn Read + Send>;

enum Source {
    Text(ChunkedReader<Reader>),
    Lines(JsonlRecords<Reader>),
    Json(Option<Reader>),
}

impl Source {
    fn new(format: InputFormat, reader: Reader) -> Self {
        match format {
            InputFormat::Json => Source::Json(Some(reader)),
            InputFormat::Jsonl => Source::Lines(JsonlRecords::new(reader)),
            InputFormat::Text | InputFormat::Auto => {
                Source::Text(ChunkedReader::new(reader, TEXT_CHUNK_BYTES))
            }
        }
    }

    /// The next piece and the input bytes it covers, or `None` at the end of the file.
    fn next(&mut self, buffers: &Buffers) -> Result<Option<(Work, u64)>> {
        match self {
            Source::Text(chunks) => Ok(chunks.next_chunk()?.map(|chunk| {
                let len = chunk.len() as u64;
                (Work::Text(chunk), len)
            })),
            Source::Lines(records) => next_batch(records, buffers),
            Source::Json(reader) => {
                let Some(mut reader) = reader.take() else {
                    return Ok(None);
                };
                let mut bytes = Vec::new();
                reader.read_to_end(&mut bytes)?;
                let len = bytes.len() as u64;
                Ok(Some((Work::Json(bytes), len)))
            }
        }
    }
}

/// The next batch of non-blank lines, or `None` at the end of the input. Its text is
/// one of `buffers`, which gets it back once the batch is written.
fn next_batch(
    records: &mut JsonlRecords<Reader>,
    buffers: &Buffers,
) -> Result<Option<(Work, u64)>> {
    let mut bytes_read = 0;
    let (batch, unread) = LineBatch::read(records, buffers, RECORD_BATCH, |n| bytes_read += n);
    // An unreadable line fails its whole piece.
    if let Some(e) = unread {
        buffers.give(batch.text.into_bytes());
        return Err(e);
    }
    if batch.lines.is_empty() {
        buffers.give(batch.text.into_bytes());
        return Ok(None);
    }
    Ok(Some((Work::Lines(batch), bytes_read)))
}

/// The pieces of `files`, one file after another; each file is opened when its turn
/// comes. Ends after the first error, which names its file.
pub struct Pieces<'a> {
    files: &'a [InputFile],
    buffers: &'a Buffers,
    next_file: usize,
    open: Option<(usize, Source)>,
}

impl<'a> Pieces<'a> {
    pub fn new(files: &'a [InputFile], buffers: &'a Buffers) -> Self {
        Self {
            files,
            buffers,
            next_file: 0,
            open: None,
        }
    }
}

impl Iterator for Pieces<'_> {
    type Item = Result<Piece>;

    fn next(&mut self) -> Option<Result<Piece>> {
        let (file, source) = match &mut self.open {
            Some((file, source)) => (*file, source),
            None => {
                let file = self.next_file;
                let input = self.files.get(file)?;
                self.next_file += 1;
                match open(&input.path) {
                    Ok((reader, _)) => {
                        let (_, source) =
                            self.open.insert((file, Source::new(input.format, reader)));
                        (file, source)
                    }
                    Err(e) => return Some(Err(self.stop(file, e))),
                }
            }
        };
        match source.next(self.buffers) {
            Ok(Some((work, bytes_read))) => Some(Ok(Piece {
                file,
                work,
                bytes_read,
            })),
            Ok(None) => {
                self.open = None;
                Some(Ok(Piece {
                    file,
                    work: Work::End,
                    bytes_read: 0,
                }))
            }
            Err(e) => Some(Err(self.stop(file, e))),
        }
    }
}

impl Pieces<'_> {
    /// No pieces after an error.
    fn stop(&mut self, file: usize, e: anyhow::Error) -> anyhow::Error {
        self.open = None;
        self.next_file = self.files.len();
        e.context(format!("anonymizing {}", self.files[file].label()))
    }
}

/// Adds which file an error is about.
pub fn in_file<T>(files: &[InputFile], file: usize, r: Result<T>) -> Result<T> {
    r.with_context(|| format!("anonymizing {}", files[file].label()))
}
