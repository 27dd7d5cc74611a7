//! A policy's own links, made to work on the hub. A link to a fragment of the document (`#children`,
//! or the policy's own page with a fragment) lands on the hub's anchor for its target: an anchor
//! name the source gives explicitly (`{#id}`, `id=`, `<a name>`) points at its block's id, else the
//! version's headings are slugged by the rules of the generators policies are written with
//! (GitHub, kramdown, Hugo/Goldmark, pandoc, WordPress) and each slug points at the heading's id.
//! A relative link or image resolves against the version's `source` into the original site. What
//! cannot be resolved becomes plain text (an image its alt text), never a broken link. It rewrites
//! the blocks' HTML once, after ids are minted, so every page that shows a block agrees.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::OnceCell;

use crate::content::Policy;
use crate::document::BlockKind;
use crate::history::{AnchoredBlock, AnchoredVersion, PolicyHistory, UnresolvedLink};

/// Rewrites the links of every version of a policy's history (versions parallel to `policy`'s),
/// recording those that lead nowhere in `history.unresolved_links`. Without `remote_images`, an
/// image on another site becomes a link to it named by its alt text (the page loads nothing from
/// elsewhere).
pub fn resolve_policy_links(policy: &Policy, history: &mut PolicyHistory, remote_images: bool) {
    let mut unresolved = Vec::new();
    for (index, (version, anchored)) in policy.versions.iter().zip(&mut history.versions).enumerate() {
        for (line, href) in resolve_own_links(anchored, version.source.as_deref(), remote_images) {
            unresolved.push(UnresolvedLink {
                version: index,
                line,
                href,
            });
        }
    }
    history.unresolved_links = unresolved;
}

/// Rewrites the links of every block of `version`, whose page is at `source` on the original
/// site; returns the links made text, with their block's line.
fn resolve_own_links(version: &mut AnchoredVersion, source: Option<&str>, remote_images: bool) -> Vec<(usize, String)> {
    let has_links = |html: &str| html.contains("<a ") || html.contains("<img ");
    if !version.blocks.iter().any(|b| has_links(&b.block.html)) {
        return Vec::new();
    }
    let base = source.and_then(|s| url::Url::parse(s).ok());
    let targets = Targets::of(version);
    let mut unlinked = Vec::new();
    let rewritten: Vec<(usize, String)> = version
        .blocks
        .iter()
        .map(|b| &b.block)
        .enumerate()
        .filter(|(_, b)| has_links(&b.html))
        .map(|(i, b)| {
            let (html, dropped) = rewrite(&b.html, &targets, base.as_ref(), remote_images);
            unlinked.extend(dropped.into_iter().map(|href| (b.line, href)));
            (i, html)
        })
        .collect();
    for (index, html) in rewritten {
        version.blocks[index].block.html = html.into();
    }
    unlinked
}

/// The fragment names of a version's page, worked out on the first fragment link only (most
/// links of a policy go elsewhere).
struct Targets<'v> {
    version: Option<&'v AnchoredVersion>,
    names: OnceCell<HashMap<String, String>>,
}

impl<'v> Targets<'v> {
    fn of(version: &'v AnchoredVersion) -> Self {
        Targets {
            version: Some(version),
            names: OnceCell::new(),
        }
    }

    /// No fragment resolves (an image's source).
    fn none() -> Self {
        Targets {
            version: None,
            names: OnceCell::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&String> {
        let names = self
            .names
            .get_or_init(|| self.version.map(fragment_targets).unwrap_or_default());
        names.get(name).or_else(|| names.get(&name.to_lowercase()))
    }
}

/// Where each fragment name lands; the first claim of a name wins: footnotes as themselves, the
/// source's explicit anchor names as their block's id, each heading's slugs (by every generator's
/// rules, duplicates numbered as each numbers them) as the heading's id, then every id of the
/// page as itself. The source's names come before the hub's ids, which its authors never saw: a
/// second `Details` heading is `#details-1` on their site, whatever clause the hub calls so.
fn fragment_targets(version: &AnchoredVersion) -> HashMap<String, String> {
    let footnotes = version.blocks.iter().filter_map(|b| {
        let id = crate::document::footnote_id(b.block.footnote.as_ref()?);
        Some((id.clone(), id))
    });
    let block_id = |(index, name): (usize, String)| (name, version.blocks[index].id.clone());
    let explicit = explicit_anchor_names(version).map(block_id);
    let own = version
        .blocks
        .iter()
        .filter(|b| !b.id.is_empty())
        .map(|b| (b.id.clone(), b.id.clone()));
    let slugs = source_anchor_names(version).into_iter().map(block_id);
    let mut targets: HashMap<String, String> = HashMap::new();
    for (name, id) in footnotes.chain(explicit).chain(slugs).chain(own) {
        targets.entry(name).or_insert(id);
    }
    targets
}

/// The anchor names the source gives its blocks explicitly: (block index, name), in document order.
fn explicit_anchor_names(version: &AnchoredVersion) -> impl Iterator<Item = (usize, String)> + '_ {
    version
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.id.is_empty())
        .flat_map(|(index, b)| b.block.anchors.iter().map(move |name| (index, name.clone())))
}

