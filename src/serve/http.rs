//! The HTTP side of watch mode: serves only the in-memory site, never a file of
//! the disk, so no path can reach outside it; answers `404.html` for missing pages, redirects
//! `/dir` to `/dir/`, and carries the live-reload script and event stream.
//!
//! A small HTTP/1.1 server on `std::net` (GET and HEAD, one request per connection, a thread
//! per connection): the crate used before (tiny_http 0.12) now and then left an accepted
//! connection unread while the machine was busy (its request in the socket's queue, every
//! reading thread held by a browser's idle keep-alive connection), so a page never finished
//! loading; a preview server needs no more than this.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::live::path_key;
use super::packed::Packed;
use super::reload::{self, Broadcaster};
use crate::permalinks;

/// The files being served, by path relative to the site's root (`xmatters/index.html`).
pub(super) type Served = Arc<RwLock<HashMap<String, Arc<Packed>>>>;

/// The content type of a path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site.
    File(String),
    /// A folder without its trailing slash: redirect to the slashed URL.
    Redirect(String),
    /// Nothing there.
    Missing,
}

/// Resolves a URL path against the served files. Percent-escapes are decoded; `.` and `..`
/// segments, backslashes and NUL are refused, so nothing outside the site can be named.
pub fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::Missing;
    };
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Target::Missing,
            s if s.contains(['\\', '\0']) => return Target::Missing,
            s => segments.push(s),
        }
    }
    let joined = segments.join("/");
    let folder = decoded.ends_with('/') || joined.is_empty();
    if folder {
        let index = if joined.is_empty() {
            permalinks::output_path(permalinks::home())
        } else {
            permalinks::output_path(&format!("{joined}/"))
        };
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::Missing
        };
    }
    if exists(&joined) {
        return Target::File(joined);
    }
    if exists(&permalinks::output_path(&format!("{joined}/"))) {
        return Target::Redirect(format!("/{joined}/"));
    }
    Target::Missing
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// How many connections are answered at once (each on a thread of its own, one request each);
/// more are refused with 503 until some close.
const MAX_CONNECTIONS: usize = 256;
/// How many live-reload event streams stay open at once (one per open tab). More are refused
/// with 503; a browser's `EventSource` tries again a few seconds later.
pub const MAX_STREAMS: usize = 64;
/// The longest request head read (request line and headers).
const HEAD_LIMIT: u64 = 16 * 1024;
/// How long a client may take to send its request, and to take an answer's bytes.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the listening socket on `bind`: `port` when it is free, else a free one.
pub(super) fn listen(bind: &str, port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind((bind, port)).or_else(|_| TcpListener::bind((bind, 0)))
}

/// The pages still to render for the first time after `serve` started: a request for one that
/// is not there yet asks for it and waits, where it would have found a 404. A request for
/// anything else is answered at once.
pub(super) struct Warmup {
    /// The [`path_key`]s of the pages still to render.
    waiting: RwLock<HashSet<String>>,
    ask: Box<dyn Fn(&str) + Send + Sync>,
}

impl Warmup {
    /// How long a request waits for its page at most (a large hub renders in seconds).
    const PATIENCE: Duration = Duration::from_secs(60);

    /// How often a waiting request looks again.
    const LOOK: Duration = Duration::from_millis(5);

    /// Nothing to wait for until [`Warmup::set`]; `ask` puts a path's pages first in line.
    pub(super) fn new(ask: impl Fn(&str) + Send + Sync + 'static) -> Warmup {
        Warmup {
            waiting: RwLock::new(HashSet::new()),
            ask: Box::new(ask),
        }
    }

    /// Says which pages are still to render ([`LiveSite::waiting_keys`]).
    ///
    /// [`LiveSite::waiting_keys`]: super::LiveSite::waiting_keys
    pub(super) fn set(&self, keys: HashSet<String>) {
        *self.waiting.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = keys;
    }

    /// True while the pages `url` may name are still to render.
    fn waits(&self, url: &str) -> bool {
        let waiting = self.waiting.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        !waiting.is_empty() && waiting.contains(path_key(url))
    }

