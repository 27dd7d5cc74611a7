//! Announced, effective and captured dates (README "Three dates"): pending versions and notice
//! periods in timelines, feeds, version pages and the API; changes flagged for taking effect
//! before anyone could know; the reference date taken from SOURCE_DATE_EPOCH or the content,
//! never the clock, so builds are reproducible.
//!
//! The `pending` fixture: versions of 10 December 2015 (captured 26 December), 2 March 2018
//! (captured 10 March: 8 days late) and 1 March 2019 (announced 1 February, captured 10
//! February): on the reference date, 10 February 2019, the last is pending.

mod common;

use common::TempHub;
use serde_json::Value;

fn built(epoch: Option<&str>) -> TempHub {
    let hub = TempHub::fixture("pending");
    let mut cmd = hub.command(&["build"]);
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    hub
}

fn json(hub: &TempHub, rel: &str) -> Value {
    serde_json::from_str(&hub.read_output(rel)).unwrap()
}

/// Seconds of `day` (YYYY-MM-DD) at `hour`:00 UTC.
fn epoch(day: &str, hour: i64) -> String {
    let date: policyhub::content::Date = day.parse().unwrap();
    (date.days_since_epoch() * 86_400 + hour * 3_600).to_string()
}

const NOTICE: &str = "Takes effect on 1 March 2019, announced 1 February: 28 days&#39; notice.";

#[test]
fn a_version_announced_ahead_is_pending_everywhere_with_its_notice() {
    let hub = built(None);
    // Timeline: the badge and the notice on the pending entry, the flag on the late one.
    let timeline = hub.read_output("acme/privacy-policy/changes/index.html");
    let pending = timeline.split("<li class=\"change-entry").nth(1).unwrap();
    assert!(
        pending.split('"').next().unwrap().contains(" change-pending"),
        "{pending}"
    );
    assert!(
        pending.contains("<strong class=\"badge-pending\">Pending</strong>"),
        "{pending}"
    );
    assert!(
        pending.contains(&format!("<p class=\"notice-period\">{NOTICE}</p>")),
        "{pending}"
    );
    assert!(
        timeline.contains("<p class=\"early-change\">Took effect 8 days before it was captured (10 March 2018); no announcement is on record.</p>"),
        "{timeline}"
    );
    assert_eq!(
        timeline.matches("class=\"early-change\"").count(),
        1,
        "the first version is never flagged"
    );
    // The hub's recent changes and the organisation's timeline say it too.
    for page in ["changes/index.html", "acme/index.html", "index.html"] {
        assert!(hub.read_output(page).contains(NOTICE), "{page}");
    }
    // Feed: a pending entry, dated by its announcement.
    let feed = hub.read_output("acme/privacy-policy/feed.xml");
    let entry = feed.split("<entry>").nth(1).unwrap();
    assert!(
        entry.contains("<title>Acme Corp: Privacy Policy changes on 1 March 2019 (pending, substantive)</title>"),
        "{entry}"
    );
    assert!(entry.contains("<updated>2019-02-01T00:00:00Z</updated>"), "{entry}");
    assert!(entry.contains(NOTICE), "{entry}");
    assert!(
        feed.contains("<updated>2019-02-01T00:00:00Z</updated>\n  <author>"),
        "{feed}"
    );
    // API: status and notice of each version, and the reference date.
    assert_eq!(json(&hub, "api/index.json")["reference_date"], "2019-02-10");
    let versions = json(&hub, "api/acme/privacy-policy.json")["versions"].clone();
    let statuses: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["superseded", "in-force", "pending"]);
    assert_eq!(versions[2]["announced"], "2019-02-01");
    assert_eq!(versions[2]["notice_days"], 28);
    assert_eq!(versions[2]["early"], Value::Null);
    assert_eq!(
        versions[1]["early"],
        serde_json::json!({"before": "captured", "date": "2018-03-10", "days": 8})
    );
    assert_eq!(
        json(&hub, "api/acme/privacy-policy/2019-03-01.json")["status"],
        "pending"
    );
    // Version pages: the pending one (also the policy's canonical page) points to the version
    // in force, which says what is coming.
    for page in [
        "acme/privacy-policy/index.html",
        "acme/privacy-policy/2019-03-01/index.html",
    ] {
        let html = hub.read_output(page);
        assert!(
            html.contains(&format!("<strong>Pending:</strong> this version is not yet in force. {NOTICE} Until then, the <a href=\"/acme/privacy-policy/2018-03-02/\">version of 2 March 2018</a> is in force.")),
            "{page}: {html}"
        );
        assert!(html.contains("<dt>Announced</dt><dd><time datetime=\"2019-02-01\">1 February 2019</time></dd>"));
        assert!(html.contains("<dt>Takes effect on</dt>"));
    }
    let in_force = hub.read_output("acme/privacy-policy/2018-03-02/index.html");
    assert!(
        in_force.contains("This version is in force. A new version is pending: the <a href=\"/acme/privacy-policy/2019-03-01/\">version of 1 March 2019</a>, which takes effect that day."),
        "{in_force}"
    );
    assert!(
        in_force.contains("<p class=\"notice notice-early\" role=\"note\">Took effect 8 days before it was captured")
    );
}

