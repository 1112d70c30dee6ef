//! Payload templates: Parameters, ResultSelector, ItemSelector. Keys ending in `.$` are
//! compiled once at load time into paths or intrinsic calls.

use crate::error::StatesError;
use crate::intrinsic::Intrinsic;
use crate::path::JsonPath;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Path(JsonPath),
    Intrinsic(Intrinsic),
}

/// A `.$` value: a path or an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Dynamic {
    Path(JsonPath),
    Intrinsic(Intrinsic),
}

impl Dynamic {
    pub fn parse(text: &str) -> Result<Self, String> {
        if Intrinsic::looks_like(text) {
            Intrinsic::parse(text).map(Dynamic::Intrinsic)
        } else {
            JsonPath::parse(text).map(Dynamic::Path)
        }
    }

    pub fn eval(&self, input: &Value, context: &Value, what: &str) -> Result<Value, StatesError> {
        match self {
            Dynamic::Path(p) => p.get(input, context).cloned().ok_or_else(|| {
                StatesError::runtime(format!(
                    "The JSONPath '{p}' specified for the field '{what}' could not be found in the input"
                ))
            }),
            Dynamic::Intrinsic(i) => i.eval(input, context),
        }
    }
}

impl Template {
    /// Compiles a template; `Err((key, reason))` names the offending `.$` key.
    pub fn compile(v: &Value) -> Result<Self, (String, String)> {
        match v {
            Value::Object(m) => {
                let mut fields = Vec::with_capacity(m.len());
                for (k, v) in m {
                    if let Some(name) = k.strip_suffix(".$") {
                        let Value::String(text) = v else {
                            return Err((k.clone(), "a .$ field needs a string value".into()));
                        };
                        let t = match Dynamic::parse(text).map_err(|e| (k.clone(), e))? {
                            Dynamic::Path(p) => Template::Path(p),
                            Dynamic::Intrinsic(i) => Template::Intrinsic(i),
                        };
                        fields.push((name.to_owned(), t));
                    } else {
                        fields.push((k.clone(), Template::compile(v)?));
                    }
                }
                Ok(Template::Object(fields))
            }
            Value::Array(a) => Ok(Template::Array(
                a.iter().map(Template::compile).collect::<Result<_, _>>()?,
            )),
            other => Ok(Template::Literal(other.clone())),
        }
    }

    pub fn eval(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        self.eval_named(input, context, "")
    }

    fn eval_named(&self, input: &Value, context: &Value, key: &str) -> Result<Value, StatesError> {
        match self {
            Template::Literal(v) => Ok(v.clone()),
            Template::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (k, t) in fields {
                    out.insert(k.clone(), t.eval_named(input, context, k)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => Ok(Value::Array(
                items
                    .iter()
                    .map(|t| t.eval_named(input, context, key))
                    .collect::<Result<_, _>>()?,
            )),
            Template::Path(p) => Dynamic::Path(p.clone()).eval(input, context, &format!("{key}.$")),
            Template::Intrinsic(i) => i.eval(input, context),
        }
    }

    /// The literal value of a top-level field, if it is static (used to find Lambda
    /// function names at load time).
    pub fn static_field(&self, name: &str) -> Option<&Value> {
        match self {
            Template::Object(fields) => fields.iter().find_map(|(k, t)| match t {
                Template::Literal(v) if k == name => Some(v),
                _ => None,
            }),
            _ => None,
        }
    }

    pub fn field_names(&self) -> Vec<&str> {
        match self {
            Template::Object(fields) => fields.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dollar_keys_resolve_against_input_and_context() {
        let t = Template::compile(&json!({
            "a.$": "$.x",
            "nested": {"id.$": "$$.Execution.Id", "lit": [1, {"b.$": "$.y"}]},
            "f.$": "States.Format('n={}', $.x)"
        }))
        .unwrap();
        let out = t
            .eval(
                &json!({"x": 5, "y": "z"}),
                &json!({"Execution": {"Id": "e1"}}),
            )
            .unwrap();
        assert_eq!(
            out,
            json!({"a": 5, "nested": {"id": "e1", "lit": [1, {"b": "z"}]}, "f": "n=5"})
        );
    }

    #[test]
    fn missing_path_is_runtime_error_naming_the_field() {
        let t = Template::compile(&json!({"a.$": "$.nope"})).unwrap();
        let e = t.eval(&json!({}), &Value::Null).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
        assert!(e.cause.contains("'a.$'"), "{}", e.cause);
    }

    #[test]
    fn bad_dollar_value_names_the_key() {
        let e = Template::compile(&json!({"x": {"k.$": 3}})).unwrap_err();
        assert_eq!(e.0, "k.$");
    }
}
