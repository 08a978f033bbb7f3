//! Languages and scripts: the fonts that draw them and the located glyph check, the
//! reader-facing words per language, translations as sibling sources (and when they are
//! stale), right-to-left layouts, Welsh bilingual editions and readability per language.
//!
//! The PDFs are read with poppler's tools (`pdffonts`, `pdftotext`), as a reader's software
//! would read them; tests/setup/install-poppler.sh installs them when they are missing.

use std::path::Path;
use std::process::Command;

mod bilingual;
mod fonts;
mod readability;
mod rtl;
mod translations;
mod words;

use crate::support::{repo, TestProject};

/// The sample translations (tests/fixtures/languages): file language and PDF `/Lang`.
pub const LANGUAGES: [(&str, &str); 4] =
    [("cy", "cy-GB"), ("pl", "pl-PL"), ("ar", "ar"), ("ur", "ur")];

/// A project with the English sample publication and its four translations, confirmed
/// (`folio translation confirm`) when `confirmed`.
pub fn samples(confirmed: bool) -> TestProject {
    let p = TestProject::new();
    let dir = repo().join("tests/fixtures/languages");
    for name in [
        "sample.md",
        "sample.cy.md",
        "sample.pl.md",
        "sample.ar.md",
        "sample.ur.md",
    ] {
        let text = std::fs::read(dir.join(name)).unwrap();
        p.file(&format!("content/sample/{name}"), &text);
    }
    if confirmed {
        for (lang, _) in LANGUAGES {
            p.folio(&["translation", "confirm", "sample", lang])
                .succeeds();
        }
    }
    p
}

/// Runs a poppler tool on `pdf` (installing poppler-utils first if needed) and returns
/// its standard output.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let present = |tool: &str| {
        Command::new(tool)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    };
    if !present(tool) {
        let script = crate::support::repo().join("tests/setup/install-poppler.sh");
        let status = Command::new("bash").arg(&script).status();
        assert!(
            status.is_ok_and(|s| s.success()) && present(tool),
            "could not install poppler-utils: run {} as root",
            script.display()
        );
    }
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} failed on {}", pdf.display());
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// The base names of the fonts embedded in `pdf` (subset prefixes removed), from
/// `pdffonts`, with whether each is embedded.
pub fn embedded_fonts(pdf: &Path) -> Vec<(String, bool)> {
    let out = Command::new("pdffonts").arg(pdf).output();
    if out.is_err() {
        // Installs poppler-utils, then asks again.
        poppler("pdftotext", &[], pdf);
    }
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            let name = cells.first()?;
            let name = name.split_once('+').map_or(*name, |(_, n)| n).to_string();
            // The columns after the type and encoding: emb sub uni.
            let embedded = cells.iter().rev().nth(4).is_some_and(|c| *c == "yes");
            Some((name, embedded))
        })
        .collect()
}

/// The text of `pdf` as `pdftotext` extracts it, whitespace collapsed.
pub fn extracted_text(pdf: &Path) -> String {
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
