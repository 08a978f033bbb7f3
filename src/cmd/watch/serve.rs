//! The live preview page of `folio watch --serve`: every edition side by side as page
//! images, refreshed by the browser when a rebuild finishes (server-sent events from
//! typst-kit's live-reload server), with the current diagnostics when a build fails.

use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use super::{Rebuilt, Watch};
use crate::cmd::build::preview_dir;
use crate::diag::Problem;
use crate::export::preview::page_path;
use crate::site::escape;

/// A running preview server on 127.0.0.1.
pub struct PreviewServer {
    server: HttpServer,
}

impl PreviewServer {
    /// Starts serving on `port` (or the first free one from 3000).
    pub fn start(port: Option<u16>) -> Result<Self, Problem> {
        let server = HttpServer::new("folio preview", port, true).map_err(|e| {
            Problem::error(format!("cannot start the preview server: {e}"))
                .hint("choose another port with --port")
        })?;
        Ok(PreviewServer { server })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.server.addr())
    }

    /// Serves the page for the watch's current state; connected browsers reload.
    pub fn update(&self, watch: &Watch, rebuilt: &Rebuilt) {
        let html = page(watch, rebuilt);
        let out = watch.plan.out.clone();
        self.server.set_router(move |route| {
            if route == "/" {
                return Some(HttpBody::Html(html.clone()));
            }
            let rel = percent_decode(route.strip_prefix("/preview/")?)?;
            let path = confined(&out, &rel)?;
            std::fs::read(path)
                .ok()
                .map(|data| HttpBody::Raw(Bytes::new(data)))
        });
    }
}

/// `out/<rel>` when `rel` is a plain relative path of a PNG (no `..`, no root).
fn confined(out: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && rel.extension().is_some_and(|x| x == "png")).then(|| out.join(rel))
}

/// The preview page's HTML.
pub fn page(watch: &Watch, rebuilt: &Rebuilt) -> String {
    let mut html = String::from(HEAD);
    let status = if rebuilt.errors.is_empty() {
        rebuilt.status()
    } else {
        "Build failed: the last good pages are shown".into()
    };
    let _ = write!(html, "<header><h1>folio preview</h1><p id=\"status\" role=\"status\">{}</p></header>\n<main id=\"main\">\n", escape(&status));
    let errors: Vec<String> = watch
        .errors
        .values()
        .flatten()
        .map(|r| r.render(false))
        .collect();
    if !errors.is_empty() {
        html.push_str("<section id=\"diagnostics\" aria-labelledby=\"diag-title\" tabindex=\"-1\">\n<h2 id=\"diag-title\">Problems</h2>\n");
        for e in errors {
            let _ = writeln!(html, "<pre class=\"diagnostic\">{}</pre>", escape(&e));
        }
        html.push_str("</section>\n");
    }
    // Each publication, then each of its translations (`all-treatment.cy`).
    let keys = watch
        .plan
        .targets
        .publications
        .iter()
        .flat_map(|id| watch.session.sources(id));
    for id in &keys.collect::<Vec<_>>() {
        // The folder its previews are under, from the output folder: `id` or `id/lang`.
        let (folder, lang) = crate::pipeline::split_key(id);
        let folder_url = match lang {
            Some(lang) => format!("{}/{}", url_segment(folder), url_segment(lang)),
            None => url_segment(folder),
        };
        let _ = writeln!(html, "<section class=\"publication\" aria-labelledby=\"pub-{a}\">\n<h2 id=\"pub-{a}\">{}</h2>\n<div class=\"editions\">", escape(id), a = anchor(id));
        for name in watch.session.project.editions.keys() {
            if !watch.plan.targets.editions.is_empty()
                && !watch.plan.targets.editions.contains(name)
            {
                continue;
            }
            let dir = preview_dir(&watch.plan.out, id, name);
            let pages: Vec<PathBuf> = (1..)
                .map(|n| page_path(&dir, n))
                .take_while(|p| p.exists())
                .collect();
            if pages.is_empty() {
                continue;
            }
            let _ = writeln!(html, "<section class=\"edition\" aria-labelledby=\"ed-{a}\">\n<h3 id=\"ed-{a}\">{} <span class=\"count\">{} pages</span></h3>\n<ol class=\"pages\">", escape(name), pages.len(), a = anchor(&format!("{id}-{name}")));
            for (i, page) in pages.iter().enumerate() {
                let version = std::fs::metadata(page)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                let src = format!(
                    "/preview/{}/preview/{}/page-{:02}.png?v={version}",
                    folder_url,
                    url_segment(name),
                    i + 1
                );
                let _ = writeln!(html, "<li><a href=\"{src}\"><img src=\"{src}\" alt=\"{}, page {}\" loading=\"lazy\"></a></li>", escape(name), i + 1);
            }
            html.push_str("</ol>\n</section>\n");
        }
        html.push_str("</div>\n</section>\n");
    }
    html.push_str("</main>\n");
    html.push_str(KEEP_SCROLL);
    html.push_str("</body>\n</html>\n");
    html
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

const HEAD: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>folio preview</title>
<style>
  :root { font-family: system-ui, sans-serif; font-size: 100%; color: #1b1f24; background: #eef0f3; }
  body { margin: 0; line-height: 1.5; }
  .skip { position: absolute; left: -999em; }
  .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 1; }
  header { background: #0b4f5c; color: #fff; padding: .75rem 1.25rem; }
  header h1 { font-size: 1.25rem; margin: 0; }
  #status { margin: .25rem 0 0; }
  main { padding: 1rem 1.25rem 3rem; }
  h2 { font-size: 1.25rem; margin: 1rem 0 .5rem; }
  h3 { font-size: 1rem; margin: 0 0 .5rem; }
  .count { font-weight: normal; color: #4a5561; }
  .editions { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); align-items: start; }
  .edition { background: #fff; border-radius: .5rem; padding: .75rem; }
  .pages { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
  .pages img { display: block; width: 100%; height: auto; box-shadow: 0 1px 3px rgb(0 0 0 / .35); background: #fff; }
  a:focus-visible { outline: 3px solid #d35400; outline-offset: 3px; }
  #diagnostics { background: #fff4f2; border-left: .4rem solid #b3261e; padding: .5rem 1rem; margin-bottom: 1rem; }
  #diagnostics h2 { color: #8c1d18; margin-top: .25rem; }
  .diagnostic { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .9rem; }
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the pages</a>
"##;

/// Keeps the reader's place when the page reloads after a rebuild.
const KEEP_SCROLL: &str = r#"<script>
  addEventListener("beforeunload", () => sessionStorage.setItem("folio-scroll", String(scrollY)));
  const y = sessionStorage.getItem("folio-scroll");
  if (y !== null) scrollTo(0, Number(y));
  if (document.getElementById("diagnostics")) document.getElementById("diagnostics").focus({ preventScroll: y !== null });
</script>
"#;
