//! Choice rules: comparison operators, type tests and And/Or/Not, parsed strictly.

use crate::error::{LoadError, LoadErrorKind, StatesError};
use crate::fields::Fields;
use crate::path::JsonPath;
use serde_json::Value;
use std::cmp::Ordering;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Compare(Kind, Ordering, bool),
    StringMatches,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(JsonPath),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Test {
        variable: JsonPath,
        op: Op,
        operand: Operand,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub rule: Rule,
    pub next: String,
}

/// Operator names this executor implements (without the `Path` variants).
pub const SUPPORTED_OPERATORS: &[&str] = &[
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringLessThanEquals",
    "StringGreaterThanEquals",
    "StringMatches",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

fn op_from_name(name: &str) -> Option<Op> {
    let (kind, rest) = if let Some(r) = name.strip_prefix("String") {
        (Kind::String, r)
    } else if let Some(r) = name.strip_prefix("Numeric") {
        (Kind::Numeric, r)
    } else if let Some(r) = name.strip_prefix("Boolean") {
        (Kind::Boolean, r)
    } else if let Some(r) = name.strip_prefix("Timestamp") {
        (Kind::Timestamp, r)
    } else {
        return match name {
            "IsNull" => Some(Op::IsNull),
            "IsPresent" => Some(Op::IsPresent),
            "IsNumeric" => Some(Op::IsNumeric),
            "IsString" => Some(Op::IsString),
            "IsBoolean" => Some(Op::IsBoolean),
            "IsTimestamp" => Some(Op::IsTimestamp),
            _ => None,
        };
    };
    let (ord, or_equal) = match rest {
        "Equals" => (Ordering::Equal, false),
        "LessThan" => (Ordering::Less, false),
        "GreaterThan" => (Ordering::Greater, false),
        "LessThanEquals" => (Ordering::Less, true),
        "GreaterThanEquals" => (Ordering::Greater, true),
        "Matches" if kind == Kind::String => return Some(Op::StringMatches),
        _ => return None,
    };
    if kind == Kind::Boolean && ord != Ordering::Equal {
        return None;
    }
    Some(Op::Compare(kind, ord, or_equal))
}

impl Choice {
    pub(crate) fn parse(state: &str, index: usize, v: &Value) -> Result<Self, LoadError> {
        let prefix = format!("Choices[{index}].");
        let mut f = Fields::new(Some(state), &prefix, v)?;
        let next = f.req_str("Next")?;
        let rule = Rule::parse_fields(f)?;
        Ok(Choice { rule, next })
    }
}

impl Rule {
    fn parse_nested(state: &str, prefix: &str, v: &Value) -> Result<Self, LoadError> {
        let f = Fields::new(Some(state), prefix, v)?;
        if f.has("Next") {
            return Err(f.err(
                "Next",
                LoadErrorKind::InvalidValue("nested choice rules cannot have Next".into()),
            ));
        }
        Rule::parse_fields(f)
    }

    fn parse_fields(mut f: Fields) -> Result<Self, LoadError> {
        let state = f.state().unwrap_or_default().to_owned();
        f.opt_str("Comment")?;
        let base = f.name("");
        for combinator in ["And", "Or"] {
            if let Some(list) = f.opt_array(combinator)? {
                if list.is_empty() {
                    return Err(f.err(
                        combinator,
                        LoadErrorKind::InvalidValue("needs at least one rule".into()),
                    ));
                }
                let rules = list
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        Rule::parse_nested(&state, &format!("{base}{combinator}[{i}]."), r)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                f.finish()?;
                return Ok(if combinator == "And" {
                    Rule::And(rules)
                } else {
                    Rule::Or(rules)
                });
            }
        }
        if let Some(inner) = f.take("Not") {
            let rule = Rule::parse_nested(&state, &format!("{base}Not."), &inner)?;
            f.finish()?;
            return Ok(Rule::Not(Box::new(rule)));
        }
        let variable = f
            .opt_path("Variable")?
            .ok_or_else(|| f.err("Variable", LoadErrorKind::MissingField))?;
        let names: Vec<String> = f_keys(&f);
        let [name] = names.as_slice() else {
            return Err(f.err(
                "Variable",
                LoadErrorKind::InvalidValue(format!(
                    "needs exactly one comparison operator, found {names:?}"
                )),
            ));
        };
        let (base_name, is_path) = match name.strip_suffix("Path") {
            Some(b) if b != "StringMatches" && !b.starts_with("Is") => (b, true),
            _ => (name.as_str(), false),
        };
        let op = op_from_name(base_name).ok_or_else(|| {
            f.err(
                name,
                LoadErrorKind::Unsupported(format!(
                    "choice operator {name} (supported: {} and their Path variants)",
                    SUPPORTED_OPERATORS.join(", ")
                )),
            )
        })?;
        let raw = f.take(name).expect("listed above");
        let operand = if is_path {
            match raw.as_str().map(JsonPath::parse) {
                Some(Ok(p)) => Operand::Path(p),
                Some(Err(reason)) => {
                    return Err(f.err(
                        name,
                        LoadErrorKind::BadPath {
                            path: raw.to_string(),
                            reason,
                        },
                    ));
                }
                None => return Err(f.err(name, LoadErrorKind::WrongType("path string"))),
            }
        } else {
            check_operand(op, &raw).map_err(|want| f.err(name, LoadErrorKind::WrongType(want)))?;
            Operand::Value(raw)
        };
        f.finish()?;
        Ok(Rule::Test {
            variable,
            op,
            operand,
        })
    }

    pub fn eval(&self, input: &Value, context: &Value) -> Result<bool, StatesError> {
        match self {
            Rule::And(rules) => {
                for r in rules {
                    if !r.eval(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for r in rules {
                    if r.eval(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(r) => Ok(!r.eval(input, context)?),
            Rule::Test {
                variable,
                op,
                operand,
            } => {
                let value = variable.get(input, context);
                if *op == Op::IsPresent {
                    return Ok(value.is_some() == (operand == &Operand::Value(Value::Bool(true))));
                }
                let value = value.ok_or_else(|| {
                    StatesError::runtime(format!(
                        "Invalid path '{variable}': The choice state's condition path references an invalid value."
                    ))
                })?;
                let operand = match operand {
                    Operand::Value(v) => v,
                    Operand::Path(p) => p.get(input, context).ok_or_else(|| {
                        StatesError::runtime(format!(
                            "Invalid path '{p}': The choice state's comparison path references an invalid value."
                        ))
                    })?,
                };
                Ok(test(*op, value, operand))
            }
        }
    }
}

fn f_keys(f: &Fields) -> Vec<String> {
    // Fields hides its map; probe the operator names it could hold instead.
    let mut found = Vec::new();
    for base in SUPPORTED_OPERATORS {
        for name in [base.to_string(), format!("{base}Path")] {
            if f.has(&name) {
                found.push(name);
            }
        }
    }
    if found.is_empty() {
        found.extend(f.unknown_keys());
    }
    found
}

fn check_operand(op: Op, v: &Value) -> Result<(), &'static str> {
    let ok = match op {
        Op::Compare(Kind::String, ..) | Op::StringMatches => v.is_string(),
        Op::Compare(Kind::Numeric, ..) => v.is_number(),
        Op::Compare(Kind::Boolean, ..) => v.is_boolean(),
        Op::Compare(Kind::Timestamp, ..) => v.as_str().and_then(timestamp).is_some(),
        _ => v.is_boolean(),
    };
    if ok {
        Ok(())
    } else {
        Err(match op {
            Op::Compare(Kind::String, ..) | Op::StringMatches => "string",
            Op::Compare(Kind::Numeric, ..) => "number",
            Op::Compare(Kind::Timestamp, ..) => "RFC 3339 timestamp string",
            _ => "boolean",
        })
    }
}

pub(crate) fn timestamp(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn test(op: Op, value: &Value, operand: &Value) -> bool {
    let expect = operand.as_bool() == Some(true);
    match op {
        Op::IsNull => value.is_null() == expect,
        Op::IsNumeric => value.is_number() == expect,
        Op::IsString => value.is_string() == expect,
        Op::IsBoolean => value.is_boolean() == expect,
        Op::IsTimestamp => value.as_str().and_then(timestamp).is_some() == expect,
        Op::IsPresent => unreachable!("handled before the lookup"),
        Op::StringMatches => match (value.as_str(), operand.as_str()) {
            (Some(s), Some(p)) => glob(s, p),
            _ => false,
        },
        Op::Compare(kind, ord, or_equal) => {
            let actual = match kind {
                Kind::String => match (value.as_str(), operand.as_str()) {
                    (Some(a), Some(b)) => Some(a.cmp(b)),
                    _ => None,
                },
                Kind::Numeric => match (value.as_f64(), operand.as_f64()) {
                    (Some(a), Some(b)) => a.partial_cmp(&b),
                    _ => None,
                },
                Kind::Boolean => match (value.as_bool(), operand.as_bool()) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => None,
                },
                Kind::Timestamp => match (
                    value.as_str().and_then(timestamp),
                    operand.as_str().and_then(timestamp),
                ) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => None,
                },
            };
            // A type mismatch is "no match", not an error, as in Step Functions.
            match actual {
                Some(a) => a == ord || (or_equal && a == Ordering::Equal),
                None => false,
            }
        }
    }
}

/// StringMatches: `*` matches any run of characters; `\*` and `\\` are literals.
fn glob(s: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Ch(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => toks.push(Tok::Ch(it.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Ch(c)),
        }
    }
    let s: Vec<char> = s.chars().collect();
    let (mut si, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while si < s.len() {
        match toks.get(ti) {
            Some(Tok::Ch(c)) if *c == s[si] => {
                si += 1;
                ti += 1;
            }
            Some(Tok::Star) => {
                backtrack = Some((ti, si));
                ti += 1;
            }
            _ => match backtrack {
                Some((bt, bs)) => {
                    ti = bt + 1;
                    si = bs + 1;
                    backtrack = Some((bt, bs + 1));
                }
                None => return false,
            },
        }
    }
    toks[ti..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(v: Value) -> Result<Choice, LoadError> {
        let mut v = v;
        v["Next"] = json!("X");
        Choice::parse("C", 0, &v)
    }

    #[test]
    fn glob_matches_stars_and_escapes() {
        assert!(glob("log-2024.txt", "log-*.txt"));
        assert!(glob("abc", "*"));
        assert!(!glob("abc", "a*d"));
        assert!(glob("a*c", r"a\*c"));
        assert!(!glob("abc", r"a\*c"));
        assert!(glob("aXbXc", "a*b*c"));
    }

    #[test]
    fn numeric_type_mismatch_is_false_not_error() {
        let c = rule(json!({"Variable": "$.n", "NumericGreaterThan": 1})).unwrap();
        assert!(!c.rule.eval(&json!({"n": "5"}), &Value::Null).unwrap());
        assert!(c.rule.eval(&json!({"n": 5}), &Value::Null).unwrap());
    }

    #[test]
    fn missing_variable_is_runtime_error_except_is_present() {
        let c = rule(json!({"Variable": "$.n", "NumericEquals": 1})).unwrap();
        assert_eq!(
            c.rule.eval(&json!({}), &Value::Null).unwrap_err().error,
            "States.Runtime"
        );
        let c = rule(json!({"Variable": "$.n", "IsPresent": false})).unwrap();
        assert!(c.rule.eval(&json!({}), &Value::Null).unwrap());
    }

    #[test]
    fn unknown_operator_and_wrong_operand_type_are_load_errors() {
        let e = rule(json!({"Variable": "$.n", "NumericAlmostEquals": 1})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("Choices[0].NumericAlmostEquals"));
        let e = rule(json!({"Variable": "$.n", "NumericEquals": "1"})).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::WrongType("number"));
        assert!(rule(json!({"Variable": "$.n", "StringEquals": "a", "IsNull": true})).is_err());
    }

    #[test]
    fn nested_rules_cannot_have_next() {
        let e = rule(json!({"Not": {"Variable": "$.a", "IsNull": true, "Next": "Y"}})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("Choices[0].Not.Next"));
    }
}
