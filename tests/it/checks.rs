//! `folio check`: each finding code, found in a fixture made to have it, at its place.

use crate::support::{fixture, TestProject};

/// Fixtures under tests/fixtures/checks/<code>.md: (code, severity, line it points at).
const MODEL_FINDINGS: &[(&str, &str, usize)] = &[
    ("review-overdue", "error", 8),
    ("review-due-soon", "warning", 8),
    ("review-dates-order", "error", 7),
    ("reviewed-in-future", "error", 7),
    ("missing-metadata", "error", 9),
    ("heading-title-level", "error", 14),
    ("heading-skip", "error", 18),
    ("empty-section", "warning", 14),
    ("image-alt-filename", "error", 18),
    ("link-malformed", "error", 16),
    ("colon-without-list", "error", 16),
    ("doubled-word", "warning", 16),
    ("reading-age-high", "warning", 14),
    ("long-sentence", "note", 14),
    ("long-word", "note", 16),
    ("term-unexplained", "warning", 16),
];

fn project_for(code: &str) -> TestProject {
    let p = TestProject::new();
    p.publication("fixture", &fixture(&format!("checks/{code}.md")));
    p.file("content/fixture/blood-test.png", &crate::safety::test_png());
    p
}

fn findings(out: &crate::support::Output) -> Vec<serde_json::Value> {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON findings ({e}):\n{}\n{}", out.stdout, out.stderr))
}

#[test]
fn every_model_finding_is_found_at_its_line_with_its_severity_and_exit_status() {
    for &(code, severity, line) in MODEL_FINDINGS {
        let out = project_for(code).folio(&["check", "--format", "json", "fixture"]);
        let all = findings(&out);
        let found = all.iter().find(|f| f["code"] == code);
        let found = found.unwrap_or_else(|| panic!("{code} not found; got {all:#?}"));
        assert_eq!(found["severity"], severity, "{code}");
        assert_eq!(found["location"]["line"], line, "{code}: {found:#}");
        assert!(
            found["location"]["file"]
                .as_str()
                .unwrap()
                .ends_with("content/fixture/fixture.md"),
            "{code}"
        );
        assert!(
            !found["hint"].as_str().unwrap().is_empty(),
            "{code} has a hint"
        );
        let expected_exit = if severity == "error" { 1 } else { 0 };
        assert_eq!(
            out.code, expected_exit,
            "{code}: exit status\n{}",
            out.stderr
        );
        // Nothing else in the fixture is an error unless this code is one.
        if severity != "error" {
            assert!(
                all.iter().all(|f| f["severity"] != "error"),
                "{code}: unexpected error {all:#?}"
            );
        }
    }
}

#[test]
fn strict_mode_fails_on_warnings() {
    let p = project_for("doubled-word");
    assert_eq!(p.folio(&["check", "fixture"]).code, 0);
    assert_eq!(p.folio(&["check", "--strict", "fixture"]).code, 1);
}

#[test]
fn build_refuses_a_publication_with_errors_and_names_them() {
    let p = project_for("review-overdue");
    let out = p.folio(&["build"]);
    out.fails_with(&[
        "review-overdue",
        "the next review was due on 1 March 2025",
        "no edition was built",
        "--allow-overdue",
    ]);
    assert!(!p.root().join("dist/fixture").exists(), "nothing written");
}

#[test]
fn allow_overdue_builds_and_marks_every_page_of_every_edition() {
    let p = project_for("review-overdue");
    p.folio(&["build", "--allow-overdue"]).succeeds();
    let session = p.session();
    let publication = session.load(&crate::support::key("fixture")).unwrap();
    let stamp = folio::contract::Stamp {
        overdue_since: Some(publication.meta.next_review),
        ..Default::default()
    };
    for edition in ["booklet", "large-print", "leaflet-a5", "leaflet-dl"] {
        let made = crate::support::make_with(&session, &publication, edition, &stamp).unwrap();
        for (i, page) in folio::inspect::page_texts(made.doc().unwrap())
            .iter()
            .enumerate()
        {
            let flat = page.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("Review overdue since 1 March 2025"),
                "{edition} page {}: {flat}",
                i + 1
            );
        }
    }
}

