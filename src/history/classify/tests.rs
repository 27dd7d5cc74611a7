use super::*;
use crate::config::ChangesConfig;
use crate::document::parse;
use crate::history::anchor_policy;

fn block(markdown: &str) -> Block {
    parse(markdown).blocks.remove(0)
}

fn verdict(old: &str, new: &str) -> Verdict {
    verdict_with(old, new, &ChangeRules::default())
}

fn verdict_with(old: &str, new: &str, rules: &ChangeRules) -> Verdict {
    let (old, new) = (block(old), block(new));
    classify_change(Some(&old), Some(&new), Change::Modified, rules).expect("a change")
}

fn class(old: &str, new: &str) -> Class {
    verdict(old, new).class
}

#[test]
fn the_same_words_are_formatting_whatever_the_markup_case_punctuation_or_spacing() {
    assert_eq!(
        verdict("Your Rights.", "YOUR RIGHTS"),
        Verdict::new(Class::Formatting, "case and punctuation")
    );
    assert_eq!(verdict("Fill in the form:", "Fill in the form").reason, "punctuation");
    assert_eq!(
        verdict("We don’t sell data.", "We don't sell data.").class,
        Class::Formatting
    );
    assert_eq!(
        verdict("- We keep logs.", "We keep logs.").reason,
        "list item became paragraph"
    );
    assert_eq!(verdict("## Cookies", "### Cookies").reason, "heading level 2 → 3");
    assert_eq!(verdict("**Cookies**", "## Cookies").reason, "paragraph became heading");
}

#[test]
fn a_word_that_differs_is_never_formatting() {
    for (old, new) in [
        ("We keep logs.", "We keep the logs."),
        ("Visit our site.", "Visit our website."),
        ("1.1 Data we collect", "1.2 Data we collect"),
    ] {
        assert_ne!(class(old, new), Class::Formatting, "{old} → {new}");
    }
}

#[test]
fn numbers_durations_and_amounts_are_substantive() {
    let v = verdict("We keep logs for 30 days.", "We keep logs for 90 days.");
    assert_eq!(v, Verdict::new(Class::Substantive, "“30 days” → “90 days”"));
    assert_eq!(
        class("A fee of $5 applies.", "A fee of $7 applies."),
        Class::Substantive
    );
}

#[test]
fn modal_verbs_negations_and_quantifiers_are_substantive() {
    assert_eq!(
        verdict("We may share data.", "We will share data.").reason,
        "“may” → “will”"
    );
    assert_eq!(verdict("We sell data.", "We do not sell data.").reason, "adds “not”");
    assert_eq!(class("We share all data.", "We share data."), Class::Substantive);
}

#[test]
fn new_content_words_are_substantive() {
    let v = verdict(
        "We share data with partners.",
        "We share data with partners and advertisers.",
    );
    assert_eq!(v, Verdict::new(Class::Substantive, "adds “advertisers” (recipients)"));
    assert_eq!(
        verdict("We share data.", "We sell data.").reason,
        "“share” → “sell” (processing)"
    );
    assert_eq!(
        verdict("Write to dpo@a.com.", "Write to dpo@b.com.").reason,
        "“dpo@a.com” → “dpo@b.com” (contact route)"
    );
    assert_eq!(
        verdict(
            "We send data to partners in the US.",
            "We send data to partners in Canada."
        )
        .reason,
        "adds “canada” (places)"
    );
}

#[test]
fn a_few_words_about_nothing_a_policy_commits_to_are_editorial() {
    assert_eq!(
        verdict("Read our helpful guide.", "Read our short guide.").reason,
        "wording: “helpful” → “short”"
    );
    assert_eq!(
        class(
            "We share data with partners.",
            "We share data with our valued partners."
        ),
        Class::Editorial
    );
}

#[test]
fn function_words_spellings_and_renumbering_are_editorial() {
    assert_eq!(verdict("We keep the logs.", "We keep logs.").class, Class::Editorial);
    assert_eq!(
        verdict("We recieve data.", "We receive data.").reason,
        "spelling: “recieve” → “receive”"
    );
    assert_eq!(verdict("Email us at help.", "E-mail us at help.").reason, "punctuation");
    assert_eq!(verdict("See the web site.", "See the website.").reason, "spacing");
    assert_eq!(
        verdict("2.1.5 Data we collect", "2.4 Data we collect").reason,
        "renumbered: 2.1.5 → 2.4"
    );
    assert_eq!(
        verdict("See section 4 below.", "See section 5 below.").class,
        Class::Editorial
    );
    assert_eq!(verdict("Visit our site.", "Visit our website.").class, Class::Editorial);
    assert_eq!(
        verdict(
            "The permissions listed in Sections D.4 — D.7 apply.",
            "The permissions listed in Sections D.4 — D.1 apply."
        )
        .reason,
        "reference renumbered: “d.7” → “d.1”"
    );
    // A version or an amount is not a label, whatever its shape.
    assert_eq!(
        verdict("We use TLS 1.2 at least.", "We use TLS 1.3 at least.").class,
        Class::Substantive
    );
    assert_eq!(
        verdict("The fee is Rs.500 per month.", "The fee is Rs.5000 per month.").class,
        Class::Substantive
    );
    assert_eq!(
        verdict("Our API v.2 is supported.", "Our API v.3 is supported.").class,
        Class::Substantive
    );
}

