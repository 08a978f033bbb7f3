//! The catalogue at scale: a thousand publications with six editions each, made from one
//! real entry with other ids, titles and figures (the catalogue reads only the entries).
//! The page must stay under 500 KB; the time each step takes is printed, not asserted.

use std::time::Instant;

use super::{all, page, publication, BODY};
use crate::support::TestProject;

const TOPICS: &[&str] = &[
    "breast-cancer",
    "bowel-screening",
    "chemotherapy",
    "radiotherapy",
    "all-treatment",
    "lymphoma",
    "fatigue",
    "eating-well",
];

/// Writes `n` catalogue entries (and their publication folders) like `model`'s.
pub fn generate(p: &TestProject, model: &folio::site::CatalogueEntry, n: usize) {
    for i in 0..n {
        let topic = TOPICS[i % TOPICS.len()];
        let id = format!("{topic}-{i:04}");
        let mut entry = model.clone();
        entry.title = format!(
            "{} and you: what happens next ({i})",
            topic.replace('-', " ")
        );
        entry.product_code = format!("FOL-{:03}-{i:04}", i % 997);
        entry.version = format!("{}.{}", 1 + i % 3, i % 10);
        entry.next_review = format!("{}-{:02}-01", 2028 + i % 3, 1 + i % 12);
        for file in &mut entry.files {
            file.path = format!("{id}-{}.pdf", file.edition);
            file.bytes += (i as u64 * 7919) % 50_000;
            file.pages += 4 * (i % 3);
        }
        entry.id = id.clone();
        entry.folder = id.clone();
        p.file(&format!("dist/{id}/entry.json"), &entry.to_bytes());
        std::fs::create_dir_all(p.root().join("content").join(&id)).unwrap();
    }
}

#[test]
fn a_thousand_publications_keep_the_catalogue_page_under_500_kb() {
    let p = TestProject::new();
    p.publication("model", &publication("Model", "T-0", "2029-06-01", BODY));

    // One real publication's site files, timed (the part each publication adds).
    let session = p.session();
    let publication = session.load(&crate::support::key("model")).unwrap();
    let made: Vec<_> = session
        .editions_for(&publication, &[])
        .into_iter()
        .filter(|(_, e)| e.impose.is_none())
        .map(|(name, _)| p.make("model", name).unwrap())
        .collect();
    let outputs: Vec<folio::site::SiteEdition> = made
        .iter()
        .map(|m| folio::site::SiteEdition {
            edition: &m.edition,
            doc: m.doc(),
            file: &m.file,
        })
        .collect();
    let site = folio::site::Site::load(p.root(), &session.project).unwrap();
    let started = Instant::now();
    let runs = 10;
    let mut files = Vec::new();
    for _ in 0..runs {
        files = site
            .publication_files(&session.project, &publication, &outputs, None)
            .unwrap();
    }
    let per_publication = started.elapsed() / runs;
    let entry: folio::site::CatalogueEntry = serde_json::from_slice(
        &files
            .iter()
            .find(|(path, _)| path.ends_with("entry.json"))
            .unwrap()
            .1,
    )
    .unwrap();
    let mut model = entry.clone();
    // Six editions, as the shipped folio.yaml makes.
    let imposed = model
        .files
        .iter()
        .find(|f| f.edition == "booklet-print")
        .unwrap()
        .clone();
    model.files.push(folio::site::entry::File {
        edition: "booklet-imposed".into(),
        label: "Booklet for an office printer".into(),
        paper: "A4 landscape".into(),
        ..imposed
    });
    // Six PDFs, the braille file and the e-book, as the shipped folio.yaml makes.
    assert_eq!(model.files.len(), 8);

    generate(&p, &model, 1000);
    let started = Instant::now();
    let written = folio::site::write_catalogue(
        p.root(),
        &session.project,
        &p.root().join("dist"),
        session.today,
        session.source_date_epoch,
    )
    .unwrap();
    let catalogue = started.elapsed();
    let size = std::fs::metadata(p.root().join("dist/index.html"))
        .unwrap()
        .len();
    eprintln!(
        "1000 publications: catalogue step {catalogue:?}, index.html {size} bytes; \
         site files of one publication {per_publication:?} (this build's profile)"
    );
    assert_eq!(written.listed, 1000);
    assert!(size < 500_000, "index.html is {size} bytes");
    // Every publication is still listed, and leads to its files.
    let index = page(&p, "dist/index.html");
    assert_eq!(all(&index, ".pubs > li > h2 a").len(), 1000);
    let file_links = all(&index, ".pubs > li .f a");
    assert!(file_links.len() >= 1000, "{}", file_links.len());
    let json = std::fs::metadata(p.root().join("dist/catalogue.json"))
        .unwrap()
        .len();
    eprintln!(
        "catalogue.json {json} bytes, feed.xml {} bytes",
        std::fs::metadata(p.root().join("dist/feed.xml"))
            .unwrap()
            .len()
    );
}
