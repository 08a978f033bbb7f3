//! The live preview page of `folio watch --serve`, as HTML: every edition side by side as
//! page images, with the current diagnostics when a build fails. The page is a minijinja
//! template built into the binary (`preview.html`), rendered from plain data ([`View`]) with
//! the catalogue's auto-escaping; URLs and ids are made safe here first.

use minijinja::Environment;
use serde::Serialize;

use super::{Rebuilt, Watch};
use crate::export::preview::page_path;
use crate::project::{dist, PublicationKey};

/// The preview page's template (folio's own, built into the binary): the page's markup,
/// its stylesheet, and the small script that keeps the reader's place when the page
/// reloads after a rebuild and moves focus to the problems when there are some.
const TEMPLATE: &str = include_str!("preview.html");
/// Its name, whose `.html` ending turns on auto-escaping.
const NAME: &str = "preview.html";

/// The preview page's template, ready to render (made once per server).
pub struct Preview {
    env: Environment<'static>,
}

impl Default for Preview {
    fn default() -> Self {
        let mut env = crate::site::templates::environment();
        env.add_template(NAME, TEMPLATE)
            .expect("the preview template is valid (tested)");
        Preview { env }
    }
}

impl Preview {
    /// The page for `view`; an error only when the template and the view disagree.
    fn try_render(&self, view: &impl Serialize) -> Result<String, minijinja::Error> {
        self.env
            .get_template(NAME)?
            .render(minijinja::Value::from(minijinja::value::Serde(view)))
    }

    /// The page for the watch's current state.
    pub fn render(&self, watch: &Watch, rebuilt: &Rebuilt) -> String {
        self.try_render(&View::of(watch, rebuilt))
            .expect("the preview template renders its view (tested)")
    }
}

/// What the preview page shows, as plain data (the template escapes every value).
#[derive(Serialize)]
struct View {
    /// The page's heading: the publication's title when one is watched.
    heading: String,
    /// The last rebuild's outcome.
    status: String,
    /// Each current diagnostic, rendered as plain text.
    problems: Vec<String>,
    /// Whether the booklet is shown with its change marks since the approved version.
    marks: bool,
    publications: Vec<Shown>,
}

/// A publication (or translation) on the preview page.
#[derive(Serialize)]
struct Shown {
    /// Its title (its key when it cannot be read).
    title: String,
    /// Its key: `id`, or `id.lang` for a translation.
    id: String,
    /// Warnings and notes on its source (and Typst's warnings), rendered as plain text.
    notices: Vec<String>,
    /// `id` as safe characters, for the section's `id` attribute.
    anchor: String,
    /// `id` as a URL path segment, for the page's messages about what it shows.
    segment: String,
    editions: Vec<EditionShown>,
}

/// An edition with page images on the preview page.
#[derive(Serialize)]
struct EditionShown {
    name: String,
    anchor: String,
    /// `name` as a URL path segment.
    segment: String,
    /// With change marks: what they are since ("version 1.0", "nothing approved").
    marked: Option<String>,
    /// Made from another edition (imposed sheets): never made first after a save, so the
    /// page does not report it as what is on screen.
    derived: bool,
    /// Warnings and notes on this edition's pages, rendered as plain text.
    notices: Vec<String>,
    /// Each page image's URL, versioned by its modification time so browsers reload it.
    pages: Vec<String>,
}

impl View {
    fn of(watch: &Watch, rebuilt: &Rebuilt) -> View {
        let status = if rebuilt.errors.is_empty() {
            rebuilt.status()
        } else {
            "Build failed: the last good pages are shown".into()
        };
        let problems = watch
            .errors
            .values()
            .flatten()
            .map(|r| r.render(false))
            .collect();
        // Each publication, then each of its translations (`all-treatment.cy`).
        let keys: Vec<PublicationKey> = watch
            .folders
            .iter()
            .flat_map(|id| watch.session.sources(id))
            .collect();
        let publications: Vec<Shown> = keys
            .iter()
            .map(|key| {
                let id = key.to_string();
                let notices = watch.notices.get(&id);
                let source = notices
                    .map(|n| {
                        let findings = n.findings.iter().filter(|f| f.edition.is_none());
                        findings
                            .map(|f| plain(&f.to_problem()))
                            .chain(n.typst.iter().map(plain))
                            .collect()
                    })
                    .unwrap_or_default();
                Shown {
                    title: watch
                        .session
                        .load(key)
                        .map_or_else(|_| id.clone(), |p| p.meta.title),
                    anchor: anchor(&id),
                    segment: url_segment(&id),
                    notices: source,
                    editions: editions(watch, key),
                    id,
                }
            })
            .collect();
        let heading = match publications.as_slice() {
            [one] => one.title.clone(),
            _ => "folio preview".to_string(),
        };
        View {
            heading,
            status,
            problems,
            marks: watch.screen.review(),
            publications,
        }
    }
}

