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
//!
//! And, once for the project, `print:` at the top level of `folio.yaml`: the output intent
//! every press PDF declares ([`ProjectPrint`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{icc, PdfProfile, Project};
use crate::diag::{Location, Problem};

/// The default output profile: FOGRA39, built with ArgyllCMS from Debian's FOGRA39L.ti3
/// (see profiles/README.md for its provenance and licence).
pub const FOGRA39_PROFILE: &[u8] = include_bytes!("../../profiles/folio-fogra39.icc");

/// [`FOGRA39_PROFILE`] as a zlib stream, ready for the PDF's `FlateDecode` filter: compressing
/// a quarter-megabyte profile costs every press build (every process) tens of milliseconds,
/// so it is done once, when the profile is built (profiles/build-fogra39.sh); a test checks
/// that it inflates to the profile.
pub const FOGRA39_PROFILE_DEFLATED: &[u8] = include_bytes!("../../profiles/folio-fogra39.icc.zlib");

/// The MD5 of [`FOGRA39_PROFILE`] (profiles/README.md gives it too), which the job sheet names
/// the profile by; a test checks it against the bytes.
pub const FOGRA39_PROFILE_MD5: &str = "7204d2392e37c67b5882558cee2b4076";

/// `print:` at the top of `folio.yaml`: settings for every press edition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectPrint {
    /// The printing condition press PDFs are made for. Default: FOGRA39 with folio's profile.
    #[serde(default)]
    pub output_intent: Option<OutputIntentSettings>,
    /// The output intent read and checked by [`ProjectPrint::resolve`].
    #[serde(skip)]
    resolved: Option<OutputIntent>,
}

/// `print.output-intent:` as written: the printer's own profile and condition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputIntentSettings {
    /// The ICC output profile (class `prtr`, colour space `CMYK`), a file in the project.
    pub profile: PathBuf,
    /// The condition's identifier as the registry names it, e.g. `FOGRA51`.
    pub condition: String,
    /// The registry that defines `condition`. Default: `http://www.color.org`.
    #[serde(default = "default_registry")]
    pub registry: String,
    /// A line for people: paper, process, standard. Default: the profile's description.
    #[serde(default)]
    pub info: String,
}

fn default_registry() -> String {
    "http://www.color.org".into()
}

/// The output intent a press PDF declares: an embedded CMYK output profile and the printing
/// condition it characterises.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputIntent {
    /// The ICC profile's bytes, checked to be a CMYK output profile.
    pub profile: Arc<[u8]>,
    /// `OutputConditionIdentifier`, e.g. `FOGRA39`.
    pub condition: String,
    /// `RegistryName`.
    pub registry: String,
    /// `Info`.
    pub info: String,
}

impl OutputIntent {
    /// FOGRA39 with folio's own profile ([`FOGRA39_PROFILE`]).
    pub fn fogra39() -> OutputIntent {
        OutputIntent {
            profile: Arc::from(FOGRA39_PROFILE),
            condition: "FOGRA39".into(),
            registry: default_registry(),
            info: "Coated FOGRA39: offset printing on coated paper, ISO 12647-2:2004 \
                   (profile built by folio with ArgyllCMS from the FOGRA39 data)"
                .into(),
        }
    }
}

impl ProjectPrint {
    /// The output intent of every press PDF: the one `folio.yaml` gives, else FOGRA39.
    pub fn output_intent(&self) -> OutputIntent {
        self.resolved.clone().unwrap_or_else(OutputIntent::fogra39)
    }

    /// Reads the profile `print.output-intent` names (under the confinement rule) and checks
    /// that it is a CMYK output profile; errors are located at its line of `folio.yaml`.
    pub fn resolve(&mut self, root: &Path, file: &Path, text: &str) -> Result<(), Problem> {
        let Some(settings) = &self.output_intent else {
            return Ok(());
        };
        let line = |needle: &str| {
            let start = text
                .lines()
                .position(|l| l.trim_start().starts_with("output-intent:"))
                .unwrap_or(0);
            text.lines()
                .enumerate()
                .skip(start)
                .find(|(_, l)| l.contains(needle))
                .map_or(start + 1, |(i, _)| i + 1)
        };
        let at = Location::at(file, line("profile"), 1);
        let hint = "give the printer's ICC output profile for CMYK (class `prtr`, colour space \
                    `CMYK`), e.g. the one for its paper from the printer or the ECI";
        let profile = settings.profile.as_path();
        let bytes = crate::confine::Root::new(root)
            .map_err(|e| Problem::error(format!("cannot read the project folder: {e}")))?
            .read(profile, icc::MAX_PROFILE_BYTES)
            .map_err(|e| {
                Problem::error(format!("print.output-intent.profile: {e}"))
                    .at(at.clone())
                    .hint(e.hint())
            })?;
        let shown = profile.display();
        let header = icc::header(&bytes).map_err(|why| {
            Problem::error(format!("`{shown}` is not an ICC profile: {why}"))
                .at(at.clone())
                .hint(hint)
        })?;
        if !header.is_cmyk_output() {
            return Err(Problem::error(format!(
                "`{shown}` is an ICC profile of class `{}` for `{}`, not an output profile for CMYK",
                header.class.trim(),
                header.space.trim()
            ))
            .at(at)
            .hint(hint));
        }
        if settings.condition.trim().is_empty() {
            return Err(Problem::error("print.output-intent.condition is empty")
                .at(Location::at(file, line("condition"), 1))
                .hint("name the printing condition as the printer does, e.g. FOGRA51"));
        }
        let info = if settings.info.trim().is_empty() {
            header
                .description
                .unwrap_or_else(|| settings.condition.clone())
        } else {
            settings.info.clone()
        };
        self.resolved = Some(OutputIntent {
            profile: Arc::from(bytes),
            condition: settings.condition.clone(),
            registry: settings.registry.clone(),
            info,
        });
        Ok(())
    }
}

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
