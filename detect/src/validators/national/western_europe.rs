//! France's NIR, the Netherlands' BSN, Belgium's national number, Ireland's PPS number,
//! Germany's Steuer-ID, Poland's PESEL and Switzerland's AHV number.

use super::{date_two_digit_year, digits, two, weighted};
use crate::validators::date_exists;

/// French NIR (numéro de sécurité sociale), 13 characters and a two-digit key
/// 97 − (n mod 97): sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month (01–12,
/// or 20–42 and 50–99 where it is unknown), département (Corsica's `2A`, `2B` count as
/// 19 and 18 in the key), commune and order number.
pub fn fr_nir_valid(s: &[u8]) -> bool {
    if s.len() != 15 {
        return false;
    }
    let (dept, corsica) = match &s[5..7] {
        b"2A" => (*b"19", true),
        b"2B" => (*b"18", true),
        d => ([d[0], d[1]], false),
    };
    let mut number = [0u8; 15];
    number.copy_from_slice(s);
    number[5..7].copy_from_slice(&dept);
    let Some(v) = digits::<15>(&number) else {
        return false;
    };
    let month = two(&v[3..5]);
    if !matches!(v[0], 1..=4 | 7 | 8)
        || !matches!(month, 1..=12 | 20..=42 | 50..=99)
        || (!corsica && two(&v[5..7]) == 0)
    {
        return false;
    }
    let n = v[..13].iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d));
    97 - n % 97 == u64::from(two(&v[13..]))
}

/// Dutch BSN, nine digits passing the 11-test: Σ dᵢ·(9 − i) over the first eight, minus
/// the last, is a multiple of 11.
pub fn nl_bsn_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<9>(d) else {
        return false;
    };
    let sum = weighted(&v[..8], &[9, 8, 7, 6, 5, 4, 3, 2]);
    v[0] + v[1] != 0 && sum >= v[8] && (sum - v[8]).is_multiple_of(11)
}

/// Belgian national number, `yymmddsssCC`: CC = 97 − (yymmddsss mod 97), or for births
/// from 2000 on 97 − (2yymmddsss mod 97). The month may be 0 (date unknown) or raised by
/// 20 or 40 (bis numbers), the day 0.
pub fn be_national_number_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<11>(d) else {
        return false;
    };
    let (month, day) = (two(&v[2..4]) % 20, two(&v[4..6]));
    if two(&v[2..4]) > 52
        || month > 12
        || (month != 0 && day != 0 && !date_two_digit_year(two(&v[..2]), month, day))
        || day > 31
    {
        return false;
    }
    let n = v[..9].iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d));
    let check = u64::from(two(&v[9..]));
    97 - n % 97 == check || 97 - (2_000_000_000 + n) % 97 == check
}

/// Irish PPS number, seven digits, a check letter and an optional second letter (A, B,
/// H, W…): Σ dᵢ·(8 − i), plus 9 × the second letter's place in the alphabet (W as 0),
/// mod 23, with 0 as W and 1–22 as A–V.
pub fn ie_pps_valid(s: &[u8]) -> bool {
    if !(8..=9).contains(&s.len()) {
        return false;
    }
    let Some(v) = digits::<7>(&s[..7]) else {
        return false;
    };
    let second = match s.get(8) {
        None | Some(b'W') => 0,
        Some(c @ b'A'..=b'Z') => u32::from(c - b'A') + 1,
        Some(_) => return false,
    };
    let r = (weighted(&v, &[8, 7, 6, 5, 4, 3, 2]) + 9 * second) % 23;
    let letter = if r == 0 { b'W' } else { b'A' + r as u8 - 1 };
    s[7] == letter
}

