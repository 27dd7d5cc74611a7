//! Alignment of two versions' blocks.

use super::*;
use crate::document::parse;

fn aligned(old: &str, new: &str) -> Alignment {
    let (old, new) = (parse(old).blocks, parse(new).blocks);
    align(&profiles(&old, None), &profiles(&new, None))
}

fn previous(old: &str, new: &str) -> Vec<Option<usize>> {
    aligned(old, new).previous
}

#[test]
fn unchanged_blocks_align_in_order() {
    let old = "# A\n\nOne two three.\n\nFour five six.\n";
    let new = "# A\n\nNew first paragraph here.\n\nOne two three.\n\nFour five six.\n";
    assert_eq!(previous(old, new), vec![Some(0), None, Some(1), Some(2)]);
}

#[test]
fn edited_blocks_align_by_similarity() {
    let old = "We keep your data for two years after you leave.\n\nUnrelated sentence about cookies.\n";
    let new = "We keep your personal data for one year after you leave.\n\nUnrelated sentence about cookies.\n";
    assert_eq!(previous(old, new), vec![Some(0), Some(1)]);
}

#[test]
fn moved_blocks_align_across_sections() {
    let old = "# A\n\nAlpha clause text here.\n\n# B\n\nBeta clause text here.\n";
    let new = "# A\n\n# B\n\nBeta clause text here.\n\nAlpha clause text here.\n";
    let m = previous(old, new);
    assert_eq!(m, vec![Some(0), Some(2), Some(3), Some(1)]);
    assert_eq!(in_place(&m), vec![true, true, true, false]);
}

#[test]
fn rewritten_blocks_do_not_align() {
    let old = "We sell nothing to anyone.\n";
    let new = "Completely different words appear in this clause now.\n";
    assert_eq!(previous(old, new), vec![None]);
}

#[test]
fn a_rewrite_of_thousands_of_blocks_stays_fast_and_still_aligns_edits() {
    let old: String = (0..5000)
        .map(|i| format!("Clause number {i} says alpha beta gamma {i}.\n\n"))
        .collect();
    let new: String = (0..5000)
        .map(|i| format!("Clause number {i} says alpha beta delta {i}.\n\n"))
        .collect();
    let m = previous(&old, &new);
    assert!(
        m.iter().enumerate().all(|(n, o)| *o == Some(n)),
        "edits lost their clause"
    );
}

#[test]
fn a_part_among_thousands_of_alike_clauses_is_traced_to_one_near_its_place() {
    // 3,000 edited clauses, each with a word of its own and five that all share: a part split
    // off the last one, made of the shared words, is within every one of them. It is traced
    // to one near its place, among those nearest it (not by reading all 3,000 for each part).
    let word = |i: usize| -> String { format!("k{}", lettered(i)) };
    let old: String = (0..3000)
        .map(|i| format!("Clause {} alpha beta gamma delta epsilon zeta.\n\n", word(i)))
        .collect();
    let mut new: String = (0..3000)
        .map(|i| format!("Clause {} alpha beta gamma delta epsilon eta.\n\n", word(i)))
        .collect();
    new.push_str("Alpha beta gamma delta epsilon.\n");
    let alignment = aligned(&old, &new);
    assert!(alignment.previous[..3000]
        .iter()
        .enumerate()
        .all(|(n, o)| *o == Some(n)));
    assert_eq!(alignment.splits.len(), 1, "{:?}", alignment.splits);
    let (part, whole) = alignment.splits[0];
    assert_eq!(part, 3000);
    assert!(
        whole + candidates::MAX_POSTINGS >= 3000,
        "traced to clause {whole}, far from its place"
    );
}

