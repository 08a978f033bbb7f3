//! File size, encoding and control characters: refused before any parsing, with the place.

use std::path::Path;

use crate::content::limits::{self, MAX_FILE_BYTES};
use crate::content::test_support::{at, body, file_problem, hints, says, Folder, BODY_LINE, FRONT};

#[test]
fn a_file_over_the_limit_is_refused_with_its_size_and_the_limit() {
    let mut bytes = format!("{FRONT}Text.\n").into_bytes();
    bytes.resize(MAX_FILE_BYTES as usize + 1, b'a');
    let p = Folder::new().parse(&bytes).unwrap_err();
    assert_eq!(MAX_FILE_BYTES, 150_000);
    says(&p, "too large: 151 KB (150001 bytes); the limit is 150 KB");
    hints(&p, "split the publication");
    assert_eq!(
        p.location.unwrap().line,
        None,
        "refused before reading any line"
    );
}

#[test]
fn a_file_at_the_limit_is_read() {
    let mut text = format!("{FRONT}Text.\n\n");
    let filler = "A sentence of ordinary length for a leaflet.\n\n";
    while text.len() + filler.len() <= MAX_FILE_BYTES as usize {
        text.push_str(filler);
    }
    assert!(Folder::new().parse(text.as_bytes()).is_ok());
}

#[test]
fn reading_a_large_file_from_disk_stops_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.md");
    std::fs::write(&file, vec![b'a'; 2_500_000]).unwrap();
    let p = limits::read(&file).unwrap_err();
    says(&p, "2500 KB (2500000 bytes)");
    std::fs::write(&file, b"small").unwrap();
    assert_eq!(limits::read(&file).unwrap(), b"small");
    says(
        &limits::read(Path::new("/no/such/folio/file.md")).unwrap_err(),
        "cannot read the file",
    );
}

#[test]
fn a_nul_in_the_body_is_refused_at_its_line_and_column_as_u_0000() {
    let p = body("Intro.\n\nTake two\u{0} tablets.\n").unwrap_err();
    says(&p, "control character U+0000");
    hints(&p, "delete it");
    assert_eq!(at(&p), (BODY_LINE + 2, 9));
}

#[test]
fn escape_delete_and_c1_controls_are_refused_too() {
    for (c, name) in [
        ('\u{1b}', "U+001B"),
        ('\u{7f}', "U+007F"),
        ('\u{85}', "U+0085"),
        ('\u{9f}', "U+009F"),
    ] {
        let p = body(&format!("é{c}\n")).unwrap_err();
        says(&p, name);
        assert_eq!(at(&p), (BODY_LINE, 2), "{name}");
    }
}

#[test]
fn a_control_character_in_the_front_matter_is_refused_at_its_line() {
    let p = file_problem(
        FRONT
            .replace("A test leaflet", "A test\u{8} leaflet")
            .as_bytes(),
    );
    says(&p, "U+0008");
    assert_eq!(at(&p), (2, 14));
}

#[test]
fn tabs_and_windows_line_ends_are_ordinary_text() {
    let crlf = format!("{FRONT}Take\ttwo.\n\n## Next\n\nMore.\n").replace('\n', "\r\n");
    let (meta, nodes) = Folder::new().parse(crlf.as_bytes()).unwrap();
    assert_eq!(meta.title, "A test leaflet");
    let texts: Vec<String> = nodes.iter().map(|n| n.block.plain_text()).collect();
    assert_eq!(texts, ["Take\ttwo.", "Next", "More."]);
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_place() {
    let mut bytes = format!("{FRONT}Intro.\n\ncaf").into_bytes();
    bytes.extend_from_slice(b"\xE9 au lait\n");
    let p = file_problem(&bytes);
    says(&p, "not UTF-8 text: byte 0xE9");
    hints(&p, "save the file as UTF-8");
    assert_eq!(at(&p), (BODY_LINE + 2, 4));
}
