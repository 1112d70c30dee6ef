/// North American VIN (ISO 3779 + 49 CFR 565): 17 chars without I, O, Q, with the
/// check digit (0-9 or X) in position 9.
pub fn vin_valid(vin: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    if vin.len() != 17 {
        return false;
    }
    let mut sum = 0u32;
    for (&b, w) in vin.iter().zip(WEIGHTS) {
        let Some(v) = transliterate(b) else {
            return false;
        };
        sum += v * w;
    }
    let expected = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    vin[8] == expected
}

fn transliterate(b: u8) -> Option<u32> {
    Some(match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None, // I, O, Q and anything else
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_vins() {
        // The NHTSA worked example (check digit X) and a real-world format VIN.
        assert!(vin_valid(b"1M8GDM9AXKP042788"));
        assert!(vin_valid(b"11111111111111111"));
    }

    #[test]
    fn invalid_vins() {
        assert!(!vin_valid(b"1M8GDM9A1KP042788"), "wrong check digit");
        assert!(!vin_valid(b"1M8GDM9AXKP042789"), "altered digit");
        assert!(!vin_valid(b"1M8GDM9AXKP04278"), "too short");
        assert!(!vin_valid(b"1M8GDM9AXKO042788"), "letter O is not allowed");
    }
}
