//! Writing results: PDF export, atomic file writes, the emitted Typst project.

pub mod atomic;
pub mod emit;
pub mod pdf;
pub mod preview;
