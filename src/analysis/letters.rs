//! Letter tests and lower-casing with a shortcut for ASCII and Cyrillic.
//!
//! The standard library answers `is_alphabetic`, `is_uppercase` and `to_lowercase` for any
//! character outside ASCII by searching Unicode tables, which is most of the cost when they
//! run on every word of a Russian or Bulgarian message. The answers here are the standard
//! library's (the tests compare them on every character up to U+04FF); only the road to
//! them is shorter.

use super::cyrillic_lower;

/// `char::is_alphabetic`.
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | 'Ѐ'..='ҁ' => true,
        '\0'..='\u{7F}' => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_uppercase`.
pub fn is_upper(c: char) -> bool {
    match c {
        'A'..='Z' | 'Ѐ'..='Я' => true,
        '\0'..='\u{7F}' | 'а'..='џ' => false,
        _ => c.is_uppercase(),
    }
}

/// `char::is_lowercase`.
pub fn is_lower(c: char) -> bool {
    match c {
        'a'..='z' | 'а'..='џ' => true,
        '\0'..='\u{7F}' | 'Ѐ'..='Я' => false,
        _ => c.is_lowercase(),
    }
}

/// Byte offsets where `c` starts in `bytes`: a vectorised search for the last byte of its
/// UTF-8 form, each hit checked whole. (A two-byte letter such as `Х` costs no more to look for
/// than an ASCII one.)
pub fn char_positions(bytes: &[u8], c: char) -> impl Iterator<Item = usize> + '_ {
    let mut utf8 = [0u8; 4];
    let len = c.encode_utf8(&mut utf8).len();
    memchr::memchr_iter(utf8[len - 1], bytes).filter_map(move |last| {
        let start = (last + 1).checked_sub(len)?;
        (bytes[start..=last] == utf8[..len]).then_some(start)
    })
}

/// `str::to_lowercase`.
pub fn lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0'..='\u{7F}' => out.push(c.to_ascii_lowercase()),
            'Ѐ'..='џ' => out.push(cyrillic_lower(c)),
            // Other scripts (Greek final sigma needs the whole word): the library's way.
            _ => return text.to_lowercase(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn char_positions_are_match_indices(text in "[aХx«»\"„“ -]{0,20}", c in "[Х«\"„x]") {
            let c = c.chars().next().unwrap();
            let found: Vec<usize> = char_positions(text.as_bytes(), c).collect();
            let expected: Vec<usize> = text.match_indices(c).map(|(i, _)| i).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn same_answers_as_the_standard_library() {
        for c in ('\0'..='\u{4FF}').chain(['ẞ', 'Σ', 'ǅ', '𝔄']) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_lower(c), c.is_lowercase(), "{c:?}");
            let text = format!("{c}x{c}");
            assert_eq!(lowercase(&text), text.to_lowercase(), "{c:?}");
        }
        let sentence = "ОДИΣ Съобщение, Ёжик; ΟΔΟΣ.";
        assert_eq!(lowercase(sentence), sentence.to_lowercase());
    }
}
