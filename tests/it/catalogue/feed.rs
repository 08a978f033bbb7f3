//! The Atom feed read as XML (roxmltree, which refuses a document that is not well-formed)
//! and the web edition: every file of a version linked as an enclosure, what changed in each
//! approved version, and withdrawn publications, kept in later builds.

use std::path::Path;
use std::process::Command;

use super::{all, page, publication, read, text, texts, BODY};
use crate::support::{copy_tree, doc, repo, TestProject, TODAY};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ID: &str = "all-treatment";
const SOURCE: &str = "content/all-treatment/all-treatment.md";
const PARKER: &str = "Dr Anne Parker, Consultant Haematologist and Senior Medical Editor";

/// An entry of the feed as the tests read it.
#[derive(Debug)]
struct Entry {
    title: String,
    updated: String,
    summary: String,
    content: String,
    /// (rel, type, length, href) of every link.
    links: Vec<(String, String, String, String)>,
}

/// `dist/feed.xml`, parsed as XML; panics when it is not well-formed Atom.
fn feed(p: &TestProject) -> Vec<Entry> {
    let xml = read(p, "dist/feed.xml");
    let document = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let root = document.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "an Atom feed");
    let child_text = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .map(|c| c.text().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    root.children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| Entry {
            title: child_text(e, "title"),
            updated: child_text(e, "updated"),
            summary: child_text(e, "summary"),
            content: child_text(e, "content"),
            links: e
                .children()
                .filter(|c| c.has_tag_name((ATOM, "link")))
                .map(|l| {
                    let attr = |a: &str| l.attribute(a).unwrap_or_default().to_string();
                    (attr("rel"), attr("type"), attr("length"), attr("href"))
                })
                .collect(),
        })
        .collect()
}

