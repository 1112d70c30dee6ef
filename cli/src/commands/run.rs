use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use service::{JobLocation, JobSource, file_path};
use statemachine::{ExecutionStatus, Orchestrator, render_text};

use crate::args::{ExecutionsArgs, RunArgs};
use crate::exit::{DataError, ExecutionFailed, NoInput};
use crate::input::{json_document, open};
use crate::pipeline;
use service::Home;

/// Runs a state machine definition locally, on the same files the AWS deployment uses.
pub async fn run(home: &Home, args: RunArgs) -> Result<()> {
    // Refused here, as every other command refuses it, not as a failed execution.
    mask::Policy::resolve(&args.policy)?;
    let pipeline = pipeline::open_with_chunks(home, args.chunk_bytes)?;
    let (definition, custom) = match args.definition.as_str() {
        "documents" | "records" | "jobs" => (args.definition.clone(), None),
        path => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading definition {path}"))?;
            ("custom".to_string(), Some(("custom".to_string(), text)))
        }
    };
    let orchestrator = pipeline::orchestrator(home, pipeline, custom)?;
    let (input, name) = if definition == "jobs" {
        job_input(home, &args.input, &args.policy, args.name)?
    } else {
        let input = execution_input(&definition, &args.input, &args.policy)?;
        let name = args
            .name
            .unwrap_or_else(|| idempotent_name(&definition, &input));
        (input, name)
    };
    let handle = orchestrator
        .start_execution(&definition, Some(name), input)
        .await?;
    let done = orchestrator.wait_execution(&handle.id).await?;

    if args.history {
        eprintln!("{}", render_text(&orchestrator.history(&done.id)?));
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &done)?;
        writeln!(out)?;
    }
    match done.status {
        ExecutionStatus::Succeeded if definition == "jobs" => {
            let output = done.output.clone().unwrap_or(Value::Null);
            let counts = orchestrator.map_runs(&done.id).await?;
            let (total, succeeded, failed) = counts.iter().fold((0, 0, 0), |(t, s, f), c| {
                (t + c.total, s + c.succeeded, f + c.failed)
            });
            let results = output
                .pointer("/run/ResultWriterDetails")
                .map(|w| {
                    format!(
                        "{}/{}",
                        w["Bucket"].as_str().unwrap_or_default(),
                        w["Key"].as_str().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            if args.json {
                serde_json::to_writer_pretty(&mut out, &counts)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{total} documents: {succeeded} succeeded, {failed} failed\nresults: {results}"
                )?;
            }
            eprintln!("execution {} SUCCEEDED", done.id);
            Ok(())
        }
        ExecutionStatus::Succeeded => {
            let output = done.output.clone().unwrap_or(Value::Null);
            if !args.json {
                print_result(&mut out, &output)?;
            }
            eprintln!("execution {} SUCCEEDED", done.id);
            eprintln!("summary: {}", serde_json::to_string(&output["summary"])?);
            Ok(())
        }
        status => Err(ExecutionFailed {
            id: done.id.clone(),
            status: format!("{status:?}"),
            error: done.error.clone().unwrap_or_else(|| "no error name".into()),
            cause: done.cause.clone().unwrap_or_else(|| "no cause".into()),
        }
        .into()),
    }
}

fn print_result(out: &mut impl Write, output: &Value) -> Result<()> {
    match &output["output"] {
        Value::Object(o) if o.contains_key("ref") => {
            let reference = o["ref"].as_str().unwrap_or_default();
            let text = std::fs::read_to_string(file_path(reference)?)?;
            out.write_all(text.as_bytes())?;
            eprintln!("result: {reference}");
        }
        Value::Object(o) if o.contains_key("text") => {
            out.write_all(o["text"].as_str().unwrap_or_default().as_bytes())?;
        }
        other => {
            serde_json::to_writer_pretty(&mut *out, other)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn execution_input(definition: &str, input: &str, policy: &str) -> Result<Value> {
    if definition == "records" || definition == "custom" {
        let (reader, _) = open(Path::new(input))?;
        let value = json_document(reader).with_context(|| input.to_string())?;
        return Ok(if definition == "records" {
            json!({ "record": value, "policy": policy })
        } else {
            value
        });
    }
    let reference = if input.starts_with("s3://") {
        bail!(
            "{input}: s3:// references need the AWS deployment; locally use a file path or file://"
        );
    } else if let Some(path) = input.strip_prefix("file://") {
        absolute(Path::new(path))?
    } else {
        absolute(Path::new(input))?
    };
    if !reference.is_file() {
        return Err(DataError(format!("{} is not a file", reference.display())).into());
    }
    Ok(
        json!({ "document": { "ref": format!("file://{}", reference.display()) }, "policy": policy }),
    )
}

/// A job over a directory (every file under it) or a manifest file (a JSON array of
/// `{"Key"}` relative to its directory). Same source and policy, same name: a rerun
/// returns the recorded job.
fn job_input(
    home: &Home,
    input: &str,
    policy: &str,
    name: Option<String>,
) -> Result<(Value, String)> {
    let path = absolute(Path::new(input.strip_prefix("file://").unwrap_or(input)))?;
    let url = format!("file://{}", path.display());
    let source = if path.is_dir() {
        JobSource::Prefix(format!("{url}/"))
    } else {
        JobSource::Manifest { manifest: url }
    };
    let location =
        JobLocation::file(&source, &home.jobs()).map_err(|e| DataError(e.to_string()))?;
    let name = name
        .unwrap_or_else(|| idempotent_name("jobs", &json!({"source": source, "policy": policy})));
    Ok((service::job_input(&location, &name, policy), name))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path)
        .map_err(|e| NoInput(format!("cannot open {}: {e}", path.display())).into())
}

/// Same definition and input, same name: starting it again returns the recorded
/// execution instead of running the document twice (as StartExecution does on AWS).
fn idempotent_name(definition: &str, input: &Value) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(serde_json::to_vec(input).expect("JSON values serialize"));
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("{definition}-{hex}")
}

pub async fn executions(home: &Home, args: ExecutionsArgs) -> Result<()> {
    let pipeline = pipeline::open(home)?;
    let orchestrator = pipeline::orchestrator(home, pipeline, None)?;
    let mut out = std::io::stdout().lock();
    match args.id {
        Some(id) => {
            let description = orchestrator.describe_execution(&id).await?;
            serde_json::to_writer_pretty(&mut out, &description)?;
            writeln!(out)?;
            if args.history {
                writeln!(out, "{}", render_text(&orchestrator.history(&id)?))?;
            }
        }
        None => {
            for record in orchestrator.store().list(None)? {
                writeln!(
                    out,
                    "{}\t{:?}\t{}\t{}",
                    record.id, record.status, record.definition, record.started
                )?;
            }
        }
    }
    Ok(())
}
