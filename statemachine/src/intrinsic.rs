//! Intrinsic functions (`States.Format(...)` and friends). Parsed at load time so an unknown
//! function or a wrong argument count is a `LoadError`, not a run-time surprise.

use crate::error::StatesError;
use crate::path::{JsonPath, type_name};
use serde_json::{Map, Value};

/// Functions this executor implements; everything else is rejected at load time.
pub const SUPPORTED_INTRINSICS: &[&str] = &[
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayLength",
    "States.ArrayGetItem",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayPartition",
    "States.ArrayUnique",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
    "States.JsonMerge",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A quoted string literal; `pieces` keeps `{}` holes apart from escaped `\{` `\}` braces
    /// for States.Format.
    Str {
        value: String,
        pieces: Vec<Piece>,
    },
    Literal(Value),
    Path(JsonPath),
    Call(Box<Intrinsic>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Hole,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    pub name: String,
    pub args: Vec<Arg>,
}

impl Intrinsic {
    pub fn looks_like(text: &str) -> bool {
        text.starts_with("States.")
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            src: text,
            i: 0,
        };
        let call = p.call()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("unexpected text after call at offset {}", p.i));
        }
        Ok(call)
    }

    pub fn eval(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        let args = self
            .args
            .iter()
            .map(|a| eval_arg(a, input, context))
            .collect::<Result<Vec<_>, _>>()?;
        call(self, args)
    }
}

fn check_arity(name: &str, n: usize) -> Result<(), String> {
    let ok = match name {
        "States.Format" => n >= 1,
        "States.Array" => true,
        "States.UUID" => n == 0,
        "States.StringToJson"
        | "States.JsonToString"
        | "States.ArrayLength"
        | "States.ArrayUnique" => n == 1,
        "States.ArrayGetItem"
        | "States.ArrayContains"
        | "States.ArrayPartition"
        | "States.MathAdd"
        | "States.StringSplit" => n == 2,
        "States.ArrayRange" | "States.JsonMerge" => n == 3,
        _ => {
            return Err(format!(
                "unsupported intrinsic {name} (supported: {})",
                SUPPORTED_INTRINSICS.join(", ")
            ));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{name} does not take {n} arguments"))
    }
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn call(&mut self) -> Result<Intrinsic, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'.')
        {
            self.i += 1;
        }
        let name = self.src[start..self.i].to_owned();
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            return Err(format!("expected ( after {name}"));
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b')') {
            self.i += 1;
        } else {
            loop {
                args.push(self.arg()?);
                self.ws();
                match self.s.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b')') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(format!("expected , or ) at offset {}", self.i)),
                }
            }
        }
        check_arity(&name, args.len())?;
        if name == "States.JsonMerge" && !matches!(args[2], Arg::Literal(Value::Bool(false))) {
            return Err(
                "States.JsonMerge supports only shallow merges (third argument false)".into(),
            );
        }
        Ok(Intrinsic { name, args })
    }

    fn arg(&mut self) -> Result<Arg, String> {
        self.ws();
        let rest = &self.src[self.i..];
        if rest.starts_with('\'') {
            return self.string();
        }
        if rest.starts_with('$') {
            let end = self.token_end();
            let text = &self.src[self.i..end];
            self.i = end;
            return JsonPath::parse(text).map(Arg::Path);
        }
        if rest.starts_with("States.") {
            return Ok(Arg::Call(Box::new(self.call()?)));
        }
        let end = self.token_end();
        let text = self.src[self.i..end].trim();
        self.i = end;
        let v: Value =
            serde_json::from_str(text).map_err(|_| format!("unrecognised argument {text:?}"))?;
        if v.is_array() || v.is_object() || v.is_string() {
            return Err(format!("unrecognised argument {text:?}"));
        }
        Ok(Arg::Literal(v))
    }

    fn token_end(&self) -> usize {
        let mut j = self.i;
        let mut in_quote = false;
        while j < self.s.len() {
            match self.s[j] {
                b'\'' => in_quote = !in_quote,
                b',' | b')' if !in_quote => break,
                _ => {}
            }
            j += 1;
        }
        j
    }

    fn string(&mut self) -> Result<Arg, String> {
        self.i += 1;
        let mut value = String::new();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = self.src[self.i..].char_indices();
        loop {
            let Some((off, c)) = chars.next() else {
                return Err("unterminated string literal".into());
            };
            match c {
                '\\' => {
                    let Some((_, e)) = chars.next() else {
                        return Err("dangling escape".into());
                    };
                    value.push(e);
                    text.push(e);
                }
                '\'' => {
                    self.i += off + 1;
                    break;
                }
                '{' if self.src[self.i + off..].starts_with("{}") => {
                    chars.next();
                    value.push_str("{}");
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                    pieces.push(Piece::Hole);
                }
                c => {
                    value.push(c);
                    text.push(c);
                }
            }
        }
        pieces.push(Piece::Text(text));
        Ok(Arg::Str { value, pieces })
    }
}

