//! The classifier's rules as data: the words and phrases that decide whether an edit keeps a
//! clause's meaning. Defaults live here; a hub extends them with `[changes]` in `site.toml`
//! (renames such as Facebook → Meta, spellings of one word, words that are always substantive
//! or always editorial, phrases of its "last updated" lines).

use std::collections::{HashMap, HashSet};

use super::super::words::{reader_words, Word};
use crate::config::ChangesConfig;

/// Words and phrases the classifier reads, every one in its reader form
/// (reader words: lowercase, normalised, cut at hyphens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRules {
    /// Words that change what a clause commits to whenever they come or go, though they are
    /// function words: modal verbs, negations, quantifiers.
    pub(super) substantive: HashSet<String>,
    /// Content words whose coming or going alone keeps the meaning ("please", "also").
    pub(super) editorial: HashSet<String>,
    /// Groups of spellings of one thing ("e-mail" and "email"; "personal data" and "personal
    /// information"): exchanging one for another is editorial.
    pub(super) equivalents: Vec<Vec<Vec<Word>>>,
    /// Declared renames (from, to, as written for the reason): editorial.
    pub(super) renames: Vec<Rename>,
    /// Phrases of a policy's own "last updated" line: a date changed in such a line is editorial.
    pub(super) updated: Vec<Vec<Word>>,
    /// Words that name a place in the policy ("section 4"): a number after one is a reference,
    /// and renumbering it is editorial.
    pub(super) references: HashSet<String>,
    /// What policies are about, by topic: a word that starts with one of these stems (or is
    /// one, for stems under four letters) makes a reworded passage substantive. Short stems
    /// by themselves; longer ones by their first four characters.
    pub(super) short_stems: HashMap<String, &'static str>,
    pub(super) stems: HashMap<String, Vec<(String, &'static str)>>,
    /// Quantifiers (of `substantive`): a signpost that has one ("each of these sections
    /// explains") still commits to nothing.
    pub(super) quantifiers: HashSet<String>,
    /// Words that name a topic rather than a thing of it ("right", "purposes"): adding one to a
    /// clause already about that topic only restates it.
    pub(super) topic_names: HashSet<String>,
    /// Words of harm ("unauthorised"): the words after one in an edit name what a safeguard
    /// protects against ("unauthorised access"), not a topic ("access" as a right).
    pub(super) harms: HashSet<String>,
    /// How the organisation names itself with a possessive ("our platform", "our services"):
    /// its name exchanged for one of these is editorial.
    pub(super) own_names: HashSet<String>,
    /// Openings of a clause that only points elsewhere ("see", "learn more"): its wording
    /// commits to nothing.
    pub(super) pointers: Vec<Vec<Word>>,
    /// A document naming itself ("this section") and verbs that tell what it holds ("set
    /// out", "explains"): together, a signpost.
    pub(super) this_document: Vec<Vec<Word>>,
    pub(super) telling: HashSet<String>,
}

/// A rename declared by the hub: an organisation, product or law that took another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rename {
    pub from: Vec<Word>,
    pub to: Vec<Word>,
    /// "Facebook → Meta", as the hub wrote it.
    pub label: String,
}

/// Modal verbs (English, French, German, Spanish): may → will changes an obligation.
pub(super) const MODALS: &[&str] = &[
    "may", "might", "can", "could", "will", "would", "shall", "should", "must", "need", "required", "peut", "peuvent",
    "pouvons", "pourra", "pourrons", "pourrait", "doit", "doivent", "devons", "devra", "devrons", "kann", "können",
    "muss", "müssen", "darf", "dürfen", "wird", "werden", "soll", "sollen", "puede", "pueden", "podemos", "podrá",
    "debe", "deben", "debemos", "deberá",
];

/// Words that join the items of a list of subjects ("Cookies and Web Beacons"), besides the
/// marks `&`, `/` and `,` (English, French, German, Spanish).
pub(super) const COORDINATORS: &[&str] = &["and", "or", "et", "ou", "und", "oder", "y", "o"];

/// Negations and exceptions.
pub(super) const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "none",
    "nor",
    "neither",
    "without",
    "cannot",
    "can't",
    "won't",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "didn't",
    "wouldn't",
    "shouldn't",
    "couldn't",
    "unless",
    "except",
    "ne",
    "pas",
    "jamais",
    "aucun",
    "aucune",
    "sans",
    "ni",
    "sauf",
    "nicht",
    "kein",
    "keine",
    "keinen",
    "nie",
    "niemals",
    "ohne",
    "nunca",
    "ningún",
    "ninguna",
    "sin",
];