#[test]
fn source_date_epoch_moves_the_reference_date_and_nothing_else() {
    // On the day it takes effect, the version is in force, with its notice still said.
    let hub = built(Some(&epoch("2019-03-01", 0)));
    let versions = json(&hub, "api/acme/privacy-policy.json")["versions"].clone();
    assert_eq!(versions[2]["status"], "in-force");
    assert_eq!(versions[1]["status"], "superseded");
    let timeline = hub.read_output("acme/privacy-policy/changes/index.html");
    assert!(!timeline.contains("badge-pending"));
    assert!(timeline.contains("<p class=\"notice-period\">Announced 1 February: 28 days&#39; notice.</p>"));
    // The day before, it is pending.
    let before = built(Some(&epoch("2019-02-28", 23)));
    assert_eq!(
        json(&before, "api/acme/privacy-policy.json")["versions"][2]["status"],
        "pending"
    );
}

#[test]
fn builds_are_the_same_whatever_the_clock() {
    // The clock reads years after 1 March 2019, yet the version is pending: the reference date
    // is the newest capture, 10 February 2019. Two builds (at two different times) and a build
    // whose SOURCE_DATE_EPOCH is another hour of that day give the same bytes.
    let first = built(None);
    let second = built(None);
    let same_day = built(Some(&epoch("2019-02-10", 17)));
    assert_eq!(
        json(&first, "api/acme/privacy-policy.json")["versions"][2]["status"],
        "pending"
    );
    let files = first.output_snapshot();
    assert!(files.len() > 20);
    for other in [&second, &same_day] {
        let theirs = other.output_snapshot();
        assert_eq!(files.len(), theirs.len());
        for ((path, bytes), (their_path, their_bytes)) in files.iter().zip(&theirs) {
            assert_eq!(path, their_path);
            assert!(bytes == their_bytes, "{path} differs between two builds");
        }
    }
}

