//! Wire entities carry character offsets; the engine slices by bytes. A chunk of a large
//! document carries tens of thousands of entities, so each offset cannot be a scan from
//! the start of the text: all of them are converted in one forward pass.

/// Byte offsets of `chars` (character offsets, any order) in `text`, in the same order;
/// `None` for an offset past the end of the text.
pub fn byte_offsets(text: &str, chars: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_unstable_by_key(|&i| chars[i]);
    let mut out = vec![None; chars.len()];
    let mut walk = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let mut at_char = 0;
    let mut at_byte = walk.next();
    for i in order {
        while at_char < chars[i] && at_byte.is_some() {
            at_byte = walk.next();
            at_char += 1;
        }
        if at_char == chars[i] {
            out[i] = at_byte;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_multibyte_characters_once() {
        let text = "a😀b中c";
        assert_eq!(
            byte_offsets(text, &[5, 0, 2, 1, 6, 4, 2]),
            vec![Some(10), Some(0), Some(5), Some(1), None, Some(9), Some(5)]
        );
        assert_eq!(byte_offsets("", &[0, 1]), vec![Some(0), None]);
    }

    proptest! {
        #[test]
        fn agrees_with_counting_from_the_start(text in "[a-zé中😀 ]{0,40}", chars in proptest::collection::vec(0usize..45, 0..20)) {
            let expected: Vec<Option<usize>> = chars
                .iter()
                .map(|&c| detect::offsets::byte_offset(&text, c))
                .collect();
            prop_assert_eq!(byte_offsets(&text, &chars), expected);
        }
    }
}
