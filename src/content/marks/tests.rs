//! Edition marks: heading classes for sections, comment marks for runs of blocks.

use crate::content::model::inline_text;
use crate::content::test_support::{at, body, hints, problem, says, BODY_LINE};
use crate::content::visibility::{Node, Rule};
use crate::content::Block;

/// Each top-level block's text with the rules that apply to it.
fn rules_by_text(markdown: &str) -> Vec<(String, Vec<Rule>)> {
    body(markdown)
        .unwrap_or_else(|p| panic!("expected the body to parse, got: {p}"))
        .into_iter()
        .map(|Node { block, rules }| {
            let text = match &block {
                Block::Heading { content, .. } => inline_text(content),
                other => other.plain_text(),
            };
            (text, rules)
        })
        .collect()
}

fn only(names: &[&str]) -> Rule {
    Rule::Only(names.iter().map(|n| n.to_string()).collect())
}

fn not(names: &[&str]) -> Rule {
    Rule::Not(names.iter().map(|n| n.to_string()).collect())
}

fn owned(pairs: &[(&str, Vec<Rule>)]) -> Vec<(String, Vec<Rule>)> {
    pairs
        .iter()
        .map(|(t, r)| (t.to_string(), r.clone()))
        .collect()
}

#[test]
fn a_leaflet_class_puts_the_whole_section_only_in_leaflets() {
    let got = rules_by_text(
        "## At a glance {.leaflet}\n\nShort.\n\n### Detail\n\nMore.\n\n## Next\n\nFor all.\n",
    );
    assert_eq!(
        got,
        owned(&[
            ("At a glance", vec![only(&["leaflet"])]),
            ("Short.", vec![only(&["leaflet"])]),
            ("Detail", vec![only(&["leaflet"])]),
            ("More.", vec![only(&["leaflet"])]),
            ("Next", vec![]),
            ("For all.", vec![]),
        ])
    );
}

#[test]
fn a_not_leaflet_class_leaves_the_section_out_of_leaflets_only() {
    let nodes = body("## Teenagers {.not-leaflet}\n\nText.\n").unwrap();
    assert_eq!(nodes[1].rules, vec![not(&["leaflet"])]);
    let leaflet = vec!["leaflet".to_string()];
    assert!(!nodes[1].shown_in("leaflet-a5", &leaflet));
    assert!(nodes[1].shown_in("booklet", &["booklet".to_string()]));
}

#[test]
fn a_subsection_class_adds_to_its_section_class() {
    let got = rules_by_text("## A {.not-leaflet}\n\n### B {.booklet}\n\nText.\n\n### C\n\nMore.\n");
    assert_eq!(
        got[2],
        ("Text.".into(), vec![not(&["leaflet"]), only(&["booklet"])])
    );
    assert_eq!(got[4], ("More.".into(), vec![not(&["leaflet"])]));
}

#[test]
fn an_only_run_marks_the_blocks_up_to_its_end() {
    let got = rules_by_text(
        "Before.\n\n<!-- only: leaflet -->\n\nA summary.\n\n- A list\n\n<!-- end -->\n\nAfter.\n",
    );
    assert_eq!(
        got,
        owned(&[
            ("Before.", vec![]),
            ("A summary.", vec![only(&["leaflet"])]),
            ("A list\n", vec![only(&["leaflet"])]),
            ("After.", vec![]),
        ])
    );
}

#[test]
fn a_not_run_may_name_several_editions_and_combines_with_a_section() {
    let got = rules_by_text(
        "## Detail {.booklet}\n\n<!-- not: leaflet-a5, large-print -->\n\nText.\n\n<!-- end -->\n",
    );
    assert_eq!(
        got[1],
        (
            "Text.".into(),
            vec![only(&["booklet"]), not(&["leaflet-a5", "large-print"])]
        )
    );
}

#[test]
fn an_ordinary_comment_with_a_colon_is_only_a_note() {
    let got = rules_by_text("<!-- TODO: check the dose -->\n\nText.\n");
    assert_eq!(got, owned(&[("Text.", vec![])]));
}

