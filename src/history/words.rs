//! The words of a clause as a reader compares them: Unicode-normalised (NFKC, curly and
//! straight quotes alike), lowercase, without the punctuation around them; and which of them
//! carry content (stop words of English, French, German and Spanish do not). Alignment reads
//! clauses only through this profile, so markup, case and stuck punctuation never decide
//! whether two texts are the same.

use std::hash::BuildHasher;
use std::num::NonZeroU64;
use std::sync::OnceLock;

use foldhash::fast::FixedState;
use foldhash::HashMap;
use unicode_normalization::UnicodeNormalization;

/// A word in its reader form: inline up to 24 bytes, as nearly every word is, so a clause's
/// words cost one allocation rather than one each.
pub(super) type Word = compact_str::CompactString;

/// A clause's words, as hashes of their normalised forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Identity of the text exactly as it is.
    pub text: u64,
    /// Identity of the words in order: equal for texts that differ only in markup, case,
    /// spacing, quotes or the punctuation around and between words.
    pub key: u64,
    /// The distinct content words, sorted: plural and singular alike, every number one word
    /// and every month another (a date or a count that changed leaves the words the same).
    pub set: Vec<u64>,
    /// The heading level (1..=6), 0 for a clause.
    pub level: u8,
    /// How many words the text has, in reader form: how much text it carries.
    pub words: u32,
    /// The identity of its first 1, 2, … [`OPENING`] words (as [`Profile::key`] is of all of
    /// them; 0 past the last word): a clause that begins with another's words.
    pub starts: [u64; OPENING],
    /// True when the text ends with a colon: it introduces what follows (`This includes:`).
    pub introduces: bool,
    /// For a block that is one link and nothing else (a navigation or reference list item),
    /// the identity of where it leads ([`Profile::with_link`]).
    pub link: Option<NonZeroU64>,
}

/// How many opening words a profile remembers ([`Profile::starts`]).
pub(super) const OPENING: usize = 8;

/// A word as the aligner reads it: itself, or, when it holds characters of a script written
/// without spaces (Chinese, Japanese, Thai), each such character a word of its own and each
/// run of other characters one word, as the redline's words are cut
/// ([`super::tokens::word_tokens`]): `我们出售数据` is six words, not one.
fn unspaced_words(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = super::tokens::has_unspaced(word).then_some(word);
    let mut whole = rest.is_none().then_some(word);
    std::iter::from_fn(move || {
        if let Some(word) = whole.take() {
            return Some(word);
        }
        let text = rest?;
        let mut chars = text.char_indices();
        let (_, first) = chars.next()?;
        let end = if super::tokens::unspaced(first) {
            first.len_utf8()
        } else {
            chars
                .find(|&(_, c)| super::tokens::unspaced(c))
                .map_or(text.len(), |(at, _)| at)
        };
        rest = (end < text.len()).then(|| &text[end..]);
        Some(&text[..end])
    })
}

