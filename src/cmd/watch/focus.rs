//! The page in front of the editor first. The preview page tells the watch which edition
//! and pages are on screen ([`Screen`]); after a save, that one edition is made and its
//! on-screen pages that changed are rendered and written before anything else, so the page
//! can be pushed to the browser; every edition, every preview and the catalogue follow in
//! the ordinary rebuild ([`super::Watch::on_change`]), which the loop puts off while newer
//! saves keep coming.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{classify, SavedChange, Watch};
use crate::export;
use crate::pipeline::publication as flow;
use crate::project::{dist, PublicationKey};

/// What the preview page is showing, as it last said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnScreen {
    /// The publication's key: `id` or `id.lang`.
    pub key: String,
    pub edition: String,
    /// 1-based numbers of the pages in view.
    pub pages: Vec<usize>,
}

impl OnScreen {
    /// Reads `<key>/<edition>/<n>,<n>…`, the tail of the page's `/__folio/showing/` request.
    pub fn parse(text: &str) -> Option<OnScreen> {
        let mut parts = text.splitn(3, '/');
        let key = parts.next().filter(|k| !k.is_empty())?.to_string();
        let edition = parts.next().filter(|e| !e.is_empty())?.to_string();
        let pages: Vec<usize> = parts
            .next()?
            .split(',')
            .map(|n| n.trim().parse::<usize>().ok().filter(|&n| n >= 1))
            .collect::<Option<_>>()?;
        // A screen shows a few pages; a longer list is not a screen.
        (!pages.is_empty() && pages.len() <= 16).then_some(OnScreen {
            key,
            edition,
            pages,
        })
    }
}

/// What the preview page and the watch share: what is on screen, and whether the booklet is
/// shown with its change marks (the review toggle).
#[derive(Debug, Default)]
pub struct Screen {
    shown: Mutex<Option<OnScreen>>,
    review: AtomicBool,
}

impl Screen {
    pub fn show(&self, on: OnScreen) {
        *self
            .shown
            .lock()
            .expect("the screen lock is never poisoned") = Some(on);
    }

    pub fn shown(&self) -> Option<OnScreen> {
        self.shown
            .lock()
            .expect("the screen lock is never poisoned")
            .clone()
    }

    /// Turns the change marks on or off; says whether that changed anything.
    pub fn set_review(&self, on: bool) -> bool {
        self.review.swap(on, Ordering::SeqCst) != on
    }

    pub fn review(&self) -> bool {
        self.review.load(Ordering::SeqCst)
    }
}

/// The on-screen pages made first after a save.
#[derive(Debug, Clone)]
pub struct First {
    pub key: String,
    pub edition: String,
    /// The pages rendered again and written (those on screen that changed).
    pub rendered: Vec<usize>,
    /// From the start of the rebuild to the edition checked and typeset.
    pub typeset: Duration,
    /// From the start of the rebuild to the pages written.
    pub elapsed: Duration,
}

impl Watch {
    /// After a save of the publication on screen: makes the edition on screen alone and
    /// writes its on-screen pages that changed (each PNG replaced whole). `None` when the
    /// save is not of what is on screen, or when anything stops the publication (the full
    /// rebuild after this reports why).
    pub fn on_screen_first(&mut self, paths: &[std::path::PathBuf]) -> Option<First> {
        let started = Instant::now();
        let on = self.screen.shown()?;
        let key = PublicationKey::parse(&on.key);
        let only_it = !paths.is_empty()
            && paths.iter().all(|p| {
                classify(&self.session.root, p) == SavedChange::Publication(key.id.clone())
            });
        if !only_it || !self.folders.contains(&key.id) {
            return None;
        }
        let session = &self.session;
        let edition = session.project.editions.get(&on.edition)?;
        // An edition made from another (an imposed one) waits for the full rebuild.
        if crate::pipeline::kinds::of(edition)
            .source(edition)
            .is_some()
        {
            return None;
        }
        let publication = session.load(&key).ok()?;
        let mut planned = flow::plan(session, &publication, &self.plan.request());
        if planned.stopped.is_some() || !planned.editions.contains(&on.edition) {
            return None;
        }
        planned.editions = vec![on.edition.clone()];
        let kept = self.kept.entry(key.to_string()).or_default();
        let production = flow::make(session, &publication, &planned, &[], &mut kept.worlds);
        if production.stopped() {
            return None;
        }
        let doc = production.made.first()?.doc()?;
        let typeset = started.elapsed();
        let dir = dist::preview_dir(&self.plan.out, &key, &on.edition);
        let previews = kept.previews.entry(on.edition.clone()).or_default();
        let made = export::preview::render_only(doc, &dir, previews, &on.pages).ok()?;
        for (path, bytes) in &made.files {
            if export::atomic::write(path, bytes).is_err() {
                // Not on disk: the full rebuild renders it all again.
                kept.previews.clear();
                return None;
            }
        }
        Some(First {
            key: on.key,
            edition: on.edition,
            rendered: made.rendered,
            typeset,
            elapsed: started.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_page_says_it_shows_is_read_and_nonsense_is_not() {
        assert_eq!(
            OnScreen::parse("all-treatment.cy/booklet/3,4"),
            Some(OnScreen {
                key: "all-treatment.cy".into(),
                edition: "booklet".into(),
                pages: vec![3, 4]
            })
        );
        for bad in [
            "",
            "x",
            "x/booklet",
            "x/booklet/",
            "x/booklet/0",
            "x/booklet/a",
            "/b/1",
        ] {
            assert_eq!(OnScreen::parse(bad), None, "{bad:?}");
        }
    }
}