#[test]
fn the_shipped_publication_has_no_errors_and_no_warnings() {
    let p = TestProject::shipped();
    let out = p.folio(&["check", "--strict", "--format", "json"]);
    let all = findings(&out);
    let bad: Vec<_> = all.iter().filter(|f| f["severity"] != "note").collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn human_output_has_no_colour_when_piped_and_shows_code_place_and_hint() {
    let out = project_for("doubled-word").folio(&["check", "fixture"]);
    assert!(!out.stdout.contains('\u{1b}'), "no ANSI escapes when piped");
    assert!(
        out.stdout
            .contains("warning[doubled-word]: the word `the` is written twice in a row"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("content/fixture/fixture.md:16:1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("hint: delete one of them"),
        "{}",
        out.stdout
    );
    let coloured = project_for("doubled-word").folio(&["--color", "always", "check", "fixture"]);
    assert!(coloured.stdout.contains('\u{1b}'), "colours when asked");
}

#[test]
fn readability_prints_a_table_per_section() {
    let out = TestProject::shipped().folio(&["check", "--readability"]);
    assert!(
        out.stdout.contains("Readability of all-treatment"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Whole publication"));
    assert!(out.stdout.contains("How ALL is treated"));
}

/// Adds an edition using the faulty fixture layout to the project.
fn faulty_edition(p: &TestProject, fault: &str, extra: &str) {
    let layout =
        std::fs::read(crate::support::repo().join("tests/fixtures/checks/layouts/faulty.typ"))
            .unwrap();
    p.file("layouts/faulty/faulty.typ", &layout);
    let mut yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    let at = yaml.find("\n\n# Settings for").unwrap_or(yaml.len());
    yaml.insert_str(at, &format!("\n  faulty:\n    layout: layouts/faulty/faulty.typ\n{extra}    options:\n      fault: {fault}\n"));
    std::fs::write(p.root().join("folio.yaml"), yaml).unwrap();
    p.publication("fixture", &crate::support::doc("Text.\n"));
}

#[test]
fn layout_findings_name_the_edition_and_page() {
    let cases = [
        (
            "small",
            "    classes: [large-print]\n    min-text-pt: 16\n",
            "text-below-minimum",
            Some(1),
        ),
        (
            "italic",
            "    classes: [large-print]\n    italic: false\n",
            "italic-not-allowed",
            Some(1),
        ),
        ("stranded", "", "heading-at-page-foot", Some(1)),
        ("pages", "    page-multiple: 4\n", "page-multiple", None),
    ];
    for (fault, extra, code, page) in cases {
        let p = TestProject::new();
        faulty_edition(&p, fault, extra);
        let out = p.folio(&["check", "--format", "json", "--edition", "faulty"]);
        let all = findings(&out);
        let found = all
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("{code}: {all:#?}"));
        assert_eq!(found["edition"], "faulty");
        assert_eq!(found["page"].as_u64().map(|p| p as usize), page, "{code}");
        let others: Vec<_> = all
            .iter()
            .filter(|f| f["code"] != code && f["severity"] != "note")
            .collect();
        assert!(others.is_empty(), "{code}: only this finding: {others:#?}");
    }
}

#[test]
fn leaflet_overflow_is_a_finding_of_check_too() {
    let p = TestProject::new();
    let long: String = (0..120)
        .map(|i| format!("Sentence {i} makes this leaflet far too long to fit. "))
        .collect();
    p.publication(
        "fixture",
        &crate::support::doc(&format!("## Long\n\n{long}\n")),
    );
    let out = p.folio(&["check", "--format", "json", "--edition", "leaflet-a5"]);
    let all = findings(&out);
    assert!(
        all.iter()
            .any(|f| f["code"] == "text-overflows-pages" && f["edition"] == "leaflet-a5"),
        "{all:#?}"
    );
    assert_eq!(out.code, 1);
}
