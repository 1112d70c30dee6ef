//! Iterative depth-first walk over a JSON value with an explicit stack.

use std::borrow::Cow;

use serde_json::{Number, Value};

use super::{FieldRule, FieldRules, RawValue, builtin_hint, escape_token};
use crate::DetectError;

/// A value the walk hands to its visitor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leaf<'a> {
    String(&'a str),
    Number(&'a Number),
}

/// What the walk needs of a JSON tree: a parsed [`Value`] and a record read in place
/// ([`RawValue`]) are walked by the same code.
trait Node<'v>: Copy {
    type Fields: Iterator<Item = (&'v str, Self)>;
    type Items: Iterator<Item = Self>;
    fn kind(self) -> NodeKind<Self::Fields, Self::Items>;
}

enum NodeKind<F, I> {
    Object(F),
    Array(I),
    Leaf,
    Other,
}

type ValueFields<'v> =
    std::iter::Map<serde_json::map::Iter<'v>, fn((&'v String, &'v Value)) -> (&'v str, &'v Value)>;

impl<'v> Node<'v> for &'v Value {
    type Fields = ValueFields<'v>;
    type Items = std::slice::Iter<'v, Value>;

    fn kind(self) -> NodeKind<Self::Fields, Self::Items> {
        match self {
            Value::Object(map) => {
                let field: fn((&'v String, &'v Value)) -> (&'v str, &'v Value) =
                    |(k, v)| (k.as_str(), v);
                NodeKind::Object(map.iter().map(field))
            }
            Value::Array(items) => NodeKind::Array(items.iter()),
            Value::String(_) | Value::Number(_) => NodeKind::Leaf,
            Value::Bool(_) | Value::Null => NodeKind::Other,
        }
    }
}

