//! The tokens a redline compares: a text cut at word boundaries in one pass, by the rules of
//! Unicode's word segmentation (UAX #29) for letters, digits and the punctuation that joins
//! them ("don't", "1,000.5", "e.g"): runs of letters and digits are words, a run of spaces is
//! one token, and every other character is a token of its own, as is each character of the
//! scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese), whose words
//! only a dictionary knows. Letters and digits are Unicode's Alphabetic and Numeric
//! characters, which JavaScript knows too: `static/compare.js` cuts texts exactly so. On Latin
//! text the cuts are `unicode-segmentation`'s (tested).

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

/// The class of `c`.
fn class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        '_' => Class::Underscore,
        ':' => Class::MidLetter,
        ',' | ';' => Class::MidNum,
        '.' | '\'' | '\u{2018}' | '\u{2019}' => Class::MidNumLet,
        ' ' => Class::Space,
        '\r' => Class::Cr,
        '\n' => Class::Lf,
        '\0'..='\u{7f}' => Class::Other,
        c if unspaced(c) => Class::Other,
        c if c.is_alphabetic() => Class::Letter,
        c if c.is_numeric() => Class::Digit,
        _ => Class::Other,
    }
}

/// True for a text holding a character of a script written without spaces ([`unspaced`]).
pub(super) fn has_unspaced(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(unspaced)
}

/// True for a character of a script written without spaces between words (Chinese, Japanese,
/// Thai, Lao, Khmer, Burmese): each is a token of its own.
pub(super) fn unspaced(c: char) -> bool {
    matches!(
        c,
        '\u{0e00}'..='\u{0eff}'
            | '\u{1000}'..='\u{109f}'
            | '\u{1780}'..='\u{17ff}'
            | '\u{19e0}'..='\u{19ff}'
            | '\u{2e80}'..='\u{2fdf}'
            | '\u{3005}'..='\u{3007}'
            | '\u{3040}'..='\u{31ff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{f900}'..='\u{faff}'
            | '\u{ff66}'..='\u{ff9f}'
            | '\u{20000}'..='\u{3ffff}'
    )
}

/// `text` cut at its word boundaries: words, runs of spaces, and single other characters.
pub(super) fn word_tokens(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, Class)> = text.char_indices().map(|(at, c)| (at, class(c))).collect();
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
    use unicode_segmentation::UnicodeSegmentation;

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

    /// Every string of up to four characters from one of each kind of Latin text is cut as
    /// `unicode-segmentation` cuts it (the rules look at most two characters away).
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
    fn other_scripts_are_cut_at_their_letters_and_digits() {
        assert_eq!(word_tokens("naïve café"), reference("naïve café"));
        assert_eq!(
            word_tokens("Привет, мир 2024"),
            ["Привет", ",", " ", "мир", " ", "2024"]
        );
        assert_eq!(word_tokens("شروط ٢٠٢٤"), ["شروط", " ", "٢٠٢٤"]);
        assert_eq!(
            word_tokens("§3 €10 «ok»"),
            ["§", "3", " ", "€", "10", " ", "«", "ok", "»"]
        );
        assert_eq!(
            word_tokens("日本語のテキスト"),
            ["日", "本", "語", "の", "テ", "キ", "ス", "ト"]
        );
        assert_eq!(word_tokens("เราเก็บ"), ["เ", "ร", "า", "เ", "ก", "็", "บ"]);
        assert_eq!(word_tokens("👍🏽 ok"), ["👍", "🏽", " ", "ok"]);
    }
}
