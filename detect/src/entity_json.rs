//! Entities written as JSON by hand, byte for byte what serde_json's pretty and compact
//! printers write: a dense document yields a few hundred thousand entities, and the
//! generic serializer spent as long writing them as the regex pass spent finding them (and,
//! on the lines of a records file, half as long as detecting them).

use std::io::{self, Write};

use crate::offsets::wire_score;
use crate::{Detection, Entity, EntityType, Source};

/// Writes `entities` as a pretty-printed JSON array (two-space indent, no trailing newline).
pub fn write_entities_pretty<W: Write>(out: &mut W, entities: &[Entity]) -> io::Result<()> {
    write_entities::<Pretty, W>(out, entities)
}

/// Writes `entities` as a compact JSON array (no whitespace, no trailing newline), as
/// `serde_json::to_writer` does.
pub fn write_entities_compact<W: Write>(out: &mut W, entities: &[Entity]) -> io::Result<()> {
    write_entities::<Compact, W>(out, entities)
}

/// What one of serde_json's printers writes between the values of an entity array. A type
/// rather than a value, so that every piece is a constant of known length where it is
/// copied: a copy of a length known only at run time is a call to `memcpy`.
trait Layout {
    const FIRST: &'static [u8];
    const NEXT: &'static [u8];
    const TYPE: &'static [u8];
    const BEGIN: &'static [u8];
    const END: &'static [u8];
    const SCORE: &'static [u8];
    const SOURCE: &'static [u8];
    const PATH: &'static [u8];
    const CLOSE: &'static [u8];
    const CLOSE_ARRAY: &'static [u8];
}

struct Pretty;

impl Layout for Pretty {
    const FIRST: &'static [u8] = b"\n  {";
    const NEXT: &'static [u8] = b",\n  {";
    const TYPE: &'static [u8] = b"\n    \"type\": ";
    const BEGIN: &'static [u8] = b",\n    \"begin\": ";
    const END: &'static [u8] = b",\n    \"end\": ";
    const SCORE: &'static [u8] = b",\n    \"score\": ";
    const SOURCE: &'static [u8] = b",\n    \"source\": ";
    const PATH: &'static [u8] = b",\n    \"path\": ";
    const CLOSE: &'static [u8] = b"\n  }";
    const CLOSE_ARRAY: &'static [u8] = b"\n]";
}

struct Compact;

impl Layout for Compact {
    const FIRST: &'static [u8] = b"{";
    const NEXT: &'static [u8] = b",{";
    const TYPE: &'static [u8] = b"\"type\":";
    const BEGIN: &'static [u8] = b",\"begin\":";
    const END: &'static [u8] = b",\"end\":";
    const SCORE: &'static [u8] = b",\"score\":";
    const SOURCE: &'static [u8] = b",\"source\":";
    const PATH: &'static [u8] = b",\"path\":";
    const CLOSE: &'static [u8] = b"}";
    const CLOSE_ARRAY: &'static [u8] = b"]";
}

fn write_entities<L: Layout, W: Write>(out: &mut W, entities: &[Entity]) -> io::Result<()> {
    let mut array = Array::<L>::new();
    array.push(out, entities)?;
    array.finish(out)
}

/// A pretty-printed JSON array of entities written as they are found, a slice at a time:
/// byte for byte what [`write_entities_pretty`] writes of all the slices joined, without
/// gathering them into one list first.
pub struct PrettyEntities(Array<Pretty>);

impl Default for PrettyEntities {
    fn default() -> Self {
        Self(Array::new())
    }
}

impl PrettyEntities {
    /// Writes the next `entities` of the array.
    pub fn push<W: Write>(&mut self, out: &mut W, entities: &[Entity]) -> io::Result<()> {
        self.0.push(out, entities)
    }

    /// Writes detections whose offsets are already char offsets as the entities that
    /// [`crate::offsets::to_entities`] makes of them: a long text's findings are kept and
    /// written without a second list of them all.
    pub fn push_detections<W: Write>(
        &mut self,
        out: &mut W,
        detections: &[Detection],
    ) -> io::Result<()> {
        self.0.push(out, detections)
    }

