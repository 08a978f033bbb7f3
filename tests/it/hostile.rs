//! Hostile and mistaken content through the binary: each is refused with its file, line,
//! column and a hint, and folio exits with an error instead of aborting (issue 9).

use crate::support::{doc, TestProject};

const MD: &str = "content/leaflet/leaflet.md";

/// The line of the file on which a body passed to `doc` starts.
const BODY: usize = 14;

fn build(markdown: &[u8]) -> crate::support::Output {
    let p = TestProject::new();
    p.file(MD, markdown);
    let out = p.folio(&["build"]);
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("overflow"),
        "folio aborted:\n{}",
        out.stderr
    );
    out
}

fn at(line: usize, column: usize) -> String {
    format!("{MD}:{line}:{column}")
}

#[test]
fn a_list_4000_levels_deep_is_an_error_not_a_stack_overflow() {
    let md = doc(&format!("{}x\n", "- ".repeat(4000)));
    build(md.as_bytes()).fails_with(&["nested more than 8 levels deep", &at(BODY, 17), "hint:"]);
}

#[test]
fn a_quote_4000_levels_deep_is_an_error_not_a_stack_overflow() {
    let md = doc(&format!("{}x\n", "> ".repeat(4000)));
    build(md.as_bytes()).fails_with(&["nested more than 8 levels deep", &at(BODY, 17)]);
}

