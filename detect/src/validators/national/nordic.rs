//! Sweden's personnummer, Finland's henkilötunnus, Denmark's CPR number and Norway's
//! fødselsnummer: each starts with the holder's birth date.

use super::{date_two_digit_year, digits, two, weighted};
use crate::validators::{date_exists, luhn_valid};

/// Swedish personnummer, `yymmddnnnc` or `yyyymmddnnnc`: Luhn over the ten digits from
/// `yy`, and a birth date that exists (a samordningsnummer adds 60 to the day).
pub fn se_personnummer_valid(d: &[u8]) -> bool {
    let (century, ten) = match d.len() {
        10 => (None, d),
        12 => match digits::<2>(&d[..2]) {
            Some(c @ [1, 8 | 9] | c @ [2, 0]) => (Some(two(&c)), &d[2..]),
            _ => return false,
        },
        _ => return false,
    };
    let Some(v) = digits::<10>(ten) else {
        return false;
    };
    let (yy, month, mut day) = (two(&v[..2]), two(&v[2..4]), two(&v[4..6]));
    if day > 60 {
        day -= 60;
    }
    let date = match century {
        Some(c) => date_exists(c * 100 + yy, month, day),
        None => date_two_digit_year(yy, month, day),
    };
    date && luhn_valid(ten)
}

/// Finnish henkilötunnus, `ddmmyyCzzzQ`: the century sign C (`+` 1800s; `-`, `U`–`Y`
/// 1900s; `A`–`F` 2000s), an individual number 002–899 and the check character of
/// `ddmmyyzzz` mod 31.
pub fn fi_hetu_valid(s: &[u8]) -> bool {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    if s.len() != 11 {
        return false;
    }
    let century = match s[6] {
        b'+' => 1800,
        b'-' | b'U'..=b'Y' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    let (Some(date), Some(ind)) = (digits::<6>(&s[..6]), digits::<3>(&s[7..10])) else {
        return false;
    };
    let individual = ind[0] * 100 + ind[1] * 10 + ind[2];
    if !date_exists(century + two(&date[4..]), two(&date[2..4]), two(&date[..2]))
        || !(2..=899).contains(&individual)
    {
        return false;
    }
    let n = date.iter().fold(0, |acc, d| acc * 10 + d) * 1000 + individual;
    CHECK[(n % 31) as usize] == s[10]
}

/// Danish CPR number, `ddmmyyssss`: a birth date that exists. Its mod-11 check was given
/// up in 2007 (numbers ran out for some dates), so nothing else can be checked.
pub fn dk_cpr_plausible(d: &[u8]) -> bool {
    digits::<10>(d).is_some_and(|v| date_two_digit_year(two(&v[4..6]), two(&v[2..4]), two(&v[..2])))
}

/// Norwegian fødselsnummer, `ddmmyyiiikk`: a birth date (a D-number adds 40 to the day,
/// an H-number 40 to the month, test numbers 80) and two mod-11 check digits.
pub fn no_fodselsnummer_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<11>(d) else {
        return false;
    };
    let mut day = two(&v[..2]);
    let mut month = two(&v[2..4]);
    if day > 40 {
        day -= 40;
    }
    if month > 80 {
        month -= 80;
    } else if month > 40 {
        month -= 40;
    }
    if !date_two_digit_year(two(&v[4..6]), month, day) {
        return false;
    }
    let check = |sum: u32| match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    };
    check(weighted(&v[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2])) == Some(v[9])
        && check(weighted(&v[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) == Some(v[10])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer() {
        assert!(se_personnummer_valid(b"8112189876"));
        assert!(se_personnummer_valid(b"8506121238"));
        assert!(se_personnummer_valid(b"198506121238"));
        assert!(
            se_personnummer_valid(b"8506721235"),
            "samordningsnummer: day + 60"
        );
        assert!(!se_personnummer_valid(b"8506121234"), "Luhn");
        assert!(!se_personnummer_valid(b"8513121231"), "month 13");
        assert!(!se_personnummer_valid(b"178506121238"), "century 17");
    }

    #[test]
    fn hetu() {
        assert!(fi_hetu_valid(b"131052-308T"));
        assert!(fi_hetu_valid(b"010101A123N"));
        assert!(!fi_hetu_valid(b"131052-308U"), "check character");
        assert!(!fi_hetu_valid(b"310252-308T"), "31 February");
        assert!(!fi_hetu_valid(b"131052Z308T"), "century sign");
        assert!(!fi_hetu_valid(b"131052-001T"), "individual number");
    }

    #[test]
    fn cpr() {
        assert!(dk_cpr_plausible(b"0101901234"));
        assert!(dk_cpr_plausible(b"2902001234"), "2000 was a leap year");
        assert!(!dk_cpr_plausible(b"3102901234"));
        assert!(!dk_cpr_plausible(b"010190123"));
    }

    #[test]
    fn fodselsnummer() {
        assert!(no_fodselsnummer_valid(b"12038512356"));
        assert!(no_fodselsnummer_valid(b"15077845655"));
        assert!(no_fodselsnummer_valid(b"01019012561"));
        assert!(
            !no_fodselsnummer_valid(b"12038512357"),
            "second check digit"
        );
        assert!(!no_fodselsnummer_valid(b"12038512346"), "first check digit");
        assert!(!no_fodselsnummer_valid(b"32038512356"), "day 32");
    }
}
