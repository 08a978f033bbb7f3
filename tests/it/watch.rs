//! `folio watch`, driven through its rebuild function: no sleeping, no file-system events.

use std::path::PathBuf;

use folio::cmd::build::BuildPlan;
use folio::cmd::select::Targets;
use folio::cmd::watch::{classify, SavedChange, Watch};

use crate::support::{doc, TestProject};

const MD: &str = "content/leaflet/leaflet.md";

fn watching(p: &TestProject) -> Watch {
    let session = p.session();
    let plan = BuildPlan {
        targets: Targets {
            publications: vec![crate::support::key("leaflet")],
            editions: vec![],
        },
        out: p.root().join("dist"),
        emit_typst: None,
        allow_overdue: false,
        allow_unapproved: false,
        allow_outdated_translations: false,
        previews: true,
        quiet: true,
        cache: false,
        brands: Vec::new(),
    };
    Watch::new(session, plan)
}

fn saved(p: &TestProject, rel: &str, text: &str) -> Vec<PathBuf> {
    p.file(rel, text.as_bytes());
    vec![p.root().join(rel)]
}

#[test]
fn changes_are_sorted_by_what_they_affect() {
    let root = std::path::Path::new("/p");
    assert_eq!(
        classify(root, &root.join("folio.yaml")),
        SavedChange::Project
    );
    assert_eq!(
        classify(root, &root.join("fonts/A.ttf")),
        SavedChange::Project
    );
    assert_eq!(
        classify(root, &root.join("layouts/common/folio.typ")),
        SavedChange::Layouts
    );
    assert_eq!(
        classify(root, &root.join("content/x/images/a.png")),
        SavedChange::Publication("x".into())
    );
    assert_eq!(
        classify(root, &root.join("content/x/.x.md.swp")),
        SavedChange::Ignored
    );
    assert_eq!(
        classify(root, &root.join("dist/x/x-booklet.pdf")),
        SavedChange::Ignored
    );
}

#[test]
fn an_edit_rebuilds_every_edition_and_only_changed_previews() {
    let p = TestProject::new();
    p.publication(
        "leaflet",
        &doc("## Tests\n\nYou have a blood test.\n\n## Support\n\nTalk to your nurse.\n"),
    );
    let mut watch = watching(&p);
    let first = watch.build_all();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let booklet_before = p.pdf("leaflet", "booklet");
    let pages = first
        .rendered
        .iter()
        .map(|(_, _, r)| r.len())
        .sum::<usize>();
    assert!(
        pages >= 4 + 2 + 2 + 2,
        "every page rendered the first time: {pages}"
    );

    let rebuilt = watch.on_change(&saved(
        &p,
        MD,
        &doc("## Tests\n\nYou have a urine test.\n\n## Support\n\nTalk to your nurse.\n"),
    ));
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    assert_eq!(rebuilt.publications.len(), 1);
    assert_ne!(
        p.pdf("leaflet", "booklet"),
        booklet_before,
        "the booklet PDF was rewritten"
    );
    let text = folio::inspect::flat_text(&watch_doc(&p, "booklet"));
    assert!(text.contains("urine test"), "{text}");
    // The booklet's covers and notes pages did not change: not rendered again.
    let booklet: &Vec<usize> = &rebuilt
        .rendered
        .iter()
        .find(|(_, e, _)| e == "booklet")
        .unwrap()
        .2;
    assert!(
        !booklet.is_empty() && !booklet.contains(&1),
        "only changed pages re-rendered: {booklet:?}"
    );
    // Imposed sheets are judged by the source pages they show, not by the whole placed PDF.
    let imposed = &rebuilt
        .rendered
        .iter()
        .find(|(_, e, _)| e == "booklet-imposed")
        .unwrap()
        .2;
    let sides = crate::support::Pdf::parse(&p.pdf("leaflet", "booklet-imposed")).page_count();
    assert!(
        !imposed.is_empty() && imposed.len() < sides,
        "imposed sides re-rendered: {imposed:?} of {sides}"
    );
}

fn watch_doc(p: &TestProject, edition: &str) -> typst_layout::PagedDocument {
    p.make("leaflet", edition)
        .map_err(|e| e.to_string())
        .unwrap()
        .typeset
        .unwrap()
        .doc
}

