//! InputPath, ResultPath and OutputPath: the data-flow glue around every state.

use crate::error::{STATES_RESULT_PATH_MATCH_FAILURE, StatesError};
use crate::fields::PathField;
use serde_json::{Map, Value};

/// InputPath/OutputPath: `null` gives `{}`; a path that does not resolve is a run-time
/// failure, which Step Functions does not let Catch handle.
pub fn select(
    p: &PathField,
    input: &Value,
    context: &Value,
    field: &str,
) -> Result<Value, StatesError> {
    match p {
        PathField::Default => Ok(input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(path) => path.get(input, context).cloned().ok_or_else(|| {
            StatesError::runtime(format!(
                "Invalid path '{path}' : The {field} could not be found in the input"
            ))
        }),
    }
}

/// ResultPath: where `result` goes in the state's raw input. `null` discards the result.
pub fn merge(p: &PathField, raw_input: &Value, result: Value) -> Result<Value, StatesError> {
    match p {
        PathField::Default => Ok(result),
        PathField::Null => Ok(raw_input.clone()),
        PathField::Path(path) if path.is_root() => Ok(result),
        PathField::Path(path) => {
            let mut target = raw_input.clone();
            path.set(&mut target, result)
                .map_err(|why| StatesError::new(STATES_RESULT_PATH_MATCH_FAILURE, why))?;
            Ok(target)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::JsonPath;
    use serde_json::json;

    fn path(s: &str) -> PathField {
        PathField::Path(JsonPath::parse(s).unwrap())
    }

    #[test]
    fn result_path_variants() {
        let input = json!({"a": 1});
        assert_eq!(
            merge(&PathField::Default, &input, json!(2)).unwrap(),
            json!(2)
        );
        assert_eq!(merge(&PathField::Null, &input, json!(2)).unwrap(), input);
        assert_eq!(merge(&path("$"), &input, json!(2)).unwrap(), json!(2));
        assert_eq!(
            merge(&path("$.b.c"), &input, json!(2)).unwrap(),
            json!({"a": 1, "b": {"c": 2}})
        );
        let e = merge(&path("$.a.b"), &input, json!(2)).unwrap_err();
        assert_eq!(e.error, "States.ResultPathMatchFailure");
    }

    #[test]
    fn select_null_gives_empty_object_and_missing_is_runtime() {
        let input = json!({"a": 1});
        assert_eq!(
            select(&PathField::Null, &input, &Value::Null, "InputPath").unwrap(),
            json!({})
        );
        let e = select(&path("$.x"), &input, &Value::Null, "InputPath").unwrap_err();
        assert_eq!(e.error, "States.Runtime");
    }
}
