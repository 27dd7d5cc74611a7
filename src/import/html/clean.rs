//! What never reaches a version from an HTML page: active and embedded content (scripts, styles,
//! frames, forms' controls, images: a capture is untrusted and a hub must not load its trackers),
//! and page chrome (navigation, banners, cookie notices, footers, share buttons) found by tag,
//! ARIA role and class or id. It only removes and simplifies elements; it chooses nothing.

use dom_query::{Document, NodeRef};

/// Elements removed, counted by kind, in the order first met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Removed(Vec<(&'static str, usize)>);

impl Removed {
    /// Counts one more element of this kind.
    pub(super) fn add(&mut self, kind: &'static str) {
        match self.0.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.0.push((kind, 1)),
        }
    }

    /// True when nothing was removed.
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// "2 script, 1 navigation, 1 cookie banner", or `empty` when nothing was removed.
    pub(super) fn summary_or(&self, empty: &str) -> String {
        if self.0.is_empty() {
            return empty.to_string();
        }
        self.0
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How deep elements may nest: deeper ones are replaced by their contents. No page a person
/// reads nests 100 lists in each other, and the Markdown writer recurses once per level.
pub(super) const MAX_DEPTH: usize = 100;

/// Replaces every element nested deeper than [`MAX_DEPTH`] by its contents, a space on either
/// side of a block's (a hostile or broken page's 20,000 nested lists would overflow the
/// stack); the count replaced.
pub(super) fn flatten_deep(document: &Document) -> usize {
    let mut deep = Vec::new();
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH && node.is_element() {
            deep.push(node);
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            stack.push((c, depth + usize::from(c.is_element())));
            child = c.next_sibling();
        }
    }
    for node in &deep {
        // A block's words stay apart from those around it once it is gone.
        if node.node_name().is_some_and(|name| crate::html::parts_words(&name)) {
            node.prepend_html(" ");
            node.append_html(" ");
        }
        unwrap(node);
    }
    deep.len()
}

/// Removes what is left of the Wayback Machine's toolbar when its comments were lost (a page
/// saved from the browser's DOM keeps the elements but not the comments).
pub(super) fn remove_wayback(document: &Document, removed: &mut Removed) {
    let root = document.root();
    for node in root.find_all("#wm-ipp-base, #wm-ipp, #wm-ipp-print, #donato, #wm-capinfo") {
        if attached(&node, &root) {
            node.remove_from_parent();
            removed.add("Wayback toolbar");
        }
    }
}

/// Active, embedded and interactive content, by tag: never the policy's words.
const UNSAFE: &[(&str, &str)] = &[
    ("script", "script"),
    ("style", "style"),
    ("noscript", "noscript"),
    ("template", "template"),
    (
        "iframe, frame, frameset, object, embed, applet, portal",
        "frame or embed",
    ),
    (
        "img, picture, svg, canvas, video, audio, source, track, map, math",
        "image or media",
    ),
    ("head, link, meta, base", "head element"),
    (
        "input, button, select, textarea, option, datalist, output, progress, meter",
        "form control",
    ),
    ("dialog", "dialog"),
];

/// Removes active and embedded content everywhere, and forms that hold no heading (a search box,
/// a newsletter sign-up); a form that wraps the page (ASP.NET pages do) keeps its contents.
pub(super) fn remove_unsafe(document: &Document, removed: &mut Removed) {
    let root = document.root();
    for (selector, kind) in UNSAFE {
        for node in root.find_all(selector) {
            if attached(&node, &root) {
                node.remove_from_parent();
                removed.add(kind);
            }
        }
    }
    for form in root.find_all("form") {
        if form.is("form:has(h1, h2, h3, main, article)") {
            unwrap(&form);
        } else {
            form.remove_from_parent();
            removed.add("form");
        }
    }
}

/// Page chrome, by tag and ARIA role; header, footer and aside only outside the main content
/// (an article's own header holds its title).
const CHROME: &[(&str, &str)] = &[
    (
        "nav, [role=navigation], [role=menubar], [role=menu], [role=toolbar], [role=tablist]",
        "navigation",
    ),
    ("[role=search]", "search box"),
    ("[role=dialog], [role=alertdialog]", "dialog"),
    (
        "header:not(main header, article header, [role=main] header), [role=banner]",
        "page header",
    ),
    (
        "footer:not(main footer, article footer, [role=main] footer), [role=contentinfo]",
        "footer",
    ),
    (
        "aside:not(main aside, article aside, [role=main] aside), [role=complementary]",
        "sidebar",
    ),
];

