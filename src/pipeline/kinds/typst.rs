//! The `typst` kind: a layout compiled to a PDF. A world prepared with the edition's
//! generated files is compiled, exported (press PDFs get their BleedBox) and checked
//! (layout rules, preflight). An edition with `impose.from` is made from another edition's
//! PDF pages, placed on sheets.

use super::{Job, Kind, Made, Taken, Typeset};
use crate::compile::{self, BuildError};
use crate::contract::{self, Stamp};
use crate::diag::Problem;
use crate::export::EditionFile;
use crate::pipeline::Session;
use crate::print::trim::{trim, Palette};
use crate::project::{Edition, PdfProfile};
use crate::world::{FolioWorld, DATA, LOGO, MAIN};
use typst_layout::PagedDocument;

/// A Typst layout compiled to a PDF.
pub struct Typst;

/// What an imposed edition takes from the edition it is made from: files to serve and data
/// to add (the source's PDF and the `imposition` object).
#[derive(Clone)]
pub struct Derived {
    pub files: Vec<(&'static str, Vec<u8>)>,
    pub data: Vec<(&'static str, serde_json::Value)>,
}

impl Kind for Typst {
    fn name(&self) -> &'static str {
        crate::project::edition::TYPST_KIND
    }

    fn validate(&self, name: &str, edition: &Edition) -> Result<(), Problem> {
        match &edition.layout {
            Some(_) => Ok(()),
            None => Err(Problem::error(format!("edition `{name}` has no layout"))
                .hint("give its Typst layout, e.g. `layout: layouts/booklet/booklet.typ`")),
        }
    }

    fn source<'e>(&self, edition: &'e Edition) -> Option<&'e str> {
        edition.impose.as_ref().map(|i| i.from.as_str())
    }

    fn laid_out_with<'e>(&self, edition: &'e Edition) -> Option<&'e str> {
        edition.trimmed_from.as_deref()
    }

    fn take(&self, job: &Job, source: &Made) -> Result<Taken, Problem> {
        if job.edition.trimmed_from.is_some() {
            return Ok(Box::new(PressPages(source.doc().cloned())));
        }
        let name = job.name;
        let Some(impose) = &job.edition.impose else {
            return Err(Problem::error(format!(
                "{name} is not made from another edition"
            )));
        };
        let Some(doc) = source.doc() else {
            return Err(Problem::error(format!(
                "{name} imposes the pages of {}, which has none to impose",
                impose.from
            ))
            .hint("impose a Typst edition"));
        };
        let editions = &job.session.project.editions;
        let imposition = crate::print::imposed_edition::imposition(
            name,
            impose,
            doc,
            editions[&impose.from].bleed_mm(),
            crate::print::imposed_edition::Folding::of(job.publication, &editions[&impose.from]),
        )?;
        Ok(Box::new(Derived {
            files: vec![(
                crate::print::imposed_edition::PAGES,
                source.file.bytes.clone(),
            )],
            data: vec![("imposition", imposition)],
        }))
    }

    fn make(
        &self,
        job: &Job,
        kept: Option<FolioWorld>,
        taken: Option<Taken>,
    ) -> Result<Made, (BuildError, Option<FolioWorld>)> {
        // An edition given files or data of its own (an imposition, a reviewer's marks) is
        // laid out with them; a trimmed edition otherwise is cut from press pages.
        let (pressed, derived) = match taken.map(|t| t.downcast::<PressPages>()) {
            Some(Ok(pressed)) => (pressed.0, None),
            Some(Err(t)) => (None, t.downcast::<Derived>().ok()),
            None => (None, None),
        };
        if let (Some(from), None) = (&job.edition.trimmed_from, &derived) {
            return make_trimmed(job, from, kept, pressed);
        }
        let world = prepare(job, kept, derived.as_deref()).map_err(|p| (p.into(), None))?;
        make(job, world).map_err(|(e, world)| (e, Some(world)))
    }
}

/// What a trimmed edition takes from the press edition it is laid out with: its pages.
struct PressPages(Option<PagedDocument>);

/// Makes an edition with `trimmed-from`: the press edition's pages (`pressed`, or laid out
/// here from the press edition's data when it is not made in this run) cut to the trim in
/// screen colours, so that the file is the same however the edition is made. When the two
/// editions' data would lay out different text, or the pages hold a colour the layout's
/// palette cannot map, the edition is laid out on its own, as any other.
fn make_trimmed(
    job: &Job,
    from: &str,
    kept: Option<FolioWorld>,
    pressed: Option<PagedDocument>,
) -> Result<Made, (BuildError, Option<FolioWorld>)> {
    let project = &job.session.project;
    let press = Job {
        name: from,
        edition: &project.editions[from],
        ..*job
    };
    let data =
        |job: &Job| contract::data(job.publication, project, job.name, job.edition, job.stamp);
    let (own, press_data) = (data(job), data(&press));
    let own_layout = |kept| {
        let world = world_for(job, kept, &own, &[]).map_err(|p| (p.into(), None))?;
        make(job, world).map_err(|(e, world)| (e, Some(world)))
    };
    if !contract::same_but_press(&own, &press_data) {
        return own_layout(kept);
    }
    let (world, pressed, warnings) = match pressed {
        Some(doc) => {
            let world = world_for(job, kept, &own, &[]).map_err(|p| (p.into(), None))?;
            (world, doc, Vec::new())
        }
        None => {
            let world = world_for(&press, kept, &press_data, &[]).map_err(|p| (p.into(), None))?;
            match compile::compile(&world, &job.publication.id, job.name) {
                Ok((doc, warnings)) => (world, doc, warnings),
                Err(e) => return Err((e, Some(world))),
            }
        }
    };
    let trimmed = Palette::of(&pressed).and_then(|palette| trim(&pressed, &palette));
    match trimmed {
        Some(doc) => {
            finish(job, world, doc, warnings, Some(from)).map_err(|(e, world)| (e, Some(world)))
        }
        None => own_layout(Some(world)),
    }
}

