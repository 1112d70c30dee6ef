use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use mask::Summary;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiClient, RemoteError};
use crate::args::{AnonymizeArgs, InputFormat};
use crate::chunked_reader::ChunkedReader;
use crate::exit::DataError;
use crate::input::{JsonlRecords, open, utf8};
use crate::inputs::{InputFile, Inputs};
use crate::output::Output;

/// Text goes out in pieces of about this size (at most twice it, see `ChunkedReader`).
const TEXT_PIECE_BYTES: usize = 128 << 10;
/// A batch request is sent once it holds this many items or bytes. The API takes bodies up
/// to 1 MiB: a full batch plus one more piece, even with every quote escaped, stays below.
const BATCH_ITEMS: usize = 200;
const BATCH_BYTES: usize = 384 << 10;

#[derive(Deserialize)]
struct BatchResponse {
    items: Vec<BatchItem>,
}

#[derive(Deserialize)]
struct BatchItem {
    ok: bool,
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    error: Option<ItemError>,
}

#[derive(Deserialize)]
struct ItemError {
    code: String,
    message: String,
}

/// One anonymized item of a batch: the text or record and its summary.
struct Done {
    value: Value,
    summary: Summary,
}

/// Items for `POST /v1/anonymize/batch`, sent in requests that stay under the body limit.
struct Batcher<'a> {
    api: &'a ApiClient,
    policy: &'a str,
    items: Vec<Value>,
    bytes: usize,
}

impl<'a> Batcher<'a> {
    fn new(api: &'a ApiClient, policy: &'a str) -> Self {
        Self {
            api,
            policy,
            items: Vec::new(),
            bytes: 0,
        }
    }

    /// True when the caller should `flush` before pushing more.
    fn push(&mut self, key: &str, value: Value) -> bool {
        // The length of the item as sent, near enough: the serialized value plus its wrapper.
        self.bytes += serde_json::to_string(&value).map_or(0, |s| s.len()) + 64;
        self.items
            .push(json!({ key: value, "policy": self.policy }));
        self.items.len() >= BATCH_ITEMS || self.bytes >= BATCH_BYTES
    }

    /// Sends what was pushed; the results are in push order. `what` names item `i` in errors.
    async fn flush(&mut self, what: impl Fn(usize) -> String) -> Result<Vec<Done>> {
        if self.items.is_empty() {
            return Ok(Vec::new());
        }
        let body = json!({ "items": std::mem::take(&mut self.items) });
        self.bytes = 0;
        let res: BatchResponse = self.api.post("/v1/anonymize/batch", &body).await?;
        let mut done = Vec::with_capacity(res.items.len());
        for (i, item) in res.items.into_iter().enumerate() {
            match (item.ok, item.result, item.error) {
                (true, Some(result), _) => done.push(finished(result)?),
                (_, _, Some(e)) => {
                    let err = RemoteError::Api {
                        status: 200,
                        code: e.code,
                        message: crate::login::printable(&e.message, 500),
                        request_id: None,
                    };
                    return Err(anyhow::Error::new(err).context(what(i)));
                }
                _ => bail!(
                    "{}: the API answered neither a result nor an error",
                    what(i)
                ),
            }
        }
        Ok(done)
    }
}

/// The anonymized `text` or `record` of an `AnonymizeResponse`, and its summary.
fn finished(mut result: Value) -> Result<Done> {
    let summary: Summary = serde_json::from_value(result["summary"].take()).unwrap_or_default();
    let object = result.as_object_mut();
    let value = match object.and_then(|o| o.remove("text").or_else(|| o.remove("record"))) {
        Some(value) => value,
        None => {
            return Err(RemoteError::InvalidResponse {
                status: 200,
                reason: "a result without `text` or `record`".into(),
            }
            .into());
        }
    };
    Ok(Done { value, summary })
}

/// The API takes built-in policy names only: anything else is refused here, as a
/// configuration error like the local command's unknown policy, before any data is sent.
pub(super) fn builtin_only(policy: &str) -> Result<(), RemoteError> {
    if mask::Policy::builtin(policy).is_some() {
        return Ok(());
    }
    let builtin: Vec<&str> = mask::Policy::builtin_names().collect();
    Err(RemoteError::NotBuiltinPolicy {
        name: crate::login::printable(policy, 200),
        builtin: builtin.join(", "),
    })
}

