//! Bad input (DESIGN §11): every mistake gets a clear error naming the file and line, all of
//! a run's errors are reported together, nothing panics, and the previous output survives.

mod common;

use common::TempHub;

/// Builds and returns stderr, asserting that the build failed without a panic.
fn failing_build(hub: &TempHub) -> String {
    let (ok, _, stderr) = hub.build();
    assert!(!ok, "the build should fail");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

const VERSION: &str = "content/acme/privacy-policy/2020-01-01.md";

#[test]
fn bad_front_matter_toml_names_file_line_and_column() {
    let hub = TempHub::fixture("basic");
    hub.write(
        VERSION,
        "+++\neffective = 2020-01-01\nsource = \"unterminated\n+++\nText\n",
    );
    let err = failing_build(&hub);
    assert!(err.contains("2020-01-01.md:3:"), "{err}");
    assert!(err.contains("invalid TOML"), "{err}");
}

#[test]
fn broken_build_leaves_previous_output_byte_identical() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    let before = hub.output_snapshot();
    hub.write(VERSION, "+++\neffective = \"not a date\n+++\n");
    failing_build(&hub);
    assert_eq!(before, hub.output_snapshot());
}

#[test]
fn impossible_date_in_front_matter() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2019-02-28.md",
        "+++\neffective = \"2019-02-30\"\n+++\nText\n",
    );
    let err = failing_build(&hub);
    assert!(err.contains("2019-02-28.md:2:"), "{err}");
    assert!(err.contains("no such day"), "{err}");
}

#[test]
fn impossible_date_in_file_name() {
    let hub = TempHub::fixture("basic");
    hub.write("content/acme/privacy-policy/2019-02-30.md", "+++\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(
        err.contains("2019-02-30.md: error: the file name's date 2019-02-30 does not exist"),
        "{err}"
    );
}