#[test]
fn the_last_updated_line_is_editorial_but_other_dates_are_not() {
    assert_eq!(
        verdict("Last updated: March 3, 2020", "Last Updated: May 5, 2021").reason,
        "date: “march 3 2020” → “may 5 2021”"
    );
    assert_eq!(class("© 2019 Acme Inc.", "© 2020 Acme Inc."), Class::Editorial);
    // A preposition that came or went with the date is part of it (The Register, 2022).
    assert_eq!(
        class("Last updated at: February 9, 2020", "Last updated: 21st July 2022"),
        Class::Editorial
    );
    assert_eq!(
        class(
            "These terms take effect on 1 March 2020 for all users of our apps and sites in Europe and elsewhere.",
            "These terms take effect on 1 April 2020 for all users of our apps and sites in Europe and elsewhere."
        ),
        Class::Substantive
    );
}

#[test]
fn renames_declared_by_the_hub_are_editorial() {
    let rules = ChangeRules::new(&ChangesConfig {
        renames: vec![("Facebook".into(), "Meta Platforms".into())],
        ..ChangesConfig::default()
    });
    let v = verdict_with("Facebook shares data.", "Meta Platforms shares data.", &rules);
    assert_eq!(v, Verdict::new(Class::Editorial, "rename: Facebook → Meta Platforms"));
    assert_eq!(
        class("Facebook shares data.", "Meta Platforms shares data."),
        Class::Substantive,
        "undeclared"
    );
    let v = verdict_with("Facebook shares data.", "Meta Platforms sells data.", &rules);
    assert_eq!(v.class, Class::Substantive, "a rename does not hide another change");
}

#[test]
fn hub_words_extend_the_rules() {
    let rules = ChangeRules::new(&ChangesConfig {
        editorial: vec!["advertisers".into()],
        substantive: vec!["also".into(), "kindly".into()],
        ..ChangesConfig::default()
    });
    let (old, new) = (
        "We share data with partners.",
        "We share data with partners and advertisers.",
    );
    assert_eq!(class(old, new), Class::Substantive);
    assert_eq!(verdict_with(old, new, &rules).class, Class::Editorial);
    assert_eq!(class("Contact us.", "Kindly contact us."), Class::Editorial);
    assert_eq!(
        verdict_with("Contact us.", "Kindly contact us.", &rules).class,
        Class::Substantive
    );
    assert_eq!(class("We share data.", "We also share data."), Class::Editorial);
    assert_eq!(
        verdict_with("We share data.", "We also share data.", &rules).class,
        Class::Substantive
    );
}

#[test]
fn a_version_summary_says_how_many_of_the_clauses_added_are_of_its_class() {
    let mut history = anchor_policy(vec![
        parse("# Policy\n\nWe keep logs for 30 days.\n"),
        parse("# Policy\n\nWe keep logs for 30 days.\n\n## More\n\nWe sell your e-mail address to advertisers.\n"),
    ]);
    classify_history(&mut history, &ChangeRules::default());
    let classes = &history.versions[1].classes;
    assert_eq!(classes.class, Some(Class::Substantive), "{classes:?}");
    assert_eq!(classes.summary(3).unwrap(), "1 of 2 clauses added");
}

#[test]
fn versions_take_their_weightiest_change_and_count_each_class() {
    let mut history = anchor_policy(vec![
        parse("# Policy\n\nWe keep logs for 30 days.\n\nContact the team.\n\n## Cookies\n"),
        parse("# Policy\n\nWe keep logs for 30 days.\n\nContact the team.\n\n### Cookies\n"),
        parse("# Policy\n\nWe keep logs for 90 days.\n\nContact our team.\n\n### Cookies\n\nWe sell nothing.\n"),
        parse("# Policy\n\nContact our team.\n\nWe keep logs for 90 days.\n\n### Cookies\n\nWe sell nothing.\n"),
    ]);
    classify_history(&mut history, &ChangeRules::default());
    assert_eq!(history.versions[0].classes.class, None);
    let restyled = &history.versions[1].classes;
    assert_eq!(restyled.class, Some(Class::Formatting));
    assert_eq!(
        restyled.counts,
        ClassCounts {
            formatting: 1,
            editorial: 0,
            substantive: 0
        }
    );
    let edited = &history.versions[2].classes;
    assert_eq!(edited.class, Some(Class::Substantive));
    assert_eq!(
        edited.counts,
        ClassCounts {
            formatting: 0,
            editorial: 1,
            substantive: 2
        }
    );
    assert_eq!(edited.summary(3).unwrap(), "“30 days” → “90 days”; 1 clause added");
    assert_eq!(edited.of_new(1).unwrap().class, Class::Substantive);
    let moved = &history.versions[3].classes;
    assert_eq!(moved.class, Some(Class::Formatting), "{moved:?}");
    assert_eq!(moved.summary(3).unwrap(), "moved");
}

