//! References inside a policy: "Section 3", "section 3.2", "see Security below/above" resolved
//! to the heading they name, and links to another policy of the same organisation (by its live
//! URL) resolved to that policy's page. A reference whose target does not exist stays text.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt};
use regex::Regex;

use crate::document::{Block, BlockKind};

fn section_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)\b(?:sections?|§)\s*(\d{1,2}(?:\.\d{1,2})*)\b").expect("built-in pattern"))
}

fn see_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"\b[Ss]ee\s+(?:the\s+)?(?:[Ss]ection\s+)?(?:(?:entitled|titled|called)\s+)?["“]?([A-Z][^.;:"”“()<>\n]{1,60}?)["”]?\s+(?:[Ss]ection\s+)?(below|above)\b"#,
        )
        .expect("built-in pattern")
    })
}

fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)^(?:section\s+|article\s+)?(\d{1,2}(?:\.\d{1,2})*)\.?(?:\s|\)|$)").expect("built-in pattern")
    })
}

/// The heading a section number names in one run of numbering.
struct Numbered {
    run: usize,
    heading: usize,
    /// Whether the heading carries the number itself (or is the unnumbered heading above
    /// "3.1 …", taken for section 3).
    carries: bool,
}

impl Numbered {
    /// Records `heading` for `number` in `run` (runs come in order). The first heading that
    /// carries a number counts ("11. Your rights", not "11. 2 Creator" below it), before a
    /// heading only taken for it.
    fn add(by_number: &mut HashMap<String, Vec<Numbered>>, number: &str, run: usize, heading: usize, carries: bool) {
        let headings = by_number.entry(number.to_string()).or_default();
        match headings.last_mut().filter(|n| n.run == run) {
            Some(known) if carries && !known.carries => *known = Numbered { run, heading, carries },
            Some(_) => {}
            None => headings.push(Numbered { run, heading, carries }),
        }
    }
}

/// The headings of a version by section number and by name.
pub(super) struct Headings {
    /// The heading of each number in each run of numbering that has it, in run order.
    by_number: HashMap<String, Vec<Numbered>>,
    /// Where each run of numbering begins: the first block, then each numbered heading whose
    /// section number is lower than the one before (a second part of the document, or the
    /// real headings after a table of contents written as headings, numbered again from 1).
    runs: Vec<usize>,
    /// Each name's headings, in reading order.
    by_name: BTreeMap<String, Vec<usize>>,
    /// The headings a name refers to (its own, or those it begins, for a name of two words or
    /// more), in reading order: found once per name however many references use it.
    referred: RefCell<HashMap<String, Vec<usize>>>,
}

impl Headings {
    /// The headings of a version's blocks (in reading order).
    pub(super) fn new<'b>(blocks: impl IntoIterator<Item = &'b Block>) -> Self {
        let mut by_number: HashMap<String, Vec<Numbered>> = HashMap::new();
        let mut runs = vec![0];
        let mut last_top = 0;
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        // The latest heading of each level so far (levels 1 to 6).
        let mut latest_at: [Option<usize>; 7] = [None; 7];
        for (index, block) in blocks.into_iter().enumerate() {
            if block.kind != BlockKind::Heading {
                continue;
            }
            by_name.entry(heading_name(&block.text)).or_default().push(index);
            let level = usize::from(block.level).min(6);
            // "3.1 …" under an unnumbered heading: that heading is section 3.
            let parent = latest_at[..level].iter().flatten().max().copied();
            latest_at[level] = Some(index);
            let Some(number) = number_re().captures(block.text.trim()).and_then(|c| c.get(1)) else {
                continue;
            };
            let number = number.as_str().to_string();
            let top: u32 = number.split('.').next().and_then(|n| n.parse().ok()).unwrap_or(0);
            if top < last_top {
                runs.push(index);
            }
            last_top = top;
            let run = runs.len() - 1;
            if let (Some((parent_number, _)), Some(parent)) = (number.rsplit_once('.'), parent) {
                Numbered::add(&mut by_number, parent_number, run, parent, false);
            }
            Numbered::add(&mut by_number, &number, run, index, true);
        }
        Headings {
            by_number,
            runs,
            by_name,
            referred: RefCell::default(),
        }
    }

    /// The heading numbered `number` that a reference in block `from` points to: the one of
    /// the run of numbering the reference is in, or else of the first run that has it.
    fn numbered(&self, number: &str, from: usize) -> Option<usize> {
        let own = self.runs.partition_point(|&start| start <= from).saturating_sub(1);
        let headings = self.by_number.get(number)?;
        headings
            .iter()
            .find(|n| n.run == own)
            .or(headings.first())
            .map(|n| n.heading)
    }

    /// The heading a reference in block `from` points to, if there is one (`name` as
    /// [`heading_name`] makes it): the first below it, or the first of those above it.
    fn named(&self, name: &str, from: usize, below: bool) -> Option<usize> {
        let mut referred = self.referred.borrow_mut();
        let headings = referred.entry(name.to_string()).or_insert_with(|| {
            let prefix = name.split_whitespace().count() >= 2;
            let mut headings: Vec<usize> = self
                .by_name
                .range::<str, _>((Bound::Included(name), Bound::Unbounded))
                .take_while(|(h, _)| h.as_str() == name || (prefix && h.starts_with(name)))
                .flat_map(|(_, at)| at.iter().copied())
                .collect();
            headings.sort_unstable();
            headings
        });
        match below {
            true => headings.get(headings.partition_point(|&i| i <= from)).copied(),
            false => headings.first().copied().filter(|&i| i < from),
        }
    }
}

