//! Strict reading of a JSON object: every field must be consumed, so unknown or misspelt
//! fields become load errors naming the state and field instead of being ignored.

use crate::error::{LoadError, LoadErrorKind};
use crate::path::JsonPath;
use crate::template::Template;
use serde_json::{Map, Value};

pub(crate) struct Fields {
    state: Option<String>,
    /// Where this object sits inside the state, e.g. `Retry[1].` — prefixed to field names.
    prefix: String,
    map: Map<String, Value>,
}

/// InputPath/OutputPath/ResultPath distinguish "absent" (default `$`) from explicit `null`.
#[derive(Debug, Clone, PartialEq)]
pub enum PathField {
    Default,
    Null,
    Path(JsonPath),
}

impl Fields {
    pub fn new(state: Option<&str>, prefix: &str, v: &Value) -> Result<Self, LoadError> {
        let Value::Object(map) = v else {
            let field = prefix.trim_end_matches('.');
            return Err(LoadError::new(
                state,
                (!field.is_empty()).then_some(field),
                LoadErrorKind::WrongType("object"),
            ));
        };
        Ok(Fields {
            state: state.map(str::to_owned),
            prefix: prefix.to_owned(),
            map: map.clone(),
        })
    }

    pub fn err(&self, field: &str, kind: LoadErrorKind) -> LoadError {
        LoadError::new(
            self.state.as_deref(),
            Some(&format!("{}{field}", self.prefix)),
            kind,
        )
    }

    pub fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    pub fn unknown_keys(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }

    pub fn take(&mut self, field: &str) -> Option<Value> {
        self.map.remove(field)
    }

    pub fn opt_str(&mut self, field: &str) -> Result<Option<String>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(field, LoadErrorKind::WrongType("string"))),
        }
    }

    pub fn req_str(&mut self, field: &str) -> Result<String, LoadError> {
        self.opt_str(field)?
            .ok_or_else(|| self.err(field, LoadErrorKind::MissingField))
    }

    pub fn opt_bool(&mut self, field: &str) -> Result<Option<bool>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(self.err(field, LoadErrorKind::WrongType("boolean"))),
        }
    }

    pub fn opt_u64(&mut self, field: &str) -> Result<Option<u64>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.err(field, LoadErrorKind::WrongType("non-negative integer"))),
        }
    }

    pub fn opt_f64(&mut self, field: &str) -> Result<Option<f64>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(field, LoadErrorKind::WrongType("number"))),
        }
    }

    pub fn opt_array(&mut self, field: &str) -> Result<Option<Vec<Value>>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(self.err(field, LoadErrorKind::WrongType("array"))),
        }
    }

    pub fn opt_path(&mut self, field: &str) -> Result<Option<JsonPath>, LoadError> {
        match self.opt_str(field)? {
            None => Ok(None),
            Some(text) => JsonPath::parse(&text)
                .map(Some)
                .map_err(|reason| self.err(field, LoadErrorKind::BadPath { path: text, reason })),
        }
    }

    /// A path that may also be `null`. `$$` context paths make no sense here.
    pub fn path_field(&mut self, field: &str) -> Result<PathField, LoadError> {
        match self.take(field) {
            None => Ok(PathField::Default),
            Some(Value::Null) => Ok(PathField::Null),
            Some(Value::String(text)) => match JsonPath::parse(&text) {
                Ok(p) if !p.context => Ok(PathField::Path(p)),
                Ok(_) => Err(self.err(
                    field,
                    LoadErrorKind::BadPath {
                        path: text,
                        reason: "context paths are not allowed here".into(),
                    },
                )),
                Err(reason) => Err(self.err(field, LoadErrorKind::BadPath { path: text, reason })),
            },
            Some(_) => Err(self.err(field, LoadErrorKind::WrongType("string or null"))),
        }
    }

    pub fn opt_template(&mut self, field: &str) -> Result<Option<Template>, LoadError> {
        match self.take(field) {
            None => Ok(None),
            Some(v) => Template::compile(&v).map(Some).map_err(|(key, reason)| {
                LoadError::new(
                    self.state.as_deref(),
                    Some(&format!("{}{field}.{key}", self.prefix)),
                    LoadErrorKind::InvalidValue(reason),
                )
            }),
        }
    }

    /// Rejects a field this executor knows but does not implement.
    pub fn reject(&self, field: &str, why: &str) -> Result<(), LoadError> {
        if self.has(field) {
            return Err(self.err(field, LoadErrorKind::Unsupported(why.to_owned())));
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), LoadError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(self.err(k, LoadErrorKind::UnknownField)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leftover_field_is_reported_with_prefix() {
        let mut f = Fields::new(
            Some("S"),
            "Retry[0].",
            &json!({"ErrorEquals": [], "Bogus": 1}),
        )
        .unwrap();
        f.take("ErrorEquals");
        let e = f.finish().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("Retry[0].Bogus"));
        assert_eq!(e.kind, LoadErrorKind::UnknownField);
    }

    #[test]
    fn path_field_distinguishes_absent_null_and_path() {
        let mut f = Fields::new(None, "", &json!({"A": null, "B": "$.x"})).unwrap();
        assert_eq!(f.path_field("A").unwrap(), PathField::Null);
        assert!(matches!(f.path_field("B").unwrap(), PathField::Path(_)));
        assert_eq!(f.path_field("C").unwrap(), PathField::Default);
    }
}
