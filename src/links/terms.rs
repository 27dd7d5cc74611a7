//! Defined terms: finding definitions in a clause's text (`"X" means …`, `(the "X")`,
//! `(collectively, "X")`, straight or curly quotes), the glossary key of a term (case, plural,
//! quotes normalised), and where later clauses use a term. Reads text; never writes HTML.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use foldhash::{HashMap, HashMapExt};
use regex::Regex;

use super::is_word_char;

/// A term defined in a clause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Definition {
    /// The term as written (`Personal Information`).
    pub term: String,
    /// Its glossary key: lowercase, singular, quotes and spaces normalised.
    pub key: String,
    /// The block that defines it.
    pub block: usize,
    /// The sentence that defines it (the tooltip and the glossary entry).
    pub sentence: String,
}

/// A quoted run of text in a clause: `“Site“`, `"Personal Information"`.
struct Quoted {
    term: String,
    start: usize,
    end: usize,
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern compiles"))
}

fn quoted_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r#"["“‘]([^"“”‘’()\n]{1,60}?)[,.]?["”“’]"#)
}

/// Qualifiers allowed between `(` and a defined term: `(the "X")`, `(collectively, "X")`.
fn opens_parenthetical() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(
        &R,
        r"(?i)\(\s*(?:(?:the|a|an|collectively|individually|each|together|jointly|hereinafter|herein|also|referred to as|as|and|or|[,;:])\s*)*$",
    )
}

/// Between two terms of one definition: `"X", "Y" or "Z"`.
fn joins_terms() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"(?i)^\s*(?:,|;)?\s*(?:(?:and|or)\s+)?(?:the\s+)?$")
}

/// What follows a term defined by a verb: `"X" means`, `"X" (which means …)`.
fn defining_verb() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(
        &R,
        r"(?i)^\s*(?:\)\s*)?,?\s*(?:means|shall mean|refers? to|is defined as|has the meaning|(?:\(|,\s*)?which means)\b",
    )
}

/// `"X" is a …` / `"X" are …`: a definition only at the start of a sentence.
fn defining_copula() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"(?i)^\s*(?:is|are)\s+\w")
}

fn sentence_start() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"(?i)(?:^|[.;:!?]\s+)(?:an?|the)?\s*$")
}

/// `… referred to below, collectively, as the "X"`.
fn referred_as() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"(?i)\b(?:referred to|known)\b[^.;()]{0,40}?\bas\s+(?:the\s+)?$")
}

/// Words that are "defined" by policies but would link every sentence: pronouns.
const NOT_TERMS: &[&str] = &[
    "we", "us", "our", "ours", "you", "your", "yours", "i", "me", "my", "they", "them", "their", "it", "its",
];

/// The definitions in one clause's plain text. `exclude` names terms not to treat as
/// definitions (the organisation's own name).
pub(super) fn definitions_in(text: &str, block: usize, exclude: &[&str]) -> Vec<Definition> {
    let quoted: Vec<Quoted> = quoted_re()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let term = c.get(1)?.as_str().trim().trim_end_matches([',', '.', ';', ':']).trim();
            Some(Quoted {
                term: term.to_string(),
                start: whole.start(),
                end: whole.end(),
            })
        })
        .collect();
    if quoted.is_empty() {
        return Vec::new();
    }
    let joined: Vec<bool> = (0..quoted.len())
        .map(|i| i > 0 && joins_terms().is_match(&text[quoted[i - 1].end..quoted[i].start]))
        .collect();
    // Where each term's chain of joined terms begins, in one pass.
    let mut chain_start = Vec::with_capacity(quoted.len());
    for (i, &joined) in joined.iter().enumerate() {
        chain_start.push(if joined { chain_start[i - 1] } else { i });
    }
    let forward = ForwardReferences::of(text);
    let mut defined = vec![false; quoted.len()];
    for (i, q) in quoted.iter().enumerate() {
        let before = &text[..q.start];
        let after = &text[q.end..];
        let chain_before = &text[..quoted[chain_start[i]].start];
        let in_parens = ends_with(opens_parenthetical(), chain_before) && !forward.after(q.end);
        let by_verb = defining_verb().is_match(after)
            || (defining_copula().is_match(after) && ends_with(sentence_start(), chain_before));
        defined[i] = in_parens || by_verb || ends_with(referred_as(), before);
    }
    // `"X" or "Y" means …`: the verb after the last term defines the whole chain.
    for i in (1..quoted.len()).rev() {
        if defined[i] && joined[i] && !defined[i - 1] {
            defined[i - 1] =
                defining_verb().is_match(&text[quoted[i].end..]) || defining_copula().is_match(&text[quoted[i].end..]);
        }
    }
    let mut out: Vec<Definition> = Vec::new();
    let mut terms = std::collections::HashSet::new();
    for (q, _) in quoted.iter().zip(&defined).filter(|(_, d)| **d) {
        if !is_term(&q.term, exclude) || !terms.insert(q.term.as_str()) {
            continue;
        }
        out.push(Definition {
            term: q.term.clone(),
            key: term_key(&q.term),
            block,
            sentence: sentence_around(text, q.start, q.end),
        });
    }
    out
}