impl Profile {
    /// The profile of a block's text.
    pub fn of(text: &str, level: u8) -> Profile {
        let mut key = FixedState::with_seed(KEY_SEED).build_hasher();
        let mut set = Vec::new();
        let mut scratch = String::new();
        let mut any = false;
        let mut words_seen = 0u32;
        let mut starts = [0; OPENING];
        let lexicon = lexicon();
        let mut words = whitespace_tokens(text).peekable();
        // A leading number ("3.1", "(a)", "iv.") is the clause's place, not its words.
        words.next_if(|w| is_numbering(w));
        let mut each = |word: &str| {
            any = true;
            let hash = hash_word(word);
            std::hash::Hasher::write_u64(&mut key, hash);
            if let Some(start) = starts.get_mut(words_seen as usize) {
                *start = std::hash::Hasher::finish(&key);
            }
            words_seen += 1;
            match lexicon.classes.get(&hash) {
                Some(Class::Stop) => {}
                Some(Class::Month) => set.push(lexicon.month),
                None => set.push(content_word(word, hash)),
            }
        };
        for raw in words {
            // Most tokens are one plain ASCII word: read in one pass, nothing to cut.
            match plain_word(raw, &mut scratch) {
                Plain::Word(word) => {
                    each(word);
                    continue;
                }
                Plain::Nothing => continue,
                Plain::Other => {}
            }
            let Some(token) = normalise(raw, &mut scratch) else {
                continue;
            };
            let parts = token.split(['-', '/']).filter(|w| !w.is_empty()).map(without_elision);
            parts.flat_map(unspaced_words).for_each(&mut each);
        }
        if !any {
            // Only punctuation ("—", "* * *"): the text itself, spaces collapsed, is its identity.
            for raw in whitespace_tokens(text) {
                std::hash::Hasher::write(&mut key, raw.as_bytes());
            }
        }
        set.sort_unstable();
        set.dedup();
        Profile {
            text: Profile::text_hash(text),
            key: std::hash::Hasher::finish(&key),
            set,
            level,
            words: words_seen,
            starts,
            introduces: text.trim_end().ends_with([':', '：']),
            link: None,
        }
    }

    /// This profile with the identity of where its block leads when the block is one link and
    /// nothing else (`href`, from [`Block::sole_link`]): `[Shop all tax books](https://…/accounting/)`
    /// and `[Shop all](https://…/accounting)` lead to the same place (a trailing slash aside). A
    /// place on a page named by its rank (`#16`, `…/privacy#3`, as a table of contents names its
    /// sections) says nothing of what is there, and is no identity.
    ///
    /// [`Block::sole_link`]: crate::document::Block::sole_link
    pub fn with_link(mut self, href: Option<&str>) -> Profile {
        let ranked = |href: &str| {
            href.split_once('#')
                .is_some_and(|(page, place)| page.is_empty() || place.bytes().all(|b| b.is_ascii_digit()))
        };
        self.link = href
            .filter(|href| !ranked(href))
            .and_then(|href| NonZeroU64::new(Profile::text_hash(href.trim_end_matches('/'))));
        self
    }

    /// True when this text begins with all of `other`'s words, in order, and goes on: a title
    /// that gained a description (`Ready to Advise` → `Ready to Advise Turn client data …`).
    pub fn extends(&self, other: &Profile) -> bool {
        let n = other.words as usize;
        self.words as usize > n && n > 0 && n <= OPENING && self.starts[n - 1] == other.key
    }

    /// True when both texts have at least [`OPENING`] words and the same first ones.
    pub fn same_opening(&self, other: &Profile) -> bool {
        self.words as usize >= OPENING && other.words as usize >= OPENING && self.starts == other.starts
    }

    /// The identity of a text exactly as it is ([`Profile::text`]).
    pub fn text_hash(text: &str) -> u64 {
        FixedState::with_seed(KEY_SEED).hash_one(text)
    }

    /// How many distinct content words the text has.
    pub fn size(&self) -> usize {
        self.set.len()
    }

    /// True for a heading.
    pub fn is_heading(&self) -> bool {
        self.level > 0
    }
}

/// The words of a text as a reader compares them, in order: each whitespace-separated token
/// normalised (NFKC, lowercase, curly and straight quotes alike, without the punctuation
/// around it), cut at hyphens and slashes. Two texts with the same reader words differ only in
/// markup, case, spacing or punctuation.
pub(super) fn reader_words(text: &str) -> Vec<Word> {
    // About one word in six bytes of policy text: one allocation for most clauses.
    let mut words = Vec::with_capacity(text.len() / 6 + 1);
    for_each_reader_word(text, |w| words.push(Word::from(w)));
    words
}

/// [`reader_words`] one by one, without allocating a string per word.
pub(super) fn for_each_reader_word(text: &str, mut each: impl FnMut(&str)) {
    let mut scratch = String::new();
    let mut word = |raw: &str| match plain_word(raw, &mut scratch) {
        Plain::Word(word) => each(word),
        Plain::Nothing => {}
        Plain::Other => {
            if let Some(token) = normalise(raw, &mut scratch) {
                token.split(['-', '/']).filter(|w| !w.is_empty()).for_each(&mut each);
            }
        }
    };
    whitespace_tokens(text).for_each(&mut word);
}

