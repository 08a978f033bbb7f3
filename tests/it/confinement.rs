//! Hostile input on disk: links out of the project, special files, image bombs.
//!
//! Each test reproduces one attack and asserts that folio refuses it with a named exit code,
//! an error that names the file (and never shows what the refused file holds), and no PDF.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use folio::confine::{read_project_file, ConfineError};
use folio::world::project_id;
use typst::World;

use crate::safety::test_png;
use crate::support::{doc, Output, TestProject, TODAY};

/// Text a refused file holds: it must never appear in folio's output.
const SECRET: &str = "SECRET-7f3a-DO-NOT-SHOW";

/// Asserts a refusal: a named exit code (not a crash), the message parts, no secret, and no
/// PDF for `id`.
fn refused(p: &TestProject, out: &Output, id: &str, parts: &[&str]) {
    assert!(
        out.code == 1 || out.code == 2,
        "expected exit code 1 or 2, got {}:\n{}",
        out.code,
        out.stderr
    );
    out.fails_with(parts);
    for leaked in ["root:", SECRET] {
        assert!(
            !out.stderr.contains(leaked) && !out.stdout.contains(leaked),
            "output shows {leaked:?}:\n{}",
            out.stderr
        );
    }
    assert!(
        !p.root().join("dist").join(id).exists(),
        "something was written for {id}"
    );
}

/// A file outside any project, holding [`SECRET`].
fn outside_file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_markdown_file_linked_to_a_system_file_is_refused_unread() {
    let p = TestProject::new();
    std::fs::create_dir_all(p.root().join("content/leak")).unwrap();
    symlink("/etc/passwd", p.root().join("content/leak/leak.md")).unwrap();
    let out = p.folio(&["build", "leak"]);
    refused(
        &p,
        &out,
        "leak",
        &["content/leak/leak.md", "leads outside the project folder"],
    );
}

#[test]
fn a_publication_folder_linked_outside_the_project_is_refused() {
    let p = TestProject::new();
    let outside = tempfile::tempdir().unwrap();
    let md = doc(&format!("## Leak\n\n{SECRET}\n"));
    outside_file(outside.path(), "leak/leak.md", md.as_bytes());
    symlink(outside.path().join("leak"), p.root().join("content/leak")).unwrap();
    let out = p.folio(&["build", "leak"]);
    refused(
        &p,
        &out,
        "leak",
        &["content/leak", "leads outside the project folder"],
    );
}

#[test]
fn a_font_linked_outside_the_project_is_refused() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Good\n\nGood text.\n"));
    // A real font, so that only the link (not the content) can be the reason.
    let outside = tempfile::tempdir().unwrap();
    let font = std::fs::read(p.root().join("fonts/AtkinsonHyperlegible-Regular.ttf")).unwrap();
    let target = outside_file(outside.path(), "System.ttf", &font);
    symlink(&target, p.root().join("fonts/System.ttf")).unwrap();
    let out = p.folio(&["build"]);
    refused(
        &p,
        &out,
        "leaflet",
        &["fonts/System.ttf", "leads outside the project folder"],
    );
}

#[test]
fn a_fifo_in_the_fonts_folder_is_refused_without_waiting() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Good\n\nGood text.\n"));
    let fifo = p.root().join("fonts/Pipe.ttf");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    // Opening a FIFO blocks until a writer comes: folio must not even open it.
    let out = folio_within(&p, &["build"], Duration::from_secs(60));
    refused(
        &p,
        &out,
        "leaflet",
        &["fonts/Pipe.ttf", "named pipe (FIFO)"],
    );
}

#[test]
fn a_png_claiming_ten_billion_pixels_is_refused_at_its_markdown_line() {
    let p = TestProject::new();
    let md = doc("## Pictures\n\n![A chart](images/bomb.png)\n");
    p.publication("bomb", &md);
    let bomb = png_bomb(100_000, 100_000);
    assert_eq!(bomb.len(), 74);
    p.file("content/bomb/images/bomb.png", &bomb);
    let out = p.folio(&["build"]);
    refused(
        &p,
        &out,
        "bomb",
        &[
            "image `images/bomb.png` cannot be used",
            "100000 × 100000 pixels",
            &format!("content/bomb/bomb.md:{}:", image_line(&md)),
            "scale the image down",
        ],
    );
}