    /// Closes the array (`[]` when nothing was pushed).
    pub fn finish<W: Write>(mut self, out: &mut W) -> io::Result<()> {
        self.0.finish(out)
    }
}

/// An entity array being written in `L`'s layout.
struct Array<L> {
    // Each entity is put together in `buf` and handed to `out` with the ones after it: a
    // writer's per-call bookkeeping cost more than the bytes themselves.
    buf: Vec<u8>,
    written: bool,
    heads: Remembered<crate::EntityType>,
    tails: Remembered<(u32, Source)>,
    layout: std::marker::PhantomData<L>,
}

/// What the writer reads of one entity.
trait Fields {
    fn entity_type(&self) -> EntityType;
    fn begin(&self) -> usize;
    fn end(&self) -> usize;
    /// The score's bits as kept; [`Fields::shown_score`] turns them into the number written.
    fn score_bits(&self) -> u32;
    fn shown_score(bits: u32) -> f32;
    fn source(&self) -> Source;
    fn path(&self) -> Option<&str>;
}

impl Fields for Entity {
    fn entity_type(&self) -> EntityType {
        self.entity_type
    }
    fn begin(&self) -> usize {
        self.begin
    }
    fn end(&self) -> usize {
        self.end
    }
    fn score_bits(&self) -> u32 {
        self.score.to_bits()
    }
    fn shown_score(bits: u32) -> f32 {
        f32::from_bits(bits)
    }
    fn source(&self) -> Source {
        self.source
    }
    fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
}

/// A detection whose offsets were made char offsets, written as its entity.
impl Fields for Detection {
    fn entity_type(&self) -> EntityType {
        self.entity_type
    }
    fn begin(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn score_bits(&self) -> u32 {
        self.score.to_bits()
    }
    fn shown_score(bits: u32) -> f32 {
        wire_score(f32::from_bits(bits))
    }
    fn source(&self) -> Source {
        self.source
    }
    fn path(&self) -> Option<&str> {
        None
    }
}

/// `buf` is handed on once it holds this many bytes.
const FLUSH_AT: usize = 8192;

/// Room for one entity without a path: numbers and remembered pieces are copied whole from
/// fixed-size buffers and the length cut back after, so their spare bytes must fit too.
const ENTITY_ROOM: usize = 2 * PIECE + 2 * 8 + 64;

impl<L: Layout> Array<L> {
    fn new() -> Self {
        Self {
            buf: Vec::with_capacity(FLUSH_AT + ENTITY_ROOM),
            written: false,
            heads: Remembered::default(),
            tails: Remembered::default(),
            layout: std::marker::PhantomData,
        }
    }

    fn push<W: Write, E: Fields>(&mut self, out: &mut W, entities: &[E]) -> io::Result<()> {
        let buf = &mut self.buf;
        for e in entities {
            buf.reserve(ENTITY_ROOM);
            if self.written {
                buf.extend_from_slice(L::NEXT);
            } else {
                buf.push(b'[');
                buf.extend_from_slice(L::FIRST);
                self.written = true;
            }
            // An entity is its type's head, two numbers and the tail of its score and
            // source: a document has a handful of each, written once and copied after that.
            self.heads.push(buf, e.entity_type(), |t| {
                let mut text = L::TYPE.to_vec();
                push_str(&mut text, t.as_str());
                text.extend_from_slice(L::BEGIN);
                text
            });
            push_usize(buf, e.begin());
            buf.extend_from_slice(L::END);
            push_usize(buf, e.end());
            self.tails
                .push(buf, (e.score_bits(), e.source()), |(bits, source)| {
                    let mut text = L::SCORE.to_vec();
                    let score = E::shown_score(bits);
                    // Scores are probabilities; anything else is left to serde_json's own
                    // notation.
                    if (0.0..=1.0).contains(&score) {
                        text.extend_from_slice(ryu::Buffer::new().format_finite(score).as_bytes());
                    } else {
                        serde_json::to_writer(&mut text, &score).expect("an f32 serializes");
                    }
                    text.extend_from_slice(L::SOURCE);
                    text.extend_from_slice(match source {
                        Source::Pattern => b"\"pattern\"",
                        Source::Comprehend => b"\"comprehend\"",
                        Source::Field => b"\"field\"",
                    });
                    text
                });
            if let Some(path) = e.path() {
                buf.extend_from_slice(L::PATH);
                push_str(buf, path);
            }
            buf.extend_from_slice(L::CLOSE);
            if buf.len() >= FLUSH_AT {
                out.write_all(buf)?;
                buf.clear();
            }
        }
        Ok(())
    }