/// The tokens of `text` between runs of whitespace, as [`str::split_whitespace`] cuts them
/// (Unicode's White_Space), in one pass over its bytes: a byte below 0x80 is whitespace or not
/// by itself, and only the lead bytes of the few other whitespace characters (U+0085, U+00A0,
/// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) make a character to decode.
/// The words of every clause of every version are cut here, most of them in texts that are
/// not all ASCII (a curly apostrophe is enough), where `split_whitespace` decodes each
/// character.
pub(super) fn whitespace_tokens(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    // The length of the whitespace character at `i` (a char boundary), 0 when there is none.
    let space = move |i: usize| -> usize {
        match SPACE[usize::from(bytes[i])] {
            Space::No => 0,
            Space::Ascii => 1,
            Space::Lead => text[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            if at == bytes.len() {
                return None;
            }
            match space(at) {
                0 => break,
                n => at += n,
            }
        }
        let start = at;
        // To the next byte that may begin whitespace (continuation bytes, 0x80–0xbf, never
        // do), then that byte read as a character.
        while let Some(next) = bytes[at + 1..].iter().position(|&b| SPACE[usize::from(b)] != Space::No) {
            at += 1 + next;
            if space(at) > 0 {
                return Some(&text[start..at]);
            }
        }
        at = bytes.len();
        Some(&text[start..])
    })
}

/// What a byte says of whitespace: none, an ASCII whitespace character, or the lead byte of
/// a character that may be whitespace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    No,
    Ascii,
    Lead,
}

/// [`Space`] by byte.
static SPACE: [Space; 256] = {
    let mut table = [Space::No; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match i as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' => Space::Ascii,
            0xc2 | 0xe1 | 0xe2 | 0xe3 => Space::Lead,
            _ => Space::No,
        };
        i += 1;
    }
    table
};

/// The hash of a word in its reader form, as profiles hash words.
pub(super) fn word_hash(word: &str) -> u64 {
    hash_word(word)
}

/// True for a function word (article, pronoun, preposition, conjunction, auxiliary) of
/// English, French, German or Spanish, given in its reader form ([`reader_words`]).
pub(super) fn is_function_word(word: &str) -> bool {
    is_stop_word(hash_word(word))
}

/// True for a month's name or abbreviation in its reader form.
pub(super) fn is_month(word: &str) -> bool {
    lexicon().classes.get(&hash_word(word)) == Some(&Class::Month)
}

/// A word's singular form, as content words are compared (`parties` → `part`, `cookies` →
/// `cook`): a key, not a word to show.
pub(super) fn singular(word: &str) -> &str {
    stem(word)
}

/// True for a token that numbers a clause: `3.`, `3.1.2`, `(a)`, `b)`, `iv.`, `§ 4`'s `§`.
pub(super) fn is_numbering(token: &str) -> bool {
    let inner = token.trim_start_matches('(').trim_end_matches([')', '.', ':']);
    if inner.is_empty() {
        return token == "§";
    }
    // Digits with a dot or a bracket, or a bare number of up to three digits (not a year).
    let marked = token != inner || inner.contains('.') || inner.len() <= 3;
    let digits = marked && inner.chars().all(|c| c.is_ascii_digit() || c == '.');
    let letter = inner.len() == 1 && inner.chars().all(|c| c.is_ascii_alphabetic()) && token != inner;
    let roman = token != inner && inner.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'I' | 'V' | 'X'));
    digits || letter || roman
}

/// The hash a content word that is neither a stop word nor a month is compared by: numbers
/// are all one word, and a plural is its singular ([`stem`]).
fn content_word(word: &str, hash: u64) -> u64 {
    if word.as_bytes()[0].is_ascii_digit()
        && word
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':'))
    {
        return lexicon().number;
    }
    match stem(word) {
        stem if stem.len() < word.len() => hash_word(stem),
        _ => hash,
    }
}

