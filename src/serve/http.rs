//! The HTTP side of watch mode (tiny_http): serves only the in-memory site, never a file of
//! the disk, so no path can reach outside it; answers `404.html` for missing pages, redirects
//! `/dir` to `/dir/`, and carries the live-reload script and event stream.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use tiny_http::{Header, Request, Response, StatusCode};

use super::reload::{self, Broadcaster};
use crate::permalinks;

/// The files being served, by path relative to the site's root (`xmatters/index.html`).
pub(super) type Served = Arc<RwLock<HashMap<String, Arc<Vec<u8>>>>>;

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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes("X-Ignored", "1").unwrap())
}

/// How many requests are answered at once (pages, scripts, stylesheets, data).
const WORKERS: usize = 8;
/// How many live-reload event streams stay open at once (one per open tab). More are refused
/// with 503; a browser's `EventSource` tries again a few seconds later.
pub const MAX_STREAMS: usize = 64;

/// Answers the server's requests until it closes: files from a pool of [`WORKERS`] threads,
/// each live-reload event stream (which stays open) on a thread of its own, at most
/// [`MAX_STREAMS`] of them, so no number of requests makes more answering threads than that.
/// (The HTTP server itself, tiny_http, reads each connection on a thread of its own; requests
/// wait in the pool's queue.)
pub(super) fn answer(server: &tiny_http::Server, served: &Served, broadcaster: &Arc<Broadcaster>) {
    // Where no pool can be made, requests are answered one by one on this thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .thread_name(|i| format!("http-{i}"))
        .build()
        .ok();
    let streams = Arc::new(AtomicUsize::new(0));
    for request in server.incoming_requests() {
        if request.url() == reload::EVENTS_PATH {
            open_stream(request, broadcaster, &streams);
            continue;
        }
        let (served, broadcaster) = (served.clone(), broadcaster.clone());
        match &pool {
            Some(pool) => pool.spawn(move || handle(request, &served, &broadcaster)),
            None => handle(request, &served, &broadcaster),
        }
    }
}

/// Streams events to `request` on a thread of its own, or refuses it (503) when
/// [`MAX_STREAMS`] are open already.
fn open_stream(request: Request, broadcaster: &Arc<Broadcaster>, streams: &Arc<AtomicUsize>) {
    /// One open stream, counted until it ends.
    struct Open(Arc<AtomicUsize>);
    impl Drop for Open {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    if streams.fetch_add(1, Ordering::Relaxed) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::Relaxed);
        let response = Response::from_string("too many live-reload connections")
            .with_status_code(503)
            .with_header(header("Retry-After", "5"));
        let _ = request.respond(response);
        return;
    }
    let open = Open(streams.clone());
    let broadcaster = broadcaster.clone();
    // Where no thread can be made, the request is dropped (the connection closes) and the
    // browser tries again.
    let _ = std::thread::Builder::new().name("http-events".into()).spawn(move || {
        let _open = open;
        stream_events(request, &broadcaster);
    });
}

/// The live-reload event stream: every event the broadcaster sends, until the tab closes.
fn stream_events(request: Request, broadcaster: &Broadcaster) {
    // tiny_http buffers streamed bodies, so the event stream takes over the connection (an
    // "upgrade" keeps tiny_http from framing the body) and flushes every event.
    let head = Response::new(
        StatusCode(200),
        vec![
            header("Content-Type", "text/event-stream"),
            header("Cache-Control", "no-store"),
        ],
        std::io::empty(),
        None,
        None,
    );
    let mut connection = request.upgrade("policyhub-events", head);
    let mut events = broadcaster.subscribe();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = events.read(&mut buffer) {
        if n == 0 || connection.write_all(&buffer[..n]).is_err() || connection.flush().is_err() {
            break;
        }
    }
}

/// Answers one request.
fn handle(request: Request, served: &Served, broadcaster: &Broadcaster) {
    let url = request.url().to_string();
    let no_cache = header("Cache-Control", "no-store");
    if url == reload::SCRIPT_PATH {
        let response = Response::from_data(reload::SCRIPT.as_bytes().to_vec())
            .with_header(header("Content-Type", content_type("x.js")))
            .with_header(no_cache);
        let _ = request.respond(response);
        return;
    }
    let files = match served.read() {
        Ok(files) => files,
        Err(poisoned) => poisoned.into_inner(),
    };
    let (status, path, body) = match resolve(&url, |p| files.contains_key(p)) {
        Target::File(path) => (200, path.clone(), files.get(&path).cloned()),
        Target::Redirect(location) => {
            drop(files);
            let response = Response::empty(StatusCode(301)).with_header(header("Location", &location));
            let _ = request.respond(response);
            return;
        }
        Target::Missing => {
            let path = permalinks::output_path(permalinks::not_found());
            let body = files.get(&path).cloned();
            (404, path, body)
        }
    };
    drop(files);
    let body = match (body, broadcaster.failure()) {
        (Some(bytes), _) => bytes,
        (None, Some(failure)) => Arc::new(failure_page(&failure).into_bytes()),
        (None, None) => Arc::new(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec()),
    };
    let kind = if status == 404 && !path.ends_with(".html") {
        "text/html; charset=utf-8"
    } else {
        content_type(&path)
    };
    let bytes = if kind.starts_with("text/html") {
        reload::inject(&body, (status == 200).then_some(path.as_str()))
    } else {
        body.to_vec()
    };
    let response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(no_cache);
    let _ = request.respond(response);
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
