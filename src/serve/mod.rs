//! Watch mode: `policyhub serve` builds the hub in memory, serves it on 127.0.0.1 as soon as
//! its home page is rendered (the other pages follow, those asked for first), watches
//! `content/`, `templates/`, `static/` and `site.toml` (notify, debounced), rebuilds only what
//! a change touches, and reloads open pages. An edit's own pages are served first; the
//! hub-wide pages it touches follow, rendered on low-priority threads so that the next edit
//! never waits for them. It never writes into the hub's `public/`, and a failed rebuild keeps
//! the last good site served while pages show the error.

mod front;
mod http;
mod live;
mod packed;
mod plan;
mod reload;

pub use front::{Front, FrontFile};
pub use http::{content_type, resolve, Target, MAX_STREAMS};
pub use live::{Changes, HubRefresh, HubRendered, LiveSite};
pub use packed::Packed;
pub use plan::{classify, plan, Plan, Touch};
pub use reload::EVENTS_PATH;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, FileIdMap, RecommendedCache,
};

use crate::cache::BuildCache;
use crate::error::{Diagnostic, Diagnostics};
use crate::pipeline::HubScan;
use http::{Served, Warmup};
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

/// What the serve loop waits for.
enum Event {
    /// Files changed (or the watcher failed).
    Files(DebounceEventResult),
    /// A hub refresh is rendered.
    Hub(HubRendered),
    /// A request found no file at this path while pages are still to render for the first
    /// time: it waits for them.
    Want(String),
    /// Interrupted (Ctrl-C): keep the home page for the next start, and stop.
    Stop,
}

/// How long changes settle before a rebuild: editors save in bursts (a write and a rename, or
/// a truncate and a write) that land within a millisecond or two.
const DEBOUNCE: Duration = Duration::from_millis(3);

/// How often the debouncer looks for settled changes: a change waits `DEBOUNCE` to
/// `DEBOUNCE + DEBOUNCE_TICK` (each look costs microseconds, a thousand a second are nothing).
const DEBOUNCE_TICK: Duration = Duration::from_millis(1);

/// How long an interrupted `serve` may take to keep its home page for the next start.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Loads the hub and serves its files in place of `front`, the home page served while it
/// loaded (if any): open pages reload if a file differs. The front is kept for the next start
/// unless it is the one kept already. If the hub fails to load, the front is taken down: a
/// stale home page left served would hide the failure.
fn open_behind(
    root: &Path,
    scan: HubScan,
    front: Option<Vec<(String, Arc<Packed>)>>,
    served: &Served,
    broadcaster: &Broadcaster,
) -> Result<LiveSite, Diagnostics> {
    let front = front.unwrap_or_default();
    let live = match LiveSite::open_scanned(root, scan) {
        Ok(live) => live,
        Err(problems) => {
            let paths: Vec<String> = front.into_iter().map(|(path, _)| path).collect();
            if !paths.is_empty() {
                publish(served, &[], &paths);
                broadcaster.rebuilt(&paths.iter().map(String::as_str).collect::<Vec<_>>());
            }
            return Err(problems);
        }
    };
    let everything = Changes::everything(&live);
    let stale = stale_front(&front, &everything.upserts);
    publish(served, &everything.upserts, &stale.removals);
    let unchanged = stale.upserts.is_empty() && stale.removals.is_empty();
    if !unchanged {
        broadcaster.rebuilt(&stale.paths().collect::<Vec<_>>());
    }
    if let Some(keep) = live.front_keeper().filter(|_| front.is_empty() || !unchanged) {
        std::thread::spawn(keep);
    }
    Ok(live)
}

/// What turns the front served before the hub was loaded into the site's files (`fresh`):
/// nothing, unless an input changed while it was read.
fn stale_front(front: &[(String, Arc<Packed>)], fresh: &[(String, Arc<Packed>)]) -> Changes {
    let served: HashMap<&str, &Arc<Packed>> = front.iter().map(|(p, b)| (p.as_str(), b)).collect();
    let fresh_paths: HashSet<&str> = fresh.iter().map(|(p, _)| p.as_str()).collect();
    Changes {
        upserts: fresh
            .iter()
            .filter(|(path, bytes)| served.get(path.as_str()).is_some_and(|old| old != &bytes))
            .cloned()
            .collect(),
        removals: front
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| !fresh_paths.contains(p.as_str()))
            .collect(),
        ..Changes::default()
    }
}