#[test]
fn an_error_keeps_the_last_good_pdf_and_a_fix_recovers() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let mut watch = watching(&p);
    watch.build_all();
    let good = p.pdf("leaflet", "leaflet-a5");

    let broken = watch.on_change(&saved(
        &p,
        MD,
        &doc("## Tests {.poster}\n\nYou have a blood test.\n"),
    ));
    assert_eq!(broken.errors.len(), 1);
    assert!(
        broken.errors[0]
            .render(false)
            .contains("no edition or class is called `poster`"),
        "{}",
        broken.errors[0]
    );
    assert!(
        broken.errors[0]
            .render(false)
            .contains(&format!("{MD}:14:1")),
        "{}",
        broken.errors[0]
    );
    assert_eq!(
        p.pdf("leaflet", "leaflet-a5"),
        good,
        "the last good PDF is kept"
    );
    assert_eq!(
        watch.errors["leaflet"].len(),
        1,
        "the preview page shows the problem"
    );

    let fixed = watch.on_change(&saved(
        &p,
        MD,
        &doc("## Tests\n\nYou have a blood test today.\n"),
    ));
    assert!(fixed.errors.is_empty(), "{:?}", fixed.errors);
    assert!(watch.errors["leaflet"].is_empty());
    assert_ne!(p.pdf("leaflet", "leaflet-a5"), good);
}

#[test]
fn a_layout_error_is_reported_with_its_span_and_the_loop_goes_on() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let mut watch = watching(&p);
    watch.build_all();
    let layout = "layouts/leaflet-a5/leaflet-a5.typ";
    let original = std::fs::read_to_string(p.root().join(layout)).unwrap();
    let broken = watch.on_change(&saved(
        &p,
        layout,
        &format!("{original}\n#let x = (1 + )\n"),
    ));
    assert!(
        broken
            .errors
            .iter()
            .any(|e| e.render(false).contains("leaflet-a5.typ")),
        "{:?}",
        broken.errors
    );
    let fixed = watch.on_change(&saved(&p, layout, &original));
    assert!(fixed.errors.is_empty(), "{:?}", fixed.errors);
}

#[test]
fn a_new_image_file_is_picked_up_and_a_deleted_one_reported() {
    let p = TestProject::new();
    let with_image = doc(
        "## Tests\n\nYou have a blood test.\n\n![A nurse with a tray of tubes](images/tray.png)\n",
    );
    p.publication("leaflet", &with_image);
    let mut watch = watching(&p);
    let missing = watch.build_all();
    assert!(
        missing.errors[0]
            .render(false)
            .contains("image `images/tray.png` not found"),
        "{:?}",
        missing.errors
    );

    let image = "content/leaflet/images/tray.png";
    p.file(image, &crate::safety::test_png());
    let found = watch.on_change(&[p.root().join(image)]);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert!(p.root().join("dist/leaflet/leaflet-booklet.pdf").exists());

    std::fs::remove_file(p.root().join(image)).unwrap();
    let deleted = watch.on_change(&[p.root().join(image)]);
    assert!(
        deleted.errors[0].render(false).contains("not found"),
        "{:?}",
        deleted.errors
    );
}

#[test]
fn a_change_to_the_project_file_reloads_the_plan() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let mut watch = watching(&p);
    watch.build_all();
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    let renamed = yaml.replace(
        "name: Folio Cancer Information",
        "name: Example Hospital Trust",
    );
    let rebuilt = watch.on_change(&saved(&p, "folio.yaml", &renamed));
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    let text = folio::inspect::flat_text(&watch_doc(&p, "leaflet-a5"));
    assert!(text.contains("Example Hospital Trust"), "{text}");
}

#[test]
fn previews_have_a_png_per_page_and_a_contact_sheet() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let mut watch = watching(&p);
    watch.build_all();
    let dir = p.root().join("dist/leaflet/preview/leaflet-a5");
    let page = image::open(dir.join("page-01.png")).unwrap();
    // A5 at 1.5 px/pt: 419.5 × 595.3 pt → 629 × 893 px.
    assert_eq!((page.width(), page.height()), (629, 893));
    assert!(dir.join("page-02.png").exists() && !dir.join("page-03.png").exists());
    let sheet = image::open(dir.join("contact-sheet.png")).unwrap();
    assert!(
        sheet.width() > 2 * 180,
        "two thumbnails side by side: {}",
        sheet.width()
    );
}

