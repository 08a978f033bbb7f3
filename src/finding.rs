//! Findings: one result of a check, and the one list of finding codes.
//!
//! Every code folio can report is a variant of [`Code`], with its usual severity and a
//! one-line description. README.md ("Findings") and docs/print.md document them in tables;
//! a test checks that those tables and this enum list the same codes.

use serde::{Deserialize, Serialize};

use crate::diag::{Location, Problem, Severity};

/// Declares [`Code`] with its kebab-case name, usual severity and description, from one table.
macro_rules! codes {
    ($($variant:ident = $name:literal $(| $alias:literal)*, $severity:ident, $description:literal;)*) => {
        /// A stable, documented finding code (serialised as its kebab-case name).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Code {
            $(
                #[doc = $description]
                #[serde(rename = $name $(, alias = $alias)*)]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the table above.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in messages and documentation, e.g. `review-overdue`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The names this code had before it was renamed. Cache records and shard entries
            /// written by an older folio still carry them, so they are read as this code.
            pub fn former_names(self) -> &'static [&'static str] {
                match self { $(Code::$variant => &[$($alias),*],)* }
            }

            /// The code whose name, or former name, is `name`.
            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL
                    .iter()
                    .copied()
                    .find(|c| c.name() == name || c.former_names().contains(&name))
            }

            /// The severity a finding with this code usually has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $description,)* }
            }
        }
    };
}

codes! {
    // Review and metadata (check/review.rs).
    ReviewOverdue = "review-overdue", Error, "The publication is past its next-review date.";
    ReviewDueSoon = "review-due-soon", Warning, "The next review is within `review-warning-days`.";
    ReviewDatesOrder = "review-dates-order", Error, "`date-reviewed` is after `next-review`.";
    ReviewedInFuture = "reviewed-in-future", Error, "`date-reviewed` is after today.";
    MissingMetadata = "missing-metadata", Error, "A version, reference, reviewer or publisher detail is missing.";
    SummaryMissing = "summary-missing", Warning, "No subtitle and no opening paragraph to describe the publication in the catalogue.";
    // Structure (check/structure.rs).
    HeadingTitleLevel = "heading-title-level", Error, "A level-1 heading in the body.";
    HeadingSkip = "heading-skip", Error, "A heading skips a level.";
    EmptySection = "empty-section", Warning, "A heading with nothing under it.";
    HeadingRepeatsLayout = "heading-repeats-layout", Warning, "A section heading repeats one the layouts add themselves.";
    ImageAltFilename = "image-alt-filename", Error, "Alt text that is just a file name.";
    LinkMalformed = "link-malformed", Error, "A link that is not a full web, email or phone address.";
    ColonWithoutList = "colon-without-list", Error, "A paragraph ends with a colon but no list follows.";
    // Words and readability (check/text.rs, check/words.rs).
    DoubledWord = "doubled-word", Warning, "The same word twice in a row.";
    ReadingAgeHigh = "reading-age-high", Warning, "A section reads above `warn-reading-age`.";
    LongSentence = "long-sentence", Note, "A sentence of more than 25 words.";
    LongWord = "long-word", Note, "A word of more than 4 syllables.";
    TermUnexplained = "term-unexplained", Warning, "A term from `explain-terms` is first used unexplained.";
    // Translations (check/translation.rs).
    TranslationOutdated = "translation-outdated", Error, "A translation was made from an older version of its source, or a source section changed since it was confirmed.";
    TranslationMissingSection = "translation-missing-section", Error, "A source section has no counterpart in a translation, or the other way round.";
    // Approvals (check/approval.rs).
    UnapprovedChanges = "unapproved-changes", Warning, "The text differs from its last approved copy (an error with `approval: required`).";
    ApprovalMismatch = "approval-mismatch", Warning, "`reviewers` or `date-reviewed` disagree with the approvals file.";
    // Fonts (check/glyphs.rs).
    GlyphMissing = "glyph-missing", Error, "A character that no font in `fonts/` can draw.";
    // Laid-out pages (check/layout.rs).
    // Named by the rule, not by the edition that first had it: any edition may set a page
    // count, `min-text-pt` or `italic: false`. The former names are still read.
    TextOverflowsPages = "text-overflows-pages" | "leaflet-overflow", Error, "An edition's text does not fit its fixed page count.";
    PageMultiple = "page-multiple", Error, "The page count is not a multiple of the edition's `page-multiple`.";
    TextBelowMinimum = "text-below-minimum" | "large-print-small-text", Error, "Text below the edition's `min-text-pt`.";
    ItalicNotAllowed = "italic-not-allowed" | "large-print-italic", Error, "Italic text in an edition with `italic: false`.";
    HeadingAtPageFoot = "heading-at-page-foot", Warning, "A heading is the last line of its page.";
    WordMissing = "word-missing", Warning, "The layouts have no word in the publication's language for a fixed word.";
    TableTooWide = "table-too-wide", Error, "A table's longest words do not fit across the edition's page.";
    // Braille (formats/braille/).
    BrailleUntranslatable = "braille-untranslatable", Warning, "A character the language's braille table has no braille for.";
    // Print preflight (print/preflight/, docs/print.md).
    PrintPageMultiple = "print-page-multiple", Error, "A bound print edition's page count does not suit its binding.";
    ImageLowResolution = "image-low-resolution", Warning, "A raster image below 300 dpi where placed (error below 150 dpi).";
    ImageRgb = "image-rgb", Note, "An RGB raster image in a print edition (the printer converts it).";
    MissingTrimbox = "missing-trimbox", Error, "PDF pages without a TrimBox.";
    TextTooSmall = "text-too-small", Error, "Text below 6 pt in a print edition.";
    FontNotEmbedded = "font-not-embedded", Error, "A font in the PDF is not embedded.";
    CoverNotBleeding = "cover-not-bleeding", Error, "Cover colour stops short of the bleed edge.";
    // PDF/X-4 (ISO 15930-7:2010) on the written press PDF, one code per requirement
    // (print/preflight/pdfx.rs; docs/print.md gives each its requirement in the standard).
    PdfxFileHeader = "pdfx-file-header", Error, "The press PDF's header is not PDF 1.6 or earlier.";
    PdfxFileIdentifier = "pdfx-file-identifier", Error, "The press PDF's trailer has no file identifier (`ID`).";
    PdfxEncryption = "pdfx-encryption", Error, "The press PDF is encrypted.";
    PdfxOutputIntent = "pdfx-output-intent", Error, "No single GTS_PDFX output intent with its keys and a CMYK output profile.";
    PdfxIdentification = "pdfx-identification", Error, "The XMP packet does not say `pdfxid:GTS_PDFXVersion` = `PDF/X-4`.";
    PdfxTrapped = "pdfx-trapped", Error, "The document information dictionary has no `Trapped` of `True` or `False`.";
    PdfxMetadata = "pdfx-metadata", Error, "The document information dictionary and the XMP packet disagree.";
    PdfxPageBoxes = "pdfx-page-boxes", Error, "A page whose BleedBox is missing, outside the MediaBox, or smaller than the TrimBox.";
    PdfxColourSpace = "pdfx-colour-space", Error, "RGB with no ICC profile (DeviceRGB) under a CMYK output intent.";
    PdfxAnnotations = "pdfx-annotations", Error, "Annotations or links on a page of the press PDF.";
    PdfxForms = "pdfx-forms", Error, "An interactive form (`AcroForm`) in the press PDF.";
    PdfxActions = "pdfx-actions", Error, "Actions or JavaScript in the press PDF.";
    // Failures that stop the checks, reported as findings too (`check --format json`).
    SourceError = "source-error", Error, "The publication's files cannot be read or parsed.";
    TypesetError = "typeset-error", Error, "An edition cannot be typeset or exported.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One result of a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub publication: String,
    /// Source location, for findings in the Markdown file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Edition, for findings in a laid-out edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// 1-based page, for findings on a page of an edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    pub hint: String,
}