/// Serves the hub until the process is interrupted.
pub fn serve(options: &ServeOptions) -> Result<(), Diagnostics> {
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| Diagnostic::new(&options.root, format!("cannot open the hub's folder: {e}")))?;
    let listener = http::listen(&options.bind, options.port).map_err(|e| {
        Diagnostic::new("serve", format!("cannot listen on {}: {e}", options.bind)).hint("pass --bind 127.0.0.1")
    })?;
    let port = listener.local_addr().map_or(options.port, |a| a.port());
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

    // Watch before the first build, so an edit made while it runs is not missed; the build
    // cache's manifest, which says nothing of the content, is read meanwhile.
    let (tx, rx) = channel();
    let mut watcher = Watcher::new(tx.clone())?;
    let background = background_pool();
    let mut watched = HashSet::new();
    let cache = std::thread::scope(|s| {
        let cache = s.spawn(|| BuildCache::open(&root));
        watch_hub(&mut watcher, &root, &mut watched);
        cache.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });

    let served: Served = Arc::new(RwLock::new(HashMap::new()));
    let broadcaster = Arc::new(Broadcaster::default());
    let warmup = {
        let tx = tx.clone();
        Arc::new(Warmup::new(move |path: &str| {
            drop(tx.send(Event::Want(path.to_string())))
        }))
    };
    let mut started = Instant::now();
    let mut listener = Some(listener);
    let mut answer = |warmup: &Arc<Warmup>| {
        if let Some(listener) = listener.take() {
            let (served, broadcaster, warmup) = (served.clone(), broadcaster.clone(), warmup.clone());
            std::thread::spawn(move || http::answer(&listener, &served, &broadcaster, &warmup));
            say(format!(
                "serving {} at {base_url}/ (watching for changes; Ctrl-C to stop)",
                root.display()
            ));
            if options.open {
                open_browser(&format!("{base_url}/"));
            }
        }
    };
    // Interrupted (Ctrl-C, or SIGINT from a script even where the shell ignores it): stop,
    // once the home page is kept for the next start (at most `STOP_GRACE` later); at once when
    // interrupted again.
    let stop = tx.clone();
    let stopping = AtomicBool::new(false);
    crate::stop_signals::on_stop(move || {
        if stopping.swap(true, Ordering::SeqCst) {
            std::process::exit(0);
        }
        let _ = stop.send(Event::Stop);
        std::thread::spawn(|| {
            std::thread::sleep(STOP_GRACE);
            std::process::exit(0)
        });
    });

    // The home page kept from the last run, while the hub's inputs are as they were: served
    // at once, its other pages waited for while the hub loads.
    let scan = HubScan::with_cache(cache, &root, Some(&base_url));
    let front = Front::scanned(&scan).map(|front| {
        warmup.set(front.waiting.iter().cloned().collect());
        let files = front.into_files();
        publish(&served, &files, &[]);
        say(format!(
            "served the home page kept from the last run in {} ms; loading the hub",
            started.elapsed().as_millis()
        ));
        answer(&warmup);
        files
    });
    let mut live = match open_behind(&root, scan, front, &served, &broadcaster) {
        Ok(live) => {
            let (orgs, from_cache) = live.orgs_from_cache();
            say(format!(
                "loaded the hub ({from_cache} of {orgs} organisations from the build cache) and rendered its \
                 home page in {} ms; the other pages follow",
                started.elapsed().as_millis()
            ));
            Some(live)
        }
        Err(problems) => {
            report_failure(&broadcaster, &problems, false);
            None
        }
    };

    let mut warming = live.as_mut().is_some_and(LiveSite::warming);
    warmup.set(waiting_keys(&live));
    answer(&warmup);
    // What the edits of failed rebuilds touch: rebuilt again with the next edits, so that an
    // edit saved while another file was broken is not lost once the fix is saved.
    let mut unapplied: BTreeSet<Touch> = BTreeSet::new();

    loop {
        // The hub-wide pages of the last edits, rendered beside the next ones.
        if let Some(refresh) = live.as_mut().and_then(LiveSite::start_refresh) {
            let tx = tx.clone();
            let render = move || {
                let _ = tx.send(Event::Hub(refresh.run()));
            };
            match &background {
                Some(pool) => pool.spawn(render),
                None => render(),
            }
        }
        let Batch {
            touches,
            refreshed,
            wants,
            stop,
        } = next_batch(&rx, &root);
        if stop {
            // Not while files changed that the site has not rebuilt from: the front would be
            // kept for inputs it was not made from.
            let keep = live
                .as_ref()
                .and_then(LiveSite::front_keeper)
                .filter(|_| !touched(&touches));
            if keep.is_some_and(|keep| keep()) && touched(&next_batch_now(&rx, &root).touches) {
                Front::forget(&root);
            }
            std::process::exit(0);
        }
        if let Some(site) = live.as_mut() {
            wants.iter().for_each(|path| site.want(path));
        }
        if let Some(mut touches) = touches {
            touches.append(&mut unapplied);
            watch_hub(&mut watcher, &root, &mut watched);
            let opened = live.is_none();
            let result = rebuild(&mut live, &touches, &root, &base_url);
            // A site opened now: its pages still to render are waited for before its home
            // page (and its 404 page) is served.
            if opened {
                warmup.set(waiting_keys(&live));
            }
            match result {
                Some(Ok(changes)) => announce(&served, &broadcaster, changes, &say, options.timings),
                Some(Err(problems)) => {
                    unapplied = touches;
                    report_failure(&broadcaster, &problems, false);
                }
                None => {}
            }
        }
        for done in refreshed {
            let first = done.first_render();
            match live.as_mut().and_then(|site| site.finish_refresh(done)) {
                Some(Ok(changes)) => announce(&served, &broadcaster, changes, &say, options.timings),
                Some(Err(problems)) => report_failure(&broadcaster, &problems, !first),
                None => {}
            }
        }
        let now = live.as_mut().is_some_and(LiveSite::warming);
        if now || warming {
            warmup.set(waiting_keys(&live));
        }
        if now != warming {
            warming = now;
            match (now, &live) {
                (true, _) => started = Instant::now(),
                (false, Some(site)) if site.parked() > 0 => say(format!(
                    "{} parts of the site are not rendered: they wait for the fix",
                    site.parked()
                )),
                (false, Some(site)) => say(format!(
                    "rendered all {} files in {} ms",
                    site.files().len(),
                    started.elapsed().as_millis()
                )),
                (false, None) => {}
            }
        }
    }
}

