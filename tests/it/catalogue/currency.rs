//! Currency in the catalogue: a publication due for review shows "Review due", one built
//! past its review with `--allow-overdue` shows "Review overdue", and one past its review
//! otherwise is never listed as current (nor in the feed).

use scraper::Selector;

use super::{all, catalogue_json, page, publication, read, text, texts, two_publications, BODY};
use crate::support::{Output, TestProject};

/// `folio` with `FOLIO_TODAY` set to `today` instead of the tests' fixed day.
fn folio_on(p: &TestProject, today: &str, args: &[&str]) -> Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("FOLIO_TODAY", today)
        .env_remove("FOLIO_ROOT")
        .output()
        .expect("folio runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn publications_due_for_review_or_built_overdue_are_labelled() {
    let p = TestProject::new();
    // The tests' today is 26 November 2026; the warning starts 90 days before a review.
    p.publication("due", &publication("Due soon", "T-1", "2027-01-15", BODY));
    p.publication("late", &publication("Overdue", "T-2", "2026-10-01", BODY));
    p.publication("fine", &publication("Fine", "T-3", "2029-06-01", BODY));
    p.folio(&["build"]).fails_with(&["review-overdue"]);
    p.folio(&["build", "--allow-overdue"]).succeeds();
    let index = page(&p, "dist/index.html");
    let flag = |title: &str| {
        all(&index, ".pubs > li")
            .into_iter()
            .find(|li| li.html().contains(&format!(">{title}</a>")))
            .and_then(|li| {
                li.select(&Selector::parse(".flag").unwrap())
                    .next()
                    .map(|f| text(&f))
            })
    };
    assert_eq!(
        flag("Due soon").as_deref(),
        Some("Review due by 15 January 2027")
    );
    assert_eq!(
        flag("Overdue").as_deref(),
        Some("Review overdue since 1 October 2026")
    );
    assert_eq!(flag("Fine"), None);
    let status: Vec<(String, String)> = catalogue_json(&p)["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().into(),
                e["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("due".into(), "review-due".into()),
            ("fine".into(), "current".into()),
            ("late".into(), "overdue".into())
        ]
    );
    // Its web page says so too.
    assert!(read(&p, "dist/late/index.html").contains("Review overdue since 1 October 2026"));
}

#[test]
fn a_publication_past_its_review_is_never_listed_as_current() {
    let p = two_publications();
    let text = read(&p, "content/zz-bone/zz-bone.md")
        .replace("next-review: 2029-06-01", "next-review: 2027-06-01");
    p.publication("zz-bone", &text);
    p.folio(&["build"]).succeeds();
    // A year later only the other publication is built; the catalogue is judged that day.
    folio_on(&p, "2027-11-26", &["build", "aa-blood"]).succeeds();
    let index = page(&p, "dist/index.html");
    assert_eq!(texts(&index, ".pubs > li > h2"), ["Blood tests"]);
    let stale = texts(&index, ".stale li");
    assert_eq!(
        stale,
        ["Bone marrow tests (TEST-002, version 2.1): review was due on 1 June 2027."]
    );
    let json = catalogue_json(&p);
    assert_eq!(json["publications"][1]["status"], "not-current");
    let feed = feed_rs::parser::parse(read(&p, "dist/feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries.len(),
        1,
        "the feed lists only current publications"
    );
}
