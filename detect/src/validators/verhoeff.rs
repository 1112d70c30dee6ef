//! Verhoeff dihedral-group check digit, used by India's Aadhaar.

const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 8, 7, 6, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// True when the last digit is the Verhoeff check digit of the others.
pub fn verhoeff_valid(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut c = 0usize;
    for (i, &b) in digits.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        c = usize::from(D[c][usize::from(P[i % 8][usize::from(b - b'0')])]);
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        // Wikipedia's worked example: the check digit of 236 is 3.
        assert!(verhoeff_valid(b"2363"));
        assert!(!verhoeff_valid(b"2364"));
        // Another common reference value: 12345 -> 1.
        assert!(verhoeff_valid(b"123451"));
        assert!(!verhoeff_valid(b"123452"));
    }

    #[test]
    fn catches_every_single_digit_error_and_adjacent_swap() {
        let good = b"2363";
        for pos in 0..good.len() {
            for d in b'0'..=b'9' {
                if d == good[pos] {
                    continue;
                }
                let mut bad = *good;
                bad[pos] = d;
                assert!(!verhoeff_valid(&bad), "{:?}", std::str::from_utf8(&bad));
            }
        }
        assert!(!verhoeff_valid(b"3263"));
    }
}
