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
use crate::project::{Edition, PdfProfile};
use crate::world::{FolioWorld, DATA, LOGO, MAIN};

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

    fn take(&self, job: &Job, source: &Made) -> Result<Taken, Problem> {
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
        let derived = taken.and_then(|t| t.downcast::<Derived>().ok());
        let world = prepare(job, kept, derived.as_deref()).map_err(|p| (p.into(), None))?;
        make(job, world).map_err(|(e, world)| (e, Some(world)))
    }
}

/// A world for one edition of a publication (the kept one, reset, or a new one), with its
/// generated files in place.
pub fn prepare(
    job: &Job,
    kept: Option<FolioWorld>,
    derived: Option<&Derived>,
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
    let mut data = contract::data(
        job.publication,
        &session.project,
        job.name,
        job.edition,
        job.stamp,
    );
    if let Some(derived) = derived {
        for (path, bytes) in &derived.files {
            world.set_generated(path, bytes.clone());
        }
        for (key, value) in &derived.data {
            data[*key] = value.clone();
        }
    }
    // A kept world may hold a brand's logo from an earlier make: always replace it.
    let logo = job.stamp.brand.as_ref().and_then(|b| b.logo.clone());
    world.set_generated(LOGO, logo.unwrap_or_default());
    world.set_generated(DATA, contract::to_bytes(&data));
    Ok(world)
}

/// Compiles an edition in a prepared world, exports the PDF and checks the pages. A
/// failure gives the world back, so that watch can reuse it after the next save.
fn make(job: &Job, world: FolioWorld) -> Result<Made, (BuildError, FolioWorld)> {
    let (session, publication, name, edition) =
        (job.session, job.publication, job.name, job.edition);
    let id = &publication.id;
    // Fault injection for the tests of panic isolation; debug builds only.
    #[cfg(debug_assertions)]
    if std::env::var("FOLIO_TEST_PANIC").is_ok_and(|v| v == format!("{id}/{name}")) {
        panic!("injected panic in {id}/{name}");
    }
    let result = (|| {
        let (doc, warnings) = compile::compile(&world, id, name)?;
        let ident = format!("folio/{id}/{name}");
        let options =
            crate::export::pdf::options(edition.pdf, &ident, session.timestamp(publication));
        let pdf = crate::export::pdf::export(&world, &doc, &options, id, name)?;
        let intent = session.project.print.output_intent();
        let (pdf, press) = crate::print::finish_pdf(edition, &intent, pdf)?;
        Ok((doc, warnings, pdf, press))
    })();
    let (doc, warnings, pdf, press) = match result {
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
        typeset: Some(Typeset { doc, press, world }),
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
