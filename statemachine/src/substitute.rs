//! `${Name}` placeholders, filled like CloudFormation `DefinitionSubstitutions`.
//!
//! Substitution works on parsed JSON strings, not on the raw text, so a value containing a
//! quote cannot change the structure of the definition.

use crate::error::{LoadError, LoadErrorKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub type Substitutions = BTreeMap<String, String>;

pub fn substitute(v: Value, subs: &Substitutions) -> Result<Value, LoadError> {
    Ok(match v {
        Value::String(s) => Value::String(substitute_str(&s, subs)?),
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(|v| substitute(v, subs))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(substitute_str(&k, subs)?, substitute(v, subs)?);
            }
            Value::Object(out)
        }
        other => other,
    })
}

fn substitute_str(s: &str, subs: &Substitutions) -> Result<String, LoadError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        let value = subs
            .get(name)
            .ok_or_else(|| LoadError::top(LoadErrorKind::UnresolvedPlaceholder(name.to_owned())))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replaces_placeholders_in_nested_strings() {
        let subs = Substitutions::from([("Fn".to_string(), "arn:x:\"q".to_string())]);
        let out = substitute(json!({"a": ["pre-${Fn}-post", 1], "${Fn}": true}), &subs).unwrap();
        assert_eq!(
            out,
            json!({"a": ["pre-arn:x:\"q-post", 1], "arn:x:\"q": true})
        );
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        let e = substitute(json!("${Missing}"), &Substitutions::new()).unwrap_err();
        assert_eq!(
            e.kind,
            LoadErrorKind::UnresolvedPlaceholder("Missing".into())
        );
    }
}