/// Chrome known by its class or id: (kind, words that any class or id token may contain).
const CHROME_NAMES: &[(&str, &[&str])] = &[
    (
        "cookie banner",
        &[
            "cookie-banner",
            "cookie-notice",
            "cookie-bar",
            "cookie-consent",
            "cookie-popup",
            "cookie-law",
            "cookie-message",
            "cookie-alert",
            "cookie-overlay",
            "cookie-dialog",
            "cookie-wall",
            "cookie-warning",
            "cookies-banner",
            "cookies-notice",
            "cookieconsent",
            "cookiebanner",
            "cookienotice",
            "cookiebot",
            "consent-banner",
            "consent-manager",
            "consent-sdk",
            "gdpr-banner",
            "gdpr-notice",
            "onetrust",
            "optanon",
            "truste-consent",
            "cc-window",
            "cc-banner",
            "qc-cmp",
            "usercentrics",
            "didomi",
        ],
    ),
    (
        "navigation",
        &[
            "breadcrumb",
            "navbar",
            "nav-bar",
            "navigation",
            "site-nav",
            "main-nav",
            "menu-bar",
            "mega-menu",
            "skip-link",
            "skip-to",
            "skiplink",
            "pagination",
        ],
    ),
    (
        "page header",
        &[
            "site-header",
            "masthead",
            "global-header",
            "page-header-nav",
            "top-bar",
            "topbar",
        ],
    ),
    (
        "footer",
        &[
            "site-footer",
            "global-footer",
            "page-footer",
            "footer-links",
            "colophon",
        ],
    ),
    (
        "share buttons",
        &[
            "share-buttons",
            "social-share",
            "sharing",
            "social-links",
            "addthis",
            "sharethis",
        ],
    ),
    ("newsletter", &["newsletter", "subscribe", "signup-form"]),
    ("sidebar", &["sidebar", "side-bar"]),
    ("pop-up", &["modal", "popup", "pop-up", "lightbox"]),
];

