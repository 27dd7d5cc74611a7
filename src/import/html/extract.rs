//! Where the policy is in a page: the elements `--select` names (minus `--remove` and chrome
//! inside them), else, once chrome is removed from the whole page, its `<main>` (or
//! `[role=main]`), else its `<article>`s, else the element that holds the text Readability
//! (`dom_smoothie`) finds, else what is left of `<body>`. A landmark counts only when it holds
//! most of the page's text.

use std::collections::HashMap;
use std::path::Path;

use dom_query::{Document, Matcher, NodeRef};
use dom_smoothie::{Config, ParsePolicy, Readability};

use super::clean::{self, attached, FindAll, Removed};
use super::HtmlOptions;
use crate::error::Diagnostic;

/// Fewer words than this is not a policy (a page of chrome, an empty template).
pub(super) const MIN_WORDS: usize = 10;

/// The part of a landmark's words in the page's, at least, for the landmark to be the policy
/// (a `<main>` that holds only a hero banner is not): 40%.
const LANDMARK_SHARE: (usize, usize) = (4, 10);

/// The elements that hold the policy, in page order, and how they were found.
pub(super) struct Extracted<'a> {
    /// The policy's elements (their contents are the policy).
    pub roots: Vec<NodeRef<'a>>,
    /// How they were found, for the report and errors ("<main>", "--select '.legal'").
    pub from: String,
}

/// Finds the policy in the page and removes the chrome around and inside it.
pub(super) fn policy<'a>(
    name: &Path,
    document: &'a Document,
    options: &HtmlOptions,
    removed: &mut Removed,
) -> Result<Extracted<'a>, Diagnostic> {
    for (flag, selector) in options
        .select
        .iter()
        .map(|s| ("--select", s))
        .chain(options.remove.iter().map(|s| ("--remove", s)))
    {
        if let Err(e) = Matcher::new(selector) {
            return Err(
                Diagnostic::new(flag, format!("`{selector}` is not a CSS selector ({e:?})"))
                    .hint("pass a CSS selector such as main, #content, div.policy or article > section"),
            );
        }
    }
    let root = document.root();
    if !options.select.is_empty() {
        return selected(name, &root, options, removed);
    }
    clean::remove_chrome(&root, removed);
    remove_flagged(&root, options, removed);
    let body = root.find_all("body").into_iter().next().unwrap_or(root);
    let total = word_count(&body.text());
    for (selector, label) in [("main, [role=main]", "<main>"), ("article", "<article>")] {
        if let Some(roots) = landmark(&root, selector, total) {
            let from = if roots.len() == 1 {
                label.to_string()
            } else {
                format!("{} {label} elements", roots.len())
            };
            return Ok(Extracted { roots, from });
        }
    }
    if let Some(found) = readability(document, &body, total) {
        return Ok(Extracted {
            from: format!("<{}>, where Readability finds the main text", describe(&found)),
            roots: vec![found],
        });
    }
    Ok(Extracted {
        roots: vec![body],
        from: "the page's <body>".into(),
    })
}

/// `--select`: every element it matches (the outermost, in page order), with `--remove` and the
/// chrome inside them removed.
fn selected<'a>(
    name: &Path,
    root: &NodeRef<'a>,
    options: &HtmlOptions,
    removed: &mut Removed,
) -> Result<Extracted<'a>, Diagnostic> {
    let selector = options.select.join(", ");
    let all = root.find_all(&selector);
    let roots: Vec<NodeRef<'a>> = clean::outermost(&all);
    let quoted = options
        .select
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(" ");
    if roots.is_empty() {
        return Err(
            Diagnostic::new(name, format!("--select {quoted} matches nothing in this page")).hint(
                "check the selector in the browser's inspector on the saved page (ids and classes are case-sensitive)",
            ),
        );
    }
    for node in &roots {
        clean::remove_chrome(node, removed);
        remove_flagged(node, options, removed);
    }
    Ok(Extracted {
        from: format!("--select {quoted}"),
        roots,
    })
}

