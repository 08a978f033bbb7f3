//! `folio translation confirm <id> <lang>`: record that a translation is current with its
//! source as it is now, so that `folio check` reports the source sections that change
//! from then on (`translation-outdated`).
//!
//! It writes `content/<id>/<id>.<lang>.confirmed.yaml` (the source's version and one hash per
//! section). It refuses a translation that says it was made from another version of the
//! source, or that lacks a section: confirming would hide that.

use std::path::PathBuf;

use crate::cli::ConfirmArgs;
use crate::content::translation::{record_path, sections, Confirmation};
use crate::diag::{Location, Problem};
use crate::pipeline::Session;
use crate::project::CONTENT_DIR;

/// What `confirm` wrote.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub path: PathBuf,
    pub sections: usize,
    pub source_version: String,
}

/// Confirms translation `args.language` of `args.publication`.
pub fn confirm(session: &Session, args: &ConfirmArgs) -> Result<Confirmed, Problem> {
    let key = crate::project::PublicationKey::translation(&args.publication, &args.language);
    let folder = session.root.join(CONTENT_DIR).join(&args.publication);
    let file = folder.join(format!("{key}.md"));
    if !file.is_file() {
        let known: Vec<String> = session
            .sources(&args.publication)
            .into_iter()
            .skip(1)
            .map(|k| k.to_string())
            .collect();
        return Err(Problem::error(format!("there is no translation `{key}`"))
            .at(Location::file(&file))
            .hint(if known.is_empty() {
                format!(
                    "a translation is a file content/{0}/{0}.<language>.md",
                    args.publication
                )
            } else {
                format!("translations of {}: {}", args.publication, known.join(", "))
            }));
    }
    let publication = session.load(&key)?;
    let t = publication
        .translation
        .as_ref()
        .expect("a translation key loads a translation");
    if t.version_behind() {
        return Err(Problem::error(format!(
            "the translation says it was made from version {}, but the source is version {}",
            t.of, t.source_version
        ))
        .at(publication
            .meta
            .key_location(&publication.file, "translation-of"))
        .hint(format!(
            "when the translation is up to date, set `translation-of: \"{}\"`, then confirm it",
            t.source_version
        )));
    }
    let ours = sections(&publication.body);
    if let Some(missing) = t
        .source_sections
        .iter()
        .find(|s| !ours.iter().any(|o| o.id == s.id))
    {
        return Err(Problem::error(format!(
            "the translation lacks the source's section `{}` (#{})",
            missing.title, missing.id
        ))
        .at(Location::file(&publication.file))
        .hint("translate every section (`folio check` lists what is missing), then confirm it"));
    }
    let record = Confirmation::of(t);
    let path = record_path(&folder, &args.publication, &args.language);
    crate::export::atomic::write(
        &path,
        record.to_text(&args.publication, &args.language).as_bytes(),
    )
    .map_err(|e| {
        Problem::error(format!("cannot write the record: {e}"))
            .at(Location::file(&path))
            .hint("check that the content folder is writable")
    })?;
    Ok(Confirmed {
        path,
        sections: record.sections.len(),
        source_version: record.source_version,
    })
}
