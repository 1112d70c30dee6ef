//! A record read in place: a tree of borrowed slices of its JSON text, with the byte span of
//! every string and number, so an anonymized record can be written by splicing new values
//! into the input instead of parsing it into `serde_json::Value` objects and writing them
//! out again.
//!
//! Only text that `serde_json` would write back byte for byte is read this way ("compact
//! canonical" JSON: no whitespace between tokens, strings escaped only where serde_json
//! escapes, numbers as serde_json prints them, no repeated key in an object, no container
//! nested deeper than the caller's limit). For anything else [`RawValue::parse`] answers
//! `None` and the caller parses the text into a `serde_json::Value`, which gives every
//! error and every normalisation its usual answer. So both ways give the same output.

use std::borrow::Cow;
use std::ops::Range;

/// A JSON value borrowed from its text.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue<'a> {
    Null,
    Bool,
    /// The number's JSON text, which is also its `serde_json::Number` display.
    Number(RawScalar<&'a str>),
    String(RawScalar<Cow<'a, str>>),
    Array(Vec<RawValue<'a>>),
    Object(Vec<(Cow<'a, str>, RawValue<'a>)>),
}

/// A string's text (unescaped) or a number's, and the byte span of its JSON text (quotes
/// included) in the record's text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawScalar<T> {
    pub text: T,
    pub span: Range<usize>,
}

/// Objects with more keys than this are checked for repeated keys by sorting.
const LINEAR_KEY_CHECK: usize = 16;

impl<'a> RawValue<'a> {
    /// `text` (one JSON value, with optional whitespace around it) read in place, or
    /// `None` when it is not compact canonical JSON nested at most `max_depth` deep (the
    /// root container is level 1), invalid JSON included.
    pub fn parse(text: &'a str, max_depth: usize) -> Option<RawValue<'a>> {
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
            max_depth,
        };
        p.skip_ws();
        let value = p.value(0)?;
        p.skip_ws();
        (p.at == p.bytes.len()).then_some(value)
    }

    /// The byte span of the value's JSON text, for strings and numbers.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            RawValue::Number(n) => Some(n.span.clone()),
            RawValue::String(s) => Some(s.span.clone()),
            _ => None,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.bytes.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.bytes[self.at..]
            .starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    /// `depth` is the number of containers around this value.
    fn value(&mut self, depth: usize) -> Option<RawValue<'a>> {
        match *self.bytes.get(self.at)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(RawValue::String),
            b't' => self.literal("true").map(|()| RawValue::Bool),
            b'f' => self.literal("false").map(|()| RawValue::Bool),
            b'n' => self.literal("null").map(|()| RawValue::Null),
            b'-' | b'0'..=b'9' => self.number().map(RawValue::Number),
            _ => None,
        }
    }

    fn object(&mut self, depth: usize) -> Option<RawValue<'a>> {
        if depth > self.max_depth {
            return None;
        }
        self.at += 1;
        let mut fields: Vec<(Cow<'a, str>, RawValue<'a>)> = Vec::new();
        if self.eat(b'}').is_some() {
            return Some(RawValue::Object(fields));
        }
        loop {
            if self.bytes.get(self.at) != Some(&b'"') {
                return None;
            }
            let key = self.string()?.text;
            self.eat(b':')?;
            let value = self.value(depth)?;
            fields.push((key, value));
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        // serde_json keeps one entry per key (the last value at the first place).
        if has_repeated_key(&fields) {
            return None;
        }
        Some(RawValue::Object(fields))
    }

    fn array(&mut self, depth: usize) -> Option<RawValue<'a>> {
        if depth > self.max_depth {
            return None;
        }
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(RawValue::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(RawValue::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// A string whose escapes are the ones serde_json writes: `\"`, `\\`, `\b`, `\f`,
    /// `\n`, `\r`, `\t` and `\u00xx` (lower-case hex) for the other control characters.
    fn string(&mut self) -> Option<RawScalar<Cow<'a, str>>> {
        let start = self.at;
        self.at += 1;
        let body = self.at;
        let mut owned: Option<String> = None;
        let mut plain = body;
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                b'"' => break,
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[plain..self.at]);
                    let (c, len) = canonical_escape(&self.bytes[self.at..])?;
                    s.push(c);
                    self.at += len;
                    plain = self.at;
                }
                0x00..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let text = match owned {
            Some(mut s) => {
                s.push_str(&self.text[plain..self.at]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[body..self.at]),
        };
        self.at += 1;
        Some(RawScalar {
            text,
            span: start..self.at,
        })
    }

    /// A number as serde_json prints it: an integer that fits `u64` or `i64` (not `-0`),
    /// or a float whose shortest round-trip text is the one given.
    fn number(&mut self) -> Option<RawScalar<&'a str>> {
        let start = self.at;
        let mut float = false;
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'0'..=b'9' | b'-' => {}
                b'.' | b'e' | b'E' | b'+' => float = true,
                _ => break,
            }
            self.at += 1;
        }
        let token = &self.text[start..self.at];
        let canonical = if float {
            serde_json::from_str::<serde_json::Number>(token).is_ok_and(|n| n.to_string() == token)
        } else {
            let digits = token.strip_prefix('-').unwrap_or(token);
            let well_formed = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            well_formed
                && token != "-0"
                && (token.parse::<u64>().is_ok() || token.parse::<i64>().is_ok())
        };
        canonical.then_some(RawScalar {
            text: token,
            span: start..self.at,
        })
    }
}