#[test]
fn the_world_refuses_an_image_bomb_that_a_layout_would_read() {
    let p = TestProject::new();
    p.publication("probe", &doc("Text.\n"));
    let session = p.session();
    let publication = session.load(&crate::support::key("probe")).unwrap();
    let world = session
        .world(&publication, "booklet", &Default::default())
        .unwrap();
    // Not shown in the Markdown, so only the world's own check stands between it and Typst.
    p.file("layouts/logo.png", &png_bomb(100_000, 100_000));
    let err = world
        .file(project_id("/layouts/logo.png"))
        .expect_err("refused");
    let err = format!("{err:?}");
    assert!(
        err.contains("layouts/logo.png") && err.contains("pixels"),
        "{err}"
    );
    p.file("layouts/good.png", &test_png());
    assert!(world.file(project_id("/layouts/good.png")).is_ok());
}

#[test]
fn a_truncated_png_is_refused_at_its_markdown_line() {
    let p = TestProject::new();
    let md = doc("## Pictures\n\n![A chart](images/cut.png)\n");
    p.publication("cut", &md);
    let png = test_png();
    p.file("content/cut/images/cut.png", &png[..png.len() / 2]);
    let out = p.folio(&["build"]);
    refused(
        &p,
        &out,
        "cut",
        &[
            "image `images/cut.png` cannot be used",
            "damaged or cut short",
            &format!("content/cut/cut.md:{}:", image_line(&md)),
        ],
    );
}

#[test]
fn a_png_that_is_really_text_is_refused_without_showing_it() {
    let p = TestProject::new();
    let md = doc("## Pictures\n\n![A chart](images/notes.png)\n");
    p.publication("text", &md);
    p.file(
        "content/text/images/notes.png",
        format!("{SECRET}\nroot:x:0:0\n").as_bytes(),
    );
    let out = p.folio(&["build"]);
    refused(
        &p,
        &out,
        "text",
        &[
            "image `images/notes.png` cannot be used",
            "not a PNG or JPEG image",
            &format!("content/text/text.md:{}:", image_line(&md)),
        ],
    );
}

#[test]
fn a_jpeg_named_png_is_refused() {
    let p = TestProject::new();
    let md = doc("## Pictures\n\n![A photograph](images/photo.png)\n");
    p.publication("photo", &md);
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 64, image::Rgb([200, 100, 50]))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    p.file("content/photo/images/photo.png", jpeg.get_ref());
    let out = p.folio(&["build"]);
    refused(
        &p,
        &out,
        "photo",
        &["image `images/photo.png`", "named `.png` but is a JPEG"],
    );
}

