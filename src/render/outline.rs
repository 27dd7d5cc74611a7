//! A policy's heading levels placed under a page's own headings: each heading one level below
//! the nearest shallower heading before it, so the outline never skips a level (screen-reader
//! users navigate by it), whatever levels the captured text used (`##` then `#####`, or a
//! removed `###` shown after the redline page's `h1`).

/// Levels of the headings of one text, shown in order under a page heading of level `base`.
#[derive(Debug, Clone)]
pub(super) struct Outline {
    base: u8,
    /// The source levels of the open headings, shallowest first.
    open: Vec<u8>,
}

impl Outline {
    /// An outline under a page heading of level `base` (1 for the page's `h1`).
    pub(super) fn under(base: u8) -> Self {
        Outline { base, open: Vec::new() }
    }

    /// The HTML level (2..=6 under an `h1`) of the next heading, whose source level is `source`.
    pub(super) fn level(&mut self, source: u8) -> u8 {
        while self.open.last().is_some_and(|&open| open >= source) {
            self.open.pop();
        }
        self.open.push(source);
        let depth = u8::try_from(self.open.len()).unwrap_or(u8::MAX);
        self.base.saturating_add(depth).min(6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(source: &[u8]) -> Vec<u8> {
        let mut outline = Outline::under(1);
        source.iter().map(|&l| outline.level(l)).collect()
    }

    #[test]
    fn levels_are_compacted_and_never_skip() {
        assert_eq!(levels(&[1, 2, 3, 2, 3]), vec![2, 3, 4, 3, 4]);
        assert_eq!(levels(&[2, 5, 5, 2]), vec![2, 3, 3, 2]);
        assert_eq!(levels(&[3, 1, 4, 2]), vec![2, 2, 3, 3]);
        assert_eq!(levels(&[1, 2, 3, 4, 5, 6, 6]), vec![2, 3, 4, 5, 6, 6, 6]);
    }
}
