//! Page chrome around a policy: cookie banners, buttons ("CLOSE X", "Download a PDF version"),
//! navigation above the title, the site's footer after the end, copyright lines, links without
//! text. Rules are conservative: banners and navigation only count above the title, a footer
//! only from a footer mark to the end of the capture, and every dropped line is reported.

use super::capture::Line;
use super::headings::heading_shape;
use super::report::{DropReason, Dropped, Warning};
use super::shape::{bullet, ends_like_sentence, word_count};

/// At most this many lines of navigation and banners above the title.
const HEAD_LINES: usize = 12;
/// Footer lines are short: at most this many words.
const FOOTER_WORDS: usize = 12;

/// The lines of page chrome, in order. `lines` are the capture's lines after the header.
pub(super) fn find_chrome(lines: &[Line]) -> Vec<Dropped> {
    let text: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let mut reasons: Vec<Option<DropReason>> = text.iter().map(|l| anywhere(&l.text)).collect();
    head(&text, &mut reasons);
    tail(&text, &mut reasons);
    text.iter()
        .zip(reasons)
        .filter_map(|(line, reason)| {
            reason.map(|reason| Dropped {
                line: line.number,
                text: line.text.clone(),
                reason,
            })
        })
        .collect()
}

/// Chrome recognised wherever it is: buttons, copyright lines, lines of empty links.
fn anywhere(text: &str) -> Option<DropReason> {
    if only_empty_links(text) {
        Some(DropReason::EmptyLink)
    } else if is_copyright(text) {
        Some(DropReason::Copyright)
    } else if is_button(text) {
        Some(DropReason::Button)
    } else {
        None
    }
}

/// Navigation labels, share buttons and cookie banners above the policy's title: dropped only
/// when a title-like line follows them.
fn head(text: &[&Line], reasons: &mut [Option<DropReason>]) {
    let mut found = Vec::new();
    for (i, line) in text.iter().enumerate().take(HEAD_LINES + 1) {
        if reasons[i].is_some() {
            continue;
        }
        let titled = heading_shape(line.text.trim(), true).is_some_and(|s| word_count(&s.text) >= 2);
        if is_breadcrumb(&line.text) {
            found.push((i, DropReason::Navigation));
        } else if titled {
            for (j, reason) in found {
                reasons[j] = Some(reason);
            }
            return;
        } else if is_cookie_banner(&line.text) {
            found.push((i, DropReason::CookieBanner));
        } else if is_navigation(&line.text) {
            found.push((i, DropReason::Navigation));
        } else {
            return;
        }
    }
}

/// The site's footer: from the first footer mark (copyright, "Download a PDF version", a menu
/// of `|`-separated links, "Back to top") to the end, when every line from there on is short.
fn tail(text: &[&Line], reasons: &mut [Option<DropReason>]) {
    let mut start = None;
    let mut after_text = false;
    for i in (0..text.len()).rev() {
        let line = &text[i].text;
        let short = word_count(line) <= FOOTER_WORDS || is_cookie_banner(line) || reasons[i].is_some();
        if !short {
            after_text = true;
            break;
        }
        if is_footer_mark(line) || matches!(reasons[i], Some(DropReason::Copyright | DropReason::Button)) {
            start = Some(i);
        }
    }
    // A capture of short lines only has no policy text before a footer: leave it alone.
    if let Some(start) = start.filter(|_| after_text) {
        for reason in &mut reasons[start..] {
            reason.get_or_insert(DropReason::Footer);
        }
    }
    // A cookie banner at the very end, with its button ("Accept", "CLOSE X"): a policy's own
    // paragraph about cookies has no button after it.
    let mut banner = text.len();
    while banner > 0 && (is_cookie_banner(&text[banner - 1].text) || reasons[banner - 1].is_some()) {
        banner -= 1;
    }
    let has_button = reasons[banner..].contains(&Some(DropReason::Button));
    if has_button {
        for reason in &mut reasons[banner..] {
            reason.get_or_insert(DropReason::CookieBanner);
        }
    }
}

/// The line in lower case with bullets, brackets and surrounding punctuation removed.
fn normalised(text: &str) -> String {
    let text = text.trim();
    let text = bullet(text).map_or(text, |(_, rest)| rest);
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | '!' | '.'));
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A button of the page, recognised by its whole text.
fn is_button(text: &str) -> bool {
    const BUTTONS: [&str; 24] = [
        "share",
        "tweet",
        "print",
        "close",
        "close x",
        "close ×",
        "x",
        "×",
        "✕",
        "✖",
        "skip to content",
        "skip to main content",
        "skip navigation",
        "back to top",
        "print this page",
        "share this page",
        "accept",
        "accept cookies",
        "accept all cookies",
        "accept all",
        "reject all",
        "cookie settings",
        "manage cookies",
        "got it",
    ];
    let line = normalised(text);
    BUTTONS.contains(&line.as_str()) || (line.contains("download") && line.contains("pdf") && word_count(&line) <= 6)
}