/// Quantifiers: "all data" and "some data" are different promises.
const QUANTIFIERS: &[&str] = &[
    "all",
    "any",
    "only",
    "some",
    "every",
    "each",
    "fewer",
    "always",
    "tous",
    "toutes",
    "seulement",
    "uniquement",
    "alle",
    "nur",
    "todos",
    "todas",
    "solo",
];

/// Words whose coming or going keeps a clause's meaning.
const EDITORIAL: &[&str] = &[
    "please",
    "also",
    "hereby",
    "herein",
    "respectively",
    "etc",
    "e.g",
    "i.e",
];

/// Spellings of one thing, in general use in policies.
const EQUIVALENTS: &[&[&str]] = &[
    &["email", "e-mail", "email address", "e-mail address"],
    &["website", "web site", "site"],
    &[
        "personal data",
        "personal information",
        "data",
        "information",
        "your data",
        "your information",
        "personally identifiable information",
        "pii",
    ],
    &["app", "application", "mobile app", "mobile application"],
    &["info", "information"],
    &["us", "u.s", "united states", "usa"],
    &["eu", "european union"],
    &["uk", "united kingdom"],
    &["eea", "european economic area"],
    &["privacy policy", "privacy notice", "privacy statement"],
    &["cookie policy", "cookie notice", "cookies policy"],
    &["terms", "terms of service", "terms of use"],
    &["ok", "okay"],
    &["and", "&"],
    &["personalisation", "personalization", "customisation", "customization"],
    &["personalised", "personalized", "customised", "customized", "tailored"],
];

/// Words that name a topic of the lexicon rather than a thing of it.
const TOPIC_NAMES: &[&str] = &[
    "right",
    "rights",
    "purpose",
    "purposes",
    "droit",
    "droits",
    "finalité",
    "finalités",
];

/// Words of harm: what follows names a risk a safeguard protects against.
const HARMS: &[&str] = &[
    "unauthorized",
    "unauthorised",
    "unlawful",
    "unlawfully",
    "accidental",
    "accidentally",
    "illegal",
    "improper",
    "malicious",
];

/// Nouns after "our" by which an organisation names itself.
const OWN_NAMES: &[&str] = &[
    "platform",
    "platforms",
    "service",
    "services",
    "site",
    "sites",
    "website",
    "websites",
    "app",
    "apps",
    "application",
    "applications",
    "company",
    "products",
    "team",
];

/// Openings of a clause that points to another place.
const POINTERS: &[&str] = &[
    "see",
    "read more",
    "learn more",
    "find out more",
    "more information",
    "for more information",
    "for further information",
    "for more details",
    "more details",
    "refer to",
    "please refer to",
    "please see",
    "click here",
    "en savoir plus",
    "voir",
    "mehr erfahren",
    "más información",
];

/// A document naming itself.
const THIS_DOCUMENT: &[&str] = &[
    "this section",
    "this policy",
    "this privacy policy",
    "this notice",
    "this privacy notice",
    "this statement",
    "this privacy statement",
    "the following sections",
    "the sections below",
    "below",
];

/// Verbs by which a document tells what it holds.
const TELLING: &[&str] = &[
    "set",
    "sets",
    "explain",
    "explains",
    "describe",
    "describes",
    "outline",
    "outlines",
    "summarise",
    "summarises",
    "summarize",
    "summarizes",
    "tell",
    "tells",
    "list",
    "lists",
    "detail",
    "details",
    "cover",
    "covers",
];

/// Phrases of a "last updated" line.
const UPDATED: &[&str] = &[
    "last updated",
    "last modified",
    "last revised",
    "last changed",
    "updated on",
    "updated as of",
    "effective date",
    "effective as of",
    "effective from",
    "effective on",
    "date of last revision",
    "version date",
    "dernière mise à jour",
    "mis à jour le",
    "mise à jour le",
    "date d'entrée en vigueur",
    "en vigueur le",
    "zuletzt aktualisiert",
    "letzte aktualisierung",
    "última actualización",
    "fecha de entrada en vigor",
];