/// A watch over every publication of the project, as `folio watch` with no names.
fn watching_all(p: &TestProject) -> Watch {
    let session = p.session();
    let plan = BuildPlan {
        targets: Targets {
            publications: session
                .publication_ids()
                .unwrap()
                .iter()
                .map(|id| crate::support::key(id))
                .collect(),
            editions: vec!["leaflet-a5".into()],
        },
        out: p.root().join("dist"),
        emit_typst: None,
        allow_overdue: false,
        allow_unapproved: false,
        allow_outdated_translations: false,
        previews: true,
        quiet: true,
        cache: false,
        brands: Vec::new(),
    };
    Watch::new(session, plan)
}

#[test]
fn a_publication_folder_added_or_removed_while_watching_is_picked_up() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## One\n\nText.\n"));
    let mut watch = watching_all(&p);
    assert!(watch.build_all().errors.is_empty());
    let added = saved(
        &p,
        "content/second/second.md",
        &doc("## Two\n\nMore text.\n"),
    );
    let rebuilt = watch.on_change(&added);
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    assert_eq!(watch.folders, ["leaflet", "second"]);
    assert!(p.root().join("dist/second/second-leaflet-a5.pdf").exists());

    std::fs::remove_dir_all(p.root().join("content/second")).unwrap();
    let removed = watch.on_change(&[p.root().join("content/second/second.md")]);
    assert_eq!(removed.removed, ["second"]);
    assert_eq!(watch.folders, ["leaflet"]);
    assert!(
        removed.status().contains("removed second"),
        "{}",
        removed.status()
    );
}

