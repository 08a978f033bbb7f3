//! One edition in `folio.yaml`: its layout, the content classes it takes, its page rules,
//! its text rules (large print), its PDF profile and its print settings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::print::{Impose, PrintSettings};
use crate::diag::Problem;

/// One output form of every publication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Edition {
    /// How the edition is made: `typst` (a layout compiled to a PDF; the default) or
    /// another kind registered in `src/pipeline/kinds/` (README "How it is built").
    #[serde(default = "typst_kind")]
    pub kind: String,
    /// Layout file, from the project root, e.g. `layouts/booklet/booklet.typ`: required
    /// by the `typst` kind. It exports one function named like the file (without `.typ`).
    #[serde(default)]
    pub layout: Option<PathBuf>,
    /// What readers call the edition, in the catalogue's download list ("Large print").
    /// Default: the name with its first letter in capitals and spaces for hyphens.
    #[serde(default)]
    pub label: Option<String>,
    /// Classes content can be marked with (`{.leaflet}`), besides the edition's own name.
    #[serde(default)]
    pub classes: Vec<String>,
    /// What the PDF is for: `screen` (tagged, PDF/UA-1 + PDF/A-2a) or `press`.
    #[serde(default)]
    pub pdf: PdfProfile,
    /// The page count must be a multiple of this (booklets: 4); the layout pads to it.
    /// Default: any, or what the edition's binding needs (saddle stitch: 4).
    #[serde(default)]
    pub page_multiple: Option<usize>,
    /// The edition must fit on exactly this many pages (leaflets: 2). Default: any.
    #[serde(default)]
    pub pages: Option<usize>,
    /// The smallest text the laid-out pages may have, in points (large print: 16).
    /// Default: no rule. Read from the laid-out pages by the layout checks.
    #[serde(default)]
    pub min_text_pt: Option<f64>,
    /// Whether italic text is allowed (large print: `false`). Default: `true`.
    #[serde(default = "yes")]
    pub italic: bool,
    /// The kind's settings: for `typst`, passed to the layout untouched as
    /// `edition.options`; other kinds document theirs.
    #[serde(default)]
    pub options: BTreeMap<String, serde_yaml::Value>,
    /// Print production details (binding, paper, bleed) for the layout, the preflight and
    /// the job sheet.
    #[serde(default)]
    pub print: Option<PrintSettings>,
    /// Whether the edition carries the "Your hospital team" block and is made per brand
    /// (`folio build --brand`, `folio serve`). Default: `false`.
    #[serde(default)]
    pub brandable: bool,
    /// Make this edition by imposing another edition's pages on sheets (docs/print.md).
    #[serde(default)]
    pub impose: Option<Impose>,
    /// A press edition of the same layout whose laid-out pages this screen edition is cut
    /// from (`booklet` from `booklet-print`): the text is laid out once, at print size,
    /// and the pages are trimmed and given screen colours (docs/print.md "Laid out once").
    /// Made without it, the edition still lays out the press edition's data and trims it,
    /// so its file is the same either way. Default: none (laid out on its own).
    #[serde(default)]
    pub trimmed_from: Option<String>,
    /// Set a translation and its source together (Welsh and English): made only for
    /// translations into `languages`. Default: none (one language).
    #[serde(default)]
    pub bilingual: Option<Bilingual>,
}

/// A bilingual edition: a translation and its source in one document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bilingual {
    /// How the two languages are set together.
    pub arrangement: Arrangement,
    /// The translations (ISO 639 language codes, e.g. `cy`) this edition is made for.
    pub languages: Vec<String>,
}

/// How a bilingual edition sets its two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrangement {
    /// Side by side, section by section, the translation in the first column.
    Parallel,
    /// Back to back: the translation from the front cover, the source from the back cover,
    /// upside down, meeting in the middle (the imposed edition turns its half).
    TiltAndTurn,
}

fn yes() -> bool {
    true
}

fn typst_kind() -> String {
    TYPST_KIND.to_string()
}

/// The default kind: a Typst layout compiled to a PDF.
pub const TYPST_KIND: &str = "typst";