    /// Waits while `url` finds nothing and its pages are still to come, asking for them once.
    fn wait_for(&self, url: &str, found: impl Fn() -> bool) {
        let since = Instant::now();
        let mut asked = false;
        while since.elapsed() < Self::PATIENCE && self.waits(url) && !found() {
            if !asked {
                (self.ask)(url.split(['?', '#']).next().unwrap_or(""));
                asked = true;
            }
            std::thread::sleep(Self::LOOK);
        }
    }
}

/// Answers connections until the listener closes: each on a thread of its own, one request
/// per connection (`Connection: close`), at most [`MAX_CONNECTIONS`] at once, of which at most
/// [`MAX_STREAMS`] live-reload event streams. A connection that idles between requests would
/// hold a thread; a browser opens a new one on loopback in microseconds.
pub(super) fn answer(listener: &TcpListener, served: &Served, broadcaster: &Arc<Broadcaster>, warmup: &Arc<Warmup>) {
    let connections = Arc::new(AtomicUsize::new(0));
    let streams = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Some(open) = Counted::take(&connections, MAX_CONNECTIONS) else {
            let _ = write_reply(&stream, &Reply::busy("too many connections"), false);
            continue;
        };
        let (served, broadcaster, streams, warmup) =
            (served.clone(), broadcaster.clone(), streams.clone(), warmup.clone());
        // Where no thread can be made, the connection closes and the browser tries again.
        let _ = std::thread::Builder::new().name("http".into()).spawn(move || {
            let _open = open;
            answer_connection(&stream, &served, &broadcaster, &streams, &warmup);
        });
    }
}

/// One of a limited number of things open, counted until it is dropped.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    /// Counts one more, unless `limit` are open already.
    fn take(count: &Arc<AtomicUsize>, limit: usize) -> Option<Counted> {
        if count.fetch_add(1, Ordering::AcqRel) >= limit {
            count.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Counted(count.clone()))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Reads one request from `stream` and answers it.
fn answer_connection(
    stream: &TcpStream,
    served: &Served,
    broadcaster: &Broadcaster,
    streams: &Arc<AtomicUsize>,
    warmup: &Warmup,
) {
    let _ = stream.set_read_timeout(Some(CLIENT_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
    let Some((method, url)) = read_request(stream) else {
        let _ = write_reply(stream, &Reply::text(400, "bad request"), false);
        return;
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        let _ = write_reply(stream, &Reply::text(405, "only GET and HEAD are answered"), false);
        return;
    }
    if url == reload::EVENTS_PATH && !head_only {
        match Counted::take(streams, MAX_STREAMS) {
            Some(_open) => stream_events(stream, broadcaster),
            None => {
                let _ = write_reply(stream, &Reply::busy("too many live-reload connections"), false);
            }
        }
        return;
    }
    if url != reload::SCRIPT_PATH {
        warmup.wait_for(&url, || {
            let files = served.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            resolve(&url, |p| files.contains_key(p)) != Target::Missing
        });
    }
    let _ = write_reply(stream, &reply(&url, served, broadcaster), head_only);
}

/// The request line's method and target; `None` for what is not an HTTP request. The headers
/// are read and set aside: nothing served depends on them.
fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.take(HEAD_LIMIT));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, url, version) = (parts.next()?, parts.next()?, parts.next()?);
    if !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return None;
    }
    let request = (method.to_string(), url.to_string());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        if header.trim_end_matches(['\r', '\n']).is_empty() {
            return Some(request);
        }
    }
}

/// An answer: status, headers besides the length, and body.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: text.as_bytes().to_vec(),
        }
    }

    fn busy(text: &str) -> Reply {
        let mut reply = Reply::text(503, text);
        reply.headers.push(("Retry-After", "5".into()));
        reply
    }
}

/// Writes `reply` (its head alone for a HEAD request) and closes the exchange.
fn write_reply(mut stream: &TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The live-reload event stream: every event the broadcaster sends, until the tab closes.
fn stream_events(mut stream: &TcpStream, broadcaster: &Broadcaster) {
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).and_then(|()| stream.flush()).is_err() {
        return;
    }
    let mut events = broadcaster.subscribe();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = events.read(&mut buffer) {
        if n == 0 || stream.write_all(&buffer[..n]).is_err() || stream.flush().is_err() {
            break;
        }
    }
}

