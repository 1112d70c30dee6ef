//! Where the value starts inside a labelled match, found by hand because running the
//! capture engine for every `Mr ...` or `age ...` costs more than the whole DFA scan.

use super::Shape;

/// The value span of a labelled shape's match, or `None` when only the capture group can
/// tell (labels whose separator may also appear inside the label, like `first-name - X`).
pub(crate) fn quick_value(
    shape: Shape,
    text: &str,
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    match shape {
        // The value is the number the match starts with.
        Shape::AgeSuffix => {
            let n = b[start..end]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            Some((start, start + n))
        }
        // The value is the digit run the match ends with.
        Shape::PinLabel
        | Shape::CvvLabel
        | Shape::AgeLabel
        | Shape::AgeVerb
        | Shape::PostcodeLabel => {
            let mut vs = end;
            while vs > start
                && (b[vs - 1].is_ascii_digit()
                    || (shape == Shape::PostcodeLabel && b[vs - 1] == b'-'))
            {
                vs -= 1;
            }
            Some((vs, end))
        }
        // Labels are letters only, so the first `:` or `=` is the separator.
        Shape::PasswordLabel | Shape::UsernameLabel => {
            let sep = start + b[start..end].iter().position(|&c| c == b':' || c == b'=')?;
            let vs = sep
                + 1
                + b[sep + 1..end]
                    .iter()
                    .take_while(|&&c| c == b' ' || c == b'\t' || c == b'"')
                    .count();
            Some((vs, end))
        }
        // The value is the number before the closing comma or parenthesis.
        Shape::AgeAppositive => {
            let ve = end - 1;
            let vs = ve
                - b[start..ve]
                    .iter()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            Some((vs, ve))
        }
        // The value is the run of letters, digits and dashes the match ends with: the
        // label is always separated from it by something else.
        Shape::IdLabel => {
            let mut vs = end;
            while vs > start && (b[vs - 1].is_ascii_alphanumeric() || b[vs - 1] == b'-') {
                vs -= 1;
            }
            Some((vs, end))
        }
        // A title, an optional dot, spaces.
        Shape::NameTitle => {
            let mut vs = start
                + b[start..end]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            if b.get(vs) == Some(&b'.') {
                vs += 1;
            }
            vs += b[vs..end].iter().take_while(|&&c| c == b' ').count();
            Some((vs, end))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use regex_automata::{Anchored, Input};

    use super::*;
    use crate::patterns::shapes::all_regex_sources;
    use crate::patterns::{SHAPES, build_regex};

    #[test]
    fn agrees_with_the_capture_group() {
        let re = build_regex(&all_regex_sources()).unwrap();
        let mut caps = re.create_captures();
        let samples = [
            "age 42",
            "aged: 67",
            "age of 30",
            "turned 34",
            "she was 19",
            "I'm now 42",
            "42 years old",
            "42-year-old",
            "30yo",
            "PIN: 4821",
            "pin code 123456",
            "cvv2 123",
            "security code: 4567",
            "zip code 94105-1234",
            "postcode: 2000",
            "password: hunter2!",
            "pwd=s3cr3t",
            "user name = jdoe",
            "login:\tjane.doe",
            ", 19,",
            " (52)",
            "Driver's licence no. ab1234567",
            "DL# D1234-56789-01234",
            "passport # is L898902C3",
            "Passport: 533380006",
            "Dr. José García",
            "Mrs  Ann Lee",
            "Prof Ng",
        ];
        for text in samples {
            let input = Input::new(text).anchored(Anchored::Yes);
            re.search_captures(&input, &mut caps);
            let m = caps
                .get_match()
                .unwrap_or_else(|| panic!("{text:?} did not match"));
            let shape = SHAPES[m.pattern().as_usize()];
            let want = caps.get_group(1).map(|s| (s.start, s.end));
            assert!(want.is_some(), "{text:?} matched {shape:?} without a value");
            assert_eq!(
                quick_value(shape, text, m.start(), m.end()),
                want,
                "{text:?} as {shape:?}"
            );
        }
    }
}