    fn finish<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        if !self.written {
            return out.write_all(b"[]");
        }
        self.buf.extend_from_slice(L::CLOSE_ARRAY);
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// Bytes copied for a remembered piece: the longest built-in type's pretty head fits.
const PIECE: usize = 80;

/// Appends the first `len` bytes of `bytes`: a copy of a constant length is a few moves
/// where one of `len` bytes would be a call to `memcpy`, and cutting the length back
/// costs nothing.
#[inline]
fn push_padded<const N: usize>(buf: &mut Vec<u8>, bytes: &[u8; N], len: usize) {
    debug_assert!(len <= N);
    buf.extend_from_slice(bytes);
    buf.truncate(buf.len() - (N - len));
}

/// The JSON text of the first few keys written (types, scores with sources): formatting a
/// float or checking a name for characters to escape costs more than the rest of an
/// entity.
struct Remembered<K> {
    keys: Vec<K>,
    /// Each key's text, zero-padded to at least [`PIECE`] bytes, with its length.
    texts: Vec<(Box<[u8]>, usize)>,
}

impl<K> Default for Remembered<K> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            texts: Vec::new(),
        }
    }
}

impl<K: Copy + PartialEq> Remembered<K> {
    const KEEP: usize = 16;

    #[inline]
    fn push(&mut self, buf: &mut Vec<u8>, key: K, text: impl FnOnce(K) -> Vec<u8>) {
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            let (padded, len) = &self.texts[i];
            match padded.first_chunk::<PIECE>() {
                Some(piece) if *len <= PIECE => push_padded(buf, piece, *len),
                _ => buf.extend_from_slice(&padded[..*len]),
            }
            return;
        }
        let mut text = text(key);
        buf.extend_from_slice(&text);
        if self.keys.len() < Self::KEEP {
            let len = text.len();
            text.resize(len.max(PIECE), 0);
            self.keys.push(key);
            self.texts.push((text.into_boxed_slice(), len));
        }
    }
}

/// A JSON string; anything that needs escaping goes through serde_json.
fn push_str(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, s).expect("writing to a Vec cannot fail");
    }
}

/// Numbers below this are written as one group of up to eight digits.
const EIGHT_DIGITS: usize = 100_000_000;

/// Decimal digits of `n`.
#[inline]
fn push_usize(buf: &mut Vec<u8>, n: usize) {
    if n < EIGHT_DIGITS {
        let n = n as u32;
        push_eight(buf, n, decimal_len(n));
    } else {
        push_long(buf, n);
    }
}

/// Decimal digits of `n` (at least 10^8), eight at a time, the most significant first:
/// offsets past 10^8 are rare enough to take a call of their own.
#[cold]
fn push_long(buf: &mut Vec<u8>, n: usize) {
    push_usize(buf, n / EIGHT_DIGITS);
    push_eight(buf, (n % EIGHT_DIGITS) as u32, 8);
}

/// How many decimal digits `n` (below 10^8) has.
fn decimal_len(n: u32) -> usize {
    if n < 10_000 {
        if n < 100 {
            if n < 10 { 1 } else { 2 }
        } else if n < 1_000 {
            3
        } else {
            4
        }
    } else if n < 1_000_000 {
        if n < 100_000 { 5 } else { 6 }
    } else if n < 10_000_000 {
        7
    } else {
        8
    }
}