#[test]
fn emphasis_nested_past_the_limit_is_an_error() {
    let md = doc(&format!(
        "{}x{}\n",
        "**a ".repeat(3000),
        " b**".repeat(3000)
    ));
    build(md.as_bytes()).fails_with(&["nested more than 16 levels deep", &at(BODY, 65)]);
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_its_size() {
    let mut md = doc("Text.\n").into_bytes();
    md.resize(220_000, b'a');
    build(&md).fails_with(&["too large: 220 KB (220000 bytes); the limit is 150 KB", MD]);
}

#[test]
fn a_nul_byte_is_refused_at_its_line_and_column() {
    let md = doc("Intro.\n\nTake two\0 tablets.\n");
    build(md.as_bytes()).fails_with(&["U+0000", &at(BODY + 2, 9), "delete it"]);
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_place() {
    let mut md = doc("caf").into_bytes();
    md.extend_from_slice(b"\xE9\n");
    build(&md).fails_with(&["not UTF-8", &at(BODY, 4)]);
}

/// A Markdown table of `n` columns, every cell `word`.
fn table(n: usize, word: &str) -> String {
    let row = |c: &str| format!("|{}\n", format!(" {c} |").repeat(n));
    format!("{}{}{}", row(word), row("---"), row(word))
}

#[test]
fn a_table_33_columns_wide_is_refused_at_its_line_before_layout() {
    let md = doc(&format!("Intro.\n\n{}", table(33, "c")));
    build(md.as_bytes()).fails_with(&["has 33 columns", &at(BODY + 2, 1), "split"]);
}

#[test]
fn a_table_whose_words_cannot_fit_the_page_is_a_layout_error_at_its_line() {
    let md = doc(&format!("Intro.\n\n{}", table(9, "Chemotherapy")));
    let out = build(md.as_bytes());
    out.fails_with(&[
        "table-too-wide",
        "9 columns need",
        &at(BODY + 2, 1),
        "split it",
    ]);
}

#[test]
fn a_table_that_fits_the_booklet_but_not_the_dl_leaflet_is_refused_only_there() {
    let front = doc("").replacen("---\n", "---\neditions: [booklet, leaflet-dl]\n", 1);
    let md = format!("{front}Intro.\n\n{}", table(3, "Immunotherapy"));
    let out = build(md.as_bytes());
    out.fails_with(&["table-too-wide", "leaflet-dl text column"]);
    assert!(!out.stderr.contains("booklet text"), "{}", out.stderr);
}

#[test]
fn each_unsupported_construct_is_refused_at_its_place() {
    for (body, message, line, column) in [
        (
            "Text[^1].\n\n[^1]: A note.\n",
            "footnotes are not supported",
            0,
            5,
        ),
        (
            "Text [^1] alone.\n",
            "footnote reference without its note",
            0,
            6,
        ),
        ("Stop ~~now~~.\n", "struck-through text", 0, 6),
        (
            "- [ ] Bring your medicines\n",
            "task-list check boxes",
            0,
            3,
        ),
        ("Remission\n: no cells found\n", "definition lists", 0, 1),
        ("<div>Hello</div>\n", "raw HTML is not allowed", 0, 1),
        ("```\ncode\n```\n", "code blocks are not supported", 0, 1),
    ] {
        let md = doc(&format!("Intro.\n\n{body}"));
        build(md.as_bytes()).fails_with(&[message, &at(BODY + 2 + line, column), "hint:"]);
    }
}

#[test]
fn front_matter_values_yaml_would_misread_are_refused_at_their_key() {
    for (from, to, message, line) in [
        (
            "version: \"2.1\"",
            "version: 1.10",
            "read as the number 1.1",
            6,
        ),
        (
            "date-reviewed: 2026-06-01",
            "date-reviewed: 0000-01-01",
            "outside the years",
            7,
        ),
        (
            "references:",
            "editions: []\nreferences:",
            "would build nothing",
            9,
        ),
        (
            "title: A test leaflet about blood tests",
            &format!("title: {}", "t".repeat(201)),
            "`title` is 201 characters long; the limit is 200",
            2,
        ),
    ] {
        let md = doc("Text.\n").replacen(from, to, 1);
        assert_ne!(md, doc("Text.\n"), "{from} not in the fixture");
        build(md.as_bytes()).fails_with(&[message, &at(line, 1), "hint:"]);
    }
}

#[test]
fn a_heading_marked_with_a_class_and_its_negation_is_refused() {
    let md = doc("## Both {.leaflet .not-leaflet}\n\nText.\n");
    build(md.as_bytes()).fails_with(&[
        "both `.leaflet` and `.not-leaflet`",
        &at(BODY, 1),
        "no edition would carry",
    ]);
}

#[test]
fn a_layout_outside_the_project_is_a_setup_error_at_its_folio_yaml_line() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## One\n\nText.\n"));
    p.file("../outside-layout.typ", b"#let outside-layout(data) = []\n");
    p.add_editions("  outside:\n    layout: ../outside-layout.typ\n");
    let out = p.folio(&["build"]);
    assert_eq!(out.code, 2, "a setup error: {}", out.stderr);
    assert!(
        out.stderr.contains("is outside the project"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("folio.yaml:"),
        "located in folio.yaml: {}",
        out.stderr
    );
}

#[test]
fn an_impossible_source_date_epoch_is_one_setup_error_with_a_hint() {
    let p = TestProject::new();
    p.publication("leaflet", &doc("## One\n\nText.\n"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build"])
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "99999999999999")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.matches("SOURCE_DATE_EPOCH").count(),
        1,
        "said once: {stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
}

/// A body that fills the Markdown size limit in the shape that costs most memory to typeset:
/// as many table cells and headings as allowed (each heading over a list three levels deep),
/// then lists nested to the deepest level allowed, then one paragraph to the last byte.
fn costliest_body_at_the_size_limit(front: &str) -> String {
    use folio::content::limits::{MAX_BLOCK_DEPTH, MAX_FILE_BYTES, MAX_HEADINGS, MAX_TABLE_CELLS};
    let sentence = "Your nurse checks your blood count before each cycle of treatment starts.";
    let mut md = front.to_string();
    md.push_str("Intro.\n\n");
    let row = |cell: &str| format!("|{}\n", format!(" {cell} |").repeat(4));
    md.push_str(&row("Head"));
    md.push_str(&row("---"));
    for _ in 1..MAX_TABLE_CELLS / 4 {
        md.push_str(&row("cell text"));
    }
    md.push('\n');
    for h in 0..MAX_HEADINGS {
        md.push_str(&format!("## Section {h}\n\n"));
        for depth in 0..3 {
            md.push_str(&format!("{}- {sentence}\n", "  ".repeat(depth)));
        }
        md.push('\n');
    }
    let limit = MAX_FILE_BYTES as usize;
    // Room for the closing paragraph: a blank line, at least one word, a line break.
    for depth in (0..MAX_BLOCK_DEPTH).cycle() {
        let item = format!("{}- {sentence}\n", "  ".repeat(depth));
        if md.len() + item.len() + 10 > limit {
            break;
        }
        md.push_str(&item);
    }
    md.push_str("\nEnd");
    md.push_str(&"s".repeat(limit - md.len() - 1));
    md.push('\n');
    assert_eq!(md.len(), limit);
    md
}

/// Runs `folio args` in `p` and returns its exit code, its output and the peak resident set
/// size of the process in bytes, read from the kernel's accounts for exactly that child
/// (`wait4`), so that tests running beside it do not count.
fn run_measuring_memory(p: &TestProject, args: &[&str]) -> (i32, String, u64) {
    let out = p.root().join("out.txt");
    let file = std::fs::File::create(&out).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("FOLIO_TODAY", crate::support::TODAY)
        .env_remove("FOLIO_ROOT")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .expect("folio runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data the kernel fills; `pid` is our own child, waited once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    // The child is reaped: dropping its handle neither waits nor kills.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // Linux gives `ru_maxrss` in kibibytes.
    let peak = usage.ru_maxrss as u64 * 1024;
    (code, std::fs::read_to_string(out).unwrap(), peak)
}

#[test]
fn checking_a_publication_at_the_size_limit_in_its_costliest_shape_stays_under_one_gigabyte() {
    let p = TestProject::new();
    p.file(MD, costliest_body_at_the_size_limit(&doc("")).as_bytes());
    let (code, out, peak) = run_measuring_memory(&p, &["check", "--jobs", "2", "--color", "never"]);
    // Nothing was refused before typesetting, and every edition was laid out: the leaflets
    // cannot hold 150 KB and say so.
    assert!(
        !out.contains("source-error") && !out.contains("the limit is"),
        "{out}"
    );
    assert!(
        out.contains("text-overflows-pages"),
        "the leaflets were not laid out:\n{out}"
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        peak <= 1_000_000_000,
        "folio check took {} MB at its peak",
        peak / 1_000_000
    );
}
