use std::io::Write;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::ApiClient;
use crate::args::{AuditArgs, EraseArgs, ReidentifyArgs};
use crate::exit::DataError;
use crate::reveal_file::{Revealer, reveal_file};

/// Text goes out in pieces of whole lines of about this size (tokens never span lines), to
/// stay under the API's 1 MiB body limit.
const TEXT_PIECE_BYTES: usize = 256 << 10;

#[derive(Deserialize)]
struct Revealed {
    #[serde(default)]
    tokens: Option<Vec<TokenValue>>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    record: Option<Value>,
}

#[derive(Deserialize, Serialize)]
struct TokenValue {
    token: String,
    #[serde(default)]
    value: Option<String>,
}

fn warn_principal(principal: &Option<String>) {
    if principal.is_some() {
        eprintln!(
            "piiflow: --principal is ignored with --api: the audit trail records who the \
             token says you are"
        );
    }
}

/// `piiflow --api URL reidentify`: the same lines on stdout as the local command.
pub async fn reidentify(api: &ApiClient, args: ReidentifyArgs) -> Result<()> {
    warn_principal(&args.principal);
    let reason = args.reason.as_str();
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
            let res: Revealed = api
                .post(
                    "/v1/reidentify",
                    &json!({"tokens": args.tokens, "reason": reason}),
                )
                .await?;
            for r in res.tokens.unwrap_or_default() {
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
        }
        Some(path) => {
            let revealer = RemoteRevealer { api, reason };
            reveal_file(&path, args.format, &revealer, &mut out).await?;
        }
    }
    out.flush()?;
    Ok(())
}

struct RemoteRevealer<'a> {
    api: &'a ApiClient,
    reason: &'a str,
}

#[async_trait::async_trait]
impl Revealer for RemoteRevealer<'_> {
    async fn record(&self, record: Value) -> Result<Value> {
        let res: Revealed = self
            .api
            .post(
                "/v1/reidentify",
                &json!({"record": record, "reason": self.reason}),
            )
            .await?;
        Ok(res.record.unwrap_or(Value::Null))
    }

    async fn text(&self, text: &str) -> Result<String> {
        let mut revealed = String::with_capacity(text.len());
        for piece in line_pieces(text, TEXT_PIECE_BYTES) {
            let res: Revealed = self
                .api
                .post(
                    "/v1/reidentify",
                    &json!({"text": piece, "reason": self.reason}),
                )
                .await?;
            revealed.push_str(&res.text.unwrap_or_default());
        }
        Ok(revealed)
    }
}

/// Consecutive pieces of `text` that end on a line end, each about `target` bytes (a
/// longer single line is one piece).
fn line_pieces(text: &str, target: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = if rest.len() <= target {
            rest.len()
        } else {
            let cut = rest.floor_char_boundary(target);
            match rest[..cut].rfind('\n') {
                Some(nl) => nl + 1,
                None => rest[cut..].find('\n').map_or(rest.len(), |nl| cut + nl + 1),
            }
        };
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

#[derive(Deserialize)]
struct Erased {
    erased: bool,
}

pub async fn erase(api: &ApiClient, args: EraseArgs) -> Result<()> {
    warn_principal(&args.principal);
    // The route takes no reason: the API records its own for erasures.
    let path = format!("/v1/tokens/{}", percent_encode_segment(&args.token));
    let res: Erased = api.delete(&path).await?;
    if res.erased {
        println!("erased {}: it can no longer be re-identified", args.token);
    } else {
        println!(
            "{} was not in the vault (already erased or never stored)",
            args.token
        );
    }
    Ok(())
}

fn percent_encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct AuditPage {
    items: Vec<Value>,
    #[serde(default)]
    next_cursor: Option<String>,
}

/// The audit trail, newest first, as JSON lines of the API's audit records; `--token`
/// filters the pages on this side, since the route has no such filter.
pub async fn audit(api: &ApiClient, args: AuditArgs) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut left = args.limit;
    let mut cursor: Option<String> = None;
    while left > 0 {
        let mut query = vec![("limit", left.min(100).to_string())];
        if let Some(p) = &args.principal {
            query.push(("subject", p.clone()));
        }
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let page: AuditPage = api.get("/v1/audit", &query).await?;
        for item in page.items {
            let wanted = args.token.as_ref().is_none_or(|t| {
                item["tokens"]
                    .as_array()
                    .is_some_and(|ts| ts.iter().any(|x| x.as_str() == Some(t.as_str())))
            });
            if wanted && left > 0 {
                serde_json::to_writer(&mut out, &item)?;
                writeln!(out)?;
                left -= 1;
            }
        }
        match page.next_cursor {
            Some(c) if left > 0 => cursor = Some(c),
            _ => break,
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_on_lines_and_cover_the_text() {
        let text = "aaaa\nbb\ncccccccccc\nd";
        let pieces: Vec<&str> = line_pieces(text, 6).collect();
        assert_eq!(pieces.concat(), text);
        for p in &pieces[..pieces.len() - 1] {
            assert!(p.ends_with('\n'), "{pieces:?}");
        }
        assert_eq!(line_pieces("", 6).count(), 0);
        assert_eq!(line_pieces("é\né", 1).collect::<Vec<_>>().concat(), "é\né");
    }

    #[test]
    fn token_path_segments_are_escaped() {
        assert_eq!(percent_encode_segment("EMAIL_AB2"), "EMAIL_AB2");
        assert_eq!(percent_encode_segment("a/b c"), "a%2Fb%20c");
    }
}
