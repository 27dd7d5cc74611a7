//! The tokens a redline compares: a text cut at Unicode's word boundaries (UAX #29), exactly
//! as `unicode-segmentation` cuts it, in one cheap pass for the characters policies are
//! written in (ASCII, Latin letters, typographic quotes and dashes, no-break spaces). A text
//! with any other character is cut by `unicode-segmentation` itself.

use unicode_segmentation::UnicodeSegmentation;

/// A character's word-break property, for the characters cut here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_` (ExtendNumLet): joins letters and digits.
    Underscore,
    /// `:` joins letters.
    MidLetter,
    /// `,` and `;` join digits.
    MidNum,
    /// `.`, `'`, `‘`, `’` join letters, and digits.
    MidNumLet,
    /// The ASCII space: runs of it are one token.
    Space,
    Cr,
    Lf,
    /// Everything else here: a token of its own.
    Other,
}

/// The class of `c`, or `None` for a character only `unicode-segmentation` knows.
fn class(c: char) -> Option<Class> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        '_' => Class::Underscore,
        ':' => Class::MidLetter,
        ',' | ';' => Class::MidNum,
        '.' | '\'' | '\u{2018}' | '\u{2019}' => Class::MidNumLet,
        ' ' => Class::Space,
        '\r' => Class::Cr,
        '\n' => Class::Lf,
        // Other ASCII, the no-break space, signs, quotes, dashes and bullets.
        '\0'..='\u{7f}'
        | '\u{a0}'
        | '\u{a9}'
        | '\u{ae}'
        | '\u{2013}'
        | '\u{2014}'
        | '\u{201c}'
        | '\u{201d}'
        | '\u{2022}'
        | '\u{2026}'
        | '\u{2122}' => Class::Other,
        // Latin-1 and Latin Extended-A letters (× and ÷ are not letters).
        '\u{c0}'..='\u{17f}' if c.is_alphabetic() => Class::Letter,
        _ => return None,
    })
}

/// `text` cut at its word boundaries: words, runs of spaces, and single other characters.
pub fn word_tokens(text: &str) -> Vec<&str> {
    let Some(chars) = text
        .char_indices()
        .map(|(at, c)| class(c).map(|class| (at, class)))
        .collect::<Option<Vec<_>>>()
    else {
        return text.split_word_bounds().collect();
    };
    let class_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut tokens = Vec::with_capacity(chars.len() / 2 + 1);
    let mut start = 0;
    for i in 1..chars.len() {
        let before = i.checked_sub(2).and_then(class_at);
        if breaks(before, chars[i - 1].1, chars[i].1, class_at(i + 1)) {
            tokens.push(&text[start..chars[i].0]);
            start = chars[i].0;
        }
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// True when UAX #29 breaks between `a` and `b` (`before` precedes `a`, `after` follows `b`).
fn breaks(before: Option<Class>, a: Class, b: Class, after: Option<Class>) -> bool {
    use Class::*;
    let word = |c: Class| matches!(c, Letter | Digit | Underscore);
    let joins_letters = |c: Class| matches!(c, MidLetter | MidNumLet);
    let joins_digits = |c: Class| matches!(c, MidNum | MidNumLet);
    match (a, b) {
        (Cr, Lf) => false,
        (Cr | Lf, _) | (_, Cr | Lf) => true,
        (Space, Space) => false,
        _ if word(a) && word(b) => false,
        (Letter, mid) if joins_letters(mid) && after == Some(Letter) => false,
        (mid, Letter) if joins_letters(mid) && before == Some(Letter) => false,
        (Digit, mid) if joins_digits(mid) && after == Some(Digit) => false,
        (mid, Digit) if joins_digits(mid) && before == Some(Digit) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> Vec<&str> {
        text.split_word_bounds().collect()
    }

    #[test]
    fn cuts_words_spaces_and_punctuation() {
        assert_eq!(
            word_tokens("We don’t keep 1,000.5 e-mails  (see §3)."),
            [
                "We", " ", "don’t", " ", "keep", " ", "1,000.5", " ", "e", "-", "mails", "  ", "(", "see", " ", "§",
                "3", ")", "."
            ]
        );
        assert_eq!(word_tokens(""), Vec::<&str>::new());
    }

    /// Every string of up to four characters from one of each kind the fast path knows is
    /// cut as `unicode-segmentation` cuts it (the rules look at most two characters away).
    #[test]
    fn cuts_as_unicode_segmentation_does() {
        let alphabet = [
            'a', 'Z', 'é', 'ſ', '7', '_', ':', ',', ';', '.', '\'', '‘', '’', ' ', '\r', '\n', '\t', '-', '"',
            '\u{a0}', '“', '–', '©', '™', '…', '•', '\u{b}',
        ];
        let mut text = String::new();
        let n = alphabet.len();
        for len in 1..=4u32 {
            for mut code in 0..n.pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[code % n]);
                    code /= n;
                }
                assert_eq!(word_tokens(&text), reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn other_characters_are_cut_by_unicode_segmentation() {
        for text in [
            "naïve café",
            "e\u{301}t\u{e9}",
            "日本語のテキスト",
            "👍🏽 ok",
            "a\u{ad}b",
            "x\u{200d}y",
        ] {
            assert_eq!(word_tokens(text), reference(text), "{text:?}");
        }
    }
}
