//! Stopping a history import: a signal (Ctrl-C, SIGTERM from `timeout` or a cancelled CI job,
//! SIGHUP from a closed terminal) stops the process at once while the import has written
//! nothing; once it writes, the write under way finishes and the next one fails, so the import
//! undoes everything it wrote ([`super::history::Transaction`]) and no history is left half
//! imported.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static WRITING: AtomicBool = AtomicBool::new(false);

/// Handles the signals from now on (once per process; a second call changes nothing).
pub(super) fn watch() {
    crate::stop_signals::on_stop(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        if !WRITING.load(Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// Called before each write: from the first on, a signal no longer stops the process; true
/// when one came, and the write must not happen.
pub(super) fn stop_before_writing() -> bool {
    WRITING.store(true, Ordering::SeqCst);
    INTERRUPTED.load(Ordering::SeqCst)
}
