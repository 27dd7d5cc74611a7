//! Watch mode: `policyhub serve` builds the hub in memory, serves it on 127.0.0.1, watches
//! `content/`, `templates/`, `static/` and `site.toml` (notify, debounced), rebuilds only what
//! a change touches, and reloads open pages. It never writes into the hub's `public/`, and a
//! failed rebuild keeps the last good site served while pages show the error.

mod http;
mod live;
mod plan;
mod reload;

pub use http::{content_type, resolve, Target};
pub use live::{Changes, LiveSite};
pub use plan::{classify, plan, Plan, Touch};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, FileIdMap, RecommendedCache,
};

use crate::error::{Diagnostic, Diagnostics};
use http::Served;
use reload::Broadcaster;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: String,
    /// The port to try first (a free one is taken if it is busy).
    pub port: u16,
    /// Open the site in a browser.
    pub open: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Also print the time of each step of every rebuild.
    pub timings: bool,
}

/// How long changes settle before a rebuild: editors save in bursts (a write and a rename, or
/// a truncate and a write) that land within a millisecond or two.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Serves the hub until the process is interrupted.
pub fn serve(options: &ServeOptions) -> Result<(), Diagnostics> {
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| Diagnostic::new(&options.root, format!("cannot open the hub's folder: {e}")))?;
    let server = tiny_http::Server::http((options.bind.as_str(), options.port))
        .or_else(|_| tiny_http::Server::http((options.bind.as_str(), 0)))
        .map_err(|e| {
            Diagnostic::new("serve", format!("cannot listen on {}: {e}", options.bind)).hint("pass --bind 127.0.0.1")
        })?;
    let port = server.server_addr().to_ip().map_or(options.port, |a| a.port());
    let host = if options.bind == "0.0.0.0" {
        "127.0.0.1"
    } else {
        options.bind.as_str()
    };
    let base_url = format!("http://{host}:{port}");
    let say = |text: String| {
        if !options.quiet {
            println!("{text}");
        }
    };

    // Watch before the first build, so an edit made while it runs is not missed.
    let (tx, rx) = channel();
    let mut watcher = Watcher::new(tx)?;
    let mut watched = HashSet::new();
    watch_hub(&mut watcher, &root, &mut watched);

    let served: Served = Arc::new(RwLock::new(HashMap::new()));
    let broadcaster = Arc::new(Broadcaster::default());
    let started = Instant::now();
    let mut live = match LiveSite::build(&root, &base_url) {
        Ok(live) => {
            publish(
                &served,
                live.files().iter().map(|(p, b)| (p.clone(), b.clone())).collect(),
                Vec::new(),
            );
            say(format!(
                "built {} files in {} ms",
                live.files().len(),
                started.elapsed().as_millis()
            ));
            Some(live)
        }
        Err(problems) => {
            report_failure(&broadcaster, &problems);
            None
        }
    };

    {
        let served = served.clone();
        let broadcaster = broadcaster.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let served = served.clone();
                let broadcaster = broadcaster.clone();
                std::thread::spawn(move || http::handle(request, &served, &broadcaster));
            }
        });
    }
    say(format!(
        "serving {} at {base_url}/ (watching for changes; Ctrl-C to stop)",
        root.display()
    ));
    if options.open {
        open_browser(&format!("{base_url}/"));
    }

    // Interrupted (Ctrl-C, or SIGINT from a script even where the shell ignores it): stop.
    let _ = ctrlc::set_handler(|| std::process::exit(0));
    loop {
        // Hub-wide pages wait until the edits stop coming.
        let stale = live.as_ref().is_some_and(LiveSite::hub_stale);
        let Some(touches) = next_batch(&rx, &root, !stale) else {
            if let Some(site) = live.as_mut() {
                let started = Instant::now();
                match site.refresh_hub() {
                    Ok(changes) => announce(&served, &broadcaster, changes, started, &say, options.timings),
                    Err(problems) => report_failure(&broadcaster, &problems),
                }
            }
            continue;
        };
        watch_hub(&mut watcher, &root, &mut watched);
        let plan = match &live {
            Some(_) => plan::plan(&touches),
            None if touches.is_empty() => Plan::Nothing,
            None => Plan::Full,
        };
        if plan == Plan::Nothing {
            continue;
        }
        let started = Instant::now();
        let result = match live.as_mut() {
            Some(site) => site.apply(&plan),
            None => LiveSite::build(&root, &base_url).map(|site| {
                let changes = Changes {
                    upserts: site.files().iter().map(|(p, b)| (p.clone(), b.clone())).collect(),
                    summary: "everything".into(),
                    ..Changes::default()
                };
                live = Some(site);
                changes
            }),
        };
        match result {
            Ok(changes) => announce(&served, &broadcaster, changes, started, &say, options.timings),
            Err(problems) => report_failure(&broadcaster, &problems),
        }
    }
}

