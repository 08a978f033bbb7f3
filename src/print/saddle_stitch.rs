//! The imposition plan of a saddle-stitched booklet: which page stands on which half of
//! which sheet side, and how far each sheet's pages move towards the spine (creep).
//!
//! For `n` pages (a multiple of 4) there are `n / 4` sheets. Sheet `s` (0 = the outermost,
//! which carries the covers) has `n − 2s | 2s + 1` on its front and `2s + 2 | n − 2s − 1` on
//! its back (left | right). Printed duplex and turned over on the short edge, the sheets
//! nest in order, fold once, and read 1, 2, …, n.
//!
//! A right-to-left booklet (Arabic, Urdu) is bound on the right and opens from the other
//! side, so its plan is the mirror image: every side's two pages change halves, and sheet
//! `s` has `2s + 1 | n − 2s` on its front ([`Plan::right_to_left`]).
//!
//! Folded sheets nest, so the inner ones stick out at the fore-edge by the paper they wrap
//! around. To keep margins even after trimming, the pages of sheet `s` move `s × paper
//! thickness` towards the spine (the outermost sheet does not move).

use serde::Serialize;

/// One sheet side: the 1-based page numbers of the source document on each half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Side {
    /// The page on the left half (left of the spine).
    pub left: usize,
    /// The page on the right half.
    pub right: usize,
    /// The left page is placed upside down (the second half of a tilt-and-turn booklet).
    #[serde(skip_serializing_if = "is_false")]
    pub left_turned: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub right_turned: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Side {
    fn new(left: usize, right: usize) -> Side {
        Side {
            left,
            right,
            left_turned: false,
            right_turned: false,
        }
    }
}

/// One printed sheet: both sides and the creep of its pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Sheet {
    /// 1-based sheet number, from the outside in.
    pub sheet: usize,
    pub front: Side,
    pub back: Side,
    /// How far both pages of each side move towards the spine, in mm.
    pub creep_mm: f64,
}

/// The whole plan: sheets from the outside in, each printed front then back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Plan {
    /// Pages of the source document (the finished booklet).
    pub pages: usize,
    pub paper_thickness_mm: f64,
    pub sheets: Vec<Sheet>,
    /// Bound on the right (right-to-left booklets): the sides are mirrored.
    pub right_to_left: bool,
    /// Tilt and turn: the source's second half is placed upside down from the back.
    pub tilt_and_turn: bool,
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("a saddle-stitched booklet needs a multiple of 4 pages, not {0}")]
    NotMultipleOfFour(usize),
    #[error("the paper thickness {0} mm is not a thickness")]
    BadThickness(f64),
}

/// The imposition plan for `pages` pages on paper `paper_thickness_mm` thick.
pub fn plan(pages: usize, paper_thickness_mm: f64) -> Result<Plan, PlanError> {
    if pages == 0 || !pages.is_multiple_of(4) {
        return Err(PlanError::NotMultipleOfFour(pages));
    }
    if !paper_thickness_mm.is_finite() || paper_thickness_mm < 0.0 {
        return Err(PlanError::BadThickness(paper_thickness_mm));
    }
    let n = pages;
    let sheets = (0..n / 4)
        .map(|s| Sheet {
            sheet: s + 1,
            front: Side::new(n - 2 * s, 2 * s + 1),
            back: Side::new(2 * s + 2, n - 2 * s - 1),
            creep_mm: creep(s, paper_thickness_mm),
        })
        .collect();
    Ok(Plan {
        pages,
        paper_thickness_mm,
        sheets,
        right_to_left: false,
        tilt_and_turn: false,
    })
}

/// The creep of 0-based sheet `s`, rounded to a thousandth of a millimetre so that the
/// data (and so the PDF) does not depend on floating-point noise.
pub fn creep(s: usize, paper_thickness_mm: f64) -> f64 {
    (s as f64 * paper_thickness_mm * 1000.0).round() / 1000.0
}

impl Plan {
    /// The plan for a booklet bound on the right (right-to-left text): the mirror image of
    /// this one, each side's pages swapped between the halves. Creep is unchanged: both
    /// halves still move towards the spine in the middle of the sheet.
    pub fn right_to_left(mut self) -> Plan {
        if !self.right_to_left {
            for sheet in &mut self.sheets {
                for side in [&mut sheet.front, &mut sheet.back] {
                    std::mem::swap(&mut side.left, &mut side.right);
                }
            }
            self.right_to_left = true;
        }
        self
    }

    /// The plan for a tilt-and-turn booklet: the source holds two booklets of `n / 2` pages
    /// one after the other (one language, then the other). The first is placed as usual
    /// from the front cover; the second from the back cover, upside down: its page `j`
    /// stands where page `n + 1 − j` would, turned, so that the two meet in the middle.
    pub fn tilt_and_turn(mut self) -> Plan {
        if self.tilt_and_turn {
            return self;
        }
        let (n, k) = (self.pages, self.pages / 2);
        let place = |p: usize| {
            if p <= k {
                (p, false)
            } else {
                (k + n + 1 - p, true)
            }
        };
        for sheet in &mut self.sheets {
            for side in [&mut sheet.front, &mut sheet.back] {
                (side.left, side.left_turned) = place(side.left);
                (side.right, side.right_turned) = place(side.right);
            }
        }
        self.tilt_and_turn = true;
        self
    }

