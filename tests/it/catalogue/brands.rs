//! A page per partner hospital (`dist/brand-<id>.html`): its name and department, each
//! current publication with links to that partner's co-branded PDFs, linked from the
//! catalogue; hostile brand text shown as text; the same after a merge of shards.

use std::collections::BTreeSet;

use super::{all, page, publication, read, texts, BODY};
use crate::brands::pdf_text;
use crate::serve::Server;
use crate::support::TestProject;

const HOSTILE: &str = "hostile-example";
const NAME: &str = "<script>alert(1)</script> St Example & \"Co\" Hospital";

/// Two publications and a partner whose name and department are hostile text.
fn project_with_a_hostile_brand() -> TestProject {
    let p = TestProject::new();
    p.publication(
        "aa-blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    p.publication(
        "zz-bone",
        &publication("Bone marrow tests", "TEST-002", "2029-06-01", BODY),
    );
    p.file(
        &format!("brands/{HOSTILE}/brand.yaml"),
        format!(
            "name: '{NAME}'\ndepartment: \"<img src=x onerror=alert(2)> Ward 7\"\n\
             contact: [\"01632 960 000\"]\napproved-by: Ed\napproved-on: 2026-10-01\n"
        )
        .as_bytes(),
    );
    p
}

/// Every co-branded file of `brand` under dist/, as paths from dist/.
fn branded_files(p: &TestProject, brand: &str) -> BTreeSet<String> {
    let dist = p.root().join("dist");
    let mut found = BTreeSet::new();
    for publication in std::fs::read_dir(&dist).unwrap() {
        let dir = publication.unwrap().path().join("brands").join(brand);
        for f in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = f.unwrap().path();
            found.insert(
                path.strip_prefix(&dist)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    found
}

#[test]
fn a_partner_gets_a_page_listing_exactly_its_co_branded_files_linked_from_the_catalogue() {
    crate::formats::ensure_liblouis();
    let p = project_with_a_hostile_brand();
    // One publication for the partner, then every publication without it.
    p.folio(&["build", "aa-blood", "--brand", HOSTILE])
        .succeeds();
    p.folio(&["build"]).succeeds();
    let name = format!("dist/brand-{HOSTILE}.html");
    let html = read(&p, &name);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    let brand = page(&p, &name);
    assert_eq!(
        texts(&brand, "h1"),
        [format!("Co-branded publications for {NAME}")]
    );
    assert_eq!(
        texts(&brand, "p.lede"),
        ["<img src=x onerror=alert(2)> Ward 7"]
    );
    assert_eq!(all(&brand, "main").len(), 1);
    // Exactly the publication with this partner's files, and a link to each file.
    assert_eq!(texts(&brand, ".pubs h2"), ["Blood tests"]);
    let links: BTreeSet<String> = all(&brand, ".pubs ul.f a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    // The braille file's Unicode copy goes with it, unlisted, as on the public page.
    let files: BTreeSet<String> = branded_files(&p, HOSTILE)
        .into_iter()
        .filter(|f| !f.ends_with(".txt"))
        .collect();
    assert_eq!(
        files.len(),
        5,
        "booklet, both leaflets, braille and the e-book: {files:?}"
    );
    assert_eq!(links, files);
    for link in links.iter().filter(|l| l.ends_with(".pdf")) {
        let pdf = std::fs::read(p.root().join("dist").join(link)).unwrap();
        assert!(pdf_text(&pdf).contains("St Example"), "{link}");
    }
    // A braille file and an e-book are described as what they are, not as PDFs.
    let described = texts(&brand, ".pubs ul.f a");
    for start in ["Braille (BRF, UEB grade 2), ", "E-book (EPUB 3), "] {
        assert_eq!(
            described.iter().filter(|t| t.starts_with(start)).count(),
            1,
            "{start}: {described:?}"
        );
    }
    assert_eq!(
        texts(&brand, ".pubs ul.f a")
            .iter()
            .filter(|t| t.starts_with("A5 leaflet (A5), PDF, ") && t.ends_with(" KB"))
            .count(),
        1,
        "{:?}",
        texts(&brand, ".pubs ul.f a")
    );
    // The catalogue links to the page, named by the partner.
    let index = page(&p, "dist/index.html");
    let to_brand: Vec<_> = all(&index, "ul.brands a")
        .iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), super::text(a)))
        .collect();
    assert_eq!(
        to_brand,
        [(
            format!("brand-{HOSTILE}.html"),
            format!("{NAME}, <img src=x onerror=alert(2)> Ward 7")
        )]
    );
    assert!(!read(&p, "dist/index.html").contains("<script>alert"));

    // Built again: the same bytes.
    p.folio(&["build", "--force"]).succeeds();
    assert_eq!(read(&p, &name), html);

    // The links work from `folio serve` too.
    let issued = p.folio(&["token", "new", HOSTILE, "--tokens", "tokens"]);
    issued.succeeds();
    let token = issued.stdout.lines().last().unwrap().to_string();
    let bearer = format!("Bearer {token}");
    let server = Server::start(&p, &[]);
    let served = server.get(&format!("/brand-{HOSTILE}.html"), &[]);
    assert_eq!(served.status, 200);
    // As built, but for the sign-in links `folio serve` adds to its pages.
    let text = served.text();
    let shown = match (
        text.find("<nav class=\"folio-partner\""),
        text.find("</nav>\n"),
    ) {
        (Some(from), Some(to)) if to > from => format!("{}{}", &text[..from], &text[to + 7..]),
        _ => text,
    };
    assert_eq!(shown, html);
    // Its co-branded files are for the partner signed in (README "folio serve").
    for link in &links {
        let r = server.get(&format!("/{link}"), &[("authorization", &bearer)]);
        assert_eq!(r.status, 200, "{link}");
        let media_type = match link.rsplit_once('.').unwrap().1 {
            "brf" => "text/plain; charset=us-ascii",
            "epub" => "application/epub+zip",
            _ => "application/pdf",
        };
        assert_eq!(r.header("content-type"), media_type, "{link}");
    }
    drop(server);

    // Without co-branded files, no page and no link.
    std::fs::remove_dir_all(p.root().join("dist/aa-blood/brands")).unwrap();
    p.folio(&["build"]).succeeds();
    assert!(!p.root().join(&name).exists());
    assert!(all(&page(&p, "dist/index.html"), "ul.brands").is_empty());
}

#[test]
fn shards_built_with_a_brand_and_merged_give_the_same_partner_page() {
    let p = project_with_a_hostile_brand();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--quiet", "-e", "leaflet-dl", "--brand", HOSTILE];
        args.extend_from_slice(extra);
        p.folio(&args).succeeds();
    };
    build(&["--out", "whole"]);
    build(&["--shard", "0/2", "--out", "shard-0"]);
    build(&["--shard", "1/2", "--out", "shard-1"]);
    p.folio(&["merge", "--out", "merged", "shard-0", "shard-1"])
        .succeeds();
    let file = format!("brand-{HOSTILE}.html");
    let whole = read(&p, &format!("whole/{file}"));
    assert_eq!(read(&p, &format!("merged/{file}")), whole);
    assert_eq!(read(&p, "merged/index.html"), read(&p, "whole/index.html"));
    assert_eq!(
        texts(&page(&p, &format!("whole/{file}")), ".pubs h2"),
        ["Blood tests", "Bone marrow tests"]
    );
}
