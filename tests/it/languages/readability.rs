//! Readability per language: the Flesch figures are English formulas, so other languages get
//! their words and sentence lengths, and a note instead of a reading age, never a wrong number.

use folio::check::readability::analyze;

use super::samples;
use crate::support::{doc, TestProject};

#[test]
fn the_readability_table_gives_other_languages_words_and_sentences_and_a_note() {
    let p = samples(true);
    let out = p.folio(&["check", "sample", "--readability", "--edition", "booklet"]);
    out.succeeds();
    let table = |key: &str| -> String {
        let start = out
            .stdout
            .find(&format!("Readability of {key} "))
            .unwrap_or_else(|| panic!("no table for {key}:\n{}", out.stdout));
        let rest = &out.stdout[start..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
    };
    let welsh = table("sample.cy");
    assert!(welsh.contains("formulas for English"), "{welsh}");
    let row = welsh
        .lines()
        .find(|l| l.starts_with("Cyn i chi ddod"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().rev().take(5).collect();
    // words, sentences, words per sentence, then "—" for Flesch and reading age.
    assert_eq!(cells, ["—", "—", "5.4", "5", "27"], "{row}");
    for lang in ["sample.ur", "sample.ar", "sample.pl"] {
        let t = table(lang);
        assert!(t.contains("—") && !t.contains("NaN"), "{t}");
    }
    let english = table("sample");
    let row = english
        .lines()
        .find(|l| l.starts_with("Before you come"))
        .unwrap();
    assert!(!row.contains('—'), "English keeps its reading age: {row}");
}

#[test]
fn a_hard_welsh_section_gets_no_english_reading_age_but_its_long_sentences_are_noted() {
    let p = TestProject::new();
    // Long Welsh words that English syllable rules would score as very hard reading.
    let hard = "Mae meddyginiaethau gwrthfiotigau cymhleth ychwanegol angenrheidiol. ".repeat(8);
    let long = "Dewch â rhestr o’r holl feddyginiaethau rydych chi’n eu cymryd bob dydd, \
                gan gynnwys tabledi, hylifau, eli a phigiadau, a dewch â’ch llythyr apwyntiad \
                a rhywbeth i’w ddarllen hefyd.";
    assert!(
        analyze(&hard).reading_age > 14.0,
        "English rules would call it hard"
    );
    let body = format!("\n## Adran\n\n{hard}\n\n{long}\n");
    p.publication(
        "welsh",
        &doc(&body).replace("language: en-GB", "language: cy-GB"),
    );
    let out = p.folio(&["check", "--format", "json", "--edition", "leaflet-a5"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"reading-age-high"), "{codes:?}");
    assert!(!codes.contains(&"long-word"), "{codes:?}");
    let long_sentence: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "long-sentence")
        .collect();
    assert_eq!(long_sentence.len(), 1, "{findings:#?}");
    assert!(long_sentence[0]["message"]
        .as_str()
        .unwrap()
        .contains("Dewch â rhestr"));
}
