//! Page previews of a build (`--previews`, `folio watch`): the changed pages of every
//! typeset edition and of every edition whose pages folio draws (braille), all at once;
//! after an edit that is one page per edition.

use super::io_problem;
use std::collections::BTreeMap;

use super::BuildPlan;
use crate::compile::BuildError;
use crate::export;
use crate::pipeline::{Made, Session};
use crate::project::{dist, PublicationKey};

/// Renders the changed pages of every edition in `made` that has pages to preview (the
/// typeset ones, and those whose kind draws its pages: braille), keeping what was rendered
/// in `kept`: (publication, edition, previews).
pub fn render(
    session: &Session,
    plan: &BuildPlan,
    key: &PublicationKey,
    made: &[Made],
    kept: &mut BTreeMap<String, export::preview::PreviewHashes>,
) -> Result<Vec<(String, String, export::preview::Previews)>, BuildError> {
    let typeset: Vec<&Made> = made.iter().filter(|m| m.typeset.is_some()).collect();
    let drawn: Vec<(&Made, export::preview::Drawn)> = made
        .iter()
        .filter(|m| m.typeset.is_none())
        .filter_map(|m| {
            let edition = &session.project.editions[&m.edition];
            Some((m, crate::pipeline::kinds::of(edition).pictures(edition, m)?))
        })
        .collect();
    let (made, pages): (Vec<&Made>, Vec<export::preview::EditionPages>) = typeset
        .iter()
        .map(|m| {
            let pages = export::preview::PageSource::Typeset {
                doc: m.doc().expect("only typeset editions are laid out"),
                sources: source_pages(session, &typeset, m),
            };
            (*m, pages)
        })
        .chain(
            drawn
                .iter()
                .map(|(m, d)| (*m, export::preview::PageSource::Drawn(d))),
        )
        .map(|(m, pages)| {
            let dir = dist::preview_dir(&plan.out, key, &m.edition);
            (m, export::preview::EditionPages { pages, dir })
        })
        .unzip();
    let mut states: Vec<export::preview::PreviewHashes> = made
        .iter()
        .map(|m| kept.remove(&m.edition).unwrap_or_default())
        .collect();
    // A newer save in `folio watch` stops the rendering: the hashes go back as they were, so
    // that the pages not written are rendered next time.
    let before = session.interrupt.is_armed().then(|| states.clone());
    let stop = || session.interrupt.stops();
    let results = export::preview::render_editions(&pages, &mut states, &stop);
    let interrupted = results.iter().any(|r| {
        r.as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::Interrupted)
    });
    if let (true, Some(before)) = (interrupted, before) {
        for (m, state) in made.iter().zip(before) {
            kept.insert(m.edition.clone(), state);
        }
        return Err(BuildError::Interrupted {
            publication: key.to_string(),
            edition: made.first().map(|m| m.edition.clone()).unwrap_or_default(),
        });
    }
    let mut out = Vec::new();
    for ((m, state), result) in made.iter().zip(states).zip(results) {
        kept.insert(m.edition.clone(), state);
        let dir = dist::preview_dir(&plan.out, key, &m.edition);
        let previews = result.map_err(|e| io_problem(&dir, e))?;
        out.push((key.to_string(), m.edition.clone(), previews));
    }
    Ok(out)
}

/// The hashes of the pages an edition is made from: an imposed edition's sheets are known
/// by the source pages they show.
fn source_pages(session: &Session, typeset: &[&Made], m: &Made) -> Vec<u128> {
    let edition = &session.project.editions[&m.edition];
    crate::pipeline::kinds::of(edition)
        .source(edition)
        .and_then(|from| typeset.iter().find(|s| s.edition == from))
        .and_then(|s| s.doc())
        .map(|doc| {
            doc.pages()
                .iter()
                .map(|p| export::preview::page_hash(p, &[]))
                .collect()
        })
        .unwrap_or_default()
}
