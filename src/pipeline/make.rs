//! Making one edition: a world prepared with the edition's generated files is compiled,
//! exported to PDF (press PDFs get their BleedBox) and checked (layout rules, preflight).

use typst_layout::PagedDocument;

use super::Session;
use crate::compile::{self, BuildError};
use crate::content::Publication;
use crate::contract::{self, Stamp};
use crate::diag::Problem;
use crate::finding::Finding;
use crate::world::{FolioWorld, DATA, LOGO, MAIN};

/// Worlds kept between builds, by edition name (one publication's).
pub type Worlds = std::collections::BTreeMap<String, FolioWorld>;

/// One edition of one publication, made.
pub struct Made {
    pub edition: String,
    /// Findings on the laid-out pages (page rules, text rules, stranded headings, preflight).
    pub findings: Vec<Finding>,
    pub doc: PagedDocument,
    pub pdf: Vec<u8>,
    /// What a press edition's PDF says about itself (boxes, fonts, colours); `None` for a
    /// screen edition.
    pub press: Option<crate::print::press::Facts>,
    /// Typst's warnings, as data.
    pub warnings: Vec<Problem>,
    pub world: FolioWorld,
}

/// What a derived edition takes from the edition it is made from: files to serve and data
/// to add (an imposed edition: the source's PDF and the `imposition` object).
#[derive(Clone)]
pub struct Derived {
    pub files: Vec<(&'static str, Vec<u8>)>,
    pub data: Vec<(&'static str, serde_json::Value)>,
}

impl Session {
    /// A world for one edition of `publication` (the kept one, reset, or a new one), with
    /// its generated files in place.
    pub fn prepare(
        &self,
        kept: Option<FolioWorld>,
        publication: &Publication,
        name: &str,
        stamp: &Stamp,
        derived: Option<&Derived>,
    ) -> Result<FolioWorld, Problem> {
        let edition = &self.project.editions[name];
        let mut world = match kept {
            Some(world) => world,
            None => FolioWorld::with_shared(
                &self.root,
                self.fonts.clone(),
                self.timestamp(publication),
                &self.shared,
            )
            .map_err(|e| Problem::error(format!("cannot set up the compiler: {e}")))?,
        };
        world.reset();
        world.set_generated(MAIN, contract::main_typ(edition).into_bytes());
        let mut data = contract::data(publication, &self.project, name, edition, stamp);
        if let Some(derived) = derived {
            for (path, bytes) in &derived.files {
                world.set_generated(path, bytes.clone());
            }
            for (key, value) in &derived.data {
                data[*key] = value.clone();
            }
        }
        // A kept world may hold a brand's logo from an earlier make: always replace it.
        let logo = stamp.brand.as_ref().and_then(|b| b.logo.clone());
        world.set_generated(LOGO, logo.unwrap_or_default());
        world.set_generated(DATA, contract::to_bytes(&data));
        Ok(world)
    }

    /// Compiles an edition in a prepared world, exports the PDF and checks the pages.
    /// A failure gives the world back, so that watch can reuse it after the next save.
    pub fn make(
        &self,
        world: FolioWorld,
        publication: &Publication,
        name: &str,
    ) -> Result<Made, (BuildError, FolioWorld)> {
        let edition = &self.project.editions[name];
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
                crate::export::pdf::options(edition.pdf, &ident, self.timestamp(publication));
            let pdf = crate::export::pdf::export(&world, &doc, &options, id, name)?;
            let intent = self.project.print.output_intent();
            let (pdf, press) = crate::print::finish_pdf(edition, &intent, pdf)?;
            Ok((doc, warnings, pdf, press))
        })();
        match result {
            Ok((doc, warnings, pdf, press)) => {
                let mut findings =
                    crate::check::layout::check(&doc, id, &publication.file, name, edition);
                findings.extend(crate::print::preflight::check(
                    &doc,
                    press.as_ref(),
                    id,
                    name,
                    edition,
                ));
                Ok(Made {
                    edition: name.to_string(),
                    findings,
                    doc,
                    pdf,
                    press,
                    warnings,
                    world,
                })
            }
            Err(e) => Err((e, world)),
        }
    }

    /// What the editions derived from `source` (by `impose.from`) take from it, by name
    /// (a right-to-left `publication` is imposed for binding on the right).
    pub fn derive(
        &self,
        publication: &Publication,
        source: &Made,
        dependent: &str,
    ) -> Result<Derived, Problem> {
        let edition = &self.project.editions[dependent];
        let Some(impose) = &edition.impose else {
            return Err(Problem::error(format!(
                "{dependent} is not made from another edition"
            )));
        };
        let source_bleed = self.project.editions[&impose.from].bleed_mm();
        let imposition = crate::print::impose::imposition(
            dependent,
            impose,
            &source.doc,
            source_bleed,
            crate::print::impose::Folding::of(publication, &self.project.editions[&impose.from]),
        )?;
        Ok(Derived {
            files: vec![(crate::print::impose::PAGES, source.pdf.clone())],
            data: vec![("imposition", imposition)],
        })
    }
}

impl Session {
    /// A new world for one plain edition of `publication` (tests and one-off makes).
    pub fn world(
        &self,
        publication: &Publication,
        name: &str,
        stamp: &Stamp,
    ) -> Result<FolioWorld, Problem> {
        self.prepare(None, publication, name, stamp, None)
    }
}
