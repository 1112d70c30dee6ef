//! Chinese, Japanese and Korean addresses: a run of CJK words and numbers with enough
//! administrative parts, with a Japanese postcode before it.

use super::*;

/// Characters that end an administrative or street part of a Chinese or Japanese address.
pub(super) const HAN_ADDRESS_PARTS: &str = "都道府県市区區町村郡省州路街号號丁目番地巷弄";

/// Hangul syllables that end a part of a Korean address (시 city, 구 district, 로/길 road…).
pub(super) const HANGUL_ADDRESS_PARTS: &str = "시도구군동로길읍면리";

pub(super) fn jp_postcode(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 8 && b[3] == b'-' && b[..3].iter().chain(&b[4..]).all(u8::is_ascii_digit)
}

/// "東京都渋谷区渋谷2-21-1", "서울특별시 강남구 테헤란로 152", "北京市朝阳区建国路88号": a run of
/// CJK words and numbers on one line with at least two address parts and a number, or
/// three parts. Returns the last token. Ordinary prose has such characters too ("知道",
/// "城市"), rarely two of them with a house number.
pub(super) fn cjk(ctx: &mut Ctx, i: usize) -> Option<usize> {
    let mut parts = 0;
    let mut numbered = false;
    let mut last = i;
    let mut k = i;
    while let Some(t) = ctx.get(k) {
        if k > i && t.gap > Gap::Space {
            break;
        }
        match t.kind {
            Kind::Cjk => {
                let w = ctx.word(k);
                let mut here = w.chars().filter(|c| HAN_ADDRESS_PARTS.contains(*c)).count();
                if w.chars()
                    .last()
                    .is_some_and(|c| HANGUL_ADDRESS_PARTS.contains(c))
                    && w.chars().count() >= 2
                {
                    here += 1;
                }
                // An address starts with a part ("주소는 서울특별시…" starts at 서울특별시), and
                // after the house number only a part ("号") continues it.
                if here == 0 && (k == i || numbered) {
                    break;
                }
                parts += here;
                last = k;
            }
            Kind::Number => {
                numbered = true;
                last = k;
            }
            Kind::Punct('-' | '\u{2010}' | '\u{2212}' | '\u{30FC}') if k > i => {}
            _ => break,
        }
        k += 1;
    }
    (k > i && (parts >= 3 || parts >= 2 && numbered)).then_some(last)
}