#[test]
fn text_that_moved_to_another_clause_is_not_new_text() {
    let mut history = anchor_policy(vec![
        parse("# P\n\nWe collect your name and address when you register an account.\n\nWe keep them for as long as the law requires.\n"),
        parse("# P\n\nWe collect your name and address when you register an account. We keep them for as long as the law requires.\n"),
    ]);
    classify_history(&mut history, &ChangeRules::default());
    let classes = &history.versions[1].classes;
    let removed = classes
        .clauses
        .iter()
        .find(|c| c.new.is_none())
        .expect("a removed clause");
    assert_eq!(removed.verdict.class, Class::Editorial, "{classes:?}");
    assert_eq!(removed.verdict.reason, "text moved: its words are in this version");
}

#[test]
fn items_glued_into_one_moved_even_where_the_diff_spans_their_ends() {
    // Donkey Republic, 2022: the rights list glued into one item. The word diff keeps "Right
    // to" of the second item and inserts runs that cross from one old item into the next.
    let items = "- Right to information (Article 15 of the GDPR)\n- Right to rectification of data (Article 16 of the GDPR)\n- Right to erasure of data (Article 17 of the GDPR)\n- Right to data portability (Article 20 of the GDPR)\n";
    let glued = "- Right to information (Article 15 of the GDPR) Right to rectification of data (Article 16 of the GDPR) Right to erasure of data (Article 17 of the GDPR) Right to data portability (Article 20 of the GDPR)\n";
    let mut history = anchor_policy(vec![
        parse(&format!("# Your rights\n\nYou have the following rights:\n\n{items}")),
        parse(&format!("# Your rights\n\nYou have the following rights:\n\n{glued}")),
    ]);
    classify_history(&mut history, &ChangeRules::default());
    let classes = &history.versions[1].classes;
    assert_eq!(classes.class, Some(Class::Editorial), "{classes:?}");
    let merged = classes
        .clauses
        .iter()
        .find(|c| c.old.is_some() && c.new.is_some() && c.verdict.class != Class::Formatting);
    let merged = merged.expect("the item that took the others' text");
    assert_eq!(merged.verdict.reason, "text moved: split or merged with another clause");
}

fn added(markdown: &str) -> Verdict {
    classify_change(None, Some(&block(markdown)), Change::Added, &ChangeRules::default()).expect("a change")
}

#[test]
fn an_introduction_or_a_bare_address_commits_to_nothing_itself() {
    assert_eq!(
        added("For users who live in the European Union:").class,
        Class::Editorial
    );
    assert!(added("**If you live in Canada, the controller is:**")
        .reason
        .starts_with("introduction added"));
    assert_eq!(
        added("](https://acme.example/calculator/)[").reason,
        "web address without words added"
    );
    // A colon does not hide a commitment, nor a number.
    assert_eq!(
        added("We may share your location with partners:").class,
        Class::Substantive
    );
    assert_eq!(added("We keep your data for 30 days:").class, Class::Substantive);
    assert_eq!(
        added("We share your location with https://partner.example").class,
        Class::Substantive
    );
}

#[test]
fn a_signed_date_line_is_editorial_even_with_a_version_number() {
    let v = verdict("Acme Republic, October 2022", "Acme Republic, May 2023, version 1.1");
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    // A date in a sentence that commits to something is not a signature.
    assert_eq!(
        class(
            "We keep the logs we collect until October 2022.",
            "We keep the logs we collect until May 2023."
        ),
        Class::Substantive
    );
}

#[test]
fn an_inline_heading_that_names_the_clause_is_editorial() {
    let v = verdict(
        "We use contact information to answer you.",
        "Contact Information. We use contact information to answer you.",
    );
    assert_eq!(
        v,
        Verdict::new(Class::Editorial, "inline heading added: “contact information”")
    );
    // New words before a clause are not a heading.
    assert_eq!(
        class(
            "We use contact information to answer you.",
            "Advertisers and we use contact information to answer you."
        ),
        Class::Substantive
    );
}

#[test]
fn a_word_and_its_noun_are_one_word() {
    assert_eq!(
        class(
            "If you use our Acme Pay services, we share data.",
            "If you use our Acme payment services, we share data."
        ),
        Class::Editorial
    );
}

#[test]
fn an_address_hidden_by_the_web_page_is_the_same_route() {
    let old = "Write to us at privacy@acme.example.";
    let hidden = "Write to us at [[email protected]](https://acme.example/cdn-cgi/l/email-protection).";
    assert_eq!(
        verdict(old, hidden),
        Verdict::new(Class::Editorial, "e-mail address hidden by the web page")
    );
    assert_eq!(verdict(hidden, old).class, Class::Editorial);
    // The words of a link to write, for the hidden address; and the capture's remains of a
    // hidden address, glued to what followed it.
    assert_eq!(
        verdict(
            "Questions? [Contact us](mailto:privacy@acme.example).",
            hidden.replace("Write to us at", "Questions?").as_str()
        ),
        Verdict::new(Class::Editorial, "e-mail address hidden by the web page")
    );
    assert_eq!(
        verdict(
            "Send an email to [[email protected]](https://acme.example/cdn-cgi/l/email-protection)",
            "Send an email to [[email protected]](https://acme.example/cdn-cgi/l/email-protection)eyrepublic.com"
        ),
        Verdict::new(Class::Editorial, "e-mail address hidden by the web page, both times")
    );
    // Another address is another route.
    assert_eq!(class(old, "Write to us at dpo@acme.example."), Class::Substantive);
}