#[test]
fn a_bad_date_names_the_file_and_line_and_a_bad_epoch_is_refused() {
    let hub = TempHub::fixture("pending");
    hub.write(
        "content/acme/privacy-policy/2019-03-01.md",
        "+++\ncaptured = 2019-02-10\nannounced = \"1 February 2019\"\n+++\nText\n",
    );
    let (ok, _, err) = hub.build();
    assert!(!ok);
    assert!(
        err.contains("content/acme/privacy-policy/2019-03-01.md:3:13: error: `announced` = 1 February 2019: not a date of the form YYYY-MM-DD"),
        "{err}"
    );
    assert!(err.contains("help: write announced = YYYY-MM-DD"), "{err}");
    let hub = TempHub::fixture("pending");
    let out = hub
        .command(&["build"])
        .env("SOURCE_DATE_EPOCH", "soon")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("SOURCE_DATE_EPOCH: error: `soon` is not a number of seconds"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Every period the `/at/` page lists: (first day, last day or "", the text of its answer).
fn periods_listed(page: &str) -> Vec<(String, String, String)> {
    let attribute = |li: &str, name: &str| -> String {
        let start = li.find(&format!("{name}=\"")).map(|i| i + name.len() + 2);
        start.map_or(String::new(), |s| li[s..s + li[s..].find('"').unwrap()].to_string())
    };
    page.split("<li class=\"period")
        .skip(1)
        .map(|li| {
            let text = li.split("<span class=\"period-text\">").nth(1).unwrap();
            let text = &text[..text.find("</span>").unwrap()];
            let mut plain = String::new();
            let mut in_tag = false;
            for c in text.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            (attribute(li, "data-from"), attribute(li, "data-until"), plain)
        })
        .collect()
}

/// The `/at/` page and `policyhub diff ORG/POLICY DATE` give the same answer on every boundary
/// (the day before each change, the day of it, before the first version) and on days between,
/// a second text of one day included: the page's period and the terminal's "On …, in force …"
/// line are the same words, and before the first version both say no version was in force.
#[test]
fn the_point_in_time_page_and_the_terminal_agree_at_every_boundary() {
    use policyhub::content::Date;
    let hub = TempHub::fixture("pending");
    hub.write(
        "content/acme/privacy-policy/2018-03-02.2.md",
        "+++\ncaptured = 2018-04-01\n+++\n# Acme Privacy Policy\n\nWe keep your data for one year.\n",
    );
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/at/index.html");
    let periods = periods_listed(&page);
    assert_eq!(
        periods.iter().map(|p| p.2.as_str()).collect::<Vec<_>>(),
        [
            "before 10 December 2015: no version in force",
            "from 10 December 2015 to 1 March 2018: version of 10 December 2015",
            "from 2 March 2018 to 28 February 2019: version of 2 March 2018 (2018-03-02.2)",
            "from 1 March 2019 onwards: version of 1 March 2019",
        ]
    );
    assert!(page.contains(
        "it replaced the earlier texts of that day: <a href=\"/acme/privacy-policy/2018-03-02/\">2018-03-02</a>"
    ));
    let day = |d: &str| -> Date { d.parse().unwrap() };
    let mut dates: Vec<Date> = Vec::new();
    for (from, until, _) in &periods {
        for edge in [from, until].into_iter().filter(|d| !d.is_empty()) {
            let edge = day(edge).days_since_epoch();
            dates.extend((edge - 1..=edge + 1).filter_map(Date::from_days_since_epoch));
        }
    }
    // And days spread over the years, from before the first version to after the last.
    let mut seed: i64 = 24;
    for _ in 0..12 {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        dates.extend(Date::from_days_since_epoch(
            day("2015-06-01").days_since_epoch() + seed % 1_600,
        ));
    }
    for date in dates {
        let iso = date.to_string();
        let listed = periods
            .iter()
            .find(|(from, until, _)| *from <= iso && (until.is_empty() || iso <= *until))
            .unwrap_or_else(|| panic!("{iso} is in no period"));
        let out = hub.command(&["diff", "acme/privacy-policy", &iso]).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        if listed.2.ends_with("no version in force") {
            assert!(!out.status.success(), "{iso}: {stdout}");
            assert!(
                stderr.contains(&format!(
                    "no version of acme/privacy-policy was in force on {}: its first version took effect on 10 December 2015",
                    date.long()
                )),
                "{iso}: {stderr}"
            );
        } else {
            assert!(out.status.success(), "{iso}: {stderr}");
            let said = format!("On {}, in force {}\n", date.long(), listed.2);
            assert!(
                stdout.contains(&said),
                "{iso}: the page says {said:?}, the terminal {stdout}"
            );
        }
    }
}

/// Watch mode replaces one organisation at a time: the reference date follows, so that a
/// newer capture in one organisation re-judges what is pending everywhere.
#[test]
fn replacing_an_organisation_keeps_the_reference_date_in_step() {
    use policyhub::SiteOrg;
    use std::sync::Arc;
    let hub = TempHub::fixture("pending");
    let config = policyhub::config::Config::parse("title = \"T\"\nbase_url = \"https://example.org\"\n", None).unwrap();
    let mut site = policyhub::Site::anchor(config, policyhub::content::load_content(hub.root()).unwrap());
    assert_eq!(site.reference.map(|d| d.to_string()).as_deref(), Some("2019-02-10"));
    let version = "content/acme/privacy-policy/2019-03-01.md";
    let text = std::fs::read_to_string(hub.path(version)).unwrap();
    hub.write(version, text.replace("captured = 2019-02-10", "captured = 2019-03-05"));
    let org = policyhub::content::load_org_dir(hub.root(), "acme").unwrap().unwrap();
    let old = site.org("acme").unwrap();
    let histories = old.policies.iter().map(|p| p.history.clone()).collect();
    let links = old.policies.iter().map(|p| p.links.clone()).collect();
    let replaced = site.replace_org("acme", Some(Arc::new(SiteOrg::new(org, histories, links))));
    assert_eq!(replaced.map(|o| o.slug.clone()).as_deref(), Some("acme"));
    assert_eq!(site.reference.map(|d| d.to_string()).as_deref(), Some("2019-03-05"));
}
