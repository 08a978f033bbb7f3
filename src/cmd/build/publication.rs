//! What only a build does with one publication: skip it when its cache record says nothing
//! changed, make it through the pipeline's publication flow, then replace its files as one
//! unit. Its files are staged beside their targets and renamed into place together (a
//! failed rename puts back what was replaced); a failed build leaves every earlier good
//! file exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::cache::{Cache, CacheRecord};
use super::{io_problem, BuildOutcome, BuildPlan, Timing, WarmState, WrittenFile};
use crate::compile::{self, BuildError};
use crate::content::Publication;
use crate::diag::{display_path, Location, Problem, Severity};
use crate::export;
use crate::pipeline::publication::{self as flow, Planned, Production};
use crate::pipeline::Session;
use crate::project::{dist, PublicationKey};

/// Builds one publication: skipped when unchanged; else checked, made, and (only if all is
/// well) its files written together. Worlds and preview hashes in `kept` are reused.
pub fn build_publication(
    session: &Session,
    plan: &BuildPlan,
    key: &PublicationKey,
    outcome: &mut BuildOutcome,
    kept: &mut WarmState,
    cache: &Cache,
) -> Result<(), BuildError> {
    let started = Instant::now();
    let quick = cache.quick_key(session, plan, key);
    let Some(record) = replay_untouched(cache, plan, key, &quick, outcome) else {
        return Ok(());
    };
    let first_finding = outcome.findings.len();
    let publication = session.load(key)?;
    // The checks come first: a publication with errors is not typeset at all.
    let planned = flow::plan(session, &publication, &plan.request());
    outcome.findings.extend(planned.findings.iter().cloned());
    if let Some(stopped) = planned.stopped {
        return Err(stopped.into());
    }
    // What an interrupted build left goes first, also when nothing is to be rebuilt.
    export::atomic::clean(&dist::publication_dir(&plan.out, key));
    let brands: Vec<&str> = plan.brands.iter().map(|b| b.id.as_str()).collect();
    let names: Vec<&str> = planned.editions.iter().map(String::as_str).collect();
    let full = cache.key(session, &publication, &names, &planned.stamp, &brands);
    if let Some(record) = record.filter(|r| r.fresh(&quick, Some(&full))) {
        skip_unchanged(cache, key, record, &quick, outcome);
        return Ok(());
    }
    let mut production = flow::make(
        session,
        &publication,
        &planned,
        &plan.brands,
        &mut kept.worlds,
    );
    let stopped = production.stopped();
    outcome.warnings.append(&mut production.warnings);
    outcome.findings.append(&mut production.findings);
    if let Some(i) = production
        .failures
        .iter()
        .position(|f| matches!(f, BuildError::Interrupted { .. }))
    {
        // Left for a newer save (`folio watch`): nothing written, nothing to report.
        return Err(production.failures.swap_remove(i));
    }
    if stopped {
        outcome.failures.append(&mut production.failures);
        return Err(Problem::error(format!(
            "{key}: an edition failed; none of its files was replaced"
        ))
        .hint("fix the errors above and build again")
        .into());
    }
    let pdfs_done = started.elapsed();
    let Committed {
        targets,
        job_sheets,
        rendered,
    } = commit(
        session,
        plan,
        &publication,
        &planned,
        &production,
        &mut kept.previews,
        outcome,
    )?;
    remember(
        cache,
        key,
        (&full, &quick),
        &targets,
        first_finding,
        outcome,
    );
    report_written(plan, key, &production, outcome)?;
    emit_projects(session, plan, &publication, &planned, &production)?;
    outcome.job_sheets.extend(job_sheets);
    // Written: keep what was done, not the bytes.
    outcome
        .previews
        .extend(rendered.into_iter().map(|(id, edition, mut p)| {
            p.files = Vec::new();
            (id, edition, p)
        }));
    outcome.timings.push(Timing {
        publication: key.to_string(),
        pdfs: pdfs_done,
        total: started.elapsed(),
    });
    Ok(())
}

/// Records what was built, with its findings from `first_finding` on (notes aside), so that
/// the next build can skip it; a record that cannot be written is a note, not a failure.
fn remember(
    cache: &Cache,
    key: &PublicationKey,
    keys: (&str, &str),
    targets: &[PathBuf],
    first_finding: usize,
    outcome: &mut BuildOutcome,
) {
    let findings: Vec<_> = outcome.findings[first_finding..]
        .iter()
        .filter(|f| f.severity != Severity::Note)
        .cloned()
        .collect();
    if let Err(note) = cache.record(key, keys, targets, &findings) {
        outcome.notes.push(note);
    }
}

/// Shows a publication's last findings again, and says it is unchanged, when nothing changed
/// since the last build as far as the raw files tell and its files are as folio wrote them:
/// then it is not even read (`None`). Otherwise its cache record, if any, for the full check.
fn replay_untouched(
    cache: &Cache,
    plan: &BuildPlan,
    key: &PublicationKey,
    quick: &str,
    outcome: &mut BuildOutcome,
) -> Option<Option<CacheRecord>> {
    let record = cache.lookup(key).unwrap_or_else(|note| {
        outcome.notes.push(note);
        None
    });
    if let Some(record) = record.as_ref().filter(|r| r.fresh(quick, None)) {
        export::atomic::clean(&dist::publication_dir(&plan.out, key));
        outcome.findings.extend(record.findings.iter().cloned());
        outcome.unchanged.push(key.to_string());
        return None;
    }
    Some(record)
}