type RawField<'v, 'a> = &'v (Cow<'a, str>, RawValue<'a>);
type RawFields<'v, 'a> = std::iter::Map<
    std::slice::Iter<'v, (Cow<'a, str>, RawValue<'a>)>,
    fn(RawField<'v, 'a>) -> (&'v str, &'v RawValue<'a>),
>;

impl<'v, 'a> Node<'v> for &'v RawValue<'a> {
    type Fields = RawFields<'v, 'a>;
    type Items = std::slice::Iter<'v, RawValue<'a>>;

    fn kind(self) -> NodeKind<Self::Fields, Self::Items> {
        match self {
            RawValue::Object(fields) => {
                let field: fn(RawField<'v, 'a>) -> (&'v str, &'v RawValue<'a>) =
                    |(k, v)| (k.as_ref(), v);
                NodeKind::Object(fields.iter().map(field))
            }
            RawValue::Array(items) => NodeKind::Array(items.iter()),
            RawValue::String(_) | RawValue::Number(_) => NodeKind::Leaf,
            RawValue::Bool | RawValue::Null => NodeKind::Other,
        }
    }
}

enum Children<F, I> {
    Object(F),
    Array(std::iter::Enumerate<I>),
}

struct Frame<'v, N: Node<'v>> {
    children: Children<N::Fields, N::Items>,
    /// Length of the pointer of this container; children append one token to it.
    path_len: usize,
    /// The rule every child inherits unless its own rule says otherwise.
    inherited: Option<FieldRule>,
    /// For arrays: the key of the field holding the array, so `"emails": [..]` elements are
    /// hinted by `emails`.
    key: Option<&'v str>,
}

/// Visits every string and number in `root` in document order with its JSON Pointer and
/// the rule that applies to it: the caller's pointer rule, else the caller's key rule,
/// else a rule inherited from an enclosing container, else (when `builtin_hints`) the
/// built-in hint for its key. Built-in hints pass from an array's key to its elements but
/// not into objects, whose fields have keys of their own.
///
/// Containers nested deeper than `max_depth` (the root container is level 1) stop the walk
/// with [`DetectError::TooDeep`] naming the first such container. Never recurses.
pub fn walk<'a>(
    root: &'a Value,
    rules: &FieldRules,
    builtin_hints: bool,
    max_depth: usize,
    mut visit: impl FnMut(&str, Leaf<'a>, Option<FieldRule>),
) -> Result<(), DetectError> {
    walk_nodes(
        root,
        rules,
        builtin_hints,
        max_depth,
        |path, value, rule| match value {
            Value::String(s) => visit(path, Leaf::String(s), rule),
            Value::Number(n) => visit(path, Leaf::Number(n), rule),
            _ => {}
        },
    )
}

/// [`walk`] over a record read in place ([`RawValue`]): the same leaves, pointers and
/// rules in the same order, each leaf with the value itself (for its text and span).
/// [`RawValue::parse`] has kept the nesting within its limit, so there is no depth error.
pub fn walk_raw<'a, 'v>(
    root: &'v RawValue<'a>,
    rules: &FieldRules,
    builtin_hints: bool,
    visit: impl FnMut(&str, &'v RawValue<'a>, Option<FieldRule>),
) {
    let walked = walk_nodes(root, rules, builtin_hints, usize::MAX, visit);
    debug_assert!(walked.is_ok(), "no depth limit");
}

fn walk_nodes<'v, N: Node<'v>>(
    root: N,
    rules: &FieldRules,
    builtin_hints: bool,
    max_depth: usize,
    mut visit: impl FnMut(&str, N, Option<FieldRule>),
) -> Result<(), DetectError> {
    let mut stack: Vec<Frame<'v, N>> = Vec::new();
    let mut path = String::new();
    let mut key_buf = String::new();
    let mut pending: Option<(N, Option<&'v str>, Option<FieldRule>)> = Some((root, None, None));

    loop {
        if let Some((value, key, inherited)) = pending.take() {
            let mut key = LazyKey::new(key);
            let explicit = rules.for_pointer(&path).or_else(|| {
                if !rules.has_key_rules() {
                    return None;
                }
                rules.for_key(key.normalized(&mut key_buf)?)
            });
            let hint = || {
                if !builtin_hints {
                    return None;
                }
                builtin_hint(key.normalized(&mut key_buf)?).map(FieldRule::Entity)
            };
            match value.kind() {
                NodeKind::Object(fields) => {
                    check_depth(stack.len() + 1, max_depth, &path)?;
                    stack.push(Frame {
                        children: Children::Object(fields),
                        path_len: path.len(),
                        inherited: explicit.or(inherited),
                        key: None,
                    });
                }
                NodeKind::Array(items) => {
                    check_depth(stack.len() + 1, max_depth, &path)?;
                    let inherited = explicit.or(inherited).or_else(hint);
                    stack.push(Frame {
                        children: Children::Array(items.enumerate()),
                        path_len: path.len(),
                        inherited,
                        key: key.raw,
                    });
                }
                NodeKind::Leaf => visit(&path, value, explicit.or(inherited).or_else(hint)),
                NodeKind::Other => {}
            }
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        path.truncate(top.path_len);
        let inherited = top.inherited;
        match &mut top.children {
            Children::Object(iter) => match iter.next() {
                Some((k, v)) => {
                    escape_token(&mut path, k);
                    pending = Some((v, Some(k), inherited));
                }
                None => {
                    stack.pop();
                }
            },
            Children::Array(iter) => match iter.next() {
                Some((i, v)) => {
                    use std::fmt::Write;
                    let _ = write!(path, "/{i}");
                    pending = Some((v, top.key, inherited));
                }
                None => {
                    stack.pop();
                }
            },
        }
    }
}

/// A field's key, normalised on first use only: most values need it once (for the hint),
/// some never.
struct LazyKey<'a> {
    raw: Option<&'a str>,
    normalized: bool,
}

impl<'a> LazyKey<'a> {
    fn new(raw: Option<&'a str>) -> Self {
        LazyKey {
            raw,
            normalized: false,
        }
    }

    /// The normalised key, kept in `buf` between calls.
    fn normalized<'b>(&mut self, buf: &'b mut String) -> Option<&'b str> {
        let raw = self.raw?;
        if !self.normalized {
            normalize_into(raw, buf);
            self.normalized = true;
        }
        Some(buf)
    }
}