/// `piiflow --api URL anonymize`: files, stdin and directories through the API.
pub async fn anonymize(api: &ApiClient, args: AnonymizeArgs) -> Result<()> {
    let policy = args.input.policy.as_str();
    builtin_only(policy)?;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let inputs = Inputs::of(&args)?;
    let total = inputs
        .each(show_progress, async |file: &InputFile| {
            anonymize_file(api, policy, &file.path, file.format, file.target.as_deref()).await
        })
        .await?;
    if args.summary {
        eprintln!("{}", serde_json::to_string_pretty(&total)?);
    }
    Ok(())
}

async fn anonymize_file(
    api: &ApiClient,
    policy: &str,
    path: &Path,
    format: InputFormat,
    target: Option<&Path>,
) -> Result<Summary> {
    let (reader, _) = open(path)?;
    let mut out = Output::open(target)?;
    let summary = match format {
        InputFormat::Json => json_document(api, policy, reader, &mut out).await?,
        InputFormat::Jsonl => json_lines(api, policy, reader, &mut out).await?,
        InputFormat::Text | InputFormat::Auto => text(api, policy, reader, &mut out).await?,
    };
    out.finish()?;
    Ok(summary)
}

async fn text(
    api: &ApiClient,
    policy: &str,
    reader: impl Read,
    out: &mut impl Write,
) -> Result<Summary> {
    let mut chunks = ChunkedReader::new(reader, TEXT_PIECE_BYTES);
    let mut batch = Batcher::new(api, policy);
    let mut total = Summary::default();
    let mut write = |done: Vec<Done>, out: &mut dyn Write| -> Result<()> {
        for d in done {
            out.write_all(d.value.as_str().unwrap_or_default().as_bytes())?;
            total.merge(&d.summary);
        }
        Ok(())
    };
    while let Some(chunk) = chunks.next_chunk()? {
        if batch.push("text", Value::String(chunk)) {
            write(batch.flush(|_| "text".into()).await?, out)?;
        }
    }
    write(batch.flush(|_| "text".into()).await?, out)?;
    Ok(total)
}

async fn json_lines(
    api: &ApiClient,
    policy: &str,
    reader: impl Read,
    out: &mut impl Write,
) -> Result<Summary> {
    let mut records = JsonlRecords::new(reader);
    let mut batch = Batcher::new(api, policy);
    let mut batch_lines: Vec<usize> = Vec::new();
    let mut total = Summary::default();
    while let Some((line_no, record)) = records.next_record(|_| {})? {
        batch_lines.push(line_no);
        if batch.push("record", record) {
            flush_lines(&mut batch, &mut batch_lines, out, &mut total).await?;
        }
    }
    flush_lines(&mut batch, &mut batch_lines, out, &mut total).await?;
    Ok(total)
}

async fn flush_lines(
    batch: &mut Batcher<'_>,
    lines: &mut Vec<usize>,
    out: &mut impl Write,
    total: &mut Summary,
) -> Result<()> {
    let numbers = std::mem::take(lines);
    for done in batch.flush(|i| format!("line {}", numbers[i])).await? {
        serde_json::to_writer(&mut *out, &done.value)?;
        out.write_all(b"\n")?;
        total.merge(&done.summary);
    }
    Ok(())
}

/// One JSON document: an array is a batch of records, anything else one record.
async fn json_document(
    api: &ApiClient,
    policy: &str,
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
            let mut batch = Batcher::new(api, policy);
            let mut done = Vec::with_capacity(items.len());
            for item in items {
                if batch.push("record", item) {
                    let base = done.len();
                    done.extend(
                        batch
                            .flush(|i| format!("array element {}", base + i))
                            .await?,
                    );
                }
            }
            let base = done.len();
            done.extend(
                batch
                    .flush(|i| format!("array element {}", base + i))
                    .await?,
            );
            Value::Array(
                done.into_iter()
                    .map(|d| {
                        total.merge(&d.summary);
                        d.value
                    })
                    .collect(),
            )
        }
        record => {
            let result: Value = api
                .post(
                    "/v1/anonymize",
                    &json!({"record": record, "policy": policy}),
                )
                .await?;
            let done = finished(result)?;
            total.merge(&done.summary);
            done.value
        }
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    out.write_all(b"\n")?;
    Ok(total)
}