/// The PDF standards an edition is exported with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PdfProfile {
    /// Tagged, PDF/UA-1 and PDF/A-2a: for reading on screen and downloading.
    #[default]
    Screen,
    /// Untagged; made a PDF/X-4 file after export (allows CMYK and placed PDF pages): for
    /// printers.
    Press,
}

impl Edition {
    /// The function the layout exports: its file name without `.typ`.
    pub fn function(&self) -> String {
        self.layout_path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The layout file (empty for kinds that have none).
    pub fn layout_path(&self) -> &std::path::Path {
        self.layout.as_deref().unwrap_or(std::path::Path::new(""))
    }

    /// What readers call the edition called `name` (its `label`, else made from the name).
    pub fn label(&self, name: &str) -> String {
        self.label.clone().unwrap_or_else(|| {
            let words = name.replace('-', " ");
            let mut chars = words.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
    }

    /// The edition's options as JSON for the layout.
    pub fn options_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.options).unwrap_or(serde_json::Value::Null)
    }

    /// Bleed beyond the trim on every side, in mm (`print.bleed-mm`; 0 without one).
    pub fn bleed_mm(&self) -> f64 {
        self.print.as_ref().map_or(0.0, |p| p.bleed_mm)
    }

    /// The page-multiple rule, from its one source: `page-multiple`, else what the binding
    /// needs. The layout pads to it, the layout check and the preflight read it.
    pub fn required_page_multiple(&self) -> Option<usize> {
        self.page_multiple.or_else(|| {
            self.print
                .as_ref()
                .and_then(|p| p.binding.pages_per_sheet())
                .filter(|_| self.impose.is_none())
        })
    }

    /// Whether a publication whose front matter restricts its editions to `only` (edition
    /// names or classes) is made in this edition, called `name`.
    pub fn wanted(&self, name: &str, only: Option<&[String]>) -> bool {
        only.is_none_or(|list| list.iter().any(|n| n == name || self.classes.contains(n)))
    }

    /// Whether a publication in language `lang` (its ISO 639 code), a translation when
    /// `translation`, is made in this edition: bilingual editions are made only for
    /// translations into their languages, every other edition for everything.
    pub fn for_language(&self, lang: &str, translation: bool) -> bool {
        self.bilingual
            .as_ref()
            .is_none_or(|b| translation && b.languages.iter().any(|l| l == lang))
    }

    /// Why edition `name` cannot be cut from the edition its `trimmed-from` names, among
    /// `editions`, as a problem without a location; `None` when it can (or has none).
    pub fn invalid_trim(
        &self,
        name: &str,
        editions: &BTreeMap<String, Edition>,
    ) -> Option<Problem> {
        let from = self.trimmed_from.as_ref()?;
        let fail = |message: String, hint: &str| Some(Problem::error(message).hint(hint));
        let Some(source) = editions.get(from) else {
            return fail(
                format!("edition `{name}`: `trimmed-from` names `{from}`, which is not an edition"),
                "name the press edition of the same layout, e.g. booklet-print",
            );
        };
        let typst = |e: &Edition| e.kind == TYPST_KIND;
        if !typst(self) || !typst(source) || source.layout != self.layout {
            return fail(
                format!("edition `{name}` cannot be trimmed from `{from}`: their layouts differ"),
                "trim an edition of the same Typst layout, or remove `trimmed-from`",
            );
        }
        if source.trimmed_from.is_some() || source.impose.is_some() || self.impose.is_some() {
            return fail(
                format!("edition `{name}` cannot be trimmed from `{from}`"),
                "trim an edition that is laid out itself (not imposed, not trimmed)",
            );
        }
        if self.bleed_mm() > 0.0 {
            return fail(
                format!("edition `{name}` is trimmed from `{from}` but has a bleed"),
                "a trimmed edition is cut to its trim size: remove its bleed-mm",
            );
        }
        None
    }

    /// A setting that cannot be right, as a problem without a location (the caller adds it).
    pub fn invalid(&self) -> Option<Problem> {
        if let Some(pt) = self.min_text_pt {
            if !(pt.is_finite() && pt > 0.0) {
                return Some(
                    Problem::error(format!("min-text-pt {pt} is not a text size"))
                        .hint("give the smallest text size in points, e.g. `min-text-pt: 16`"),
                );
            }
        }
        None
    }
}