/// German Steuer-ID, eleven digits: no leading 0; among the first ten one digit occurs
/// twice or three times and the others at most once; the last is the ISO 7064 MOD 11,10
/// check digit.
pub fn de_steuer_id_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<11>(d) else {
        return false;
    };
    if v[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &v[..10] {
        counts[x as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c > 1).count();
    if repeated != 1 || counts.iter().any(|&c| c > 3) {
        return false;
    }
    let mut product = 10;
    for &x in &v[..10] {
        let sum = match (x + product) % 10 {
            0 => 10,
            s => s,
        };
        product = sum * 2 % 11;
    }
    (11 - product) % 10 == v[10]
}

/// Polish PESEL, `yymmddzzzzq`: the month carries the century (+80 for the 1800s, +20,
/// +40, +60 for the 2000s, 2100s, 2200s), and q = (10 − Σ dᵢ·wᵢ mod 10) mod 10 with
/// weights 1, 3, 7, 9 repeated.
pub fn pl_pesel_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<11>(d) else {
        return false;
    };
    let coded = two(&v[2..4]);
    let (century, month) = match coded {
        81..=92 => (1800, coded - 80),
        1..=12 => (1900, coded),
        21..=32 => (2000, coded - 20),
        41..=52 => (2100, coded - 40),
        61..=72 => (2200, coded - 60),
        _ => return false,
    };
    date_exists(century + two(&v[..2]), month, two(&v[4..6]))
        && (10 - weighted(&v[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10) % 10 == v[10]
}

/// Swiss AHV number (AVS), `756.nnnn.nnnn.nc`: Switzerland's country code 756, nine
/// digits and an EAN-13 check digit (weights 1 and 3 alternating).
pub fn ch_ahv_valid(d: &[u8]) -> bool {
    digits::<13>(d).is_some_and(|v| {
        let sum = weighted(&v[..12], &[1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3]);
        v[..3] == [7, 5, 6] && (10 - sum % 10) % 10 == v[12]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nir() {
        assert!(fr_nir_valid(b"185057800608491"));
        assert!(fr_nir_valid(b"269029934173285"));
        assert!(fr_nir_valid(b"185052A00608435"), "Corsica: 2A counts as 19");
        assert!(fr_nir_valid(b"185052B00608462"), "Corsica: 2B counts as 18");
        assert!(!fr_nir_valid(b"185057800608436"), "key");
        assert!(!fr_nir_valid(b"185052A00608462"), "2B's key on 2A");
        assert!(!fr_nir_valid(b"585057800608491"), "sex 5");
        assert!(!fr_nir_valid(b"18505780060849"));
    }

    #[test]
    fn bsn() {
        assert!(nl_bsn_valid(b"111222333"));
        assert!(nl_bsn_valid(b"123456782"));
        assert!(!nl_bsn_valid(b"111222334"), "11-test");
        assert!(!nl_bsn_valid(b"000000000"));
    }

    #[test]
    fn belgian_national_number() {
        assert!(be_national_number_valid(b"85073003328"));
        assert!(
            be_national_number_valid(b"01020300170"),
            "born 2001: 2 before the number"
        );
        assert!(!be_national_number_valid(b"85073003329"), "check");
        assert!(!be_national_number_valid(b"85133003328"), "month 13");
        assert!(!be_national_number_valid(b"85023003390"), "30 February");
    }

    #[test]
    fn pps() {
        assert!(ie_pps_valid(b"1234567T"));
        assert!(ie_pps_valid(b"1234567FA"));
        assert!(ie_pps_valid(b"7654321JH"));
        assert!(!ie_pps_valid(b"1234567TA"), "the second letter counts");
        assert!(!ie_pps_valid(b"1234567U"), "check letter");
        assert!(!ie_pps_valid(b"123456T"));
    }

    #[test]
    fn steuer_id() {
        assert!(de_steuer_id_valid(b"47368124094"));
        assert!(!de_steuer_id_valid(b"47368124095"), "check digit");
        assert!(!de_steuer_id_valid(b"12345678903"), "no digit repeated");
        assert!(!de_steuer_id_valid(b"07368124094"), "leading 0");
    }

    #[test]
    fn pesel() {
        assert!(pl_pesel_valid(b"44051401359"));
        assert!(pl_pesel_valid(b"02221501236"), "born 2002: month + 20");
        assert!(!pl_pesel_valid(b"44051401358"), "check digit");
        assert!(!pl_pesel_valid(b"44053201353"), "day 32");
        assert!(!pl_pesel_valid(b"44151401359"), "month 15");
    }

    #[test]
    fn ahv() {
        assert!(ch_ahv_valid(b"7564821390755"));
        assert!(ch_ahv_valid(b"7561234567897"));
        assert!(!ch_ahv_valid(b"7564821390752"), "check digit");
        assert!(!ch_ahv_valid(b"7574821390754"), "not 756");
        assert!(!ch_ahv_valid(b"756482139075"));
    }
}
