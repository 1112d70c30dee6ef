use std::io::{Read, Write};

use anyhow::{Context, Result, bail};
use reidentify::{AuditFilter, CallContext, Principal};
use serde_json::Value;

use crate::args::{AuditArgs, EraseArgs, InputFormat, ReidentifyArgs};
use crate::input::{open, resolve_format, utf8};
use crate::local::Local;
use service::Home;

fn context(principal: Option<String>, reason: String) -> CallContext {
    let sub = principal
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "local-user".into());
    CallContext {
        principal: Principal {
            sub,
            client_id: Some("piiflow-cli".into()),
            username: None,
        },
        reason,
        request_id: uuid::Uuid::new_v4().to_string(),
        source: Some("cli".into()),
        access_token: None,
    }
}

pub async fn run(home: &Home, args: ReidentifyArgs) -> Result<()> {
    let local = Local::open_existing(home)?;
    let reidentifier = local.reidentifier(home)?;
    let ctx = context(args.principal, args.reason);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match args.file {
        None => {
            if args.tokens.is_empty() {
                bail!(
                    "nothing to re-identify: give tokens, or --file FILE (or --file - for stdin)"
                );
            }
            for r in reidentifier.reveal_tokens(&args.tokens, &ctx).await?.value {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
        }
        Some(path) => {
            let (mut reader, _) = open(&path)?;
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes)?;
            let text = utf8(&bytes, None)?;
            match resolve_format(&path, args.format) {
                InputFormat::Json => {
                    let record: Value = serde_json::from_str(text).context("invalid JSON")?;
                    let (record, _) = reidentifier.reidentify_record(&record, &ctx).await?.value;
                    serde_json::to_writer_pretty(&mut out, &record)?;
                    writeln!(out)?;
                }
                InputFormat::Jsonl => {
                    for (i, line) in text.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        let record: Value = serde_json::from_str(line)
                            .with_context(|| format!("line {}: invalid JSON", i + 1))?;
                        let (record, _) =
                            reidentifier.reidentify_record(&record, &ctx).await?.value;
                        serde_json::to_writer(&mut out, &record)?;
                        writeln!(out)?;
                    }
                }
                InputFormat::Text | InputFormat::Auto => {
                    let (text, _) = reidentifier.reidentify_text(text, &ctx).await?.value;
                    out.write_all(text.as_bytes())?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn erase(home: &Home, args: EraseArgs) -> Result<()> {
    let local = Local::open_existing(home)?;
    let reidentifier = local.reidentifier(home)?;
    let ctx = context(args.principal, args.reason);
    if reidentifier.erase(&args.token, &ctx).await?.value {
        println!("erased {}: it can no longer be re-identified", args.token);
    } else {
        println!(
            "{} was not in the vault (already erased or never stored)",
            args.token
        );
    }
    Ok(())
}

pub async fn audit(home: &Home, args: AuditArgs) -> Result<()> {
    let local = Local::open_existing(home)?;
    let reidentifier = local.reidentifier(home)?;
    let mut filter = AuditFilter {
        token: args.token,
        sub: args.principal,
        since: args.since,
        until: args.until,
        limit: Some(args.limit as usize),
        cursor: args.cursor,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout());
    loop {
        let page = reidentifier.audit_log().query(&filter).await?;
        for record in &page.records {
            serde_json::to_writer(&mut out, record)?;
            writeln!(out)?;
        }
        match page.next_cursor {
            Some(next) if args.all => filter.cursor = Some(next),
            Some(next) => {
                out.flush()?;
                eprintln!("more records: --cursor {next}");
                break;
            }
            None => break,
        }
    }
    out.flush()?;
    Ok(())
}
