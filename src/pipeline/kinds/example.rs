//! The smallest kind, shown in README "How it is built" and used only by a test: the
//! publication's headings as an indented plain-text outline (`kind: outline`).

use super::{Job, Kind, Made};
use crate::compile::BuildError;
use crate::content::model::{inline_text, Block};
use crate::diag::Problem;
use crate::export::EditionFile;
use crate::project::Edition;
use crate::world::FolioWorld;

pub struct Outline;

impl Kind for Outline {
    fn name(&self) -> &'static str {
        "outline"
    }

    fn extension(&self) -> &'static str {
        "txt"
    }

    fn validate(&self, _name: &str, _edition: &Edition) -> Result<(), Problem> {
        Ok(())
    }

    fn make(
        &self,
        job: &Job,
        _kept: Option<FolioWorld>,
        _taken: Option<super::Taken>,
    ) -> Result<Made, (BuildError, Option<FolioWorld>)> {
        let mut text = format!("{}\n", job.publication.meta.title);
        for block in job.publication.blocks_for(job.name, &job.edition.classes) {
            if let Block::Heading { level, content, .. } = block {
                let indent = "  ".repeat(usize::from(level));
                text.push_str(&format!("{indent}{}\n", inline_text(&content)));
            }
        }
        Ok(Made {
            edition: job.name.to_string(),
            file: EditionFile {
                pages: 1,
                paper: "plain text".into(),
                profile: "outline".into(),
                extension: self.extension(),
                media_type: "text/plain; charset=utf-8",
                bytes: text.into_bytes(),
            },
            companions: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            typeset: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::publication::{make, plan, Request};
    use crate::pipeline::{Session, Worlds};

    /// A copy of the shipped project whose only edition is an outline.
    fn project() -> tempfile::TempDir {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for part in ["content", "fonts", "layouts"] {
            crate::export::copy_tree(&repo.join(part), &dir.path().join(part), &|_| true).unwrap();
        }
        let yaml = "publisher: {name: Example, contact: [\"0800 000 000\"]}\n\
                    editions:\n  outline:\n    kind: outline\n    classes: [leaflet]\n";
        std::fs::write(dir.path().join("folio.yaml"), yaml).unwrap();
        dir
    }

    #[test]
    fn a_new_kind_is_made_through_the_publication_flow_like_any_edition() {
        let dir = project();
        let mut session = Session::open(dir.path(), Some(0)).unwrap();
        // A day when the shipped publication is current.
        session.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let key = session.sources("all-treatment").remove(0);
        let publication = session.load(&key).unwrap();
        let planned = plan(&session, &publication, &Request::default());
        assert_eq!(planned.editions, ["outline"], "{:?}", planned.findings);
        let mut worlds = Worlds::new();
        let production = make(&session, &publication, &planned, &[], &mut worlds);
        assert!(production.failures.is_empty());
        let outline = String::from_utf8(production.made[0].file.bytes.clone()).unwrap();
        assert!(outline.starts_with(&publication.meta.title));
        assert!(
            outline.contains("\n    Treatment at a glance\n"),
            "{outline}"
        );
    }

    #[test]
    fn an_unknown_kind_is_an_error_at_its_edition() {
        let dir = project();
        std::fs::write(
            dir.path().join("folio.yaml"),
            "publisher: {name: Example}\neditions:\n  audio:\n    kind: audio\n",
        )
        .unwrap();
        let Err(problem) = Session::open(dir.path(), Some(0)) else {
            panic!("an unknown kind was accepted");
        };
        assert!(
            problem.message.contains("no kind `audio`"),
            "{}",
            problem.message
        );
        assert_eq!(problem.location.and_then(|l| l.line), Some(3));
    }
}