/// The editions of publication `id` that have page images, in the project's order.
fn editions(watch: &Watch, key: &PublicationKey) -> Vec<EditionShown> {
    // The folder its previews are under, from the output folder: `id` or `id/lang`.
    let folder_url = match &key.lang {
        Some(lang) => format!("{}/{}", url_segment(&key.id), url_segment(lang)),
        None => url_segment(&key.id),
    };
    let targets = &watch.plan.targets.editions;
    let mut shown = Vec::new();
    // Editions of a fixed page count (the leaflets) first: they are the likeliest to
    // overflow, so they belong above the fold.
    let project = &watch.session.project;
    let mut names: Vec<&String> = project.editions.keys().collect();
    names.sort_by_key(|n| project.editions[*n].pages.is_none());
    let findings = watch
        .notices
        .get(&key.to_string())
        .map(|n| n.findings.as_slice())
        .unwrap_or_default();
    for name in names {
        if !targets.is_empty() && !targets.contains(name) {
            continue;
        }
        // While the change marks are on, the edition the review is laid out in shows the
        // review's pages.
        let marked = watch
            .marked
            .get(&key.to_string())
            .filter(|m| m.edition == *name);
        let (dir, folder) = match marked {
            Some(_) => (
                super::marks::preview_dir(&watch.plan.out, key),
                format!("{folder_url}/{}", crate::cmd::review::REVIEW_DIR),
            ),
            None => (
                dist::preview_dir(&watch.plan.out, key, name),
                folder_url.clone(),
            ),
        };
        let subfolder = match marked {
            Some(_) => String::new(),
            None => format!("/{}", url_segment(name)),
        };
        let pages: Vec<String> = (1..)
            .map(|n| page_path(&dir, n))
            .take_while(|p| p.exists())
            .enumerate()
            .map(|(i, page)| {
                let version = std::fs::metadata(page)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!(
                    "/preview/{folder}/preview{subfolder}/page-{:02}.png?v={version}",
                    i + 1
                )
            })
            .collect();
        if !pages.is_empty() {
            shown.push(EditionShown {
                name: name.clone(),
                anchor: anchor(&format!("{key}-{name}")),
                segment: url_segment(name),
                derived: {
                    let edition = &project.editions[name];
                    crate::pipeline::kinds::of(edition)
                        .source(edition)
                        .is_some()
                },
                marked: marked.map(|m| match &m.since {
                    Some(version) => format!("version {version}"),
                    None => "nothing approved yet: all is new".to_string(),
                }),
                notices: findings
                    .iter()
                    .filter(|f| f.edition.as_deref() == Some(name.as_str()))
                    .map(|f| plain(&f.to_problem()))
                    .collect(),
                pages,
            });
        }
    }
    shown
}

/// A diagnostic as plain text, as the terminal shows it without colours.
fn plain(problem: &crate::diag::Problem) -> String {
    crate::diag::render::render(std::slice::from_ref(problem), false)
}

/// The preview page's HTML for the watch's current state (with a template made for this
/// one page; the server renders with the one it made at start).
pub fn page(watch: &Watch, rebuilt: &Rebuilt) -> String {
    Preview::default().render(watch, rebuilt)
}

/// An `id` attribute value made only of safe characters (each other byte as `_XX`).
fn anchor(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("_{b:02X}"),
        })
        .collect()
}

/// One path segment of a URL, percent-encoded (a folder name may hold anything).
fn url_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::templates::misspelt;

    const HOSTILE: &str = "<script>alert(\"x\")</script> & 'y'";
    const ESCAPED: &str = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;";

    /// A view with `text` in every place the page shows text.
    fn view(text: &str) -> View {
        View {
            heading: text.into(),
            status: text.into(),
            problems: vec![text.into()],
            marks: false,
            publications: vec![Shown {
                title: text.into(),
                id: text.into(),
                anchor: anchor(text),
                segment: url_segment(text),
                notices: vec![text.into()],
                editions: vec![EditionShown {
                    name: text.into(),
                    anchor: anchor(&format!("{text}-{text}")),
                    segment: url_segment(text),
                    marked: None,
                    derived: false,
                    notices: vec![text.into()],
                    pages: vec![format!("/preview/{}/page-01.png?v=1", url_segment(text))],
                }],
            }],
        }
    }

    #[test]
    fn the_preview_page_escapes_a_hostile_value_everywhere_it_appears() {
        let html = Preview::default().try_render(&view(HOSTILE)).unwrap();
        // Folio's own scroll-keeping script is the page's only one.
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert!(!html.contains("\"x\""), "a raw quote:\n{html}");
        // title (page and heading), page heading, status, problem, publication title and id,
        // its notice, edition heading, its notice, each page image's alt text
        assert_eq!(html.matches(ESCAPED).count(), 10, "{html}");
        assert!(html
            .contains("id=\"pub-_3Cscript_3Ealert_28_22x_22_29_3C_2Fscript_3E_20_26_20_27y_27\""));
        assert!(html.contains("src=\"/preview/%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E%20%26%20%27y%27/page-01.png?v=1\""));
    }

    #[test]
    fn a_misspelt_name_in_the_preview_template_is_an_error_not_an_empty_string() {
        let preview = Preview::default();
        let view = serde_json::to_value(view("x")).unwrap();
        assert!(preview.try_render(&view).is_ok());
        for key in [
            "heading",
            "title",
            "status",
            "publications",
            "id",
            "anchor",
            "editions",
            "name",
            "pages",
        ] {
            let error = preview
                .try_render(&misspelt(&view, key))
                .expect_err(&format!("the preview rendered without `{key}`"));
            assert_eq!(
                error.kind(),
                minijinja::ErrorKind::UndefinedError,
                "{error}"
            );
        }
    }
}
