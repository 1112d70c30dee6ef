use std::io::Write;

use anyhow::{Context, Result};
use reidentify::{AuditFilter, CallContext, Principal, Reidentifier};
use serde_json::Value;

use crate::args::{AuditArgs, EraseArgs, ReidentifyArgs};
use crate::exit::{AuditUnwritable, DataError};
use crate::local::Local;
use crate::reveal_file::{Revealer, reveal_file};
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

struct LocalRevealer<'a> {
    reidentifier: &'a Reidentifier,
    ctx: &'a CallContext,
}

#[async_trait::async_trait]
impl Revealer for LocalRevealer<'_> {
    async fn record(&self, record: Value) -> Result<Value> {
        let (record, _) = self
            .reidentifier
            .reidentify_record(&record, self.ctx)
            .await?
            .value;
        Ok(record)
    }

    async fn text(&self, text: &str) -> Result<String> {
        let (text, _) = self
            .reidentifier
            .reidentify_text(text, self.ctx)
            .await?
            .value;
        Ok(text)
    }
}

pub async fn run(home: &Home, args: ReidentifyArgs) -> Result<()> {
    let local = Local::open_existing(home)?;
    let reidentifier = local.reidentifier(home).context(AuditUnwritable)?;
    let ctx = context(args.principal, args.reason);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match args.file {
        None => {
            if args.tokens.is_empty() {
                return Err(DataError(
                    "nothing to re-identify: give tokens, or --file FILE (or --file - for stdin)"
                        .into(),
                )
                .into());
            }
            for r in reidentifier.reveal_tokens(&args.tokens, &ctx).await?.value {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
        }
        Some(path) => {
            let revealer = LocalRevealer {
                reidentifier: &reidentifier,
                ctx: &ctx,
            };
            reveal_file(&path, args.format, &revealer, &mut out).await?;
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn erase(home: &Home, args: EraseArgs) -> Result<()> {
    let local = Local::open_existing(home)?;
    let reidentifier = local.reidentifier(home).context(AuditUnwritable)?;
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