/// The anchor names the original site gave the version's headings, by every generator's rules
/// (duplicates numbered as each numbers them): (block index, name), in document order.
fn source_anchor_names(version: &AnchoredVersion) -> Vec<(usize, String)> {
    let mut names = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, AnchoredBlock { block, id, .. }) in version.blocks.iter().enumerate() {
        if block.kind != BlockKind::Heading || id.is_empty() {
            continue;
        }
        let mut slugs: HashSet<String> = HashSet::new();
        for slug in heading_slugs(&block.text) {
            if slug.is_empty() || !slugs.insert(slug.clone()) {
                continue;
            }
            let count = seen.entry(slug.clone()).or_insert(0);
            let name = match *count {
                0 => slug.clone(),
                n => format!("{slug}-{n}"),
            };
            *count += 1;
            names.push((index, name));
        }
    }
    names
}

/// For each block of the version, the original site's anchor names of that block that the page
/// can carry as aliases (an element a copied link `…#name` lands on): the names its source gives
/// it, then a heading's slugs; never a block's id, an id of the page (`taken`), or a name given
/// to an earlier block.
pub fn anchor_aliases(version: &AnchoredVersion, taken: &dyn Fn(&str) -> bool) -> Vec<Vec<String>> {
    let mut aliases = vec![Vec::new(); version.blocks.len()];
    let ids: HashSet<&str> = version.blocks.iter().map(|b| b.id.as_str()).collect();
    let mut given: HashSet<String> = HashSet::new();
    for (index, name) in explicit_anchor_names(version).chain(source_anchor_names(version)) {
        let valid = !name.is_empty() && !name.contains(char::is_whitespace);
        if valid && !taken(&name) && !ids.contains(name.as_str()) && given.insert(name.clone()) {
            aliases[index].push(name);
        }
    }
    aliases
}

/// A heading's anchor names as generators write them.
fn heading_slugs(text: &str) -> [String; 4] {
    let lower = text.trim().to_lowercase();
    // GitHub and Hugo/Goldmark: keep letters, digits, '-', '_' and spaces; spaces become '-'.
    let github: String = lower
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    // kramdown and pandoc: the same, without anything before the first letter, and runs of
    // spaces as one '-'.
    let words: String = lower
        .chars()
        .skip_while(|c| !c.is_alphabetic())
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
        .collect();
    let pandoc = words.split_whitespace().collect::<Vec<_>>().join("-");
    let kramdown = pandoc.replace('.', "");
    // WordPress and most CMSs: ASCII words joined by single dashes.
    let wordpress = crate::content::slugify(&deunicode_lite(&lower));
    [github, kramdown, pandoc, wordpress]
}

/// Letters with accents as their base letter, for CMS slugs (é → e); others kept.
fn deunicode_lite(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        })
        .collect()
}

/// What becomes of one link's destination.
enum Destination {
    /// Written as this (already HTML-escaped where needed).
    Href(String),
    /// Dropped: the link becomes its text.
    Unlinked,
}

/// Decides where a link of the policy goes on the hub.
fn destination(href: &str, targets: &Targets<'_>, base: Option<&url::Url>) -> Destination {
    let href = href.replace("&amp;", "&");
    if let Some(fragment) = href.strip_prefix('#') {
        return fragment_destination(fragment, targets);
    }
    let lower = href.to_ascii_lowercase();
    let absolute = ["http:", "https:", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s));
    let resolved = if absolute {
        url::Url::parse(&href).ok()
    } else {
        match base.and_then(|b| b.join(&href).ok()) {
            Some(url) => Some(url),
            None => return Destination::Unlinked,
        }
    };
    let Some(url) = resolved else {
        return Destination::Href(escape_attr(&href));
    };
    if let (Some(base), Some(fragment)) = (base, url.fragment()) {
        if same_page(base, &url) {
            return fragment_destination(fragment, targets);
        }
    }
    Destination::Href(escape_attr(&valid_url(url)))
}

