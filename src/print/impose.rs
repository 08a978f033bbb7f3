//! Imposed editions: a second pass that places another edition's finished PDF pages on
//! printer sheets.
//!
//! The source edition (`impose.from`) is made first, as usual. Its PDF bytes are served to
//! the imposed edition's world as [`PAGES`], and `data.json` gets an `imposition` object:
//! the plan from [`super::imposition`] and the source's page geometry (read from its
//! laid-out pages). The imposed layout only places pages where the data says.

use serde_json::json;
use typst_layout::PagedDocument;

use super::config::{bleed_mm, Impose};
use super::imposition::{self, Plan};
use super::press::PT_PER_MM;
use crate::compile::BuildError;
use crate::content::Publication;
use crate::diag::Problem;
use crate::edition::{self, Stamp};
use crate::pipeline::{Made, Session, Worlds};
use crate::project::Project;
use crate::world::{FolioWorld, DATA};

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
    /// The source's bleed (its `bleed-mm` option, within its page bleed).
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
        "sheets": plan.sheets,
    })
}

/// The plan and geometry for imposing `source` as edition `name`, checked against the sheet.
pub fn plan_for(
    name: &str,
    impose: &Impose,
    source: &Made,
    source_bleed_mm: f64,
) -> Result<(Plan, Geometry), Problem> {
    let g = geometry(&source.doc, source_bleed_mm)?;
    let plan =
        imposition::plan(source.doc.pages().len(), impose.paper_thickness_mm).map_err(|e| {
            Problem::error(format!("{name}: cannot impose {}: {e}", impose.from)).hint(
                "the edition to impose must pad its pages to a multiple of 4 (`page-multiple: 4`)",
            )
        })?;
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

/// Puts the source PDF and the imposition data into an imposed edition's world.
pub fn prepare(
    session: &Session,
    world: &mut FolioWorld,
    publication: &Publication,
    name: &str,
    stamp: &Stamp,
    source: &Made,
) -> Result<(), Problem> {
    let edition = &session.project.editions[name];
    let impose = edition
        .impose
        .as_ref()
        .ok_or_else(|| Problem::error(format!("{name} is not an imposed edition")))?;
    let source_edition = &session.project.editions[&impose.from];
    let (plan, g) = plan_for(name, impose, source, bleed_mm(source_edition))?;
    let data = edition::data_json(publication, &session.project, name, edition, stamp);
    let mut data: serde_json::Value =
        serde_json::from_slice(&data).expect("folio's own JSON parses");
    data["imposition"] = imposition_json(impose, &plan, &g);
    world.set_generated(PAGES, source.pdf.clone());
    world.set_generated(
        DATA,
        serde_json::to_vec_pretty(&data).expect("JSON serializes"),
    );
    Ok(())
}

/// Splits editions to make into a first wave (plain editions plus the sources of imposed
/// ones, added when not asked for) and the imposed editions. `None` when nothing is imposed.
pub fn split<'a>(project: &'a Project, names: &[&'a str]) -> Option<(Vec<&'a str>, Vec<&'a str>)> {
    let imposed_from = |name: &str| {
        project
            .editions
            .get(name)?
            .impose
            .as_ref()
            .map(|i| i.from.as_str())
    };
    let imposed: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| imposed_from(n).is_some())
        .collect();
    if imposed.is_empty() {
        return None;
    }
    let mut first: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| imposed_from(n).is_none())
        .collect();
    for name in &imposed {
        let from = imposed_from(name).expect("filtered above");
        if !first.contains(&from) {
            first.push(from);
        }
    }
    Some((first, imposed))
}

/// Makes the imposed editions `names` (in parallel) from the editions already made in
/// `made`, reusing worlds kept in `worlds`.
pub fn make_imposed(
    session: &Session,
    publication: &Publication,
    names: &[&str],
    stamp: &Stamp,
    made: &[Result<Made, BuildError>],
    worlds: &mut Worlds,
) -> Vec<Result<Made, BuildError>> {
    let mut taken: Vec<(&str, Option<FolioWorld>)> =
        names.iter().map(|n| (*n, worlds.remove(*n))).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = taken
            .drain(..)
            .map(|(name, kept)| {
                scope.spawn(move || -> Result<Made, BuildError> {
                    let edition = &session.project.editions[name];
                    let from = &edition.impose.as_ref().expect("split gives imposed editions").from;
                    let source = made.iter().flatten().find(|m| &m.edition == from).ok_or_else(|| {
                        Problem::error(format!("{}: {name} not made: {from} failed, so there are no pages to impose", publication.id))
                            .hint(format!("fix the errors of {from} above"))
                    })?;
                    let mut world = match kept {
                        Some(mut world) => {
                            session.refresh(&mut world, publication, name, edition, stamp);
                            world
                        }
                        None => session.world(publication, name, stamp)?,
                    };
                    prepare(session, &mut world, publication, name, stamp, source)?;
                    session.make(world, publication, name).map_err(|(e, _)| e)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an imposed edition panicked"))
            .collect()
    })
}
