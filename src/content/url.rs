//! URLs in manifests and front matter (a site, a source, an archive copy) end up as links on
//! every page: only absolute http(s) URLs are accepted.

use std::path::Path;

use crate::error::Diagnostic;

/// True for an absolute http(s) URL without spaces, controls, quotes or angle brackets, that a
/// URL parser reads (a port past 65535 or an unclosed `[` is none: a version's relative links
/// could not be resolved against it).
pub(crate) fn is_web_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'));
    scheme_ok && clean && value.len() > "https://".len() && url::Url::parse(value).is_ok()
}

/// Checks `field = value` of the TOML `text` in `path`; the error points at the field's line.
pub(super) fn check_url(path: &Path, text: &str, field: &str, value: Option<&str>) -> Result<(), Diagnostic> {
    let Some(value) = value else { return Ok(()) };
    if is_web_url(value) {
        return Ok(());
    }
    let line = text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1);
    Err(Diagnostic::new(
        path,
        format!("`{field}` must be a valid absolute http:// or https:// URL, found {value:?}"),
    )
    .at_line(line)
    .hint(format!("write {field} = \"https://…\", or remove the line")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_web_urls_only() {
        let p = Path::new("org.toml");
        assert!(check_url(p, "", "website", Some("https://example.org/a?b=c")).is_ok());
        assert!(check_url(p, "", "website", None).is_ok());
        let e = check_url(
            p,
            "name = \"x\"\nwebsite = \"javascript:alert(1)\"\n",
            "website",
            Some("javascript:alert(1)"),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(check_url(p, "", "source", Some("https://e.org/\"><script>")).is_err());
        assert!(check_url(p, "", "source", Some("data:text/html,x")).is_err());
        assert!(check_url(p, "", "source", Some("https://ex.example:99999/privacy")).is_err());
        assert!(check_url(p, "", "source", Some("https://[::1/")).is_err());
    }
}