/// What a privacy policy says, by topic (the categories of data, recipients, purposes,
/// rights, retention, places and contact routes), as stems of English and French words.
const LEXICON: &[(&str, &[&str])] = &[
    (
        "personal data",
        &[
            "name",
            "email",
            "mail",
            "address",
            "phone",
            "telephone",
            "locat",
            "gps",
            "ip",
            "device",
            "identif",
            "cookie",
            "biometric",
            "face",
            "fingerprint",
            "health",
            "medical",
            "financ",
            "payment",
            "card",
            "bank",
            "contact",
            "photo",
            "image",
            "video",
            "audio",
            "voice",
            "messag",
            "brows",
            "search",
            "age",
            "birth",
            "gender",
            "race",
            "ethnic",
            "relig",
            "sexual",
            "politic",
            "genetic",
            "demograph",
            "profile",
            "log",
            "metadata",
            "passport",
            "licen",
            "social",
            "credit",
            "salary",
            "income",
            "purchase",
            "transaction",
            "geoloc",
            "precise",
            "sensitive",
            "children",
            "child",
            "minor",
            "donnée",
            "adresse",
            "téléphone",
            "localisation",
            "santé",
            "paiement",
        ],
    ),
    (
        "recipients",
        &[
            "partner",
            "advertis",
            "affiliat",
            "vendor",
            "third",
            "provider",
            "processor",
            "subprocessor",
            "contractor",
            "government",
            "authorit",
            "police",
            "enforcement",
            "agenc",
            "buyer",
            "acquir",
            "subsidiar",
            "public",
            "broker",
            "research",
            "universit",
            "regulator",
            "court",
            "publisher",
            "platform",
            "tiers",
            "partenaire",
            "prestataire",
            "filiale",
        ],
    ),
    (
        "purposes",
        &[
            "marketing",
            "ads",
            "ad",
            "analytic",
            "personali",
            "customi",
            "profil",
            "secur",
            "fraud",
            "abuse",
            "train",
            "ai",
            "artificial",
            "machine",
            "recommend",
            "target",
            "measur",
            "improv",
            "develop",
            "verif",
            "statistic",
            "finalit",
            "publicit",
            "sécurité",
        ],
    ),
    (
        "rights",
        &[
            "right",
            "access",
            "delet",
            "eras",
            "rectif",
            "correct",
            "object",
            "restrict",
            "portab",
            "opt",
            "withdraw",
            "consent",
            "complain",
            "appeal",
            "unsubscrib",
            "droit",
            "consentement",
            "opposition",
            "suppression",
        ],
    ),
    (
        "retention",
        &[
            "retain",
            "retention",
            "keep",
            "kept",
            "store",
            "storage",
            "period",
            "anonymi",
            "archiv",
            "conserv",
            "durée",
        ],
    ),
    (
        "processing",
        &[
            "collect", "shar", "sell", "sold", "sale", "disclos", "transfer", "process", "combin", "track", "monitor",
            "record", "scan", "analy", "infer", "obtain", "rent", "receiv", "send", "sent", "partag", "collecte",
            "vend", "transmi", "trait",
        ],
    ),
    (
        "legal terms",
        &[
            "law",
            "legal",
            "legitimate",
            "interest",
            "contract",
            "obligation",
            "jurisdiction",
            "govern",
            "arbitrat",
            "liab",
            "gdpr",
            "ccpa",
            "cpra",
            "coppa",
            "hipaa",
            "pipl",
            "lgpd",
            "controller",
            "representative",
            "officer",
            "dpo",
            "loi",
            "juridique",
            "responsable",
        ],
    ),
    (
        "places",
        &[
            "countr",
            "state",
            "region",
            "international",
            "abroad",
            "outside",
            "europe",
            "america",
            "california",
            "china",
            "chinese",
            "canada",
            "brazil",
            "india",
            "japan",
            "korea",
            "australia",
            "singapore",
            "switzerland",
            "ireland",
            "germany",
            "france",
            "kingdom",
            "resident",
            "pays",
            "étranger",
        ],
    ),
];

/// Words that name a place in a document.
const REFERENCES: &[&str] = &[
    "section",
    "sections",
    "article",
    "articles",
    "art",
    "clause",
    "clauses",
    "paragraph",
    "paragraphs",
    "part",
    "chapter",
    "annex",
    "appendix",
    "schedule",
    "§",
    "point",
    "item",
];

