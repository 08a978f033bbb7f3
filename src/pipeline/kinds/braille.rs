//! The `braille` kind: the publication in braille, by liblouis (`lou_translate`, run as its
//! own process), as a BRF file for embossers and braille displays and a Unicode braille
//! copy (`.txt`) that sighted staff and the preview page can read. Settings:
//! [`BrailleSettings`] (`cells-per-line`, `lines-per-page`, `table`).

use std::process::Command;

use super::{Job, Kind, Made, Taken};
use crate::compile::BuildError;
use crate::diag::Problem;
use crate::export::EditionFile;
use crate::formats::braille::{self, louis, BrailleError, BrailleSettings};
use crate::project::Edition;
use crate::world::FolioWorld;

/// The `braille` kind: a BRF and its Unicode copy, by liblouis.
pub struct BrailleKind;

fn settings(edition: &Edition) -> Result<BrailleSettings, Problem> {
    super::settings(
        edition,
        &[],
        "braille settings",
        "a braille edition takes `cells-per-line`, `lines-per-page` and `table` in `options`",
    )
}

/// What `lou_translate --version` says, or `None` when it cannot run: asked once per
/// process, as the cache key of every publication holds it.
fn version() -> Option<Vec<u8>> {
    static VERSION: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new(louis::PROGRAM)
                .arg("--version")
                .output()
                .ok()?;
            Some(out.stdout)
        })
        .clone()
}

impl Kind for BrailleKind {
    fn name(&self) -> &'static str {
        "braille"
    }

    fn extension(&self) -> &'static str {
        "brf"
    }

    fn validate(&self, _name: &str, edition: &Edition) -> Result<(), Problem> {
        settings(edition).map(|_| ())
    }

    fn makes(&self, edition: &Edition, publication: &crate::content::Publication) -> bool {
        // A language with no table gets no braille (never a file of wrong dots); `folio
        // check` of the braille edition alone names the language at its line.
        settings(edition).is_ok_and(|s| s.table.is_some())
            || braille::table_for(&publication.meta.lang).is_some()
    }

    fn unavailable(&self) -> Option<Problem> {
        match version() {
            Some(_) => None,
            None => Some(braille::missing()),
        }
    }

    fn pictures(&self, edition: &Edition, made: &Made) -> Option<crate::export::preview::Drawn> {
        let settings = settings(edition).unwrap_or_default();
        let (_, unicode) = made.companions.iter().find(|(x, _)| *x == "txt")?;
        let (cells, lines) = (settings.cells_per_line, settings.lines_per_page);
        let pages: Vec<String> = String::from_utf8_lossy(unicode)
            .split('\u{c}')
            .map(str::to_string)
            .collect();
        // A page's picture follows from its text and the page size alone.
        let keys = pages
            .iter()
            .map(|page| typst::utils::hash128(&(page, cells, lines)))
            .collect();
        Some(crate::export::preview::Drawn {
            keys,
            draw: Box::new(move |i| braille::picture::page(&pages[i], cells, lines)),
        })
    }

    fn fingerprint(&self) -> Vec<u8> {
        version().unwrap_or_default()
    }

    fn make(
        &self,
        job: &Job,
        _kept: Option<FolioWorld>,
        _taken: Option<Taken>,
    ) -> Result<Made, (BuildError, Option<FolioWorld>)> {
        let fail = |p: Problem| (BuildError::from(p), None);
        let settings = settings(job.edition).map_err(fail)?;
        let brand = job.stamp.brand.as_deref();
        let made = braille::braille(
            &job.session.root,
            &job.session.project,
            job.publication,
            job.name,
            &job.edition.classes,
            &settings,
            brand,
        )
        .map_err(|e| match e {
            BrailleError::Missing(p) | BrailleError::Failed(p) => fail(p),
        })?;
        Ok(Made {
            edition: job.name.to_string(),
            file: EditionFile {
                pages: made.pages,
                paper: format!("BRF, {}", code_name(&made.table)),
                profile: "braille".into(),
                extension: self.extension(),
                media_type: braille::MEDIA_TYPE,
                bytes: made.brf,
            },
            companions: vec![("txt", made.unicode.into_bytes())],
            findings: made.findings,
            warnings: Vec::new(),
            typeset: None,
        })
    }
}

/// What readers call the braille code of a liblouis table list (its first table).
fn code_name(tables: &str) -> String {
    let first = tables.split(',').next().unwrap_or(tables);
    let stem = first
        .rsplit_once('.')
        .map_or(first, |(s, _)| s)
        .to_ascii_lowercase();
    let grade = |g: &str| match g {
        "g1" => "uncontracted",
        _ => "contracted",
    };
    match stem.rsplit_once('-') {
        Some(("en-ueb", g)) => format!("UEB grade {}", g.trim_start_matches('g')),
        Some((lang, g)) if g.starts_with('g') => {
            let language = match lang {
                "cy-cy" => "Welsh",
                "pl-pl" => "Polish",
                "ar-ar" => "Arabic",
                "ur-pk" => "Urdu",
                other => other,
            };
            format!("{language} {}", grade(g))
        }
        _ => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn braille_codes_are_named_as_readers_know_them() {
        assert_eq!(super::code_name("en-ueb-g2.ctb"), "UEB grade 2");
        assert_eq!(super::code_name("cy-cy-g2.ctb"), "Welsh contracted");
        assert_eq!(
            super::code_name("ur-pk-g1.utb,en-ueb-g1.ctb"),
            "Urdu uncontracted"
        );
    }
}
