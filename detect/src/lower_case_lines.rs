//! Lines written in lower case, as chat, dictation and voicemail write them: the passes
//! that read such lines word by word (`names::chat`, `spoken`) share this test.

/// Whether `line`, whose first letter at byte `first` is lower case, stays in lower case
/// after its first sentence's end. A line of prose cut in the middle of a sentence (a
/// chunk of a large file, a hard-wrapped paragraph) opens in lower case too, but its next
/// sentence opens with a capital.
pub(crate) fn next_sentence_in_lower_case(line: &[u8], first: usize) -> bool {
    let mut i = first;
    while let Some(k) = memchr::memchr3(b'.', b'!', b'?', &line[i..]) {
        let mut j = i + k + 1;
        while j < line.len() && matches!(line[j], b'.' | b'!' | b'?') {
            j += 1;
        }
        if j < line.len() && line[j] == b' ' {
            let next = line[j..].iter().find(|b| !matches!(b, b' ' | b'"' | b'\''));
            return !next.is_some_and(u8::is_ascii_uppercase);
        }
        i = j;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_after_the_first_decides() {
        assert!(next_sentence_in_lower_case(
            b"omg is jess coming?? ya her train",
            0
        ));
        assert!(next_sentence_in_lower_case(b"no sentence end at all", 0));
        assert!(!next_sentence_in_lower_case(
            b"moved to leeds. Then she left",
            0
        ));
        assert!(!next_sentence_in_lower_case(b"cut here! \"Quoted start", 0));
    }
}