fn edit(p: &TestProject, from: &str, to: &str) {
    let path = p.root().join(SOURCE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} occurs once");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The shipped publication approved as version 1.0, then changed (one section edited, one
/// added, one deleted) and approved again as version 1.1.
pub fn two_approved_versions(p: &TestProject) {
    p.folio(&["approve", ID, "--by", PARKER]).succeeds();
    edit(p, "version: \"1.0\"", "version: \"1.1\"");
    edit(
        p,
        "A clinical trial is a research study.",
        "A clinical trial is a medical study.",
    );
    edit(
        p,
        "## Getting support",
        "## Questions & answers {.not-leaflet}\n\nWrite down your questions before you come.\n\n## Getting support",
    );
    let text = std::fs::read_to_string(p.root().join(SOURCE)).unwrap();
    let (start, end) = (
        text.find("## If ALL comes back").unwrap(),
        text.find("## Questions & answers").unwrap(),
    );
    std::fs::write(
        p.root().join(SOURCE),
        format!("{}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    p.folio(&["approve", ID, "--by", PARKER]).succeeds();
}

#[test]
fn the_feed_links_every_file_of_a_version_with_its_media_type_and_size() {
    crate::formats::ensure_liblouis();
    let p = TestProject::new();
    p.publication("blood", &doc(BODY));
    p.folio(&["build"]).succeeds();
    let entries = feed(&p);
    assert_eq!(entries.len(), 1);
    let enclosures: Vec<_> = entries[0]
        .links
        .iter()
        .filter(|(rel, ..)| rel == "enclosure")
        .collect();
    let json = super::catalogue_json(&p);
    let files = json["publications"][0]["files"].as_array().unwrap();
    assert_eq!(enclosures.len(), files.len(), "one enclosure per file");
    for file in files {
        let path = file["path"].as_str().unwrap();
        let (_, kind, length, _) = enclosures
            .iter()
            .find(|(.., href)| href == path)
            .unwrap_or_else(|| panic!("{path} is an enclosure: {enclosures:?}"));
        let bytes = std::fs::metadata(p.root().join("dist").join(path))
            .unwrap()
            .len();
        assert_eq!(length, &bytes.to_string(), "{path}: its size in bytes");
        let expected = match path.rsplit_once('.').unwrap().1 {
            "pdf" => "application/pdf",
            "epub" => "application/epub+zip",
            "brf" => "text/plain",
            other => panic!("an unexpected file type {other}"),
        };
        assert_eq!(kind, expected, "{path}");
    }
    for wanted in ["application/epub+zip", "text/plain", "application/pdf"] {
        assert!(
            enclosures.iter().any(|(_, kind, ..)| kind == wanted),
            "the feed has a {wanted} file: {enclosures:?}"
        );
    }
}

#[test]
fn the_page_and_the_feed_say_what_changed_in_each_approved_version() {
    let p = TestProject::shipped();
    two_approved_versions(&p);
    p.folio(&["build"]).succeeds();

    let html = page(&p, "dist/all-treatment/index.html");
    let section = "section[aria-labelledby=folio-changes]";
    assert_eq!(
        texts(&html, &format!("{section} h2")),
        ["Changes in each version"]
    );
    assert_eq!(
        texts(&html, &format!("{section} h3")),
        [
            "Version 1.1, approved on 26 November 2026",
            "Version 1.0, approved on 26 November 2026"
        ],
        "newest first, with the day of the approval"
    );
    assert_eq!(
        texts(&html, &format!("{section} ul li")),
        [
            "Changed: Clinical trials",
            "Added: Questions & answers",
            "Removed: If ALL comes back"
        ]
    );
    let paragraphs = all(&html, &format!("{section} p"));
    assert_eq!(
        paragraphs.iter().map(text).collect::<Vec<_>>(),
        [
            "Sections changed since version 1.0:",
            "The first approved version."
        ]
    );

    let entries = feed(&p);
    assert_eq!(entries.len(), 1);
    assert!(entries[0].title.ends_with("(version 1.1)"));
    assert!(
        entries[0].summary.ends_with(
            "Since version 1.0: changed “Clinical trials”; added “Questions & answers”; \
             removed “If ALL comes back”."
        ),
        "{}",
        entries[0].summary
    );

    // The entry records the history, so the catalogue made from entries alone (a merge) has it.
    let entry: serde_json::Value =
        serde_json::from_str(&read(&p, "dist/all-treatment/entry.json")).unwrap();
    assert_eq!(entry["changes"][1]["since"], "1.0");
    assert_eq!(entry["changes"][0]["since"], serde_json::Value::Null);

    // catalogue.json lists them too, and still follows its schema.
    let json = super::catalogue_json(&p);
    let changes = &json["publications"][0]["changes"];
    assert_eq!(changes[1]["removed"][0], "If ALL comes back");
    assert_eq!(changes[1]["approved"], TODAY);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo().join("docs/catalogue.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = json.clone();
    broken["publications"][0]["changes"][0]["approved"] = "yesterday".into();
    assert!(
        !validator.is_valid(&broken),
        "the schema checks the changes too"
    );
}

#[test]
fn a_publication_never_approved_has_no_changes_section_and_its_feed_entry_says_none() {
    let p = TestProject::new();
    p.publication("blood", &doc(BODY));
    p.folio(&["build", "-e", "leaflet-a5"]).succeeds();
    let html = page(&p, "dist/blood/index.html");
    assert!(all(&html, "#folio-changes").is_empty());
    let entries = feed(&p);
    let summary = &entries[0].summary;
    assert!(
        !summary.contains("approved version") && !summary.contains("Since version"),
        "{summary}"
    );
    assert!(!read(&p, "dist/blood/entry.json").contains("\"changes\""));
}

/// Runs `folio build` with `SOURCE_DATE_EPOCH` set to `epoch`.
fn build_at(p: &TestProject, epoch: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .args(args)
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("FOLIO_TODAY", TODAY)
        .env_remove("FOLIO_ROOT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        match e.file_type().unwrap().is_dir() {
            true => out.extend(files_below(&e.path())),
            false => out.push(e.path().display().to_string()),
        }
    }
    out
}

#[test]
fn a_withdrawn_publication_has_a_feed_entry_dated_when_it_was_withdrawn_in_every_later_build() {
    crate::formats::ensure_liblouis();
    let p = TestProject::new();
    p.publication(
        "blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    p.publication(
        "bone",
        &publication("Bone marrow & you", "TEST-002", "2029-06-01", BODY),
    );
    copy_tree(&repo().join("brands"), &p.root().join("brands"));
    build_at(
        &p,
        "1790000000",
        &["--previews", "--brand", "riverside-example"],
    );
    for made in [
        "bone-braille.txt",
        "bone-print-spec.json",
        "preview/booklet/page-01.png",
        "brands/riverside-example/bone-leaflet-dl.pdf",
    ] {
        assert!(p.root().join("dist/bone").join(made).is_file(), "{made}");
    }

    std::fs::remove_dir_all(p.root().join("content/bone")).unwrap();
    build_at(&p, "1790100000", &[]);
    assert_eq!(
        files_below(&p.root().join("dist/bone")),
        Vec::<String>::new(),
        "every file folio made of it is gone"
    );
    let withdrawn = |p: &TestProject| {
        let entries = feed(p);
        assert!(entries.iter().any(|e| e.title.starts_with("Blood")));
        entries
            .into_iter()
            .filter(|e| e.title.starts_with("Withdrawn: "))
            .collect::<Vec<_>>()
    };
    let second = withdrawn(&p);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(second[0].title, "Withdrawn: Bone marrow & you");
    // SOURCE_DATE_EPOCH 1790100000 is 22 September 2026, 18:00 UTC.
    assert_eq!(second[0].updated, "2026-09-22T18:00:00Z");
    assert!(
        second[0]
            .content
            .contains("was withdrawn on 22 September 2026"),
        "{}",
        second[0].content
    );
    assert!(!read(&p, "dist/catalogue.json").contains("\"bone\""));

    // A later build remembers it, with the day it was withdrawn, not the day of this build.
    build_at(&p, "1790500000", &[]);
    let third = withdrawn(&p);
    assert_eq!(third.len(), 1, "{third:?}");
    assert_eq!(third[0].updated, "2026-09-22T18:00:00Z");
    assert_eq!(third[0].content, second[0].content);
    assert!(!p.root().join("dist/bone").exists());

    // Merged as a shard, the output keeps the withdrawal: the same feed.
    p.folio(&["merge", "--out", "merged", "dist"]).succeeds();
    assert_eq!(read(&p, "merged/feed.xml"), read(&p, "dist/feed.xml"));
}