/// `i` written in letters (`a`, `b`, …, `ba`, …): a word of its own, not a number.
fn lettered(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[test]
fn markup_is_not_identity() {
    assert_eq!(previous("# Security\n", "Security\n"), vec![Some(0)]);
    assert_eq!(previous("**Security**\n", "## Security\n"), vec![Some(0)]);
    assert_eq!(previous("- Your Rights.\n", "YOUR RIGHTS\n"), vec![Some(0)]);
    let old = "Intro text of the policy.\n\nWe share data with partners.\n\nClosing words.\n";
    let new = "Intro text of the policy.\n\n| We share data with partners. |\n|---|\n\nClosing words.\n";
    assert_eq!(previous(old, new), vec![Some(0), Some(1), Some(2)]);
}

#[test]
fn an_edited_clause_alone_between_kept_neighbours_keeps_its_place() {
    let old = "We collect your name.\n\n- Email address\n\nWe collect your device.\n";
    let new = "We collect your name.\n\n- Email address, phone or postal code\n\nWe collect your device.\n";
    assert_eq!(previous(old, new), vec![Some(0), Some(1), Some(2)]);
    // The same short edit elsewhere is not enough.
    let moved = "- Email address, phone or postal code\n\nWe collect your name.\n\nWe collect your device.\n";
    assert_eq!(previous(old, moved), vec![None, Some(0), Some(2)]);
}

#[test]
fn short_clauses_need_all_their_words_unless_in_place() {
    // "Terms of the Service" and "Privacy of the Service" share only "service".
    let old = "## Terms of the Service\n\nFirst clause about terms here.\n\n## Other\n\nSecond clause.\n";
    let new = "## Other\n\nSecond clause.\n\n## Privacy of the Service\n\nFirst clause about privacy here.\n";
    let m = previous(old, new);
    assert_eq!(m[3], None, "{m:?}");
    // Stop words alone never make two clauses similar.
    assert_eq!(previous("And of the.\n", "Of the and the.\n"), vec![None]);
}

#[test]
fn a_clause_that_moved_far_in_a_document_that_doubled_aligns() {
    let filler = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| format!("Filler clause {i} about topic{i} and subject{i}.\n\n"))
            .collect()
    };
    let old = format!(
        "{}We keep server logs for thirty days then delete them.\n\n{}",
        filler(0, 300),
        filler(300, 600)
    );
    let new = format!(
        "{}{}We keep server logs for ninety days then delete them.\n\n",
        filler(0, 600),
        filler(600, 1200)
    );
    let m = previous(&old, &new);
    assert_eq!(m[1200], Some(300));
}

#[test]
fn a_split_keeps_the_id_on_the_larger_part_and_records_the_other() {
    let old = "Intro.\n\nWe collect your name, email address, postal address and phone number when you register, and we use them to verify your identity and to prevent fraud on the platform.\n\nEnd.\n";
    let new = "Intro.\n\nWe collect your name, email address, postal address and phone number when you register.\n\nWe use them to verify your identity and to prevent fraud.\n\nEnd.\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), Some(1), None, Some(2)]);
    assert_eq!(a.splits, vec![(2, 1)]);
}

#[test]
fn a_part_held_by_two_wholes_is_split_from_the_one_at_its_place() {
    // The same address in two sections, both edited: the line split out of the second comes
    // from there.
    let address =
        "Example Games, Inc. Suite 200, 15 Antioch Street, Los Angeles, California 90272 Attn: Privacy Officer";
    let old = format!(
        "# Who we are\n\n{address}. Telephone 555 0100 for every question.\n\n# Other sections\n\nWe keep your data.\n\nWe share little.\n\n# California\n\n{address}. E-mail privacy at example dot com.\n\n# End\n"
    );
    let new = format!(
        "# Who we are\n\n{address}. Call us on 555 0100 with any question.\n\n# Other sections\n\nWe keep your data.\n\nWe share little.\n\n# California\n\nExample Games, Inc. Suite 200, 15 Antioch Street, Los Angeles, California 90272. E-mail privacy at example dot com.\n\nAttn: Privacy Officer\n\n# End\n"
    );
    let a = aligned(&old, &new);
    assert_eq!(a.previous[1], Some(1), "{a:?}");
    assert_eq!(a.previous[6], Some(6), "{a:?}");
    assert_eq!(a.splits, vec![(7, 6)], "{a:?}");
}

