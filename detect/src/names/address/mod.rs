//! Street addresses: a grammar per family of formats, then a tail of unit, city, region,
//! postcode and country parts joined by commas or line breaks.
//!
//! - number first: "12 Baker Street", "Unit 39/2362 Nicole Viaduct", "12 rue de la Paix";
//! - street first: "Musterstraße 12", "Keizersgracht 123", "Calle Mayor 5", "Via Roma 12";
//! - no street: "75002 Paris", "Southport QLD 4215", "Springfield, IL 62704".

//!
//! Each family's grammar has its file; `at` tries them in turn, most specific first.

mod cjk;
mod cyrillic;
mod locality;
mod no_number;
mod number_first;
mod numbered;
mod po_box;
mod postcode;
mod prefix;
mod road;
mod southeast_asia;
mod street_first;
mod tail;
mod turkish;

use super::Match;
use super::context::Ctx;
use super::flags::*;
use super::place::{DIRECTIONS, LANDMARKS};
use super::tokens::{Gap, Kind};
use cjk::*;
use cyrillic::*;
use locality::*;
use no_number::*;
use number_first::*;
use numbered::*;
use po_box::*;
use postcode::*;
use road::*;
use southeast_asia::*;
use street_first::*;
use tail::*;
use turkish::*;

pub(crate) use no_number::STREET_TYPES;
pub(crate) use postcode::region_postcode;
pub(crate) use prefix::prefix;
pub(crate) use tail::irish_county;

const STREET_WORDS: usize = 5;
const CITY_WORDS: usize = 3;

