//! Packs the vendored name, place and word lists (data/lexicon, see its README) into one
//! fst map from lower-cased word or phrase to flags, embedded in the library.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
mod flags {
    include!("src/names/flags.rs");
}
use flags::*;

fn lines(dir: &Path, name: &str) -> Vec<String> {
    let path = dir.join(name);
    println!("cargo:rerun-if-changed={}", path.display());
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Strength from a frequency rank: the lists are sorted most frequent first.
fn strength(rank: usize, cuts: [usize; 2]) -> u64 {
    if rank < cuts[0] {
        3
    } else if rank < cuts[1] {
        2
    } else {
        1
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lexicon");
    let mut map: BTreeMap<String, u64> = BTreeMap::new();
    let add = |map: &mut BTreeMap<String, u64>, key: &str, bits: u64| {
        let key = key.trim().to_lowercase();
        if key.is_empty() {
            return;
        }
        if let Some((first, _)) = key.split_once(' ')
            && bits & (PLACE | STREET) != 0
        {
            *map.entry(first.to_string()).or_default() |= PLACE_PREFIX;
        }
        *map.entry(key).or_default() |= bits;
    };
    for (rank, name) in lines(&dir, "given.txt").iter().enumerate() {
        add(&mut map, name, strength(rank, [300, 1500]) << GIVEN_SHIFT);
    }
    for (rank, name) in lines(&dir, "surnames.txt").iter().enumerate() {
        add(
            &mut map,
            name,
            strength(rank, [2000, 15000]) << SURNAME_SHIFT,
        );
    }
    // Faker's lists (Python and JavaScript) are unranked: a name there is common in at least one country, so it
    // counts as moderately common even where the US census ranks it rare.
    for (file, shift) in [
        ("faker_given.txt", GIVEN_SHIFT),
        ("faker_surnames.txt", SURNAME_SHIFT),
        ("fakerjs_given.txt", GIVEN_SHIFT),
        ("fakerjs_surnames.txt", SURNAME_SHIFT),
    ] {
        for name in lines(&dir, file) {
            let key = name.trim().to_lowercase();
            let strength = map.get(&key).map_or(0, |f| (f >> shift) & STRENGTH_MASK);
            if strength < 2 {
                let bits = map.entry(key.clone()).or_default();
                *bits &= !(STRENGTH_MASK << shift);
                add(&mut map, &key, 2 << shift);
            }
        }
    }
    for row in lines(&dir, "cities.txt") {
        let (name, population) = row.split_once('\t').expect("city\tpopulation");
        let population: u64 = population.parse().expect("population");
        let size = match population {
            1_000_000.. => 3,
            100_000.. => 2,
            _ => 1,
        };
        add(&mut map, name, size << CITY_SHIFT);
    }
    for name in lines(&dir, "localities.txt") {
        add(&mut map, &name, LOCALITY);
    }
    // Read as tokens are: a possessive 's is no part of a token. One word with its 's
    // ("mcdonald's") is kept whole, and its first word marked, so that only the
    // possessive is the organisation.
    for name in lines(&dir, "organisations.txt") {
        let name = name.to_lowercase().replace('\u{2019}', "'");
        let key = if name.contains(' ') {
            name.replace("'s ", " ").trim_end_matches("'s").to_string()
        } else {
            name
        };
        if let Some(end) = key.find([' ', '.', '-', '&', '\'']) {
            *map.entry(key[..end].to_string()).or_default() |= ORG_PREFIX;
        }
        add(&mut map, &key, ORG);
    }
    for name in lines(&dir, "countries.txt") {
        add(&mut map, &name, COUNTRY);
    }
    for name in lines(&dir, "us_states.txt") {
        add(&mut map, &name, REGION);
    }
    for word in lines(&dir, "words.txt") {
        add(&mut map, &word, COMMON);
    }
    // Every bit a hand-written category sets, for the biographies' lists below.
    let mut hand = 0;
    for row in lines(&dir, "hand.txt") {
        let (word, category) = row.split_once('\t').expect("word\tcategory");
        let bits = match category {
            "STREET" => STREET,
            "EURO_STREET" => EURO_STREET,
            "UNIT" => UNIT,
            "ORG" => ORG,
            "TEMPORAL" => TEMPORAL,
            "PARTICLE" => PARTICLE,
            "TITLE" => TITLE,
            "PERSON_CUE" => PERSON_CUE,
            "PLACE_CUE" => PLACE_CUE,
            "PERSON_AFTER" => PERSON_AFTER,
            "WEAK_CUE" => WEAK_CUE,
            "TALK" => TALK,
            "SPEECH" => SPEECH,
            "REGION" => REGION,
            "REGION_CODE" => REGION_CODE,
            "COUNTRY" => COUNTRY,
            "NOT_NAME" => NOT_NAME,
            other => panic!("hand.txt: unknown category {other}"),
        };
        hand |= bits;
        add(&mut map, word, bits);
    }
    // Names of people with a Wikipedia biography, counted: they add the names of countries
    // the census and Faker lists miss (Rajesh, Olusegun, Nkechi). A word that is English, a
    // place or one of the hand-written categories keeps only what the lists above say of it.
    // Read after every other list, so that those are known.
    let known = COMMON | PLACE | hand;
    for (file, shift) in [
        ("wiki_given.txt", GIVEN_SHIFT),
        ("wiki_surnames.txt", SURNAME_SHIFT),
    ] {
        for row in lines(&dir, file) {
            let (name, people) = row.split_once('\t').expect("name\tpeople");
            let people: u64 = people.parse().expect("people");
            let bits = map.entry(name.to_string()).or_default();
            // Korean and Chinese titles put the surname first ("Park Ji-eun"): where the
            // lists above know a word in the other role only, they are right.
            let other = if shift == GIVEN_SHIFT {
                SURNAME_SHIFT
            } else {
                GIVEN_SHIFT
            };
            let other_only =
                (*bits >> other) & STRENGTH_MASK != 0 && (*bits >> shift) & STRENGTH_MASK == 0;
            if *bits & known != 0 || other_only {
                continue;
            }
            let strength = if people >= 50 { 2 } else { 1 };
            if (*bits >> shift) & STRENGTH_MASK < strength {
                *bits = (*bits & !(STRENGTH_MASK << shift)) | strength << shift;
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("lexicon.fst");
    let bytes = fst::Map::from_iter(map)
        .expect("sorted keys")
        .into_fst()
        .into_inner();
    fs::write(&out, bytes).expect("writing lexicon.fst");
}