#[test]
fn synonyms_of_personalisation_are_one_thing() {
    let v = verdict(
        "Search personalisation: choose whether your activity is used.",
        "Search customisation: choose whether your activity is used.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    // Either one is a purpose: a list item that adds it says something new (Binance, Gmail).
    for item in [
        "- Providing customised features and services.",
        "- Customising our services to provide you with a better user experience",
    ] {
        assert_eq!(added(item).class, Class::Substantive, "{item}");
    }
}

#[test]
fn a_pointer_to_another_section_commits_to_nothing() {
    let v = verdict(
        "Read more in section D. How We Share Information.",
        "Read more in section D. How We Provide Information to Others.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.starts_with("pointer reworded"), "{v:?}");
    // The same edit in a clause that says something is substantive.
    assert_eq!(
        class(
            "We share information with partners.",
            "We provide information to partners."
        ),
        Class::Substantive
    );
}

#[test]
fn the_organisations_name_for_how_it_names_itself_is_editorial() {
    let v = verdict(
        "Where you used your account to log in to Zoosk.",
        "Where you used your account to log in to our platform.",
    );
    assert_eq!(
        v,
        Verdict::new(
            Class::Editorial,
            "the organisation's own name: “zoosk” → “our platform”"
        )
    );
    // Another organisation's name for ours, or ours for a recipient, is not.
    assert_eq!(
        class(
            "Where you used your account to log in to Zoosk.",
            "Where you used your account to log in to our partners."
        ),
        Class::Substantive
    );
}

#[test]
fn a_topics_name_added_to_a_clause_about_it_restates_it() {
    let v = verdict(
        "To opt out of marketing emails, click the unsubscribe link.",
        "Right to opt out of marketing emails, click the unsubscribe link.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.starts_with("restates"), "{v:?}");
    // A right in a clause that named none is a new right.
    assert_eq!(
        class(
            "We send marketing emails.",
            "We send marketing emails. You have a right to them."
        ),
        Class::Substantive
    );
}

#[test]
fn what_a_safeguard_protects_against_is_not_a_topic() {
    let v = verdict(
        "We use security controls to protect your information.",
        "We use security controls to protect your information from unauthorized access or destruction.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert_eq!(
        class(
            "We use security controls to protect your information.",
            "We use security controls to protect your information and give you access to it."
        ),
        Class::Substantive
    );
}

#[test]
fn a_signpost_added_says_nothing_itself() {
    let v = added("We set out in this section the legal bases we rely on and the categories of data we process.");
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.starts_with("signpost added"), "{v:?}");
    assert_eq!(
        added("In this section we explain that we will sell your data.").class,
        Class::Substantive
    );
}

fn moved_verdicts(old: &str, new: &str) -> VersionClasses {
    let mut history = anchor_policy(vec![parse(old), parse(new)]);
    classify_history(&mut history, &ChangeRules::default());
    history.versions[1].classes.clone()
}

#[test]
fn a_clause_split_or_merged_is_text_that_moved() {
    // A list item split in two: the item kept its first sentence, the second is a new item.
    let split = moved_verdicts(
        "# P\n\n- We send the newsletter to subscribers who asked for it. You can unsubscribe from the newsletter at any time by email.\n- We keep logs.\n",
        "# P\n\n- We send the newsletter to subscribers who asked for it.\n- You can unsubscribe from the newsletter at any time by email.\n- We keep logs.\n",
    );
    assert_eq!(split.class, Some(Class::Editorial), "{split:?}");
    assert!(split
        .clauses
        .iter()
        .any(|c| c.verdict.reason == "text moved: split or merged with another clause"));
    // A sentence cut and found nowhere else is a commitment gone.
    let cut = moved_verdicts(
        "# P\n\n- We send the newsletter to subscribers who asked for it. You can unsubscribe from the newsletter at any time by email.\n- We keep logs.\n",
        "# P\n\n- We send the newsletter to subscribers who asked for it.\n- We keep logs.\n",
    );
    assert_eq!(cut.class, Some(Class::Substantive), "{cut:?}");
}

#[test]
fn an_address_line_split_off_is_text_that_moved() {
    let split = moved_verdicts(
        "# P\n\nWrite to Acme Inc, Attn: California Privacy, 1 Main Street, Springfield.\n\nWe keep logs.\n",
        "# P\n\nWrite to Acme Inc, 1 Main Street, Springfield.\n\nAttn: California Privacy\n\nWe keep logs.\n",
    );
    let added = split.clauses.iter().find(|c| c.old.is_none()).expect("an added clause");
    assert_eq!(
        added.verdict.reason, "text moved: its words are in the previous version",
        "{split:?}"
    );
    // Three words found nowhere else are new.
    let new = moved_verdicts(
        "# P\n\nWrite to Acme Inc, 1 Main Street, Springfield.\n\nWe keep logs.\n",
        "# P\n\nWrite to Acme Inc, 1 Main Street, Springfield.\n\nAttn: California Privacy\n\nWe keep logs.\n",
    );
    let added = new.clauses.iter().find(|c| c.old.is_none()).expect("an added clause");
    assert_eq!(added.verdict.class, Class::Substantive, "{new:?}");
}

#[test]
fn a_heading_whose_subjects_grow_or_shrink_is_substantive_another_rewording_is_editorial() {
    // A heading that names more or fewer things: the section's scope changed.
    let v = verdict("## 3.9 Website Statistics", "## 3.9 Website & Mobile App Statistics");
    assert_eq!(
        v,
        Verdict::new(Class::Substantive, "heading's subjects grew: adds “mobile app”")
    );
    let v = verdict(
        "## Third-Party Websites, Apps and Back-Ups",
        "## Third-Party Websites, Apps, Services and Back-Ups",
    );
    assert_eq!(v.class, Class::Substantive, "{v:?}");
    assert_eq!(
        class("## Do Not Track", "## Do Not Track/Global Privacy Control"),
        Class::Substantive
    );
    let v = verdict("## Cookies and Web Beacons", "## Cookies");
    assert_eq!(v.class, Class::Substantive, "{v:?}");
    assert!(v.reason.starts_with("heading's subjects shrank"), "{v:?}");
    // Words added or replaced without a new subject name the same section.
    for (old, new) in [
        ("## Cookies", "## Our Use of Cookies"),
        ("## International Privacy Practices", "## International Data Transfer"),
        ("## Regulatory and Licence", "## Regulatory & Licence"),
        (
            "## Why we collect this information",
            "## How GitHub uses your information",
        ),
    ] {
        let v = verdict(old, new);
        assert_eq!(v.class, Class::Editorial, "{old} → {new}: {v:?}");
    }
    // A number or a modal word in a heading is still substantive.
    assert_eq!(class("## Kept for 30 days", "## Kept for 90 days"), Class::Substantive);
}

fn removed(markdown: &str) -> Verdict {
    classify_change(Some(&block(markdown)), None, Change::Removed, &ChangeRules::default()).expect("a change")
}

#[test]
fn an_inline_heading_written_as_a_title_comes_and_goes_as_editorial() {
    let v = verdict(
        "Mobile Devices We collect information from your mobile device, including cookies.",
        "We collect information from your mobile device, including cookies.",
    );
    assert_eq!(
        v,
        Verdict::new(Class::Editorial, "inline heading removed: “mobile devices”")
    );
    let v = verdict(
        "If you receive email from us, we capture when you open it.",
        "Email Interconnectivity If you receive email from us, we capture when you open it.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    // Words that run into the sentence are not a title, whatever their first letter.
    assert_eq!(
        class(
            "We use contact information to answer you.",
            "Partners and we use contact information to answer you."
        ),
        Class::Substantive
    );
}

#[test]
fn a_heading_in_sentence_case_before_a_sentence_is_an_inline_heading_but_a_sentence_is_not() {
    let v = verdict(
        "7.5 Right to data portability. You can ask for your data in a machine-readable format.",
        "You can ask for your data in a machine-readable format.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.contains("inline heading removed"), "{v:?}");
    let v = verdict(
        "When you sign up, we ask for your name.",
        "First party profile information: When you sign up, we ask for your name.",
    );
    assert_eq!(v.reason, "inline heading added: “first party profile information”");
    // A short sentence says something: a subject, a verb "to be", a modal, a negation or a
    // number.
    for said in [
        "We sell data.",
        "Data is shared.",
        "Never shared.",
        "Kept 30 days.",
        "Data may leave.",
    ] {
        let new = format!("{said} You can ask for your data.");
        let v = verdict("You can ask for your data.", &new);
        assert_eq!(v.class, Class::Substantive, "{said}: {v:?}");
    }
    // Nor is a phrase that runs into the sentence a heading.
    assert_eq!(
        class(
            "You can ask for your data.",
            "Subject to local law you can ask for your data."
        ),
        Class::Substantive
    );
}

#[test]
fn a_heading_reworded_with_a_modal_verb_names_the_same_section_but_a_negation_does_not() {
    let heading = |old: &str, new: &str| verdict(&format!("## {old}"), &format!("## {new}"));
    let v = heading(
        "14. Can Children Use Our Services?",
        "Whether Children May Use Our Services",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.contains("heading reworded"), "{v:?}");
    let v = heading(
        "We Sell Your Personal Information",
        "We Do Not Sell Your Personal Information",
    );
    assert_eq!(v.class, Class::Substantive, "{v:?}");
}

#[test]
fn equivalent_names_read_with_the_word_beside_them() {
    let v = verdict("GitLab Privacy Policy", "GitLab Privacy Statement");
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.starts_with("same thing"), "{v:?}");
    assert_eq!(
        class(
            "Surveys. We may receive Personally Identifiable Information from a survey.",
            "Surveys. We may receive Personal Data from a survey."
        ),
        Class::Editorial
    );
    // The same replacement beside another word is another thing.
    assert_eq!(
        class("Read our cookie policy.", "Read our cookie statement of accounts."),
        Class::Substantive
    );
}

#[test]
fn a_version_stamp_is_editorial() {
    assert_eq!(removed("version 20180525").class, Class::Editorial);
    assert_eq!(added("Revision 3.2").class, Class::Editorial);
    assert_eq!(added("Version 2 of our terms applies to you").class, Class::Substantive);
}

#[test]
fn an_introduction_that_points_to_what_follows_may_have_a_modal_verb() {
    let v = added("We may disclose or make your personal information available to the following recipients:");
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert_eq!(
        added("We may share your location with partners:").class,
        Class::Substantive
    );
    assert_eq!(
        added("We will not share your data except with the following:").class,
        Class::Substantive
    );
}

#[test]
fn a_link_alone_to_another_page_is_a_pointer_not_a_provision() {
    // Menu items and pointers to other documents come, go and are renamed with the site.
    assert_eq!(
        added("- [Tax insights Navigate tax complexities with expert commentary](https://example.com/tax)"),
        Verdict::new(
            Class::Editorial,
            "link added: “tax insights navigate tax complexities with expert commentary”"
        )
    );
    assert_eq!(
        verdict(
            "- [Shop all legal books](https://example.com/legal)",
            "- [Legal books](https://example.com/legal)"
        ),
        Verdict::new(
            Class::Editorial,
            "link reworded: “shop all legal books” → “legal books”"
        )
    );
    // A link alone that kept its words without its link, as a menu's group label.
    assert_eq!(
        verdict("- [Shop all legal books](https://example.com/legal)", "- Legal books").class,
        Class::Editorial
    );
    // A link that gained a sentence, or a clause that became a link, is judged by its words.
    assert_eq!(
        verdict(
            "- [Cookie Policy](https://example.com/cookies)",
            "- [Cookie Policy](https://example.com/cookies): we sell your browsing history to advertisers and data brokers."
        )
        .class,
        Class::Substantive
    );
    // A clause with words besides its link is judged by them.
    assert_eq!(
        added("- Read [our partners' list](https://example.com/partners) before you share data.").class,
        Class::Substantive
    );
}

#[test]
fn a_link_to_write_ask_or_object_or_to_a_place_in_the_page_is_judged_by_its_words() {
    for link in [
        "[privacy@example.com](mailto:privacy@example.com)",
        "[Privacy contact form](https://example.com/contact/privacy)",
        "[Do Not Sell My Personal Information](https://example.com/ccpa)",
        "[Precise location data from your device](https://example.com/privacy#footnote-location)",
    ] {
        let v = added(&format!("- {link}"));
        assert_eq!(v.class, Class::Substantive, "{link}: {}", v.reason);
    }
    // Judged by their words, not as a pointer, whatever those words then say.
    for link in [
        "[Your Privacy Choices](https://example.com/choices)",
        "[E-mail us](https://example.com/write)",
        "[Cookie settings](https://example.com/consent)",
    ] {
        let v = added(&format!("- {link}"));
        assert!(!v.reason.starts_with("link "), "{link}: {}", v.reason);
    }
}

#[test]
fn a_clause_that_repeats_one_the_policy_has_says_nothing_new() {
    let policy = "# P\n\n## Sharing your information\n\nWe share your data with our payment processors.\n\n## Payments\n\nWe take payments by card.\n";
    let repeats = "repeats a clause the previous version had, word for word";
    // A table of contents appears, naming the headings word for word.
    let contents = moved_verdicts(
        policy,
        &policy.replace("# P\n\n", "# P\n\n- Sharing your information\n- Payments\n\n"),
    );
    let added: Vec<&ClauseVerdict> = contents.clauses.iter().filter(|c| c.old.is_none()).collect();
    assert_eq!(added.len(), 2, "{contents:?}");
    assert!(added.iter().all(|c| c.verdict.reason == repeats), "{contents:?}");
    // A paragraph repeated in its own section.
    let copied = moved_verdicts(
        policy,
        &policy.replace("by card.\n", "by card.\n\nWe take payments by card.\n"),
    );
    let added = copied
        .clauses
        .iter()
        .find(|c| c.old.is_none())
        .expect("an added clause");
    assert_eq!(added.verdict.reason, repeats, "{copied:?}");
    // The copy removed again while its twin remains.
    let went = moved_verdicts(
        &policy.replace("by card.\n", "by card.\n\nWe take payments by card.\n"),
        policy,
    );
    let removed = went.clauses.iter().find(|c| c.new.is_none()).expect("a removed clause");
    assert_eq!(removed.verdict.reason, "the same clause remains, word for word");
}

#[test]
fn a_long_table_of_contents_repeats_its_headings_however_many() {
    // Past the first few texts, the other version's texts are looked up in a table: the same
    // verdicts.
    let titles: Vec<String> = (1..=12).map(|k| format!("Section number {k} of this policy")).collect();
    let mut policy = String::from("# P\n\n");
    for t in &titles {
        policy.push_str(&format!(
            "## {t}\n\nWe keep your account data while your account is open.\n\n"
        ));
    }
    let contents: String = titles.iter().map(|t| format!("- {t}\n")).collect();
    let verdicts = moved_verdicts(&policy, &policy.replace("# P\n\n", &format!("# P\n\n{contents}\n")));
    let added: Vec<&ClauseVerdict> = verdicts.clauses.iter().filter(|c| c.old.is_none()).collect();
    assert_eq!(added.len(), 12, "{verdicts:?}");
    assert!(
        added
            .iter()
            .all(|c| c.verdict.reason == "repeats a clause the previous version had, word for word"),
        "{verdicts:?}"
    );
}

#[test]
fn the_same_words_under_another_heading_say_something_new() {
    // A commitment copied for other readers, a category of data now shared with advertisers.
    for (old, new) in [
        (
            "# P\n\n## California\n\nWe do not sell your personal information.\n",
            "# P\n\n## California\n\nWe do not sell your personal information.\n\n## Nevada residents\n\nWe do not sell your personal information.\n",
        ),
        (
            "# P\n\n## What we collect\n\n- Your precise location and your contacts.\n",
            "# P\n\n## What we collect\n\n- Your precise location and your contacts.\n\n## What we share with advertisers\n\n- Your precise location and your contacts.\n",
        ),
    ] {
        let came = moved_verdicts(old, new);
        let added = came
            .clauses
            .iter()
            .find(|c| c.old.is_none() && c.verdict.reason.contains("added ("))
            .unwrap_or_else(|| panic!("the copy judged by its words: {came:?}"));
        assert_eq!(added.verdict.class, Class::Substantive);
    }
    // A purpose removed from a list is removed, though a heading has its words.
    let went = moved_verdicts(
        "# P\n\nWe share your data with partners for:\n\n- Targeted advertising\n- Fraud prevention and security checks\n\n## Targeted advertising\n\nWe show ads.\n",
        "# P\n\nWe share your data with partners for:\n\n- Fraud prevention and security checks\n\n## Targeted advertising\n\nWe show ads.\n",
    );
    let removed = went.clauses.iter().find(|c| c.new.is_none()).expect("a removed clause");
    assert_eq!(removed.verdict.class, Class::Substantive, "{went:?}");
}

#[test]
fn a_contact_route_or_a_number_repeated_under_another_heading_says_something_new() {
    let came = moved_verdicts(
        "# P\n\n## EU representative\n\nEmail: eu-representative@example.com\n",
        "# P\n\n## EU representative\n\nEmail: eu-representative@example.com\n\n## UK representative\n\nEmail: eu-representative@example.com\n",
    );
    let added = came
        .clauses
        .iter()
        .find(|c| c.old.is_none() && c.verdict.reason.contains("paragraph"))
        .expect("the e-mail line added");
    assert_eq!(added.verdict.class, Class::Substantive, "{came:?}");
}

#[test]
fn a_title_line_of_a_few_words_comes_and_goes_as_editorial() {
    // Page furniture, a cookie category's label, a title written as a paragraph: they name,
    // they do not say.
    for line in [
        "Continue with email",
        "Our commitments to privacy and security",
        "**Strictly Necessary Cookies**",
        "Was this page helpful?",
    ] {
        let v = added(line);
        assert_eq!(v.class, Class::Editorial, "{line}: {v:?}");
        assert!(v.reason.starts_with("title line added"), "{line}: {v:?}");
        assert_eq!(removed(line).class, Class::Editorial, "{line}");
    }
    // Not a sentence, a clause of a list, a numbered category, a number, a modal verb, a
    // negation, a contact route or a longer line.
    for line in [
        "We collect your email address.",
        "- Email address",
        "(d) Gender",
        "Retention: 30 days",
        "Attn: California Privacy",
        "We may sell your data",
        "We do not sell your data",
        "Write to privacy@example.com",
        "[Privacy contact form](https://example.com/contact)",
        "Location data shared with our advertising partners",
        "– Phone number",
        "• Precise geolocation",
        "We sell your personal information",
        "Data is shared with law enforcement",
        "You have the right to object",
    ] {
        let v = added(line);
        assert_eq!(v.class, Class::Substantive, "{line}: {v:?}");
    }
}

#[test]
fn a_heading_become_a_title_line_names_the_same_thing_but_two_short_lines_are_read_by_their_words() {
    // A heading written as a paragraph: its modal verb asks, it commits to nothing.
    let v = verdict("## What information can we collect?", "What Information We Collect");
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.contains("heading reworded"), "{v:?}");
    // The cells of a flattened table are not titles to each other.
    assert_eq!(class("Consent", "Legitimate interest"), Class::Substantive);
    assert_eq!(class("Ireland", "United States"), Class::Substantive);
    // A sentence keeps its modal verb's weight.
    assert_eq!(
        class("We can collect your location.", "We collect your location."),
        Class::Substantive
    );
}

#[test]
fn a_number_written_out_beside_its_digits_or_in_words_is_the_same_number() {
    for (old, new) in [
        (
            "We do not collect data from children under the age of sixteen (16).",
            "We do not collect data from children under the age of 16.",
        ),
        ("We keep logs for 30 (thirty) days.", "We keep logs for thirty days."),
        ("We keep logs for thirty days.", "We keep logs for 30 days."),
    ] {
        let v = verdict(old, new);
        assert_eq!(v.class, Class::Editorial, "{old} → {new}: {v:?}");
    }
    assert_eq!(
        verdict(
            "children under the age of sixteen (16).",
            "children under the age of 16."
        )
        .reason,
        "number said once: removes “sixteen”"
    );
    for (old, new) in [
        // Digits beside the same digits are two numbers (a phone number's groups).
        ("Call +44 20 20 7946 0000.", "Call +44 20 7946 0000."),
        // A unit of time is part of the amount.
        ("We keep logs for 12 (twelve) months.", "We keep logs for 12 weeks."),
        ("We keep logs for 30 days.", "We keep logs for 30 months."),
        ("We keep logs for 6 months, or 6 years.", "We keep logs for 6 years."),
        (
            "children under the age of sixteen (16).",
            "children under the age of thirteen (13).",
        ),
        (
            "children under the age of sixteen (16).",
            "children under the age of 13.",
        ),
        ("We keep logs for thirty days.", "We keep logs for 90 days."),
        ("We keep logs for two years.", "We keep logs for one year."),
    ] {
        let v = verdict(old, new);
        assert_eq!(v.class, Class::Substantive, "{old} → {new}: {v:?}");
    }
}

#[test]
fn a_policy_written_without_spaces_is_not_reworded_about_nothing() {
    // Chinese: each sentence is one "word" the rules cannot read, so an edit or a new clause
    // may say anything; it says something.
    let v = moved_verdicts(
        "# 隐私政策\n\n我们收集您的姓名和电子邮件地址。\n\n我们不出售您的个人数据。\n\n我们将数据保留两年。\n",
        "# 隐私政策\n\n我们收集您的姓名和电子邮件地址。\n\n我们出售您的个人数据。\n\n我们将数据保留两年。\n\n我们与广告合作伙伴共享您的位置。\n",
    );
    assert_eq!(v.clauses.len(), 2, "an edit and a new clause: {v:?}");
    assert!(v.clauses.iter().all(|c| c.verdict.class == Class::Substantive), "{v:?}");
    assert!(v
        .clauses
        .iter()
        .all(|c| c.verdict.reason.ends_with("(in a script the rules do not read)")));
    // A line of Japanese in an English policy (a link to a translation) is read as the policy is.
    let v = moved_verdicts(
        "# Privacy\n\nWe collect your name.\n\nWe keep data for two years.\n",
        "# Privacy\n\nWe collect your name.\n\nWe keep data for two years.\n\n日本語のプライバシー・ステートメントはこちらからご覧いただけます。\n",
    );
    assert_eq!(v.class, Some(Class::Editorial), "{v:?}");
}

#[test]
fn inline_list_markers_that_come_or_go_renumber_a_list() {
    let v = verdict(
        "You can name an agent by either: (1) having your agent send us a letter; or (2) a power of attorney.",
        "You can name an agent by either having your agent send us a letter; or a power of attorney.",
    );
    assert_eq!(v.class, Class::Editorial, "{v:?}");
    assert!(v.reason.contains("list markers"), "{v:?}");
    // A number that is not a marker is still an amount.
    assert_eq!(
        class("We keep it (1) for 30 days.", "We keep it for 60 days."),
        Class::Substantive
    );
    assert_eq!(
        class("Children (under 13) may not", "Children (under 16) may not"),
        Class::Substantive
    );
    assert_eq!(
        class("Children under (13) may not", "Children under (16) may not"),
        Class::Substantive
    );
}

#[test]
fn saying_a_list_goes_on_is_no_negation() {
    // GitHub's Marketplace Developer Agreement, 2024: "including without limitation, the
    // restrictions" → "including the restrictions".
    let old = "Use is conditioned on this Agreement, including without limitation, the restrictions set forth below.";
    let new = "Use is conditioned on this Agreement, including the restrictions set forth below.";
    assert_eq!(
        verdict(old, new),
        Verdict::new(Class::Editorial, "says the list goes on: removes “without limitation”")
    );
    let listed = "We share data, including your name and email.";
    let open = "We share data, including but not limited to your name and email.";
    assert_eq!(class(listed, open), Class::Editorial);
    // A negation that is not the idiom still counts, and so does what the list names.
    assert_eq!(
        class(
            "We may collect data without your consent.",
            "We may collect data with your consent."
        ),
        Class::Substantive
    );
    assert_eq!(
        class(
            listed,
            "We share data, including but not limited to your name, email and location."
        ),
        Class::Substantive
    );
}
