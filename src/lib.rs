//! folio: one Markdown source → every edition of a patient-information publication as PDF.
//!
//! The data flows one way, and no module imports one above it:
//!
//! ```text
//! cli, diag, digest, finding leaves: arguments, problems as data, hashes, finding codes
//! project                    folio.yaml: publisher, editions (data), print and check settings
//! content                    front matter and Markdown → the document model
//! contract, world            the generated files a layout reads; the confined Typst World
//! compile, inspect           world → laid-out document (diagnostics as data); reading pages
//! export                     PDF, atomic writes, emitted projects, previews
//! check, print, site         findings; press PDFs, imposition; the static catalogue (site)
//! formats                    braille (BRF) and EPUB 3 from the document model
//! pipeline                   session, making one edition, scheduling a publication's editions
//! cmd                        one module per command: arguments → plan → outcome
//! ```
//!
//! `main.rs` parses, dispatches and prints. See README.md ("How it is built").

// Errors here are rare and carry a whole diagnostic (message, location, hint); boxing every
// `Result<_, Problem>` would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod compile;
pub mod confine;
pub mod content;
pub mod contract;
pub mod diag;
pub mod digest;
pub mod export;
pub mod finding;
pub mod formats;
pub mod inspect;
pub mod pipeline;
pub mod print;
pub mod project;
pub mod site;
pub mod world;
