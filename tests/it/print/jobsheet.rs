//! The job sheet describes each print file as written, and `folio check --print` shows only
//! the preflight, with a verdict per print file.

use folio::print::{jobsheet, preflight, PrintEdition};

use super::{project, shipped};
use crate::support::TestProject;

#[test]
fn the_job_sheet_describes_the_imposed_files_as_written() {
    let p = project();
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    let outputs: Vec<PrintEdition> = shipped()
        .iter()
        .map(|m| PrintEdition {
            edition: &m.edition,
            doc: m.doc().unwrap(),
            press: m.typeset.as_ref().and_then(|t| t.press.as_ref()),
        })
        .collect();
    let sheet = jobsheet::job_sheet(&session.project, &publication, &outputs).unwrap();
    let spec = |name: &str| sheet.editions.iter().find(|e| e.edition == name).unwrap();

    // Spreads with marks: a page larger than A4, printed on larger paper and trimmed.
    let marks = spec("booklet-imposed-marks");
    assert_eq!(marks.pdf_page_mm, [321.0, 234.0]);
    let how = marks.imposition.as_ref().unwrap();
    assert!(how.sheet.contains("on a 321 × 234 mm PDF page"), "{how:?}");
    assert!(
        !how.duplex.contains("no scaling") && how.duplex.contains("trim to the crop marks"),
        "{how:?}"
    );
    assert!(
        marks.colours.iter().any(|c| c.contains("All")),
        "{:?}",
        marks.colours
    );

    // The plain imposed file is the A4 sheet, printed at actual size, with no marks on it.
    let plain = spec("booklet-imposed");
    let how = plain.imposition.as_ref().unwrap();
    assert_eq!(how.sheet, "A4 landscape (297 × 210 mm)");
    assert!(how.duplex.contains("actual size (no scaling)"), "{how:?}");
    assert!(
        !plain.colours.iter().any(|c| c.contains("All"))
            && !plain.not_cmyk.iter().any(|c| c.contains("All")),
        "no crop marks, so no registration colour: {:?} {:?}",
        plain.colours,
        plain.not_cmyk
    );

    // Every press file says it is PDF/X-4 and names its output intent.
    for e in &sheet.editions {
        assert_eq!(e.standard, "PDF/X-4", "{}", e.edition);
        assert!(e
            .output_intent
            .as_deref()
            .unwrap()
            .starts_with("FOGRA39 (profile"));
    }
    let text = sheet.text();
    assert!(text.lines().count() < 70, "one page:\n{text}");
}

#[test]
fn check_print_shows_only_the_preflight_and_a_verdict_per_print_file() {
    let p = TestProject::shipped();
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    assert!(
        !session.check_model(&publication).is_empty(),
        "the shipped publication has editorial findings, which --print leaves out"
    );
    let out = p.folio(&["check", "--print", "all-treatment"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let mut verdicts: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("all-treatment: "))
        .collect();
    verdicts.sort();
    assert_eq!(
        verdicts,
        [
            "all-treatment: booklet-imposed: preflight passed, PDF/X-4",
            "all-treatment: booklet-print: preflight passed, PDF/X-4",
        ],
        "{}",
        out.stdout
    );
    let json = p.folio(&["check", "--print", "--format", "json", "all-treatment"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    for f in &findings {
        let code = f["code"].as_str().unwrap();
        assert!(
            preflight::CODES.iter().any(|c| c.name() == code),
            "{code} is not a print finding"
        );
    }
}
