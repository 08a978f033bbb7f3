//! Reader formats made from the same source as the PDFs: braille (a BRF file and its
//! Unicode braille copy) and an accessible EPUB 3, checked by the tools the field uses:
//! liblouis's own `lou_translate`, the W3C's EPUBCheck and DAISY's Ace. Each tool is
//! installed by its script under tests/setup/ when it is missing.

pub mod braille;
mod editions;
pub mod epub;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::repo;

/// Runs a setup script unless `ready` already holds, and checks that it then holds.
pub fn ensure(script: &str, args: &[&Path], ready: &dyn Fn() -> bool) {
    if ready() {
        return;
    }
    let path = repo().join("tests/setup").join(script);
    let status = Command::new("bash")
        .arg(&path)
        .args(args)
        .status()
        .expect("runs the setup script");
    assert!(
        status.success() && ready(),
        "could not install a tool: run {} (as root)",
        path.display()
    );
}

/// liblouis's command-line tool, installed when missing.
pub fn ensure_liblouis() {
    ensure("install-liblouis.sh", &[], &|| {
        Command::new("lou_translate")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
}

/// A folder of the target directory where test tools are kept between runs.
pub fn tools(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    target.join(name)
}
