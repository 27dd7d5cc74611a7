//! Topics: the default rule set (the OPP-115 categories plus cookies, children and contact),
//! merged with a hub's `[topics]` from `site.toml`, compiled once, and applied to a clause's
//! text and its section heading. Keywords match case-insensitively at the start of a word.

use regex::{Regex, RegexBuilder};

use crate::config::{TopicRuleConfig, TopicsConfig, TopicsMode};

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
    keywords: Option<Regex>,
    patterns: Vec<Regex>,
}

impl Topic {
    /// True when the text mentions the topic.
    pub fn matches(&self, text: &str) -> bool {
        self.keywords.as_ref().is_some_and(|k| k.is_match(text)) || self.patterns.iter().any(|p| p.is_match(text))
    }
}

/// The hub's topics, in order.
#[derive(Debug, Clone, Default)]
pub struct TopicRules {
    pub topics: Vec<Topic>,
}

/// Compiles one pattern as topic rules do (case-insensitive); the error says why it fails.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

fn keyword_regex(keywords: &[String]) -> Option<Regex> {
    let words: Vec<String> = keywords
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| regex::escape(k.trim()))
        .collect();
    (!words.is_empty())
        .then(|| compile_pattern(&format!(r"(?:^|\b|\W)(?:{})", words.join("|"))).ok())
        .flatten()
}

impl TopicRules {
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
        let topics = rules
            .into_iter()
            .map(|r| Topic {
                title: r.title.clone().unwrap_or_else(|| title_from_slug(&r.slug)),
                keywords: keyword_regex(&r.keywords),
                patterns: r.patterns.iter().filter_map(|(p, _)| compile_pattern(p).ok()).collect(),
                slug: r.slug,
            })
            .collect();
        TopicRules { topics }
    }

    /// The topics (indexes) of a clause, from its text and its section's heading.
    pub fn tag(&self, text: &str, heading: Option<&str>) -> Vec<usize> {
        self.topics
            .iter()
            .enumerate()
            .filter(|(_, t)| t.matches(text) || heading.is_some_and(|h| t.matches(h)))
            .map(|(i, _)| i)
            .collect()
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
}
