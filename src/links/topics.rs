//! Topics: the default rule set (the OPP-115 categories plus cookies, children and contact),
//! merged with a hub's `[topics]` from `site.toml`, compiled once, and applied to a clause's
//! text and its section heading. Keywords match case-insensitively at the start of a word,
//! all topics' keywords in one pass of an Aho-Corasick automaton over the lowercased text.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::{Regex, RegexBuilder};

use super::is_word_char;
use crate::config::{TopicRuleConfig, TopicsConfig, TopicsMode};
use crate::error::Diagnostic;

/// The default rules: slug, title, keywords.
const DEFAULTS: &[(&str, &str, &[&str])] = &[
    (
        "first-party-collection",
        "First-party collection and use",
        &[
            "we collect",
            "we may collect",
            "information we collect",
            "collected information",
            "we gather",
            "we use",
            "we may use",
            "use of information",
            "use your",
            "how we use",
            "collection and use",
        ],
    ),
    (
        "third-party-sharing",
        "Third-party sharing and collection",
        &[
            "third part",
            "share your",
            "we share",
            "we may share",
            "disclose",
            "disclosure",
            "sell your",
            "service providers",
            "sub-processor",
            "affiliates",
            "business partners",
        ],
    ),
    (
        "user-choice",
        "User choice and control",
        &[
            "opt out",
            "opt-out",
            "opt in",
            "opt-in",
            "unsubscribe",
            "your consent",
            "your choice",
            "choices",
            "preferences",
        ],
    ),
    (
        "access-edit-deletion",
        "User access, edit and deletion",
        &[
            "access your",
            "access to information",
            "correct",
            "update your",
            "delete your",
            "deletion",
            "rectif",
            "review and",
            "request access",
            "amend your",
        ],
    ),
    (
        "data-retention",
        "Data retention",
        &[
            "retention",
            "we retain",
            "will retain",
            "may retain",
            "retain your",
            "retain personal",
            "retain information",
            "retain data",
            "retained for",
            "retained until",
            "keep your",
            "as long as",
            "stored for",
            "kept for",
            "deleted after",
            "storage period",
        ],
    ),
    (
        "data-security",
        "Data security",
        &[
            "security",
            "secure",
            "encrypt",
            "ssl",
            "tls",
            "safeguard",
            "unauthorized access",
            "unauthorised access",
            "firewall",
            "protect your information",
            "protect the",
        ],
    ),
    (
        "policy-change",
        "Policy change",
        &[
            "changes to this",
            "change this privacy",
            "change our privacy",
            "modify this",
            "update this privacy",
            "updated privacy",
            "amend this",
            "revise this",
            "changes to our privacy",
            "notification of changes",
        ],
    ),
    (
        "do-not-track",
        "Do Not Track",
        &["do not track", "do-not-track", "dnt signal"],
    ),
    (
        "international",
        "International and specific audiences",
        &[
            "safe harbor",
            "safe harbour",
            "privacy shield",
            "european",
            "e.u.",
            "eea",
            "gdpr",
            "international",
            "cross-border",
            "transferred to",
            "outside your country",
            "other countries",
            "countries",
            "california",
            "hosted by",
            "regions",
            "jurisdiction",
        ],
    ),
    (
        "cookies-tracking",
        "Cookies and tracking",
        &[
            "cookie",
            "web beacon",
            "pixel",
            "clear gif",
            "tracking technolog",
            "analytics",
            "flash",
            "local storage",
            "tracking",
        ],
    ),
    (
        "children",
        "Children",
        &[
            "child",
            "under the age of",
            "under 13",
            "under 16",
            "minors",
            "coppa",
            "parental",
        ],
    ),
    (
        "contact",
        "Contact",
        &[
            "contact us",
            "please contact",
            "you may contact",
            "questions about this",
            "questions regarding",
            "email us",
            "write to us",
            "mailing address",
            "contact:",
            "address:",
        ],
    ),
];