/// One form for a word's singular and plural, without allocating: a plural `-s` or `-es`
/// dropped (`cookies`, `addresses`, `boxes`), then a final `y` or `ie` after a consonant
/// (`party`, `parties` and `partie` are all `part`; `cookie` and `cookies` are `cook`).
fn stem(word: &str) -> &str {
    let mut stem = word;
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is")
    {
        let sibilant = ["sses", "xes", "ches", "shes", "zzes"]
            .iter()
            .any(|end| word.ends_with(end));
        stem = &word[..word.len() - if sibilant { 2 } else { 1 }];
    }
    let after_consonant = |end: &str| {
        stem.len() >= end.len() + 3
            && stem.ends_with(end)
            && !matches!(
                stem.as_bytes()[stem.len() - end.len() - 1],
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
    };
    if after_consonant("y") {
        &stem[..stem.len() - 1]
    } else if after_consonant("ie") {
        &stem[..stem.len() - 2]
    } else {
        stem
    }
}

/// The languages whose month names count as months, and the common English abbreviations.
/// English "may" does not: it is the modal verb far more often than the month.
const MONTH_LANGUAGES: [&str; 4] = ["en", "fr", "de", "es"];
const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Month names and their common abbreviations in [`MONTH_LANGUAGES`] ("may" aside).
fn months() -> impl Iterator<Item = &'static str> {
    let names = crate::date::MONTH_NAMES
        .iter()
        .filter(|(language, _)| MONTH_LANGUAGES.contains(language))
        .flat_map(|(_, names)| names.iter().copied());
    names.filter(|name| *name != "may").chain(MONTH_ABBREVIATIONS)
}

const KEY_SEED: u64 = 0x5eed_c1a5_e1d5;

/// The normalised form of a whitespace-separated token, or `None` when it has no letter or
/// digit. ASCII tokens are only trimmed and lowercased (in `scratch` when they have capitals).
fn normalise<'a>(raw: &'a str, scratch: &'a mut String) -> Option<&'a str> {
    if raw.is_ascii() {
        let bytes = raw.as_bytes();
        let start = bytes.iter().position(u8::is_ascii_alphanumeric)?;
        let end = bytes.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
        let word = &raw[start..end];
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Some(word);
        }
        scratch.clear();
        scratch.push_str(word);
        scratch.make_ascii_lowercase();
        return Some(scratch);
    }
    scratch.clear();
    for c in raw.nfkc().flat_map(char::to_lowercase) {
        scratch.push(match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => '"',
            '\u{2010}' | '\u{2011}' => '-',
            c => c,
        });
    }
    let word = scratch.trim_matches(|c: char| !c.is_alphanumeric());
    (!word.is_empty()).then_some(word)
}

/// What [`plain_word`] found in a token.
enum Plain<'a> {
    /// One word of ASCII letters and digits, lowercased, as [`normalise`] gives it.
    Word(&'a str),
    /// No letter or digit at all: no word.
    Nothing,
    /// Anything else, for [`normalise`] and the cuts after it.
    Other,
}

/// A token that is ASCII and holds no hyphen, slash or apostrophe between its first and last
/// letter or digit, read in one pass: the word [`normalise`] would give, without the passes
/// and the cuts that other tokens need.
fn plain_word<'a>(raw: &'a str, scratch: &'a mut String) -> Plain<'a> {
    let (mut first, mut last, mut upper) = (None, 0, false);
    for (i, &b) in raw.as_bytes().iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            first.get_or_insert(i);
            last = i;
            upper |= b.is_ascii_uppercase();
        } else if b >= 0x80 || (first.is_some() && matches!(b, b'-' | b'/' | b'\'')) {
            // A cut that trimming leaves outside the word is checked again by the slow path.
            return Plain::Other;
        }
    }
    let Some(first) = first else {
        return Plain::Nothing;
    };
    let word = &raw[first..=last];
    if !upper {
        return Plain::Word(word);
    }
    scratch.clear();
    scratch.push_str(word);
    scratch.make_ascii_lowercase();
    Plain::Word(scratch)
}

