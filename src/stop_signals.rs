//! The signals that ask the process to stop: Ctrl-C (SIGINT), SIGTERM (`timeout`, a cancelled
//! CI job) and SIGHUP (a closed terminal), handled alike by the commands that must not be cut
//! short (the `ctrlc` crate, confined here). A leaf utility.

/// Runs `handler` (on a thread of its own) each time one of the signals comes, from now on.
/// Once per process: a second call changes nothing, and where signals cannot be handled the
/// process stops on them as it would have.
pub(crate) fn on_stop(handler: impl FnMut() + Send + 'static) {
    let _ = ctrlc::set_handler(handler);
}
