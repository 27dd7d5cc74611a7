//! HTML escaping and the few tags the Rust-written fragments spell (links, times), and the
//! bound on how deep captured HTML nests before a parser reads it: leaf utilities the stages
//! that read or write HTML use, depending on nothing else in the crate.

mod nesting;

pub(crate) use nesting::{holds_block, parts_words, within_bounds};

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default, it leaves `/`
/// alone, so URLs stay readable in the output.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as by [`escape_html`].
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// Appends `<a href="HREF">TEXT</a>`, both escaped as by [`escape_html`].
pub(crate) fn push_link(out: &mut String, href: &str, text: &str) {
    out.push_str("<a href=\"");
    push_escaped(out, href);
    out.push_str("\">");
    push_escaped(out, text);
    out.push_str("</a>");
}

/// Appends `<time datetime="ISO">TEXT</time>`, both escaped as by [`escape_html`].
pub(crate) fn push_time(out: &mut String, iso: &str, text: &str) {
    out.push_str("<time datetime=\"");
    push_escaped(out, iso);
    out.push_str("\">");
    push_escaped(out, text);
    out.push_str("</time>");
}
