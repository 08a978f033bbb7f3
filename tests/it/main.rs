//! folio's integration tests: one binary (so typst links once), one module per feature.

// Test helpers return the library's own error types, large by design (see src/lib.rs).
#![allow(clippy::result_large_err)]

mod support;

mod bad_input;
mod brands;
mod browser;
mod catalogue;
mod checks;
mod codes;
mod confinement;
mod deploy;
mod editions;
mod editor;
mod every_file;
mod formats;
mod hostile;
mod languages;
mod output;
mod print;
mod replace;
mod review;
mod safety;
mod scale;
mod serve;
mod structure;
mod watch;
mod watch_serve;