/// What requests wait for ([`LiveSite::waiting_keys`]): nothing without a site.
fn waiting_keys(live: &Option<LiveSite>) -> HashSet<String> {
    live.as_ref().map(LiveSite::waiting_keys).unwrap_or_default()
}

/// Rebuilds what `touches` touch (everything while no build has succeeded yet), timed; `None`
/// when they touch nothing the site depends on.
fn rebuild(
    live: &mut Option<LiveSite>,
    touches: &BTreeSet<Touch>,
    root: &Path,
    base_url: &str,
) -> Option<Result<Changes, Diagnostics>> {
    let started = Instant::now();
    let result = match live.as_mut() {
        Some(site) => {
            let plan = plan::plan(touches);
            if plan == Plan::Nothing {
                return None;
            }
            site.apply(&plan)
        }
        None if touches.is_empty() => return None,
        None => LiveSite::open(root, base_url).map(|site| Changes::everything(live.insert(site))),
    };
    Some(result.map(|changes| Changes {
        took: started.elapsed(),
        ..changes
    }))
}

/// Serves a rebuild's changes, tells open pages, and says what happened.
fn announce(served: &Served, broadcaster: &Broadcaster, changes: Changes, say: &dyn Fn(String), timings: bool) {
    let (changed, removed) = (changes.upserts.len(), changes.removals.len());
    publish(served, &changes.upserts, &changes.removals);
    if changes.first_render {
        return;
    }
    let paths: Vec<&str> = changes.paths().collect();
    if changes.from_refresh {
        broadcaster.refreshed(&paths);
    } else {
        broadcaster.rebuilt(&paths);
    }
    say(format!(
        "rebuilt {}: {changed} files changed, {removed} removed in {} ms",
        changes.summary,
        changes.took.as_millis()
    ));
    if timings && !changes.stages.0.is_empty() {
        say(format!("  stages: {}", changes.stages));
    }
}

