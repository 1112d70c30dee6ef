//! Roads named by a number: "the A487", "the M62", "Highway 395", "Route 66",
//! "Interstate 80", "I-95", "BR-116".

use super::*;

/// Words that name a road by the number after them.
const ROAD_WORDS: &[&str] = &[
    "Highway",
    "Hwy",
    "Route",
    "Interstate",
    "Autobahn",
    "Autoroute",
    "Autostrada",
    "Autopista",
    "Autovía",
    "Rodovia",
    "Expressway",
];

/// Words before "the" that put a vehicle or a person on a road.
const ON_A_ROAD: &[&str] = &[
    "on", "off", "onto", "along", "via", "down", "up", "from", "take", "took", "taking", "join",
    "joined", "exit", "near", "by", "of", "across", "crossing", "towards", "toward", "to",
];

/// The last token of a road named by its number at token `i`.
pub(super) fn road_by_number(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let t = ctx.tok(i);
    // Every road number here starts with one of these letters; most numbers start with a digit.
    if t.kind == Kind::Number
        && !matches!(
            ctx.word(i).as_bytes()[0],
            b'A' | b'B' | b'M' | b'I' | b'U' | b'S'
        )
    {
        return None;
    }
    match t.kind {
        // "stuck on the A487", "an accident on the M62": a British road's letter and number,
        // after "the" and a word that puts something on it, which a paper size or a model
        // ("A4 paper", "the M3 chip") does not have.
        Kind::Number if hyphenated_road(ctx.word(i)) => Some(i),
        Kind::Number if british_road(ctx.word(i)) => {
            let the = i.checked_sub(1).filter(|&k| ctx.word(k) == "the")?;
            let before = the.checked_sub(1)?;
            (t.gap == Gap::Space && ON_A_ROAD.contains(&ctx.word(before))).then_some(i)
        }
        // "Highway 395", "Route 66", "Interstate 80".
        // The number first: most capitalised words have none after them.
        Kind::Cap => {
            let n = ctx.get(i + 1)?;
            let digits = ctx.word(i + 1);
            (n.kind == Kind::Number
                && n.gap == Gap::Space
                && (1..=4).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && ROAD_WORDS.contains(&ctx.word(i)))
            .then_some(i + 1)
        }
        _ => None,
    }
}

/// "I-95", "BR-116", "US-101": a country's or state's road letters, a hyphen, the number.
fn hyphenated_road(word: &str) -> bool {
    let Some((letters, digits)) = word.split_once('-') else {
        return false;
    };
    matches!(letters, "I" | "US" | "BR" | "SR")
        && (1..=3).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// "A487", "M62", "B1234", "A1(M)": a British road's class letter and one to four digits.
fn british_road(word: &str) -> bool {
    let b = word.as_bytes();
    let digits = b.len() - 1;
    matches!(b[0], b'A' | b'M' | b'B')
        && (1..=4).contains(&digits)
        && b[1] != b'0'
        && b[1..].iter().all(u8::is_ascii_digit)
}
