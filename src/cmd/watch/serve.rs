//! The server of `folio watch --serve` on 127.0.0.1: the preview page ([`super::page`]),
//! refreshed by the browser when a rebuild finishes (server-sent events from typst-kit's
//! live-reload server), the page images it shows (confined to the output folder), and the
//! routes by which the page tells the watch what it shows.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use super::page::Preview;
use super::{OnScreen, Rebuilt, Screen, Wake, Watch};
use crate::diag::Problem;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
