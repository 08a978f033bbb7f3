//! A synthetic catalogue to measure with: `n` publications shaped like a real catalogue of
//! patient booklets, the same for the same `n` on every machine (a fixed pseudo-random
//! sequence).
//!
//! One publication in ten is short enough for a leaflet (one or two sections) and goes into
//! the booklet, large print and both leaflets. The others are booklets of 8 to 40 pages (2 to
//! 60 sections: a booklet page holds one or two, and the cover, contents and back pages add
//! four) in the booklet, large print and the two print editions; four in five of them have
//! pictures. Sections mix paragraphs, lists, tables, callouts, images and sections marked for
//! some editions only. The words are short and plain, so the checks pass.

use std::fmt::Write;
use std::path::Path;

/// A small fixed pseudo-random sequence (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number from `low` to `high`, both included.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.range(0, words.len() - 1)]
    }
}

const NOUNS: &[&str] = &[
    "nurse", "doctor", "team", "ward", "clinic", "test", "blood", "drip", "tablet", "family",
    "friend", "home", "plan", "week", "day", "room", "phone", "form", "result", "scan",
];
const VERBS: &[&str] = &[
    "helps", "checks", "gives", "tells", "shows", "brings", "keeps", "finds", "takes", "sees",
];
const ADJECTIVES: &[&str] = &[
    "new", "small", "short", "good", "kind", "quiet", "next", "same", "own", "main",
];

/// The sections of a booklet, fewest and most (a booklet page holds one or two).
const BOOKLET_SECTIONS: (usize, usize) = (2, 60);

/// Writes the corpus publications into `root/content/` (the project files must be there).
pub fn generate(root: &Path, n: usize) -> std::io::Result<()> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let image = image_png();
    for i in 0..n {
        let id = format!("corpus-{i:04}");
        let folder = root.join("content").join(&id);
        std::fs::create_dir_all(folder.join("images"))?;
        std::fs::write(folder.join("images/picture.png"), &image)?;
        let long = rng.range(0, 9) > 0;
        let sections = if long {
            rng.range(BOOKLET_SECTIONS.0, BOOKLET_SECTIONS.1)
        } else {
            rng.range(1, 2)
        };
        let pictures = long && rng.range(0, 4) > 0;
        std::fs::write(
            folder.join(format!("{id}.md")),
            publication(&mut rng, i, long, sections, pictures),
        )?;
    }
    Ok(())
}

fn sentence(rng: &mut Rng) -> String {
    let (a, b) = (rng.pick(NOUNS), rng.pick(NOUNS));
    let b = if a == b { "day" } else { b };
    let mut s = format!(
        "Your {a} {} the {} {b}",
        rng.pick(VERBS),
        rng.pick(ADJECTIVES)
    );
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

fn publication(rng: &mut Rng, i: usize, long: bool, sections: usize, pictures: bool) -> String {
    let editions = if long {
        "[booklet, large-print, booklet-print, booklet-imposed]"
    } else {
        "[booklet, large-print, leaflet-dl, leaflet-a5]"
    };
    let mut md = format!(
        "---\ntitle: Corpus publication {i}\nsubtitle: A test text about the {} {}\n\
         language: en-GB\nproduct-code: CORPUS-{i:04}\nversion: \"1.{}\"\n\
         date-reviewed: 2026-09-01\nnext-review: 2029-09-01\n\
         references:\n  - \"A reference. Test Journal. 2025.\"\n\
         reviewers:\n  - \"A Reviewer, Nurse\"\neditions: {editions}\n---\n\n",
        rng.pick(ADJECTIVES),
        rng.pick(NOUNS),
        i % 7
    );
    for s in 0..sections {
        let mark = if long && s > 0 && rng.range(0, 5) == 0 {
            " {.not-booklet}"
        } else {
            ""
        };
        let _ = writeln!(
            md,
            "## Part {} about the {}{mark}\n",
            s + 1,
            rng.pick(NOUNS)
        );
        let count = if long { rng.range(3, 6) } else { 2 };
        let _ = writeln!(md, "{}\n", paragraph(rng, count));
        if !long {
            continue;
        }
        // A booklet with pictures has one near its start and one in about five sections.
        let shape = match rng.range(0, 5) {
            3 if !pictures => 4,
            _ if pictures && s == 1 => 3,
            other => other,
        };
        match shape {
            0 => {
                let _ = writeln!(md, "Things that can help are listed here.\n");
                for _ in 0..rng.range(2, 5) {
                    let _ = writeln!(md, "- {}", sentence(rng));
                }
                md.push('\n');
            }
            1 => {
                md.push_str("| What | When |\n| --- | --- |\n");
                for _ in 0..rng.range(2, 4) {
                    let _ = writeln!(md, "| {} | {} |", rng.pick(NOUNS), rng.pick(ADJECTIVES));
                }
                md.push('\n');
            }
            2 => {
                let _ = writeln!(md, "> [!NOTE]\n> {}\n", sentence(rng));
            }
            3 => {
                let _ = writeln!(md, "![A simple picture in blue](images/picture.png)\n");
            }
            _ => {
                let _ = writeln!(md, "{}\n", paragraph(rng, 2));
            }
        }
    }
    md
}

/// A 1200 × 800 px picture: sharp enough for print at the size layouts place it.
fn image_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(1200, 800, |x, y| {
        if (x / 100 + y / 100) % 2 == 0 {
            image::Rgb([30, 90, 160])
        } else {
            image::Rgb([220, 235, 250])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG encodes in memory");
    out.into_inner()
}