#[test]
fn short_items_folded_into_their_neighbour_are_traced_as_merged_into_it() {
    let old = "Other services:\n\n- Information specific to other services\n- TechValidate\n- Wufoo\n- GetFeedback Digital\n- Audience (Rewards and Contribute programs)\n\n# Next\n\n- Wufoo\n";
    let new = "Other services:\n\n- Information specific to other services TechValidate Wufoo GetFeedback Digital Audience (Rewards and Contribute programs)\n\n# Next\n\n- Wufoo\n";
    let a = aligned(old, new);
    // The longest item keeps the id; the short ones before it went into it too.
    assert_eq!(a.previous, vec![Some(0), Some(5), Some(6), Some(7)], "{a:?}");
    assert_eq!(a.merges, vec![(1, 1), (2, 1), (3, 1), (4, 1)], "{a:?}");
    // A short block with a word the whole lacks is not part of it, nor one beyond it.
    let new = "Other services:\n\n- Information specific to other services TechValidate GetFeedback Digital Audience (Rewards and Contribute programs)\n\n# Next\n";
    let a = aligned(old, new);
    assert_eq!(a.merges, vec![(1, 1), (4, 1)], "{a:?}");
}

#[test]
fn a_new_title_is_no_part_of_a_clause_that_only_holds_its_words() {
    let old = "# Contact\n\nPlease contact us with any question about the Example Privacy Statement or our practices.\n\n# End\n";
    let new = "# Example Privacy Statement\n\n# Contact\n\nPlease write to us with any question about the Example Privacy Statement or our practices.\n\n# End\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![None, Some(0), Some(1), Some(2)], "{a:?}");
    assert_eq!(a.splits, vec![], "{a:?}");
    // A title the clause opened with is split off it.
    let old = "# Contact\n\nExample Privacy Statement contacts. Please contact us with any question about our practices and your data.\n\n# End\n";
    let new = "# Contact\n\n## Example Privacy Statement contacts\n\nPlease contact us with any question about our practices and your data.\n\n# End\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), None, Some(1), Some(2)], "{a:?}");
    assert_eq!(a.splits, vec![(1, 1)], "{a:?}");
}

#[test]
fn a_block_flattened_into_one_paragraph_takes_its_heading_along() {
    let old = "# Company\n\nExample Admin ApS, registered office\n\nMain street 4, 1717 Copenhagen, Denmark\n\n### VAT ID DK 12345\n\nTelephone 89 88 72\n\n# End\n";
    let new = "# Company\n\nExample Admin ApS, registered office Main street 4, 1717 Copenhagen, Denmark VAT ID DK 12345 Telephone 89 88 72\n\n# End\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), Some(2), Some(5)], "{a:?}");
    assert_eq!(a.merges, vec![(1, 1), (3, 1), (4, 1)], "{a:?}");
}

#[test]
fn a_merge_records_the_part_whose_id_ends() {
    let old = "Intro.\n\nWe collect your name, email address and phone number when you register.\n\nWe use them to verify your identity and to prevent fraud.\n\nEnd.\n";
    let new = "Intro.\n\nWe collect your name, email address and phone number when you register, and we use them to verify your identity and to prevent fraud.\n\nEnd.\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), Some(1), Some(3)]);
    assert_eq!(a.merges, vec![(2, 1)]);
}

#[test]
fn a_run_of_two_edited_clauses_between_kept_neighbours_keeps_its_ids() {
    // The first pair shares three words of eleven and four (about 32% by weight).
    let old = "# Who we are\n\nIf you live in the European Union, the company that is responsible for your information under this privacy policy, the data controller, is the following:\n\nPrivacy Officer Example Services Limited, Dublin, Ireland\n\n# Where this policy applies\n";
    let new = "# Who we are\n\nFor users who live in the European Union:\n\nExample Services Limited, an Irish company, Dublin\n\n# Where this policy applies\n";
    assert_eq!(previous(old, new), vec![Some(0), Some(1), Some(2), Some(3)]);
}

#[test]
fn a_title_that_gained_a_description_keeps_its_id_wherever_it_went() {
    let old = "- Audit Suite\n- Ready to Advise\n- Ready to Review\n- View all\n";
    let new = "- Guided Assurance Complete audit engagements efficiently.\n- Ready to Review Scale capacity with tools that automate return preparation.\n- Tax insights for professionals\n- Ready to Advise Turn client data into actionable tax strategies with tools that find opportunities.\n";
    let m = previous(old, new);
    assert_eq!(m[3], Some(1), "{m:?}");
    assert_eq!(m[1], Some(2), "{m:?}");
}