/// What a publication's commit put in place: every target, the job sheets and the previews.
struct Committed {
    targets: Vec<PathBuf>,
    job_sheets: Vec<PathBuf>,
    rendered: Vec<(String, String, export::preview::Previews)>,
}

/// Stages the publication's files and renames them into place together; then removes what
/// they replace: images and co-branded files of an older version, previews of pages gone.
fn commit(
    session: &Session,
    plan: &BuildPlan,
    publication: &crate::content::Publication,
    planned: &Planned,
    production: &Production,
    previews: &mut BTreeMap<String, export::preview::PreviewHashes>,
    outcome: &mut BuildOutcome,
) -> Result<Committed, BuildError> {
    let key = &publication.key();
    let Staged {
        batch,
        stale_images,
        job_sheets,
        previews: rendered,
        previews_before,
    } = stage(session, plan, publication, planned, production, previews)?;
    // The last checkpoint of a save's rest in `folio watch` (syncing the files takes a while):
    // the staged files are dropped and the previews are made again after the newer save.
    if session.interrupt.stops() {
        if let Some(before) = previews_before {
            *previews = before;
        }
        return Err(BuildError::Interrupted {
            publication: key.to_string(),
            edition: planned.editions.first().cloned().unwrap_or_default(),
        });
    }
    let targets: Vec<PathBuf> = batch.targets().map(Path::to_path_buf).collect();
    let changed = brand_files_outdated(plan, key, production);
    if let Err((path, e)) = batch.commit() {
        // What was rendered is not on disk: render it all again next time.
        previews.clear();
        return Err(write_failure(key, &path, e));
    }
    crate::site::remove_stale_images(&stale_images);
    if changed {
        outcome
            .notes
            .extend(super::stale::remove_brands(&plan.out, key, &plan.brands));
    }
    for (_, _, p) in &rendered {
        for stale in &p.stale {
            let _ = std::fs::remove_file(stale);
        }
    }
    Ok(Committed {
        targets,
        job_sheets,
        rendered,
    })
}

/// The full key matched: the layout findings are not made again but shown from the record.
fn skip_unchanged(
    cache: &Cache,
    key: &PublicationKey,
    record: CacheRecord,
    quick: &str,
    outcome: &mut BuildOutcome,
) {
    outcome.findings.extend(
        record
            .findings
            .iter()
            .filter(|f| f.edition.is_some())
            .cloned(),
    );
    outcome.unchanged.push(key.to_string());
    if let Err(note) = cache.refresh(key, record, quick) {
        outcome.notes.push(note);
    }
}

/// A publication's files, staged beside their targets, and the previews rendered with them.
struct Staged {
    batch: export::atomic::Batch,
    /// Images of the web edition that the new one no longer shows: removed after the commit.
    stale_images: Vec<PathBuf>,
    job_sheets: Vec<PathBuf>,
    previews: Vec<(String, String, export::preview::Previews)>,
    /// The preview hashes before these previews, kept when the rest of a save in `folio
    /// watch` may still be stopped before the commit (then they are put back).
    previews_before: Option<BTreeMap<String, export::preview::PreviewHashes>>,
}

/// Stages every output of the publication: each edition's file and its companions, the
/// co-branded files, the job sheet, its part of the site, and the previews.
fn stage(
    session: &Session,
    plan: &BuildPlan,
    publication: &crate::content::Publication,
    planned: &Planned,
    production: &Production,
    previews: &mut BTreeMap<String, export::preview::PreviewHashes>,
) -> Result<Staged, BuildError> {
    let key = publication.key();
    let out = &plan.out;
    let dir = dist::publication_dir(out, &key);
    // The publication's part of the site (web edition, cover, catalogue entry) goes in the
    // same batch, so a failed publication keeps its last good entry too.
    let site_files = crate::site::Site::load(&session.root, &session.project).and_then(|site| {
        site.publication_files(
            &session.project,
            publication,
            &site_outputs(production),
            planned.stamp.overdue_since,
        )
    })?;
    let mut batch = export::atomic::Batch::within(out);
    let mut job_sheets = Vec::new();
    let staged = (|| {
        for m in &production.made {
            let path = dist::edition_file(out, &key, &m.edition, m.file.extension);
            batch.stage(&path, &m.file.bytes)?;
            for (extension, bytes) in &m.companions {
                batch.stage(&path.with_extension(extension), bytes)?;
            }
        }
        for b in &plan.brands {
            export::atomic::clean(&dist::brands_dir(out, &key).join(&b.id));
        }
        for (brand, m) in &production.branded {
            let path = dist::brand_file(out, &key, brand, &m.edition, m.file.extension);
            batch.stage(&path, &m.file.bytes)?;
            for (extension, bytes) in &m.companions {
                batch.stage(&path.with_extension(extension), bytes)?;
            }
        }
        if let Some(sheet) = crate::print::jobsheet::job_sheet(
            &session.project,
            publication,
            &print_outputs(production),
        ) {
            for (name, bytes) in sheet.files(&key) {
                batch.stage(&dir.join(&name), &bytes)?;
                job_sheets.push(dir.join(name));
            }
        }
        for (name, bytes) in &site_files {
            batch.stage(&dir.join(name), bytes)?;
        }
        Ok(())
    })();
    staged.map_err(|e| write_failure(&key, &dir, e))?;
    // The previews belong to the publication too: rendered now, written with the rest.
    let previews_before = session.interrupt.is_armed().then(|| previews.clone());
    let rendered = match plan.previews {
        true => super::previews::render(session, plan, &key, &production.made, previews)?,
        false => Vec::new(),
    };
    for (_, _, p) in &rendered {
        for (path, bytes) in &p.files {
            if let Err(e) = batch.stage(path, bytes) {
                previews.clear();
                return Err(write_failure(&key, path, e));
            }
        }
    }
    Ok(Staged {
        stale_images: crate::site::stale_images(&dir, &site_files),
        batch,
        job_sheets,
        previews: rendered,
        previews_before,
    })
}

