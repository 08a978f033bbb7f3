//! The site's templates (minijinja, auto-escaping), stylesheet and script, read from the
//! project's templates folder (`web.templates`, default `layouts/site/`) at run time.
//!
//! Only files directly in that folder are read, and only when they really are inside the
//! project (a link that leads out is refused), as for layouts. Every value a template
//! prints is escaped for HTML/XML unless a template marks it safe, so no text from
//! content can become markup.

use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::confine::{Root, MAX_TEXT_BYTES};
use crate::diag::{Location, Problem};
use crate::project::Project;

/// The catalogue page.
pub const INDEX: &str = "index.html";
/// A publication's web edition.
pub const PUBLICATION: &str = "publication.html";
/// A partner's page: its co-branded files.
pub const BRAND: &str = "brand.html";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// The stylesheet and the script, copied to the output folder as they are.
pub const ASSETS: &[&str] = &["site.css", "site.js"];

/// The loaded templates folder.
pub struct Templates {
    pub env: Environment<'static>,
    /// The folder, resolved inside the project.
    pub dir: PathBuf,
}

impl Templates {
    /// Prepares the templates of the project at `root` (each is read when first used).
    pub fn load(root: &Path, project: &Project) -> Result<Templates, Problem> {
        let dir = root.join(&project.web.templates);
        let inside = Root::new(root).is_ok_and(|r| r.dir(&dir).is_ok());
        if !inside {
            return Err(Problem::error(format!(
                "the site templates folder `{}` is missing or outside the project",
                project.web.templates.display()
            ))
            .at(Location::file(&dir))
            .hint("keep the site templates in the project (default layouts/site/: index.html, publication.html, feed.xml, site.css, site.js), or set `web: templates:` in folio.yaml"));
        }
        let mut env = environment();
        let folder = dir.clone();
        let root = root.to_path_buf();
        env.set_loader(move |name| read(&root, &folder, name).map(Some));
        Ok(Templates { env, dir })
    }

    /// Prepares the templates in `folder` (relative to `root`), read as the site's are and
    /// escaped by the same rule in every template whatever its name: for the other formats
    /// made from HTML templates (the e-book's `layouts/epub/`).
    pub fn load_folder(root: &Path, folder: &Path) -> Result<Templates, Problem> {
        let dir = root.join(folder);
        if !Root::new(root).is_ok_and(|r| r.dir(&dir).is_ok()) {
            return Err(Problem::error(format!(
                "the templates folder `{}` is missing or outside the project",
                folder.display()
            ))
            .at(Location::file(&dir))
            .hint("restore it from folio's shipped layouts/"));
        }
        let mut env = environment();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        let (loader_root, loader_dir) = (root.to_path_buf(), dir.clone());
        env.set_loader(move |name| read(&loader_root, &loader_dir, name).map(Some));
        Ok(Templates { env, dir })
    }

    /// Renders template `name` with `context`, or a problem located in the template.
    pub fn render(&self, name: &str, context: &impl serde::Serialize) -> Result<String, Problem> {
        let context = minijinja::Value::from(minijinja::value::Serde(context));
        self.env
            .get_template(name)
            .and_then(|t| t.render(context))
            .map_err(|e| self.problem(name, &e))
    }

    /// A stylesheet or script of the site, as bytes (confined like the templates).
    pub fn asset(&self, root: &Path, name: &str) -> Result<Vec<u8>, Problem> {
        read(root, &self.dir, name)
            .map(String::into_bytes)
            .map_err(|e| {
                Problem::error(format!("cannot read the site file: {e}"))
                    .at(Location::file(self.dir.join(name)))
                    .hint("restore it from folio's shipped layouts/site/")
            })
    }

    fn problem(&self, name: &str, e: &minijinja::Error) -> Problem {
        let file = self.dir.join(e.name().unwrap_or(name));
        let mut message = e.kind().to_string();
        if let Some(detail) = e.detail() {
            message = format!("{message}: {detail}");
        }
        let at = match e.line() {
            Some(line) => Location::at(&file, line, 1),
            None => Location::file(&file),
        };
        Problem::error(format!("site template: {message}"))
            .at(at)
            .hint("fix the template (minijinja syntax: https://docs.rs/minijinja)")
    }
}

/// A minijinja environment with folio's one escaping rule, for the site's templates and
/// for the pages folio serves itself: blocks trimmed, a misspelt name an error rather than
/// an empty string (SemiStrict), and every printed value escaped by [`escape`] in
/// templates whose name ends in `.html` or `.xml` unless it is marked safe.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
            out.write_str(&escape(&value.to_string()))
                .map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env
}

/// Text as HTML or XML text or a quoted attribute value: the five characters that could
/// end one (`& < > " '`) as references, and control characters as U+FFFD, so that no
/// text makes a page or the feed invalid. (minijinja's own escaping also turns every `/`
/// into `&#x2f;`, which a page of a thousand links pays for in size.)
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A control character (an escape sequence, a NUL) is not allowed in XML 1.0 and
            // means nothing in HTML: no page or feed can carry one, whatever its source.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// Reads template `name` from `dir`: a plain file name, read through the project's one
/// confinement rule (inside the project, a regular file, of a sane size).
fn read(root: &Path, dir: &Path, name: &str) -> Result<String, minijinja::Error> {
    let refuse = |why: String| {
        minijinja::Error::new(
            minijinja::ErrorKind::TemplateNotFound,
            format!("`{name}` {why}"),
        )
    };
    let plain =
        !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && !name.starts_with('.');
    if !plain {
        return Err(refuse(
            "is not a file name in the templates folder (no folders, no `..`)".to_string(),
        ));
    }
    let root = Root::new(root).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    let bytes = root
        .read(&dir.join(name), MAX_TEXT_BYTES)
        .map_err(|e| refuse(format!("cannot be read: {e}")))?;
    String::from_utf8(bytes).map_err(|_| refuse("is not UTF-8 text".to_string()))
}

/// `value` with every object key `key` renamed, as a template author's misspelling would
/// leave it: for tests that a template fails on a name its view does not have.
#[cfg(test)]
pub(crate) fn misspelt(value: &serde_json::Value, key: &str) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let k = if k == key {
                        format!("{k}_misspelt")
                    } else {
                        k.clone()
                    };
                    (k, misspelt(v, key))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| misspelt(v, key)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_control_character_survives_escaping_so_the_feed_stays_xml() {
        let escaped = super::escape("Treatment \u{1b}[31m for ALL\u{0}\u{9b} & <b>");
        assert!(
            !escaped
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{escaped:?}"
        );
        assert_eq!(
            escaped,
            "Treatment \u{fffd}[31m for ALL\u{fffd}\u{fffd} &amp; &lt;b&gt;"
        );
    }
}