/// Removes page chrome inside `scope` (never `scope` itself, nor an element holding the main
/// content or the page's title).
pub(super) fn remove_chrome(scope: &NodeRef, removed: &mut Removed) {
    for (selector, kind) in CHROME {
        for node in scope.find_all(selector) {
            if attached(&node, scope) && !holds_main_content(&node) {
                node.remove_from_parent();
                removed.add(kind);
            }
        }
    }
    for node in scope.find_all("[class], [id]") {
        if !attached(&node, scope) || holds_main_content(&node) {
            continue;
        }
        let names = format!(
            "{} {}",
            node.attr("class").unwrap_or_default(),
            node.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase()
        .replace('_', "-");
        let kind = CHROME_NAMES.iter().find_map(|(kind, words)| {
            let hit = names
                .split_whitespace()
                .any(|token| words.iter().any(|w| token.contains(w)));
            hit.then_some(*kind)
        });
        if let Some(kind) = kind {
            node.remove_from_parent();
            removed.add(kind);
        }
    }
}

/// Removes the elements `selector` matches inside `scope` (`--remove`); the count removed.
pub(super) fn remove_matching(scope: &NodeRef, selector: &str) -> usize {
    let mut count = 0;
    for node in scope.find_all(selector) {
        if attached(&node, scope) {
            node.remove_from_parent();
            count += 1;
        }
    }
    count
}

/// An element that holds the page's main content or title is never chrome, whatever it is named
/// (`<div class="page has-sidebar">` around everything).
fn holds_main_content(node: &NodeRef) -> bool {
    node.is("main, article, [role=main], :has(main, article, [role=main], h1)")
}

/// Markup the Markdown writer reads badly, rewritten: a table's caption becomes a paragraph
/// above it, definition lists become paragraphs (the term in bold); every attribute but a
/// link's address and title is dropped.
pub(super) fn simplify(root: &NodeRef) {
    simplify_list_items(root);
    for caption in root.find_all("caption") {
        // (Found before the tree changes: an open iterator borrows the tree.)
        let table = caption.ancestors_it(None).find(|a| a.has_name("table"));
        if let Some(table) = table {
            let text = caption.text().trim().to_string();
            caption.remove_from_parent();
            if !text.is_empty() {
                let text = text.replace('&', "&amp;").replace('<', "&lt;");
                table.before_html(format!("<p>{text}</p>"));
            }
        }
    }
    // A table inside a table's cell: a Markdown cell holds one line, so the inner table
    // becomes its text, row by row (innermost first, so an inner table's own inner tables
    // are text before it is read).
    let mut nested: Vec<NodeRef> = root.find_all("td table, th table");
    nested.reverse();
    let words = |node: &NodeRef| node.text().split_whitespace().collect::<Vec<_>>().join(" ");
    for table in nested {
        // A row or table whose cells were flattened away (nested too deep) is read whole.
        let rows: Vec<String> = table
            .find_all("tr")
            .iter()
            .map(|row| {
                let cells: Vec<String> = row
                    .find_all("td, th")
                    .iter()
                    .map(words)
                    .filter(|text| !text.is_empty())
                    .collect();
                match cells.is_empty() {
                    true => words(row),
                    false => cells.join(" "),
                }
            })
            .filter(|row| !row.is_empty())
            .collect();
        let text = match rows.is_empty() {
            true => words(&table),
            false => rows.join("; "),
        };
        let text = text.replace('&', "&amp;").replace('<', "&lt;");
        table.replace_with_html(format!("<span>{text}</span>"));
    }
    for node in root.find_all("dl") {
        node.rename("div");
    }
    for node in root.find_all("dt") {
        node.rename("strong");
        node.wrap_html("<p></p>");
    }
    for node in root.find_all("dd") {
        node.rename("p");
    }
    for node in self_and_find_all(root, "*") {
        if node.has_name("a") {
            node.retain_attrs(&["href", "title"]);
        } else {
            node.retain_attrs(&["colspan", "rowspan"]);
        }
    }
}

/// List items in the shapes CMSs write, made ones the Markdown writer keeps whole:
/// - an item that holds nothing but a list (how WordPress and Word indent a list) gives way to
///   that list's items (Markdown has no item without text, and would show a stray `-`);
/// - an item's paragraphs become lines of its text (the writer would leave the second and
///   later ones outside the item, its list cut in two);
/// - a heading inside an item (a term the item explains) becomes its words in bold (the writer
///   would escape its `#` into the text).
fn simplify_list_items(root: &NodeRef) {
    for item in root.find_all("li") {
        let children = item.children();
        let mut elements = children.iter().filter(|c| c.is_element());
        let (Some(list), None) = (elements.next(), elements.next()) else {
            continue;
        };
        let lone = (list.has_name("ul") || list.has_name("ol"))
            && children.iter().all(|c| c.is_element() || c.text().trim().is_empty());
        if lone {
            unwrap(list);
            unwrap(&item);
        }
    }
    for item in root.find_all("li") {
        let mut text_before = false;
        for child in item.children() {
            if child.has_name("p") {
                if text_before {
                    child.before_html("<br>");
                }
                unwrap(&child);
            }
            text_before |= child.is_element() || !child.text().trim().is_empty();
        }
    }
    for node in root.find_all("li h1, li h2, li h3, li h4, li h5, li h6") {
        node.rename("strong");
    }
}

/// Replaces an element by its children.
pub(super) fn unwrap(node: &NodeRef) {
    match node.first_child() {
        Some(child) => child.unwrap_node(),
        None => node.remove_from_parent(),
    }
}

/// The elements a CSS selector matches inside a node, in document order. An invalid selector
/// matches nothing: the selectors here are constants, and `--select` and `--remove` are checked
/// before use.
pub(super) trait FindAll<'a> {
    /// See the trait.
    fn find_all(&self, selector: &str) -> Vec<NodeRef<'a>>;
}

/// The node itself when `selector` matches it, then [`FindAll::find_all`].
pub(super) fn self_and_find_all<'a>(node: &NodeRef<'a>, selector: &str) -> Vec<NodeRef<'a>> {
    let itself = dom_query::Matcher::new(selector).is_ok_and(|m| node.is_match(&m));
    let mut found = if itself { vec![*node] } else { Vec::new() };
    found.extend(node.find_all(selector));
    found
}

impl<'a> FindAll<'a> for NodeRef<'a> {
    fn find_all(&self, selector: &str) -> Vec<NodeRef<'a>> {
        let Ok(matcher) = dom_query::Matcher::new(selector) else {
            return Vec::new();
        };
        self.descendants_it().filter(|n| n.is_match(&matcher)).collect()
    }
}

/// The nodes of `all` that no other node of `all` holds, in their order: one pass up from each
/// (a page of 30,000 `<article>`s is not compared pair by pair).
pub(super) fn outermost<'a>(all: &[NodeRef<'a>]) -> Vec<NodeRef<'a>> {
    let ids: std::collections::HashSet<_> = all.iter().map(|n| n.id).collect();
    all.iter()
        .filter(|n| !n.ancestors_it(None).any(|a| ids.contains(&a.id)))
        .cloned()
        .collect()
}

/// True while `node` is still inside `scope` (not removed with an element around it).
pub(super) fn attached(node: &NodeRef, scope: &NodeRef) -> bool {
    node.ancestors_it(None).any(|a| a.id == scope.id)
}