/// A world for one edition of a publication (the kept one, reset, or a new one), with its
/// generated files in place.
pub fn prepare(
    job: &Job,
    kept: Option<FolioWorld>,
    derived: Option<&Derived>,
) -> Result<FolioWorld, Problem> {
    let mut data = contract::data(
        job.publication,
        &job.session.project,
        job.name,
        job.edition,
        job.stamp,
    );
    let files = match derived {
        Some(derived) => {
            for (key, value) in &derived.data {
                data[*key] = value.clone();
            }
            derived.files.as_slice()
        }
        None => &[],
    };
    world_for(job, kept, &data, files)
}

/// A world for `job` (the kept one, reset, or a new one) given its `data.json` and any
/// other generated files.
fn world_for(
    job: &Job,
    kept: Option<FolioWorld>,
    data: &serde_json::Value,
    files: &[(&'static str, Vec<u8>)],
) -> Result<FolioWorld, Problem> {
    let session = job.session;
    let mut world = match kept {
        Some(world) => world,
        None => FolioWorld::with_shared(
            &session.root,
            session.fonts.clone(),
            session.timestamp(job.publication),
            &session.shared,
        )
        .map_err(|e| Problem::error(format!("cannot set up the compiler: {e}")))?,
    };
    world.reset();
    world.set_generated(MAIN, contract::main_typ(job.edition).into_bytes());
    for (path, bytes) in files {
        world.set_generated(path, bytes.clone());
    }
    // A kept world may hold a brand's logo from an earlier make: always replace it.
    let logo = job.stamp.brand.as_ref().and_then(|b| b.logo.clone());
    world.set_generated(LOGO, logo.unwrap_or_default());
    world.set_generated(DATA, contract::to_bytes(data));
    Ok(world)
}

/// Compiles an edition in a prepared world, exports the PDF and checks the pages. A
/// failure gives the world back, so that watch can reuse it after the next save.
fn make(job: &Job, world: FolioWorld) -> Result<Made, (BuildError, FolioWorld)> {
    match compile::compile(&world, &job.publication.id, job.name) {
        Ok((doc, warnings)) => finish(job, world, doc, warnings, None),
        Err(e) => Err((e, world)),
    }
}

/// Exports a laid-out edition and checks its pages (`trimmed_from`: the press edition they
/// were cut from, if they were).
fn finish(
    job: &Job,
    world: FolioWorld,
    doc: PagedDocument,
    warnings: Vec<Problem>,
    trimmed_from: Option<&str>,
) -> Result<Made, (BuildError, FolioWorld)> {
    let (session, publication, name, edition) =
        (job.session, job.publication, job.name, job.edition);
    let id = &publication.id;
    // Fault injection for the tests of panic isolation; debug builds only.
    #[cfg(debug_assertions)]
    if std::env::var("FOLIO_TEST_PANIC").is_ok_and(|v| v == format!("{id}/{name}")) {
        panic!("injected panic in {id}/{name}");
    }
    let result = (|| {
        session.interrupt.check(id, name)?;
        let ident = format!("folio/{id}/{name}");
        let options =
            crate::export::pdf::options(edition.pdf, &ident, session.timestamp(publication));
        let pdf = crate::export::pdf::export(&world, &doc, &options, id, name)?;
        session.interrupt.check(id, name)?;
        let intent = session.project.print.output_intent();
        let (pdf, press) = crate::print::finish_pdf(edition, &intent, pdf)?;
        Ok((pdf, press))
    })();
    let (pdf, press) = match result {
        Ok(made) => made,
        Err(e) => return Err((e, world)),
    };
    let mut findings = crate::check::layout::check(&doc, id, &publication.file, name, edition);
    let sources =
        crate::print::sources::ImageSources::for_edition(&session.root, publication, edition);
    findings.extend(crate::print::preflight::check(
        &doc,
        press.as_ref(),
        id,
        name,
        edition,
        &sources,
    ));
    let paper = doc
        .pages()
        .first()
        .map(|p| {
            let size = p.frame.size();
            crate::site::entry::paper(size.x.to_mm(), size.y.to_mm())
        })
        .unwrap_or_default();
    let file = EditionFile {
        pages: doc.pages().len(),
        paper,
        profile: match edition.pdf {
            PdfProfile::Screen => "screen",
            PdfProfile::Press => "press",
        }
        .to_string(),
        extension: "pdf",
        media_type: "application/pdf",
        bytes: pdf,
    };
    Ok(Made {
        edition: name.to_string(),
        file,
        companions: Vec::new(),
        findings,
        warnings,
        typeset: Some(Typeset {
            doc,
            press,
            world,
            trimmed_from: trimmed_from.map(str::to_string),
        }),
    })
}

impl Session {
    /// A new world for one plain Typst edition of `publication` (tests and one-off makes).
    pub fn world(
        &self,
        publication: &crate::content::Publication,
        name: &str,
        stamp: &Stamp,
    ) -> Result<FolioWorld, Problem> {
        let job = Job {
            session: self,
            publication,
            name,
            edition: &self.project.editions[name],
            stamp,
        };
        prepare(&job, None, None)
    }
}
