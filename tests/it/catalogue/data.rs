//! The catalogue as data: `catalogue.json` against its JSON Schema
//! (`docs/catalogue.schema.json`) and against the files it describes, and the Atom feed
//! read by a feed parser.

use super::{catalogue_json, read, two_publications};
use crate::support::{Pdf, TestProject, TODAY};

#[test]
fn catalogue_json_follows_its_schema_and_tells_the_truth_about_every_file() {
    let p = two_publications();
    let json = catalogue_json(&p);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo().join("docs/catalogue.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to catch a wrong file.
    let mut broken = json.clone();
    broken["publications"][0]["files"][0]["sha256"] = "not a checksum".into();
    assert!(!validator.is_valid(&broken));

    assert_eq!(json["schema-version"], 1);
    assert_eq!(json["as-of"], TODAY);
    let publications = json["publications"].as_array().unwrap();
    assert_eq!(publications.len(), 2);
    let blood = &publications[0];
    assert_eq!(
        (
            &blood["id"],
            &blood["product-code"],
            &blood["version"],
            &blood["status"]
        ),
        (
            &"aa-blood".into(),
            &"TEST-001".into(),
            &"2.1".into(),
            &"current".into()
        )
    );
    let yaml: serde_yaml::Value = serde_yaml::from_str(&read(&p, "folio.yaml")).unwrap();
    for file in blood["files"].as_array().unwrap() {
        let path = p.root().join("dist").join(file["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(file["bytes"], bytes.len() as u64, "{}", path.display());
        assert_eq!(file["sha256"], folio::site::entry::sha256(&bytes));
        let edition = file["edition"].as_str().unwrap();
        let profile = match yaml["editions"][edition]["kind"].as_str() {
            Some("braille") => "braille",
            Some("epub") => "ebook",
            _ => yaml["editions"][edition]["pdf"]
                .as_str()
                .unwrap_or("screen"),
        };
        match profile {
            // Braille pages are separated by form feeds; an e-book has no pages.
            "braille" => assert_eq!(
                file["pages"],
                bytes
                    .split(|b| *b == b'\x0c')
                    .filter(|p| !p.is_empty())
                    .count() as u64
            ),
            "ebook" => assert_eq!(file["pages"], 0),
            _ => assert_eq!(file["pages"], Pdf::parse(&bytes).page_count() as u64),
        }
        assert_eq!(file["profile"], profile, "{edition}");
    }
    let paper = |edition: &str| {
        blood["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["edition"] == edition)
            .unwrap()["paper"]
            .clone()
    };
    assert_eq!(paper("booklet"), "A5");
    assert_eq!(paper("large-print"), "A4");
    assert_eq!(paper("leaflet-dl"), "A4 landscape");
}

#[test]
fn the_feed_is_atom_with_one_entry_per_publication_version() {
    let p = two_publications();
    let parse = |p: &TestProject| {
        feed_rs::parser::parse(read(p, "dist/feed.xml").as_bytes()).expect("a valid feed")
    };
    let feed = parse(&p);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.entries.len(), 2);
    for entry in &feed.entries {
        assert_eq!(
            entry.updated.unwrap().format("%Y-%m-%d").to_string(),
            "2026-06-01",
            "updated: the day the version was reviewed"
        );
        let href = &entry.links[0].href;
        assert!(p.root().join("dist").join(href).is_file(), "{href} exists");
        assert!(entry
            .title
            .as_ref()
            .unwrap()
            .content
            .ends_with("(version 2.1)"));
    }
    let id_of = |feed: &feed_rs::model::Feed, title: &str| {
        feed.entries
            .iter()
            .find(|e| e.title.as_ref().unwrap().content.starts_with(title))
            .unwrap()
            .id
            .clone()
    };
    let (blood, bone) = (id_of(&feed, "Blood tests"), id_of(&feed, "Bone marrow"));

    // A new version is a new entry; the other publication's entry is the same as before.
    let text =
        read(&p, "content/aa-blood/aa-blood.md").replace("version: \"2.1\"", "version: \"2.2\"");
    p.publication("aa-blood", &text);
    p.folio(&["build", "aa-blood"]).succeeds();
    let feed = parse(&p);
    assert_ne!(id_of(&feed, "Blood tests"), blood);
    assert_eq!(id_of(&feed, "Bone marrow"), bone);
}
