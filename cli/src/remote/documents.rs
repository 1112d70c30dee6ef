use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiClient;
use crate::exit::DataError;
use crate::output::Output;

#[derive(Debug, Args)]
pub struct DocumentsArgs {
    #[command(subcommand)]
    pub command: DocumentsCommand,
}

#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// Start a run on a document, wait for it and download the result.
    Run {
        /// An s3:// reference on AWS; for `piiflow serve`, a file:// reference or a local
        /// path (made absolute).
        source: String,
        #[arg(long, default_value = "default")]
        policy: String,
        /// Where to write the anonymized document. Default: stdout.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Print the run's id and return without waiting.
        #[arg(long)]
        no_wait: bool,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Print a run's status as JSON.
    Status { id: String },
    /// Wait for a run and download its result.
    Download {
        id: String,
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up waiting after this many seconds (the run goes on).
    #[arg(long, default_value_t = 900)]
    pub timeout: u64,
    /// Seconds between status requests.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub poll: u64,
}

#[derive(Deserialize)]
struct Started {
    id: String,
}

#[derive(Deserialize)]
struct Status {
    status: String,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// `piiflow --api URL documents …`.
pub async fn documents(api: &ApiClient, args: DocumentsArgs) -> Result<()> {
    match args.command {
        DocumentsCommand::Run {
            source,
            policy,
            out,
            no_wait,
            wait,
        } => {
            super::anonymize::builtin_only(&policy)?;
            let source = reference(&source)?;
            let started: Started = api
                .post(
                    "/v1/documents",
                    &json!({"source": source, "policy": policy}),
                )
                .await?;
            if no_wait {
                println!("{}", started.id);
                return Ok(());
            }
            eprintln!("document run {}", started.id);
            download(api, &started.id, out, &wait).await
        }
        DocumentsCommand::Status { id } => {
            let status: Value = api.get(&status_path(&id), &[]).await?;
            println!("{}", serde_json::to_string_pretty(&status)?);
            Ok(())
        }
        DocumentsCommand::Download { id, out, wait } => download(api, &id, out, &wait).await,
    }
}

/// A local path becomes an absolute file:// reference; references pass as they are.
fn reference(source: &str) -> Result<String> {
    if source.starts_with("s3://") || source.starts_with("file://") {
        return Ok(source.to_string());
    }
    let path = std::path::absolute(source).with_context(|| format!("resolving {source}"))?;
    if !path.is_file() {
        return Err(DataError(format!(
            "{source} is neither an s3:// or file:// reference nor a local file"
        ))
        .into());
    }
    Ok(format!("file://{}", path.display()))
}

fn status_path(id: &str) -> String {
    let safe: String = id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/v1/documents/{safe}")
}

async fn download(api: &ApiClient, id: &str, out: Option<PathBuf>, wait: &WaitArgs) -> Result<()> {
    let result = wait_for(api, id, wait).await?;
    let mut output = Output::open(out.as_deref())?;
    copy_result(&result, &mut output)
        .await
        .with_context(|| format!("downloading {result}"))?;
    output.finish()
}

/// Polls until the run ends; the result reference of a run that succeeded.
async fn wait_for(api: &ApiClient, id: &str, wait: &WaitArgs) -> Result<String> {
    let started = Instant::now();
    let spinner = if std::io::stderr().is_terminal() {
        let s = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .expect("valid template"),
        );
        s.enable_steady_tick(Duration::from_millis(200));
        s
    } else {
        ProgressBar::hidden()
    };
    spinner.set_message(format!("waiting for document run {id}"));
    let outcome = loop {
        let status: Status = api.get(&status_path(id), &[]).await?;
        match status.status.as_str() {
            "succeeded" => {
                break status.result.ok_or_else(|| {
                    anyhow::anyhow!("document run {id} succeeded without a result reference")
                });
            }
            "failed" => {
                break Err(DataError(format!(
                    "document run {id} failed: {}",
                    status.error.as_deref().unwrap_or("no error given")
                ))
                .into());
            }
            _ => {}
        }
        if started.elapsed() >= Duration::from_secs(wait.timeout) {
            break Err(anyhow::Error::new(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!(
                    "document run {id} still running after {} s; \
                     `piiflow documents download {id}` waits again",
                    wait.timeout
                ),
            )));
        }
        tokio::time::sleep(Duration::from_secs(wait.poll)).await;
    };
    spinner.finish_and_clear();
    outcome
}

/// Copies the result object: a file of this machine (`piiflow serve`), or, with the `aws`
/// feature, an S3 object.
async fn copy_result(result: &str, out: &mut impl Write) -> Result<()> {
    if let Some(path) = result.strip_prefix("file://") {
        let mut file = std::fs::File::open(path)?;
        std::io::copy(&mut file, out)?;
        return Ok(());
    }
    if let Some(s3) = result.strip_prefix("s3://") {
        return s3_copy(s3, out).await;
    }
    bail!("the result reference is neither file:// nor s3://")
}

#[cfg(feature = "aws")]
async fn s3_copy(bucket_key: &str, out: &mut impl Write) -> Result<()> {
    let (bucket, key) = bucket_key
        .split_once('/')
        .context("an s3:// reference without a key")?;
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_s3::Client::new(&config);
    let mut object = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{}", aws_sdk_s3::error::DisplayErrorContext(&e)))?;
    while let Some(bytes) = object.body.try_next().await? {
        out.write_all(&bytes)?;
    }
    Ok(())
}

#[cfg(not(feature = "aws"))]
async fn s3_copy(bucket_key: &str, _out: &mut impl Write) -> Result<()> {
    bail!(
        "this piiflow was built without the `aws` feature: download s3://{bucket_key} with \
         the AWS CLI (aws s3 cp)"
    )
}
