//! Approvals on record (`folio approve`) and the reviewer's PDF (`folio review`): the record
//! and its located errors, the findings, the draft mark, and change bars checked from the
//! page geometry (bars read from the content streams with lopdf, text positions from
//! poppler's `pdftotext -bbox`).

use std::path::{Path, PathBuf};

use folio::content::Publication;
use folio::finding::Code;
use lopdf::content::Content;

use crate::languages::poppler;
use crate::support::TestProject;

const ID: &str = "all-treatment";
const SOURCE: &str = "content/all-treatment/all-treatment.md";
const RECORD: &str = "content/all-treatment/all-treatment.approvals.yaml";
const PARKER: &str = "Dr Anne Parker, Consultant Haematologist and Senior Medical Editor";

/// The shipped content, approved as it is (version 1.0).
fn approved() -> TestProject {
    let p = TestProject::shipped();
    p.folio(&["approve", ID, "--by", PARKER]).succeeds();
    p
}

/// Replaces `from` (which must occur exactly once) by `to` in the publication's source.
fn edit(p: &TestProject, from: &str, to: &str) {
    let path = p.root().join(SOURCE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} occurs once");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The three edits: one word, one sentence added, one bullet deleted.
fn three_edits(p: &TestProject) {
    edit(
        p,
        "A clinical trial is a research study.",
        "A clinical trial is a medical study.",
    );
    edit(
        p,
        "Treatment for ALL usually comes in three main phases.",
        "Treatment for ALL usually comes in three main phases. Each phase has its own aim.",
    );
    edit(p, "- talk to your family or friends\n", "");
}

fn review(p: &TestProject) -> PathBuf {
    p.folio(&["review", ID]).succeeds();
    let path = p
        .root()
        .join("dist/all-treatment/review/all-treatment-review-1.0-to-1.0.pdf");
    assert!(
        path.is_file(),
        "the review is written as {}",
        path.display()
    );
    path
}

fn findings(p: &TestProject) -> Vec<folio::finding::Finding> {
    let session = p.session();
    let publication: Publication = session.load(&crate::support::key(ID)).unwrap();
    session.check_model(&publication)
}

/// A change bar: a thin vertical mark in the outer margin of page `page` (1-based), its
/// y-range in points from the top of the page.
#[derive(Debug, Clone, Copy)]
struct Bar {
    page: usize,
    top: f64,
    bottom: f64,
}

/// Every thin vertical path (stroked or filled) outside the text area of every page: the
/// text area of an A5 booklet page runs from about 44 pt to 376 pt across.
fn bars(pdf: &Path) -> Vec<Bar> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = Vec::new();
    for (page, id) in doc.get_pages() {
        let height = crate::support::Pdf::parse(&std::fs::read(pdf).unwrap())
            .page_box(page, "MediaBox")
            .unwrap()[3];
        let content = Content::decode(&doc.get_page_content(id).unwrap()).unwrap();
        let mut ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let mut stack = Vec::new();
        let mut path: Vec<(f64, f64)> = Vec::new();
        let num = |o: &lopdf::Object| {
            o.as_float()
                .map(f64::from)
                .or_else(|_| o.as_i64().map(|i| i as f64))
                .unwrap_or(0.0)
        };
        for op in content.operations {
            let a: Vec<f64> = op.operands.iter().map(num).collect();
            let at = |ctm: &[f64; 6], x: f64, y: f64| {
                (
                    ctm[0] * x + ctm[2] * y + ctm[4],
                    ctm[1] * x + ctm[3] * y + ctm[5],
                )
            };
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(ctm),
                "cm" if a.len() == 6 => {
                    let m = &a;
                    let c = ctm;
                    ctm = [
                        m[0] * c[0] + m[1] * c[2],
                        m[0] * c[1] + m[1] * c[3],
                        m[2] * c[0] + m[3] * c[2],
                        m[2] * c[1] + m[3] * c[3],
                        m[4] * c[0] + m[5] * c[2] + c[4],
                        m[4] * c[1] + m[5] * c[3] + c[5],
                    ];
                }
                "m" | "l" if a.len() == 2 => path.push(at(&ctm, a[0], a[1])),
                "c" if a.len() == 6 => path.push(at(&ctm, a[4], a[5])),
                "re" if a.len() == 4 => {
                    path.push(at(&ctm, a[0], a[1]));
                    path.push(at(&ctm, a[0] + a[2], a[1] + a[3]));
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    if op.operator != "n" && !path.is_empty() {
                        let xs = path.iter().map(|p| p.0);
                        let ys = path.iter().map(|p| p.1);
                        let (x0, x1) = (
                            xs.clone().fold(f64::MAX, f64::min),
                            xs.fold(f64::MIN, f64::max),
                        );
                        let (y0, y1) = (
                            ys.clone().fold(f64::MAX, f64::min),
                            ys.fold(f64::MIN, f64::max),
                        );
                        let centre = (x0 + x1) / 2.0;
                        if x1 - x0 < 3.0 && y1 - y0 > 6.0 && !(40.0..=380.0).contains(&centre) {
                            out.push(Bar {
                                page: page as usize,
                                top: height - y1,
                                bottom: height - y0,
                            });
                        }
                    }
                    path.clear();
                }
                _ => {}
            }
        }
    }
    out
}