impl Default for ChangeRules {
    fn default() -> ChangeRules {
        let set = |lists: &[&[&str]]| lists.iter().flat_map(|l| l.iter()).map(|w| w.to_string()).collect();
        ChangeRules {
            substantive: set(&[MODALS, NEGATIONS, QUANTIFIERS]),
            editorial: set(&[EDITORIAL]),
            equivalents: EQUIVALENTS
                .iter()
                .map(|group| group.iter().map(|s| reader_words(s)).collect())
                .collect(),
            renames: Vec::new(),
            updated: UPDATED.iter().map(|s| reader_words(s)).collect(),
            references: set(&[REFERENCES]),
            short_stems: LEXICON
                .iter()
                .flat_map(|(topic, stems)| stems.iter().map(move |s| (s.to_string(), *topic)))
                .filter(|(s, _)| s.chars().count() < 4)
                .collect(),
            stems: LEXICON
                .iter()
                .flat_map(|(topic, stems)| stems.iter().map(move |s| (s.to_string(), *topic)))
                .filter(|(s, _)| s.chars().count() >= 4)
                .fold(
                    HashMap::new(),
                    |mut by_start: HashMap<String, Vec<_>>, (stem, topic)| {
                        by_start
                            .entry(stem.chars().take(4).collect())
                            .or_default()
                            .push((stem, topic));
                        by_start
                    },
                ),
            quantifiers: set(&[QUANTIFIERS]),
            topic_names: set(&[TOPIC_NAMES]),
            harms: set(&[HARMS]),
            own_names: set(&[OWN_NAMES]),
            pointers: POINTERS.iter().map(|s| reader_words(s)).collect(),
            this_document: THIS_DOCUMENT.iter().map(|s| reader_words(s)).collect(),
            telling: set(&[TELLING]),
        }
    }
}

impl ChangeRules {
    /// The defaults extended by a hub's `[changes]`.
    pub fn new(config: &ChangesConfig) -> ChangeRules {
        let mut rules = ChangeRules::default();
        let words = |list: &[String]| {
            list.iter()
                .flat_map(|w| reader_words(w))
                .map(String::from)
                .collect::<Vec<_>>()
        };
        rules.substantive.extend(words(&config.substantive));
        rules.editorial.extend(words(&config.editorial));
        for word in words(&config.substantive) {
            rules.editorial.remove(&word);
        }
        rules.equivalents.extend(
            config
                .equivalents
                .iter()
                .map(|group| group.iter().map(|s| reader_words(s)).collect()),
        );
        rules.updated.extend(config.updated.iter().map(|s| reader_words(s)));
        rules.renames = config
            .renames
            .iter()
            .map(|(from, to)| Rename {
                from: reader_words(from),
                to: reader_words(to),
                label: format!("{from} → {to}"),
            })
            .filter(|r| !r.from.is_empty())
            .collect();
        rules
    }

    /// True when `a` and `b` are spellings of one thing by an equivalence group.
    pub(super) fn equivalent(&self, a: &[Word], b: &[Word]) -> bool {
        self.equivalents
            .iter()
            .any(|group| group.iter().any(|x| x == a) && group.iter().any(|y| y == b))
    }

    /// The topic of the lexicon a word belongs to, if any.
    pub(super) fn topic(&self, word: &str) -> Option<&'static str> {
        if self.substantive.contains(word) {
            return Some("commitment");
        }
        let short = self
            .short_stems
            .get(word)
            .or_else(|| self.short_stems.get(word.strip_suffix('s')?));
        if let Some(topic) = short {
            return Some(topic);
        }
        let start = word.char_indices().nth(4).map_or(word, |(i, _)| &word[..i]);
        self.stems
            .get(start)?
            .iter()
            .find(|(stem, _)| word.starts_with(stem.as_str()))
            .map(|(_, topic)| *topic)
    }

    /// True for a clause that opens with a pointer to another place ("Read more in section D").
    pub(super) fn is_pointer(&self, words: &[Word]) -> bool {
        self.pointers.iter().any(|p| !p.is_empty() && words.starts_with(p))
    }

    /// True for a clause that names the document and tells what it holds ("We set out in
    /// this section the legal bases we rely on").
    pub(super) fn is_signpost(&self, words: &[Word]) -> bool {
        words.iter().any(|w| self.telling.contains(w.as_str()))
            && self
                .this_document
                .iter()
                .any(|p| !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice()))
    }

    /// True when `words` (a clause's reader words) hold a "last updated" phrase.
    pub(super) fn is_updated_line(&self, words: &[Word]) -> bool {
        self.updated
            .iter()
            .any(|phrase| !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice()))
    }
}
