//! The print settings of an edition in `folio.yaml`: `print:` (for the job sheet and the
//! preflight) and `impose:` (make the edition as printer spreads of another edition).
//!
//! ```yaml
//! booklet-imposed:
//!   layout: layouts/imposed/imposed.typ
//!   pdf: press
//!   impose: { from: booklet-print, sheet: a4, paper-thickness-mm: 0.1 }
//!   print: { binding: saddle-stitch, paper: "80 gsm A4 office paper" }
//! ```

use serde::{Deserialize, Serialize};

use super::{PdfProfile, Project};
use crate::diag::Problem;

/// How a print edition is finished: what the preflight and the job sheet assume.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// Flat or folded sheets, no binding (leaflets). The default.
    #[default]
    None,
    /// Folded sheets nested and stapled through the fold: pages come in fours.
    SaddleStitch,
}

impl Binding {
    /// The binding as printers say it.
    pub fn describe(self) -> &'static str {
        match self {
            Binding::None => "none (flat or folded sheets)",
            Binding::SaddleStitch => "saddle stitch (2 staples through the fold)",
        }
    }

    /// Pages on one folded sheet, when the binding needs whole sheets (saddle stitch: 4).
    pub fn pages_per_sheet(self) -> Option<usize> {
        match self {
            Binding::None => None,
            Binding::SaddleStitch => Some(4),
        }
    }
}

/// `print:` on an edition: production details for the job sheet and the preflight.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrintSettings {
    /// How the printed copies are bound. Default: `none`.
    #[serde(default)]
    pub binding: Binding,
    /// The paper to suggest to the printer, as free text (weight, finish, cover).
    #[serde(default)]
    pub paper: String,
    /// Bleed beyond the trim on every side, in mm (3 for a commercial printer). The layout
    /// makes its page this much larger and runs cover colour into it. Default: 0.
    #[serde(default)]
    pub bleed_mm: f64,
}

/// The paper an imposed edition is printed on, landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SheetSize {
    /// A4 landscape, 297 × 210 mm: two A5 pages.
    A4,
    /// A3 landscape, 420 × 297 mm: two A4 pages.
    A3,
}

impl SheetSize {
    /// Width and height in millimetres, landscape.
    pub fn mm(self) -> (f64, f64) {
        match self {
            SheetSize::A4 => (297.0, 210.0),
            SheetSize::A3 => (420.0, 297.0),
        }
    }

    /// The name printers use, e.g. `A4 landscape`.
    pub fn describe(self) -> &'static str {
        match self {
            SheetSize::A4 => "A4 landscape (297 × 210 mm)",
            SheetSize::A3 => "A3 landscape (420 × 297 mm)",
        }
    }
}

/// `impose:` on an edition: its pages are another edition's pages, two per sheet side,
/// in saddle-stitch order with creep compensation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Impose {
    /// The edition whose PDF pages are imposed (a press edition, e.g. `booklet-print`).
    pub from: String,
    /// The sheet the 2-up spread is printed on; two trimmed pages side by side must fill it.
    pub sheet: SheetSize,
    /// Thickness of one sheet of the paper, in mm, for creep: the pages of sheet `s`
    /// (0 = outermost) move `s × paper-thickness-mm` towards the spine.
    #[serde(default = "default_thickness")]
    pub paper_thickness_mm: f64,
}

fn default_thickness() -> f64 {
    0.1
}

/// Checks the `print:` and `impose:` sections of every edition against the project.
pub fn validate(project: &Project) -> Result<(), (String, Problem)> {
    for (name, edition) in &project.editions {
        let fail =
            |message: String, hint: &str| Err((name.clone(), Problem::error(message).hint(hint)));
        let bleed = edition.bleed_mm();
        if !(0.0..=25.0).contains(&bleed) {
            return fail(
                format!("edition `{name}`: bleed-mm {bleed} is not a bleed"),
                "give the bleed in mm on every side: 3 is what printers ask for",
            );
        }
        let binding = edition
            .print
            .as_ref()
            .map(|p| p.binding)
            .unwrap_or_default();
        if let (Some(sheet), Some(multiple)) = (binding.pages_per_sheet(), edition.page_multiple) {
            if !multiple.is_multiple_of(sheet) {
                return fail(
                    format!(
                        "edition `{name}`: page-multiple {multiple} does not suit {}",
                        binding.describe()
                    ),
                    &format!("a bound edition needs whole sheets: use `page-multiple: {sheet}`"),
                );
            }
        }
        let Some(impose) = &edition.impose else {
            continue;
        };
        if edition.pdf != PdfProfile::Press {
            return fail(
                format!("edition `{name}` imposes pages but is not `pdf: press`"),
                "placed PDF pages need an untagged PDF with no standard: add `pdf: press`",
            );
        }
        let Some(source) = project.editions.get(&impose.from) else {
            return fail(
                format!(
                    "edition `{name}`: `impose.from` names `{}`, which is not an edition",
                    impose.from
                ),
                "name the press edition whose pages are imposed, e.g. booklet-print",
            );
        };
        if source.impose.is_some() || source.pdf != PdfProfile::Press {
            return fail(
                format!("edition `{name}` cannot impose `{}`", impose.from),
                "impose a press edition (`pdf: press`) that is not imposed itself",
            );
        }
        if !(0.0..=1.0).contains(&impose.paper_thickness_mm) {
            return fail(
                format!(
                    "edition `{name}`: paper-thickness-mm {} is not a paper thickness",
                    impose.paper_thickness_mm
                ),
                "give the thickness of one sheet in mm: about 0.1 for 80 gsm office paper",
            );
        }
        if edition.bleed_mm() > source.bleed_mm() {
            return fail(
                format!(
                    "edition `{name}` keeps more bleed than `{}` has",
                    impose.from
                ),
                "set the imposed edition's bleed-mm to at most the bleed of the edition it imposes",
            );
        }
    }
    Ok(())
}