/// Bytes before a term that the patterns ending there read, at most: their qualifiers
/// (`(collectively, the `, `referred to below as `) are far shorter. A clause of thousands of
/// terms is not read from its start for each.
const LOOK_BACK: usize = 256;

/// True when `pattern`, which ends with `$`, matches the end of `text`, read from at most
/// [`LOOK_BACK`] bytes before its end. A match from the first of those bytes is not taken
/// unless they are all of `text`: there, `^` and `\b` would see a start the text does not have.
fn ends_with(pattern: &Regex, text: &str) -> bool {
    let from = text.floor_char_boundary(text.len().saturating_sub(LOOK_BACK));
    pattern.find(&text[from..]).is_some_and(|m| from == 0 || m.start() > 0)
}

/// Where a clause's parentheticals close and where it says "defined": a term followed, before
/// the next `)`, by "defined" is defined elsewhere: `("Site" and "Services", each as defined
/// below)`.
struct ForwardReferences {
    closes: Vec<usize>,
    defined: Vec<usize>,
    len: usize,
}

impl ForwardReferences {
    fn of(text: &str) -> Self {
        let lower = text.to_ascii_lowercase();
        ForwardReferences {
            closes: text.match_indices(')').map(|(at, _)| at).collect(),
            defined: lower.match_indices("defined").map(|(at, _)| at).collect(),
            len: text.len(),
        }
    }

    /// True when the text from `at` to the next `)` (or the end) says "defined".
    fn after(&self, at: usize) -> bool {
        let close = self
            .closes
            .get(self.closes.partition_point(|&c| c < at))
            .copied()
            .unwrap_or(self.len);
        self.defined
            .get(self.defined.partition_point(|&d| d < at))
            .is_some_and(|&d| d + "defined".len() <= close)
    }
}

fn is_term(term: &str, exclude: &[&str]) -> bool {
    let words = term.split_whitespace().count();
    let lower = term.to_lowercase();
    (1..=6).contains(&words)
        && term.chars().next().is_some_and(char::is_alphanumeric)
        && !NOT_TERMS.contains(&lower.as_str())
        && !exclude.iter().any(|e| e.eq_ignore_ascii_case(term))
}

/// The glossary key of a term: lowercase, quotes dropped, spaces collapsed, singular.
pub fn term_key(term: &str) -> String {
    let cleaned: String = term
        .chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '‘' | '’'))
        .collect::<String>()
        .to_lowercase();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut key = words.join(" ");
    if let Some(stem) = key.strip_suffix("ies").filter(|s| s.len() > 1 && !ie_word(s)) {
        key = format!("{stem}y");
    } else if key.len() > 3 && key.ends_with('s') && !key.ends_with("ss") {
        key.pop();
    }
    key
}

/// The sentence of `text` around `start..end`, cut to a readable length.
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    // Only the 202 bytes before the term can hold a boundary that is not cut away below, and
    // only 2,048 bytes after it (512 characters at least) can reach the end that is kept: a
    // clause of thousands of terms is not searched from each to its ends.
    let back = text.floor_char_boundary(start.saturating_sub(202));
    let boundary = text[back..start]
        .rmatch_indices(". ")
        .map(|(i, _)| back + i)
        .find(|&dot| ends_sentence(text, dot))
        .map_or(0, |dot| dot + 2);
    // A long lead-in is cut at a word, about 160 bytes before the term.
    let (from, lead) = if start - boundary > 200 {
        let at = text.ceil_char_boundary(start - 160);
        (text[at..start].find(' ').map_or(at, |i| at + i + 1), "…")
    } else {
        (boundary, "")
    };
    let ahead = text.ceil_char_boundary(end + 2048);
    let to = text[end..ahead]
        .match_indices(". ")
        .map(|(i, _)| end + i)
        .find(|&dot| ends_sentence(text, dot))
        .map_or(ahead, |dot| dot + 1);
    let sentence = text[from..to].trim();
    if sentence.chars().count() > 280 {
        let cut: String = sentence.chars().take(279).collect();
        format!("{lead}{}…", cut.trim_end())
    } else {
        format!("{lead}{sentence}")
    }
}