fn eval_arg(arg: &Arg, input: &Value, context: &Value) -> Result<Value, StatesError> {
    match arg {
        Arg::Str { value, .. } => Ok(Value::String(value.clone())),
        Arg::Literal(v) => Ok(v.clone()),
        Arg::Path(p) => p.get(input, context).cloned().ok_or_else(|| {
            StatesError::runtime(format!(
                "The JSONPath '{p}' could not be found in the input"
            ))
        }),
        Arg::Call(c) => c.eval(input, context),
    }
}

fn fail<T>(name: &str, why: impl std::fmt::Display) -> Result<T, StatesError> {
    Err(StatesError::intrinsic(format!("{name}: {why}")))
}

fn as_array<'v>(name: &str, v: &'v Value) -> Result<&'v Vec<Value>, StatesError> {
    v.as_array().map_or_else(
        || fail(name, format!("expected an array, got a {}", type_name(v))),
        Ok,
    )
}

fn as_int(name: &str, v: &Value) -> Result<i64, StatesError> {
    match v.as_i64() {
        Some(n) => Ok(n),
        None => fail(name, format!("expected an integer, got {v}")),
    }
}

fn format_arg(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn call(f: &Intrinsic, args: Vec<Value>) -> Result<Value, StatesError> {
    let name = f.name.as_str();
    match name {
        "States.Format" => {
            let pieces = match &f.args[0] {
                Arg::Str { pieces, .. } => pieces.clone(),
                _ => match &args[0] {
                    Value::String(s) => split_holes(s),
                    other => return fail(name, format!("template must be a string, got {other}")),
                },
            };
            let holes = pieces.iter().filter(|p| **p == Piece::Hole).count();
            if holes != args.len() - 1 {
                return fail(
                    name,
                    format!("{} placeholders but {} arguments", holes, args.len() - 1),
                );
            }
            let mut out = String::new();
            let mut rest = args[1..].iter();
            for p in &pieces {
                match p {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Hole => {
                        let v = rest.next().expect("counted above");
                        if v.is_object() || v.is_array() {
                            return fail(
                                name,
                                "arguments must be strings, numbers, booleans or null",
                            );
                        }
                        out.push_str(&format_arg(v));
                    }
                }
            }
            Ok(Value::String(out))
        }
        "States.StringToJson" => match &args[0] {
            Value::String(s) => serde_json::from_str(s).or_else(|e| fail(name, e)),
            other => fail(
                name,
                format!("expected a string, got a {}", type_name(other)),
            ),
        },
        "States.JsonToString" => Ok(Value::String(args[0].to_string())),
        "States.Array" => Ok(Value::Array(args)),
        "States.ArrayLength" => Ok(Value::from(as_array(name, &args[0])?.len())),
        "States.ArrayGetItem" => {
            let arr = as_array(name, &args[0])?;
            let i = as_int(name, &args[1])?;
            usize::try_from(i)
                .ok()
                .and_then(|i| arr.get(i))
                .cloned()
                .map_or_else(|| fail(name, format!("index {i} out of bounds")), Ok)
        }
        "States.ArrayContains" => Ok(Value::Bool(as_array(name, &args[0])?.contains(&args[1]))),
        "States.ArrayRange" => {
            let (start, end, step) = (
                as_int(name, &args[0])?,
                as_int(name, &args[1])?,
                as_int(name, &args[2])?,
            );
            if step == 0 {
                return fail(name, "step must not be 0");
            }
            let mut out = Vec::new();
            let mut n = start;
            while (step > 0 && n <= end) || (step < 0 && n >= end) {
                if out.len() >= 1000 {
                    return fail(name, "more than 1000 items");
                }
                out.push(Value::from(n));
                n += step;
            }
            Ok(Value::Array(out))
        }
        "States.ArrayPartition" => {
            let arr = as_array(name, &args[0])?;
            let size = as_int(name, &args[1])?;
            if size <= 0 {
                return fail(name, "chunk size must be positive");
            }
            Ok(Value::Array(
                arr.chunks(size as usize)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            ))
        }
        "States.ArrayUnique" => {
            let mut out: Vec<Value> = Vec::new();
            for v in as_array(name, &args[0])? {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Ok(Value::Array(out))
        }
        "States.MathAdd" => {
            let (a, b) = (as_int(name, &args[0])?, as_int(name, &args[1])?);
            a.checked_add(b)
                .map(Value::from)
                .map_or_else(|| fail(name, "overflow"), Ok)
        }
        "States.StringSplit" => match (&args[0], &args[1]) {
            (Value::String(s), Value::String(d)) => Ok(Value::Array(
                s.split(|c| d.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_owned()))
                    .collect(),
            )),
            _ => fail(name, "expected two strings"),
        },
        "States.UUID" => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        "States.JsonMerge" => match (&args[0], &args[1]) {
            (Value::Object(a), Value::Object(b)) => {
                let mut out: Map<String, Value> = a.clone();
                for (k, v) in b {
                    out.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(out))
            }
            _ => fail(name, "expected two objects"),
        },
        other => fail(other, "unsupported"),
    }
}

fn split_holes(s: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut parts = s.split("{}").peekable();
    while let Some(p) = parts.next() {
        pieces.push(Piece::Text(p.to_owned()));
        if parts.peek().is_some() {
            pieces.push(Piece::Hole);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, input: Value) -> Result<Value, StatesError> {
        Intrinsic::parse(expr).unwrap().eval(&input, &Value::Null)
    }

    #[test]
    fn format_fills_holes_and_keeps_escaped_braces() {
        let out = run(
            r"States.Format('Hi {} \{x\} {}', $.n, 3)",
            json!({"n": "Ann"}),
        )
        .unwrap();
        assert_eq!(out, json!("Hi Ann {x} 3"));
    }

    #[test]
    fn nested_calls_and_quotes() {
        let out = run(
            r"States.JsonToString(States.Array('it\'s', $.a, null, true))",
            json!({"a": 1}),
        )
        .unwrap();
        assert_eq!(out, json!(r#"["it's",1,null,true]"#));
    }

    #[test]
    fn unknown_function_and_bad_arity_are_load_errors() {
        assert!(Intrinsic::parse("States.Hash($.a, 'SHA-1')").is_err());
        assert!(Intrinsic::parse("States.MathAdd(1)").is_err());
        assert!(Intrinsic::parse("States.JsonMerge($.a, $.b, true)").is_err());
    }

    #[test]
    fn format_with_wrong_argument_count_is_intrinsic_failure() {
        let e = run("States.Format('{} {}', 1)", json!({})).unwrap_err();
        assert_eq!(e.error, "States.IntrinsicFailure");
    }

    #[test]
    fn array_helpers() {
        assert_eq!(
            run("States.ArrayRange(1, 9, 3)", json!({})).unwrap(),
            json!([1, 4, 7])
        );
        assert_eq!(
            run("States.ArrayPartition($.a, 2)", json!({"a": [1, 2, 3]})).unwrap(),
            json!([[1, 2], [3]])
        );
        assert_eq!(
            run("States.ArrayUnique($.a)", json!({"a": [1, 1, 2]})).unwrap(),
            json!([1, 2])
        );
        assert_eq!(
            run("States.StringSplit('a,b;c', ',;')", json!({})).unwrap(),
            json!(["a", "b", "c"])
        );
    }
}
