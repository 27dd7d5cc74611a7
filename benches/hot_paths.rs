//! Criterion micro-benchmarks of the hot paths of a build, on a real policy (the Parature
//! seed, the longest) evolved into ten versions by deterministic edits: Markdown to clauses,
//! aligning a policy's versions, cross-linking them, a word-level redline, and rendering one policy's pages
//! through the templates. Run with `cargo bench --bench hot_paths`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use policyhub::config::TopicsConfig;
use policyhub::content::Org;
use policyhub::document::parse;
use policyhub::history::{anchor_policy, profiles, redline};
use policyhub::links::{link_org, TopicRules};
use policyhub::render::{diff_html, Redlines, Theme};
use policyhub::{RenderPass, Scope, Site, Stages};

const SEED: &str = "content/parature/privacy-policy/2006-10-24.md";
const VERSIONS: usize = 10;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed's body (front matter dropped).
fn seed() -> String {
    let text = std::fs::read_to_string(root().join(SEED)).expect("the Parature seed");
    text.splitn(3, "+++").nth(2).unwrap_or(&text).to_string()
}

/// Version `n` of the seed: every 7th paragraph reworded, one dropped, one added, one moved,
/// as a curator's captures of a policy that changes a little each year.
fn evolve(body: &str, n: usize) -> String {
    let mut paragraphs: Vec<String> = body.split("\n\n").map(str::to_string).collect();
    for (i, p) in paragraphs.iter_mut().enumerate() {
        if (i + n).is_multiple_of(7) && !p.starts_with('#') {
            *p = p.replacen(" the ", &format!(" the {n}th revised "), 1);
        }
    }
    if n > 0 && paragraphs.len() > 10 {
        paragraphs.remove(3 + n % 5);
        let moved = paragraphs.remove(5);
        paragraphs.insert(8, moved);
        paragraphs.push(format!("A clause added in version {n} about data kept for {n} years."));
    }
    paragraphs.join("\n\n")
}

fn bodies() -> Vec<String> {
    let body = seed();
    (0..VERSIONS).map(|n| evolve(&body, n)).collect()
}

fn markdown_to_clauses(c: &mut Criterion) {
    let body = seed();
    c.bench_function("parse: Markdown to clauses (30 KB policy)", |b| b.iter(|| parse(&body)));
}

fn alignment(c: &mut Criterion) {
    let documents: Vec<_> = bodies().iter().map(|b| parse(b)).collect();
    c.bench_function("align: word profiles of a 30 KB policy's clauses", |b| {
        b.iter(|| profiles(&documents[0].blocks, None))
    });
    c.bench_function("align: anchor 10 versions of a policy", |b| {
        b.iter_batched(|| documents.clone(), anchor_policy, BatchSize::SmallInput)
    });
}

fn cross_links(c: &mut Criterion) {
    let history = anchor_policy(bodies().iter().map(|b| parse(b)).collect());
    let histories = [history];
    let org = Org {
        slug: "parature".into(),
        name: "Parature".into(),
        website: None,
        description: None,
        country: None,
        policies: Vec::new(),
    };
    let rules = TopicRules::new(&TopicsConfig::default());
    c.bench_function("links: cross-link 10 versions of a policy", |b| {
        b.iter(|| link_org(&org, &histories, &rules))
    });
}

fn redlines(c: &mut Criterion) {
    let old = "We keep your personal information for as long as your account is active and for three \
               years after, unless the law requires us to keep it longer, and then we delete it.";
    let new = "We retain your personal data for as long as your account is open and for two years \
               after it closes, unless a law requires us to keep it longer; then we erase it.";
    c.bench_function("redline: one edited clause", |b| b.iter(|| redline(old, new)));
    let history = anchor_policy(bodies().iter().map(|b| parse(b)).collect());
    c.bench_function("redline: a version's diff page rows", |b| {
        b.iter(|| diff_html(&history, 5, &Redlines::new(&history)))
    });
}

fn template_render(c: &mut Criterion) {
    let root = root();
    let site = Site::load(root, None).expect("the repository's hub loads");
    let theme = Theme::load(root).expect("the default theme loads");
    let pages_alone = RenderPass {
        search: false,
        ..RenderPass::new(&site, &theme, root)
    };
    let scope = [Scope::Policy("parature".into(), "privacy-policy".into())];
    c.bench_function("render: one policy's pages, API and feed", |b| {
        b.iter(|| pages_alone.gather(&scope, &mut Stages::default()).expect("renders"))
    });
    let hub = [Scope::Hub];
    c.bench_function("render: hub pages (home, changes, topics, glossary)", |b| {
        b.iter(|| pages_alone.gather(&hub, &mut Stages::default()).expect("renders"))
    });
}

criterion_group!(
    benches,
    markdown_to_clauses,
    alignment,
    cross_links,
    redlines,
    template_render
);
criterion_main!(benches);