    /// The sheet sides in print order (front of sheet 1, back of sheet 1, front of sheet 2,
    /// …): what the imposed document's pages show.
    pub fn sides(&self) -> impl Iterator<Item = Side> + '_ {
        self.sheets.iter().flat_map(|s| [s.front, s.back])
    }

    /// The page order of the imposed document as printers write it: `16|1 2|15 …` (a page
    /// placed upside down is marked `↻`: `↻5|1`).
    pub fn describe(&self) -> String {
        let page = |p: usize, turned: bool| format!("{}{p}", if turned { "↻" } else { "" });
        self.sides()
            .map(|s| {
                format!(
                    "{}|{}",
                    page(s.left, s.left_turned),
                    page(s.right, s.right_turned)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(pages: usize) -> Vec<(usize, usize)> {
        plan(pages, 0.1)
            .unwrap()
            .sides()
            .map(|s| (s.left, s.right))
            .collect()
    }

    #[test]
    fn four_pages_are_one_sheet() {
        assert_eq!(sides(4), [(4, 1), (2, 3)]);
    }

    #[test]
    fn eight_pages() {
        assert_eq!(sides(8), [(8, 1), (2, 7), (6, 3), (4, 5)]);
    }

    #[test]
    fn twelve_pages() {
        assert_eq!(
            sides(12),
            [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
        );
    }

    #[test]
    fn sixteen_pages() {
        assert_eq!(
            sides(16),
            [
                (16, 1),
                (2, 15),
                (14, 3),
                (4, 13),
                (12, 5),
                (6, 11),
                (10, 7),
                (8, 9)
            ]
        );
    }

    #[test]
    fn twenty_pages() {
        assert_eq!(
            sides(20),
            [
                (20, 1),
                (2, 19),
                (18, 3),
                (4, 17),
                (16, 5),
                (6, 15),
                (14, 7),
                (8, 13),
                (12, 9),
                (10, 11)
            ]
        );
    }

    #[test]
    fn twenty_four_pages() {
        assert_eq!(
            plan(24, 0.1).unwrap().describe(),
            "24|1 2|23 22|3 4|21 20|5 6|19 18|7 8|17 16|9 10|15 14|11 12|13"
        );
    }

    /// Every page appears exactly once, facing pages of the centre spread are n/2 and n/2+1,
    /// and each side's two pages add up to n + 1.
    #[test]
    fn every_plan_is_a_permutation_that_folds_right() {
        for n in (4..=64).step_by(4) {
            let p = plan(n, 0.1).unwrap();
            let mut seen: Vec<usize> = p.sides().flat_map(|s| [s.left, s.right]).collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>(), "{n} pages");
            assert!(p.sides().all(|s| s.left + s.right == n + 1), "{n} pages");
            let centre = p.sheets.last().unwrap().back;
            assert_eq!((centre.left, centre.right), (n / 2, n / 2 + 1));
        }
    }

    #[test]
    fn a_right_to_left_booklet_mirrors_every_side() {
        let rtl = plan(8, 0.1).unwrap().right_to_left();
        let sides: Vec<(usize, usize)> = rtl.sides().map(|s| (s.left, s.right)).collect();
        // The front cover (page 1) is on the left half, the back cover on the right.
        assert_eq!(sides, [(1, 8), (7, 2), (3, 6), (5, 4)]);
        assert_eq!(rtl.describe(), "1|8 7|2 3|6 5|4");
        // Mirroring is not undone by asking twice; creep is unchanged.
        let twice = rtl.clone().right_to_left();
        assert_eq!(twice, rtl);
        let creeps: Vec<f64> = rtl.sheets.iter().map(|s| s.creep_mm).collect();
        assert_eq!(creeps, [0.0, 0.1]);
        for n in (4..=32).step_by(4) {
            let ltr = plan(n, 0.1).unwrap();
            let rtl = ltr.clone().right_to_left();
            for (a, b) in ltr.sides().zip(rtl.sides()) {
                assert_eq!((a.left, a.right), (b.right, b.left), "{n} pages");
            }
            let centre = rtl.sheets.last().unwrap().back;
            assert_eq!((centre.left, centre.right), (n / 2 + 1, n / 2));
        }
    }

    #[test]
    fn a_tilt_and_turn_booklet_places_its_second_half_upside_down_from_the_back() {
        // Source: pages 1-4 the first language, 5-8 the second (5 its cover).
        let p = plan(8, 0.1).unwrap().tilt_and_turn();
        assert_eq!(p.describe(), "↻5|1 2|↻6 ↻7|3 4|↻8");
        // Each half reads in order from its own cover, and they meet in the middle:
        // page 4 faces page 8, both last pages of their halves.
        let centre = p.sheets.last().unwrap().back;
        assert_eq!((centre.left, centre.right), (4, 8));
        assert!(!centre.left_turned && centre.right_turned);
        for n in (4..=32).step_by(4) {
            let p = plan(n, 0.1).unwrap().tilt_and_turn();
            let mut seen: Vec<usize> = p.sides().flat_map(|s| [s.left, s.right]).collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>(), "{n} pages, each once");
            for s in p.sides() {
                assert_eq!(s.left_turned, s.left > n / 2, "{n}: {s:?}");
                assert_eq!(s.right_turned, s.right > n / 2, "{n}: {s:?}");
            }
        }
    }

    #[test]
    fn creep_grows_by_one_thickness_per_sheet_towards_the_centre() {
        let p = plan(24, 0.1).unwrap();
        let creeps: Vec<f64> = p.sheets.iter().map(|s| s.creep_mm).collect();
        assert_eq!(creeps, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        let thick = plan(16, 0.25).unwrap();
        let creeps: Vec<f64> = thick.sheets.iter().map(|s| s.creep_mm).collect();
        assert_eq!(creeps, [0.0, 0.25, 0.5, 0.75]);
    }

    #[test]
    fn page_counts_that_do_not_fold_are_refused() {
        for n in [0, 2, 6, 10, 13] {
            assert_eq!(plan(n, 0.1), Err(PlanError::NotMultipleOfFour(n)));
        }
        assert_eq!(plan(8, -0.1), Err(PlanError::BadThickness(-0.1)));
    }
}