/// A heading's text for matching: lowercase, without its number or final punctuation.
fn heading_name(text: &str) -> String {
    let text = text.trim().to_lowercase();
    let text = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace());
    text.trim_end_matches(['.', ':', '?'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What may refer to a section in a run of text, before the version's headings are known:
/// found once per distinct text, resolved against each version that contains it.
#[derive(Debug, Clone, Default)]
pub(super) struct Candidates {
    /// `Section 3.1`: byte range and section number.
    numbered: Vec<(usize, usize, String)>,
    /// `see Security below`: byte range of the name, the name as [`heading_name`] makes it,
    /// and whether the heading is below.
    named: Vec<(usize, usize, String, bool)>,
}

impl Candidates {
    /// The section references that may be in `text`.
    pub(super) fn find(text: &str) -> Self {
        let numbered = section_re()
            .captures_iter(text)
            .filter_map(|c| {
                let (whole, number) = (c.get(0)?, c.get(1)?);
                Some((whole.start(), whole.end(), number.as_str().to_string()))
            })
            .collect();
        let named = see_re()
            .captures_iter(text)
            .filter_map(|c| {
                let (name, way) = (c.get(1)?, c.get(2)?);
                Some((
                    name.start(),
                    name.end(),
                    heading_name(name.as_str()),
                    way.as_str() == "below",
                ))
            })
            .collect();
        Candidates { numbered, named }
    }

    /// The references that name a heading of the version, from block `from`: byte range and
    /// target block, in order.
    pub(super) fn resolve(&self, from: usize, headings: &Headings) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (start, end, number) in &self.numbered {
            if let Some(target) = headings.numbered(number, from) {
                out.push((*start, *end, target));
            }
        }
        for (start, end, name, below) in &self.named {
            let overlaps = out.iter().any(|&(s, e, _)| s < *end && *start < e);
            if let (false, Some(target)) = (overlaps, headings.named(name, from, *below)) {
                out.push((*start, *end, target));
            }
        }
        out.sort_unstable();
        out
    }
}

/// Section references in a run of text of block `from`: byte range and target block.
#[cfg(test)]
fn section_references(text: &str, from: usize, headings: &Headings) -> Vec<(usize, usize, usize)> {
    Candidates::find(text).resolve(from, headings)
}

/// A URL reduced to what tells two pages apart: no scheme, `www.`, web-archive prefix,
/// fragment or trailing slash; lowercase.
pub fn url_key(url: &str) -> String {
    let mut url = url.trim();
    if let Some(rest) = url.split_once("web.archive.org/web/").map(|(_, r)| r) {
        url = rest.split_once('/').map_or(rest, |(_, r)| r);
    }
    let url = url.split('#').next().unwrap_or("");
    let url = url.split_once("://").map_or(url, |(_, r)| r);
    let url = url.strip_prefix("www.").unwrap_or(url);
    url.trim_end_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    /// The references in `text` (of block `from`): their words and the block each points to.
    fn references<'t>(text: &'t str, from: usize, h: &Headings) -> Vec<(&'t str, usize)> {
        section_references(text, from, h)
            .iter()
            .map(|&(s, e, t)| (&text[s..e], t))
            .collect()
    }

    #[test]
    fn numbered_and_parent_sections() {
        let doc = parse("# P\n\n## Scope\n\nx\n\n## Collection\n\n### 3.1 Fax\n\nSee Section 3 above and section 3.1, not Section 9.\n");
        let h = Headings::new(&doc.blocks);
        let text = &doc.blocks[5].text;
        assert_eq!(references(text, 5, &h), [("Section 3", 3), ("section 3.1", 4)]);
    }

    #[test]
    fn see_heading_below_or_above() {
        let doc = parse("# P\n\n## Security\n\nSee Contact Us below; see Security above; see Nowhere below.\n\n## Contact Us\n\nx\n");
        let h = Headings::new(&doc.blocks);
        let text = &doc.blocks[2].text;
        assert_eq!(references(text, 2, &h), [("Contact Us", 3), ("Security", 1)]);
        // Direction matters: Contact Us is not above.
        assert!(section_references("see Contact Us above", 2, &h).is_empty());
    }

    #[test]
    fn a_name_refers_to_the_nearest_heading_below_or_the_first_above_and_begins_longer_ones() {
        let doc = parse(
            "# P\n\n## Data Sharing Partners\n\nx\n\n## Security\n\nSee Data Sharing above; see Security below.\n\n## Security\n\ny\n\n## Security\n\nz\n",
        );
        let h = Headings::new(&doc.blocks);
        let text = &doc.blocks[4].text;
        assert_eq!(references(text, 4, &h), [("Data Sharing", 1), ("Security", 5)]);
        assert_eq!(
            section_references("see Security above", 9, &h)[0].2,
            3,
            "the first above"
        );
        assert!(
            section_references("see Data above", 4, &h).is_empty(),
            "one word names a whole heading"
        );
    }

    #[test]
    fn a_numbered_heading_finds_its_parent_past_thousands_of_siblings() {
        let body: String = (1..=3000).map(|i| format!("### 4.{} Item\n\nx\n\n", i % 100)).collect();
        let doc = parse(&format!("# P\n\n## Choices\n\n{body}Read section 4.\n"));
        let h = Headings::new(&doc.blocks);
        assert_eq!(
            h.numbered("4", 3000),
            Some(1),
            "the unnumbered heading above is section 4"
        );
    }

    #[test]
    fn a_heading_numbered_3_wins_over_the_one_above_3_1() {
        let doc = parse("# P\n\n## Scope\n\n### 3.1 Fax\n\nx\n\n## 3. Collection\n\nSee Section 3.\n");
        let h = Headings::new(&doc.blocks);
        assert_eq!(references(&doc.blocks[5].text, 5, &h), [("Section 3", 4)]);
    }

    #[test]
    fn a_number_names_the_first_heading_of_the_run_of_numbering_it_is_read_in() {
        // "11. 2 Creator" is a sub-section written with a space; the second part of the
        // document numbers its sections again from 1.
        let doc = parse("# P\n\n## 10. Cookies\n\nx\n\n## 11. Your rights\n\nx\n\n### 11. 2 Creator\n\nSee Section 11 and section 10.\n\n# Part two\n\n## 1. Age\n\nx\n\n## 2. Links\n\nAs in Section 1, and Section 11.\n");
        let h = Headings::new(&doc.blocks);
        assert_eq!(
            references(&doc.blocks[6].text, 6, &h),
            [("Section 11", 3), ("section 10", 1)]
        );
        assert_eq!(
            references(&doc.blocks[11].text, 11, &h),
            [("Section 1", 8), ("Section 11", 3)]
        );
    }

    #[test]
    fn url_keys() {
        assert_eq!(
            url_key("https://web.archive.org/web/2015id_/https://www.Nexmo.com/cookies/"),
            "nexmo.com/cookies"
        );
        assert_eq!(url_key("http://nexmo.com/cookies#a"), "nexmo.com/cookies");
    }
}
