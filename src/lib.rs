//! folio: one Markdown source → every edition of a patient-information publication as PDF.
//!
//! The data flows one way: project file → plan → publication (document model) → per-edition
//! world → laid-out document → PDF (and checks, previews). See README.md.

// Errors here are rare and carry a whole diagnostic (message, location, hint); boxing every
// `Result<_, Problem>` would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod compile;
pub mod confine;
pub mod content;
pub mod diag;
pub mod edition;
pub mod export;
pub mod inspect;
pub mod pipeline;
pub mod plan;
pub mod print;
pub mod project;
pub mod serve;
pub mod world;