/// True when the period at `dot` (followed by a space) ends a sentence: not after an
/// abbreviation (`e.g.`, `U.S.`, `B.V.`, `v.`, `No.`), and not before a word in lower case or
/// a bracket (`GitHub, Inc. or GitHub B.V.`, `Acme Inc. ("Acme")`).
fn ends_sentence(text: &str, dot: usize) -> bool {
    let next = text[dot + 1..].trim_start().chars().next();
    if next.is_some_and(|c| c.is_lowercase() || matches!(c, '(' | '[')) {
        return false;
    }
    let word = text[..dot]
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '‘' | '\''))
        .next()
        .unwrap_or_default();
    let dotted = word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2);
    let letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    const ABBREVIATIONS: [&str; 16] = [
        "no", "nr", "st", "mr", "mrs", "ms", "dr", "jr", "sr", "vs", "cf", "approx", "incl", "art", "sec", "para",
    ];
    !(dotted || letter || ABBREVIATIONS.contains(&word.to_lowercase().as_str()))
}

/// True for the stems whose singular ends in "ie" (cookie), not "y".
fn ie_word(stem: &str) -> bool {
    ["cook", "mov", "zomb", "rook", "calor", "sort"]
        .iter()
        .any(|w| stem.to_lowercase().ends_with(w))
}

/// The written forms of a term that count as a use: itself, its plural and its singular.
fn variants(term: &str) -> Vec<String> {
    let mut out = vec![term.to_string()];
    let plural = if let Some(stem) = term.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else if term.ends_with(['s', 'x']) || term.ends_with("ch") || term.ends_with("sh") {
        format!("{term}es")
    } else {
        format!("{term}s")
    };
    out.push(plural);
    if let Some(stem) = term.strip_suffix("ies").filter(|s| !ie_word(s)) {
        out.push(format!("{stem}y"));
    } else if let Some(stem) = term.strip_suffix('s').filter(|s| !s.ends_with('s') && s.len() > 2) {
        out.push(stem.to_string());
    }
    out
}

/// Finds uses of a policy version's defined terms in text (case-sensitive: a defined term is
/// written as defined; plurals and singulars count). A use is a whole word: the longest form
/// that starts and ends on a word boundary wins, uses never overlap.
pub(super) struct TermMatcher {
    forms: Option<AhoCorasick>,
    /// The definition of each form of `forms`.
    definition: Vec<usize>,
}

impl TermMatcher {
    pub(super) fn new(definitions: &[Definition]) -> Self {
        let mut by_form: HashMap<String, usize> = HashMap::new();
        for (d, def) in definitions.iter().enumerate() {
            for form in variants(&def.term) {
                by_form.entry(form).or_insert(d);
            }
        }
        let (forms, definition): (Vec<String>, Vec<usize>) = by_form.into_iter().unzip();
        TermMatcher {
            // A version's terms are few and change from version to version: an NFA is built
            // many times faster than a DFA, and searching it costs little more.
            forms: (!forms.is_empty())
                .then(|| {
                    AhoCorasick::builder()
                        .kind(Some(AhoCorasickKind::ContiguousNFA))
                        .build(&forms)
                        .ok()
                })
                .flatten(),
            definition,
        }
    }

    /// Every use in `text` (a run of a clause's HTML): byte range and definition index.
    pub(super) fn uses(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(forms) = &self.forms else {
            return Vec::new();
        };
        let mut candidates: Vec<(usize, usize, usize)> = forms
            .find_overlapping_iter(text)
            .filter(|m| on_boundary(text, m.start()) && on_boundary(text, m.end()))
            .filter(|m| !names_reference(text, m.start(), m.end()))
            .filter(|m| !inside_a_longer_name(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), self.definition[m.pattern().as_usize()]))
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut uses: Vec<(usize, usize, usize)> = Vec::new();
        for candidate in candidates {
            if uses.last().is_none_or(|last| candidate.0 >= last.1) {
                uses.push(candidate);
            }
        }
        uses
    }
}

/// True when `text[start..end]` is the name of a character reference of the HTML (`amp` in
/// `&amp;`, `39` in `&#39;`): a term defined as "amp" is no word there.
fn names_reference(text: &str, start: usize, end: usize) -> bool {
    let before = &text[..start];
    (before.ends_with('&') || before.ends_with("&#")) && text[end..].starts_with(';')
}

