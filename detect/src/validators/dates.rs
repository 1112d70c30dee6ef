/// True when the calendar date exists (proleptic Gregorian), e.g. 2024-02-29 but not 2023-02-29.
pub fn date_exists(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Hours, minutes and seconds of a clock time (a leap second 60 is accepted).
pub fn time_valid(hour: u32, minute: u32, second: u32) -> bool {
    hour < 24 && minute < 60 && second <= 60
}

/// Month number of an English month name or its three-letter abbreviation
/// (`Sept` too), case-insensitive.
pub fn month_from_name(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let name = name.trim_end_matches('.');
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|full| {
            name.len() <= full.len()
                && full.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && (name.len() == 3
                    || name.len() == full.len()
                    || name.eq_ignore_ascii_case("sept"))
        })
        .map(|i| i as u32 + 1)
}

/// Month names written out in French, Spanish, Italian, Portuguese, German, Dutch, Polish,
/// Turkish, Indonesian and Malay, in lower case or capitalised, with their common
/// spellings without accents.
const FOREIGN_MONTHS: [&[&str]; 12] = [
    &[
        "janvier", "enero", "gennaio", "janeiro", "januar", "januari", "stycznia", "ocak",
    ],
    &[
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februar",
        "februari",
        "lutego",
        "şubat",
    ],
    &[
        "mars", "marzo", "março", "marco", "märz", "maerz", "maart", "marts", "marca", "maret",
        "mart",
    ],
    &["avril", "abril", "aprile", "kwietnia", "nisan"],
    &[
        "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "mayıs",
    ],
    &[
        "juin", "junio", "giugno", "junho", "juni", "czerwca", "haziran",
    ],
    &[
        "juillet", "julio", "luglio", "julho", "juli", "lipca", "julai", "temmuz",
    ],
    &[
        "août", "aout", "agosto", "augustus", "augusti", "sierpnia", "agustus", "ogos", "ağustos",
    ],
    &[
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "setembro",
        "września",
        "eylül",
    ],
    &[
        "octobre",
        "octubre",
        "ottobre",
        "outubro",
        "oktober",
        "października",
        "ekim",
    ],
    &["novembre", "noviembre", "novembro", "listopada", "kasım"],
    &[
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
        "dezember",
        "grudnia",
        "desember",
        "disember",
        "aralık",
    ],
];

/// Month number of a month name written out in another European language
/// ("avril", "März", "settembre").
pub fn foreign_month_from_name(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.');
    if name.len() < 3 || name.len() > 14 {
        return None;
    }
    let mut lower = [0u8; 16];
    let mut n = 0;
    for c in name.chars().flat_map(char::to_lowercase) {
        let mut b = [0u8; 4];
        let e = c.encode_utf8(&mut b).as_bytes();
        if n + e.len() > lower.len() {
            return None;
        }
        lower[n..n + e.len()].copy_from_slice(e);
        n += e.len();
    }
    let lower = std::str::from_utf8(&lower[..n]).ok()?;
    FOREIGN_MONTHS
        .iter()
        .position(|names| names.contains(&lower))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(date_exists(2024, 2, 29));
        assert!(!date_exists(2023, 2, 29));
        assert!(date_exists(2000, 2, 29));
        assert!(!date_exists(1900, 2, 29));
    }

    #[test]
    fn month_lengths() {
        assert!(date_exists(2024, 1, 31));
        assert!(!date_exists(2024, 4, 31));
        assert!(!date_exists(2024, 13, 1));
        assert!(!date_exists(2024, 0, 1));
        assert!(!date_exists(2024, 5, 0));
    }

    #[test]
    fn foreign_month_names() {
        assert_eq!(foreign_month_from_name("avril"), Some(4));
        assert_eq!(foreign_month_from_name("März"), Some(3));
        assert_eq!(foreign_month_from_name("Décembre"), Some(12));
        assert_eq!(foreign_month_from_name("settembre"), Some(9));
        assert_eq!(foreign_month_from_name("April"), None);
        assert_eq!(foreign_month_from_name("avrilx"), None);
        assert_eq!(foreign_month_from_name("décembrissime"), None);
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("March"), Some(3));
        assert_eq!(month_from_name("mar"), Some(3));
        assert_eq!(month_from_name("Sept"), Some(9));
        assert_eq!(month_from_name("Dec."), Some(12));
        assert_eq!(month_from_name("Marc"), None);
        assert_eq!(month_from_name("Ma"), None);
    }

    #[test]
    fn clock_times() {
        assert!(time_valid(23, 59, 59));
        assert!(!time_valid(24, 0, 0));
        assert!(!time_valid(12, 60, 0));
    }
}
