//! What one line of a capture looks like: words, capitals, section numbers, emphasis, bullets.
//! Pure predicates on a line's text, shared by the chrome, date and structure passes; no
//! decision about what a line *is* lives here.

/// A code fence: a run of three or more backticks or tildes, at the start of a line, of a
/// list item (`- ````, as the HTML importer writes code in an item) or of a quoted line. Code
/// that holds a fence is fenced with a longer run (```` ```` ```` around a ```` ``` ````
/// line), which only as long a run closes, as in CommonMark. Unlike CommonMark, a fence
/// indented four spaces or more is still a fence (items nested in items are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fence {
    mark: u8,
    len: usize,
}

impl Fence {
    /// The fence `line` opens, if it opens one.
    pub(super) fn opened_by(line: &str) -> Option<Fence> {
        let text = fence_place(line);
        let mark = *text.as_bytes().first().filter(|&&b| b == b'`' || b == b'~')?;
        let len = text.bytes().take_while(|&b| b == mark).count();
        // The info string of a backtick fence holds no backtick (that line is inline code).
        (len >= 3 && !(mark == b'`' && text[len..].contains('`'))).then_some(Fence { mark, len })
    }

    /// True when `line` closes the fence: as many of its marks or more, then only spaces.
    pub(super) fn closed_by(self, line: &str) -> bool {
        let text = fence_place(line);
        let len = text.bytes().take_while(|&b| b == self.mark).count();
        len >= self.len && text[len..].trim_matches([' ', '\t', '\r', '\n']).is_empty()
    }
}

/// Where a fence may begin on a line: after its indent, quote marks (`> `) and list marker
/// (`- `, `* `, `+ `, `1. `, `1) `).
fn fence_place(line: &str) -> &str {
    let mut text = line.trim_start_matches(' ');
    while let Some(rest) = text.strip_prefix('>') {
        text = rest.trim_start_matches(' ');
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match text.as_bytes().get(digits) {
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        _ => 0,
    };
    match text[marker..].strip_prefix(' ') {
        Some(rest) if marker > 0 => rest.trim_start_matches(' '),
        _ => text,
    }
}

/// The words of a text: whitespace-separated tokens (no-break spaces included) holding at least
/// one letter or digit. Markup-only tokens (`**`, `-`, `•`, `|`) are not words.
pub(super) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric))
}

/// How many words a text has (as [`words`] counts them).
pub(super) fn word_count(text: &str) -> usize {
    crate::document::count_words(text)
}

/// The text without the emphasis markers and quotes that may wrap it (`**x.**` → `x.`).
fn without_wrapping(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '"' | '”' | '’' | '\''))
}

/// True when the text ends like a sentence or a list item (`.`, `;`, `,`, `!`), ignoring
/// emphasis markers around it. A question mark or a colon does not end a sentence here.
pub(super) fn ends_like_sentence(text: &str) -> bool {
    without_wrapping(text).ends_with(['.', ';', ',', '!'])
}

/// True when the text holds something that is not a title: a URL, a domain or an e-mail.
pub(super) fn has_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("://") || lower.contains("www.") || (lower.contains('@') && lower.contains('.'))
}

/// True when the text is written in capitals: at least two letters, nearly all upper case
/// ("E.U. SAFE HARBOR AND TRUSTe CERTIFICATION" is; "Phone: +1" is not).
pub(super) fn is_all_caps(text: &str) -> bool {
    let (mut upper, mut lower) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    upper >= 2 && lower * 10 <= upper
}

/// True when the text reads as a title: it starts with a capital and its long words are
/// capitalised ("Information From Other Sources", "AddThis"; not "We collect your name").
pub(super) fn is_title_case(text: &str) -> bool {
    let Some(first) = text.chars().find(|c| c.is_alphanumeric()) else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let long: Vec<&str> = words(text)
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capitalised = long
        .iter()
        .filter(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase))
        .count();
    capitalised * 4 >= long.len() * 3
}

/// A bullet at the start of a line: `-`, `*`, `+` followed by a space, or a typographic bullet
/// (`•`, `●`, `▪`, …). Returns whether it is a Markdown bullet and the item's text.
pub(super) fn bullet(text: &str) -> Option<(bool, &str)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    match first {
        '-' | '*' | '+' => (rest.starts_with([' ', '\t']) && !rest.trim().is_empty() && !is_rule(text))
            .then(|| (true, rest.trim_start())),
        '•' | '●' | '▪' | '◦' | '‣' | '∙' | '·' | '○' | '■' | '□' | '➢' | '►' => {
            let item = rest.trim_start();
            item.chars().any(char::is_alphanumeric).then_some((false, item))
        }
        _ => None,
    }
}

