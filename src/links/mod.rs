//! Cross-links, computed once per policy after history: defined terms and their uses,
//! references to sections and to the organisation's other policies, and topic tags. A pure
//! stage: it reads documents and yields positions in each clause's HTML; `render` writes the
//! links. It uses `regex` for topic rules and references (the importer also does, for Wayback
//! addresses).

mod html;
mod own_links;
mod references;
mod terms;
mod topics;

pub use own_links::{anchor_aliases, resolve_policy_links};
pub use references::url_key;
pub use terms::{term_key, Definition};
pub use topics::{check_patterns, compile_pattern, Topic, TopicRules};

use std::rc::Rc;

use foldhash::{HashMap, HashSet};

use crate::content::Org;
use crate::document::BlockKind;
use crate::history::{AnchoredBlock, AnchoredVersion, PolicyHistory};
use html::{Href, TextRun};
use references::{Candidates, Headings};
use terms::{definitions_in, TermMatcher};

/// What a span of a clause's HTML becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SpanKind {
    /// A use of definition `n` of the version: a link to it.
    Term(usize),
    /// The term where definition `n` defines it: `<dfn>`.
    Defining(usize),
    /// A reference to a section: a link to block `n`.
    Section(usize),
    /// The `href` value of a link to the organisation's policy `n` (its live URL): replaced by
    /// the policy's page on the hub.
    Policy(usize),
}

/// A byte range of a block's `html` and what it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

/// The cross-links of one version.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionLinks {
    /// The terms it defines, in reading order.
    pub definitions: Vec<Definition>,
    /// For each block, its spans in order, never overlapping.
    pub spans: Vec<Vec<Span>>,
    /// For each block, its topics (indexes into the hub's [`TopicRules`]).
    pub topics: Vec<Vec<usize>>,
    /// How many more terms it defines than it links ([`MAX_DEFINITIONS`]): a build warns.
    pub unlinked_definitions: usize,
}

/// The cross-links of a policy: one entry per version, parallel to its history.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyLinks {
    pub versions: Vec<VersionLinks>,
}

impl VersionLinks {
    /// How many term uses, references and topic tags the version has.
    pub fn counts(&self) -> (usize, usize, usize) {
        let spans = self.spans.iter().flatten();
        let uses = spans.clone().filter(|s| matches!(s.kind, SpanKind::Term(_))).count();
        let refs = spans
            .filter(|s| matches!(s.kind, SpanKind::Section(_) | SpanKind::Policy(_)))
            .count();
        (uses, refs, self.topics.iter().map(Vec::len).sum())
    }
}

/// The cross-links of every policy of an organisation (histories parallel to its policies).
pub fn link_org(org: &Org, histories: &[PolicyHistory], rules: &TopicRules) -> Vec<PolicyLinks> {
    let policy_urls: Vec<Option<String>> = org.policies.iter().map(|p| p.url.as_deref().map(url_key)).collect();
    histories
        .iter()
        .enumerate()
        .map(|(p, history)| {
            let mut memo = Memo::default();
            PolicyLinks {
                versions: history
                    .versions
                    .iter()
                    .map(|v| link_version(v, org, p, &policy_urls, rules, &mut memo))
                    .collect(),
            }
        })
        .collect()
}

/// What a policy's versions share: from one version to the next most clauses keep their
/// text, so what a clause's text or HTML yields (topics, definitions, text runs, links,
/// reference candidates, term uses) is found once, and a version that defines the same terms
/// as the one before reuses its matcher.
#[derive(Default)]
struct Memo<'a> {
    /// Topics by clause text and section heading.
    topics: HashMap<(&'a str, Option<&'a str>), Vec<usize>>,
    /// Definitions by clause text (their `block` is set where they are used).
    definitions: HashMap<&'a str, Vec<Definition>>,
    /// Text runs, links and reference candidates by clause HTML.
    clauses: HashMap<&'a str, Rc<ClauseScan>>,
    /// Term uses by clause HTML (one list per unlinked run), found with `matcher`.
    uses: HashMap<&'a str, Rc<RunUses>>,
    /// The last version's terms and their matcher.
    matcher: Option<(Vec<String>, Rc<TermMatcher>)>,
}