#[test]
fn file_not_named_by_date() {
    let hub = TempHub::fixture("basic");
    hub.write("content/acme/privacy-policy/latest.md", "+++\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(err.contains("`latest.md` is not a version file name"), "{err}");
    assert!(err.contains("YYYY-MM-DD.md"), "{err}");
}

#[test]
fn missing_front_matter() {
    let hub = TempHub::fixture("basic");
    hub.write(VERSION, "# Just text\n");
    let err = failing_build(&hub);
    assert!(
        err.contains("2020-01-01.md:1:1: error: a version file must start with a `+++` line"),
        "{err}"
    );
}

#[test]
fn effective_date_must_match_file_name() {
    let hub = TempHub::fixture("basic");
    hub.write(
        VERSION,
        "+++\nsource = \"https://x.org\"\neffective = 2020-01-02\n+++\nText\n",
    );
    let err = failing_build(&hub);
    assert!(
        err.contains("2020-01-01.md:3: error: effective = 2020-01-02, but the file is named for 2020-01-01"),
        "{err}"
    );
}

#[test]
fn duplicate_versions_of_one_day() {
    let hub = TempHub::fixture("basic");
    hub.write("content/acme/privacy-policy/2020-01-01.1.md", "+++\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(err.contains("two versions for 2020-01-01"), "{err}");
    assert!(err.contains("2020-01-01.2.md"), "{err}");
}

#[test]
fn a_second_version_of_a_day_with_a_suffix_is_fine() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2020-01-01.2.md",
        "+++\n+++\n# Same day\n\nText\n",
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    assert!(hub
        .read_output("acme/privacy-policy/2020-01-01.2/index.html")
        .contains("Same day"));
}

#[test]
fn a_padded_suffix_names_the_version_and_counts_as_its_number() {
    let hub = TempHub::fixture("basic");
    for n in ["02", "10", "09"] {
        hub.write(
            &format!("content/acme/privacy-policy/2020-01-01.{n}.md"),
            format!("+++\n+++\n# Version {n}\n\nText {n}\n"),
        );
    }
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    assert!(hub
        .read_output("acme/privacy-policy/2020-01-01.02/index.html")
        .contains("Version 02"));
    // .10 is the latest version of the day: it comes after .09, not after the plain date
    let latest = hub.read_output("acme/privacy-policy/index.html");
    assert!(latest.contains("Version 10"), "{latest}");
    let api = hub.read_output("api/acme/privacy-policy.json");
    let order: Vec<usize> = ["\"2020-01-01.02\"", "\"2020-01-01.09\"", "\"2020-01-01.10\""]
        .iter()
        .map(|id| api.find(id).unwrap_or_else(|| panic!("{id} missing in {api}")))
        .collect();
    assert!(
        order[0] < order[1] && order[1] < order[2],
        "versions out of order: {order:?}"
    );

    hub.write("content/acme/privacy-policy/2020-01-01.2.md", "+++\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(err.contains("two versions for 2020-01-01"), "{err}");
}

#[test]
fn bad_org_slug() {
    let hub = TempHub::fixture("basic");
    hub.write("content/Acme Corp/org.toml", "name = \"A\"\n");
    let err = failing_build(&hub);
    assert!(err.contains("`Acme Corp` is not a valid organisation slug"), "{err}");
    assert!(err.contains("rename the folder to `acme-corp`"), "{err}");
    hub.write("content/Société Générale/org.toml", "name = \"S\"\n");
    let err = failing_build(&hub);
    assert!(err.contains("rename the folder to `societe-generale`"), "{err}");
}

#[test]
fn bad_policy_slug() {
    let hub = TempHub::fixture("basic");
    hub.write("content/acme/Privacy_Policy/2020-01-01.md", "+++\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(err.contains("`Privacy_Policy` is not a valid policy slug"), "{err}");
}

#[test]
fn non_utf8_file_names_line() {
    let hub = TempHub::fixture("basic");
    hub.write(VERSION, b"+++\n+++\nGood line\nbad \xff byte\n".as_slice());
    let err = failing_build(&hub);
    assert!(
        err.contains("2020-01-01.md:4:5: error: the file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_key() {
    let hub = TempHub::fixture("basic");
    hub.write(VERSION, "+++\neffective = 2020-01-01\nsumary = \"typo\"\n+++\nText\n");
    let err = failing_build(&hub);
    assert!(err.contains("2020-01-01.md:3:"), "{err}");
    assert!(err.contains("sumary"), "{err}");
}

#[test]
fn missing_org_toml() {
    let hub = TempHub::fixture("basic");
    std::fs::remove_file(hub.path("content/acme/org.toml")).unwrap();
    let err = failing_build(&hub);
    assert!(
        err.contains("content/acme/org.toml: error: this organisation has no org.toml"),
        "{err}"
    );
}

#[test]
fn missing_site_toml() {
    let hub = TempHub::fixture("basic");
    std::fs::remove_file(hub.path("site.toml")).unwrap();
    let err = failing_build(&hub);
    assert!(err.contains("site.toml: error: this hub has no site.toml"), "{err}");
    assert!(err.contains("policyhub init"), "{err}");
}

#[test]
fn bad_site_toml() {
    let hub = TempHub::fixture("basic");
    hub.write("site.toml", "title = \"Hub\"\nbase_url = https://x\n");
    let err = failing_build(&hub);
    assert!(err.contains("site.toml:2:"), "{err}");
}

#[test]
fn unknown_template_variable_names_template_and_line() {
    let hub = TempHub::fixture("basic");
    // The words `org.ceo` in the text, and in a template the page does not use, are not uses.
    hub.write("templates/unused.html", "{{ org.ceo }}\n");
    hub.write("templates/org.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>Set org.ceo in the org's front matter</p>\n<h1>{{ org.name }}</h1>\n<p>{{ org.ceo }}</p>\n{% endblock content %}\n");
    let err = failing_build(&hub);
    assert!(
        err.contains("templates/org.html:5: error: unknown template variable `org.ceo`"),
        "{err}"
    );
}

/// A version's page and its redline carry the policy without its list of versions (a policy
/// captured daily for years made each page's input its whole history): a theme that lists
/// them there is told what to use instead.
#[test]
fn a_version_page_listing_every_version_is_told_to_list_the_nearby_ones() {
    let hub = TempHub::fixture("basic");
    let default = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/version.html")).unwrap();
    let theme = default.replacen(
        "{% block content %}",
        "{% block content %}\n{% for v in policy.versions %}{{ v.id }}{% endfor %}",
        1,
    );
    assert_ne!(theme, default);
    hub.write("templates/version.html", theme);
    let err = failing_build(&hub);
    assert!(err.contains("templates/version.html:"), "{err}");
    assert!(err.contains("unknown template variable `policy.versions`"), "{err}");
    assert!(err.contains("list `nearby`"), "{err}");
}

#[test]
fn template_syntax_error_names_line_and_column() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ site.title \n{% endblock content %}\n",
    );
    let err = failing_build(&hub);
    assert!(err.contains("templates/index.html:"), "{err}");
    assert!(err.contains("template syntax error"), "{err}");
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let hub = TempHub::fixture("basic");
    hub.write(VERSION, "+++\neffective = nope\n+++\n");
    hub.write("content/acme/privacy-policy/2021-06-01.md", "no front matter\n");
    hub.write("content/Bad Org/org.toml", "name = \"x\"\n");
    let err = failing_build(&hub);
    assert!(err.contains("2020-01-01.md:2:"), "{err}");
    assert!(err.contains("2021-06-01.md:1:1"), "{err}");
    assert!(err.contains("Bad Org"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn output_inside_the_hub_sources_is_refused() {
    let hub = TempHub::fixture("basic");
    let out = hub
        .command(&["build", "--output"])
        .arg(hub.path("content"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(hub.path("content/acme/org.toml").exists(), "content was damaged");
}

#[test]
fn empty_version_file_is_a_clear_error() {
    let hub = TempHub::fixture("basic");
    hub.write(VERSION, "");
    let err = failing_build(&hub);
    assert!(err.contains("2020-01-01.md:1:1"), "{err}");
}

#[test]
fn urls_must_be_web_urls() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/org.toml",
        "name = \"Acme\"\nwebsite = \"javascript:alert(1)\"\n",
    );
    hub.write(
        VERSION,
        "+++\neffective = 2020-01-01\nsource = \"data:text/html,x\"\n+++\nText\n",
    );
    let err = failing_build(&hub);
    assert!(
        err.contains("content/acme/org.toml:2: error: `website` must be a valid absolute http:// or https:// URL"),
        "{err}"
    );
    assert!(
        err.contains("2020-01-01.md:3: error: `source` must be a valid absolute http:// or https:// URL"),
        "{err}"
    );
}

#[test]
fn a_bad_topic_pattern_is_named_with_its_line_alongside_content_errors() {
    let hub = TempHub::fixture("basic");
    let site = std::fs::read_to_string(hub.path("site.toml")).unwrap();
    let line = site.lines().count() + 3;
    hub.write(
        "site.toml",
        format!("{site}\n[topics.leaks]\npatterns = ['(unclosed']\n"),
    );
    hub.write(VERSION, "+++\neffective = \"not a date\n+++\n");
    let err = failing_build(&hub);
    assert!(err.contains(&format!("site.toml:{line}:")), "{err}");
    assert!(err.contains("topic `leaks`: pattern `(unclosed`"), "{err}");
    assert!(err.contains("2020-01-01.md"), "both problems together: {err}");
}
