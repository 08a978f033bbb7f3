//! Reader-facing words per language: the layouts' fixed words and dates come from one
//! table per language (layouts/common/words.typ), English when a language lacks one, and
//! a missing word is a finding.

use folio::inspect::flat_text;

use crate::support::{doc, TestProject};

/// A short publication in `language` with a call-out, so that its label shows.
fn in_language(language: &str) -> TestProject {
    let p = TestProject::new();
    let body = "\n## Adran un\n\nTestun prawf.\n\n> [!WARNING]\n> Testun prawf.\n";
    p.publication(
        "words",
        &doc(body).replace("language: en-GB", &format!("language: {language}")),
    );
    p
}

#[test]
fn a_welsh_publication_shows_welsh_words_and_dates_in_every_edition() {
    let p = in_language("cy-GB");
    let booklet = flat_text(p.make("words", "booklet").unwrap().doc().unwrap());
    for word in [
        "Cynnwys",
        "Am yr wybodaeth hon",
        "Dyddiad adolygu: 1 Mehefin 2026",
        "Adolygiad nesaf: 1 Mehefin 2029",
        "Rhybudd",
        "Nodiadau",
        "Cysylltwch â ni",
        "Cod cynnyrch TEST-001",
    ] {
        assert!(booklet.contains(word), "{word:?} in {booklet}");
    }
    for english in ["Contents", "Notes", "Warning", "June"] {
        assert!(!booklet.contains(english), "{english:?} in {booklet}");
    }
    let large = flat_text(p.make("words", "large-print").unwrap().doc().unwrap());
    assert!(large.contains("Print bras"), "{large}");
    let a5 = flat_text(p.make("words", "leaflet-a5").unwrap().doc().unwrap());
    assert!(
        a5.contains("Trowch drosodd") && a5.contains("Rhagor o wybodaeth"),
        "{a5}"
    );
    let out = p.folio(&["check", "--format", "json"]);
    assert!(
        !out.stdout.contains("word-missing"),
        "Welsh has every word: {}",
        out.stdout
    );
}

#[test]
fn dates_follow_each_language() {
    for (language, date) in [
        ("pl-PL", "1 czerwca 2026"),
        ("ar", "1 يونيو 2026"),
        ("ur", "1 جون 2026"),
        ("en-GB", "1 June 2026"),
    ] {
        let p = in_language(language);
        let text = flat_text(p.make("words", "leaflet-a5").unwrap().doc().unwrap());
        assert!(text.contains(date), "{language}: {date:?} in {text}");
    }
}

#[test]
fn a_language_without_words_falls_back_to_english_and_is_a_finding() {
    let p = in_language("ro-RO");
    let booklet = flat_text(p.make("words", "booklet").unwrap().doc().unwrap());
    assert!(booklet.contains("Contents") && booklet.contains("Warning"));
    let out = p.folio(&["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let missing: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "word-missing")
        .collect();
    assert!(!missing.is_empty(), "{findings:#?}");
    for f in &missing {
        assert_eq!(f["severity"], "warning");
        assert!(f["message"].as_str().unwrap().contains("`ro`"), "{f}");
        assert!(f["edition"].is_string(), "names the edition: {f}");
    }
    // A warning: the build goes ahead, and `--strict` stops it.
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(p.folio(&["check", "--strict"]).code, 1);
}
