//! Minting clause and section ids: short, readable, unique within a policy, never reused.

use foldhash::{HashMap, HashSet};

use crate::content::slugify;
use crate::document::{Block, BlockKind};

/// Ids the hub's own pages give their elements (the default theme's landmarks, headings, forms
/// and filter targets): a clause never takes them, so a page never has one id twice.
pub const RESERVED_IDS: [&str; 32] = [
    "at-answer",
    "at-date",
    "at-form",
    "check-heading",
    "compare-form",
    "compare-from",
    "compare-heading",
    "compare-result",
    "compare-rows",
    "compare-status",
    "compare-summary",
    "compare-to",
    "every-change",
    "hide-formatting",
    "main",
    "orgs-heading",
    "periods",
    "policy-title",
    "recent-heading",
    "search-form",
    "search-needs-js",
    "search-org",
    "search-q",
    "search-results",
    "search-status",
    "search-topic",
    "search-topic-field",
    "site-search-q",
    "steps-heading",
    "substantive-only",
    "timeline-heading",
    "toc-heading",
];

/// Every id a policy has ever used, and the rule for minting new ones.
#[derive(Debug, Default, Clone)]
pub struct IdMinter {
    used: HashSet<String>,
    /// For each base, the next number to try: minting stays linear in the number of ids.
    next: HashMap<String, usize>,
}

impl IdMinter {
    /// Marks an id as taken (it is never minted again).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A new id for a heading: its first distinctive words as a slug (`data-retention`);
    /// when taken, one more word at a time, then a number.
    pub fn heading(&mut self, text: &str) -> String {
        let words = heading_words(text);
        if words.is_empty() {
            return self.numbered("section", 1);
        }
        for n in SHORT_WORDS..=words.len().max(SHORT_WORDS) {
            let id = slug_of(&words[..n.min(words.len())]);
            if self.used.insert(id.clone()) {
                return id;
            }
            if n >= words.len() {
                break;
            }
        }
        let base = slug_of(&words[..SHORT_WORDS.min(words.len())]);
        self.numbered(&base, 2)
    }

    /// A new id for a clause of the section `section` (`data-retention-3`).
    pub fn clause(&mut self, section: Option<&str>) -> String {
        self.numbered(section.unwrap_or("intro"), 1)
    }

    /// A new id for a block, given the id of the section it belongs to.
    pub fn block(&mut self, block: &Block, section: Option<&str>) -> String {
        if block.kind == BlockKind::Heading {
            self.heading(&block.text)
        } else {
            self.clause(section)
        }
    }

    fn numbered(&mut self, base: &str, first: usize) -> String {
        let mut n = self.next.get(base).copied().unwrap_or(first).max(first);
        loop {
            let id = format!("{base}-{n}");
            n += 1;
            if self.used.insert(id.clone()) {
                self.next.insert(base.to_string(), n);
                return id;
            }
        }
    }
}

/// Words too common to tell headings apart.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "on", "to", "for", "in", "by", "our", "your", "we", "you", "with", "or", "is",
    "are", "this", "how", "what", "do", "does",
];

/// How many words a heading's id has, unless it needs more to be unique.
const SHORT_WORDS: usize = 3;

/// The words of a heading that tell it apart: leading numbering and common words dropped
/// ("3.1 XM Fax" → xm, fax; "How We Use Your Information" → use, information).
fn heading_words(text: &str) -> Vec<String> {
    let slug = slugify(text);
    let words: Vec<String> = slug
        .split('-')
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        // Only numbers or common words ("2015", "About us"): keep them all.
        return slug.split('-').filter(|w| !w.is_empty()).map(str::to_string).collect();
    }
    words
}

/// Words joined as an id: at most 40 characters, never starting with a digit (CSS selectors)
/// nor with `fn-`, the footnotes' ids ([`crate::document::footnote_id`]).
fn slug_of(words: &[String]) -> String {
    let mut id = words.join("-");
    if id.starts_with(|c: char| c.is_ascii_digit()) || id == "fn" || id.starts_with("fn-") {
        id.insert_str(0, "s-");
    }
    id.truncate(40);
    id.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_the_default_theme_writes_is_reserved() {
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(templates).unwrap() {
            let path = entry.unwrap().path();
            let html = std::fs::read_to_string(&path).unwrap();
            for id in html.split("id=\"").skip(1).filter_map(|rest| rest.split_once('"')) {
                let id = id.0;
                if !id.contains("{{") && !id.contains("{%") {
                    assert!(RESERVED_IDS.contains(&id), "{} writes id {id}", path.display());
                }
            }
        }
    }

    #[test]
    fn no_id_is_minted_in_the_footnotes_namespace() {
        let mut m = IdMinter::default();
        assert_eq!(m.heading("Fn 1"), "s-fn-1");
        assert_eq!(m.heading("FN"), "s-fn");
        assert_eq!(m.heading("FN"), "s-fn-2");
    }

    #[test]
    fn headings_become_short_slugs() {
        let mut m = IdMinter::default();
        assert_eq!(m.heading("3.1 XM Fax"), "xm-fax");
        assert_eq!(
            m.heading("Collection and Use of Information on the Web Site"),
            "collection-use-information"
        );
        assert_eq!(
            m.heading("Collection and Use of Information through the Service"),
            "collection-use-information-through"
        );
        assert_eq!(
            m.heading("Collection and use of information"),
            "collection-use-information-2"
        );
        assert_eq!(m.heading("How We Use Your Information"), "use-information");
        assert_eq!(m.heading("2015"), "s-2015");
        assert_eq!(m.heading("***"), "section-1");
    }

    #[test]
    fn clauses_are_numbered_in_their_section_and_never_reused() {
        let mut m = IdMinter::default();
        m.reserve("security-1");
        assert_eq!(m.clause(Some("security")), "security-2");
        assert_eq!(m.clause(Some("security")), "security-3");
        assert_eq!(m.clause(None), "intro-1");
    }
}