#[test]
fn emit_typst_copies_only_what_the_compile_read_and_nothing_from_outside() {
    let p = TestProject::new();
    let md = doc("## Pictures\n\nText.\n\n![A chart](images/dot.png)\n");
    p.publication("leaflet", &md);
    p.file("content/leaflet/images/dot.png", &test_png());
    p.file("content/leaflet/notes.txt", b"not read by the compile");
    p.file("layouts/unused/unused.typ", b"#let unused = 1\n");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside_file(outside.path(), "hostname", SECRET.as_bytes());
    symlink(&secret, p.root().join("content/leaflet/hostname")).unwrap();
    symlink(&secret, p.root().join("layouts/common/hostname.typ")).unwrap();
    p.folio(&["build", "--edition", "leaflet-a5", "--emit-typst", "typst"])
        .succeeds();

    let dir = p.root().join("typst/leaflet/leaflet-a5");
    let mut emitted = files_below(&dir);
    emitted.sort();
    for file in &emitted {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{file} holds the outside file"
        );
    }
    for wanted in [
        ".folio/main.typ",
        ".folio/data.json",
        "compile.sh",
        "layouts/common/folio.typ",
        "layouts/leaflet-a5/leaflet-a5.typ",
        "content/leaflet/images/dot.png",
    ] {
        assert!(
            emitted.iter().any(|f| f == wanted),
            "{wanted} not emitted: {emitted:?}"
        );
    }
    // The shared layout files are read (all but the link out); nothing else is.
    let shared = |f: &str| f.starts_with("layouts/common/") && !f.contains("hostname");
    let unread = |f: &&String| {
        !f.starts_with(".folio/")
            && !f.starts_with("fonts/")
            && *f != "compile.sh"
            && !shared(f)
            && !f.starts_with("layouts/leaflet-a5/")
            && *f != "content/leaflet/images/dot.png"
    };
    let extra: Vec<_> = emitted.iter().filter(unread).collect();
    assert!(
        extra.is_empty(),
        "files the compile did not read: {extra:?}"
    );
    let fonts: Vec<_> = emitted.iter().filter(|f| f.starts_with("fonts/")).collect();
    assert!(!fonts.is_empty(), "no font emitted");
    assert!(
        fonts.iter().all(|f| f.ends_with(".ttf")),
        "only font files: {fonts:?}"
    );
    assert_eq!(
        std::fs::read(dir.join("content/leaflet/images/dot.png")).unwrap(),
        test_png(),
        "the image as read"
    );
}

#[test]
fn read_project_file_refuses_links_out_and_special_files() {
    let p = TestProject::new();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside_file(outside.path(), "folio.yaml", SECRET.as_bytes());
    std::fs::remove_file(p.root().join("folio.yaml")).unwrap();
    symlink(&secret, p.root().join("folio.yaml")).unwrap();
    let err = read_project_file(p.root(), Path::new("folio.yaml")).expect_err("refused");
    assert!(matches!(err, ConfineError::Outside { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "`folio.yaml` leads outside the project folder"
    );

    let fifo = p.root().join("pipe.yaml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let err = read_project_file(p.root(), Path::new("pipe.yaml")).expect_err("refused");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited on the FIFO"
    );
    assert!(err.to_string().contains("named pipe"), "{err}");

    // A missing file beneath a link out is "outside", not "not found": no probing outside.
    symlink(outside.path(), p.root().join("elsewhere")).unwrap();
    let err = read_project_file(p.root(), Path::new("elsewhere/missing")).expect_err("refused");
    assert!(matches!(err, ConfineError::Outside { .. }), "{err:?}");
    let err = read_project_file(p.root(), Path::new("missing.yaml")).expect_err("refused");
    assert!(matches!(err, ConfineError::NotFound { .. }), "{err:?}");
}

/// Runs `folio` like [`TestProject::folio`], but kills it and fails the test when it does
/// not finish within `limit` (a blocked read would otherwise hang the test suite).
pub(crate) fn folio_within(p: &TestProject, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("FOLIO_TODAY", TODAY)
        .env_remove("FOLIO_ROOT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("folio runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("folio did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The 1-based line of the first image in a Markdown file.
fn image_line(md: &str) -> usize {
    md.lines()
        .position(|l| l.starts_with("!["))
        .expect("an image")
        + 1
}

/// Every file below `dir`, as slash-separated paths relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// A 74-byte PNG whose header claims `width` × `height` RGBA pixels, with a few bytes of
/// image data: what an attacker sends to make a decoder allocate gigabytes.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    // Bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace.
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    // The start of a zlib stream (a stored block of 12 zero bytes, 10 of them present): far
    // less data than the header promises, as in the attack.
    let mut idat = vec![0x78, 0x01, 0x01, 12, 0, !12, 0xff];
    idat.extend([0; 10]);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Appends a PNG chunk: length, type, data, CRC of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend((data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend(kind);
    png.extend(data);
    let crc = crc32(&png[start..]);
    png.extend(crc.to_be_bytes());
}

/// CRC-32 (IEEE, as PNG uses), bit by bit: slow and short, fine for a few bytes.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