#[test]
fn the_preview_page_escapes_a_hostile_folder_name_everywhere() {
    let p = TestProject::new();
    let hostile = "x\"><img src=x onerror=alert(1)>";
    p.publication(hostile, &doc("## One\n\nText.\n"));
    let mut watch = watching_all(&p);
    let rebuilt = watch.build_all();
    // Such a folder is not a publication id (issue 19): it is refused, and the page that
    // shows the refusal shows the name as text.
    let shown = format!("{:?}", rebuilt.errors);
    assert!(shown.contains("is not a publication id"), "{shown}");
    let html = folio::cmd::watch::page::page(&watch, &rebuilt);
    assert!(
        !html.contains("<img src=x"),
        "raw markup from a folder name:\n{html}"
    );
    assert!(
        html.contains("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
}

#[test]
fn a_newer_save_stops_the_rest_of_a_rebuild_before_its_next_edition_and_nothing_is_written() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let mut watch = watching(&p);
    assert!(watch.build_all().errors.is_empty());
    let before = p.pdf("leaflet", "booklet");

    let paths = saved(&p, MD, &doc("## Tests\n\nYou have a urine test.\n"));
    // The watch arms the interrupt for the rest of a save; the file watcher raises it when a
    // newer save comes, here before any edition of this one started.
    let interrupt = watch.session.interrupt.clone();
    interrupt.arm();
    interrupt.raise();
    let rebuilt = watch.on_change(&paths);
    interrupt.disarm();
    assert_eq!(rebuilt.unfinished, ["leaflet"]);
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    assert!(rebuilt.publications.is_empty());
    assert_eq!(p.pdf("leaflet", "booklet"), before, "nothing was written");

    // Raised while disarmed (a `folio build`, the page on screen), it stops nothing.
    interrupt.raise();
    let rebuilt = watch.on_change(&paths);
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    assert_eq!(rebuilt.publications.len(), 1);
    assert_ne!(p.pdf("leaflet", "booklet"), before);
}

#[test]
fn a_newer_save_during_the_previews_leaves_them_to_be_rendered_after_it() {
    use folio::cmd::build::previews;
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let session = p.session();
    let plan = watching(&p).plan;
    let made = vec![p.make("leaflet", "leaflet-a5").unwrap()];
    let key = crate::support::key("leaflet");
    let mut kept = std::collections::BTreeMap::new();

    // Armed and raised (a newer save came): nothing rendered, nothing remembered.
    session.interrupt.arm();
    session.interrupt.raise();
    let stopped = previews::render(&session, &plan, &key, &made, &mut kept);
    assert!(matches!(
        stopped,
        Err(folio::compile::BuildError::Interrupted { .. })
    ));
    assert!(kept
        .get("leaflet-a5")
        .is_none_or(|h| h.hashes.iter().all(|&h| h == 0)));

    // After it, every page is rendered.
    session.interrupt.disarm();
    let rendered = previews::render(&session, &plan, &key, &made, &mut kept).unwrap();
    assert_eq!(rendered[0].2.rendered, [1, 2]);
}

#[test]
fn the_previews_of_several_editions_share_one_worker_per_core_and_stop_between_pages() {
    use folio::export::preview::{render_editions, Drawn, EditionPages, PageSource, PreviewHashes};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let made = [
        p.make("leaflet", "leaflet-a5").unwrap(),
        p.make("leaflet", "leaflet-dl").unwrap(),
    ];
    // Beside them, an edition whose pages folio draws (as braille's are): two grey pages.
    let drawn = Drawn {
        keys: vec![1, 2],
        draw: Box::new(|i| image::RgbaImage::from_pixel(40, 60, image::Rgba([i as u8, 9, 9, 255]))),
    };
    let mut editions: Vec<EditionPages> = made
        .iter()
        .map(|m| EditionPages {
            pages: PageSource::Typeset {
                doc: m.doc().unwrap(),
                sources: Vec::new(),
            },
            dir: p.root().join("dist/leaflet/preview").join(&m.edition),
        })
        .collect();
    editions.push(EditionPages {
        pages: PageSource::Drawn(&drawn),
        dir: p.root().join("dist/leaflet/preview/drawn"),
    });
    let counts: Vec<usize> = made
        .iter()
        .map(|m| m.doc().unwrap().pages().len())
        .chain([2])
        .collect();
    assert!(counts[0] >= 2 && counts[1] >= 2, "{counts:?}");

    // Every page of the three editions, on no more threads than the machine has cores
    // (this thread asks too, before the contact sheets).
    let this = std::thread::current().id();
    let threads = Mutex::new(std::collections::BTreeSet::new());
    let record = || {
        let id = std::thread::current().id();
        if id != this {
            threads.lock().unwrap().insert(format!("{id:?}"));
        }
        false
    };
    let mut kept = vec![PreviewHashes::default(); 3];
    let results = render_editions(&editions, &mut kept, &record);
    let cores = std::thread::available_parallelism().unwrap().get();
    let used = threads.lock().unwrap().len();
    assert!(used <= cores, "{used} threads for {cores} cores");
    for (count, result) in counts.iter().zip(&results) {
        let previews = result.as_ref().unwrap();
        let all: Vec<usize> = (1..=*count).collect();
        assert_eq!(previews.rendered, all);
        assert!(previews
            .files
            .iter()
            .any(|(path, _)| path.ends_with("contact-sheet.png")));
    }
    // The drawn pages are PNGs of what was drawn.
    let (_, png) = &results[2].as_ref().unwrap().files[0];
    let page = image::load_from_memory(png).unwrap().to_rgba8();
    assert_eq!(
        (page.width(), page.height(), page.get_pixel(0, 0).0),
        (40, 60, [0, 9, 9, 255])
    );

    // Written, and nothing changed: nothing is drawn or rendered again.
    for (path, bytes) in results.iter().flat_map(|r| &r.as_ref().unwrap().files) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let again = render_editions(&editions, &mut kept, &|| false);
    assert!(again
        .iter()
        .all(|r| r.as_ref().unwrap().rendered.is_empty()));

    // A newer save after the first page started: no other page and no contact sheet is
    // made, and every edition says it was stopped.
    let calls = AtomicUsize::new(0);
    let stop_after_one = || calls.fetch_add(1, Ordering::SeqCst) >= 1;
    let mut kept = vec![PreviewHashes::default(); 3];
    let results = render_editions(&editions, &mut kept, &stop_after_one);
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::Interrupted);
    }
    let remembered = kept
        .iter()
        .flat_map(|k| &k.hashes)
        .filter(|&&h| h != 0)
        .count();
    assert_eq!(remembered, 1, "only the page started before the stop");
}