/// The answer to a GET of `url`.
fn reply(url: &str, served: &Served, broadcaster: &Broadcaster) -> Reply {
    let no_cache = ("Cache-Control", "no-store".to_string());
    if url == reload::SCRIPT_PATH {
        return Reply {
            status: 200,
            headers: vec![("Content-Type", content_type("x.js").into()), no_cache],
            body: reload::SCRIPT.as_bytes().to_vec(),
        };
    }
    let files = match served.read() {
        Ok(files) => files,
        Err(poisoned) => poisoned.into_inner(),
    };
    let (status, path, body) = match resolve(url, |p| files.contains_key(p)) {
        Target::File(path) => (200, path.clone(), files.get(&path).cloned()),
        Target::Redirect(location) => {
            return Reply {
                status: 301,
                headers: vec![("Location", location)],
                body: Vec::new(),
            };
        }
        Target::Missing => {
            let path = permalinks::output_path(permalinks::not_found());
            let body = files.get(&path).cloned();
            (404, path, body)
        }
    };
    drop(files);
    let body = match (body, broadcaster.failure()) {
        (Some(packed), _) => packed.bytes(),
        (None, Some(failure)) => failure_page(&failure).into_bytes(),
        (None, None) => b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec(),
    };
    let kind = if status == 404 && !path.ends_with(".html") {
        "text/html; charset=utf-8"
    } else {
        content_type(&path)
    };
    let body = if kind.starts_with("text/html") {
        reload::inject(&body, (status == 200).then_some(path.as_str()))
    } else {
        body
    };
    Reply {
        status,
        headers: vec![("Content-Type", kind.into()), no_cache],
        body,
    }
}

/// The page served while the hub has never built: the errors, and the live-reload script.
fn failure_page(failure: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><h1>The hub does not build yet</h1><pre>{}</pre><p>Fix the files named above: this page reloads by itself.</p></body></html>",
        crate::html::escape_html(failure)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(url: &str) -> Target {
        let files = ["index.html", "acme/index.html", "style.css", "a b/index.html"];
        resolve(url, |p| files.contains(&p))
    }

    #[test]
    fn a_request_waits_only_for_pages_still_to_render() {
        let warmup = Warmup::new(|_| {});
        assert!(!warmup.waits("/acme/"));
        warmup.set(["acme".to_string(), "topics".to_string()].into());
        assert!(warmup.waits("/acme/privacy-policy/?x=1#y"));
        assert!(warmup.waits("/api/acme/privacy-policy.json"));
        assert!(warmup.waits("/api/acme.json"));
        assert!(warmup.waits("/topics/cookies/2/"));
        for answered_at_once in ["/", "/nope/", "/favicon.ico", "/api/index.json", "/acme-2/"] {
            assert!(!warmup.waits(answered_at_once), "{answered_at_once}");
        }
    }

    #[test]
    fn resolves_pages_and_folders() {
        assert_eq!(resolve_in("/"), Target::File("index.html".into()));
        assert_eq!(resolve_in("/acme/"), Target::File("acme/index.html".into()));
        assert_eq!(resolve_in("/acme/?x=1#y"), Target::File("acme/index.html".into()));
        assert_eq!(resolve_in("/acme"), Target::Redirect("/acme/".into()));
        assert_eq!(resolve_in("/style.css"), Target::File("style.css".into()));
        assert_eq!(resolve_in("/a%20b/"), Target::File("a b/index.html".into()));
        assert_eq!(resolve_in("/nope/"), Target::Missing);
    }

    #[test]
    fn refuses_traversal() {
        assert_eq!(resolve_in("/../../etc/passwd"), Target::Missing);
        assert_eq!(resolve_in("/%2e%2e/%2e%2e/etc/passwd"), Target::Missing);
        assert_eq!(resolve_in("/acme/..%2f..%2findex.html"), Target::Missing);
        assert_eq!(resolve_in("/acme%5c..%5cindex.html"), Target::Missing);
        assert_eq!(resolve_in("/%ff"), Target::Missing);
    }

    #[test]
    fn knows_content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("api/x.json"), "application/json");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }
}
