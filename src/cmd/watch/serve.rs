//! The live preview page of `folio watch --serve`: every edition side by side as page
//! images, refreshed by the browser when a rebuild finishes (server-sent events from
//! typst-kit's live-reload server), with the current diagnostics when a build fails.
//! The page is a minijinja template built into the binary (`preview.html`), rendered from
//! plain data with the catalogue's auto-escaping; URLs and ids are made safe here first.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use minijinja::Environment;
use serde::Serialize;
use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use super::{OnScreen, Rebuilt, Screen, Wake, Watch};
use crate::diag::Problem;
use crate::export::preview::page_path;
use crate::project::{dist, PublicationKey};

/// A running preview server on 127.0.0.1.
pub struct PreviewServer {
    server: HttpServer,
    preview: Preview,
    /// Where the page's messages go: what it shows, and the change-marks toggle.
    listener: OnceLock<(Arc<Screen>, Sender<Wake>)>,
}

/// The routes the page's script calls to tell the watch what it shows
/// (`/__folio/showing/<key>/<edition>/<pages>`) and to turn the change marks on or off
/// (`/__folio/marks/on`, `/__folio/marks/off`).
const SHOWING: &str = "/__folio/showing/";
const MARKS: &str = "/__folio/marks/";

impl PreviewServer {
    /// Starts serving on `port` (or the first free one from 3000).
    /// Port 0 asks the system for a free port (typst-kit's server would report the 0 it
    /// was given rather than the port it got, so the free port is found here first).
    pub fn start(port: Option<u16>) -> Result<Self, Problem> {
        let port = match port {
            Some(0) => Some(
                std::net::TcpListener::bind(("127.0.0.1", 0))
                    .and_then(|l| l.local_addr())
                    .map_err(|e| Problem::error(format!("cannot find a free port: {e}")))?
                    .port(),
            ),
            other => other,
        };
        let server = HttpServer::new("folio preview", port, true).map_err(|e| {
            Problem::error(format!("cannot start the preview server: {e}"))
                .hint("choose another port with --port")
        })?;
        Ok(PreviewServer {
            server,
            preview: Preview::default(),
            listener: OnceLock::new(),
        })
    }

    /// Passes the page's messages to `screen`, waking the watch through `wake` when the
    /// change marks are turned on or off.
    pub fn listen(&self, screen: Arc<Screen>, wake: Sender<Wake>) {
        let _ = self.listener.set((screen, wake));
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.server.addr())
    }

    /// Serves the page for the watch's current state; connected browsers reload.
    pub fn update(&self, watch: &Watch, rebuilt: &Rebuilt) {
        let html = self.preview.render(watch, rebuilt);
        let out = watch.plan.out.clone();
        let listener = self.listener.get().cloned();
        self.server.set_router(move |route| {
            if route == "/" {
                return Some(HttpBody::Html(html.clone()));
            }
            if let Some((screen, wake)) = &listener {
                if let Some(answer) = message(route, screen, wake) {
                    return Some(HttpBody::Raw(Bytes::new(answer.as_bytes().to_vec())));
                }
            }
            page_image(&out, route).map(|data| HttpBody::Raw(Bytes::new(data)))
        });
    }
}

/// Takes a message from the page, if `route` is one: what it shows, or the change marks
/// turned on or off. The answer is a word for the page's script (and for tests).
fn message(route: &str, screen: &Screen, wake: &Sender<Wake>) -> Option<&'static str> {
    if let Some(tail) = route.strip_prefix(SHOWING) {
        return Some(match OnScreen::parse(tail) {
            Some(on) => {
                screen.show(on);
                "noted"
            }
            None => "not understood",
        });
    }
    let on = match route.strip_prefix(MARKS)? {
        "on" => true,
        "off" => false,
        _ => return Some("not understood"),
    };
    if screen.set_review(on) {
        let _ = wake.send(Wake::Marks);
    }
    Some(if on { "on" } else { "off" })
}

/// The bytes of the page image at `route` (`/preview/<path under out>`), when the path is
/// plain, names a PNG, and leads to a regular file through no link: the same rule as
/// `folio serve`, so a link in the output folder (`x.png -> /etc/passwd`) is not served.
fn page_image(out: &Path, route: &str) -> Option<Vec<u8>> {
    let rel = percent_decode(route.strip_prefix("/preview/")?)?;
    let path = confined(out, &rel)?;
    if !crate::cmd::serve::regular::no_link_below(out, path.parent()?) {
        return None;
    }
    crate::cmd::serve::regular::read(&path).ok()
}

/// `out/<rel>` when `rel` is a plain relative path of a PNG (no `..`, no root).
fn confined(out: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && rel.extension().is_some_and(|x| x == "png")).then(|| out.join(rel))
}

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

/// A URL path with `%XX` escapes decoded; `None` when it is not valid UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.split('?').next().unwrap_or_default().as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
    fn a_page_image_that_is_a_link_or_under_a_linked_folder_is_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let pages = out.join("x/preview/booklet");
        std::fs::create_dir_all(&pages).unwrap();
        std::fs::write(pages.join("page-01.png"), b"png").unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.png"), b"secret").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", pages.join("page-02.png")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.png"), pages.join("page-03.png")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("x/preview/linked")).unwrap();
        let get = |route: &str| page_image(&out, route);
        assert_eq!(
            get("/preview/x/preview/booklet/page-01.png").unwrap(),
            b"png"
        );
        assert_eq!(get("/preview/x/preview/booklet/page-02.png"), None);
        assert_eq!(get("/preview/x/preview/booklet/page-03.png"), None);
        assert_eq!(get("/preview/x/preview/linked/secret.png"), None);
        assert_eq!(
            get("/preview/x/preview/booklet/..%2F..%2F..%2F..%2Fetc/passwd"),
            None
        );
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
