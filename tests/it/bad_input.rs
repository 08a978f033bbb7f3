//! Each kind of bad input gives an error that names the file, the line and what to do.

use crate::support::{doc, TestProject};

const MD: &str = "content/leaflet/leaflet.md";

fn project_with(markdown: &str) -> TestProject {
    let p = TestProject::new();
    p.publication("leaflet", markdown);
    p
}

#[test]
fn malformed_yaml_names_its_line() {
    let md = "---\ntitle: A title\nlanguage: [en-GB\nproduct-code: X\n---\nBody.\n";
    project_with(md)
        .folio(&["build"])
        .fails_with(&[&format!("{MD}:3:"), "front matter", "hint:"]);
}

#[test]
fn an_unknown_front_matter_key_is_named_with_its_line() {
    let md = doc("Text.").replacen("version:", "colour: blue\nversion:", 1);
    let out = project_with(&md).folio(&["build"]);
    out.fails_with(&[
        "unknown field `colour`",
        &format!("{MD}:6:"),
        "check the spelling",
    ]);
}

#[test]
fn a_missing_required_field_is_named() {
    let md = doc("Text.").replace("product-code: TEST-001\n", "");
    project_with(&md)
        .folio(&["build"])
        .fails_with(&["missing field `product-code`", MD]);
}

#[test]
fn a_bad_date_names_the_key_line_and_the_format() {
    let md = doc("Text.").replace("next-review: 2029-06-01", "next-review: 1 June 2029");
    project_with(&md).folio(&["build"]).fails_with(&[
        "`next-review` is not a date",
        &format!("{MD}:8:"),
        "YYYY-MM-DD",
    ]);
}

#[test]
fn a_missing_image_names_its_line() {
    let md = doc("Some text.\n\n![A nurse taking blood](images/missing.png)\n");
    project_with(&md)
        .folio(&["build"])
        .fails_with(&["image `images/missing.png` not found", &format!("{MD}:16:")]);
}

#[test]
fn an_image_without_alt_text_is_refused_with_its_line() {
    let p = project_with(&doc("Some text.\n\n![](images/dot.png)\n"));
    p.file("content/leaflet/images/dot.png", &crate::safety::test_png());
    p.folio(&["build"])
        .fails_with(&["alt text", &format!("{MD}:16:"), "describe"]);
}

#[test]
fn an_unknown_edition_class_is_named_with_the_known_ones() {
    let p = project_with(&doc("## For children {.not-leaflets}\n\nText.\n"));
    p.folio(&["build"]).fails_with(&[
        "no edition or class is called `leaflets`",
        &format!("{MD}:14:"),
        "leaflet-a5",
    ]);
}

#[test]
fn an_unknown_edition_in_a_marker_is_named() {
    let p = project_with(&doc("<!-- only: bookelt -->\n\nText.\n\n<!-- end -->\n"));
    p.folio(&["build"])
        .fails_with(&["`bookelt`", &format!("{MD}:14:")]);
}

#[test]
fn an_unclosed_marker_is_an_error() {
    let p = project_with(&doc("<!-- only: leaflet -->\n\nText.\n"));
    p.folio(&["build"])
        .fails_with(&["never closed", "<!-- end -->"]);
}

#[test]
fn an_unknown_edition_on_the_command_line_is_a_usage_error() {
    let p = project_with(&doc("Text.\n"));
    let out = p.folio(&["build", "--edition", "poster"]);
    assert_eq!(out.code, 2);
    out.fails_with(&["no edition called `poster`", "booklet"]);
}

#[test]
fn a_typst_error_in_a_layout_is_shown_with_its_span() {
    let p = project_with(&doc("Text.\n"));
    let layout = p.root().join("layouts/leaflet-a5/leaflet-a5.typ");
    let mut text = std::fs::read_to_string(&layout).unwrap();
    text.push_str("\n#let broken = (1 + )\n");
    std::fs::write(&layout, text).unwrap();
    let out = p.folio(&["build", "--edition", "leaflet-a5"]);
    out.fails_with(&[
        "leaflet (leaflet-a5) could not be typeset",
        "layouts/leaflet-a5/leaflet-a5.typ",
        "error:",
    ]);
    assert!(
        out.stderr.contains("│") || out.stderr.contains("|"),
        "a source snippet is shown:\n{}",
        out.stderr
    );
}

#[test]
fn an_unknown_key_in_the_project_file_is_named_with_its_line() {
    let p = project_with(&doc("Text.\n"));
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    std::fs::write(
        p.root().join("folio.yaml"),
        yaml.replacen("    pages: 2\n", "    pages: 2\n    folds: 3\n", 1),
    )
    .unwrap();
    p.folio(&["build"])
        .fails_with(&["unknown field `folds`", "folio.yaml:"]);
}

#[test]
fn a_leaflet_that_does_not_fit_says_which_edition_and_by_how_much() {
    let long: String = (0..120)
        .map(|i| {
            format!("This is sentence number {i} of a section that is far too long for a leaflet. ")
        })
        .collect();
    let p = project_with(&doc(&format!("## A long section\n\n{long}\n")));
    let out = p.folio(&["build", "--edition", "leaflet-a5"]);
    out.fails_with(&[
        "leaflet: the leaflet-a5 edition does not fit on 2 pages",
        "too much",
        "{.not-leaflet}",
    ]);
}

#[test]
fn an_empty_heading_is_named_with_its_line() {
    let p = project_with(&doc("Intro.\n\n## \n\nText.\n"));
    p.folio(&["build"])
        .fails_with(&["a heading has no text", &format!("{MD}:16:")]);
}