/// Puts changed files in place and removes deleted ones, in one step under the lock.
fn publish(served: &Served, upserts: &[(String, Arc<Packed>)], removals: &[String]) {
    let mut files = match served.write() {
        Ok(files) => files,
        Err(poisoned) => poisoned.into_inner(),
    };
    for path in removals {
        files.remove(path);
    }
    files.extend(upserts.iter().cloned());
}

/// Says that a rebuild (`refresh`: of the hub-wide pages) failed, in the terminal and on open
/// pages.
fn report_failure(broadcaster: &Broadcaster, problems: &Diagnostics, refresh: bool) {
    let text = problems.to_string();
    if refresh {
        eprintln!("{text}\nthe hub-wide pages failed to rebuild: their last good version is still served");
        broadcaster.refresh_failed(&text);
    } else {
        eprintln!("{text}\nrebuild failed: the last good site is still served; fix the file and save again");
        broadcaster.failed(&text);
    }
}

/// The threads that render hub refreshes: as many as the cores, at the lowest priority, so
/// that an edit's own pages (on rayon's global pool) take the cores first. `None` where no
/// thread can be made: refreshes are then rendered in the serve loop.
fn background_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("hub-refresh-{i}"))
        .start_handler(|_| {
            // Only a matter of speed: the default priority is correct too.
            let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
        })
        .build()
        .ok()
}

/// True when files the site depends on changed.
fn touched(touches: &Option<BTreeSet<Touch>>) -> bool {
    touches.as_ref().is_some_and(|t| !t.is_empty())
}

/// What the serve loop found waiting.
#[derive(Default)]
struct Batch {
    /// What the changed files touch (`None` when no file changed).
    touches: Option<BTreeSet<Touch>>,
    /// Rendered refreshes.
    refreshed: Vec<HubRendered>,
    /// Paths requests are waiting for.
    wants: Vec<String>,
    /// True when interrupted.
    stop: bool,
}

/// Waits for what comes next (file changes, rendered refreshes, requests waiting for a page),
/// and takes everything else that is there.
fn next_batch(rx: &Receiver<Event>, root: &Path) -> Batch {
    // Never an error: the serve loop holds a sender itself, so the channel never closes.
    let Ok(first) = rx.recv() else {
        return Batch::default();
    };
    batch_of(std::iter::once(first).chain(rx.try_iter()), root)
}

/// What is waiting now, without waiting.
fn next_batch_now(rx: &Receiver<Event>, root: &Path) -> Batch {
    batch_of(rx.try_iter(), root)
}

fn batch_of(events: impl Iterator<Item = Event>, root: &Path) -> Batch {
    let mut batch = Batch::default();
    for event in events {
        let result = match event {
            Event::Files(result) => result,
            Event::Hub(done) => {
                batch.refreshed.push(done);
                continue;
            }
            Event::Want(path) => {
                batch.wants.push(path);
                continue;
            }
            Event::Stop => {
                batch.stop = true;
                continue;
            }
        };
        let touches = batch.touches.get_or_insert_with(BTreeSet::new);
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
    batch
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
    fn new(tx: Sender<Event>) -> Result<Watcher, Diagnostic> {
        let handler = |tx: Sender<Event>| {
            move |result| {
                let _ = tx.send(Event::Files(result));
            }
        };
        match new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), handler(tx.clone())) {
            Ok(d) => Ok(Watcher::Native(d)),
            Err(_) => {
                let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
                new_debouncer_opt::<_, PollWatcher, FileIdMap>(
                    DEBOUNCE,
                    Some(DEBOUNCE_TICK),
                    handler(tx),
                    FileIdMap::new(),
                    config,
                )
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