/// A French or Italian word without its elided article or pronoun (`l'utilisateur` →
/// `utilisateur`, `qu'il` → `il`), so the same noun is the same word with or without it.
fn without_elision(word: &str) -> &str {
    match word.split_once('\'') {
        Some((before, after))
            if !after.is_empty()
                && matches!(
                    before,
                    "l" | "d" | "j" | "n" | "s" | "c" | "m" | "t" | "qu" | "lorsqu" | "puisqu" | "dell" | "all" | "un"
                ) =>
        {
            after
        }
        _ => word,
    }
}

fn hash_word(word: &str) -> u64 {
    FixedState::default().hash_one(word)
}

/// What a word is to the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Stop,
    Month,
}

/// The stop words and months by hash, and the hashes that stand for any number and any month.
struct Lexicon {
    classes: HashMap<u64, Class>,
    number: u64,
    month: u64,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let stop = STOP_WORDS
            .iter()
            .flat_map(|list| list.iter())
            .map(|w| (hash_word(w), Class::Stop));
        let months = months().map(|w| (hash_word(w), Class::Month));
        Lexicon {
            // A month that is also a stop word ("mai") is a month.
            classes: stop.chain(months).collect(),
            number: hash_word("#"),
            month: hash_word("#month"),
        }
    })
}

fn is_stop_word(hash: u64) -> bool {
    lexicon().classes.get(&hash) == Some(&Class::Stop)
}

/// Words that say nothing about what a clause is about, per language: articles, pronouns,
/// prepositions, conjunctions and auxiliaries. Lowercase, normalised as words are.
const STOP_WORDS: &[&[&str]] = &[ENGLISH, FRENCH, GERMAN, SPANISH];

const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "etc",
    "e.g",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "i.e",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
];

const FRENCH: &[&str] = &[
    "à", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle", "elles", "en", "et",
    "eux", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes",
    "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ou", "où", "par", "pas", "pour", "qu", "que", "qui",
    "s", "sa", "se", "ses", "si", "son", "sont", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "y", "est", "été", "être", "ont", "sera", "afin", "ainsi",
];

const GERMAN: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den", "der", "des", "die",
    "dies", "diese", "dieser", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für",
    "hat", "haben", "ich", "ihr", "ihre", "ihren", "im", "in", "ist", "mit", "nach", "nicht", "oder", "sie", "sind",
    "so", "um", "und", "uns", "unsere", "unser", "von", "vor", "was", "wenn", "werden", "wie", "wir", "wird", "zu",
    "zum", "zur",
];

