//! One publication: checks, every edition, then its files, replaced as one unit. Its PDFs
//! and job sheet are written only when all its editions succeeded, staged beside their
//! targets and renamed into place together (a failed rename puts back what was replaced);
//! a failed build leaves every earlier good file exactly as it was.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::cache::Cache;
use super::{preview_dir, BuildPlan, Kept, Outcome, Timing, Written};
use crate::compile::BuildError;
use crate::contract::Stamp;
use crate::diag::{display_path, Location, Problem, Severity};
use crate::export;
use crate::finding::{blocking, Code};
use crate::pipeline::{schedule, Made, Session};

/// Builds one publication: checks, every edition, then (only if all is well) its PDFs and
/// previews. Worlds and preview hashes in `kept` are reused and updated.
pub fn build_publication(
    session: &Session,
    plan: &BuildPlan,
    id: &str,
    outcome: &mut Outcome,
    kept: &mut Kept,
    cache: &Cache,
) -> Result<(), BuildError> {
    let started = Instant::now();
    // Nothing changed since the last build, as far as the raw files tell, and its files are
    // as folio wrote them: not even read. Its last findings are shown again.
    let quick = cache.quick_key(session, plan, id);
    let record = cache.lookup(id).unwrap_or_else(|note| {
        outcome.notes.push(note);
        None
    });
    if let Some(record) = record.as_ref().filter(|r| r.fresh(&quick, None)) {
        export::atomic::clean(&Session::out_dir(&plan.out, id));
        outcome.findings.extend(record.findings.iter().cloned());
        outcome.unchanged.push(id.to_string());
        return Ok(());
    }
    let first_finding = outcome.findings.len();
    let publication = session.load(id)?;

    // The checks come first: a publication with errors is not typeset at all.
    let mut findings = session.check_model(&publication);
    let mut stamp = Stamp::default();
    if plan.allow_overdue {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::ReviewOverdue)
        {
            f.severity = Severity::Warning;
            stamp.overdue_since = Some(publication.meta.next_review);
        }
    }
    if plan.allow_unapproved {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::UnapprovedChanges)
        {
            f.severity = Severity::Warning;
            stamp.unapproved = true;
        }
    }
    if plan.allow_outdated_translations {
        crate::check::translation::allow_outdated(&mut findings);
    }
    let refused = blocking(&findings, false);
    outcome.findings.append(&mut findings);
    if refused {
        return Err(
            Problem::error(format!("{id} has check errors; no edition was built"))
                .hint("fix the errors listed above (`folio check` lists them too)")
                .into(),
        );
    }

    let names: Vec<&str> = session
        .editions_for(&publication, &plan.targets.editions)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    // What an interrupted build left goes first, also when nothing is to be rebuilt.
    export::atomic::clean(&Session::out_dir(&plan.out, id));
    // Nothing it depends on changed and its files are as folio wrote them: done.
    let brands: Vec<&str> = plan.brands.iter().map(|b| b.id.as_str()).collect();
    let key = cache.key(session, &publication, &names, &stamp, &brands);
    if let Some(record) = record.filter(|r| r.fresh(&quick, Some(&key))) {
        // The layout findings are not made again: shown from the record.
        outcome.findings.extend(
            record
                .findings
                .iter()
                .filter(|f| f.edition.is_some())
                .cloned(),
        );
        outcome.unchanged.push(id.to_string());
        if let Err(note) = cache.refresh(id, record, &quick) {
            outcome.notes.push(note);
        }
        return Ok(());
    }
    let mut made: Vec<Made> = Vec::new();
    let mut failed = false;
    for result in schedule::make_all(session, &publication, &names, &stamp, &mut kept.worlds) {
        match result {
            Ok(m) => made.push(m),
            Err(e) => {
                outcome.failures.push(e);
                failed = true;
            }
        }
    }
    for m in made.iter_mut() {
        outcome.warnings.append(&mut m.warnings);
        failed |= blocking(&m.findings, false);
        outcome.findings.append(&mut m.findings);
    }
    let branded = match failed || plan.brands.is_empty() {
        true => Vec::new(),
        false => crate::cmd::brands::make_all(session, &publication, &names, &stamp, &plan.brands)
            .unwrap_or_else(|mut errors| {
                outcome.failures.append(&mut errors);
                failed = true;
                Vec::new()
            }),
    };
    if failed {
        keep_worlds(kept, made);
        return Err(Problem::error(format!(
            "{id}: an edition failed; none of its files was replaced"
        ))
        .hint("fix the errors above and build again")
        .into());
    }

    // The publication's part of the site (web edition, cover, catalogue entry) goes in the
    // same batch, so a failed publication keeps its last good entry too.
    let site_files = {
        let outputs: Vec<crate::site::Output> = made
            .iter()
            .map(|m| crate::site::Output {
                edition: &m.edition,
                doc: &m.doc,
                pdf: &m.pdf,
            })
            .collect();
        crate::site::Site::load(&session.root, &session.project).and_then(|site| {
            site.publication_files(
                &session.project,
                &publication,
                &outputs,
                stamp.overdue_since,
            )
        })
    };
    let site_files = match site_files {
        Ok(files) => files,
        Err(problem) => {
            keep_worlds(kept, made);
            return Err(problem.into());
        }
    };

    // Co-branded PDFs not made now show what the publication was; if its PDFs change,
    // they are out of date and go (a hospital must not hand out an older version).
    // (Only read when there are co-branded files at all: most builds have none.)
    let brands_dir = Session::out_dir(&plan.out, id).join(crate::project::brand::BRANDS_DIR);
    let changed = brands_dir.is_dir()
        && made.iter().any(|m| {
            std::fs::read(Session::pdf_path(&plan.out, id, &m.edition))
                .ok()
                .as_ref()
                != Some(&m.pdf)
        });
    // Every output of the publication, staged, then renamed into place together.
    let dir = Session::out_dir(&plan.out, id);
    let mut batch = export::atomic::Batch::default();
    let mut job_sheets = Vec::new();
    let staged = (|| {
        for m in &made {
            batch.stage(&Session::pdf_path(&plan.out, id, &m.edition), &m.pdf)?;
        }
        for b in &plan.brands {
            export::atomic::clean(&dir.join("brands").join(&b.id));
        }
        for (brand, m) in &branded {
            let path = crate::cmd::brands::pdf_path(&plan.out, id, brand, &m.edition);
            batch.stage(&path, &m.pdf)?;
        }
        let outputs: Vec<crate::print::Output> = made
            .iter()
            .map(|m| crate::print::Output {
                edition: &m.edition,
                doc: &m.doc,
                press: m.press.as_ref(),
            })
            .collect();
        if let Some(sheet) =
            crate::print::jobsheet::job_sheet(&session.project, &publication, &outputs)
        {
            for (name, bytes) in sheet.files() {
                batch.stage(&dir.join(&name), &bytes)?;
                job_sheets.push(dir.join(name));
            }
        }
        for (name, bytes) in &site_files {
            batch.stage(&dir.join(name), bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        keep_worlds(kept, made);
        return Err(write_failure(id, &dir, e));
    }
    let targets: Vec<PathBuf> = batch.targets().map(Path::to_path_buf).collect();
    let pdfs_done = started.elapsed();
    // The previews belong to the publication too: rendered now, written with the rest.
    let previews = match plan.previews {
        true => match render_previews(session, plan, id, &made, kept) {
            Ok(previews) => previews,
            Err(e) => {
                keep_worlds(kept, made);
                return Err(e);
            }
        },
        false => Vec::new(),
    };
    for (_, _, p) in &previews {
        for (path, bytes) in &p.files {
            if let Err(e) = batch.stage(path, bytes) {
                kept.previews.clear();
                keep_worlds(kept, made);
                return Err(write_failure(id, path, e));
            }
        }
    }
    if let Err((path, e)) = batch.commit() {
        // What was rendered is not on disk: render it all again next time.
        kept.previews.clear();
        keep_worlds(kept, made);
        return Err(write_failure(id, &path, e));
    }
    if changed {
        outcome.notes.extend(crate::cmd::brands::remove_stale(
            &plan.out,
            id,
            &plan.brands,
        ));
    }
    for (_, _, p) in &previews {
        for stale in &p.stale {
            let _ = std::fs::remove_file(stale);
        }
    }
    let findings: Vec<_> = outcome.findings[first_finding..]
        .iter()
        .filter(|f| f.severity != Severity::Note)
        .cloned()
        .collect();
    if let Err(note) = cache.record(id, (&key, &quick), &targets, &findings) {
        outcome.notes.push(note);
    }
    for m in &made {
        outcome.written.push(Written {
            path: Session::pdf_path(&plan.out, id, &m.edition),
            publication: id.to_string(),
            edition: m.edition.clone(),
            pages: m.doc.pages().len(),
        });
        if let Some(emit) = &plan.emit_typst {
            let to = emit.join(id).join(&m.edition);
            export::emit::write(&m.world, session.project.editions[&m.edition].pdf, &to)
                .map_err(|e| io_problem(&to, e))?;
        }
    }
    for (brand, m) in &branded {
        outcome.written.push(Written {
            path: crate::cmd::brands::pdf_path(&plan.out, id, brand, &m.edition),
            publication: id.to_string(),
            edition: m.edition.clone(),
            pages: m.doc.pages().len(),
        });
    }
    outcome.job_sheets.extend(job_sheets);
    // Written: keep what was done, not the bytes.
    outcome
        .previews
        .extend(previews.into_iter().map(|(id, edition, mut p)| {
            p.files = Vec::new();
            (id, edition, p)
        }));
    keep_worlds(kept, made);
    outcome.timings.push(Timing {
        publication: id.to_string(),
        pdfs: pdfs_done,
        total: started.elapsed(),
    });
    Ok(())
}

/// Every edition's changed pages at once: after an edit that is one page per edition.
fn render_previews(
    session: &Session,
    plan: &BuildPlan,
    id: &str,
    made: &[Made],
    kept: &mut Kept,
) -> Result<Vec<(String, String, export::preview::Previews)>, BuildError> {
    let mut states: Vec<export::preview::Kept> = made
        .iter()
        .map(|m| kept.previews.remove(&m.edition).unwrap_or_default())
        .collect();
    let results: Vec<std::io::Result<export::preview::Previews>> = std::thread::scope(|scope| {
        let handles: Vec<_> = made
            .iter()
            .zip(states.iter_mut())
            .map(|(m, state)| {
                // An imposed edition's sheets are known by the source pages they show.
                let sources: Vec<u128> = session.project.editions[&m.edition]
                    .impose
                    .as_ref()
                    .and_then(|i| made.iter().find(|s| s.edition == i.from))
                    .map(|s| {
                        s.doc
                            .pages()
                            .iter()
                            .map(|p| export::preview::page_hash(p, &[]))
                            .collect()
                    })
                    .unwrap_or_default();
                let dir = preview_dir(&plan.out, id, &m.edition);
                scope.spawn(move || export::preview::render(&m.doc, &dir, state, &sources))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a preview thread panicked")))
            })
            .collect()
    });
    let mut out = Vec::new();
    for ((m, state), result) in made.iter().zip(states).zip(results) {
        kept.previews.insert(m.edition.clone(), state);
        let dir = preview_dir(&plan.out, id, &m.edition);
        let previews = result.map_err(|e| io_problem(&dir, e))?;
        out.push((id.to_string(), m.edition.clone(), previews));
    }
    Ok(out)
}

fn keep_worlds(kept: &mut Kept, made: Vec<Made>) {
    for m in made {
        kept.worlds.insert(m.edition, m.world);
    }
}

fn write_failure(id: &str, path: &Path, e: std::io::Error) -> BuildError {
    Problem::error(format!(
        "{id}: cannot write {}: {e}; none of its files was replaced",
        display_path(path)
    ))
    .at(Location::file(path))
    .hint("check that the output folder is writable, has room, and that nothing is in the way")
    .into()
}

fn io_problem(path: &Path, e: std::io::Error) -> BuildError {
    Problem::error(format!("cannot write: {e}"))
        .at(Location::file(path))
        .hint("check that the output folder is writable and the disk has room")
        .into()
}