/// True when the capitalised term at `text[start..end]` is a piece of a longer name in title
/// case, another capitalised word right before it (not the first of a sentence) or right after
/// it: "Policy" in "our Cookie Policy", "Customer" in "Customer Support" names something else
/// than the policy's defined term.
fn inside_a_longer_name(text: &str, start: usize, end: usize) -> bool {
    // Capitalised, not in capitals: text in capitals ("WHAT DOES ACME COLLECT?") and
    // acronyms ("EU Personal Data") are no title case.
    let capital = |word: &str| {
        word.chars().next().is_some_and(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase)
    };
    if !capital(&text[start..end]) {
        return false;
    }
    let name_char = |c: char| c.is_alphanumeric() || c == '-';
    // The next word, without the punctuation after it ("Support," in "Customer Support, or").
    let after = text[end..]
        .strip_prefix(' ')
        .map(|rest| &rest[..rest.find(|c: char| !name_char(c)).unwrap_or(rest.len())]);
    if after.is_some_and(capital) {
        return true;
    }
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let (lead, word) = before.rsplit_once(' ').unwrap_or(("", before));
    // The first word of the run or of a sentence is capitalised for its place, not as a name,
    // and a pronoun or an article for a style of its own ("Your Personal Information").
    let first = lead.trim_end().is_empty() || lead.trim_end().ends_with(['.', '!', '?', ':', ';']);
    let determiner = DETERMINERS.contains(&word.to_lowercase().as_str());
    !first && !determiner && capital(word) && word.chars().all(name_char)
}

/// Words before a term that say which one, not what it is: capitalised in some policies'
/// style ("Your Personal Information", "This Agreement").
const DETERMINERS: [&str; 22] = [
    "a", "an", "the", "this", "that", "these", "those", "your", "you", "our", "we", "us", "my", "their", "its", "his",
    "her", "any", "all", "each", "such", "other",
];