fn check_depth(depth: usize, max_depth: usize, path: &str) -> Result<(), DetectError> {
    if depth > max_depth {
        return Err(DetectError::TooDeep {
            limit: max_depth,
            path: path.to_string(),
        });
    }
    Ok(())
}

/// `normalize_key` into a reused buffer: the walk looks up every key. Copying the key and
/// fixing it up in place costs a fraction of rebuilding it char by char, and gives the same
/// string: only ASCII bytes are removed or changed.
fn normalize_into(key: &str, buf: &mut String) {
    buf.clear();
    buf.push_str(key);
    if key.bytes().any(|b| matches!(b, b'_' | b'-' | b'.' | b' ')) {
        buf.retain(|c| !matches!(c, '_' | '-' | '.' | ' '));
    }
    buf.make_ascii_lowercase();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType;
    use serde_json::json;

    fn leaves(v: &Value, rules: &FieldRules) -> Vec<(String, Option<FieldRule>)> {
        let mut out = Vec::new();
        walk(v, rules, true, 64, |p, _, r| out.push((p.to_string(), r))).unwrap();
        // Object order depends on serde_json's `preserve_order` feature; compare sorted.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn pointers_and_hints() {
        let v = json!({"email": "a@b.co", "tags": ["x"], "emails": ["c@d.co"], "n": {"first_name": "Ann"}, "a/b": "s"});
        let got = leaves(&v, &FieldRules::new());
        let email = Some(FieldRule::Entity(EntityType::Email));
        assert_eq!(
            got,
            vec![
                ("/a~1b".to_string(), None),
                ("/email".to_string(), email),
                ("/emails/0".to_string(), email),
                (
                    "/n/first_name".to_string(),
                    Some(FieldRule::Entity(EntityType::Name))
                ),
                ("/tags/0".to_string(), None),
            ]
        );
    }

    #[test]
    fn caller_rules_beat_hints_and_flow_into_containers() {
        let v = json!({"email": "a@b.co", "meta": {"x": "1", "email": "e@f.co"}, "name": "Widget"});
        let rules = FieldRules::new()
            .with("/meta", FieldRule::NotPii)
            .with("/meta/email", FieldRule::Entity(EntityType::Email))
            .with("name", FieldRule::Patterns);
        let got = leaves(&v, &rules);
        assert_eq!(
            got[1],
            (
                "/meta/email".to_string(),
                Some(FieldRule::Entity(EntityType::Email))
            )
        );
        assert_eq!(got[2], ("/meta/x".to_string(), Some(FieldRule::NotPii)));
        assert_eq!(got[3], ("/name".to_string(), Some(FieldRule::Patterns)));
    }

    #[test]
    fn normalize_into_agrees_with_normalize_key() {
        let mut buf = String::from("stale");
        for key in [
            "firstName",
            "E-Mail_Address",
            "a.b c",
            "ÄÖ_Ü-x",
            "",
            "_-. ",
            "mobileNumber",
        ] {
            normalize_into(key, &mut buf);
            assert_eq!(buf, crate::records::normalize_key(key), "{key:?}");
        }
    }

    #[test]
    fn depth_limit_names_the_container() {
        let v = json!({"a": [{"b": [1]}]});
        assert!(walk(&v, &FieldRules::new(), true, 4, |_, _, _| {}).is_ok());
        let err = walk(&v, &FieldRules::new(), true, 3, |_, _, _| {}).unwrap_err();
        match err {
            DetectError::TooDeep { limit, path } => {
                assert_eq!(limit, 3);
                assert_eq!(path, "/a/0/b");
            }
            e => panic!("{e}"),
        }
    }
}