#[test]
fn of_two_partners_the_one_that_opens_with_the_same_words_keeps_the_id() {
    // The new item opens as the second old item and ends as the first, whose ending has more
    // rare words: the opening says which provision it is.
    let old = "## Right to object\n\n1. You have the right, for reasons arising from your particular situation, to object to processing based on legitimate interests; we shall no longer process your personal data unless we can demonstrate compelling legitimate grounds which override your interests, rights and freedoms.\n2. Where we process your personal data for direct advertising purposes, you will have the right to object to processing for such advertising.\n\n## Contact\n";
    let new = "## Right to object\n\n1. Where we process your personal data for direct advertising purposes, you will have the right to object; we shall no longer process your personal data unless we can demonstrate compelling legitimate grounds which override your interests.\n\n## Contact\n";
    assert_eq!(previous(old, new), vec![Some(0), Some(2), Some(3)]);
}

#[test]
fn of_items_glued_into_one_the_longest_keeps_the_id() {
    let old = "Data we collect:\n\n- Location and route of the vehicle\n- Duration of the use of the vehicle\n- Vehicle locks and unlocks\n\nEnd.\n";
    let new = "Data we collect:\n\n- Location and route of the vehicle Duration of the use of the vehicle Vehicle locks and unlocks\n\nEnd.\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), Some(2), Some(4)]);
    assert_eq!(a.merges, vec![(1, 1), (3, 1)]);
}

#[test]
fn an_item_become_a_lead_and_sub_items_keeps_its_id_on_the_lead() {
    let old = "Why we use data:\n\n1. To communicate with you. This includes: sending you messages about the services to confirm your subscription; delivering marketing communications about offers and promotions; responding to your questions and requests.\n2. For advertising.\n";
    let new = "Why we use data:\n\n**1. To communicate with you**. This includes:\n\n- Sending you messages about the services to confirm your subscription.\n- Delivering marketing communications about offers and promotions.\n- Responding to your questions and requests.\n\n**2. For advertising.**\n";
    let a = aligned(old, new);
    assert_eq!(a.previous[1], Some(1), "{a:?}");
    assert_eq!(a.splits.iter().filter(|&&(_, o)| o == 1).count(), 3, "{a:?}");
}

#[test]
fn an_inline_heading_split_off_leaves_the_id_with_the_text_after_it() {
    let old = "Intro.\n\n**3.9 Website Statistics.** Like most websites, we gather statistical and analytical information about visitors to our website, including cookies and click trails, to understand where visitors come from.\n\nEnd.\n";
    let new = "Intro.\n\n### 3.9 Website Statistics\n\nLike most websites, we gather statistical and analytical information about visitors to our website, including cookies and click trails, to understand where visitors come from.\n\nEnd.\n";
    let a = aligned(old, new);
    assert_eq!(a.previous, vec![Some(0), None, Some(1), Some(2)], "{a:?}");
}

#[test]
fn of_equally_similar_partners_the_one_in_place_keeps_the_id() {
    // The same edit in two places of a document that shrank: each stays where it was.
    let block = |purpose: &str| {
        format!("To {purpose}.\n\nLegal basis: the processing is necessary for the performance of the contract.\n\nLegal basis: the processing is necessary to comply with the law.\n\n")
    };
    let merged = |purpose: &str| {
        format!("To {purpose}.\n\nLegal basis: the processing is necessary for the performance of the contract. Legal basis: the processing is necessary to comply with the law.\n\n")
    };
    let filler: String = (0..6).map(|i| format!("Clause {i} about topic{i}.\n\n")).collect();
    let old = format!(
        "{}{filler}{}",
        block("calculate your energy use"),
        block("give you access to your account")
    );
    let new = format!(
        "{}{filler}{}",
        merged("calculate your energy use"),
        merged("give you access to your account")
    );
    let m = previous(&old, &new);
    assert_eq!(m[1], Some(1), "{m:?}");
    assert_eq!(m[9], Some(10), "{m:?}");
}