/// A copyright line: "© 2020 Acme", "Copyright (c) 2015 …", "… All rights reserved".
fn is_copyright(text: &str) -> bool {
    let line = normalised(text);
    let marked = line.starts_with('©')
        || line.starts_with("(c) ")
        || line.starts_with("copyright ©")
        || line.starts_with("copyright (c)")
        || (line.starts_with("copyright ") && line[10..].starts_with(|c: char| c.is_ascii_digit()))
        || line.contains("all rights reserved");
    marked && word_count(&line) <= 20
}

/// A cookie-consent banner: it speaks of cookies and asks for consent or points elsewhere.
fn is_cookie_banner(text: &str) -> bool {
    const ASKS: [&str; 14] = [
        "accept",
        "agree",
        "consent",
        "continu",
        "ok with",
        "okay with",
        "by using",
        "by browsing",
        "read our",
        "learn more",
        "find out more",
        "more information",
        "settings",
        "preferences",
    ];
    let line = text.to_lowercase();
    line.contains("cookie") && ASKS.iter().any(|a| line.contains(a))
}

/// A navigation label or share button: a few words, no digits, no sentence punctuation.
fn is_navigation(text: &str) -> bool {
    let line = text.trim();
    if line.starts_with('#') {
        return false;
    }
    let words = word_count(line);
    (1..=3).contains(&words)
        && !line.chars().any(|c| c.is_ascii_digit())
        && !ends_like_sentence(line)
        && !line.ends_with([':', '?'])
}

/// A line that only a footer has: a whole line such as "Back to top" or "Follow us", a
/// copyright notice, or a menu of `|`-separated links.
fn is_footer_mark(text: &str) -> bool {
    const MARKS: [&str; 10] = [
        "back to top",
        "top of page",
        "follow us",
        "follow us on",
        "sitemap",
        "site map",
        "newsletter",
        "subscribe",
        "subscribe to our newsletter",
        "sign up for our newsletter",
    ];
    let line = normalised(text);
    MARKS.contains(&line.as_str()) || line.contains("all rights reserved") || line.matches(" | ").count() >= 2
}

/// A breadcrumb trail: a few short steps separated by `>`, `»`, `›` or `/`.
fn is_breadcrumb(text: &str) -> bool {
    let line = text.trim();
    let Some(separator) = [" > ", " » ", " › ", " / "].into_iter().find(|s| line.contains(s)) else {
        return false;
    };
    word_count(line) <= 8 && line.split(separator).all(|step| (1..=3).contains(&word_count(step)))
}

/// True when the line holds links and nothing else, and none of them has text: `[](…)`.
fn only_empty_links(text: &str) -> bool {
    let mut rest = text.trim();
    let mut links = 0;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("[](").or_else(|| rest.strip_prefix("[ ](")) else {
            return false;
        };
        let Some(end) = closing_paren(after) else {
            return false;
        };
        rest = after[end + 1..].trim_start();
        links += 1;
    }
    links > 0
}