impl Finding {
    /// A finding with the code's usual severity.
    pub fn new(
        code: Code,
        publication: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Finding {
            severity: code.severity(),
            code,
            message: message.into(),
            publication: publication.to_string(),
            location: None,
            edition: None,
            page: None,
            hint: hint.into(),
        }
    }

    /// The same finding with another severity (e.g. an image far below the resolution).
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn on(mut self, edition: &str, page: Option<usize>) -> Self {
        self.edition = Some(edition.to_string());
        self.page = page;
        self
    }

    /// The finding as a diagnostic, for printing in the one style folio uses.
    pub fn to_problem(&self) -> Problem {
        let place = self.edition.as_ref().map(|e| match self.page {
            Some(p) => format!("{} ({e}), page {p}", self.publication),
            None => format!("{} ({e})", self.publication),
        });
        Problem {
            severity: self.severity,
            code: Some(self.code.name().to_string()),
            message: self.message.clone(),
            location: self.location.clone(),
            place,
            hint: Some(self.hint.clone()),
            snippet: None,
        }
    }
}

impl Finding {
    /// A problem that stopped a publication or an edition, as a finding.
    pub fn from_problem(code: Code, publication: &str, edition: Option<&str>, p: &Problem) -> Self {
        Finding {
            severity: p.severity,
            code,
            message: p.message.clone(),
            publication: publication.to_string(),
            location: p.location.clone(),
            edition: edition.map(str::to_string),
            page: None,
            hint: p.hint.clone().unwrap_or_default(),
        }
    }
}

/// Whether any finding stops a build: errors, or warnings too when `strict`.
pub fn blocking(findings: &[Finding], strict: bool) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_code_is_read_under_its_former_name_and_written_under_its_new_one() {
        let read: Code = serde_json::from_str("\"leaflet-overflow\"").unwrap();
        assert_eq!(read, Code::TextOverflowsPages);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            "\"text-overflows-pages\""
        );
        assert_eq!(
            Code::from_name("large-print-italic"),
            Some(Code::ItalicNotAllowed)
        );
        assert_eq!(Code::from_name("no-such-code"), None);
    }

    #[test]
    fn no_name_or_former_name_is_used_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            for name in std::iter::once(code.name()).chain(code.former_names().iter().copied()) {
                assert!(seen.insert(name), "{name} is used twice");
            }
        }
    }
}