/// True when `at` is a word boundary of `text` (a word character on one side only).
fn on_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back().is_some_and(is_word_char);
    let after = text[at..].chars().next().is_some_and(is_word_char);
    before != after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        definitions_in(text, 0, &["Parature"])
            .into_iter()
            .map(|d| d.term)
            .collect()
    }

    #[test]
    fn a_definition_sentence_runs_past_abbreviations() {
        let sentence = |text: &str| definitions_in(text, 0, &[]).pop().unwrap().sentence;
        assert_eq!(
            sentence("We are GitHub, Inc. or GitHub B.V. (the \"Services\"), the data controller. Other text."),
            "We are GitHub, Inc. or GitHub B.V. (the \"Services\"), the data controller."
        );
        assert_eq!(
            sentence("Start here. Data, e.g. your name or the U.S. address you give (\"Vehicle Data\") is kept. Next."),
            "Data, e.g. your name or the U.S. address you give (\"Vehicle Data\") is kept."
        );
        assert_eq!(
            sentence("As agreed in United States v. Binance (the \"Plea Agreements\") and No. 4 of it. Next."),
            "As agreed in United States v. Binance (the \"Plea Agreements\") and No. 4 of it."
        );
        // A period before a capital that ends a word of more than two letters ends a sentence.
        assert_eq!(
            sentence("We sell nothing. Acme (\"Acme\") keeps data. More."),
            "Acme (\"Acme\") keeps data."
        );
    }

    #[test]
    fn means_and_parentheticals() {
        assert_eq!(
            terms("\"Personal Information\" means your name."),
            ["Personal Information"]
        );
        assert_eq!(terms("online support from Parature (the “Site“)."), ["Site"]);
        assert_eq!(
            terms("for such purposes (collectively, \"Service Information\")."),
            ["Service Information"]
        );
        assert_eq!(
            terms("software solutions (collectively hereinafter the “Interface”)."),
            ["Interface"]
        );
        assert_eq!(
            terms("may be referred to below, collectively, as the \"Data\". Then"),
            ["Data"]
        );
        assert_eq!(
            terms("whether You are a “Visitor” (which means that you browse)"),
            ["Visitor"]
        );
    }

    #[test]
    fn chains_and_copulas() {
        assert_eq!(
            terms("An “Internet protocol address” or “IP Address” is a number assigned."),
            ["Internet protocol address", "IP Address"]
        );
        assert_eq!(terms("Tracking. “Cookies” are identifiers we transfer."), ["Cookies"]);
    }

    #[test]
    fn not_definitions() {
        assert!(terms("When you purchase “Services”, you will be asked.").is_empty());
        assert!(terms("may not honor “Do Not Track” requests.").is_empty());
        assert!(terms("the “Site” and “Services” (each as defined below) are ours").is_empty());
        assert!(terms("Parature, Inc. (“Parature,” “we,” “us,” or “our“) has").is_empty());
        assert!(terms("to you (“You” or “Your“) regarding").is_empty());
        assert!(terms("the pages (\"Site Information\" as defined below)").is_empty());
    }

    #[test]
    fn keys_normalise_case_plural_and_quotes() {
        assert_eq!(term_key("Personal Information"), "personal information");
        assert_eq!(term_key("“Cookies”"), "cookie");
        assert_eq!(term_key("Third Parties"), "third party");
        assert_eq!(term_key("IP Address"), "ip address");
        assert_eq!(term_key("Data"), "data");
    }

    #[test]
    fn uses_match_plurals_case_sensitively_longest_first() {
        let defs = definitions_in("(the “Site”) and (“Site Information”) and (“Cookie”)", 0, &[]);
        let m = TermMatcher::new(&defs);
        let text = "the Site Information, the site, two Sites and Cookies";
        let found: Vec<&str> = m.uses(text).iter().map(|&(s, e, _)| &text[s..e]).collect();
        assert_eq!(found, ["Site Information", "Sites", "Cookies"]);
    }

    #[test]
    fn a_term_inside_a_longer_title_case_name_is_not_a_use() {
        let defs = definitions_in(
            "This Privacy Policy (the “Policy”) is for the people we serve (“Customers”).",
            0,
            &[],
        );
        let m = TermMatcher::new(&defs);
        let found =
            |text: &str| -> Vec<String> { m.uses(text).iter().map(|&(s, e, _)| text[s..e].to_string()).collect() };
        assert_eq!(found("Read our Cookie Policy, then this Policy."), ["Policy"]);
        assert_eq!(
            found("Call Customer Support, or Facebook Customer checks. Customers may ask."),
            ["Customers"]
        );
        // A capitalised pronoun or article is a style, not a name.
        assert_eq!(
            found("We keep Your Customers under This Policy."),
            ["Customers", "Policy"]
        );
        assert_eq!(
            found("Policy changes apply. Your Customers keep this Policy in mind."),
            ["Policy", "Customers", "Policy"]
        );
        assert_eq!(
            found("WHAT DOES THIS POLICY COVER FOR OUR Customers? EU Customers ask."),
            ["Customers", "Customers"]
        );
    }

    #[test]
    fn a_term_named_as_a_character_reference_is_not_found_inside_one() {
        let defs = definitions_in(
            "The “amp” means a unit. The “lt” means less. The “39” means a number.",
            0,
            &[],
        );
        let m = TermMatcher::new(&defs);
        let html = "Terms &amp; Conditions, children &lt; 13 and &#39;quotes&#39;: 2 amp fuses, 39 lt.";
        let found: Vec<(usize, &str)> = m.uses(html).iter().map(|&(s, e, _)| (s, &html[s..e])).collect();
        let at = |word: &str| html.rfind(word).unwrap_or_default();
        assert_eq!(found, [(at("amp"), "amp"), (at("39"), "39"), (at("lt"), "lt")]);
    }

    #[test]
    fn a_clause_of_thousands_of_terms_reads_each_where_it_stands() {
        let chain: Vec<String> = (0..3000).map(|i| format!("“Term{i}”")).collect();
        let long = format!(
            "{} (the {}) apply.",
            "Words of a long clause. ".repeat(2000),
            chain.join(", ")
        );
        let found = terms(&long);
        assert_eq!(found.len(), 3000);
        assert_eq!((found[0].as_str(), found[2999].as_str()), ("Term0", "Term2999"));
        let elsewhere = format!(
            "{} ({}, each as defined below)",
            "Words. ".repeat(2000),
            chain.join(", ")
        );
        assert!(terms(&elsewhere).is_empty());
        // A long lead-in is cut at about 160 bytes before the term.
        let sentence = definitions_in(&long, 0, &[]).pop().unwrap().sentence;
        assert!(
            sentence.starts_with('…') && sentence.ends_with("“Term2999”) apply."),
            "{sentence}"
        );
        assert!(sentence.len() < 200, "{sentence}");
        // A definition at the end of a clause longer than what is read before each term.
        assert_eq!(
            terms(&format!("{}(the “Service”)", "Words. ".repeat(2000))),
            ["Service"]
        );
    }
}
