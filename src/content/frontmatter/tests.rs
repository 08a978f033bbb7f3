//! Front matter: every key, the defaults, and each way it can be wrong.

use chrono::NaiveDate;

use crate::content::test_support::{at, file_problem, hints, says, Folder, FRONT};
use crate::content::Meta;

/// Every key, set; `extra` holds a nested map. Line numbers are the file's.
const FULL: &str = "---
title: Treatment for ALL
subtitle: Your treatment and your tests
language: cy-GB
product-code: FOL-ALL-001
version: \"1.10\"
date-reviewed: 2026-09-01
next-review: 2029-09-01
references:
  - \"Author. Title. Journal. 2025.\"
  - \"Second reference.\"
reviewers:
  - \"Dr A Parker, Consultant\"
editions: [booklet, leaflet]
extra:
  qr: https://example.org
  sizes: [1, 2]
---
Text.
";

fn meta(file: &str) -> Meta {
    Folder::new()
        .parse(file.as_bytes())
        .unwrap_or_else(|p| panic!("expected front matter to parse, got: {p}"))
        .0
}

/// [`FRONT`] with `from` replaced by `to` (which must change it).
fn changed(from: &str, to: &str) -> String {
    assert!(FRONT.contains(from), "FRONT lacks {from:?}");
    format!("{}Text.\n", FRONT.replacen(from, to, 1))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_key_is_read_into_the_metadata() {
    let m = meta(FULL);
    assert_eq!(m.title, "Treatment for ALL");
    assert_eq!(m.subtitle.as_deref(), Some("Your treatment and your tests"));
    assert_eq!(m.language, "cy-GB");
    assert_eq!((m.lang.as_str(), m.region.as_deref()), ("cy", Some("GB")));
    assert_eq!(m.product_code, "FOL-ALL-001");
    assert_eq!(m.version, "1.10");
    assert_eq!(m.date_reviewed, date(2026, 9, 1));
    assert_eq!(m.next_review, date(2029, 9, 1));
    assert_eq!(
        m.references,
        ["Author. Title. Journal. 2025.", "Second reference."]
    );
    assert_eq!(m.reviewers, ["Dr A Parker, Consultant"]);
    assert_eq!(
        m.editions,
        Some(vec!["booklet".to_string(), "leaflet".to_string()])
    );
    assert_eq!(
        m.extra,
        serde_json::json!({"qr": "https://example.org", "sizes": [1, 2]})
    );
    assert_eq!(m.key_lines["title"], 2);
    assert_eq!(m.key_lines["editions"], 14);
}

#[test]
fn optional_keys_have_their_defaults() {
    let m = meta(&format!("{FRONT}Text.\n"));
    assert_eq!(m.subtitle, None);
    assert_eq!(m.reviewers, Vec::<String>::new());
    assert_eq!(m.editions, None);
    assert_eq!(m.extra, serde_json::json!({}));
}

#[test]
fn a_bare_language_has_no_region_and_case_is_normalised() {
    let m = meta(&changed("language: en-GB", "language: EN_gb"));
    assert_eq!((m.lang.as_str(), m.region.as_deref()), ("en", Some("GB")));
    let m = meta(&changed("language: en-GB", "language: cy"));
    assert_eq!(m.region, None);
}

#[test]
fn an_unknown_key_is_refused_with_its_line_and_the_known_keys() {
    let p = file_problem(changed("version:", "colour: blue\nversion:").as_bytes());
    says(&p, "unknown field `colour`");
    hints(&p, "date-reviewed");
    assert_eq!(at(&p).0, 5);
}

#[test]
fn each_missing_required_key_is_named() {
    for key in [
        "title",
        "language",
        "product-code",
        "version",
        "date-reviewed",
        "next-review",
    ] {
        let line = FRONT.lines().find(|l| l.starts_with(key)).unwrap();
        let p = file_problem(changed(&format!("{line}\n"), "").as_bytes());
        says(&p, &format!("missing field `{key}`"));
        hints(&p, "add the missing key");
    }
}

#[test]
fn a_date_in_another_format_is_refused_at_its_line() {
    let p = file_problem(changed("next-review: 2029-06-01", "next-review: 1 June 2029").as_bytes());
    says(&p, "`next-review` is not a date");
    hints(&p, "YYYY-MM-DD");
    assert_eq!(at(&p), (7, 1));
    let p = file_problem(changed("2026-06-01", "2026-02-30").as_bytes());
    says(&p, "`date-reviewed` is not a date");
}

#[test]
fn a_language_that_is_not_a_tag_is_refused() {
    let p = file_problem(changed("language: en-GB", "language: English").as_bytes());
    says(&p, "not a BCP 47 language tag");
    assert_eq!(at(&p), (3, 1));
}

#[test]
fn an_empty_title_is_refused() {
    let p = file_problem(changed("title: A test leaflet", "title: \"  \"").as_bytes());
    says(&p, "`title` is empty");
    assert_eq!(at(&p), (2, 1));
}

#[test]
fn broken_yaml_is_refused_with_its_line() {
    let p = file_problem(changed("language: en-GB", "language: [en-GB").as_bytes());
    says(&p, "front matter");
    hints(&p, "YAML syntax");
    assert!(at(&p).0 >= 3, "{p}");
}

#[test]
fn a_file_without_front_matter_or_with_it_unclosed_is_refused() {
    says(
        &file_problem(b"# A title\n\nText.\n"),
        "does not start with YAML front matter",
    );
    says(
        &file_problem(b"---\ntitle: x\n\nText.\n"),
        "front matter is not closed",
    );
}

#[test]
fn an_edition_the_project_lacks_is_refused_with_the_known_ones() {
    let p = file_problem(changed("references:", "editions: [poster]\nreferences:").as_bytes());
    says(&p, "no edition is called `poster`");
    hints(&p, "large-print");
    assert_eq!(at(&p), (8, 1));
}

// Hostile or mistaken values (issue 9): each is refused at its key's line.

#[test]
fn a_version_yaml_reads_as_a_number_must_be_quoted() {
    let p = file_problem(changed("version: \"2.1\"", "version: 1.10").as_bytes());
    says(&p, "read as the number 1.1");
    hints(&p, "version: \"1.10\"");
    assert_eq!(at(&p), (5, 1));
    says(
        &file_problem(changed("version: \"2.1\"", "version: 2").as_bytes()),
        "read as the number 2",
    );
    says(
        &file_problem(changed("version: \"2.1\"", "version: true").as_bytes()),
        "`version` must be text",
    );
}

#[test]
fn dates_outside_1990_to_2200_are_refused() {
    for (written, line) in [
        ("date-reviewed: 0000-01-01", 6),
        ("date-reviewed: 1989-12-31", 6),
        ("next-review: 2201-01-01", 7),
    ] {
        let key = written.split(':').next().unwrap();
        let original = FRONT.lines().find(|l| l.starts_with(key)).unwrap();
        let p = file_problem(changed(original, written).as_bytes());
        says(
            &p,
            "outside the years folio accepts (1990-01-01 to 2200-12-31)",
        );
        assert_eq!(at(&p), (line, 1), "{written}");
    }
    let m = meta(
        &changed("date-reviewed: 2026-06-01", "date-reviewed: 1990-01-01")
            .replace("next-review: 2029-06-01", "next-review: 2200-12-31"),
    );
    assert_eq!(
        (m.date_reviewed, m.next_review),
        (date(1990, 1, 1), date(2200, 12, 31))
    );
}

#[test]
fn an_empty_editions_list_is_refused_because_it_would_build_nothing() {
    let p = file_problem(changed("references:", "editions: []\nreferences:").as_bytes());
    says(&p, "would build nothing");
    assert_eq!(at(&p), (8, 1));
}

#[test]
fn each_text_field_has_a_length_limit() {
    for (key, original, limit) in [
        ("title", "A test leaflet", 200),
        ("product-code", "TEST-001", 40),
        ("version", "\"2.1\"", 20),
    ] {
        let line = format!("{key}: {original}");
        let at_limit = format!("{key}: \"{}\"", "x".repeat(limit));
        meta(&changed(&line, &at_limit));
        let over = format!("{key}: \"{}\"", "x".repeat(limit + 1));
        let p = file_problem(changed(&line, &over).as_bytes());
        says(
            &p,
            &format!("is {} characters long; the limit is {limit}", limit + 1),
        );
        assert_eq!(at(&p).0, FRONT.lines().position(|l| l == line).unwrap() + 1);
    }
    let subtitle = format!("subtitle: \"{}\"\nlanguage:", "é".repeat(301));
    let p = file_problem(changed("language:", &subtitle).as_bytes());
    says(&p, "`subtitle` is 301 characters long; the limit is 300");
    assert_eq!(at(&p), (3, 1));
}

#[test]
fn references_and_reviewers_have_length_and_count_limits() {
    let long = format!("references:\n  - \"ok\"\n  - \"{}\"", "r".repeat(501));
    let p = file_problem(changed("references:\n  - \"A reference.\"", &long).as_bytes());
    says(
        &p,
        "entry 2 of `references` is 501 characters long; the limit is 500",
    );
    assert_eq!(at(&p), (8, 1));
    let many: String = (0..101)
        .map(|i| format!("\n  - \"Reviewer {i}\""))
        .collect();
    let p =
        file_problem(changed("references:", &format!("reviewers:{many}\nreferences:")).as_bytes());
    says(&p, "`reviewers` has 101 entries; the limit is 100");
    assert_eq!(at(&p), (8, 1));
}

#[test]
fn alias_bombs_and_deep_nesting_in_extra_are_refused_not_expanded() {
    let bomb: String = (0..9)
        .map(|i| {
            let items = if i == 0 {
                "x".to_string()
            } else {
                format!("*a{}", i - 1)
            };
            format!("  k{i}: &a{i} [{}]\n", vec![items; 9].join(", "))
        })
        .collect();
    let p = file_problem(changed("references:", &format!("extra:\n{bomb}references:")).as_bytes());
    says(&p, "front matter");
    let deep = format!(
        "extra: {{a: {}{}}}\nreferences:",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let p = file_problem(changed("references:", &deep).as_bytes());
    // Refused before parsing (issue 19: the parser's time grows far faster than the text).
    says(&p, "nest 5001 deep; the limit is 16");
    assert_eq!(at(&p).0, 8);
}
