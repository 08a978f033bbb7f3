//! Test helpers: a folio project in a temporary folder, built with the real layouts and fonts.

use std::path::{Path, PathBuf};
use std::process::Command;

use folio::compile::BuildError;
use folio::contract::Stamp;
use folio::pipeline::{Made, Session};
use folio::project::PublicationKey;

/// The date tests check review dates against, so that they do not change with the calendar.
pub const TODAY: &str = "2026-11-26";

/// The repository root (where the shipped layouts, fonts and content live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file's text from `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/fixtures").join(name))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Front matter that passes every check, then `body`.
pub fn doc(body: &str) -> String {
    format!("{}{body}", fixture("front-matter.yaml"))
}

/// A project in a temp folder: the shipped folio.yaml, layouts and fonts; content as added.
pub struct TestProject {
    pub dir: tempfile::TempDir,
}

impl TestProject {
    /// The shipped project files, with no publications. The shipped folio.yaml has a
    /// braille edition, made only where liblouis is installed: it is installed first, so
    /// that every test sees the same editions whichever test runs first on a new machine.
    pub fn new() -> Self {
        static LIBLOUIS: std::sync::Once = std::sync::Once::new();
        LIBLOUIS.call_once(crate::formats::ensure_liblouis);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&repo().join("layouts"), &dir.path().join("layouts"));
        copy_tree(&repo().join("fonts"), &dir.path().join("fonts"));
        std::fs::copy(repo().join("folio.yaml"), dir.path().join("folio.yaml")).unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        TestProject { dir }
    }

    /// The shipped project with the shipped content.
    pub fn shipped() -> Self {
        let p = Self::new();
        copy_tree(&repo().join("content"), &p.root().join("content"));
        p
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content/<id>/<id>.md`.
    pub fn publication(&self, id: &str, markdown: &str) -> &Self {
        self.file(&format!("content/{id}/{id}.md"), markdown.as_bytes())
    }

    /// Adds editions to the project's folio.yaml: `yaml` is written as it would stand under
    /// `editions:` (indented by two spaces).
    pub fn add_editions(&self, yaml: &str) -> &Self {
        let path = self.root().join("folio.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let at =
            text.find("\neditions:\n").expect("folio.yaml has editions") + "\neditions:\n".len();
        let text = format!("{}{}\n{}", &text[..at], yaml.trim_end(), &text[at..]);
        std::fs::write(path, text).unwrap();
        self
    }

    /// Writes any file below the root.
    pub fn file(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn session(&self) -> Session {
        let mut session = Session::open(self.root(), Some(1_790_000_000)).expect("project opens");
        session.today = TODAY.parse().unwrap();
        session
    }

    /// Makes one edition through the library, as `folio build` does.
    pub fn make(&self, id: &str, edition: &str) -> Result<Made, BuildError> {
        let session = self.session();
        let publication = session.load(&key(id))?;
        make_with(&session, &publication, edition, &Stamp::default())
    }

    /// Runs the `folio` binary in the project folder.
    pub fn folio(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(self.root())
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .env("FOLIO_TODAY", TODAY)
            .env_remove("FOLIO_ROOT")
            .output()
            .expect("folio runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The bytes of a built PDF under `dist/`.
    pub fn pdf(&self, id: &str, edition: &str) -> Vec<u8> {
        std::fs::read(self.root().join(format!("dist/{id}/{id}-{edition}.pdf")))
            .unwrap_or_else(|e| panic!("{id}-{edition}.pdf: {e}"))
    }
}

/// A publication's key as the command line writes it (`all-treatment`, `sample.cy`).
pub fn key(text: &str) -> PublicationKey {
    PublicationKey::parse(text)
}

/// Makes one edition of a loaded publication with `stamp`, through its kind.
pub fn make_with(
    session: &Session,
    publication: &folio::content::Publication,
    edition: &str,
    stamp: &Stamp,
) -> Result<Made, BuildError> {
    let job = folio::pipeline::kinds::Job {
        session,
        publication,
        name: edition,
        edition: &session.project.editions[edition],
        stamp,
    };
    folio::pipeline::kinds::of(job.edition)
        .make(&job, None, None)
        .map_err(|(e, _)| e)
}

/// What a run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts the run failed and its messages contain every one of `parts`.
    pub fn fails_with(&self, parts: &[&str]) {
        assert_ne!(
            self.code, 0,
            "expected failure, got success:\n{}",
            self.stderr
        );
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "stderr lacks {part:?}:\n{}",
                self.stderr
            );
        }
    }

    pub fn succeeds(&self) {
        assert_eq!(self.code, 0, "folio failed:\n{}", self.stderr);
    }
}

/// Copies a folder of the repository into a test project (folio's own copy, all files).
pub fn copy_tree(from: &Path, to: &Path) {
    folio::export::copy_tree(from, to, &|_| true).expect("copy the folder");
}

/// Reads a PDF's page boxes and metadata with lopdf.
pub struct Pdf {
    pub doc: lopdf::Document,
}

impl Pdf {
    pub fn parse(bytes: &[u8]) -> Self {
        Pdf {
            doc: lopdf::Document::load_mem(bytes).expect("a valid PDF"),
        }
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// A box (`MediaBox`, `TrimBox`, ...) of page `n` (1-based) as [x0, y0, x1, y1] in points.
    pub fn page_box(&self, n: u32, name: &str) -> Option<[f64; 4]> {
        let id = *self.doc.get_pages().get(&n)?;
        let page = self.doc.get_dictionary(id).ok()?;
        let array = page.get(name.as_bytes()).ok()?.as_array().ok()?;
        let nums: Vec<f64> = array
            .iter()
            .map(|o| {
                o.as_float()
                    .map(f64::from)
                    .or_else(|_| o.as_i64().map(|i| i as f64))
                    .unwrap()
            })
            .collect();
        Some([nums[0], nums[1], nums[2], nums[3]])
    }

    /// Page `n`'s MediaBox size in millimetres, rounded to 0.1 mm.
    pub fn page_mm(&self, n: u32) -> (f64, f64) {
        let b = self.page_box(n, "MediaBox").expect("MediaBox");
        let mm = |pt: f64| (pt / 72.0 * 25.4 * 10.0).round() / 10.0;
        (mm(b[2] - b[0]), mm(b[3] - b[1]))
    }

    fn catalog(&self) -> &lopdf::Dictionary {
        self.doc.catalog().expect("catalog")
    }

    /// The document language (`/Lang` in the catalog).
    pub fn lang(&self) -> Option<String> {
        let lang = self.catalog().get(b"Lang").ok()?.as_str().ok()?;
        Some(String::from_utf8_lossy(lang).into_owned())
    }

    /// Whether the PDF is tagged (`/MarkInfo << /Marked true >>` and a structure tree).
    pub fn tagged(&self) -> bool {
        let marked = self
            .catalog()
            .get(b"MarkInfo")
            .ok()
            .and_then(|m| self.doc.dereference(m).ok())
            .and_then(|(_, m)| m.as_dict().ok().cloned())
            .and_then(|d| d.get(b"Marked").ok().and_then(|b| b.as_bool().ok()))
            .unwrap_or(false);
        marked && self.catalog().get(b"StructTreeRoot").is_ok()
    }

    /// The XMP metadata stream as text (title, creator, PDF/A and PDF/UA identification).
    pub fn xmp(&self) -> String {
        let Ok(meta) = self.catalog().get(b"Metadata") else {
            return String::new();
        };
        let Ok(id) = meta.as_reference() else {
            return String::new();
        };
        let Ok(stream) = self.doc.get_object(id).and_then(|o| o.as_stream().cloned()) else {
            return String::new();
        };
        let bytes = stream.decompressed_content().unwrap_or(stream.content);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
