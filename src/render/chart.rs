//! Small SVG charts drawn at build time: a policy's length over time and its changes per
//! version. Colours come from the stylesheet (classes), so both themes and the CSP work.

use std::fmt::Write;

/// One point of a policy's history: days since the epoch, words, words changed.
#[derive(Debug, Clone, Copy)]
pub(super) struct ChartPoint {
    pub day: i64,
    pub words: usize,
    pub changed: usize,
    /// The version's class (`substantive`, …), which colours its bar.
    pub class: Option<&'static str>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 160.0;
const PAD: f64 = 28.0;

/// An inline SVG: the policy's length as a line (left scale), the words changed by each version
/// as bars (right scale), with a text alternative.
pub(super) fn history_chart(points: &[ChartPoint], label: &str) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        crate::html::escape_html(label)
    );
    if points.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let (first, last) = (points[0].day, points[points.len() - 1].day);
    let span = (last - first).max(1) as f64;
    let max_words = points.iter().map(|p| p.words).max().unwrap_or(1).max(1) as f64;
    let max_changed = points.iter().map(|p| p.changed).max().unwrap_or(1).max(1) as f64;
    let plot_w = WIDTH - 2.0 * PAD;
    let plot_h = HEIGHT - 2.0 * PAD;
    let x = |day: i64| {
        if points.len() == 1 {
            PAD + plot_w / 2.0
        } else {
            PAD + (day - first) as f64 / span * plot_w
        }
    };
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{PAD}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>",
        b = HEIGHT - PAD,
        r = WIDTH - PAD
    );
    for p in points {
        let h = p.changed as f64 / max_changed * plot_h * 0.6;
        let _ = write!(
            svg,
            "<rect class=\"chart-bar{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"{:.1}\"/>",
            p.class.map(|c| format!(" chart-bar-{c}")).unwrap_or_default(),
            x(p.day) - 3.0,
            HEIGHT - PAD - h,
            h
        );
    }
    let line: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{:.1},{:.1}",
                x(p.day),
                HEIGHT - PAD - p.words as f64 / max_words * plot_h
            )
        })
        .collect();
    let _ = write!(
        svg,
        "<polyline class=\"chart-line\" fill=\"none\" stroke=\"currentColor\" points=\"{}\"/>",
        line.join(" ")
    );
    for p in points {
        let _ = write!(
            svg,
            "<circle class=\"chart-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/>",
            x(p.day),
            HEIGHT - PAD - p.words as f64 / max_words * plot_h
        );
    }
    let _ = write!(
        svg,
        "<text class=\"chart-text\" x=\"{PAD}\" y=\"16\">{} words</text><text class=\"chart-text\" x=\"{}\" y=\"16\" text-anchor=\"end\">bars: words changed (max {})</text>",
        max_words as usize,
        WIDTH - PAD,
        max_changed as usize
    );
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_point_per_version() {
        let svg = history_chart(
            &[
                ChartPoint {
                    day: 0,
                    words: 100,
                    changed: 100,
                    class: None,
                },
                ChartPoint {
                    day: 50,
                    words: 120,
                    changed: 30,
                    class: Some("substantive"),
                },
            ],
            "Length",
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(
            svg.matches("chart-bar-substantive").count(),
            1,
            "the substantive change stands out"
        );
        assert!(svg.contains("aria-label=\"Length\""));
        assert!(!svg.contains("style="), "inline styles break the CSP");
    }
}