const SPANISH: &[&str] = &[
    "al", "como", "con", "de", "del", "el", "ella", "en", "es", "esta", "este", "la", "las", "le", "les", "lo", "los",
    "más", "mi", "nos", "nuestra", "nuestro", "o", "para", "pero", "por", "que", "se", "si", "sin", "su", "sus", "tu",
    "un", "una", "uno", "y", "ya",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_quotes_and_stuck_punctuation_do_not_change_the_words() {
        assert_eq!(Profile::of("Your Rights.", 0).key, Profile::of("YOUR RIGHTS", 0).key);
        assert_eq!(Profile::of("the form:", 0).key, Profile::of("the  form", 0).key);
        assert_eq!(
            Profile::of("We don’t sell “data”.", 0).key,
            Profile::of("we don't sell \"data\"", 0).key
        );
        assert_eq!(
            Profile::of("ﬁle", 0).key,
            Profile::of("file", 0).key,
            "NFKC folds ligatures"
        );
        assert_ne!(
            Profile::of("We sell data.", 0).key,
            Profile::of("We share data.", 0).key
        );
    }

    #[test]
    fn stop_words_carry_no_content() {
        assert!(Profile::of("and of the", 0).set.is_empty());
        assert_eq!(Profile::of("The rights of the user", 0).size(), 2);
        assert_eq!(
            Profile::of("Les droits de l’utilisateur", 0).set,
            Profile::of("droits utilisateur", 0).set
        );
    }

    #[test]
    fn plurals_numbers_dates_and_hyphens_are_read_as_a_reader_reads_them() {
        let set = |text: &str| Profile::of(text, 0).set;
        assert_eq!(
            set("Third-Party websites and Apps:"),
            set("Third parties’ websites and apps")
        );
        assert_eq!(
            Profile::of("3.11 Recruitment", 2).key,
            Profile::of("Recruitment", 1).key
        );
        assert_eq!(Profile::of("(b) Cookies.", 0).key, Profile::of("iv. Cookies", 0).key);
        assert_ne!(Profile::of("I agree", 0).key, Profile::of("agree", 0).key);
        assert_ne!(Profile::of("2022 changes", 0).key, Profile::of("changes", 0).key);
        assert_eq!(set("Last Updated: Oct 10, 2022"), set("Last updated: June 16, 2023"));
        assert_eq!(set("We keep logs for 30 days."), set("We keep logs for 90 days."));
        assert_ne!(
            Profile::of("Within 30 days", 0).key,
            Profile::of("Within 90 days", 0).key
        );
        for (plural, singular) in [
            ("addresses", "address"),
            ("cookies", "cookie"),
            ("parties", "party"),
            ("days", "day"),
            ("boxes", "box"),
        ] {
            assert_eq!(set(plural), set(singular), "{plural}");
        }
        assert_eq!(set("access"), vec![super::hash_word("access")]);
    }

    #[test]
    fn punctuation_only_texts_keep_their_identity() {
        assert_eq!(Profile::of("* * *", 0).key, Profile::of("*  *\n*", 0).key);
        assert_ne!(Profile::of("* * *", 0).key, Profile::of("—", 0).key);
        assert!(Profile::of("—", 0).set.is_empty());
    }

    #[test]
    fn each_character_of_a_script_without_spaces_is_a_word() {
        let words = |w: &'static str| unspaced_words(w).collect::<Vec<_>>();
        assert_eq!(words("privacy"), ["privacy"]);
        assert_eq!(words("données"), ["données"]);
        assert_eq!(words("我们出售数据"), ["我", "们", "出", "售", "数", "据"]);
        assert_eq!(words("gdpr数据"), ["gdpr", "数", "据"]);
        assert_eq!(words("数据gdpr"), ["数", "据", "gdpr"]);
        assert_eq!(Profile::of("我们出售您的数据。", 0).words, 8);
    }

    #[test]
    fn tokens_are_cut_at_every_unicode_whitespace() {
        let text = "a\u{a0}b\u{2003}c\u{3000}d\u{85}e\u{202f}f\u{1680}g \t\n’h\u{e9}\u{2019}i\u{200b}j";
        let tokens: Vec<&str> = whitespace_tokens(text).collect();
        assert_eq!(
            tokens,
            ["a", "b", "c", "d", "e", "f", "g", "’h\u{e9}\u{2019}i\u{200b}j"]
        );
    }

    proptest::proptest! {
        /// The same tokens as `str::split_whitespace`, on text mixing ASCII, other letters and
        /// every kind of whitespace (U+200B, zero-width, is none).
        #[test]
        fn tokens_are_split_whitespaces(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'Z', '1', '.', ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{e9}',
                '\u{1680}', '\u{2000}', '\u{200a}', '\u{200b}', '\u{2019}', '\u{2028}', '\u{2029}',
                '\u{202f}', '\u{205f}', '\u{3000}', '\u{3001}', '数', '\u{e2}', '\u{1f600}',
            ]), 0..40),
        ) {
            let text: String = chars.into_iter().collect();
            let ours: Vec<&str> = whitespace_tokens(&text).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
