//! China's resident identity number, South Korea's resident registration number,
//! Singapore's NRIC and FIN, Malaysia's MyKad number, Indonesia's NIK and the UAE's
//! Emirates ID.

use super::{date_two_digit_year, digits, two, weighted};
use crate::validators::{date_exists, luhn_valid};

/// Chinese resident identity number: six digits of region (first 1–8), the birth date
/// `yyyymmdd` (1900 on), three digits of order and an ISO 7064 MOD 11-2 check character
/// (`0`–`9` or `X`).
pub fn cn_resident_id_valid(s: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if s.len() != 18 {
        return false;
    }
    let Some(v) = digits::<17>(&s[..17]) else {
        return false;
    };
    let year = two(&v[6..8]) * 100 + two(&v[8..10]);
    (1..=8).contains(&v[0])
        && (1900..=2099).contains(&year)
        && date_exists(year, two(&v[10..12]), two(&v[12..14]))
        && CHECK[(weighted(&v, &WEIGHTS) % 11) as usize] == s[17]
}

/// South Korean resident registration number, `yymmdd-gnnnnnn`: a birth date that
/// exists and a sex-and-century digit g (1–8; 9 and 0 for the 1800s).
pub fn kr_rrn_plausible(d: &[u8]) -> bool {
    let Some(v) = digits::<13>(d) else {
        return false;
    };
    let century = match v[6] {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => 1800,
    };
    date_exists(century + two(&v[..2]), two(&v[2..4]), two(&v[4..6]))
}

/// The check digit of a resident registration number, (11 − Σ dᵢ·wᵢ mod 11) mod 10
/// with weights 2–9, 2–5. Numbers issued since October 2020 have none, so a failing one
/// is still a number where a label says so.
pub fn kr_rrn_checksum(d: &[u8]) -> bool {
    digits::<13>(d).is_some_and(|v| {
        (11 - weighted(&v[..12], &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11) % 10 == v[12]
    })
}

/// Singapore NRIC (S, T) or FIN (F, G, M): a letter, seven digits and a check letter
/// from Σ dᵢ·(2, 7, 6, 5, 4, 3, 2) (plus 4 for T and G, 3 for M) mod 11.
pub fn sg_nric_valid(s: &[u8]) -> bool {
    if s.len() != 9 {
        return false;
    }
    let (offset, table): (u32, &[u8; 11]) = match s[0] {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        b'M' => (3, b"KLJNPQRTUWX"),
        _ => return false,
    };
    let Some(v) = digits::<7>(&s[1..8]) else {
        return false;
    };
    table[((weighted(&v, &[2, 7, 6, 5, 4, 3, 2]) + offset) % 11) as usize] == s[8]
}

/// Malaysian MyKad number, `yymmdd-pb-nnnn`: a birth date that exists and a place of
/// birth code in use (01–16 and 21–59 for the states, 60–99 for countries, with gaps).
/// There is no check digit.
pub fn my_mykad_plausible(d: &[u8]) -> bool {
    let Some(v) = digits::<12>(d) else {
        return false;
    };
    let place = two(&v[6..8]);
    date_two_digit_year(two(&v[..2]), two(&v[2..4]), two(&v[4..6]))
        && !matches!(place, 0 | 17..=20 | 69 | 70 | 73 | 80 | 81 | 94..=97)
}

/// Indonesian NIK, sixteen digits: a province (11–94), regency and district, the birth
/// date `ddmmyy` (plus 40 to the day for women) and a serial number from 0001. There is
/// no check digit.
pub fn id_nik_plausible(d: &[u8]) -> bool {
    let Some(v) = digits::<16>(d) else {
        return false;
    };
    let day = match two(&v[6..8]) {
        d @ 41..=71 => d - 40,
        d => d,
    };
    (11..=94).contains(&two(&v[..2]))
        && date_two_digit_year(two(&v[10..12]), two(&v[8..10]), day)
        && v[12..].iter().any(|&x| x != 0)
}

/// Whether fifteen digits are an Emirates ID's, `784-yyyy-nnnnnnn-c`: the UAE's country
/// code 784 and a birth year from 1900 on, whatever the check digit.
pub fn ae_emirates_id_plausible(d: &[u8]) -> bool {
    digits::<15>(d).is_some_and(|v| {
        v[..3] == [7, 8, 4] && (1900..=2039).contains(&(two(&v[3..5]) * 100 + two(&v[5..7])))
    })
}

/// UAE Emirates ID: [`ae_emirates_id_plausible`] and a Luhn check digit over all fifteen.
pub fn ae_emirates_id_valid(d: &[u8]) -> bool {
    ae_emirates_id_plausible(d) && luhn_valid(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china() {
        assert!(cn_resident_id_valid(b"11010519491231002X"));
        assert!(cn_resident_id_valid(b"440308199003071235"));
        assert!(
            !cn_resident_id_valid(b"110105194912310021"),
            "check character"
        );
        assert!(!cn_resident_id_valid(b"440308199002301238"), "30 February");
        assert!(!cn_resident_id_valid(b"940308199003071233"), "region 9");
        assert!(!cn_resident_id_valid(b"11010519491231002"));
    }

    #[test]
    fn korea() {
        assert!(kr_rrn_plausible(b"8506121234561"));
        assert!(kr_rrn_checksum(b"8506121234561"));
        assert!(!kr_rrn_checksum(b"8506121234562"), "check digit");
        assert!(
            kr_rrn_plausible(b"8506121234562"),
            "numbers since 2020 have no check"
        );
        assert!(!kr_rrn_plausible(b"8513121234561"), "month 13");
        assert!(!kr_rrn_plausible(b"850612123456"));
    }

    #[test]
    fn singapore() {
        assert!(sg_nric_valid(b"S1234567D"));
        assert!(sg_nric_valid(b"T0123456G"));
        assert!(sg_nric_valid(b"F1234567N"));
        assert!(sg_nric_valid(b"G1234567X"));
        assert!(!sg_nric_valid(b"S1234567E"), "check letter");
        assert!(!sg_nric_valid(b"A1234567D"), "prefix");
        assert!(!sg_nric_valid(b"S123456D"));
    }

    #[test]
    fn malaysia() {
        assert!(my_mykad_plausible(b"900514105523"));
        assert!(my_mykad_plausible(b"000229141234"), "2000 was a leap year");
        assert!(!my_mykad_plausible(b"901314105523"), "month 13");
        assert!(!my_mykad_plausible(b"900514005523"), "place 00");
        assert!(!my_mykad_plausible(b"90051410552"));
    }

    #[test]
    fn indonesia() {
        assert!(id_nik_plausible(b"3174052208910003"));
        assert!(id_nik_plausible(b"3174056208910003"), "a woman: day + 40");
        assert!(!id_nik_plausible(b"3174053208910003"), "day 32");
        assert!(!id_nik_plausible(b"0174052208910003"), "province 01");
        assert!(!id_nik_plausible(b"3174052208910000"), "serial 0000");
    }

    #[test]
    fn emirates() {
        assert!(ae_emirates_id_valid(b"784197945218739"));
        assert!(!ae_emirates_id_valid(b"784197945218736"), "Luhn");
        assert!(ae_emirates_id_plausible(b"784197945218736"));
        assert!(!ae_emirates_id_plausible(b"785197945218736"), "not 784");
        assert!(!ae_emirates_id_plausible(b"784187945218736"), "year 1879");
    }
}
