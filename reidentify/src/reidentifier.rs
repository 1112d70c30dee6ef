use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use deidentify::{Deidentifier, parse_token, token_spans};
use serde::Serialize;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::{AuditAction, AuditLog, AuditRecord, CallContext, ReidentifyError};

const MAX_REASON_CHARS: usize = 1_000;
/// Most tokens one call may reveal.
pub const MAX_TOKENS_PER_CALL: usize = 10_000;
const MAX_DEPTH: usize = 128;

/// One token and, unless it was erased or never existed, its original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revealed {
    pub token: String,
    pub value: Option<String>,
}

/// What a call revealed or erased, with the id of the audit record written before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audited<T> {
    pub audit_id: String,
    pub value: T,
}

/// Re-identification with an audit trail. Every call records who, why and which tokens
/// BEFORE any vault read; a failed audit write means nothing is revealed (fail closed).
pub struct Reidentifier {
    deidentifier: Arc<Deidentifier>,
    audit: Arc<dyn AuditLog>,
}

impl Reidentifier {
    pub fn new(deidentifier: Arc<Deidentifier>, audit: Arc<dyn AuditLog>) -> Self {
        Self {
            deidentifier,
            audit,
        }
    }

    pub fn audit_log(&self) -> &Arc<dyn AuditLog> {
        &self.audit
    }

    pub async fn reveal_tokens(
        &self,
        tokens: &[String],
        ctx: &CallContext,
    ) -> Result<Audited<Vec<Revealed>>, ReidentifyError> {
        for token in tokens {
            parse_token(token).map_err(malformed)?;
        }
        let unique: Vec<String> = tokens
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let Audited { audit_id, value } = self.audited_reveal(&unique, ctx).await?;
        let by_token: HashMap<&str, &Option<Zeroizing<String>>> = unique
            .iter()
            .map(String::as_str)
            .zip(value.iter())
            .collect();
        let value = tokens
            .iter()
            .map(|t| Revealed {
                token: t.clone(),
                value: by_token
                    .get(t.as_str())
                    .and_then(|v| v.as_ref().map(|s| s.to_string())),
            })
            .collect();
        Ok(Audited { audit_id, value })
    }

    /// Replaces every token found in `text`; erased tokens stay as they are.
    pub async fn reidentify_text(
        &self,
        text: &str,
        ctx: &CallContext,
    ) -> Result<Audited<(String, usize)>, ReidentifyError> {
        let found = token_spans(text);
        let unique: Vec<String> = found
            .iter()
            .map(|&(start, end)| text[start..end].to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let Audited { audit_id, value } = self.audited_reveal(&unique, ctx).await?;
        let map = originals(&unique, &value);
        Ok(Audited {
            audit_id,
            value: substitute(text, &found, &map),
        })
    }

    /// Replaces tokens in every string of a JSON record.
    pub async fn reidentify_record(
        &self,
        record: &Value,
        ctx: &CallContext,
    ) -> Result<Audited<(Value, usize)>, ReidentifyError> {
        let mut strings = Vec::new();
        collect_strings(record, &mut strings)?;
        let mut unique = BTreeSet::new();
        for s in &strings {
            for (start, end) in token_spans(s) {
                unique.insert(s[start..end].to_string());
            }
        }
        let unique: Vec<String> = unique.into_iter().collect();
        let Audited { audit_id, value } = self.audited_reveal(&unique, ctx).await?;
        let map = originals(&unique, &value);
        let mut out = record.clone();
        let mut replaced = 0;
        for_each_string_mut(&mut out, &mut |s| {
            let spans = token_spans(s);
            if !spans.is_empty() {
                let (new, n) = substitute(s, &spans, &map);
                replaced += n;
                *s = new;
            }
        });
        Ok(Audited {
            audit_id,
            value: (out, replaced),
        })
    }

    /// Crypto-shreds one token after recording the erasure.
    pub async fn erase(
        &self,
        token: &str,
        ctx: &CallContext,
    ) -> Result<Audited<bool>, ReidentifyError> {
        parse_token(token).map_err(malformed)?;
        check_reason(ctx)?;
        let record = AuditRecord::new(AuditAction::Erase, ctx, vec![token.to_string()]);
        self.audit
            .append(&record)
            .await
            .map_err(ReidentifyError::AuditFailed)?;
        Ok(Audited {
            audit_id: record.id,
            value: self.deidentifier.erase(token).await?,
        })
    }

    async fn audited_reveal(
        &self,
        tokens: &[String],
        ctx: &CallContext,
    ) -> Result<Audited<Vec<Option<Zeroizing<String>>>>, ReidentifyError> {
        check_reason(ctx)?;
        if tokens.len() > MAX_TOKENS_PER_CALL {
            return Err(ReidentifyError::TooManyTokens {
                count: tokens.len(),
                max: MAX_TOKENS_PER_CALL,
            });
        }
        let record = AuditRecord::new(AuditAction::Reidentify, ctx, tokens.to_vec());
        self.audit
            .append(&record)
            .await
            .map_err(ReidentifyError::AuditFailed)?;
        let value = if tokens.is_empty() {
            Vec::new()
        } else {
            self.deidentifier.reveal(tokens).await?
        };
        Ok(Audited {
            audit_id: record.id,
            value,
        })
    }
}

/// Token → original, for the tokens that still have one.
fn originals<'a>(
    tokens: &'a [String],
    values: &'a [Option<Zeroizing<String>>],
) -> HashMap<&'a str, &'a str> {
    tokens
        .iter()
        .zip(values)
        .filter_map(|(t, v)| v.as_ref().map(|v| (t.as_str(), v.as_str())))
        .collect()
}

fn check_reason(ctx: &CallContext) -> Result<(), ReidentifyError> {
    let reason = ctx.reason.trim();
    if reason.is_empty() {
        return Err(ReidentifyError::MissingReason);
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ReidentifyError::ReasonTooLong {
            max: MAX_REASON_CHARS,
        });
    }
    Ok(())
}

fn substitute(text: &str, spans: &[(usize, usize)], map: &HashMap<&str, &str>) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut replaced = 0;
    for &(start, end) in spans {
        out.push_str(&text[cursor..start]);
        match map.get(&text[start..end]) {
            Some(value) => {
                out.push_str(value);
                replaced += 1;
            }
            None => out.push_str(&text[start..end]),
        }
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    (out, replaced)
}

fn collect_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) -> Result<(), ReidentifyError> {
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(ReidentifyError::TooDeep(MAX_DEPTH));
        }
        match v {
            Value::String(s) => out.push(s),
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

fn for_each_string_mut(value: &mut Value, f: &mut dyn FnMut(&mut String)) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => f(s),
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

/// A value that is not a token may be an original pasted by mistake: the error keeps what
/// `parse_token` says about its shape (its length), never the value.
fn malformed(e: deidentify::VaultError) -> ReidentifyError {
    match e {
        deidentify::VaultError::MalformedToken(shape) => ReidentifyError::MalformedToken(shape),
        _ => ReidentifyError::MalformedToken("not of the token shape".into()),
    }
}