/// The character of the escape at the start of `bytes` (which begins with `\`) and the
/// escape's length, if serde_json writes that character this way.
fn canonical_escape(bytes: &[u8]) -> Option<(char, usize)> {
    let c = match *bytes.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hex = bytes.get(2..6)?;
            let lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
            if !hex.iter().all(lower_hex) || &hex[..2] != b"00" {
                return None;
            }
            let code = u8::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()?;
            // The control characters without a short escape; serde_json writes every
            // other character itself.
            if code >= 0x20 || matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d) {
                return None;
            }
            return Some((char::from(code), 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

fn has_repeated_key(fields: &[(Cow<'_, str>, RawValue<'_>)]) -> bool {
    if fields.len() <= LINEAR_KEY_CHECK {
        return fields
            .iter()
            .enumerate()
            .any(|(i, (k, _))| fields[..i].iter().any(|(other, _)| other == k));
    }
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_ref()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// What the raw reading stands for: text that serde_json writes back unchanged.
    fn round_trips(text: &str) -> bool {
        serde_json::from_str::<Value>(text)
            .is_ok_and(|v| serde_json::to_string(&v).unwrap() == text.trim())
    }

    #[test]
    fn reads_exactly_the_texts_serde_json_writes_back_unchanged() {
        let texts = [
            r#"{"a":"b","c":[1,-2,3.5,true,false,null,{}],"d":{"e":[]}}"#,
            r#"  {"a":1}  "#,
            "{\"a\":1}\n",
            r#"{"a": 1}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":"\/"}"#,
            r#"{"a":"\u0041"}"#,
            r#"{"a":"\u001f\u0000\n\t\"\\"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"é😀"}"#,
            r#"{"a":"\ud83d\ude00"}"#,
            r#"[1.0,1e5,1E5,100000.0,0.1,-0,-0.0,01,1.,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]"#,
            "1.5e300",
            "\"x\"",
            "tru",
            "{\"a\":1,}",
            "[1,2",
            "{\"a\":\"\u{7f}\"}",
            "",
        ];
        for t in texts {
            assert_eq!(RawValue::parse(t, 64).is_some(), round_trips(t), "{t:?}");
        }
        for n in [
            "1.0",
            "1e5",
            "0.1",
            "-0",
            "01",
            "18446744073709551616",
            "-1",
            "7",
        ] {
            assert_eq!(RawValue::parse(n, 64).is_some(), round_trips(n), "{n:?}");
        }
    }

    #[test]
    fn strings_carry_their_text_and_span() {
        let text = r#"{"k\n":"a\"b","n":[12]}"#;
        let Some(RawValue::Object(fields)) = RawValue::parse(text, 64) else {
            panic!("not read");
        };
        assert_eq!(fields[0].0, "k\n");
        let RawValue::String(s) = &fields[0].1 else {
            panic!()
        };
        assert_eq!(s.text, "a\"b");
        assert_eq!(&text[s.span.clone()], r#""a\"b""#);
        let RawValue::Array(items) = &fields[1].1 else {
            panic!()
        };
        assert_eq!(&text[items[0].span().unwrap()], "12");
    }

    #[test]
    fn deeper_than_the_limit_is_left_to_the_caller() {
        assert!(RawValue::parse("[[1]]", 2).is_some());
        assert!(RawValue::parse("[[1]]", 1).is_none());
        assert!(RawValue::parse(r#"{"a":{"b":1}}"#, 1).is_none());
        let deep = "[".repeat(100_000);
        assert!(RawValue::parse(&deep, 64).is_none());
    }

    #[test]
    fn many_keys_are_checked_for_repeats_too() {
        let fields: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let text = format!("{{{}}}", fields.join(","));
        assert!(RawValue::parse(&text, 64).is_some());
        let text = format!("{{{},\"k7\":1}}", fields.join(","));
        assert!(RawValue::parse(&text, 64).is_none());
    }
}
