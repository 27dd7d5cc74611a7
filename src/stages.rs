//! Wall time per stage of a build (`--timings`): a list of named durations, in order. A leaf
//! utility: the stages time themselves with it.

use std::time::{Duration, Instant};

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, Duration)>);

impl Stages {
    /// Runs `f` and records its time as stage `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (value, took) = timed(f);
        self.add(name, took);
        value
    }

    /// Records `took` as stage `name`, added to the time it already has (a stage may run in
    /// several steps: the organisations of a large hub are anchored and rendered in parts).
    pub fn add(&mut self, name: &'static str, took: Duration) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += took,
            None => self.0.push((name, took)),
        }
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
