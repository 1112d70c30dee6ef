//! Entities written as JSON by hand, byte for byte what serde_json's pretty printer writes:
//! a dense document yields a few hundred thousand entities, and the generic serializer
//! spent as long writing them as the regex pass spent finding them.

use std::io::{self, Write};

use crate::{Entity, Source};

/// Writes `entities` as a pretty-printed JSON array (two-space indent, no trailing newline).
pub fn write_entities_pretty<W: Write>(out: &mut W, entities: &[Entity]) -> io::Result<()> {
    if entities.is_empty() {
        return out.write_all(b"[]");
    }
    let mut floats = ryu::Buffer::new();
    let mut ints = [0u8; 20];
    out.write_all(b"[")?;
    for (i, e) in entities.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  {" } else { b",\n  {" })?;
        out.write_all(b"\n    \"type\": ")?;
        write_str(out, e.entity_type.as_str())?;
        out.write_all(b",\n    \"begin\": ")?;
        out.write_all(format_usize(&mut ints, e.begin))?;
        out.write_all(b",\n    \"end\": ")?;
        out.write_all(format_usize(&mut ints, e.end))?;
        out.write_all(b",\n    \"score\": ")?;
        // Scores are probabilities; anything else is left to serde_json's own notation.
        if (0.0..=1.0).contains(&e.score) {
            out.write_all(floats.format_finite(e.score).as_bytes())?;
        } else {
            serde_json::to_writer(&mut *out, &e.score).map_err(io::Error::other)?;
        }
        out.write_all(b",\n    \"source\": \"")?;
        out.write_all(match e.source {
            Source::Pattern => b"pattern",
            Source::Comprehend => b"comprehend",
            Source::Field => b"field",
        })?;
        out.write_all(b"\"")?;
        if let Some(path) = &e.path {
            out.write_all(b",\n    \"path\": ")?;
            write_str(out, path)?;
        }
        out.write_all(b"\n  }")?;
    }
    out.write_all(b"\n]")
}

/// A JSON string; anything that needs escaping goes through serde_json.
fn write_str<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(out, s).map_err(io::Error::other)
    }
}

fn format_usize(buf: &mut [u8; 20], mut n: usize) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::EntityType;

    fn written(entities: &[Entity]) -> String {
        let mut out = Vec::new();
        write_entities_pretty(&mut out, entities).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn entity() -> impl Strategy<Value = Entity> {
        (
            prop::sample::select(EntityType::ALL.to_vec()),
            any::<usize>(),
            any::<usize>(),
            prop_oneof![any::<f32>(), 0.0f32..=1.0],
            prop::sample::select(vec![Source::Pattern, Source::Comprehend, Source::Field]),
            prop::option::of(".*"),
        )
            .prop_map(|(entity_type, begin, end, score, source, path)| Entity {
                entity_type,
                begin,
                end,
                score,
                source,
                path,
            })
    }

    #[test]
    fn edge_scores_and_escaped_paths_match_serde_json() {
        let entities: Vec<Entity> = [0.0, -0.0, 1.0, 0.5, 1e-7, f32::MIN_POSITIVE, 0.99999994]
            .into_iter()
            .map(|score| Entity {
                entity_type: EntityType::Name,
                begin: usize::MAX,
                end: 0,
                score,
                source: Source::Field,
                path: Some("/a\"b\\c\u{1}/\u{e9}".into()),
            })
            .collect();
        assert_eq!(
            written(&entities),
            serde_json::to_string_pretty(&entities).unwrap()
        );
        assert_eq!(written(&[]), "[]");
    }

    proptest! {
        /// serde_json is the reference: the wire format is its pretty output of `Entity`.
        #[test]
        fn same_bytes_as_serde_json(entities in prop::collection::vec(entity(), 0..6)) {
            prop_assert_eq!(written(&entities), serde_json::to_string_pretty(&entities).unwrap());
        }
    }
}