/// `--remove`: the elements it matches inside `scope`.
fn remove_flagged(scope: &NodeRef, options: &HtmlOptions, removed: &mut Removed) {
    for selector in &options.remove {
        for _ in 0..clean::remove_matching(scope, selector) {
            removed.add("--remove");
        }
    }
}

/// The landmark elements `selector` names, when they hold most of the page's words: the largest
/// one alone, else all of them together.
fn landmark<'a>(root: &NodeRef<'a>, selector: &str, total: usize) -> Option<Vec<NodeRef<'a>>> {
    let all = root.find_all(selector);
    let outermost: Vec<NodeRef<'a>> = clean::outermost(&all);
    let enough = |words: usize| words >= MIN_WORDS && words * LANDMARK_SHARE.1 >= total * LANDMARK_SHARE.0;
    let counted: Vec<(usize, &NodeRef<'a>)> = outermost.iter().map(|n| (word_count(&n.text()), n)).collect();
    let (largest, node) = counted.iter().max_by_key(|(words, _)| *words)?;
    if enough(*largest) {
        return Some(vec![**node]);
    }
    let sum: usize = counted.iter().map(|(words, _)| words).sum();
    enough(sum).then_some(outermost)
}

/// The element of the page that holds Readability's article: the smallest one with nine in
/// ten of the article's words, when the article holds enough of the page's words. Readability
/// only says where the policy is: its own cleaning drops headings, lists and short sections
/// (an `<h2 id="share">` is "unlikely content" to it), so the policy is taken from the page.
fn readability<'a>(document: &Document, body: &NodeRef<'a>, total: usize) -> Option<NodeRef<'a>> {
    let copy = Document::from(document.html());
    let mut reader = Readability::with_document(copy, None, Some(Config::default())).ok()?;
    let article = reader.parse_with_policy(ParsePolicy::Moderate).ok()?;
    let wanted = words(&article.text_content);
    let n = wanted.len();
    if n < MIN_WORDS || n * LANDMARK_SHARE.1 < total * LANDMARK_SHARE.0 {
        return None;
    }
    let mut wanted_counts: HashMap<&str, usize> = HashMap::new();
    for w in &wanted {
        *wanted_counts.entry(w.as_str()).or_default() += 1;
    }
    let mut best: Option<(usize, NodeRef<'a>)> = None;
    for node in std::iter::once(*body).chain(body.descendants_it().filter(|n| n.is_element())) {
        let text = node.text();
        let have = words(&text);
        if have.len() * 10 < n * 9 || best.as_ref().is_some_and(|(size, _)| have.len() >= *size) {
            continue;
        }
        let mut left = wanted_counts.clone();
        let mut covered = 0;
        for w in &have {
            if let Some(count) = left.get_mut(w.as_str()).filter(|c| **c > 0) {
                *count -= 1;
                covered += 1;
            }
        }
        if covered * 10 >= n * 9 {
            best = Some((have.len(), node));
        }
    }
    let (_, found) = best?;
    let title = body.find_all("h1").into_iter().next();
    if let Some(title) = title.filter(|t| !attached(t, &found)) {
        let text = title.text().trim().to_string();
        if !text.is_empty() {
            found.prepend_html(format!("<h1>{}</h1>", escape(&text)));
        }
    }
    Some(found)
}

/// `div#content`, `div.article-body`: how the report names an element.
fn describe(node: &NodeRef) -> String {
    let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
    if let Some(id) = node.attr("id").filter(|id| !id.trim().is_empty()) {
        return format!("{name}#{}", id.trim());
    }
    match node
        .attr("class")
        .and_then(|c| c.split_whitespace().next().map(str::to_string))
    {
        Some(class) => format!("{name}.{class}"),
        None => name,
    }
}

/// The words of a text, lowercased, without the punctuation around them.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Text made safe to put back into HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Words with a letter or digit in them.
pub(super) fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}
