//! Live reload: a small script injected into served pages (never into `build` output) that
//! listens to server-sent events, reloads the page after a rebuild, swaps stylesheets when
//! only CSS changed, and overlays the error of a failed rebuild until it is fixed.

use std::io::Read;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// Where the script and the event stream are served.
pub(super) const SCRIPT_PATH: &str = "/__policyhub/live.js";
pub const EVENTS_PATH: &str = "/__policyhub/events";

/// The script. It sets styles through the CSSOM, which the pages' Content-Security-Policy allows.
pub(super) const SCRIPT: &str = include_str!("live.js");

/// The tag that loads the script, inserted before `</body>`; it names the site file the page
/// is (`page`; `None` for a missing page), for the script to tell whether a change is its own.
pub(super) fn inject(html: &[u8], page: Option<&str>) -> Vec<u8> {
    let tag = match page {
        Some(page) => format!(
            "<script src=\"{SCRIPT_PATH}\" data-page=\"{}\"></script>",
            crate::html::escape_html(page)
        ),
        None => format!("<script src=\"{SCRIPT_PATH}\"></script>"),
    };
    let position = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..position]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[position..]);
    out
}

/// One server-sent event.
pub(super) fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.lines() {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    if data.is_empty() {
        out.push_str("data: \n");
    }
    out.push('\n');
    out
}

/// The open pages, and the error they should show if the last rebuild failed.
#[derive(Default)]
pub(super) struct Broadcaster {
    clients: Mutex<Vec<Sender<String>>>,
    failure: Mutex<Option<Failure>>,
}

/// A standing error, and whether a hub refresh (not an edit) made it.
#[derive(Clone)]
struct Failure {
    text: String,
    refresh: bool,
}

impl Broadcaster {
    /// A stream for a new page; it first learns of a standing failure.
    pub(super) fn subscribe(&self) -> EventStream {
        let (tx, rx) = channel();
        let mut first = String::from("retry: 500\n\n");
        if let Some(failure) = self.failure() {
            first.push_str(&event("failed", &failure));
        }
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        EventStream {
            rx,
            buffer: first.into_bytes(),
            position: 0,
        }
    }

    /// Tells every open page; forgets the ones that closed.
    pub(super) fn send(&self, message: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.to_string()).is_ok());
        }
    }

    /// A rebuild succeeded: clear any error, then tell pages of the files that changed.
    pub(super) fn rebuilt(&self, changed: &[&str]) {
        self.clear(|_| true);
        self.changed(changed);
    }

    /// The hub-wide pages of an earlier edit are in place: clear an error of an earlier
    /// refresh (an edit's stands until an edit fixes it), tell pages of the files that changed.
    pub(super) fn refreshed(&self, changed: &[&str]) {
        self.clear(|f| f.refresh);
        self.changed(changed);
    }

    fn clear(&self, which: impl Fn(&Failure) -> bool) {
        let cleared = match self.failure.lock() {
            Ok(mut failure) => failure.take_if(|f| which(f)).is_some(),
            Err(_) => false,
        };
        if cleared {
            self.send(&event("ok", ""));
        }
    }

    fn changed(&self, changed: &[&str]) {
        if let Some(message) = change_event(changed) {
            self.send(&message);
        }
    }

    /// A rebuild failed: show the error on every page until the next success.
    pub(super) fn failed(&self, text: &str) {
        self.fail(text, false);
    }

    /// A hub refresh failed: show its error until a refresh or an edit succeeds, unless an
    /// edit's error stands.
    pub(super) fn refresh_failed(&self, text: &str) {
        self.fail(text, true);
    }

    fn fail(&self, text: &str, refresh: bool) {
        if let Ok(mut failure) = self.failure.lock() {
            if refresh && failure.as_ref().is_some_and(|f| !f.refresh) {
                return;
            }
            *failure = Some(Failure {
                text: text.to_string(),
                refresh,
            });
        }
        self.send(&event("failed", text));
    }

    /// The error of the last rebuild, if it failed.
    pub(super) fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .ok()
            .and_then(|f| f.as_ref().map(|f| f.text.clone()))
    }
}

/// More changed pages than this reload every page (a template change: the list would be
/// megabytes sent to every open page).
const MAX_LISTED_PAGES: usize = 500;

