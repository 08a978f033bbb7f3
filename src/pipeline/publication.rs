//! The flow of one loaded publication, the same for `build`, `check`, `watch`, `build
//! --brand` and `serve`: its model checks, the editions it is made in, every edition made
//! (on the session's pool), then the brandable ones again for each partner, with one rule
//! for when a finding stops it ([`stops`]).
//!
//! Two steps, because a build looks in its cache between them: [`plan`] runs the checks
//! that need no typesetting and says what would be made; [`make`] makes it. What the
//! commands do with the result (stage and commit files, print findings, answer a request)
//! stays in the commands.

use super::brands::{self, Branded};
use super::kinds::Made;
use super::{schedule, Session, Worlds};
use crate::compile::BuildError;
use crate::content::Publication;
use crate::contract::Stamp;
use crate::diag::{Problem, Severity};
use crate::finding::{Code, Finding};
use crate::project::PdfProfile;

/// What is asked of a publication.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Edition names to restrict to (empty: every edition the publication is made in).
    pub editions: Vec<String>,
    /// Only the press editions (`check --print`).
    pub press_only: bool,
    /// Publish past the next review date, with a mark on every page (`--allow-overdue`).
    pub allow_overdue: bool,
    /// Translations behind their source as warnings (`--allow-outdated-translations`).
    pub allow_outdated_translations: bool,
    /// Text nobody approved, built as a draft marked on every page (`--allow-unapproved`).
    pub allow_unapproved: bool,
    /// Typeset even when the model checks found errors, to report every finding at once
    /// (`folio check`). Characters no font can draw stop typesetting whatever this says.
    pub typeset_despite_errors: bool,
}

/// A publication checked and ready to make: what the stamp says, what was found, and the
/// editions to make.
#[derive(Debug, Clone)]
pub struct Planned {
    pub stamp: Stamp,
    /// The model checks' findings (after the request's allowances).
    pub findings: Vec<Finding>,
    /// The editions to make, in the project's order.
    pub editions: Vec<String>,
    /// Why nothing is to be typeset, when the model checks stop the publication.
    pub stopped: Option<Problem>,
}

/// How a publication stopped by its model checks is summed up (after its findings).
pub const CHECK_ERRORS_SUMMARY: &str = "has check errors; no edition was built";

/// Runs the checks that need no typesetting and chooses the editions.
pub fn plan(session: &Session, publication: &Publication, request: &Request) -> Planned {
    let mut findings = session.check_model(publication);
    let mut stamp = Stamp::default();
    if request.allow_overdue {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::ReviewOverdue)
        {
            f.severity = Severity::Warning;
            stamp.overdue_since = Some(publication.meta.next_review);
        }
    }
    if request.allow_unapproved {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::UnapprovedChanges)
        {
            f.severity = Severity::Warning;
            stamp.unapproved = true;
        }
    }
    if request.allow_outdated_translations {
        crate::check::translation::allow_outdated(&mut findings);
    }
    let unprintable = findings.iter().any(|f| f.code == Code::GlyphMissing);
    let stopped =
        (stops(&findings) && (unprintable || !request.typeset_despite_errors)).then(|| {
            Problem::error(format!("{} {CHECK_ERRORS_SUMMARY}", publication.id))
                .hint("fix the errors listed above (`folio check` lists them too)")
        });
    let editions = match stopped.is_some() {
        true => Vec::new(),
        false => session
            .editions_for(publication, &request.editions)
            .into_iter()
            .filter(|(_, e)| !request.press_only || e.pdf == PdfProfile::Press)
            .map(|(n, _)| n.to_string())
            .collect(),
    };
    Planned {
        stamp,
        findings,
        editions,
        stopped,
    }
}

/// The one rule for when findings stop a publication: any error.
pub fn stops(findings: &[Finding]) -> bool {
    crate::finding::blocking(findings, false)
}

/// Everything made of one publication. Dropping it gives the Typst worlds of its editions
/// back to the [`Worlds`] they came from, whichever way the caller leaves.
pub struct Production<'w> {
    /// Every edition made, in the order of [`schedule::order`].
    pub made: Vec<Made>,
    /// The brandable editions made again for each partner: (brand id, edition).
    pub branded: Vec<(String, Made)>,
    /// What was found on the made editions (their own findings stay empty).
    pub findings: Vec<Finding>,
    /// Warnings of the tools (Typst), as data.
    pub warnings: Vec<Problem>,
    /// Editions that could not be made, and partners' editions whose text does not fit.
    pub failures: Vec<BuildError>,
    worlds: &'w mut Worlds,
}

impl Production<'_> {
    /// Whether the publication failed: an edition not made, or an error found on one.
    pub fn stopped(&self) -> bool {
        !self.failures.is_empty() || stops(&self.findings)
    }
}

impl Drop for Production<'_> {
    fn drop(&mut self) {
        for m in self.made.drain(..) {
            if let Some(typeset) = m.typeset {
                self.worlds.insert(m.edition, typeset.world);
            }
        }
    }
}

/// Makes the planned editions of `publication`, reusing the worlds in `worlds`, then, when
/// all went well, the brandable ones for each of `partners`.
pub fn make<'w>(
    session: &Session,
    publication: &Publication,
    planned: &Planned,
    partners: &[Branded],
    worlds: &'w mut Worlds,
) -> Production<'w> {
    let names: Vec<&str> = planned.editions.iter().map(String::as_str).collect();
    let mut production = Production {
        made: Vec::new(),
        branded: Vec::new(),
        findings: Vec::new(),
        warnings: Vec::new(),
        failures: Vec::new(),
        worlds,
    };
    let results = schedule::make_all(
        session,
        publication,
        &names,
        &planned.stamp,
        production.worlds,
    );
    for result in results {
        match result {
            Ok(mut m) => {
                production.warnings.append(&mut m.warnings);
                production.findings.append(&mut m.findings);
                production.made.push(m);
            }
            Err(e) => production.failures.push(e),
        }
    }
    if !production.stopped() && !partners.is_empty() {
        match brands::make_all(session, publication, &names, &planned.stamp, partners) {
            Ok(branded) => production.branded = branded,
            Err(mut errors) => production.failures.append(&mut errors),
        }
    }
    production
}
