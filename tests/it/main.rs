//! folio's integration tests: one binary (so typst links once), one module per feature.

mod support;

mod bad_input;
mod browser;
mod checks;
mod codes;
mod editions;
mod hostile;
mod output;
mod print;
mod replace;
mod safety;
mod structure;
mod watch;
