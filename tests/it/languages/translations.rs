//! Translations as sibling sources (`content/<id>/<id>.<lang>.md`): each builds in every
//! edition into `dist/<id>/<lang>/`, its text reaches the PDF as written, and it is never
//! silently stale: `translation-outdated` after a source edit or a new source version,
//! `translation-missing-section` for a section it lacks.

use super::{extracted_text, samples, LANGUAGES};
use crate::support::Pdf;

/// The paragraphs and list items of a Markdown body, as plain text (marks removed).
fn passages(markdown: &str) -> Vec<String> {
    let body = markdown.splitn(3, "---\n").nth(2).unwrap();
    body.lines()
        .map(|l| l.trim_start_matches(['>', '-', ' ']).replace("**", ""))
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("[!"))
        .collect()
}

/// `pdftotext`'s text without the direction marks it puts around right-to-left runs.
fn plain(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The letters and digits of `text`, in order: where right-to-left and left-to-right text
/// meet, `pdftotext` guesses where spaces and full stops go ("folio لكل لغة. إنه" comes out
/// as "folioلكل لغة .إنه"), so right-to-left text is compared by its letters.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn each_translation_builds_in_every_edition_into_its_own_folder_with_its_language() {
    let p = samples(true);
    p.folio(&["build"]).succeeds();
    let editions = [
        "booklet",
        "booklet-print",
        "booklet-imposed",
        "large-print",
        "leaflet-a5",
        "leaflet-dl",
    ];
    for edition in editions {
        let english = p.root().join(format!("dist/sample/sample-{edition}.pdf"));
        assert!(
            english.is_file(),
            "the English stays where it is: {edition}"
        );
    }
    for (lang, tag) in LANGUAGES {
        for edition in editions {
            let path = p
                .root()
                .join(format!("dist/sample/{lang}/sample-{lang}-{edition}.pdf"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let pdf = Pdf::parse(&bytes);
            if !edition.starts_with("booklet-") {
                assert_eq!(pdf.lang().as_deref(), Some(tag), "{lang} {edition}: /Lang");
            }
        }
    }
}

#[test]
fn the_text_a_reader_extracts_is_the_translation_as_written() {
    let p = samples(true);
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    for (lang, _) in LANGUAGES {
        let source =
            std::fs::read_to_string(p.root().join(format!("content/sample/sample.{lang}.md")))
                .unwrap();
        let pdf = p
            .root()
            .join(format!("dist/sample/{lang}/sample-{lang}-booklet.pdf"));
        let text = plain(&extracted_text(&pdf));
        let rtl = matches!(lang, "ar" | "ur");
        for passage in passages(&source) {
            let found = if rtl {
                letters(&text).contains(&letters(&passage))
            } else {
                text.contains(&plain(&passage))
            };
            assert!(
                found,
                "{lang}: {passage:?} not in the extracted text:\n{text}"
            );
        }
    }
}

/// The findings of `folio check --format json`, with its exit status.
fn check(p: &crate::support::TestProject, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let out = p.folio(&all);
    (out.code, serde_json::from_str(&out.stdout).unwrap())
}

/// The line of the first line starting with `prefix` in the file `rel` of the project.
fn line_of(p: &crate::support::TestProject, rel: &str, prefix: &str) -> usize {
    let text = std::fs::read_to_string(p.root().join(rel)).unwrap();
    text.lines().position(|l| l.starts_with(prefix)).unwrap() + 1
}

#[test]
fn an_unconfirmed_translation_is_a_warning_and_confirming_records_its_source() {
    let p = samples(false);
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 0, "a warning only: {findings:#?}");
    let unconfirmed = findings
        .iter()
        .filter(|f| f["code"] == "translation-outdated" && f["severity"] == "warning")
        .count();
    assert_eq!(unconfirmed, 4, "one per translation: {findings:#?}");
    let out = p.folio(&["translation", "confirm", "sample", "cy"]);
    out.succeeds();
    assert!(
        out.stderr.contains("sample.cy.confirmed.yaml"),
        "{}",
        out.stderr
    );
    let record =
        std::fs::read_to_string(p.root().join("content/sample/sample.cy.confirmed.yaml")).unwrap();
    for key in [
        "source-version: '1.0'",
        "_intro:",
        "before:",
        "on-the-day:",
        "support:",
    ] {
        assert!(record.contains(key), "{key} in {record}");
    }
}

#[test]
fn a_source_edit_marks_the_changed_section_of_every_translation() {
    let p = samples(true);
    assert_eq!(check(&p, &[]).0, 0);
    let path = p.root().join("content/sample/sample.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "A nurse will meet you there.",
            "A nurse or a doctor will meet you there.",
        ),
    )
    .unwrap();
    let (code, findings) = check(&p, &[]);
    assert_eq!(
        code, 0,
        "a changed section is a warning (fuzzy): {findings:#?}"
    );
    let outdated: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "translation-outdated")
        .collect();
    assert_eq!(outdated.len(), 4, "one per translation: {findings:#?}");
    for f in &outdated {
        assert_eq!(f["severity"], "warning");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("`On the day`"), "{message}");
        assert!(message.contains("changed"), "{message}");
        // Located at the translation's heading of that section.
        let file = f["location"]["file"].as_str().unwrap();
        let lang = file.rsplit('/').next().unwrap().split('.').nth(1).unwrap();
        let rel = format!("content/sample/sample.{lang}.md");
        let heading = std::fs::read_to_string(p.root().join(&rel))
            .unwrap()
            .lines()
            .position(|l| l.ends_with("{#on-the-day}"))
            .unwrap()
            + 1;
        assert_eq!(f["location"]["line"], heading, "{lang}");
    }
    // Confirming a translation again clears its finding, and only its finding.
    p.folio(&["translation", "confirm", "sample", "pl"])
        .succeeds();
    let (_, findings) = check(&p, &[]);
    let left: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "translation-outdated")
        .map(|f| f["publication"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, ["sample.ar", "sample.cy", "sample.ur"]);
}