/// The byte offset of the `)` closing a link target that starts right after its `(`.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Warnings about kept lines whose content the page hid or lost: e-mail addresses obfuscated
/// as "[email protected]" and links without text or target.
pub(super) fn flags(lines: &[Line]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for line in lines {
        let lower = line.text.to_lowercase();
        let hidden = obfuscated_emails(&lower);
        if hidden > 0 {
            warnings.push(Warning::at(
                line.number,
                format!(
                    "{hidden} obfuscated e-mail address{} (\"[email protected]\"): the page hid {}; find {} on the live page",
                    if hidden == 1 { "" } else { "es" },
                    if hidden == 1 { "it" } else { "them" },
                    if hidden == 1 { "it" } else { "them" },
                ),
            ));
        }
        let empty = lower.matches("[](").count() + lower.matches("[ ](").count() + lower.matches("]()").count();
        if empty > 0 {
            warnings.push(Warning::at(
                line.number,
                format!(
                    "{empty} empty link{} (no text or no target)",
                    if empty == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    warnings
}

/// How many times "[email protected]" (with any space, `&nbsp;` or `&#160;` inside) occurs.
fn obfuscated_emails(lower: &str) -> usize {
    lower
        .match_indices("[email")
        .filter(|(at, _)| {
            let rest = &lower[at + "[email".len()..];
            let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
            let rest = rest
                .strip_prefix("&nbsp;")
                .or_else(|| rest.strip_prefix("&#160;"))
                .unwrap_or(rest);
            rest.starts_with("protected]")
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::capture::lines;

    fn dropped(text: &str) -> Vec<(usize, DropReason)> {
        find_chrome(&lines(text, 1))
            .into_iter()
            .map(|d| (d.line, d.reason))
            .collect()
    }

    #[test]
    fn drops_a_cookie_banner_and_its_button_above_the_title() {
        let text = "We use cookies to improve your visit. If you continue, you accept them.\nCLOSE X\nAcme Privacy Policy\nWe collect little.\n";
        assert_eq!(
            dropped(text),
            vec![(1, DropReason::CookieBanner), (2, DropReason::Button)]
        );
    }

    #[test]
    fn drops_navigation_only_above_a_title() {
        assert_eq!(
            dropped("Privacy\n\n  • Share\n\nACME PRIVACY STATEMENT\n\nText of the policy here.\n"),
            vec![(1, DropReason::Navigation), (3, DropReason::Button)]
        );
        // Without a title after them, short lines at the top are the policy's own.
        assert!(dropped("Introduction\nWe collect your name and address to serve you.\n").is_empty());
    }

    #[test]
    fn drops_breadcrumbs_and_a_banner_above_the_title() {
        let text = "Home > Legal > Privacy\nThis website uses cookies. By continuing to browse you agree to our use of cookies.\nAccept\nFoo Shop Privacy Notice\nThis notice explains how we use your data.\n";
        assert_eq!(
            dropped(text),
            vec![
                (1, DropReason::Navigation),
                (2, DropReason::CookieBanner),
                (3, DropReason::Button)
            ]
        );
    }

    #[test]
    fn footer_words_inside_sentences_are_not_footer_marks() {
        let text = "# Policy\n\nA long paragraph of the policy that goes on for many words, more than twelve of them.\n\nWe send newsletters only with your consent.\n\n© 2017 Acme Inc.\n";
        assert_eq!(dropped(text), vec![(7, DropReason::Copyright)]);
    }

    #[test]
    fn cookie_sections_inside_the_policy_stay() {
        let text =
            "# Policy\n\nText.\n\n## Cookies\n\nWe use cookies; you can accept or refuse them in your settings.\n";
        assert!(dropped(text).is_empty());
    }

    #[test]
    fn drops_a_footer_from_its_first_mark_to_the_end() {
        let text = "# Policy\n\nA long paragraph of the policy that goes on for many words, more than twelve of them.\nEffective Date: 2020-11-01\nDOWNLOAD A PDF VERSION\nWe're here to help.\nSOLUTIONS\nFax\n© All rights reserved | Terms | Privacy policy\nContact Us\n";
        let got = dropped(text);
        assert_eq!(got.first(), Some(&(5, DropReason::Button)));
        assert_eq!(got.len(), 6);
        assert!(got.contains(&(9, DropReason::Copyright)));
        assert!(got.contains(&(10, DropReason::Footer)));
    }

    #[test]
    fn drops_a_cookie_banner_at_the_end() {
        let text = "# Policy\n\nWe keep your data safe.\n\nThis site uses cookies. By continuing to browse, you agree.\n\nAccept\n";
        assert_eq!(
            dropped(text),
            vec![(5, DropReason::CookieBanner), (7, DropReason::Button)]
        );
    }

    #[test]
    fn short_lines_at_the_end_without_a_footer_mark_stay() {
        let text = "Text of the policy, long enough to count as a paragraph of real words here.\n\nCONTACT\n\nTel: 555\nEmail: a@b.org\n";
        assert!(dropped(text).is_empty());
    }

    #[test]
    fn drops_lines_of_empty_links_and_copyright_anywhere() {
        let text = "Text.\n[](https://seal.example/validate?x=1 \"Seal (certified)\")\nMore text.\nCopyright © 2015 Acme Inc.\n";
        assert_eq!(
            dropped(text),
            vec![(2, DropReason::EmptyLink), (4, DropReason::Copyright)]
        );
        assert!(dropped("The copyright holder keeps all rights.").is_empty());
    }

    #[test]
    fn policy_headings_that_look_like_buttons_stay() {
        let text = "ACME PRIVACY\n\nEMAIL THIS PAGE\n\nIf you use our email this page feature we ask for an address.\n";
        assert!(dropped(text).is_empty());
    }

    #[test]
    fn flags_hidden_emails_and_empty_links() {
        let warnings = flags(&lines(
            "Write to [email\u{a0}protected] or [email protected].\nSee [](http://x).\n",
            1,
        ));
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].message.starts_with("2 obfuscated e-mail addresses"));
        assert_eq!(warnings[1].line, Some(2));
    }
}
