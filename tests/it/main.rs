//! folio's integration tests: one binary (so typst links once), one module per feature.

mod support;

mod bad_input;
mod browser;
mod checks;
mod confinement;
mod editions;
mod output;
mod print;
mod safety;
mod watch;