/// A thematic break: three or more of one of `-`, `*`, `_`, with only spaces between.
pub(super) fn is_rule(text: &str) -> bool {
    let marks: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && ['-', '*', '_'].iter().any(|m| marks.iter().all(|c| c == m))
}

/// An ordered-list marker at the start of a line (`1.`, `12)`) followed by a space: the marker
/// and the item's text.
pub(super) fn ordered(text: &str) -> Option<(&str, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let after = &text[digits..];
    if !after.starts_with(['.', ')']) {
        return None;
    }
    let rest = &after[1..];
    if !rest.starts_with([' ', '\t']) || rest.trim().is_empty() {
        return None;
    }
    Some((&text[..=digits], rest.trim_start()))
}

/// A section number at the start of a line: "3.1 XM Fax", "1. INTRODUCTION", "2) Scope",
/// "Section 4. Security". Returns the depth (components of the number) and the title after it.
/// A bare number without a dot ("2015 was…") is not a section number.
pub(super) fn section_number(text: &str) -> Option<(usize, &str)> {
    let mut rest = text;
    let mut named = false;
    for prefix in ["section ", "article ", "chapter ", "part "] {
        if let Some(after) = strip_prefix_ignore_case(rest, prefix) {
            rest = after.trim_start();
            named = true;
            break;
        }
    }
    let mut depth = 0;
    let mut trailing = false;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        depth += 1;
        rest = &rest[digits..];
        if let Some(after) = rest.strip_prefix('.') {
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                rest = after;
                continue;
            }
            rest = after;
            trailing = true;
        } else if let Some(after) = rest.strip_prefix(')') {
            rest = after;
            trailing = true;
        } else if let Some(after) = rest.strip_prefix(':') {
            rest = after;
            trailing = named;
        }
        break;
    }
    if depth == 1 && !trailing && !named {
        return None;
    }
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    let title = rest.trim_start();
    title
        .chars()
        .next()
        .filter(|c| c.is_uppercase() || c.is_ascii_digit())
        .map(|_| (depth, title))
}

/// The text after `prefix` (ASCII, any case), when the text starts with it.
pub(super) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// An ATX heading (`## Title`, `### **Title** ##`): its level and its text.
pub(super) fn atx_heading(text: &str) -> Option<(u8, &str)> {
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &text[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let mut title = rest.trim();
    // A closing run of `#` preceded by a space is not part of the title.
    let closing = title.trim_end_matches('#');
    if closing.len() < title.len() && (closing.is_empty() || closing.ends_with([' ', '\t'])) {
        title = closing.trim_end();
    }
    Some((hashes as u8, title))
}

/// The text of a line made only of emphasis: one or more `**bold**` runs (`__` too), or one
/// `*italic*` / `_italic_` run. Markers are removed, whitespace (no-break spaces included) is
/// collapsed, and spaces before `?`, `!`, `:`, `.`, `,`, `;` are dropped:
/// `**Will it change** **?**` → `Will it change?`.
pub(super) fn emphasis_only(text: &str) -> Option<String> {
    let text = text.trim();
    let inner = strong_runs(text).or_else(|| italic_run(text))?;
    if !inner.chars().any(char::is_alphanumeric) || inner.contains("](") || inner.contains('[') || inner.contains('<') {
        return None;
    }
    // Emphasis around emphasis (`** __ we __ **`, `*__We__*`): its inner markers would read as
    // emphasis once written as a heading, and the title would change on the next import.
    let core = inner.trim();
    if strong_runs(core).or_else(|| italic_run(core)).is_some() {
        return None;
    }
    Some(tidy_title(&inner))
}

/// The inner text of a line made of `**…**` (or `__…__`) runs and whitespace.
fn strong_runs(text: &str) -> Option<String> {
    let mut inner = String::new();
    let mut rest = text;
    let mut runs = 0;
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.len() < rest.len() {
            inner.push(' ');
            rest = trimmed;
            continue;
        }
        let marker = if rest.starts_with("**") {
            "**"
        } else if rest.starts_with("__") {
            "__"
        } else {
            return None;
        };
        let body = &rest[2..];
        let end = body.find(marker)?;
        let run = &body[..end];
        if run.is_empty() || run.contains(&marker[..1]) {
            return None;
        }
        inner.push_str(run);
        rest = &body[end + 2..];
        runs += 1;
    }
    (runs > 0).then_some(inner)
}

/// The inner text of a line that is one `*…*` or `_…_` run.
fn italic_run(text: &str) -> Option<String> {
    for marker in ['*', '_'] {
        if let Some(body) = text.strip_prefix(marker).and_then(|t| t.strip_suffix(marker)) {
            let clean = !body.is_empty()
                && !body.contains(marker)
                && !body.starts_with(char::is_whitespace)
                && !body.ends_with(char::is_whitespace);
            if clean {
                return Some(body.to_string());
            }
        }
    }
    None
}

