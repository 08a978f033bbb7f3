//! The static output (`dist/`): confined paths, content types, `ETag` / `If-None-Match`.
//!
//! A path is served only when every segment is a plain name (no `..`, `.`, empty, hidden or
//! encoded-separator segment) and the file it leads to, symlinks followed, is inside
//! `dist/`. Anything else is 404, so probing tells nothing about what lies outside.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use super::pages::Pages;
use super::respond::{not_found, wants_json};

/// Files kept in memory at most (their stat is still checked on every request).
const CACHE_FILES: usize = 128;
/// Largest file kept in memory.
const CACHE_FILE_BYTES: u64 = 8 << 20;

/// A small cache of file bytes, checked against the file's size and time on every use.
#[derive(Default)]
pub struct Files {
    cache: RwLock<HashMap<PathBuf, (String, Bytes)>>,
}

/// Decodes one path segment; None when it could name anything but one plain file name.
pub fn segment(raw: &str) -> Option<String> {
    let text = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let plain = !text.is_empty()
        && !text.starts_with('.')
        && !text.contains(['/', '\\', '\0'])
        && !text.chars().any(char::is_control);
    plain.then(|| text.into_owned())
}

/// The decoded segments of a request path; None when any segment is not plain. A trailing
/// slash gives an empty last segment (a folder's index).
pub fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let parts: Vec<&str> = rest.split('/').collect();
    let last = parts.len() - 1;
    let mut out = Vec::new();
    for (i, raw) in parts.iter().enumerate() {
        if i == last && raw.is_empty() {
            out.push(String::new());
        } else {
            out.push(segment(raw)?);
        }
    }
    Some(out)
}

impl Files {
    /// The file at `segments` below `dist` (canonical), or 404; 304 when `If-None-Match`
    /// names its current `ETag`. `head`: headers only.
    pub fn serve(
        &self,
        pages: &Pages,
        dist: &Path,
        segments: &[String],
        request: &HeaderMap,
        head: bool,
    ) -> Response {
        let Some((real, meta)) = confined(dist, &joined(dist, segments)) else {
            return not_found(pages, wants_json(request));
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let etag = format!("\"{:x}-{:x}\"", meta.len(), modified);
        let mut response = Response::builder()
            .header(header::ETAG, &etag)
            .header(header::CACHE_CONTROL, "no-cache");
        let matches = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim() == etag || t.trim() == "*");
        if matches {
            return response
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .expect("response");
        }
        let bytes = match self.read(&real, &etag, meta.len()) {
            Ok(bytes) => bytes,
            Err(_) => return not_found(pages, wants_json(request)),
        };
        let (mime, download) = media_type(&real);
        if let Some(value) = download.and_then(|d| HeaderValue::from_str(&d).ok()) {
            response = response.header(header::CONTENT_DISPOSITION, value);
        }
        response = response
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&mime).expect("a mime type is a header value"),
            )
            .header(header::CONTENT_LENGTH, bytes.len());
        let body = if head {
            Body::empty()
        } else {
            Body::from(bytes)
        };
        response.body(body).expect("response")
    }

    /// The text of the HTML page at `segments`, if there is one (a folder gives its
    /// `index.html`).
    pub fn page(&self, dist: &Path, segments: &[String]) -> Option<String> {
        let (real, meta) = confined(dist, &joined(dist, segments))?;
        if real.extension().is_none_or(|x| x != "html") {
            return None;
        }
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let etag = format!("\"{:x}-{:x}\"", meta.len(), modified);
        let bytes = self.read(&real, &etag, meta.len()).ok()?;
        String::from_utf8(bytes.to_vec()).ok()
    }

    fn read(&self, real: &Path, etag: &str, len: u64) -> std::io::Result<Bytes> {
        if let Some((tag, bytes)) = self.cache.read().expect("files").get(real) {
            if tag == etag {
                return Ok(bytes.clone());
            }
        }
        let bytes = Bytes::from(super::regular::read(real)?);
        if len <= CACHE_FILE_BYTES {
            let mut cache = self.cache.write().expect("files");
            if cache.len() >= CACHE_FILES {
                cache.clear();
            }
            cache.insert(real.to_path_buf(), (etag.to_string(), bytes.clone()));
        }
        Ok(bytes)
    }
}

fn joined(dist: &Path, segments: &[String]) -> PathBuf {
    let mut path = dist.to_path_buf();
    for s in segments.iter().filter(|s| !s.is_empty()) {
        path.push(s);
    }
    path
}

/// `path` resolved (symlinks followed) when it is a file inside `dist`, or a folder inside it
/// with an `index.html`.
fn confined(dist: &Path, path: &Path) -> Option<(PathBuf, std::fs::Metadata)> {
    let mut real = path.canonicalize().ok()?;
    if !real.starts_with(dist) {
        return None;
    }
    if real.is_dir() {
        real = real.join("index.html").canonicalize().ok()?;
        if !real.starts_with(dist) {
            return None;
        }
    }
    let meta = std::fs::metadata(&real).ok()?;
    meta.is_file().then_some((real, meta))
}

/// A file made on demand, saved as `name`: a PDF shown in the browser, any other kind (a
/// braille file, an e-book) with the media type its built file is served with, as a
/// download under its own name.
pub fn made_file(bytes: Vec<u8>, name: &str, cache: &'static str) -> Response {
    if name.ends_with(".pdf") {
        return super::respond::pdf(bytes, name, cache);
    }
    let (mime, _) = media_type(Path::new(name));
    let mut response = Response::builder()
        .header(header::CACHE_CONTROL, cache)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&mime).expect("a mime type is a header value"),
        );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response = response.header(header::CONTENT_DISPOSITION, value);
    }
    response.body(Body::from(bytes)).expect("response")
}

/// The media type a file is served with, and for a braille file the `Content-Disposition`
/// that makes browsers save it under its own name: a BRF is plain ASCII text, which a
/// browser would otherwise show as gibberish instead of handing it to an embosser.
fn media_type(path: &Path) -> (String, Option<String>) {
    if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("brf"))
    {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| {
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
            })
            .map(|n| format!("attachment; filename=\"{n}\""));
        return ("text/plain; charset=us-ascii".to_string(), name);
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mime = if mime.type_() == "text" || mime.subtype() == "json" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    (mime, None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_braille_file_is_ascii_text_saved_under_its_name_and_an_e_book_is_epub() {
        let (mime, download) = super::media_type(std::path::Path::new("x/a-braille.brf"));
        assert_eq!(mime, "text/plain; charset=us-ascii");
        assert_eq!(
            download.as_deref(),
            Some("attachment; filename=\"a-braille.brf\"")
        );
        let (mime, download) = super::media_type(std::path::Path::new("x/a-ebook.epub"));
        assert_eq!((mime.as_str(), download), ("application/epub+zip", None));
    }

    use super::*;

    #[test]
    fn traversal_in_any_spelling_is_not_a_plain_path() {
        for path in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a%2fb",
            "/a/%2E%2E",
            "/.folio/x",
            "/a/%5c..",
            "/a//b",
            "/%00",
        ] {
            assert_eq!(segments(path), None, "{path}");
        }
        assert_eq!(
            segments("/all-treatment/x.pdf").unwrap(),
            ["all-treatment", "x.pdf"]
        );
        assert_eq!(segments("/").unwrap(), Vec::<String>::new());
    }
}
