//! Imposed editions: a second pass that places another edition's finished PDF pages on
//! printer sheets. Pure: the source's pages and settings in, the imposition data out.
//!
//! The pipeline makes the source edition (`impose.from`) first, as usual, serves its PDF
//! bytes to the imposed edition's world as [`PAGES`], and adds the `imposition` object made
//! here to `data.json`: the plan from [`super::saddle_stitch`] and the source's page geometry
//! (read from its laid-out pages). The imposed layout only places pages where the data says.

use serde_json::json;
use typst_layout::PagedDocument;

use super::press::PT_PER_MM;
use super::saddle_stitch::{self, Plan};
use crate::content::Publication;
use crate::diag::Problem;
use crate::project::print::Impose;
use crate::project::{Arrangement, Edition};

/// Where the source edition's PDF is served to an imposed edition.
pub const PAGES: &str = "/.folio/pages.pdf";

/// Size and trim position of the source pages, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The whole source page (MediaBox: trim, bleed and any crop-mark slug).
    pub width_mm: f64,
    pub height_mm: f64,
    /// Where the trim starts on the source page, from its top left.
    pub trim_left_mm: f64,
    pub trim_top_mm: f64,
    pub trim_width_mm: f64,
    pub trim_height_mm: f64,
    /// The source's bleed (its `print.bleed-mm`, within its page bleed).
    pub bleed_mm: f64,
}

/// Reads the source's page geometry from its laid-out pages; all pages must be alike.
pub fn geometry(doc: &PagedDocument, source_bleed_mm: f64) -> Result<Geometry, Problem> {
    let mm = |abs: typst::layout::Abs| (abs.to_pt() / PT_PER_MM * 1000.0).round() / 1000.0;
    let mut found: Option<Geometry> = None;
    for (i, page) in doc.pages().iter().enumerate() {
        let b = page.bleed;
        let g = Geometry {
            width_mm: mm(page.frame.width() + b.left + b.right),
            height_mm: mm(page.frame.height() + b.top + b.bottom),
            trim_left_mm: mm(b.left),
            trim_top_mm: mm(b.top),
            trim_width_mm: mm(page.frame.width()),
            trim_height_mm: mm(page.frame.height()),
            bleed_mm: source_bleed_mm.min(mm(b.left.min(b.right).min(b.top).min(b.bottom))),
        };
        match found {
            None => found = Some(g),
            Some(first) if first != g => {
                return Err(Problem::error(format!(
                    "page {} of the edition to impose differs in size from page 1",
                    i + 1
                ))
                .hint("an imposed edition needs pages of one size"))
            }
            Some(_) => {}
        }
    }
    found.ok_or_else(|| Problem::error("the edition to impose has no pages"))
}

/// The `imposition` object of an imposed edition's `data.json` (see layouts/README.md).
pub fn imposition_json(impose: &Impose, plan: &Plan, g: &Geometry) -> serde_json::Value {
    json!({
        "pages": PAGES,
        "page-count": plan.pages,
        "sheet": impose.sheet,
        "sheet-mm": { "width-mm": impose.sheet.mm().0, "height-mm": impose.sheet.mm().1 },
        "trim": { "width-mm": g.trim_width_mm, "height-mm": g.trim_height_mm },
        "source": {
            "width-mm": g.width_mm,
            "height-mm": g.height_mm,
            "trim-left-mm": g.trim_left_mm,
            "trim-top-mm": g.trim_top_mm,
            "bleed-mm": g.bleed_mm,
        },
        "paper-thickness-mm": plan.paper_thickness_mm,
        "binding": if plan.right_to_left { "right" } else { "left" },
        "sheets": plan.sheets,
    })
}

/// How a booklet folds: bound on the right (right-to-left text), or tilt and turn (two
/// languages back to back, the second upside down from the back cover).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Folding {
    pub right_to_left: bool,
    pub tilt_and_turn: bool,
}

impl Folding {
    /// How `publication` folds when made in the `source` edition that is imposed: bound on
    /// the right when it is written right to left; tilt and turn when that edition sets a
    /// translation and its source back to back.
    pub fn of(publication: &Publication, source: &Edition) -> Folding {
        let tilt = source
            .bilingual
            .as_ref()
            .is_some_and(|b| b.arrangement == Arrangement::TiltAndTurn);
        Folding {
            right_to_left: publication.meta.right_to_left(),
            tilt_and_turn: tilt && publication.translation.is_some(),
        }
    }
}

/// The plan and geometry for imposing `source` as edition `name`, checked against the sheet;
/// mirrored for a booklet bound on the right, and with its second half turned for tilt and
/// turn (`folding`).
pub fn plan_for(
    name: &str,
    impose: &Impose,
    source: &PagedDocument,
    source_bleed_mm: f64,
    folding: Folding,
) -> Result<(Plan, Geometry), Problem> {
    let g = geometry(source, source_bleed_mm)?;
    let plan =
        saddle_stitch::plan(source.pages().len(), impose.paper_thickness_mm).map_err(|e| {
            Problem::error(format!("{name}: cannot impose {}: {e}", impose.from)).hint(
                "the edition to impose must pad its pages to a multiple of 4 (`page-multiple: 4`)",
            )
        })?;
    let plan = if folding.right_to_left {
        plan.right_to_left()
    } else {
        plan
    };
    let plan = if folding.tilt_and_turn {
        plan.tilt_and_turn()
    } else {
        plan
    };
    let (sheet_w, sheet_h) = impose.sheet.mm();
    if 2.0 * g.trim_width_mm > sheet_w + 0.01 || g.trim_height_mm > sheet_h + 0.01 {
        return Err(Problem::error(format!(
            "{name}: two {:.0} × {:.0} mm pages side by side do not fit on {}",
            g.trim_width_mm,
            g.trim_height_mm,
            impose.sheet.describe()
        ))
        .hint("choose the sheet that is two pages wide: A5 pages go on a4, A4 pages on a3"));
    }
    Ok((plan, g))
}

/// The `imposition` object of the imposed edition `name`'s data, from its source's laid-out
/// pages: the checked saddle-stitch plan and the source's page geometry. The caller serves
/// the source's PDF at [`PAGES`].
pub fn imposition(
    name: &str,
    impose: &Impose,
    source: &PagedDocument,
    source_bleed_mm: f64,
    folding: Folding,
) -> Result<serde_json::Value, Problem> {
    let (plan, g) = plan_for(name, impose, source, source_bleed_mm, folding)?;
    Ok(imposition_json(impose, &plan, &g))
}
