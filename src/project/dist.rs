//! Every path under the output folder (`dist/` by default), in one place: `build`, `serve`,
//! `merge`, the site, the job sheet and the previews all name files through here.
//!
//! ```text
//! dist/
//!   index.html, catalogue.json, feed.xml, site.css, site.js   the catalogue (site/)
//!   brand-<brand>.html                                         a partner's page
//!   <id>/                                                      a publication
//!     <id>-<edition>.<ext>                                     each edition's file
//!     <id>-print-spec.json, .txt                               its print job sheet
//!     index.html, cover.png, images/, entry.json               its web edition and entry
//!     brands/<brand>/<id>-<edition>.<ext>                      co-branded files
//!     preview/<edition>/                                       page previews (--previews)
//!     <lang>/                                                  a translation: the same, with
//!       <id>-<lang>-<edition>.<ext>                            the language in every name
//!   .folio/cache/                                              folio serve's cache
//!   .folio/withdrawn.json                                      withdrawn publications (site/)
//! ```

use std::path::{Path, PathBuf};

use super::key::PublicationKey;

/// The folder of co-branded files, in a publication's folder.
pub const BRANDS_DIR: &str = "brands";
/// The folder of page previews, in a publication's folder.
pub const PREVIEW_DIR: &str = "preview";
/// A publication's catalogue entry.
pub const ENTRY_FILE: &str = "entry.json";
/// A publication's web edition, and the catalogue's front page.
pub const WEB_FILE: &str = "index.html";
/// `folio serve`'s cache of made files, below the output folder (hidden: never served).
pub const SERVE_CACHE_DIR: &str = ".folio/cache";

/// The folder of a publication's files: `OUT/<id>`, or `OUT/<id>/<lang>`.
pub fn publication_dir(out: &Path, key: &PublicationKey) -> PathBuf {
    match &key.lang {
        Some(lang) => out.join(&key.id).join(lang),
        None => out.join(&key.id),
    }
}

/// The name of an edition's file: `<id>-<edition>.<ext>` (`<id>-<lang>-<edition>.<ext>`).
pub fn edition_file_name(key: &PublicationKey, edition: &str, extension: &str) -> String {
    format!("{}-{edition}.{extension}", key.file_stem())
}

/// Where an edition's file goes.
pub fn edition_file(out: &Path, key: &PublicationKey, edition: &str, extension: &str) -> PathBuf {
    publication_dir(out, key).join(edition_file_name(key, edition, extension))
}

/// The folder of a publication's co-branded files.
pub fn brands_dir(out: &Path, key: &PublicationKey) -> PathBuf {
    publication_dir(out, key).join(BRANDS_DIR)
}

/// Where an edition's file co-branded for `brand` goes (named like the public one: the
/// folder tells them apart on the server; `serve` gives downloads their own names).
pub fn brand_file(
    out: &Path,
    key: &PublicationKey,
    brand: &str,
    edition: &str,
    extension: &str,
) -> PathBuf {
    brands_dir(out, key)
        .join(brand)
        .join(edition_file_name(key, edition, extension))
}

/// Where an edition's page previews go.
pub fn preview_dir(out: &Path, key: &PublicationKey, edition: &str) -> PathBuf {
    publication_dir(out, key).join(PREVIEW_DIR).join(edition)
}

/// The names of a publication's print job sheet files (JSON, then text).
pub fn job_sheet_names(key: &PublicationKey) -> [String; 2] {
    let stem = key.file_stem();
    [
        format!("{stem}-print-spec.json"),
        format!("{stem}-print-spec.txt"),
    ]
}

/// The start of a partner's page's name.
pub const BRAND_PAGE_PREFIX: &str = "brand-";

/// A partner's page in the catalogue: `OUT/brand-<brand>.html`.
pub fn brand_page_name(brand: &str) -> String {
    format!("{BRAND_PAGE_PREFIX}{brand}.html")
}

/// `folio serve`'s cache folder.
pub fn serve_cache(out: &Path) -> PathBuf {
    out.join(SERVE_CACHE_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translations_files_carry_its_language_in_their_names() {
        let out = Path::new("dist");
        let source = PublicationKey::source("all-treatment");
        let welsh = PublicationKey::translation("all-treatment", "cy");
        assert_eq!(
            edition_file(out, &source, "booklet", "pdf"),
            Path::new("dist/all-treatment/all-treatment-booklet.pdf")
        );
        assert_eq!(
            edition_file(out, &welsh, "booklet", "pdf"),
            Path::new("dist/all-treatment/cy/all-treatment-cy-booklet.pdf")
        );
        assert_eq!(
            brand_file(out, &welsh, "riverside", "leaflet-dl", "pdf"),
            Path::new("dist/all-treatment/cy/brands/riverside/all-treatment-cy-leaflet-dl.pdf")
        );
        assert_eq!(
            job_sheet_names(&welsh)[0],
            "all-treatment-cy-print-spec.json"
        );
    }
}
