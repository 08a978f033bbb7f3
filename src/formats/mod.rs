//! Reader formats made from the document model without Typst: braille (a BRF file and its
//! Unicode braille copy) and an accessible EPUB 3. Each is a pure generator: publication
//! and settings in, bytes and findings out; the pipeline decides when to make them and
//! where to write them.

pub mod braille;
pub mod epub;
mod words;
