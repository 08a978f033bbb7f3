//! Hostile input, round three (issue 19): the confinement rule for every kind of file read
//! or written (translations, translation records, brands, output folders, shards, caches),
//! text that YAML escapes turn into control characters, ids, withdrawn publications and
//! verdicts that must be true. Each test reproduces one attack and asserts the outcome: the
//! error and where, the exit code, nothing outside touched, nothing outside echoed.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::confinement::folio_within;
use crate::support::{doc, fixture, Output, TestProject, TODAY};

/// Text a refused file holds: it must never appear in folio's output.
const SECRET: &str = "SECRET-19-DO-NOT-SHOW";

/// The one cheap edition the tests that build ask for.
const EDITION: &str = "leaflet-a5";

fn no_secret(out: &Output) {
    for leaked in ["root:x", SECRET] {
        assert!(
            !out.stderr.contains(leaked) && !out.stdout.contains(leaked),
            "output shows {leaked:?}:\n{}",
            out.stderr
        );
    }
}

/// A project with the publication `sample`.
fn with_sample() -> TestProject {
    let p = TestProject::new();
    p.publication("sample", &doc("## About\n\nSome text about the tests.\n"));
    p
}

/// A folder outside any project, with `files` in it.
fn outside(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Every file below `dir`, as paths from it, sorted.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                out.extend(
                    files_below(&path)
                        .into_iter()
                        .map(|f| format!("{}/{f}", e.file_name().to_string_lossy())),
                );
            } else {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// A Welsh translation of the `sample` publication, with `secret` in its text.
fn welsh(secret: &str) -> String {
    fixture("front-matter.yaml").replace(
        "language: en-GB",
        "language: cy-GB\ntranslation-of: \"2.1\"",
    ) + &format!("## Amdanom\n\n{secret} Testun.\n")
}

// --- Broken 1 and 2: translations and their records ---------------------------------------

#[test]
fn a_translation_linked_out_of_the_project_is_refused_and_nothing_of_it_is_built() {
    let p = with_sample();
    let there = outside(&[("x.cy.md", &welsh(SECRET))]);
    symlink(
        there.path().join("x.cy.md"),
        p.root().join("content/sample/sample.cy.md"),
    )
    .unwrap();
    let out = p.folio(&["build", "sample", "-e", EDITION]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.fails_with(&[
        "content/sample/sample.cy.md",
        "leads outside the project folder",
    ]);
    no_secret(&out);
    assert!(
        !p.root().join("dist/sample/cy").exists(),
        "the translation was built"
    );
    let index = std::fs::read_to_string(p.root().join("dist/index.html")).unwrap_or_default();
    assert!(
        !index.contains(SECRET),
        "the outside title reached the catalogue"
    );
}

#[test]
fn a_translation_linked_to_a_system_file_is_never_printed() {
    let p = with_sample();
    symlink("/etc/passwd", p.root().join("content/sample/sample.pl.md")).unwrap();
    let out = p.folio(&["check", "sample"]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("sample.pl.md"), "{}", out.stderr);
    no_secret(&out);
}

#[test]
fn a_translation_record_linked_to_a_system_file_is_never_printed() {
    let p = with_sample();
    p.file("content/sample/sample.cy.md", welsh("").as_bytes());
    symlink(
        "/etc/passwd",
        p.root().join("content/sample/sample.cy.confirmed.yaml"),
    )
    .unwrap();
    let out = p.folio(&["check", "sample"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // `check` prints its findings on standard output.
    for part in [
        "sample.cy.confirmed.yaml",
        "leads outside the project folder",
    ] {
        assert!(out.stdout.contains(part), "{part}:\n{}", out.stdout);
    }
    no_secret(&out);
}

// --- Broken 3: brands -----------------------------------------------------------------------

const BRAND: &str = "name: SECRET-19-DO-NOT-SHOW Trust\ncontact:\n  - \"01632 960 123\"\n\
                     approved-by: Someone\napproved-on: 2026-10-01\n";

#[test]
fn a_brand_folder_linked_out_of_the_project_is_refused() {
    let p = with_sample();
    let there = outside(&[("b/brand.yaml", BRAND)]);
    std::fs::create_dir_all(p.root().join("brands")).unwrap();
    symlink(there.path().join("b"), p.root().join("brands/evil")).unwrap();
    let out = p.folio(&["build", "sample", "-e", EDITION, "--brand", "evil"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    out.fails_with(&["brands/evil", "leads outside the project folder"]);
    no_secret(&out);
    assert!(!p.root().join("dist/sample").exists());
}

#[test]
fn a_brand_file_linked_to_a_system_file_is_refused_unread() {
    let p = with_sample();
    std::fs::create_dir_all(p.root().join("brands/evil")).unwrap();
    symlink("/etc/passwd", p.root().join("brands/evil/brand.yaml")).unwrap();
    let out = p.folio(&["build", "sample", "-e", EDITION, "--brand", "evil"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    out.fails_with(&["brands/evil/brand.yaml", "leads outside the project folder"]);
    no_secret(&out);
}

// --- Broken 4: links in the output folder ---------------------------------------------------

#[test]
fn a_publication_output_folder_that_is_a_link_is_refused_and_nothing_lands_where_it_leads() {
    let p = with_sample();
    let there = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(p.root().join("dist")).unwrap();
    symlink(there.path(), p.root().join("dist/sample")).unwrap();
    let out = p.folio(&["build", "sample", "-e", EDITION]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.fails_with(&["dist/sample", "is a link", "none of its files was replaced"]);
    assert_eq!(files_below(there.path()), Vec::<String>::new());
}

// --- Broken 5 and weak: merge -----------------------------------------------------------------

/// A project with `sample` built into the shard folder `shard`.
fn built_shard() -> TestProject {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION, "--out", "shard"])
        .succeeds();
    p
}

/// A copy of the shard to attack, named `name`.
fn shard_copy(p: &TestProject, name: &str) -> PathBuf {
    let to = p.root().join(name);
    folio::export::copy_tree(&p.root().join("shard"), &to, &|_| true).unwrap();
    to
}

fn merge(p: &TestProject, shard: &str, out: &str) -> Output {
    folio_within(p, &["merge", "--out", out, shard], Duration::from_secs(120))
}

const PDF: &str = "sample/sample-leaflet-a5.pdf";

#[test]
fn a_clean_shard_merges_and_verifies() {
    let p = built_shard();
    merge(&p, "shard", "merged").succeeds();
    let out = p.folio(&["verify", "--out", "merged"]);
    out.succeeds();
    assert!(
        out.stderr.contains("each as catalogue.json lists it"),
        "{}",
        out.stderr
    );
}

#[test]
fn merge_refuses_a_booklet_that_is_a_link_to_a_system_file() {
    let p = built_shard();
    let s = shard_copy(&p, "s1");
    std::fs::remove_file(s.join(PDF)).unwrap();
    symlink("/etc/passwd", s.join(PDF)).unwrap();
    let out = merge(&p, "s1", "m1");
    out.fails_with(&["s1/sample/sample-leaflet-a5.pdf", "is a link"]);
    no_secret(&out);
    assert!(!p.root().join("m1").exists());
}

#[test]
fn merge_refuses_a_link_to_a_secret_and_a_folder_link_anywhere_in_a_shard() {
    let p = built_shard();
    let there = outside(&[("secret.txt", SECRET), ("dir/x.txt", SECRET)]);
    let s = shard_copy(&p, "s2");
    symlink(there.path().join("secret.txt"), s.join("sample/notes.txt")).unwrap();
    let out = merge(&p, "s2", "m2");
    out.fails_with(&["s2/sample/notes.txt", "is a link"]);
    no_secret(&out);
    let s = shard_copy(&p, "s3");
    symlink(there.path().join("dir"), s.join("sample/extra")).unwrap();
    merge(&p, "s3", "m3").fails_with(&["s3/sample/extra", "is a link"]);
    assert!(!p.root().join("m2").exists() && !p.root().join("m3").exists());
}

#[test]
fn merge_refuses_a_pdf_that_is_not_the_one_its_entry_records() {
    let p = built_shard();
    let s = shard_copy(&p, "s4");
    // Same size, one byte changed: only the hash tells.
    let mut bytes = std::fs::read(s.join(PDF)).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x20;
    std::fs::write(s.join(PDF), &bytes).unwrap();
    let out = merge(&p, "s4", "m4");
    out.fails_with(&["s4/sample/sample-leaflet-a5.pdf", "SHA-256"]);
    assert!(!p.root().join("m4").exists());
}

#[test]
fn merge_refuses_entry_paths_that_leave_the_publication_folder() {
    let p = built_shard();
    for (i, path) in ["../../../../etc/passwd", "/etc/passwd"].iter().enumerate() {
        let name = format!("s5{i}");
        let s = shard_copy(&p, &name);
        let entry = s.join("sample/entry.json");
        let text = std::fs::read_to_string(&entry).unwrap();
        let text = text.replace("\"sample-leaflet-a5.pdf\"", &format!("\"{path}\""));
        std::fs::write(&entry, text).unwrap();
        let out = merge(&p, &name, &format!("m5{i}"));
        out.fails_with(&["entry.json", "not a file of its folder"]);
        no_secret(&out);
    }
}

#[test]
fn a_fifo_in_a_shard_is_refused_without_waiting() {
    let p = built_shard();
    let s = shard_copy(&p, "s6");
    let made = Command::new("mkfifo")
        .arg(s.join("sample/pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    merge(&p, "s6", "m6").fails_with(&["s6/sample/pipe", "not a file"]);
}

#[test]
fn the_next_merge_removes_what_a_killed_merge_left() {
    let p = built_shard();
    let leftover = p.root().join(".folio-merge-killed");
    std::fs::create_dir_all(leftover.join("sample")).unwrap();
    std::fs::write(leftover.join("sample/half.pdf"), "half").unwrap();
    merge(&p, "shard", "merged").succeeds();
    assert!(
        !leftover.exists(),
        "the staging folder of a killed merge is still there"
    );
}

#[test]
fn merge_into_a_folder_inside_a_shard_is_refused() {
    let p = built_shard();
    let out = merge(&p, "shard", "shard/merged");
    out.fails_with(&["shard/merged", "inside the shard"]);
    assert!(!p.root().join("shard/merged").exists());
}

// --- Weak: verify -------------------------------------------------------------------------

#[test]
fn verify_names_a_pdf_edited_with_its_size_kept() {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION]).succeeds();
    let pdf = p.root().join("dist").join(PDF);
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x20;
    std::fs::write(&pdf, &bytes).unwrap();
    let out = p.folio(&["verify"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.fails_with(&[
        PDF,
        "SHA-256",
        "1 file(s) in dist are not as catalogue.json lists them",
    ]);
}

#[test]
fn verify_needs_no_project_and_names_a_missing_file() {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION]).succeeds();
    let copy = tempfile::tempdir().unwrap();
    folio::export::copy_tree(&p.root().join("dist"), copy.path(), &|_| true).unwrap();
    std::fs::remove_file(copy.path().join(PDF)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["verify", "--out", "."])
        .current_dir(copy.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(PDF) && stderr.contains("missing"),
        "{stderr}"
    );
}

// --- Broken 9: control characters through YAML escapes ------------------------------------

fn front_matter_with(key_line: &str, replacement: &str) -> String {
    let text = doc("## About\n\nText.\n");
    let line = text
        .lines()
        .find(|l| l.starts_with(key_line))
        .unwrap_or_else(|| panic!("no line {key_line}"))
        .to_string();
    text.replacen(&line, replacement, 1)
}

#[test]
fn an_escape_sequence_in_a_title_is_refused_at_its_line() {
    let p = TestProject::new();
    p.publication(
        "sample",
        &front_matter_with("title:", "title: \"Treatment \\e[31m for ALL\""),
    );
    let out = p.folio(&["build", "-e", EDITION]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.fails_with(&[
        "`title` holds the control character U+001B",
        "content/sample/sample.md:2:1",
    ]);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!p.root().join("dist/sample").exists());
}

#[test]
fn escapes_in_the_subtitle_product_code_and_references_are_refused_too() {
    for (key, value, line) in [
        ("subtitle:", "subtitle: \"What \\x07 happens\"", 3),
        ("product-code:", "product-code: \"T\\u009b1\"", 5),
        ("  - \"A reference", "  - \"A \\e]0;owned\\a reference\"", 9),
    ] {
        let p = TestProject::new();
        p.publication("sample", &front_matter_with(key, value));
        let out = p.folio(&["check", "sample"]);
        assert_ne!(out.code, 0, "{key}: {}", out.stderr);
        out.fails_with(&[
            "holds the control character",
            &format!("sample.md:{line}:1"),
        ]);
        assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'));
    }
}

#[test]
fn a_bidi_override_in_a_title_is_refused() {
    let p = TestProject::new();
    p.publication(
        "sample",
        &front_matter_with("title:", "title: \"Safe \\u202Eesod elbuod\""),
    );
    let out = p.folio(&["check", "sample"]);
    out.fails_with(&["bidirectional control character U+202E", "sample.md:2:1"]);
}

#[test]
fn an_escape_in_the_publisher_of_folio_yaml_is_refused_at_its_line() {
    let p = with_sample();
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    let line = yaml
        .lines()
        .position(|l| l.trim_start().starts_with("name:"))
        .unwrap()
        + 1;
    let yaml = yaml.replacen(
        "name: Folio Cancer Information",
        "name: \"Folio \\e[2J Cancer Information\"",
        1,
    );
    std::fs::write(p.root().join("folio.yaml"), yaml).unwrap();
    let out = p.folio(&["build", "-e", EDITION]);
    out.fails_with(&[
        "`publisher.name` holds the control character U+001B",
        &format!("folio.yaml:{line}:1"),
    ]);
    assert!(!p.root().join("dist").exists());
}

#[test]
fn deeply_nested_flow_yaml_is_refused_before_it_is_parsed() {
    let p = TestProject::new();
    let deep = format!("extra:\n  x: {}1{}", "[".repeat(5000), "]".repeat(5000));
    p.publication(
        "sample",
        &front_matter_with("reviewers:", &format!("{deep}\nreviewers:")),
    );
    let out = folio_within(&p, &["check", "sample"], Duration::from_secs(30));
    out.fails_with(&["nest 5000 deep; the limit is 16", "sample.md:12:1"]);
}

// --- Broken 10 and weak: ids, withdrawn publications ----------------------------------------

#[test]
fn a_dotted_folder_is_its_own_located_error_and_the_catalogue_is_written_for_the_others() {
    let p = with_sample();
    p.publication("zz.cy", &doc("## Zz\n\nText.\n"));
    let out = p.folio(&["build", "-e", EDITION]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.fails_with(&[
        "`zz.cy` is not a publication id: it holds a dot",
        "content/zz.cy",
    ]);
    let catalogue = std::fs::read_to_string(p.root().join("dist/catalogue.json")).unwrap();
    assert!(catalogue.contains("\"id\": \"sample\""), "{catalogue}");
    // Deleted, it is forgotten: the next build succeeds.
    std::fs::remove_dir_all(p.root().join("content/zz.cy")).unwrap();
    p.folio(&["build", "-e", EDITION]).succeeds();
}

#[test]
fn an_entry_left_in_the_wrong_folder_by_an_older_build_is_withdrawn_not_fatal() {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION]).succeeds();
    // What an older folio left for `content/zz.cy`: an entry in dist/zz/cy naming another folder.
    let stale = p.root().join("dist/zz/cy");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::copy(
        p.root().join("dist/sample/entry.json"),
        stale.join("entry.json"),
    )
    .unwrap();
    let out = p.folio(&["build", "-e", EDITION]);
    out.succeeds();
    assert!(!p.root().join("dist/zz").exists(), "{}", out.stderr);
    // The publication it copied is current: the feed does not call it withdrawn.
    let feed = std::fs::read_to_string(p.root().join("dist/feed.xml")).unwrap();
    assert!(!feed.contains("Withdrawn:"), "{feed}");
}

#[test]
fn ids_that_are_not_ids_are_refused_where_they_are_read() {
    let p = with_sample();
    let out = p.folio(&["build", "../x"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    out.fails_with(&["`../x` is not a publication id"]);
    for id in [
        "-dash".to_string(),
        "index.html".to_string(),
        "a".repeat(235),
    ] {
        let p = TestProject::new();
        p.publication(&id, &doc("## X\n\nText.\n"));
        let out = p.folio(&["check"]);
        assert_ne!(out.code, 0, "{id}: {}", out.stderr);
        out.fails_with(&["is not a publication id", &format!("content/{id}")]);
    }
}

#[test]
fn escape_sequences_in_a_folder_name_are_shown_escaped() {
    let p = with_sample();
    p.publication("a\u{1b}]0;owned\u{7}b", &doc("## X\n\nText.\n"));
    let out = p.folio(&["build", "-e", EDITION]);
    assert_ne!(out.code, 0);
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'),
        "{:?}",
        out.stderr
    );
    assert!(out.stderr.contains("\\u{1b}]0;owned"), "{}", out.stderr);
}

#[test]
fn a_withdrawn_publication_is_taken_down_by_the_next_build_and_said_so() {
    let p = with_sample();
    p.publication("second", &doc("## Two\n\nText two.\n"));
    p.folio(&["build", "-e", EDITION]).succeeds();
    assert!(p.root().join("dist/second/second-leaflet-a5.pdf").is_file());
    // Something folio did not make stays.
    std::fs::write(p.root().join("dist/second/notes.txt"), "mine").unwrap();
    std::fs::remove_dir_all(p.root().join("content/second")).unwrap();
    let out = p.folio(&["build", "-e", EDITION]);
    out.succeeds();
    assert!(out.stderr.contains("withdrew second"), "{}", out.stderr);
    assert_eq!(files_below(&p.root().join("dist/second")), ["notes.txt"]);
    let catalogue = std::fs::read_to_string(p.root().join("dist/catalogue.json")).unwrap();
    assert!(!catalogue.contains("second"), "{catalogue}");
}

// --- Weak: hangs, output into sources ---------------------------------------------------------

#[test]
fn a_fifo_in_the_build_cache_does_not_block_the_next_build() {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION]).succeeds();
    let cache = std::fs::read_dir(p.root().join(".folio/cache"))
        .unwrap()
        .flatten()
        .next()
        .expect("a cache folder")
        .path()
        .join("sample.json");
    std::fs::remove_file(&cache).unwrap();
    assert!(Command::new("mkfifo")
        .arg(&cache)
        .status()
        .unwrap()
        .success());
    let out = folio_within(&p, &["build", "-e", EDITION], Duration::from_secs(120));
    out.succeeds();
    assert!(out.stderr.contains("not a file"), "{}", out.stderr);
}

#[test]
fn a_link_loop_in_a_publication_folder_is_hashed_as_a_link_and_the_build_cache_still_works() {
    let p = with_sample();
    let folder = p.root().join("content/sample");
    std::fs::create_dir_all(folder.join("images")).unwrap();
    symlink("..", folder.join("loop")).unwrap();
    symlink(".", folder.join("images/self")).unwrap();
    // Followed, these links would be walked for ever (or until the path grew too long).
    let first = folio_within(&p, &["build", "-e", EDITION], Duration::from_secs(120));
    first.succeeds();
    let again = folio_within(&p, &["build", "-e", EDITION], Duration::from_secs(120));
    again.succeeds();
    assert!(
        again.stderr.contains("unchanged sample"),
        "{}",
        again.stderr
    );
    // The link counts by its target's text: pointing it elsewhere is a change.
    std::fs::remove_file(folder.join("loop")).unwrap();
    symlink("../..", folder.join("loop")).unwrap();
    let changed = folio_within(&p, &["build", "-e", EDITION], Duration::from_secs(120));
    changed.succeeds();
    assert!(
        changed.stderr.contains("built sample"),
        "{}",
        changed.stderr
    );
}

#[test]
fn serve_hashes_a_publication_folder_with_a_link_loop_and_serves_its_editions() {
    let (p, token, _) = crate::serve::served_project();
    let folder = p.root().join("content/all-treatment");
    symlink("..", folder.join("loop")).unwrap();
    symlink(".", folder.join("self")).unwrap();
    // The server hashes the folder for its cache keys as it starts: followed, the links
    // would never let it start.
    let server = crate::serve::Server::start(&p, &[]);
    let auth = format!("Bearer {token}");
    let branded = "/all-treatment/leaflet-dl.pdf?brand=riverside-example";
    for _ in 0..2 {
        let r = server.get(branded, &[("Authorization", &auth)]);
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.body.starts_with(b"%PDF"));
    }
    assert!(!server.log().contains("not served"), "{}", server.log());
}

#[test]
fn a_tokens_file_that_is_a_fifo_is_refused_without_waiting() {
    let p = with_sample();
    p.folio(&["build", "-e", EDITION]).succeeds();
    assert!(Command::new("mkfifo")
        .arg(p.root().join("tokens"))
        .status()
        .unwrap()
        .success());
    let revoke = ["token", "revoke", "north", "--tokens", "tokens"];
    let out = folio_within(&p, &revoke, Duration::from_secs(60));
    out.fails_with(&[
        "cannot read the tokens file",
        "a named pipe (FIFO), not a file",
    ]);
    let serve = ["serve", "--bind", "127.0.0.1:0", "--tokens", "tokens"];
    let out = folio_within(&p, &serve, Duration::from_secs(60));
    out.fails_with(&[
        "cannot read the tokens file",
        "a named pipe (FIFO), not a file",
    ]);
}

/// Every file below `dir` (links not followed) with its bytes.
fn contents_below(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            out.extend(contents_below(&e.path()));
        } else if kind.is_file() {
            out.insert(e.path(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[test]
fn a_patients_details_reach_no_file_of_the_project_or_its_output_folder() {
    let (p, token, _) = crate::serve::served_project();
    let server = crate::serve::Server::start(&p, &[]);
    let auth = format!("Bearer {token}");
    let branded = "/all-treatment/leaflet-dl.pdf?brand=riverside-example";
    assert_eq!(server.get(branded, &[("Authorization", &auth)]).status, 200);
    // What is on disk once the server has cached the co-branded leaflet.
    let before = contents_below(p.root());
    let form = "/all-treatment/leaflet-dl/personalise?brand=riverside-example";
    let details =
        "contact-name=Quentin+Zyx&role=Nurse&phone=01632+960+777&hours=9+to+5&note=Ward+Qwz";
    let r = server.post(form, &[("Authorization", &auth)], details);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(crate::brands::pdf_text(&r.body).contains("Quentin Zyx"));
    server.terminate();
    // No file was added, removed or changed by the personalised request: not the cache of
    // co-branded editions (dist/.folio/cache/), the build cache (.folio/), the output
    // folder, the tokens file nor any other.
    let after = contents_below(p.root());
    let names = |m: &std::collections::BTreeMap<PathBuf, Vec<u8>>| -> Vec<PathBuf> {
        m.keys().cloned().collect()
    };
    assert_eq!(names(&after), names(&before));
    for (path, bytes) in &after {
        assert!(before[path] == *bytes, "{} changed", path.display());
        let text = String::from_utf8_lossy(bytes);
        for detail in ["Quentin", "Zyx", "960 777", "Qwz"] {
            assert!(!text.contains(detail), "{detail} in {}", path.display());
        }
    }
    for detail in ["Quentin", "Zyx", "960 777", "Qwz"] {
        assert!(!server.log().contains(detail), "{detail} in the log");
    }
}

#[test]
fn an_output_folder_that_is_or_holds_a_source_folder_is_refused() {
    let p = with_sample();
    let before = files_below(&p.root().join("layouts"));
    for (out, why) in [
        ("layouts/site", "inside the source folder `layouts/`"),
        ("content", "inside the source folder `content/`"),
        (".", "the project folder, or holds it"),
    ] {
        let run = p.folio(&["build", "-e", EDITION, "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        run.fails_with(&["cannot be the output folder", why]);
    }
    assert_eq!(files_below(&p.root().join("layouts")), before);
}

// --- Weak: terminal output and counts -----------------------------------------------------------

#[test]
fn a_giant_line_is_cut_to_a_screenful_around_its_column() {
    let p = TestProject::new();
    // 140 KB on one line: under the file size limit, far over the title's.
    let title = "Word ".repeat(28_000);
    p.publication(
        "sample",
        &front_matter_with("title:", &format!("title: {title}")),
    );
    let out = p.folio(&["check", "sample"]);
    out.fails_with(&["`title` is 139999 characters long", "sample.md:2:1"]);
    assert!(
        out.stderr.len() < 5_000,
        "{} bytes of output",
        out.stderr.len()
    );
}

#[test]
fn a_file_with_carriage_returns_only_is_named_for_what_it_is() {
    let p = TestProject::new();
    let md = doc("## About\n\nText.\n").replace('\n', "\r");
    p.file("content/sample/sample.md", md.as_bytes());
    let out = p.folio(&["check", "sample"]);
    out.fails_with(&["carriage returns only", "content/sample/sample.md"]);
    assert!(
        out.stderr.len() < 5_000,
        "{} bytes of output",
        out.stderr.len()
    );
}

#[test]
fn a_file_that_starts_with_a_byte_order_mark_is_read() {
    let p = TestProject::new();
    let md = format!(
        "\u{feff}{}",
        doc("## About\n\nSome text about the tests.\n")
    );
    p.file("content/sample/sample.md", md.as_bytes());
    p.folio(&["build", "-e", EDITION]).succeeds();
}

#[test]
fn check_errors_are_counted_once_and_an_unchanged_publication_is_not_built() {
    let p = with_sample();
    // Past its review date: one check error, and the publication refused for it.
    p.publication(
        "bad",
        &doc("## About\n\nText.\n")
            .replace("date-reviewed: 2026-06-01", "date-reviewed: 2019-06-01")
            .replace("next-review: 2029-06-01", "next-review: 2020-06-01"),
    );
    let out = p.folio(&["build", "-e", EDITION]);
    assert_eq!(out.code, 1);
    // The error, and the refusal that sums it up, are one problem, not two.
    assert!(out.stderr.contains("error: 1 problem(s)"), "{}", out.stderr);
    assert!(out.stderr.contains("failed bad"), "{}", out.stderr);
    std::fs::remove_dir_all(p.root().join("content/bad")).unwrap();
    let again = p.folio(&["build", "-e", EDITION]);
    again.succeeds();
    assert!(
        again.stderr.contains("unchanged sample"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("built sample"), "{}", again.stderr);
}

#[test]
fn an_empty_source_date_epoch_means_unset() {
    let p = with_sample();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "sample"])
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "")
        .env("FOLIO_TODAY", TODAY)
        .env_remove("FOLIO_ROOT")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("SOURCE_DATE_EPOCH"), "{stderr}");
}