/// A topic's rule as the links stage applies it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    patterns: Vec<Regex>,
}

/// The hub's topics, in order.
#[derive(Debug, Clone, Default)]
pub struct TopicRules {
    pub topics: Vec<Topic>,
    /// Every topic's keywords, lowercased, in one automaton.
    keywords: Option<AhoCorasick>,
    /// True when every keyword is ASCII: the automaton then ignores ASCII case itself and
    /// texts need not be lowercased first.
    ascii: bool,
    /// The topic of each keyword of `keywords`.
    keyword_topic: Vec<usize>,
}

/// Compiles one pattern as topic rules do (case-insensitive); the error says why it fails.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

/// Checks every pattern of the hub's `[topics]`: the first that does not compile is an error
/// naming its topic, the pattern, why, and its line in `site.toml`.
pub fn check_patterns(config: &TopicsConfig) -> Result<(), Diagnostic> {
    for rule in &config.rules {
        for (pattern, line) in &rule.patterns {
            if let Err(why) = compile_pattern(pattern) {
                let why = why.lines().last().unwrap_or("").trim().to_string();
                let slug = &rule.slug;
                let d = Diagnostic::new(
                    "site.toml",
                    format!("topic `{slug}`: pattern `{pattern}` is not a valid regular expression: {why}"),
                )
                .hint("patterns use Rust regex syntax (https://docs.rs/regex); in TOML write \\b as \"\\\\b\" or use 'single quotes'");
                return Err(if *line > 0 { d.at(*line, 1) } else { d });
            }
        }
    }
    Ok(())
}

impl TopicRules {
    /// The slugs of topics `topics` (indexes into the rules), skipping any out of range.
    pub fn slugs(&self, topics: &[usize]) -> Vec<&str> {
        topics
            .iter()
            .filter_map(|&t| self.topics.get(t))
            .map(|t| t.slug.as_str())
            .collect()
    }

    /// The default rules merged with the hub's (`extend`: the hub's rules add to or amend the
    /// defaults; `replace`: only the hub's). Patterns were checked when `site.toml` was read.
    pub fn new(config: &TopicsConfig) -> Self {
        let mut rules: Vec<TopicRuleConfig> = match config.mode {
            TopicsMode::Replace => Vec::new(),
            TopicsMode::Extend => DEFAULTS
                .iter()
                .map(|(slug, title, keywords)| TopicRuleConfig {
                    slug: slug.to_string(),
                    title: Some(title.to_string()),
                    keywords: keywords.iter().map(|k| k.to_string()).collect(),
                    patterns: Vec::new(),
                })
                .collect(),
        };
        for rule in &config.rules {
            match rules.iter_mut().find(|r| r.slug == rule.slug) {
                Some(existing) => {
                    if rule.title.is_some() {
                        existing.title.clone_from(&rule.title);
                    }
                    existing.keywords.extend(rule.keywords.iter().cloned());
                    existing.patterns.extend(rule.patterns.iter().cloned());
                }
                None => rules.push(rule.clone()),
            }
        }
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_topic = Vec::new();
        for (topic, rule) in rules.iter().enumerate() {
            for keyword in rule.keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
                keywords.push(keyword.to_lowercase());
                keyword_topic.push(topic);
            }
        }
        let topics = rules
            .into_iter()
            .map(|r| Topic {
                title: r.title.clone().unwrap_or_else(|| title_from_slug(&r.slug)),
                patterns: r.patterns.iter().filter_map(|(p, _)| compile_pattern(p).ok()).collect(),
                slug: r.slug,
            })
            .collect();
        let ascii = keywords.iter().all(|k| k.is_ascii());
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(ascii)
            .build(&keywords);
        TopicRules {
            topics,
            keywords: (!keywords.is_empty()).then(|| automaton.ok()).flatten(),
            ascii,
            keyword_topic,
        }
    }

    /// The topics (indexes) of a clause, from its text and its section's heading.
    pub fn tag(&self, text: &str, heading: Option<&str>) -> Vec<usize> {
        let mut found = vec![false; self.topics.len()];
        self.mark(text, &mut found);
        if let Some(heading) = heading {
            self.mark(heading, &mut found);
        }
        found.iter().enumerate().filter(|(_, &on)| on).map(|(i, _)| i).collect()
    }

    /// Marks the topics whose keywords (at the start of a word) or patterns `text` matches.
    fn mark(&self, text: &str, found: &mut [bool]) {
        if let Some(keywords) = &self.keywords {
            let lower = if self.ascii {
                std::borrow::Cow::Borrowed(text)
            } else {
                std::borrow::Cow::Owned(text.to_lowercase())
            };
            for m in keywords.find_overlapping_iter(lower.as_ref()) {
                let topic = self.keyword_topic[m.pattern().as_usize()];
                if found[topic] {
                    continue;
                }
                let starts_word = lower[m.start()..].chars().next().is_some_and(is_word_char);
                let after_word = lower[..m.start()].chars().next_back().is_some_and(is_word_char);
                found[topic] = !(starts_word && after_word);
            }
        }
        for (topic, rule) in self.topics.iter().enumerate() {
            if !found[topic] && rule.patterns.iter().any(|p| p.is_match(text)) {
                found[topic] = true;
            }
        }
    }
}

