//! What `folio build` leaves on disk: every PDF, the same bytes every time, never a broken one.

use crate::support::{doc, Pdf, TestProject};

const EDITIONS: [&str; 4] = ["booklet", "large-print", "leaflet-a5", "leaflet-dl"];

#[test]
fn build_writes_every_edition_of_every_publication() {
    let p = TestProject::shipped();
    p.publication("second", &doc("## A short section\n\nSome text.\n"));
    let out = p.folio(&["build"]);
    out.succeeds();
    for id in ["all-treatment", "second"] {
        for edition in EDITIONS {
            let pdf = Pdf::parse(&p.pdf(id, edition));
            assert!(pdf.page_count() >= 2, "{id}-{edition}");
            assert!(
                out.stderr.contains(&format!("{id}-{edition}.pdf")),
                "{}",
                out.stderr
            );
        }
    }
}

#[test]
fn two_builds_give_byte_identical_pdfs() {
    let p = TestProject::shipped();
    p.folio(&["build", "--out", "one"]).succeeds();
    p.folio(&["build", "--out", "two"]).succeeds();
    for edition in EDITIONS {
        let name = format!("all-treatment/all-treatment-{edition}.pdf");
        let one = std::fs::read(p.root().join("one").join(&name)).unwrap();
        let two = std::fs::read(p.root().join("two").join(&name)).unwrap();
        assert!(one == two, "{name} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_pdfs_untouched() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Good\n\nGood text.\n"));
    p.folio(&["build"]).succeeds();
    let before: Vec<Vec<u8>> = EDITIONS.iter().map(|e| p.pdf("leaflet", e)).collect();

    // Break the content: one edition (and so the publication) fails.
    p.publication(
        "leaflet",
        &doc("## Good\n\nChanged text.\n\n![A chart](missing.png)\n"),
    );
    p.folio(&["build"]).fails_with(&["not found"]);
    let after: Vec<Vec<u8>> = EDITIONS.iter().map(|e| p.pdf("leaflet", e)).collect();
    assert!(before == after, "a failed build changed a PDF");

    // A layout error in one edition: the others are not written either.
    let layout = p.root().join("layouts/leaflet-dl/leaflet-dl.typ");
    let text = std::fs::read_to_string(&layout).unwrap();
    std::fs::write(&layout, format!("{text}\n#panic(\"broken layout\")\n")).unwrap();
    p.publication("leaflet", &doc("## Good\n\nNew text.\n"));
    p.folio(&["build"]).fails_with(&["broken layout"]);
    let after: Vec<Vec<u8>> = EDITIONS.iter().map(|e| p.pdf("leaflet", e)).collect();
    assert!(before == after, "a partly failed build changed a PDF");

    let leftovers: Vec<_> = std::fs::read_dir(p.root().join("dist/leaflet"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn emit_typst_writes_a_project_that_compiles_to_the_same_pages() {
    let p = TestProject::shipped();
    // With the booklet, which is cut from booklet-print's pages (`trimmed-from`): its
    // project is its own layout, which the typst CLI lays out to the same pages.
    p.folio(&[
        "build",
        "-e",
        "leaflet-a5",
        "-e",
        "booklet",
        "--emit-typst",
        "typst",
    ])
    .succeeds();
    for edition in ["leaflet-a5", "booklet"] {
        let dir = p.root().join("typst/all-treatment").join(edition);
        for file in [
            ".folio/main.typ",
            ".folio/data.json",
            "layouts/common/folio.typ",
            "compile.sh",
        ] {
            assert!(dir.join(file).is_file(), "{edition}: {file} emitted");
        }
        let main = std::fs::read_to_string(dir.join(".folio/main.typ")).unwrap();
        assert!(
            main.contains(&format!(
                "#import \"/layouts/{edition}/{edition}.typ\": {edition}"
            )),
            "{main}"
        );

        // Compile the emitted folder as a Typst project on its own (as `typst compile` would).
        let fonts = folio::world::fonts::load(&dir.join("fonts")).unwrap();
        let mut world = folio::world::FolioWorld::new(&dir, fonts, 1_790_000_000).unwrap();
        for file in ["/.folio/main.typ", "/.folio/data.json"] {
            world.set_generated(file, std::fs::read(dir.join(&file[1..])).unwrap());
        }
        let (doc, _) = folio::compile::compile(&world, "all-treatment", edition).unwrap();
        let built = Pdf::parse(&p.pdf("all-treatment", edition));
        assert_eq!(doc.pages().len(), built.page_count(), "{edition}");
        let expected = std::fs::read_to_string(dir.join(".folio/data.json")).unwrap();
        assert!(
            expected.contains("\"title\": \"Treatment for acute lymphoblastic leukaemia (ALL)\"")
        );
        // The edition's own data, not the press edition's it was cut from.
        assert!(
            expected.contains(&format!("\"name\": \"{edition}\"")),
            "{edition}"
        );
    }
}

#[test]
fn written_pdfs_are_readable_by_everyone_like_normally_written_files() {
    use std::os::unix::fs::PermissionsExt;
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Good\n\nGood text.\n"));
    p.folio(&["build", "--edition", "leaflet-a5"]).succeeds();
    let pdf = p.root().join("dist/leaflet/leaflet-leaflet-a5.pdf");
    let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o644,
        "a PDF a web server or a colleague must be able to read"
    );
}

#[test]
fn front_matter_can_restrict_a_publication_to_some_editions() {
    let p = TestProject::new();
    let md = doc("## Good\n\nGood text.\n").replacen(
        "---\n",
        "---\neditions: [leaflet, large-print]\n",
        1,
    );
    p.publication("leaflet", &md);
    p.folio(&["build"]).succeeds();
    let written: Vec<String> = std::fs::read_dir(p.root().join("dist/leaflet"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    let mut written = written;
    written.sort();
    assert_eq!(
        written,
        [
            "leaflet-large-print.pdf",
            "leaflet-leaflet-a5.pdf",
            "leaflet-leaflet-dl.pdf"
        ]
    );
}

#[test]
fn build_previews_writes_a_png_per_page_and_a_contact_sheet_per_edition() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Good\n\nGood text.\n"));
    let out = p.folio(&[
        "build",
        "--previews",
        "--edition",
        "leaflet-dl",
        "--edition",
        "booklet",
    ]);
    out.succeeds();
    for (edition, pages) in [
        ("leaflet-dl", 2),
        (
            "booklet",
            Pdf::parse(&p.pdf("leaflet", "booklet")).page_count(),
        ),
    ] {
        let dir = p.root().join("dist/leaflet/preview").join(edition);
        for n in 1..=pages {
            assert!(
                dir.join(format!("page-{n:02}.png")).is_file(),
                "{edition} page {n}"
            );
        }
        assert!(!dir.join(format!("page-{:02}.png", pages + 1)).exists());
        assert!(
            dir.join("contact-sheet.png").is_file(),
            "{edition} contact sheet"
        );
    }
}