/// The last `len` of the eight decimal digits of `n` (below 10^8, zero-padded): all eight
/// are worked out at once, with no loop and no branch, and the leading zeros shifted out.
#[inline]
fn push_eight(buf: &mut Vec<u8>, n: u32, len: usize) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let pair = |p: u32| {
        let k = p as usize * 2;
        u64::from(u16::from_le_bytes([PAIRS[k], PAIRS[k + 1]]))
    };
    let (high, low) = (n / 10_000, n % 10_000);
    let digits =
        pair(high / 100) | pair(high % 100) << 16 | pair(low / 100) << 32 | pair(low % 100) << 48;
    // Little-endian: the first digit is the lowest byte.
    let digits = digits >> (8 * (8 - len));
    push_padded(buf, &digits.to_le_bytes(), len);
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

    fn written_compact(entities: &[Entity]) -> String {
        let mut out = Vec::new();
        write_entities_compact(&mut out, entities).unwrap();
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
        assert_eq!(
            written_compact(&entities),
            serde_json::to_string(&entities).unwrap()
        );
        assert_eq!(written(&[]), "[]");
        assert_eq!(written_compact(&[]), "[]");
    }

    #[test]
    fn long_lists_with_repeated_and_many_scores_match_serde_json() {
        // More entities than one write holds, more distinct scores than are remembered,
        // and numbers of every length.
        let entities: Vec<Entity> = (0..600usize)
            .map(|i| Entity {
                entity_type: EntityType::ALL[i % EntityType::ALL.len()],
                begin: 10usize.pow((i % 20) as u32) - 1,
                end: 10usize.pow((i % 20) as u32) + i,
                score: [0.6, 1.0, 0.95, (i % 40) as f32 / 40.0][i % 4],
                source: Source::Pattern,
                path: (i % 7 == 0).then(|| format!("/rows/{i}")),
            })
            .collect();
        assert_eq!(
            written(&entities),
            serde_json::to_string_pretty(&entities).unwrap()
        );
        assert_eq!(
            written_compact(&entities),
            serde_json::to_string(&entities).unwrap()
        );
    }

    proptest! {
        /// serde_json is the reference: the wire format is its pretty output of `Entity`.
        #[test]
        fn same_bytes_as_serde_json(entities in prop::collection::vec(entity(), 0..6)) {
            prop_assert_eq!(written(&entities), serde_json::to_string_pretty(&entities).unwrap());
        }

        #[test]
        fn same_bytes_as_serde_json_compact(entities in prop::collection::vec(entity(), 0..6)) {
            prop_assert_eq!(written_compact(&entities), serde_json::to_string(&entities).unwrap());
        }

        /// Written a slice at a time, in any cuts (empty ones too), the same array.
        #[test]
        fn pieces_write_the_whole(
            entities in prop::collection::vec(entity(), 0..8),
            cuts in prop::collection::vec(0..9usize, 0..4),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(entities.len())).collect();
            cuts.sort_unstable();
            let mut out = Vec::new();
            let mut array = PrettyEntities::default();
            let mut from = 0;
            for cut in cuts.into_iter().chain([entities.len()]) {
                array.push(&mut out, &entities[from..cut]).unwrap();
                from = cut;
            }
            array.finish(&mut out).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), written(&entities));
        }

        /// Detections whose offsets were made char offsets are written as the entities
        /// `to_entities` makes of them, in a text with multi-byte characters.
        #[test]
        fn detections_write_as_their_entities(
            text in "[a-zé中😀 ]{0,40}",
            spans in prop::collection::vec((0..41usize, 0..8usize, 0.0f32..=1.0), 0..6),
            base in 0..1000usize,
        ) {
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let mut detections: Vec<Detection> = spans
                .into_iter()
                .map(|(at, len, score)| {
                    let start = bounds[at % bounds.len()];
                    let end = bounds[(at % bounds.len() + len).min(bounds.len() - 1)];
                    Detection::from_pattern(EntityType::Name, start, end, score)
                })
                .collect();
            let mut entities = crate::offsets::to_entities(&text, &detections, None);
            for e in &mut entities {
                e.begin += base;
                e.end += base;
            }
            let chars = crate::offsets::to_char_offsets(&text, &mut detections, base);
            prop_assert_eq!(chars, text.chars().count());
            let mut out = Vec::new();
            let mut array = PrettyEntities::default();
            array.push_detections(&mut out, &detections).unwrap();
            array.finish(&mut out).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), written(&entities));
        }
    }
}
