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

use crate::diag::Problem;
use crate::project::{Edition, PdfProfile, Project};

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

/// The edition's `bleed-mm` option (the shipped layouts' bleed), 0 when absent or not a number.
pub fn bleed_mm(edition: &Edition) -> f64 {
    edition
        .options
        .get("bleed-mm")
        .and_then(serde_yaml::Value::as_f64)
        .filter(|b| b.is_finite() && *b > 0.0)
        .unwrap_or(0.0)
}

/// Checks the `print:` and `impose:` sections of every edition against the project.
pub fn validate(project: &Project) -> Result<(), (String, Problem)> {
    for (name, edition) in &project.editions {
        let Some(impose) = &edition.impose else {
            continue;
        };
        let fail =
            |message: String, hint: &str| Err((name.clone(), Problem::error(message).hint(hint)));
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
        if bleed_mm(edition) > bleed_mm(source) {
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
