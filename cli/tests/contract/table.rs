//! The contract table, `fixtures/contract/contract.toml`, as data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub commands: Vec<String>,
    pub routes: Vec<String>,
    pub exit_code: Vec<ExitCode>,
    pub class: Vec<Class>,
    pub http_class: Vec<Class>,
    pub cli: Vec<CliRow>,
    pub http: Vec<HttpRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitCode {
    pub code: i32,
    pub meaning: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    pub id: String,
    pub name: String,
}

/// One command and bad-input class: what is run and what must come back.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CliRow {
    pub command: String,
    pub class: String,
    /// Why the class does not apply to the command.
    pub na: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub stdin: bool,
    pub file: Option<String>,
    pub content: Option<String>,
    pub nest: Option<usize>,
    /// With `nest`: objects `{"KEY": ...}` instead of arrays.
    pub nest_key: Option<String>,
    pub setup: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    pub exit: Option<i32>,
    pub stderr: Option<String>,
    pub secret: Option<String>,
    pub absent: Option<String>,
}

/// One route and error class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpRow {
    pub route: String,
    pub class: String,
    pub na: Option<String>,
    pub path: Option<String>,
    pub auth: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub body_bytes: Option<usize>,
    pub setup: Option<String>,
    pub status: Option<u16>,
    pub code: Option<String>,
    /// `code` is the first batch item's.
    #[serde(default)]
    pub item: bool,
    pub secret: Option<String>,
}

impl CliRow {
    pub fn id(&self) -> String {
        format!("{} / {}", self.command, self.class)
    }
}

impl HttpRow {
    pub fn id(&self) -> String {
        format!("{} / {}", self.route, self.class)
    }

    pub fn method(&self) -> &str {
        self.route.split_once(' ').map_or("GET", |(m, _)| m)
    }

    /// The path requested: the row's, or the route's own when it has no parameters.
    pub fn request_path(&self) -> String {
        self.path.clone().unwrap_or_else(|| {
            self.route
                .split_once(' ')
                .map_or("", |(_, p)| p)
                .to_string()
        })
    }
}

pub fn load() -> Contract {
    let path = repo().join("fixtures/contract/contract.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `\xHH` escapes as raw bytes; everything else as its UTF-8.
pub fn bytes(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let raw = s.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\'
            && raw.get(i + 1) == Some(&b'x')
            && i + 4 <= raw.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 2..i + 4], 16)
        {
            out.push(b);
            i += 4;
            continue;
        }
        if raw[i] == b'\\' && raw.get(i + 1) == Some(&b'n') {
            out.push(b'\n');
            i += 2;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// A message shape as a regex: `{n}` a number, `{path}` a path, `*` anything.
pub fn shape(s: &str) -> regex::Regex {
    let mut pattern = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{n}") {
            pattern.push_str(r"\d+");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{path}") {
            pattern.push_str(r"\S+");
            rest = r;
        } else if let Some(r) = rest.strip_prefix('*') {
            pattern.push_str(".*");
            rest = r;
        } else {
            let c = rest.chars().next().unwrap();
            pattern.push_str(&regex::escape(&c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    regex::Regex::new(&pattern).unwrap()
}

#[test]
fn every_command_and_class_has_a_row_and_every_row_is_known() {
    let c = load();
    let classes: Vec<&str> = c.class.iter().map(|k| k.id.as_str()).collect();
    for row in &c.cli {
        assert!(c.commands.contains(&row.command), "{}", row.id());
        assert!(classes.contains(&row.class.as_str()), "{}", row.id());
        assert!(
            row.na.is_some() != row.exit.is_some(),
            "{}: give either `na` or `exit`",
            row.id()
        );
    }
    for command in &c.commands {
        for class in &classes {
            assert!(
                c.cli
                    .iter()
                    .any(|r| &r.command == command && r.class == *class),
                "no row for {command} / {class}"
            );
        }
    }
    let http_classes: Vec<&str> = c.http_class.iter().map(|k| k.id.as_str()).collect();
    for row in &c.http {
        assert!(c.routes.contains(&row.route), "{}", row.id());
        assert!(http_classes.contains(&row.class.as_str()), "{}", row.id());
        assert!(
            row.na.is_some() != row.status.is_some(),
            "{}: give either `na` or `status`",
            row.id()
        );
    }
    for route in &c.routes {
        for class in &http_classes {
            assert!(
                c.http
                    .iter()
                    .any(|r| &r.route == route && r.class == *class),
                "no row for {route} / {class}"
            );
        }
    }
    let codes: Vec<i32> = c.exit_code.iter().map(|e| e.code).collect();
    for row in &c.cli {
        if let Some(exit) = row.exit {
            assert!(
                codes.contains(&exit),
                "{}: exit {exit} is not documented",
                row.id()
            );
        }
    }
}

#[test]
fn shapes_and_escapes() {
    assert!(
        shape("line {n}: not valid UTF-8 at byte {n}")
            .is_match("x: line 2: not valid UTF-8 at byte 7")
    );
    assert!(!shape("byte {n}").is_match("byte x"));
    assert_eq!(bytes(r"a\xff\n"), b"a\xff\n");
}