#[test]
fn an_unknown_class_is_named_with_the_known_ones() {
    let p = problem("Intro.\n\n## For children {.not-leaflets}\n\nText.\n");
    says(&p, "no edition or class is called `leaflets`");
    hints(
        &p,
        "booklet, booklet-print, large-print, leaflet, leaflet-a5, leaflet-dl",
    );
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn an_unknown_name_in_a_comment_mark_is_named_with_the_known_ones() {
    let p = problem("<!-- only: leaflet, bookelt -->\n\nText.\n\n<!-- end -->\n");
    says(&p, "`bookelt`");
    hints(&p, "leaflet-dl");
    assert_eq!(at(&p), (BODY_LINE, 1));
}

#[test]
fn an_end_without_an_opening_mark_is_refused() {
    let p = problem("Text.\n\n<!-- end -->\n");
    says(&p, "without an opening mark");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn a_mark_inside_an_open_run_is_refused() {
    let p =
        problem("<!-- only: leaflet -->\n\nA.\n\n<!-- not: booklet -->\n\nB.\n\n<!-- end -->\n");
    says(&p, "starts inside another one");
    assert_eq!(at(&p), (BODY_LINE + 4, 1));
}

#[test]
fn a_run_never_closed_is_refused_at_its_start() {
    let p = problem("Intro.\n\n<!-- only: leaflet -->\n\nText.\n");
    says(&p, "never closed");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn a_mark_inside_a_list_is_refused() {
    let p = problem("- a\n\n  <!-- only: leaflet -->\n\n  b\n");
    says(&p, "must stand at the top level");
    assert_eq!(at(&p).0, BODY_LINE + 2);
}

#[test]
fn a_mark_naming_nothing_is_refused() {
    says(
        &problem("<!-- only: , -->\n\nText.\n\n<!-- end -->\n"),
        "names no edition",
    );
}

#[test]
fn a_heading_marked_with_a_class_and_its_negation_is_refused() {
    let p = problem("Intro.\n\n## Both {.leaflet .not-leaflet}\n\nText.\n");
    says(&p, "both `.leaflet` and `.not-leaflet`");
    hints(&p, "keep `.leaflet`");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn a_comment_mark_naming_a_class_and_its_negation_is_refused() {
    let p = problem("<!-- only: leaflet, not-leaflet -->\n\nText.\n\n<!-- end -->\n");
    says(&p, "both `leaflet` and `not-leaflet`");
    assert_eq!(at(&p), (BODY_LINE, 1));
}

#[test]
fn a_mark_inside_a_line_of_text_is_refused_not_dropped() {
    let p = problem("Take two <!-- only: leaflet --> tablets.\n");
    says(&p, "inside a line of text");
    assert_eq!(at(&p), (BODY_LINE, 10));
}

#[test]
fn a_mark_in_capitals_is_still_a_mark() {
    let got = rules_by_text("<!-- Only: leaflet -->\n\nA.\n\n<!-- END -->\n\nB.\n");
    assert_eq!(
        got,
        owned(&[("A.", vec![only(&["leaflet"])]), ("B.", vec![])])
    );
}

#[test]
fn a_mark_without_its_colon_is_refused_rather_than_ignored() {
    let p = problem("<!-- only leaflet -->\n\nA.\n");
    says(&p, "no colon");
    hints(&p, "<!-- only: leaflet -->");
    // An editor's note that merely starts with the word is left alone.
    assert!(body("<!-- not sure about this -->\n\nA.\n").is_ok());
}

#[test]
fn a_class_written_without_its_dot_is_refused() {
    let p = problem("## Glance {leaflet}\n\nA.\n");
    says(
        &p,
        "`leaflet` in a heading's braces is not an edition class",
    );
    hints(&p, "{.leaflet}");
    says(&problem("## Glance {lang=en}\n"), "`lang=…`");
}

#[test]
fn a_class_on_a_heading_inside_a_list_is_refused() {
    let p = problem("- ## Glance {.leaflet}\n");
    says(&p, "only on headings at the top level");
    assert_eq!(at(&p), (BODY_LINE, 3));
}