#[test]
fn a_link_that_leads_where_it_led_is_the_same_item_whatever_its_words() {
    // A shop menu renamed its items, moved one and dropped a trailing slash: each item still
    // leads where it did. Two items that lead to one place say nothing of which is which.
    let old = "- [Tax books by brand](https://shop.example/brand)\n\
               - [Shop all tax books](https://shop.example/all/)\n\
               - [Tax best sellers](https://shop.example/best)\n\
               - [Gift cards](https://shop.example/cards)\n";
    let new = "- [Shop all](https://shop.example/all)\n\
               - [Brand](https://shop.example/brand)\n\
               - [Best sellers](https://shop.example/best)\n\
               - [Vouchers](https://shop.example/cards)\n\
               - [Cards](https://shop.example/cards)\n";
    assert_eq!(previous(old, new), vec![Some(1), Some(0), Some(2), None, None]);
    // Nor do two old items that led to one place say which the new one continues.
    let old = "- [Vouchers](https://shop.example/cards)\n- [Cards](https://shop.example/cards)\n- [Brand](https://shop.example/brand)\n";
    let new = "- [Gift certificates](https://shop.example/cards)\n- [Brand](https://shop.example/brand)\n";
    assert_eq!(previous(old, new), vec![None, Some(2)]);
}

#[test]
fn a_link_gives_way_to_words_that_go_on_and_keeps_its_role() {
    // The item kept its words and gained more, and now leads elsewhere; another took over
    // its address: the words say which is which.
    let old = "- [Shop all tax and accounting books](https://shop.example/all/)\n- [Gift cards](https://shop.example/cards)\n";
    let new = "- [Shop all tax and accounting books and guides](https://shop.example/books)\n- [Clearance sale](https://shop.example/all)\n- [Gift cards](https://shop.example/cards)\n";
    assert_eq!(previous(old, new), vec![Some(0), None, Some(1)]);
    // A heading and a clause that lead to one place are not one block.
    let old = "## [Cookie notice](https://example.org/cookies)\n\nWe keep logs.\n";
    let new = "[Read more](https://example.org/cookies)\n\nWe keep logs.\n";
    assert_eq!(previous(old, new), vec![None, Some(1)]);
}

#[test]
fn a_table_of_contents_link_names_a_place_not_what_is_there() {
    // `#16` is the sixteenth section, whatever it is about, on this page or named in full.
    let old = "1. [Additional information on retention](#16)\n";
    let new = "1. [Banking notice for customers](#16)\n";
    assert_eq!(previous(old, new), vec![None]);
    let old = "1. [Additional information on retention](https://example.org/privacy#16)\n";
    let new = "1. [Banking notice for customers](https://example.org/privacy#16)\n";
    assert_eq!(previous(old, new), vec![None]);
    // A link inside a sentence is not the block's identity.
    let old = "Write to [our office](https://example.org/contact) about retention.\n";
    let new = "Ask [us](https://example.org/contact) about cookies and tracking today.\n";
    assert_eq!(previous(old, new), vec![None]);
}

#[test]
fn a_new_title_over_the_whole_policy_does_not_take_the_name_of_one_of_its_sections() {
    let old = "Effective date: March 8, 2021.\n\n## How do we share it?\n\nWith service providers who host our tools.\n\n\
        With authorities when the law requires it.\n\nWith advisers when a claim is brought.\n\nWith buyers of our business.\n\n\
        ## Changes\n\nWe may update this notice.\n";
    let new = "# Global notice for candidates\n\nEffective date: March 8, 2021.\n\n## Recipients\n\nWith service providers who host our tools.\n\n\
        With authorities when the law requires it.\n\nWith advisers when a claim is brought.\n\nWith buyers of our business.\n\n\
        ## Updates\n\nWe may update this notice.\n";
    let m = previous(old, new);
    assert_eq!(m[0], None, "the new title is a new block: {m:?}");
    assert_eq!(m[2], Some(1), "the section's heading continues the old one: {m:?}");
}

/// GitHub's Privacy Statement of 2020-11-16 and 2020-12-19, around its Do Not Track section:
/// the analytics paragraph was dropped, the DNT paragraph rewritten and its heading renamed.
/// ([`in_a_long_policy`] puts it where it was: after a hundred other clauses.)
const TRACKING_OLD: &str = "## Cookies

We provide more information about cookies on GitHub on our GitHub Subprocessors and Cookies page that describes the cookies we set, the needs we have for those cookies, and the expiration of such cookies. It also lists our third-party analytics providers and how you can control your cookie preference settings for such cookies.

#### Tracking and analytics

