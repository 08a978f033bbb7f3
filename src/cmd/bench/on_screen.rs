//! `folio bench`: save → on-screen page updated, as `folio watch --serve` does it. The watch
//! loop runs as the command runs it (file watcher, on-screen pages first, then the rest),
//! told that two pages of one edition are on screen: the page a one-word edit lands on and
//! the next. Another thread saves the file and times, from just before the write, the
//! first push: that page's PNG written and the preview page rendered for the browser. Each
//! edit waits for the rest (every edition, every preview, the catalogue) before the next;
//! then [`OVERLAPPING`] saves come while the rest of the save before is still being made,
//! as when an editor types on.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::edits::{watch_plan, Edits};
use super::ms;
use crate::cmd::watch::{self, page::Preview, OnScreen, Rebuilt, Wake, Watch};
use crate::diag::Problem;
use crate::pipeline::Session;

/// Edits timed, half of each kind.
pub const EDITS: usize = 100;

/// Saves timed that come while the rest of the save before is being made, at each of
/// [`INTO_THE_REST`].
pub const OVERLAPPING: usize = 20;

/// How long after the save before's page is on screen the overlapping save comes: while the
/// other editions are laid out, and while their previews are rendered.
const INTO_THE_REST: [Duration; 2] = [Duration::from_millis(15), Duration::from_millis(90)];

/// What the loop told the saving thread after a rebuild.
struct Pushed {
    at: Instant,
    /// The on-screen pages alone: which were rendered, the time to the edition typeset and
    /// to the pages written.
    first: Option<(Vec<usize>, Duration, Duration)>,
    /// The full rebuild.
    full: bool,
}

/// The timings of one kind of edit.
#[derive(Default)]
struct Timed {
    on_screen: Vec<Duration>,
    /// Within the watch: to the edition checked and typeset, and to its pages written.
    typeset: Vec<Duration>,
    written: Vec<Duration>,
    rest: Vec<Duration>,
    /// Edits whose first push was not the page on screen (then the full rebuild's is timed).
    late: usize,
}

/// The value below which `p` of the sorted `times` lie (nearest rank).
fn percentile(times: &[Duration], p: f64) -> Duration {
    let mut times = times.to_vec();
    times.sort();
    let rank = ((p * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1));
    times.get(rank - 1).copied().unwrap_or_default()
}

/// Measures in the copy at `root`; returns the report lines.
pub fn run(session: &Session, root: &Path, publication: &str) -> Result<Vec<String>, Problem> {
    let io = |e: std::io::Error| Problem::error(format!("benchmark: {e}"));
    let mut fresh = Session::open(root, session.source_date_epoch)?;
    fresh.today = session.today;
    let plan = watch_plan(publication, &root.join("watch-out"));
    let file = crate::content::markdown_file(&root.join("content").join(publication))?;
    let original = std::fs::read_to_string(&file).map_err(io)?;
    let edits = Edits::of(&original);
    let mut watch = Watch::new(fresh, plan);
    let first = watch.build_all();
    if !first.errors.is_empty() {
        return Err(Problem::error("benchmark: the first watch build failed"));
    }
    // The edition on screen: the catalogue's cover edition, else the first one previewed.
    let edition = watch
        .session
        .project
        .web
        .cover
        .clone()
        .filter(|e| first.rendered.iter().any(|(_, r, _)| r == e))
        .or_else(|| first.rendered.first().map(|(_, e, _)| e.clone()))
        .ok_or_else(|| Problem::error("benchmark: no edition has page previews"))?;
    // The page the edit lands on: the first one a probe edit renders again.
    std::fs::write(&file, edits.text(0, EDITS)).map_err(io)?;
    let probe = watch.on_change(std::slice::from_ref(&file));
    std::fs::write(&file, &original).map_err(io)?;
    watch.on_change(std::slice::from_ref(&file));
    let page = probe
        .rendered
        .iter()
        .find(|(_, e, _)| *e == edition)
        .and_then(|(_, _, pages)| pages.first().copied())
        .ok_or_else(|| Problem::error("benchmark: the probe edit changed no page"))?;
    watch.screen.show(OnScreen {
        key: publication.to_string(),
        edition: edition.clone(),
        pages: vec![page, page + 1],
    });

    let (pushed_tx, pushed) = mpsc::channel::<Pushed>();
    let wake = watch::channel();
    let stop = wake.0.clone();
    let saving = std::thread::spawn({
        let file = file.clone();
        move || save_and_time(&file, &edits, &pushed, &stop)
    });
    let preview = Preview::default();
    watch::run(watch, wake, &mut |watch: &Watch, rebuilt: &Rebuilt| {
        // The push: the preview page rendered again (the browser is told to reload).
        let _page = preview.render(watch, rebuilt);
        let _ = pushed_tx.send(Pushed {
            at: Instant::now(),
            first: rebuilt
                .first
                .as_ref()
                .map(|f| (f.rendered.clone(), f.typeset, f.elapsed)),
            full: !rebuilt.publications.is_empty() || !rebuilt.errors.is_empty(),
        });
    })?;
    let timed = saving
        .join()
        .map_err(|_| Problem::error("benchmark: the saving thread panicked"))??;
    let mut lines = Vec::new();
    let [in_place, inserted, early, late] = timed;
    for (kind, t) in ["changed in place", "inserted (text reflows)"]
        .into_iter()
        .zip([in_place, inserted])
    {
        lines.push(format!(
            "save → on-screen page updated (`folio watch --serve`, {edition} pages {page}–{} on screen), \
             a word {kind}: median {}, p95 {} of {} edits{}; the rest (every edition, previews, catalogue) \
             done after a median {}; inside the watch, the edition checked and typeset after a median {}, \
             its changed pages on screen written after {}",
            page + 1,
            ms(percentile(&t.on_screen, 0.5)),
            ms(percentile(&t.on_screen, 0.95)),
            t.on_screen.len(),
            match t.late {
                0 => String::new(),
                n => format!(" ({n} not pushed first)"),
            },
            ms(percentile(&t.rest, 0.5)),
            ms(percentile(&t.typeset, 0.5)),
            ms(percentile(&t.written, 0.5)),
        ));
    }
    for (into, overlapping) in INTO_THE_REST.iter().zip([early, late]) {
        lines.push(format!(
            "save → on-screen page updated, a word changed {} ms after the save before was on screen, \
             while the rest of it is being made (it stops at its next edition, checkpoint or preview page): \
             median {}, p95 {} of {} edits",
            into.as_millis(),
            ms(percentile(&overlapping.on_screen, 0.5)),
            ms(percentile(&overlapping.on_screen, 0.95)),
            overlapping.on_screen.len(),
        ));
    }
    lines.push(
        "  (from just before the file is written, through the file watcher, to the page's PNG \
         written and the preview page rendered for the push; targets ≤ 30 ms median, ≤ 50 ms p95)"
            .to_string(),
    );
    Ok(lines)
}