#[test]
fn a_newer_source_version_stops_the_build_unless_allowed_and_then_says_so_on_page_one() {
    let p = samples(true);
    let path = p.root().join("content/sample/sample.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("version: \"1.0\"", "version: \"1.1\"")).unwrap();
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "translation-outdated" && f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 4, "{findings:#?}");
    let line = line_of(&p, "content/sample/sample.cy.md", "translation-of:");
    let cy = errors
        .iter()
        .find(|f| f["publication"] == "sample.cy")
        .unwrap();
    assert_eq!(cy["location"]["line"], line);
    assert!(cy["message"].as_str().unwrap().contains("version 1.0"));
    assert!(cy["message"].as_str().unwrap().contains("now version 1.1"));

    let refused = p.folio(&["build", "--edition", "booklet"]);
    refused.fails_with(&["translation-outdated", "sample.cy has check errors"]);
    assert!(
        !p.root().join("dist/sample/cy").exists(),
        "no translation written"
    );
    assert!(
        p.root().join("dist/sample/sample-booklet.pdf").is_file(),
        "the English builds"
    );

    let (code, _) = check(&p, &["--allow-outdated-translations"]);
    assert_eq!(code, 0, "warnings when allowed");
    p.folio(&[
        "build",
        "--edition",
        "booklet",
        "--edition",
        "leaflet-a5",
        "--allow-outdated-translations",
    ])
    .succeeds();
    let notes = [
        ("cy", "Gwnaed y cyfieithiad hwn o fersiwn gynharach (1.0)"),
        ("pl", "wcześniejszej wersji (1.0)"),
        ("ar", "أعدت هذه الترجمة من إصدار سابق"),
        ("ur", "یہ ترجمہ اصل معلومات کے پرانے ورژن"),
    ];
    for (lang, note) in notes {
        for edition in ["booklet", "leaflet-a5"] {
            let session = p.session();
            let publication = session
                .load(&crate::support::key(&format!("sample.{lang}")))
                .unwrap();
            let stamp = folio::contract::Stamp::default();
            let made = crate::support::make_with(&session, &publication, edition, &stamp).unwrap();
            let first = folio::inspect::page_texts(made.doc().unwrap())[0]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                letters(&first).contains(&letters(note)),
                "{lang} {edition} page 1: {first}"
            );
            assert!(first.contains("1.1"), "{lang} {edition} page 1: {first}");
        }
    }
    // The English has no such note, and a current translation neither.
    let english = plain(&extracted_text(
        &p.root().join("dist/sample/sample-booklet.pdf"),
    ));
    assert!(!english.contains("earlier version"), "{english}");
}

#[test]
fn a_section_missing_from_a_translation_is_reported_where_it_belongs() {
    let p = samples(true);
    let rel = "content/sample/sample.pl.md";
    let text = std::fs::read_to_string(p.root().join(rel)).unwrap();
    let at = text.find("## W dniu wizyty").unwrap();
    let end = text.find("## Po wizycie").unwrap();
    let without = format!("{}{}", &text[..at], &text[end..]);
    p.file(rel, without.as_bytes());
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    let missing: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "translation-missing-section")
        .collect();
    assert_eq!(missing.len(), 1, "{findings:#?}");
    let f = missing[0];
    assert_eq!(f["publication"], "sample.pl");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("`On the day` (#on-the-day)"), "{message}");
    assert!(f["hint"].as_str().unwrap().contains("{#on-the-day}"));
    // Where the section should be: before the section that follows it in the source.
    assert_eq!(f["location"]["line"], line_of(&p, rel, "## Po wizycie"));
    // Confirming it would hide the gap.
    p.folio(&["translation", "confirm", "sample", "pl"])
        .fails_with(&["lacks the source's section `On the day`"]);
}

#[test]
fn a_second_build_with_nothing_changed_skips_the_translations_too() {
    let p = samples(true);
    p.folio(&["build", "--quiet"]).succeeds();
    let out = p.folio(&["build"]);
    out.succeeds();
    // The source and each of its translations.
    let expected = format!("{} publication(s) unchanged", 1 + LANGUAGES.len());
    assert!(out.stderr.contains(&expected), "{}", out.stderr);
}