We use a number of third-party analytics and service providers to help us evaluate our Users' use of GitHub, compile statistical reports on activity, and improve our content and Website performance. We only use these third-party analytics providers on certain areas of our Website, and all of them have signed data protection agreements with us that limit the type of User Personal Information they can collect and the purpose for which they can process the information. In addition, we use our own internal analytics software to provide features and improve our content and performance.

Some browsers have incorporated \"Do Not Track\" (DNT) features that can send a signal to the websites you visit indicating you do not wish to be tracked. GitHub responds to browser DNT signals and follows the W3C standard for responding to DNT signals. If you have not enabled DNT on a browser that supports it, cookies on some parts of our Website will track your online browsing activity on other online services over time, though we do not permit third parties other than our analytics and service providers to track GitHub Users' activity over time on GitHub. You can read more about DNT in our Tracking on GitHub section of our GitHub Subprocessors and Cookies page.

### How GitHub secures your information

GitHub takes all measures reasonably necessary to protect User Personal Information from unauthorized access, alteration, or destruction.
";

const TRACKING_NEW: &str = "## Cookies

We provide more information about cookies on GitHub on our GitHub Subprocessors and Cookies page that describes the cookies we set, the needs we have for those cookies, and the expiration of such cookies.

#### DNT

\"Do Not Track\" (DNT) is a privacy preference you can set in your browser if you do not want online services to collect and share certain kinds of information about your online activity from third party tracking services. GitHub responds to browser DNT signals and follows the W3C standard for responding to DNT signals. If you would like to set your browser to signal that you would not like to be tracked, please check your browser's documentation for how to enable that signal. There are also good applications that block online tracking, such as Privacy Badger.

### How GitHub secures your information

GitHub takes all measures reasonably necessary to protect User Personal Information from unauthorized access, alteration, or destruction.
";

/// `section` after a hundred unchanged clauses, and the blocks it starts at.
fn in_a_long_policy(section: &str) -> (String, usize) {
    let before: String = (0..100)
        .map(|i| format!("Unchanged clause {i} of the policy.\n\n"))
        .collect();
    (before + section, 100)
}

#[test]
fn a_rewritten_clause_among_few_edited_blocks_weighs_its_words_against_the_whole_versions() {
    // Weighed against only the five blocks left to pair, the words the two DNT paragraphs
    // share (each in two or three of them) would count for less than the ones they do not.
    let ((old, at), (new, _)) = (in_a_long_policy(TRACKING_OLD), in_a_long_policy(TRACKING_NEW));
    let m = previous(&old, &new);
    assert_eq!(
        m[at + 3],
        Some(at + 4),
        "the rewritten DNT paragraph keeps its id: {:?}",
        &m[at..]
    );
}

#[test]
fn a_section_whose_only_surviving_clause_went_under_a_renamed_heading_keeps_the_heading() {
    // `Tracking and analytics` → `DNT`: no word in common, one clause to witness it, but it is
    // all that lives on of the old section and at least half of it.
    let ((old, at), (new, _)) = (in_a_long_policy(TRACKING_OLD), in_a_long_policy(TRACKING_NEW));
    let m = previous(&old, &new);
    assert_eq!(m[at + 2], Some(at + 2), "{:?}", &m[at..]);
}

#[test]
fn one_clause_that_survives_of_a_longer_section_does_not_rename_its_heading() {
    let old = "# Sharing between members\n\nHosts see the names of guests.\n\nGuests see the cancellation history.\n\nReviews are public to members.\n\n# Security\n\nWe encrypt data.\n";
    let new = "# Supplemental documents\n\nReviews are public to members.\n\n# Security\n\nWe encrypt data.\n";
    let m = previous(old, new);
    assert_eq!(m[1], Some(3), "the surviving clause keeps its id: {m:?}");
    assert_eq!(m[0], None, "one of three clauses is no witness of a rename: {m:?}");
}

#[test]
fn a_section_of_one_clause_that_moved_into_a_larger_one_does_not_rename_its_heading() {
    let old = "# Cookies\n\nWe set a cookie to keep you signed in.\n\n# Security\n\nWe encrypt data.\n";
    let new = "# Your choices\n\nYou can object to processing at any time.\n\nYou can download what you gave us.\n\nWe set a cookie to keep you signed in.\n\n# Security\n\nWe encrypt data.\n";
    let m = previous(old, new);
    assert_eq!(m[3], Some(1), "the clause keeps its id: {m:?}");
    assert_eq!(m[0], None, "one clause of three is no witness of a rename: {m:?}");
}

