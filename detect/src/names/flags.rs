// What the lexicon knows about one lower-cased word or phrase, packed in a u64. Shared with
// build.rs (by `include!`), which packs the vendored lists into the fst map.

/// Given-name strength, 0 (not a given name) to 3 (among the most common).
pub const GIVEN_SHIFT: u32 = 0;
/// Surname strength, 0 to 3.
pub const SURNAME_SHIFT: u32 = 2;
/// City size: 0 none, 1 a town of 15k+, 2 a city of 100k+, 3 a city of 1M+.
pub const CITY_SHIFT: u32 = 5;
pub const STRENGTH_MASK: u64 = 0b11;

/// A lower-case entry of a common English word list.
pub const COMMON: u64 = 1 << 4;
pub const COUNTRY: u64 = 1 << 7;
pub const REGION: u64 = 1 << 8;
/// The first word of a multi-word place ("porto" of "porto alegre").
pub const PLACE_PREFIX: u64 = 1 << 9;
pub const STREET: u64 = 1 << 10;
pub const ORG: u64 = 1 << 11;
pub const TEMPORAL: u64 = 1 << 12;
pub const PARTICLE: u64 = 1 << 13;
pub const TITLE: u64 = 1 << 14;
pub const PERSON_CUE: u64 = 1 << 15;
pub const PLACE_CUE: u64 = 1 << 16;
pub const PERSON_AFTER: u64 = 1 << 17;
/// Capitalised in sentences and headings, never a name on its own.
pub const NOT_NAME: u64 = 1 << 18;
/// Starts a street name in Romance languages ("rue", "calle", "via").
pub const EURO_STREET: u64 = 1 << 19;
pub const UNIT: u64 = 1 << 20;
/// A state or province abbreviation (NSW, CA, ON), meaningful only in upper case.
pub const REGION_CODE: u64 = 1 << 21;

/// A preposition that often, not always, comes before a person ("from", "with").
pub const WEAK_CUE: u64 = 1 << 22;
/// Talking, meeting or handing over ("spoke", "chat", "escalate"): the preposition after it
/// comes before a person ("spoke to Bob", "a chat with Chioma", "escalate to Priya").
pub const TALK: u64 = 1 << 23;
/// A verb only a person does ("said", "told", "hated"): the capitalised word before it is
/// a person about as surely as one after a greeting.
pub const SPEECH: u64 = 1 << 24;
/// A one-word place of 1,000 to 15,000 people (a town, a village, a district): too many
/// collide with names and products to count without a place cue before them.
pub const LOCALITY: u64 = 1 << 25;
/// The first word of a well-known organisation, brand, team or holiday named with names
/// or places ("wells" of "wells fargo", "boston" of "boston celtics").
pub const ORG_PREFIX: u64 = 1 << 26;

/// Any place flag.
pub const PLACE: u64 = COUNTRY | REGION | (STRENGTH_MASK << CITY_SHIFT);
