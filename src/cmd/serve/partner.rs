//! The catalogue's pages as `folio serve` shows them: the catalogue (`/`), a publication's
//! page (`/<id>/`) and a brand's page (`/brand-<id>.html`) get, right after the start of
//! their `<main>`, a sign-in link for partners or, for a signed-in partner, a link to the
//! personalisation form of each brandable edition on the page and a sign-out button. The
//! static catalogue, opened from a folder, has none of this.

use super::library::Library;
use super::pages::{FormLink, Pages};
use crate::pipeline::Session;

/// Which catalogue page a path is, when it is one.
pub enum CataloguePage {
    Catalogue,
    Publication(String),
    Brand(String),
}

/// The catalogue page at `segments` (already confined), if it is one.
pub fn kind(segments: &[String]) -> Option<CataloguePage> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    match s.as_slice() {
        [] | [""] | ["index.html"] => Some(CataloguePage::Catalogue),
        [id, ""] | [id, "index.html"] => Some(CataloguePage::Publication(id.to_string())),
        [file] => file
            .strip_prefix(crate::project::dist::BRAND_PAGE_PREFIX)
            .and_then(|f| f.strip_suffix(".html"))
            .map(|id| CataloguePage::Brand(id.to_string())),
        _ => None,
    }
}

/// `page` with the partner block added after its `<main …>` tag (or unchanged without one).
/// `path` is where the page is, for coming back after signing in; `brand` the signed-in
/// partner, if any.
#[allow(clippy::too_many_arguments)]
pub fn add_block(
    page: &str,
    kind: &CataloguePage,
    path: &str,
    brand: Option<&str>,
    library: &Library,
    session: &Session,
    dist: &std::path::Path,
    pages: &Pages,
) -> String {
    let Some(at) = page
        .find("<main")
        .and_then(|m| page[m..].find('>').map(|e| m + e + 1))
    else {
        return page.to_string();
    };
    let partner = brand.and_then(|b| library.brands.get(b).map(|p| (b, p)));
    let block = match partner {
        None => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", path)
                .finish();
            pages.partner(None, &[], &format!("/login?{query}"))
        }
        Some((id, p)) => {
            let ids: Vec<&String> = match kind {
                CataloguePage::Publication(one) => {
                    library.publications.keys().filter(|k| *k == one).collect()
                }
                // A brand's page is for that brand only.
                CataloguePage::Brand(other) if other != id => Vec::new(),
                _ => library.publications.keys().collect(),
            };
            let mut forms = Vec::new();
            for pid in ids {
                let served = &library.publications[pid];
                for (name, edition) in session.editions_for(&served.publication, &[]) {
                    if !edition.brandable
                        || !crate::project::dist::edition_file(
                            dist,
                            &crate::project::PublicationKey::source(pid.as_str()),
                            name,
                            "pdf",
                        )
                        .is_file()
                    {
                        continue;
                    }
                    let query: String = form_urlencoded::Serializer::new(String::new())
                        .append_pair("brand", id)
                        .finish();
                    forms.push(FormLink {
                        href: format!("/{pid}/{name}/personalise?{query}"),
                        title: served.publication.meta.title.clone(),
                        edition: name.to_string(),
                    });
                }
            }
            pages.partner(Some(&p.brand.name), &forms, "/login")
        }
    };
    format!("{}\n{block}{}", &page[..at], &page[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_catalogue_a_publication_and_a_brand_page_are_told_apart() {
        assert!(matches!(kind(&segs(&[])), Some(CataloguePage::Catalogue)));
        assert!(matches!(
            kind(&segs(&["index.html"])),
            Some(CataloguePage::Catalogue)
        ));
        assert!(
            matches!(kind(&segs(&["all-treatment", ""])), Some(CataloguePage::Publication(id)) if id == "all-treatment")
        );
        assert!(
            matches!(kind(&segs(&["brand-riverside.html"])), Some(CataloguePage::Brand(id)) if id == "riverside")
        );
        assert!(kind(&segs(&["site.css"])).is_none());
        assert!(kind(&segs(&["all-treatment", "all-treatment-booklet.pdf"])).is_none());
    }
}
