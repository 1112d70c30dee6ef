/// UK National Insurance number: two prefix letters (first not D F I Q U V, second not
/// D F I O Q U V, and not BG GB KN NK NT TN ZZ), six digits, suffix A-D.
/// Takes the nine characters without spaces, upper case.
pub fn nino_valid(nino: &[u8]) -> bool {
    if nino.len() != 9 {
        return false;
    }
    let (a, b) = (nino[0], nino[1]);
    let first_ok = a.is_ascii_uppercase() && !b"DFIQUV".contains(&a);
    let second_ok = b.is_ascii_uppercase() && !b"DFIOQUV".contains(&b);
    let banned = [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"]
        .iter()
        .any(|p| p.as_slice() == &nino[..2]);
    first_ok
        && second_ok
        && !banned
        && nino[2..8].iter().all(u8::is_ascii_digit)
        && (b'A'..=b'D').contains(&nino[8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid() {
        assert!(nino_valid(b"AB123456C"));
        assert!(nino_valid(b"JG103759A"));
        assert!(!nino_valid(b"BG123456C"), "BG is never issued");
        assert!(!nino_valid(b"QQ123456C"), "Q is not a valid first letter");
        assert!(!nino_valid(b"AO123456C"), "O is not a valid second letter");
        assert!(!nino_valid(b"AB123456E"), "suffix must be A-D");
        assert!(!nino_valid(b"AB12345C"));
    }
}