/// The term uses of each unlinked run of a clause: byte range in the run and definition.
type RunUses = Vec<Vec<(usize, usize, usize)>>;

/// What a clause's HTML yields whatever the version it is in.
struct ClauseScan {
    /// The `href` values of its links, with their [`url_key`].
    hrefs: Vec<(Href, String)>,
    /// Its text runs outside links and code, with the section references they may hold.
    runs: Vec<(TextRun, Candidates)>,
}

impl ClauseScan {
    fn new(html: &str) -> Self {
        let scan = html::scan(html);
        ClauseScan {
            hrefs: scan
                .hrefs
                .into_iter()
                .map(|href| (href, url_key(&html[href.start..href.end])))
                .collect(),
            runs: scan
                .runs
                .into_iter()
                .filter(|run| !run.shielded)
                .map(|run| (run, Candidates::find(&html[run.start..run.end])))
                .collect(),
        }
    }
}

impl<'a> Memo<'a> {
    fn definitions(&mut self, text: &'a str, block: usize, exclude: &[&str]) -> Vec<Definition> {
        let found = self
            .definitions
            .entry(text)
            .or_insert_with(|| definitions_in(text, block, exclude));
        found.iter().map(|d| Definition { block, ..d.clone() }).collect()
    }

    fn topics(&mut self, rules: &TopicRules, text: &'a str, heading: Option<&'a str>) -> Vec<usize> {
        self.topics
            .entry((text, heading))
            .or_insert_with(|| rules.tag(text, heading))
            .clone()
    }

    fn clause(&mut self, html: &'a str) -> Rc<ClauseScan> {
        self.clauses
            .entry(html)
            .or_insert_with(|| Rc::new(ClauseScan::new(html)))
            .clone()
    }

    /// The term uses in each run of `clause` (the scan of `html`), by the current matcher.
    fn uses(&mut self, html: &'a str, clause: &ClauseScan, matcher: &TermMatcher) -> Rc<RunUses> {
        self.uses
            .entry(html)
            .or_insert_with(|| {
                let runs = clause
                    .runs
                    .iter()
                    .map(|(run, _)| matcher.uses(&html[run.start..run.end]));
                Rc::new(runs.collect())
            })
            .clone()
    }

    /// The matcher of a version's terms; a new matcher forgets the term uses found before.
    fn matcher(&mut self, definitions: &[Definition]) -> Rc<TermMatcher> {
        let terms: Vec<String> = definitions.iter().map(|d| d.term.clone()).collect();
        match &self.matcher {
            Some((known, matcher)) if *known == terms => matcher.clone(),
            _ => {
                let matcher = Rc::new(TermMatcher::new(definitions));
                self.matcher = Some((terms, matcher.clone()));
                self.uses.clear();
                matcher
            }
        }
    }
}

/// The most defined terms a version links. Real policies define tens, a long contract a few
/// hundred; the matcher's build grows faster than linearly with its terms, so a hostile
/// capture defining 100,000 would stall the build.
pub const MAX_DEFINITIONS: usize = 1_000;