/// Every word on every page with its y-range from the top (`pdftotext -bbox`).
fn words(pdf: &Path) -> Vec<(usize, String, f64, f64)> {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f64 {
                let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                rest[start..].split('"').next().unwrap().parse().unwrap()
            };
            let word = rest
                .split('>')
                .nth(1)
                .unwrap_or_default()
                .split('<')
                .next()
                .unwrap_or_default();
            out.push((page, word.to_string(), attr("yMin"), attr("yMax")));
        }
    }
    out
}

/// Where the words of `phrase` stand one after the other (the first time, after page 2:
/// the body), as (page, top, bottom) of its last word.
fn place_of(words: &[(usize, String, f64, f64)], phrase: &str) -> (usize, f64, f64) {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    words
        .windows(wanted.len())
        .find(|run| run[0].0 > 2 && run.iter().zip(&wanted).all(|(w, x)| w.1 == *x))
        .map(|run| {
            let (page, _, top, bottom) = run.last().unwrap();
            (*page, *top, *bottom)
        })
        .unwrap_or_else(|| panic!("{phrase:?} is in the review"))
}

/// The text of the PDF in the order it is drawn (`pdftotext -raw`), spaces normalised.
fn text(pdf: &Path, args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.push("-raw");
    poppler("pdftotext", &args, pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_review_has_a_bar_beside_exactly_the_three_changed_blocks() {
    let p = approved();
    three_edits(&p);
    let pdf = review(&p);
    let bars = bars(&pdf);
    let words = words(&pdf);
    let changed = [
        ("Inserted: medical", "Clinical trials"),
        ("Inserted: Each", "Phases of treatment"),
        ("Deleted: talk", "Getting support"),
    ];
    assert_eq!(
        bars.len(),
        3,
        "one bar per changed block, none elsewhere: {bars:?}"
    );
    let first = text(&pdf, &["-f", "1", "-l", "1"]);
    let first_lines = poppler("pdftotext", &["-layout", "-f", "1", "-l", "1"], &pdf);
    for (word, section) in changed {
        let (page, top, bottom) = place_of(&words, word);
        assert!(
            bars.iter()
                .any(|b| b.page == page && b.top <= bottom && b.bottom >= top),
            "a bar beside {word:?} on page {page} ({top}–{bottom}): {bars:?}"
        );
        // The first page lists the section with the page its change is on (the page
        // numbers printed in the review are its own pages).
        let row = first_lines
            .lines()
            .find(|l| l.contains(section))
            .unwrap_or_else(|| panic!("the first page lists {section:?}:\n{first}"));
        assert!(
            row.split_whitespace().last() == Some(page.to_string().as_str()),
            "{section:?} is listed with page {page}: {row:?}"
        );
    }
    assert!(
        first.contains("Approval history") && first.contains("Dr Anne Parker"),
        "{first}"
    );
    let all = text(&pdf, &[]);
    assert!(
        all.contains("Deleted: research Inserted: medical"),
        "the changed word, labelled"
    );
    assert!(
        all.contains("Inserted: Each phase has its own aim."),
        "the added sentence, labelled"
    );
    assert!(
        all.contains("Deleted: talk to your family or friends"),
        "the deleted bullet, labelled"
    );
}

#[test]
fn identical_text_gives_a_review_saying_no_changes_and_without_bars() {
    let p = approved();
    let pdf = review(&p);
    assert!(bars(&pdf).is_empty());
    assert!(text(&pdf, &["-f", "1", "-l", "1"]).contains("No changes since version 1.0."));
    assert!(!text(&pdf, &[]).contains("Inserted:"));
}

#[test]
fn a_publication_never_approved_is_shown_as_all_added() {
    let p = TestProject::shipped();
    p.folio(&["review", ID]).succeeds();
    let pdf = p
        .root()
        .join("dist/all-treatment/review/all-treatment-review-new-to-1.0.pdf");
    let all = text(&pdf, &[]);
    assert!(all.contains("new, not approved before"));
    assert!(all.contains("Inserted: A clinical trial is a research study."));
    assert!(
        !text(&pdf, &["-f", "2"]).contains("Deleted:"),
        "nothing is deleted"
    );
    assert!(!bars(&pdf).is_empty());
}

#[test]
fn approving_the_same_text_twice_is_a_no_op() {
    let p = approved();
    let record = std::fs::read(p.root().join(RECORD)).unwrap();
    let again = p.folio(&["approve", ID, "--by", PARKER]);
    again.succeeds();
    assert!(
        again.stderr.contains("already approved (version 1.0"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read(p.root().join(RECORD)).unwrap(), record);
    let copy = std::fs::read(p.root().join("content/all-treatment/approved/1.0.md")).unwrap();
    assert_eq!(copy, std::fs::read(p.root().join(SOURCE)).unwrap());
}

#[test]
fn changed_text_without_a_raised_version_is_refused_and_a_raised_one_is_appended() {
    let p = approved();
    three_edits(&p);
    p.folio(&["approve", ID, "--by", PARKER]).fails_with(&[
        "its `version` is 1.0",
        "all-treatment.md:6",
        "raise `version`",
    ]);
    edit(&p, "version: \"1.0\"", "version: \"1.1\"");
    let before = std::fs::read_to_string(p.root().join(RECORD)).unwrap();
    p.folio(&["approve", ID, "--by", PARKER]).succeeds();
    let after = std::fs::read_to_string(p.root().join(RECORD)).unwrap();
    assert!(
        after.starts_with(&before),
        "earlier entries are never rewritten"
    );
    assert!(after[before.len()..].contains("version: \"1.1\""));
    assert!(p
        .root()
        .join("content/all-treatment/approved/1.1.md")
        .is_file());
}

#[test]
fn an_approvals_file_out_of_order_is_a_located_error() {
    let p = approved();
    edit(
        &p,
        "A clinical trial is a research study.",
        "A clinical trial is a medical study.",
    );
    edit(&p, "version: \"1.0\"", "version: \"1.1\"");
    p.folio(&["approve", ID, "--by", PARKER]).succeeds();
    // Swap the two entries by hand.
    let path = p.root().join(RECORD);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("- version: \"1.0\"").unwrap();
    let second = text.find("- version: \"1.1\"").unwrap();
    let swapped = format!("{}{}{}", &text[..at], &text[second..], &text[at..second]);
    std::fs::write(&path, &swapped).unwrap();
    let line = swapped[..swapped.find("- version: \"1.0\"").unwrap()]
        .lines()
        .count()
        + 1;
    p.folio(&["review", ID]).fails_with(&[
        "out of order",
        &format!("all-treatment.approvals.yaml:{line}"),
    ]);
    let found = findings(&p);
    let error = found
        .iter()
        .find(|f| f.code == Code::SourceError)
        .expect("a source error");
    assert_eq!(error.location.as_ref().unwrap().line, Some(line));
}

#[test]
fn an_approved_copy_that_does_not_match_its_hash_is_a_located_error() {
    let p = approved();
    let copy = p.root().join("content/all-treatment/approved/1.0.md");
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, text.replace("research study", "medical study")).unwrap();
    let record = std::fs::read_to_string(p.root().join(RECORD)).unwrap();
    let line = record
        .lines()
        .position(|l| l.trim_start().starts_with("sha256:"))
        .unwrap()
        + 1;
    p.folio(&["review", ID]).fails_with(&[
        "does not match its recorded hash",
        &format!("all-treatment.approvals.yaml:{line}"),
    ]);
}

#[test]
fn unapproved_changes_are_a_warning_naming_the_sections_and_an_error_when_required() {
    let p = approved();
    assert!(findings(&p)
        .iter()
        .all(|f| f.code != Code::UnapprovedChanges));
    three_edits(&p);
    let found = findings(&p);
    let f = found
        .iter()
        .find(|f| f.code == Code::UnapprovedChanges)
        .expect("a finding");
    assert_eq!(f.severity, folio::diag::Severity::Warning);
    for section in [
        "\"Clinical trials\"",
        "\"Phases of treatment\"",
        "\"Getting support\"",
    ] {
        assert!(f.message.contains(section), "{}", f.message);
    }
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    std::fs::write(
        p.root().join("folio.yaml"),
        format!("{yaml}\napproval: required\n"),
    )
    .unwrap();
    let found = findings(&p);
    let f = found
        .iter()
        .find(|f| f.code == Code::UnapprovedChanges)
        .unwrap();
    assert_eq!(f.severity, folio::diag::Severity::Error);
    p.folio(&["build", ID, "--edition", "booklet"])
        .fails_with(&["unapproved-changes", "no edition was built"]);
    p.folio(&["build", ID, "--edition", "booklet", "--allow-unapproved"])
        .succeeds();
    let booklet = p
        .root()
        .join("dist/all-treatment/all-treatment-booklet.pdf");
    let pages = crate::support::Pdf::parse(&std::fs::read(&booklet).unwrap()).page_count();
    for page in 1..=pages {
        let n = page.to_string();
        assert!(
            text(&booklet, &["-f", &n, "-l", &n]).contains("Draft, not approved"),
            "page {page} is marked as a draft"
        );
    }
}

#[test]
fn reviewers_and_date_reviewed_that_disagree_with_the_approvals_are_a_finding() {
    let p = TestProject::shipped();
    p.folio(&["approve", ID, "--by", "Sam Okafor, Editor"])
        .succeeds();
    let found = findings(&p);
    let f = found
        .iter()
        .find(|f| f.code == Code::ApprovalMismatch)
        .expect("reviewers disagree");
    assert!(f.message.contains("Dr Anne Parker") && f.message.contains("Sam Okafor"));
    assert_eq!(f.location.as_ref().unwrap().line, Some(13));
    assert!(approved_findings_are_clean());
}

/// The shipped content approved by its named reviewer has no approval finding.
fn approved_findings_are_clean() -> bool {
    findings(&approved())
        .iter()
        .all(|f| !matches!(f.code, Code::ApprovalMismatch | Code::UnapprovedChanges))
}