/// Serves a rebuild's changes, tells open pages, and says what happened.
fn announce(
    served: &Served,
    broadcaster: &Broadcaster,
    changes: Changes,
    started: Instant,
    say: &dyn Fn(String),
    timings: bool,
) {
    let css_only = changes.css_only();
    let (changed, removed) = (changes.upserts.len(), changes.removals.len());
    publish(served, changes.upserts, changes.removals);
    broadcaster.rebuilt(changed + removed > 0, css_only);
    say(format!(
        "rebuilt {}: {changed} files changed, {removed} removed in {} ms",
        changes.summary,
        started.elapsed().as_millis()
    ));
    if timings && !changes.stages.0.is_empty() {
        say(format!("  stages: {}", changes.stages));
    }
}

/// Puts changed files in place and removes deleted ones, in one step under the lock.
fn publish(served: &Served, upserts: Vec<(String, Arc<Vec<u8>>)>, removals: Vec<String>) {
    let mut files = match served.write() {
        Ok(files) => files,
        Err(poisoned) => poisoned.into_inner(),
    };
    for path in removals {
        files.remove(&path);
    }
    files.extend(upserts);
}

fn report_failure(broadcaster: &Broadcaster, problems: &Diagnostics) {
    let text = problems.to_string();
    eprintln!("{text}\nrebuild failed: the last good site is still served; fix the file and save again");
    broadcaster.failed(&text);
}

/// Waits for the next batch of changes (with `wait`; else only takes what is there, `None`
/// when nothing is) and returns what they touch.
fn next_batch(rx: &Receiver<DebounceEventResult>, root: &Path, wait: bool) -> Option<BTreeSet<Touch>> {
    let mut touches = BTreeSet::new();
    let first = if wait {
        let Ok(first) = rx.recv() else {
            // The watcher is gone: nothing more will come.
            std::thread::sleep(Duration::from_secs(3600));
            return Some(touches);
        };
        first
    } else {
        rx.try_recv().ok()?
    };
    let mut batch = vec![first];
    while let Ok(more) = rx.try_recv() {
        batch.push(more);
    }
    for result in batch {
        match result {
            Ok(events) => {
                for event in events.iter().filter(|e| changes_content(&e.event.kind)) {
                    for path in &event.paths {
                        touches.extend(classify(root, path));
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("watch error: {e}");
                }
            }
        }
    }
    Some(touches)
}

/// True for events that can change a file's content or existence. Reads (opening and closing a
/// file without writing) are not changes: rebuilding on them would rebuild forever.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// A debounced watcher: native events, or polling where they are not available.
enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, FileIdMap>),
}

impl Watcher {
    fn new(tx: std::sync::mpsc::Sender<DebounceEventResult>) -> Result<Watcher, Diagnostic> {
        match new_debouncer(DEBOUNCE, None, tx.clone()) {
            Ok(d) => Ok(Watcher::Native(d)),
            Err(_) => {
                let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
                new_debouncer_opt::<_, PollWatcher, FileIdMap>(DEBOUNCE, None, tx, FileIdMap::new(), config)
                    .map(Watcher::Polling)
                    .map_err(|e| Diagnostic::new("serve", format!("cannot watch the hub's files: {e}")))
            }
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> bool {
        match self {
            Watcher::Native(d) => d.watch(path, mode).is_ok(),
            Watcher::Polling(d) => d.watch(path, mode).is_ok(),
        }
    }
}

/// Watches the hub's folders that exist (again after one is created).
fn watch_hub(watcher: &mut Watcher, root: &Path, watched: &mut HashSet<PathBuf>) {
    if watched.insert(root.to_path_buf()) && !watcher.watch(root, RecursiveMode::NonRecursive) {
        watched.remove(root);
    }
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() && !watched.contains(&path) && watcher.watch(&path, RecursiveMode::Recursive) {
            watched.insert(path);
        } else if !path.is_dir() {
            watched.remove(&path);
        }
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command).arg(url).spawn().is_err() {
        eprintln!("could not open a browser: visit {url}");
    }
}