/// Co-branded files not made now show what the publication was; if its own files change,
/// they are out of date and go (a hospital must not hand out an older version). Only read
/// when there are co-branded files at all: most builds have none.
fn brand_files_outdated(plan: &BuildPlan, key: &PublicationKey, production: &Production) -> bool {
    dist::brands_dir(&plan.out, key).is_dir()
        && production.made.iter().any(|m| {
            let path = dist::edition_file(&plan.out, key, &m.edition, m.file.extension);
            std::fs::read(path).ok().as_ref() != Some(&m.file.bytes)
        })
}

/// The made editions as the site reads them.
fn site_outputs<'a>(production: &'a Production) -> Vec<crate::site::SiteEdition<'a>> {
    production
        .made
        .iter()
        .map(|m| crate::site::SiteEdition {
            edition: &m.edition,
            doc: m.doc(),
            file: &m.file,
        })
        .collect()
}

/// The typeset editions as the job sheet reads them.
fn print_outputs<'a>(production: &'a Production) -> Vec<crate::print::PrintEdition<'a>> {
    production
        .made
        .iter()
        .filter_map(|m| {
            let typeset = m.typeset.as_ref()?;
            Some(crate::print::PrintEdition {
                edition: &m.edition,
                doc: &typeset.doc,
                press: typeset.press.as_ref(),
            })
        })
        .collect()
}

/// Tells the outcome which editions' files were written, and writes the emitted Typst
/// projects.
fn report_written(
    plan: &BuildPlan,
    key: &PublicationKey,
    production: &Production,
    outcome: &mut BuildOutcome,
) -> Result<(), BuildError> {
    let made = production.made.iter().map(|m| (None, m));
    let branded = production.branded.iter().map(|(b, m)| (Some(b), m));
    for (brand, m) in made.chain(branded) {
        let path = match brand {
            Some(brand) => dist::brand_file(&plan.out, key, brand, &m.edition, m.file.extension),
            None => dist::edition_file(&plan.out, key, &m.edition, m.file.extension),
        };
        outcome.written.push(WrittenFile {
            path,
            publication: key.to_string(),
            edition: m.edition.clone(),
            pages: m.file.pages,
        });
    }
    Ok(())
}

/// `--emit-typst`: each typeset edition's Typst project, as the files its compile read. An
/// edition cut from another's pages (`trimmed-from`) read nothing of its own, so its
/// project is compiled here, from its own data, to find them: the typst CLI lays that
/// project out on its own and gets the same pages.
fn emit_projects(
    session: &Session,
    plan: &BuildPlan,
    publication: &Publication,
    planned: &Planned,
    production: &Production,
) -> Result<(), BuildError> {
    let Some(emit) = &plan.emit_typst else {
        return Ok(());
    };
    let key = publication.key();
    for m in &production.made {
        let Some(typeset) = &m.typeset else { continue };
        let edition = &session.project.editions[&m.edition];
        let own;
        let world = match edition.trimmed_from {
            Some(_) => {
                own = session.world(publication, &m.edition, &planned.stamp)?;
                compile::compile(&own, &publication.id, &m.edition)?;
                &own
            }
            None => &typeset.world,
        };
        let to = emit.join(key.to_string()).join(&m.edition);
        export::emit::write(world, edition.pdf, &to).map_err(|e| io_problem(&to, e))?;
    }
    Ok(())
}

fn write_failure(key: &PublicationKey, path: &Path, e: std::io::Error) -> BuildError {
    Problem::error(format!(
        "{key}: cannot write {}: {e}; none of its files was replaced",
        display_path(path)
    ))
    .at(Location::file(path))
    .hint("check that the output folder is writable, has room, and that nothing is in the way")
    .into()
}