#[test]
fn a_section_replaced_in_place_by_one_with_a_like_title_is_another_section() {
    // All new clauses under a title that shares its common words: the rare ones differ.
    let old = "## Sharing\n\nWe share data with processors.\n\n## Your California Privacy Rights\n\nCalifornia residents may ask which categories of data we disclosed.\n\nWe answer within 45 days.\n\n## Changes\n\nWe may update this policy.\n";
    let new = "## Sharing\n\nWe share data with processors.\n\n## Your Nevada Privacy Rights\n\nNevada residents may opt out of the sale of covered information.\n\n## Changes\n\nWe may update this policy.\n";
    assert_eq!(previous(old, new)[2], None, "California is not Nevada");
    let old = "## About\n\nWe run a shop.\n\n## How We Use Personal Data\n\nWe process orders.\n\nWe send receipts.\n\n## Contact\n\nWrite to us.\n";
    let new = "## About\n\nWe run a shop.\n\n## How We Sell Personal Data\n\nWe sell aggregate statistics to advertisers.\n\n## Contact\n\nWrite to us.\n";
    assert_eq!(previous(old, new)[2], None, "use is not sell");
}

#[test]
fn one_surviving_clause_that_went_far_does_not_rename_its_heading() {
    let old = "# Privacy Policy\n\n## Information we collect\n\nWe collect your email address when you sign up.\n\n## Children\n\nOur service is not directed to children under 13.\n\nIf you believe a child has given us personal information, email privacy@example.com.\n\n## Security\n\nWe encrypt data at rest.\n\n## Changes\n\nWe may update this policy.\n";
    let new = "# Privacy Policy\n\n## Information we collect\n\nWe collect your email address when you sign up.\n\n## Security\n\nWe encrypt data at rest.\n\n## Changes\n\nWe may update this policy.\n\n## Contact\n\nIf you believe a child has given us personal information, email privacy@example.com.\n";
    let m = previous(old, new);
    assert_eq!(m[8], Some(5), "the clause keeps its id: {m:?}");
    assert_eq!(m[7], None, "Children is not Contact: {m:?}");
}

#[test]
fn a_one_clause_section_does_not_rename_a_section_it_makes_half_of() {
    let old = "# Cookies\n\nWe set a cookie to keep you signed in.\n\n# Security\n\nWe encrypt data.\n";
    let new = "# Your choices\n\nYou can object to processing at any time.\n\nWe set a cookie to keep you signed in.\n\n# Security\n\nWe encrypt data.\n";
    assert_eq!(previous(old, new)[0], None, "Cookies is not Your choices");
}

#[test]
fn a_section_that_went_far_under_a_title_in_other_words_is_a_new_section() {
    // Both clauses of `Creators` now open the document under `Types of data we collect`:
    // two witnesses, but a heading in other words, elsewhere, names another section.
    let old = "# Policy\n\n## Definitions\n\nWords have meanings.\n\n## Creators\n\nCreators make surveys and send them to people.\n\nCreators pay for plans and manage their teams.\n\n## Contact\n\nWrite to us.\n";
    let new = "# Policy\n\n## Types of data we collect\n\nCreators make surveys and send them to people.\n\nCreators pay for plans and manage their teams.\n\n## Definitions\n\nWords have meanings.\n\n## Contact\n\nWrite to us.\n";
    let m = previous(old, new);
    assert_eq!((m[2], m[3]), (Some(4), Some(5)), "the clauses keep their ids: {m:?}");
    assert_eq!(m[1], None, "Creators is not Types of data we collect: {m:?}");
    // In the old heading's place, the same two witnesses make a rename.
    let new = "# Policy\n\n## Definitions\n\nWords have meanings.\n\n## Who makes surveys\n\nCreators make surveys and send them to people.\n\nCreators pay for plans and manage their teams.\n\n## Contact\n\nWrite to us.\n";
    assert_eq!(previous(old, new)[3], Some(3), "Creators renamed in place");
}