fn save_and_time(
    file: &PathBuf,
    edits: &Edits,
    pushed: &mpsc::Receiver<Pushed>,
    stop: &mpsc::Sender<Wake>,
) -> Result<[Timed; 4], Problem> {
    let result = (|| {
        let wait = Duration::from_secs(60);
        let lost = || Problem::error("benchmark: the watch never rebuilt after a save");
        // The loop's own first build.
        pushed.recv_timeout(wait).map_err(|_| lost())?;
        let mut timed: [Timed; 4] = Default::default();
        for i in 0..EDITS {
            let started = Instant::now();
            std::fs::write(file, edits.text(i, EDITS))
                .map_err(|e| Problem::error(format!("benchmark: {e}")))?;
            let mut first = None;
            let full = loop {
                let p = pushed.recv_timeout(wait).map_err(|_| lost())?;
                if first.is_none() {
                    first = Some((p.at, p.first));
                }
                if p.full {
                    break p.at;
                }
            };
            // Let the file watcher's late events of this save pass before the next.
            while pushed.recv_timeout(Duration::from_millis(50)).is_ok() {}
            let (at, on_screen) = first.expect("a push was received");
            let t = &mut timed[usize::from(i >= EDITS / 2)];
            t.on_screen.push(at - started);
            t.rest.push(full - started);
            match on_screen {
                Some((pages, typeset, written)) if !pages.is_empty() => {
                    t.typeset.push(typeset);
                    t.written.push(written);
                }
                _ => t.late += 1,
            }
        }
        // A save that comes while the rest of the one before is being made.
        for n in 0..OVERLAPPING * INTO_THE_REST.len() {
            // The two offsets take turns, so a slow spell of the machine falls on both.
            let i = n % INTO_THE_REST.len();
            let write = |text: &str| {
                std::fs::write(file, text).map_err(|e| Problem::error(format!("benchmark: {e}")))
            };
            write(&edits.toggled)?;
            pushed.recv_timeout(wait).map_err(|_| lost())?;
            std::thread::sleep(INTO_THE_REST[i]);
            let started = Instant::now();
            write(&edits.original)?;
            let t = &mut timed[2 + i];
            let mut on_screen = None;
            loop {
                let p = pushed.recv_timeout(wait).map_err(|_| lost())?;
                if on_screen.is_none() && p.first.as_ref().is_some_and(|f| !f.0.is_empty()) {
                    on_screen = Some(p.at);
                }
                if p.full && on_screen.is_some() {
                    break;
                }
            }
            while pushed.recv_timeout(Duration::from_millis(50)).is_ok() {}
            t.on_screen
                .push(on_screen.expect("set before the loop ends") - started);
        }
        Ok(timed)
    })();
    let _ = stop.send(Wake::Stop);
    result
}