fn link_version<'a>(
    version: &'a AnchoredVersion,
    org: &Org,
    policy: usize,
    policy_urls: &[Option<String>],
    rules: &TopicRules,
    memo: &mut Memo<'a>,
) -> VersionLinks {
    let blocks = &version.blocks;
    let exclude = [org.name.as_str(), org.slug.as_str()];
    let mut definitions: Vec<Definition> = Vec::new();
    let mut keys: HashSet<String> = HashSet::default();
    let mut unlinked_definitions = 0;
    for (i, AnchoredBlock { block, .. }) in blocks.iter().enumerate() {
        if block.kind == BlockKind::Heading || !block.kind.is_anchored() {
            continue;
        }
        for d in memo.definitions(&block.text, i, &exclude) {
            if keys.insert(d.key.clone()) {
                match definitions.len() < MAX_DEFINITIONS {
                    true => definitions.push(d),
                    false => unlinked_definitions += 1,
                }
            }
        }
    }
    let matcher = memo.matcher(&definitions);
    let headings = Headings::new(blocks.iter().map(|b| &b.block));
    let mut spans = Vec::with_capacity(blocks.len());
    let mut topics = Vec::with_capacity(blocks.len());
    for (i, AnchoredBlock { block, section, .. }) in blocks.iter().enumerate() {
        if block.kind == BlockKind::Heading || !block.kind.is_anchored() {
            spans.push(Vec::new());
            topics.push(Vec::new());
            continue;
        }
        let heading = section.map(|h| &*blocks[h].block.text);
        // A link within the page and nothing else ("Back to top") is navigation: about no
        // topic, whatever its section is about.
        match block.sole_link().is_some_and(|href| href.starts_with('#')) {
            true => topics.push(Vec::new()),
            false => topics.push(memo.topics(rules, &block.text, heading)),
        }
        let clause = memo.clause(&block.html);
        let uses = memo.uses(&block.html, &clause, &matcher);
        let mut found = policy_links(&clause, policy, policy_urls);
        // The terms this clause already links, and those it already marks as defined here
        // (sets, not flags per definition: a clause uses few of a version's terms).
        let mut linked: HashSet<usize> = HashSet::default();
        let mut defined_here: HashSet<usize> = HashSet::default();
        for ((run, candidates), uses) in clause.runs.iter().zip(uses.iter()) {
            for (start, end, target) in candidates.resolve(i, &headings) {
                found.push(span(run.start, start, end, SpanKind::Section(target)));
            }
            for &(start, end, d) in uses {
                let def = &definitions[d];
                if def.block == i && !defined_here.contains(&d) && quoted_before(&block.html[..run.start + start]) {
                    defined_here.insert(d);
                    found.push(span(run.start, start, end, SpanKind::Defining(d)));
                } else if def.block < i && linked.insert(d) {
                    found.push(span(run.start, start, end, SpanKind::Term(d)));
                }
            }
        }
        spans.push(without_overlaps(found));
    }
    VersionLinks {
        definitions,
        spans,
        topics,
        unlinked_definitions,
    }
}

/// The links of a clause to the organisation's other policies (by their live URL).
fn policy_links(clause: &ClauseScan, policy: usize, policy_urls: &[Option<String>]) -> Vec<Span> {
    let mut found = Vec::new();
    for (href, key) in &clause.hrefs {
        let target = policy_urls
            .iter()
            .position(|u| u.as_deref() == Some(key.as_str()) && !key.is_empty());
        if let Some(target) = target.filter(|&t| t != policy) {
            found.push(Span {
                start: href.start,
                end: href.end,
                kind: SpanKind::Policy(target),
            });
        }
    }
    found
}

/// Spans in order, the first (and longest) of overlapping ones kept.
fn without_overlaps(mut found: Vec<Span>) -> Vec<Span> {
    found.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<Span> = Vec::with_capacity(found.len());
    for s in found {
        if kept.last().is_none_or(|k| k.end <= s.start) {
            kept.push(s);
        }
    }
    kept
}

/// A character that makes up words (for word boundaries): a letter, a digit or `_`.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn span(offset: usize, start: usize, end: usize, kind: SpanKind) -> Span {
    Span {
        start: offset + start,
        end: offset + end,
        kind,
    }
}

/// True when HTML text ends with an opening quote (the defining occurrence of a term).
fn quoted_before(html: &str) -> bool {
    ["\"", "“", "‘", "&quot;", "&#34;", "”"]
        .iter()
        .any(|q| html.ends_with(q))
}

#[cfg(test)]
mod tests;