/// `data-retention` → `Data retention`.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(rules: &TopicRules, text: &str) -> Vec<String> {
        rules
            .tag(text, None)
            .into_iter()
            .map(|i| rules.topics[i].slug.clone())
            .collect()
    }

    #[test]
    fn defaults_cover_the_design() {
        let rules = TopicRules::new(&TopicsConfig::default());
        assert_eq!(rules.topics.len(), 12);
        assert_eq!(slugs(&rules, "We retain your data for 30 days."), ["data-retention"]);
        assert_eq!(
            slugs(&rules, "Providers retained to carry out duties."),
            Vec::<String>::new()
        );
        assert_eq!(
            slugs(&rules, "We use Cookies."),
            ["first-party-collection", "cookies-tracking"]
        );
        assert!(slugs(&rules, "Unrelated words only.").is_empty());
        // Start of a word only: "insecure" is not about security, "retainer" is.
        assert!(slugs(&rules, "lorem insecurely").is_empty());
    }

    #[test]
    fn heading_tags_its_clauses() {
        let rules = TopicRules::new(&TopicsConfig::default());
        let tags = rules.tag("We do our best.", Some("Children's privacy"));
        assert_eq!(rules.topics[tags[0]].slug, "children");
    }

    #[test]
    fn hub_rules_extend_or_replace() {
        let rule = TopicRuleConfig {
            slug: "data-retention".into(),
            title: None,
            keywords: vec![],
            patterns: vec![(r"\bpurged? after\b".into(), 1)],
        };
        let extend = TopicRules::new(&TopicsConfig {
            mode: TopicsMode::Extend,
            rules: vec![rule.clone()],
        });
        assert_eq!(extend.topics.len(), 12);
        assert_eq!(slugs(&extend, "Logs are PURGED after a year."), ["data-retention"]);
        let replace = TopicRules::new(&TopicsConfig {
            mode: TopicsMode::Replace,
            rules: vec![rule],
        });
        assert_eq!(replace.topics.len(), 1);
        assert_eq!(replace.topics[0].title, "Data retention");
    }
    #[test]
    fn a_bad_pattern_is_named_with_its_line() {
        let base = "title = \"Hub\"\nbase_url = \"https://e.org\"\n";
        let config = crate::config::Config::parse(
            &format!("{base}[topics.x]\ntitle = \"X\"\npatterns = [\"ok\", \"(unclosed\"]\n"),
            None,
        )
        .unwrap();
        let e = check_patterns(&config.topics).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("topic `x`: pattern `(unclosed`"), "{e}");
        assert!(check_patterns(&TopicsConfig::default()).is_ok());
    }
}
