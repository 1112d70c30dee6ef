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