/// What open pages must do after `changed` files (site paths) changed: nothing; swap their
/// stylesheets (only CSS changed); or reload, where the event lists the pages that changed (a
/// page not among them stays as it is) or nothing (every page reloads: a script, an image or
/// a stylesheet changed with pages). Data files (the search index, JSON, feeds, the changes
/// dataset) reload no page.
pub(super) fn change_event(changed: &[&str]) -> Option<String> {
    let data = |p: &&str| [".json", ".xml", ".txt", ".csv"].iter().any(|e| p.ends_with(e));
    let changed: Vec<&str> = changed.iter().copied().filter(|p| !data(p)).collect();
    if changed.is_empty() {
        return None;
    }
    if changed.iter().all(|p| p.ends_with(".css")) {
        return Some(event("css", ""));
    }
    let listed = changed.len() <= MAX_LISTED_PAGES && changed.iter().all(|p| p.ends_with(".html"));
    Some(event(
        "reload",
        &if listed { changed.join("\n") } else { String::new() },
    ))
}

/// The body of an event-stream response: blocks until the next event, sends a comment every
/// 15 s so closed connections are noticed.
pub(super) struct EventStream {
    rx: Receiver<String>,
    buffer: Vec<u8>,
    position: usize,
}

impl Read for EventStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.position >= self.buffer.len() {
            let next = match self.rx.recv_timeout(Duration::from_secs(15)) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
            };
            self.buffer = next.into_bytes();
            self.position = 0;
        }
        let n = out.len().min(self.buffer.len() - self.position);
        out[..n].copy_from_slice(&self.buffer[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_body_ends() {
        let out = inject(b"<html><body><p>x</p></body></html>", Some("a&b/index.html"));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__policyhub/live.js\" data-page=\"a&amp;b/index.html\"></script></body></html>"
        );
        let missing = inject(b"<p>Not found</p>", None);
        assert!(String::from_utf8(missing)
            .unwrap()
            .ends_with("<script src=\"/__policyhub/live.js\"></script>"));
    }

    #[test]
    fn events_carry_multi_line_data() {
        assert_eq!(event("failed", "a\nb"), "event: failed\ndata: a\ndata: b\n\n");
    }

    #[test]
    fn pages_reload_when_they_changed_and_swap_stylesheets_when_only_css_did() {
        assert_eq!(change_event(&[]), None);
        assert_eq!(
            change_event(&["search-index/terms/6162.json", "feed.xml", "api/changes.csv"]),
            None
        );
        assert_eq!(change_event(&["style.css"]).as_deref(), Some("event: css\ndata: \n\n"));
        assert_eq!(
            change_event(&["index.html", "acme/privacy-policy/index.html", "api/index.json"]).as_deref(),
            Some("event: reload\ndata: index.html\ndata: acme/privacy-policy/index.html\n\n")
        );
        // A script or a stylesheet changed with pages, or very many pages: every page reloads.
        let many: Vec<String> = (0..=MAX_LISTED_PAGES).map(|n| format!("p{n}/index.html")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for mixed in [
            &["index.html", "search.js"][..],
            &["index.html", "style.css"][..],
            &many,
        ] {
            assert_eq!(change_event(mixed).as_deref(), Some("event: reload\ndata: \n\n"));
        }
    }

    #[test]
    fn a_refresh_clears_only_a_refresh_error_and_an_edit_clears_any() {
        let b = Broadcaster::default();
        b.failed("content/x.md:2: error");
        b.refresh_failed("templates/topic.html: error");
        assert_eq!(
            b.failure().as_deref(),
            Some("content/x.md:2: error"),
            "an edit's error stands"
        );
        b.refreshed(&["index.html"]);
        assert!(b.failure().is_some());
        b.rebuilt(&["index.html"]);
        assert!(b.failure().is_none());
        b.refresh_failed("templates/topic.html: error");
        b.refreshed(&[]);
        assert!(b.failure().is_none());
    }

    #[test]
    fn new_pages_learn_of_a_standing_failure() {
        let b = Broadcaster::default();
        b.failed("content/x.md:2: error");
        let mut stream = b.subscribe();
        let mut buf = [0u8; 256];
        let n = stream.read(&mut buf).unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).contains("event: failed\ndata: content/x.md:2: error"));
    }
}
