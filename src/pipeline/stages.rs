//! Wall time per stage of a build (`--timings`): a list of named durations, in order.

use std::time::{Duration, Instant};

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, Duration)>);

impl Stages {
    /// Runs `f` and records its time as stage `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (value, took) = timed(f);
        self.0.push((name, took));
        value
    }
}

impl std::fmt::Display for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// Runs `f`, with its wall time.
pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}