/// A web address as HTML allows it: an e-mail address written as a web link
/// (`http://dpo@example.es/`) becomes a `mailto:`, other credentials are dropped, and a `#`
/// inside the fragment is escaped.
fn valid_url(mut url: url::Url) -> String {
    let web = matches!(url.scheme(), "http" | "https");
    if web && !url.username().is_empty() {
        let bare = url.password().is_none() && matches!(url.path(), "" | "/") && url.query().is_none();
        if let (true, Some(host)) = (bare, url.host_str()) {
            return format!("mailto:{}@{host}", url.username());
        }
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    if let Some(fragment) = url
        .fragment()
        .filter(|f| f.contains('#'))
        .map(|f| f.replace('#', "%23"))
    {
        url.set_fragment(Some(&fragment));
    }
    url.to_string()
}

/// A fragment of this document: the hub's anchor for it, or nothing.
fn fragment_destination(fragment: &str, targets: &Targets<'_>) -> Destination {
    match targets.get(&percent_decode(fragment)) {
        Some(id) => Destination::Href(format!("#{}", escape_attr(id))),
        None => Destination::Unlinked,
    }
}

/// True when two URLs name the same page (scheme, host and path, a trailing '/' aside).
fn same_page(a: &url::Url, b: &url::Url) -> bool {
    a.host_str() == b.host_str() && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// The block's HTML with every `<a href>` and `<img src>` decided, and the links made text.
fn rewrite(html: &str, targets: &Targets<'_>, base: Option<&url::Url>, remote_images: bool) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut unlinked = Vec::new();
    let mut rest = html;
    // Open links dropped, whose `</a>` must go too; a kept link is open (links do not nest).
    let mut dropped_open = false;
    let mut in_link = false;
    while let Some(at) = next_tag(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with("</a") {
            in_link = false;
            if !std::mem::take(&mut dropped_open) {
                out.push_str(tag);
            }
        } else if tag.starts_with("<a ") {
            match attribute(tag, "href") {
                Some((range, value)) => match destination(value, targets, base) {
                    Destination::Href(href) => {
                        in_link = true;
                        out.push_str(&tag[..range.start]);
                        out.push_str(&href);
                        out.push_str(&tag[range.end..]);
                    }
                    Destination::Unlinked => {
                        dropped_open = true;
                        unlinked.push(value.replace("&amp;", "&"));
                    }
                },
                None => out.push_str(tag),
            }
        } else {
            // An image: a relative source resolves against the page, else the alt text stays
            // (and stays for an address an image cannot come from: an e-mail address written
            // as a web link, `http://name@host/`, is a `mailto:`).
            let from_image = |value| match destination(value, &Targets::none(), base) {
                Destination::Href(src) if src.starts_with("mailto:") || src.starts_with("tel:") => {
                    Destination::Unlinked
                }
                decided => decided,
            };
            match attribute(tag, "src") {
                Some((range, value)) => match from_image(value) {
                    Destination::Href(src) if remote_images || !is_remote(&src) => {
                        out.push_str(&tag[..range.start]);
                        out.push_str(&src);
                        out.push_str(&tag[range.end..]);
                    }
                    Destination::Href(src) => {
                        let alt = attribute(tag, "alt").map_or("", |(_, alt)| alt);
                        let name = if alt.trim().is_empty() { "image" } else { alt };
                        if in_link {
                            out.push_str(name);
                        } else {
                            out.push_str(&format!("<a class=\"remote-image\" href=\"{src}\">{name}</a>"));
                        }
                        // An icon set right before a word ("![](icon.png)What others see") is
                        // not glued to it as a word.
                        if rest.starts_with(char::is_alphanumeric) {
                            out.push(' ');
                        }
                    }
                    Destination::Unlinked => {
                        unlinked.push(value.replace("&amp;", "&"));
                        out.push_str(attribute(tag, "alt").map_or("", |(_, alt)| alt));
                    }
                },
                None => out.push_str(tag),
            }
        }
    }
    out.push_str(rest);
    (out, unlinked)
}

/// True for an address on another site (an image there would be loaded from it).
fn is_remote(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
}

/// The offset of the next `<a `, `</a>` or `<img ` tag.
fn next_tag(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find('<') {
        let at = from + i;
        let tail = &html[at..];
        if tail.starts_with("<a ") || tail.starts_with("</a>") || tail.starts_with("<img ") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The value of a double-quoted attribute of a tag, with its byte range.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<(std::ops::Range<usize>, &'t str)> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some((start..start + len, &tag[start..start + len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets<'static> {
        let mut t = HashMap::new();
        t.insert("children".to_string(), "childrens-privacy".to_string());
        t.insert("childrens-privacy".to_string(), "childrens-privacy".to_string());
        Targets {
            version: None,
            names: OnceCell::from(t),
        }
    }

    #[test]
    fn headings_slug_like_their_generators() {
        let [github, kramdown, pandoc, wordpress] = heading_slugs("3. How We Share Your Data: “Partners”");
        assert_eq!(github, "3-how-we-share-your-data-partners");
        assert_eq!(kramdown, "how-we-share-your-data-partners");
        assert_eq!(pandoc, "how-we-share-your-data-partners");
        assert_eq!(wordpress, "3-how-we-share-your-data-partners");
    }

    #[test]
    fn fragments_land_on_anchors_or_become_text() {
        let base = url::Url::parse("https://docs.example.com/site-policy/privacy").unwrap();
        let html = "See <a href=\"#children\">children</a>, <a href=\"#nowhere\">gone</a> and <a href=\"https://docs.example.com/site-policy/privacy#CHILDREN\">again</a>.";
        assert_eq!(
            rewrite(html, &targets(), Some(&base), true).0,
            "See <a href=\"#childrens-privacy\">children</a>, gone and <a href=\"#childrens-privacy\">again</a>."
        );
    }

    #[test]
    fn relative_links_and_images_reach_the_original_site() {
        let base = url::Url::parse("https://docs.example.com/en/site-policy/privacy").unwrap();
        let html = "<a href=\"/articles/security?a=1&amp;b=2\">security</a> <img src=\"/images/x.png\" alt=\"chart\">";
        assert_eq!(
            rewrite(html, &Targets::none(), Some(&base), true).0,
            "<a href=\"https://docs.example.com/articles/security?a=1&amp;b=2\">security</a> <img src=\"https://docs.example.com/images/x.png\" alt=\"chart\">"
        );
        assert_eq!(rewrite(html, &Targets::none(), None, true).0, "security chart");
        let kept = "<a href=\"https://other.example/p\">p</a> <a href=\"mailto:a@b.c\">mail</a>";
        assert_eq!(rewrite(kept, &Targets::none(), None, true).0, kept);
    }

    #[test]
    fn remote_images_become_links_unless_the_hub_allows_them() {
        let base = url::Url::parse("https://acme.example/privacy").unwrap();
        let html = "<img src=\"/chart.png\" alt=\"Retention chart\"> <a href=\"https://acme.example/big\"><img src=\"https://cdn.example/t.png\" alt=\"\"></a>";
        assert_eq!(
            rewrite(html, &Targets::none(), Some(&base), false).0,
            "<a class=\"remote-image\" href=\"https://acme.example/chart.png\">Retention chart</a> <a href=\"https://acme.example/big\">image</a>"
        );
        assert!(rewrite(html, &Targets::none(), Some(&base), true)
            .0
            .contains("<img src=\"https://acme.example/chart.png\""));
        let icon = "<strong><img src=\"https://cdn.example/i.png\" alt=\"\">What others see</strong>";
        assert_eq!(
            rewrite(icon, &Targets::none(), None, false).0,
            "<strong><a class=\"remote-image\" href=\"https://cdn.example/i.png\">image</a> What others see</strong>"
        );
    }

    #[test]
    fn web_addresses_are_made_valid() {
        let valid = |href: &str| match destination(href, &Targets::none(), None) {
            Destination::Href(h) => h,
            Destination::Unlinked => "(text)".into(),
        };
        assert_eq!(valid("http://dpo@example.es/"), "mailto:dpo@example.es");
        assert_eq!(valid("https://user:secret@example.org/p"), "https://example.org/p");
        assert_eq!(
            valid("https://example.org/c/_gd###"),
            "https://example.org/c/_gd#%23%23"
        );
        // An image comes from no e-mail address: its alt text stays.
        let (html, unlinked) = rewrite(
            "<img src=\"http://evil.example@good/\" alt=\"logo\">",
            &Targets::none(),
            None,
            true,
        );
        assert_eq!(
            (html.as_str(), unlinked.as_slice()),
            ("logo", ["http://evil.example@good/".to_string()].as_slice())
        );
    }
}
