//! The JSONPath subset ASL reference paths need: `$`, `$.a.b`, `$['a b']`, `$.a[0]`, and the
//! context object `$$.…`. Wildcards, filters and slices are rejected at load time rather than
//! half-supported.

use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    /// `$$…`: resolved against the context object instead of the state input.
    pub context: bool,
    pub segments: Vec<Segment>,
    text: String,
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonPath {
    pub fn root() -> Self {
        JsonPath {
            context: false,
            segments: Vec::new(),
            text: "$".into(),
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let (context, mut rest) = if let Some(r) = text.strip_prefix("$$") {
            (true, r)
        } else if let Some(r) = text.strip_prefix('$') {
            (false, r)
        } else {
            return Err("must start with $".into());
        };
        let mut segments = Vec::new();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                let name = &r[..end];
                if name.is_empty() {
                    return Err("empty field name".into());
                }
                if name == "*" || name.contains(['*', '(', ')', '?', '@', ' ', '\'', '"']) {
                    return Err(format!("unsupported field syntax {name:?}"));
                }
                segments.push(Segment::Field(name.to_owned()));
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let close = r.find(']').ok_or("unclosed [")?;
                let inner = &r[..close];
                if let Some(quoted) = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                {
                    segments.push(Segment::Field(quoted.to_owned()));
                } else {
                    let idx: usize = inner
                        .parse()
                        .map_err(|_| format!("unsupported subscript [{inner}]"))?;
                    segments.push(Segment::Index(idx));
                }
                rest = &r[close + 1..];
            } else {
                return Err(format!("unexpected text {rest:?}"));
            }
        }
        Ok(JsonPath {
            context,
            segments,
            text: text.to_owned(),
        })
    }

    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// Looks the path up in `input` (or `context` for `$$` paths).
    pub fn get<'v>(&self, input: &'v Value, context: &'v Value) -> Option<&'v Value> {
        let mut cur = if self.context { context } else { input };
        for seg in &self.segments {
            cur = match (seg, cur) {
                (Segment::Field(name), Value::Object(m)) => m.get(name)?,
                (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// ResultPath semantics: writes `value` into `target` at this path, creating missing
    /// objects on the way. Fails when an existing non-object is in the way.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), String> {
        let Some((last, init)) = self.segments.split_last() else {
            *target = value;
            return Ok(());
        };
        let mut cur = target;
        for seg in init {
            cur = step_mut(cur, seg, &self.text)?;
        }
        match (last, cur) {
            (Segment::Field(name), Value::Object(m)) => {
                m.insert(name.clone(), value);
                Ok(())
            }
            (Segment::Index(i), Value::Array(a)) if *i < a.len() => {
                a[*i] = value;
                Ok(())
            }
            (_, other) => Err(format!(
                "cannot apply ResultPath {} to a {}",
                self.text,
                type_name(other)
            )),
        }
    }
}

fn step_mut<'v>(cur: &'v mut Value, seg: &Segment, text: &str) -> Result<&'v mut Value, String> {
    match seg {
        Segment::Field(name) => {
            let Value::Object(m) = cur else {
                return Err(format!(
                    "cannot apply ResultPath {text} to a {}",
                    type_name(cur)
                ));
            };
            Ok(m.entry(name.clone())
                .or_insert_with(|| Value::Object(Map::new())))
        }
        Segment::Index(i) => {
            let kind = type_name(cur);
            match cur {
                Value::Array(a) if *i < a.len() => Ok(&mut a[*i]),
                _ => Err(format!(
                    "cannot apply ResultPath {text}: no index {i} in a {kind}"
                )),
            }
        }
    }
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_fields_indices_and_quoted_names() {
        let p = JsonPath::parse("$.a['b c'][2].d").unwrap();
        assert_eq!(
            p.segments,
            vec![
                Segment::Field("a".into()),
                Segment::Field("b c".into()),
                Segment::Index(2),
                Segment::Field("d".into())
            ]
        );
        assert!(!p.context);
        assert!(JsonPath::parse("$$.Execution.Id").unwrap().context);
    }

    #[test]
    fn rejects_wildcards_filters_and_missing_dollar() {
        for bad in ["a.b", "$.a[*]", "$.*", "$..a", "$.a[?(@.x)]", "$.a[1:2]"] {
            assert!(JsonPath::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn get_reads_nested_values() {
        let v = json!({"a": {"b": [10, 20]}});
        let p = JsonPath::parse("$.a.b[1]").unwrap();
        assert_eq!(p.get(&v, &Value::Null), Some(&json!(20)));
        assert_eq!(
            JsonPath::parse("$.a.x").unwrap().get(&v, &Value::Null),
            None
        );
    }

    #[test]
    fn set_creates_missing_objects_and_refuses_scalars() {
        let mut v = json!({"a": 1});
        JsonPath::parse("$.x.y")
            .unwrap()
            .set(&mut v, json!(2))
            .unwrap();
        assert_eq!(v, json!({"a": 1, "x": {"y": 2}}));
        assert!(
            JsonPath::parse("$.a.b")
                .unwrap()
                .set(&mut v, json!(3))
                .is_err()
        );
    }
}