pub(crate) fn at(ctx: &mut Ctx, i: usize) -> Option<Match> {
    let t = ctx.tok(i);
    if t.kind == Kind::Cjk {
        return cjk(ctx, i).map(|last| Match::new(i, last, 0.8));
    }
    // "150-0002 東京都渋谷区…": a Japanese postcode before a CJK address.
    if t.kind == Kind::Number
        && jp_postcode(ctx.word(i))
        && let Some(n) = ctx.get(i + 1)
        && n.kind == Kind::Cjk
        && n.gap <= Gap::Space
        && let Some(last) = cjk(ctx, i + 1)
    {
        return Some(Match::new(i, last, 0.85));
    }
    if t.kind == Kind::Cap
        && let Some(num) = number_word(ctx, i)
    {
        // "No. 12, Jalan SS2/24": a house number after its number word, then the street.
        if let Some(end) = number_first(ctx, num) {
            let last = tail(ctx, end);
            return Some(Match::new(i, last, if last > end { 0.9 } else { 0.8 }));
        }
        // "left it at No. 22": a house number alone, after a word that places it.
        if ctx.place_cue_before(i) {
            let last = tail(ctx, num);
            return Some(Match::new(i, last, 0.6));
        }
    }
    // A road's number is in its first word or right after it.
    let numbered = t.kind == Kind::Number || ctx.get(i + 1).is_some_and(|n| n.kind == Kind::Number);
    if numbered && let Some(last) = road_by_number(ctx, i) {
        return Some(Match::new(i, last, 0.6));
    }
    if let Some(end) = po_box(ctx, i) {
        let last = tail(ctx, end);
        return Some(Match::new(i, last, if last > end { 0.9 } else { 0.75 }));
    }
    let street_end = match t.kind {
        Kind::Number => number_first(ctx, i).or_else(|| floor_first(ctx, i)),
        Kind::Cap | Kind::Lower if ctx.flags(i).has(UNIT) || numbered_unit(ctx, i) => {
            unit_first(ctx, i)
        }
        Kind::Cap => street_first(ctx, i).or_else(|| {
            // A mahalle's name and word: capitalised words follow.
            ctx.get(i + 1)
                .is_some_and(|n| n.kind == Kind::Cap && n.gap == Gap::Space)
                .then(|| mahalle(ctx, i))
                .flatten()
        }),
        Kind::Lower => street_first(ctx, i),
        _ => None,
    };
    if let Some(end) = street_end {
        let last = tail(ctx, end);
        let score = if last > end { 0.9 } else { 0.8 };
        return Some(Match::new(i, last, score));
    }
    // "on Rua das Flores", "Calle Mayor, Madrid": a street word no English sentence uses
    // names a street even without its house number.
    if t.kind == Kind::Cap
        && ctx.flags(i).has(EURO_STREET)
        && ROMANCE_ONLY
            .iter()
            .any(|w| w.eq_ignore_ascii_case(ctx.word(i)))
        && let Some(end) = if numbered_name_street(ctx, i) {
            numbered_name(ctx, i)
        } else {
            romance_name(ctx, i)
        }
    {
        let last = tail(ctx, end);
        return Some(Match::new(i, last, if last > end { 0.85 } else { 0.7 }));
    }
    // A street type the lists do not know: a house number and capitalised words are an
    // address when a region code or postcode follows ("12 Hopkins Sound, Glenelg SA 5045").
    let numbered_from = match t.kind {
        Kind::Number => Some(i),
        Kind::Cap | Kind::Lower if ctx.flags(i).has(UNIT) => after_unit(ctx, i),
        _ => None,
    };
    if let Some(n) = numbered_from
        && let Some(end) = number_words(ctx, n)
    {
        let last = tail(ctx, end);
        if (end + 1..=last).any(|k| {
            let t = ctx.tok(k);
            t.kind == Kind::Number || ctx.region_code(k)
        }) {
            return Some(Match::new(i, last, 0.75));
        }
    }
    // "Am Mühlbach 3, 83646 Bad Tölz", "An der Alster 12, 20099 Hamburg": a German street
    // named by a preposition, when its postcode and town follow.
    if t.kind == Kind::Cap
        && matches!(
            ctx.word(i),
            "Am" | "Im" | "An" | "Auf" | "Zum" | "Zur" | "Unter" | "Hinter" | "Vor" | "Beim"
        )
    {
        let name = if matches!(ctx.word(i + 1), "der" | "dem" | "den" | "die") {
            i + 2
        } else {
            i + 1
        };
        if ctx
            .get(name)
            .is_some_and(|n| n.gap == Gap::Space && n.kind == Kind::Cap)
            && number_then_postcode_city(ctx, name + 1)
        {
            return Some(Match::new(i, tail(ctx, name + 1), 0.8));
        }
    }
    // "Karlova 12, 110 00 Praha 1", "Vinohradská 1511/230, 120 00 Praha": a street named
    // in no list before its number, when a postcode and city follow after a comma.
    if t.kind == Kind::Cap
        && number_then_postcode_city(ctx, i + 1)
        && !ctx.flags(i).has(COMMON | NOT_NAME | TEMPORAL | ORG)
    {
        return Some(Match::new(i, tail(ctx, i + 1), 0.75));
    }
    // "Go to Nowy Świat 22, Warsaw": an unlisted street of one or two words before its
    // number, after a place cue and before a listed city.
    if t.kind == Kind::Cap
        && let Some(number) = (i + 1..=i + 2).find(|&k| {
            ctx.get(k).is_some_and(|n| {
                n.kind == Kind::Number && n.gap == Gap::Space && is_house_number(ctx.word(k))
            })
        })
        && ctx.place_cue_before(i)
        && (i..number).all(|k| {
            ctx.tok(k).is_capitalised()
                && (k == i || ctx.tok(k).gap == Gap::Space)
                && !ctx.flags(k).has(COMMON | NOT_NAME | TEMPORAL | ORG | UNIT)
        })
        && ctx.get(number + 1).is_some_and(|c| c.is_punct(','))
        && ctx
            .get(number + 2)
            .is_some_and(|c| c.gap == Gap::Space && c.is_capitalised())
        && ctx.flags(number + 2).city() > 0
    {
        return Some(Match::new(i, tail(ctx, number), 0.75));
    }
    // "Plot 9, Sector 18, Gurugram, Haryana 122015", "H.No. 1-2-34, Road No. 3, …": units
    // or a house number without a street, then a tail that ends in a region or a postcode,
    // or has a listed city after another part.
    let units_end = match t.kind {
        Kind::Cap | Kind::Lower if ctx.flags(i).has(UNIT) || numbered_unit(ctx, i) => units(ctx, i),
        Kind::Initial => house_no(ctx, i),
        _ => None,
    };
    if let Some(units_end) = units_end {
        let several = t.kind != Kind::Initial && unit_part(ctx, i) < Some(units_end);
        let last = tail(ctx, units_end);
        if (units_end + 1..=last).any(|k| {
            let t = ctx.tok(k);
            t.kind == Kind::Number && k > units_end + 2
                || ctx.region_code(k)
                || t.is_capitalised() && ctx.flags(k).has(REGION | COUNTRY)
                || (several || k > units_end + 3) && t.kind == Kind::Cap && ctx.flags(k).city() > 0
        }) {
            return Some(Match::new(i, last, 0.75));
        }
    }
    // "45, 2nd Floor, Residency Road, Bengaluru 560025": a floor and an unnumbered street, when a
    // postcode or region ends the tail.
    if t.kind == Kind::Number
        && let Some(street) = floor_then_street(ctx, i)
    {
        let last = tail(ctx, street);
        if (street + 1..=last).any(|k| {
            ctx.tok(k).kind == Kind::Number || ctx.region_code(k) || ctx.flags(k).has(REGION)
        }) {
            return Some(Match::new(i, last, 0.75));
        }
    }
    if t.kind == Kind::Cap
        && let Some(last) = neighbourhood_then_city(ctx, i)
    {
        return Some(Match::new(i, last, 0.75));
    }
    // No street: a postcode with a city, or a city with a region code and postcode.
    let (last, score) = match t.kind {
        Kind::Number => postcode_city(ctx, i)?,
        Kind::Cap => city_region_postcode(ctx, i).or_else(|| named_street(ctx, i))?,
        _ => return None,
    };
    let last = tail(ctx, last).max(last);
    Some(Match::new(i, last, score))
}

#[cfg(test)]
mod tests;