/// A heading's text with whitespace collapsed and no space before closing punctuation.
pub(super) fn tidy_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let joins = word.chars().all(|c| matches!(c, '?' | '!' | ':' | '.' | ',' | ';'));
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_not_markup() {
        assert_eq!(word_count("**Links to 3 rd** **\u{a0}** **Party Sites**"), 6);
        assert_eq!(word_count("  • Share"), 1);
        assert_eq!(word_count("© All rights reserved | Terms"), 4);
    }

    #[test]
    fn recognises_capitals() {
        assert!(is_all_caps("E.U. SAFE HARBOR AND TRUSTe CERTIFICATION"));
        assert!(is_all_caps("SECURITY"));
        assert!(!is_all_caps("Phone: +1.519.888.7111"));
        assert!(!is_all_caps("X"));
    }

    #[test]
    fn recognises_title_case() {
        assert!(is_title_case("Information From Other Sources"));
        assert!(is_title_case("AddThis"));
        assert!(is_title_case("XMedius Website Privacy Policy"));
        assert!(!is_title_case("We collect your name"));
        assert!(!is_title_case("to track usage"));
    }

    #[test]
    fn recognises_bullets_and_ordered_items() {
        assert_eq!(bullet("* Unique Identifiers"), Some((true, "Unique Identifiers")));
        assert_eq!(bullet("• Share"), Some((false, "Share")));
        assert_eq!(bullet("**bold** text"), None);
        assert_eq!(bullet("---"), None);
        assert_eq!(bullet("- - -"), None);
        assert_eq!(bullet("- ** -"), Some((true, "** -")));
        assert_eq!(ordered("1. First"), Some(("1.", "First")));
        assert_eq!(ordered("12) Twelfth"), Some(("12)", "Twelfth")));
        assert_eq!(ordered("3.1 XM Fax"), None);
        assert_eq!(ordered("2015 was"), None);
    }

    #[test]
    fn recognises_section_numbers() {
        assert_eq!(section_number("3.1 XM Fax"), Some((2, "XM Fax")));
        assert_eq!(section_number("1. INTRODUCTION"), Some((1, "INTRODUCTION")));
        assert_eq!(section_number("2) Scope"), Some((1, "Scope")));
        assert_eq!(section_number("Section 4. Security"), Some((1, "Security")));
        assert_eq!(section_number("1.2.3 Deep"), Some((3, "Deep")));
        assert_eq!(section_number("2015 was a good year"), None);
        assert_eq!(section_number("3 apples"), None);
        assert_eq!(section_number("1. we collect"), None);
        assert_eq!(section_number("100. Too many"), None);
    }

    #[test]
    fn reads_atx_headings() {
        assert_eq!(atx_heading("## Title"), Some((2, "Title")));
        assert_eq!(atx_heading("### **Bold** ###"), Some((3, "**Bold**")));
        assert_eq!(atx_heading("# C#"), Some((1, "C#")));
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("####### seven"), None);
        assert_eq!(atx_heading("#"), Some((1, "")));
    }

    #[test]
    fn reads_emphasis_only_lines() {
        assert_eq!(
            emphasis_only("**What Does This Policy Cover** **?**").as_deref(),
            Some("What Does This Policy Cover?")
        );
        assert_eq!(
            emphasis_only("**Links to 3 rd** **\u{a0}** **Party Sites**").as_deref(),
            Some("Links to 3 rd Party Sites")
        );
        assert_eq!(
            emphasis_only("_Opt-out Preferences_").as_deref(),
            Some("Opt-out Preferences")
        );
        assert_eq!(emphasis_only("**Lead.** and text"), None);
        assert_eq!(emphasis_only("**[link](http://x)**"), None);
        assert_eq!(emphasis_only("**\u{a0}**"), None);
        assert_eq!(emphasis_only("**unclosed"), None);
        assert_eq!(
            emphasis_only("** __ we __ **"),
            None,
            "inner markers would read as emphasis"
        );
        assert_eq!(emphasis_only("*__We__*"), None);
        assert_eq!(emphasis_only("_**We**_"), None);
        assert_eq!(
            emphasis_only("**_Note_ on cookies**").as_deref(),
            Some("_Note_ on cookies")
        );
    }

    #[test]
    fn sentence_ends_and_addresses() {
        assert!(ends_like_sentence("**Information Collected Automatically.**"));
        assert!(!ends_like_sentence("What Choices Do I Have?"));
        assert!(!ends_like_sentence("Retention Period:"));
        assert!(has_address("NAI Opt Out Page www.networkadvertising.org"));
        assert!(has_address("Email: privacy@example.com"));
        assert!(!has_address("AddThis"));
    }
}
