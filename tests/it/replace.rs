//! A publication is replaced as one unit: when any of its files cannot be written, none of
//! its files changes, and the message says so truthfully.

use crate::support::TestProject;

const ID: &str = "all-treatment";

fn outputs(p: &TestProject) -> Vec<(String, Vec<u8>)> {
    let dir = p.root().join("dist").join(ID);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_folder_in_the_way_of_one_pdf_leaves_every_file_of_the_publication_as_it_was() {
    let p = TestProject::shipped();
    p.folio(&["build", "--quiet"]).succeeds();
    let dist = p.root().join("dist").join(ID);
    let blocked = dist.join(format!("{ID}-leaflet-a5.pdf"));
    std::fs::remove_file(&blocked).unwrap();
    std::fs::create_dir_all(blocked.join("x")).unwrap();
    let before = outputs(&p);
    assert!(
        before.len() >= 7,
        "5 PDFs and the job sheet files: {before:?}"
    );

    let md = p.root().join(format!("content/{ID}/{ID}.md"));
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replacen("blood", "bloods", 1)).unwrap();
    let out = p.folio(&["build", "--quiet"]);
    out.fails_with(&[
        "leaflet-a5.pdf",
        "in the way",
        "none of its files was replaced",
    ]);
    assert_eq!(outputs(&p), before, "no file of the publication changed");
    let names: Vec<String> = std::fs::read_dir(&dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".folio-")),
        "no temporary files are left: {names:?}"
    );

    // With the way clear, the next build replaces them all.
    std::fs::remove_dir_all(&blocked).unwrap();
    p.folio(&["build", "--quiet"]).succeeds();
    assert_ne!(outputs(&p), before);
}

#[test]
fn temporary_files_of_an_interrupted_build_are_removed_by_the_next() {
    let p = TestProject::shipped();
    p.folio(&["build", "--quiet", "-e", "leaflet-a5"])
        .succeeds();
    let dist = p.root().join("dist").join(ID);
    std::fs::write(dist.join(".folio-killed.tmp"), b"half a PDF").unwrap();
    p.folio(&["build", "--quiet", "-e", "leaflet-a5"])
        .succeeds();
    assert!(!dist.join(".folio-killed.tmp").exists());
}
