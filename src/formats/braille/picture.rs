//! A picture of a braille page, for previews: each cell of the Unicode braille copy drawn as
//! the dots an embosser raises, at the sizes of UK braille (dots 2.5 mm apart in a cell,
//! cells 6 mm apart, lines 10 mm apart). The dots are drawn from the code points themselves
//! (U+2800 plus one bit per dot), so no font is needed and every cell is shown, whatever a
//! font would have.

use image::{Rgba, RgbaImage};

/// Pixels per millimetre of braille paper (a 40 × 25 page is 878 × 907 pixels, about the
/// height of a booklet page's preview).
const PX_PER_MM: f64 = 3.4;
/// Between the centres of two dots of a cell, across and down.
const DOT_PITCH_MM: f64 = 2.5;
/// From one cell to the next on a line.
const CELL_PITCH_MM: f64 = 6.0;
/// From one line to the next.
const LINE_PITCH_MM: f64 = 10.0;
/// The diameter of a dot.
const DOT_MM: f64 = 1.5;
/// Paper around the cells.
const MARGIN_MM: f64 = 10.0;

const PAPER: [u8; 3] = [252, 251, 247];
const DOT: [u8; 3] = [40, 44, 52];

/// The picture of one page of Unicode braille (`lines` of at most `cells` cells), the page
/// `cells` × `lines` in size whatever the text holds. A character outside the braille block
/// is drawn as a blank cell.
pub fn page(text: &str, cells: usize, lines: usize) -> RgbaImage {
    let px = |mm: f64| mm * PX_PER_MM;
    let width =
        px(2.0 * MARGIN_MM + cells as f64 * CELL_PITCH_MM
            - (CELL_PITCH_MM - DOT_PITCH_MM - DOT_MM));
    let height = px(2.0 * MARGIN_MM + lines as f64 * LINE_PITCH_MM
        - (LINE_PITCH_MM - 2.0 * DOT_PITCH_MM - DOT_MM));
    let [r, g, b] = PAPER;
    let mut image = RgbaImage::from_pixel(
        width.ceil() as u32,
        height.ceil() as u32,
        Rgba([r, g, b, 255]),
    );
    for (row, line) in text.lines().take(lines).enumerate() {
        for (column, c) in line.chars().take(cells).enumerate() {
            let Some(bits) = (c as u32).checked_sub(0x2800).filter(|b| *b <= 0xff) else {
                continue;
            };
            // Dots 1–3 down the left, 4–6 down the right, 7 and 8 below them.
            for (bit, (across, down)) in [
                (0, 0),
                (0, 1),
                (0, 2),
                (1, 0),
                (1, 1),
                (1, 2),
                (0, 3),
                (1, 3),
            ]
            .into_iter()
            .enumerate()
            {
                if bits & (1 << bit) == 0 {
                    continue;
                }
                let x = MARGIN_MM
                    + DOT_MM / 2.0
                    + column as f64 * CELL_PITCH_MM
                    + across as f64 * DOT_PITCH_MM;
                let y = MARGIN_MM
                    + DOT_MM / 2.0
                    + row as f64 * LINE_PITCH_MM
                    + down as f64 * DOT_PITCH_MM;
                dot(&mut image, px(x), px(y), px(DOT_MM / 2.0));
            }
        }
    }
    image
}

/// A filled dot centred at (`x`, `y`), its edge smoothed over one pixel.
fn dot(image: &mut RgbaImage, x: f64, y: f64, radius: f64) {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (x0, x1) = (
        (x - radius - 1.0).floor() as i64,
        (x + radius + 1.0).ceil() as i64,
    );
    let (y0, y1) = (
        (y - radius - 1.0).floor() as i64,
        (y + radius + 1.0).ceil() as i64,
    );
    for py in y0.max(0)..=y1.min(h - 1) {
        for px in x0.max(0)..=x1.min(w - 1) {
            let distance = ((px as f64 + 0.5 - x).powi(2) + (py as f64 + 0.5 - y).powi(2)).sqrt();
            let cover = (radius + 0.5 - distance).clamp(0.0, 1.0);
            if cover > 0.0 {
                let pixel = image.get_pixel_mut(px as u32, py as u32);
                for (channel, ink) in pixel.0.iter_mut().zip(DOT) {
                    *channel = (*channel as f64 * (1.0 - cover) + ink as f64 * cover).round() as u8;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the picture is inked at the centre of dot `n` (1–8) of the cell at (`column`, `row`).
    fn raised(image: &RgbaImage, column: usize, row: usize, n: usize) -> bool {
        let (across, down) = [
            (0, 0),
            (0, 1),
            (0, 2),
            (1, 0),
            (1, 1),
            (1, 2),
            (0, 3),
            (1, 3),
        ][n - 1];
        let x =
            MARGIN_MM + DOT_MM / 2.0 + column as f64 * CELL_PITCH_MM + across as f64 * DOT_PITCH_MM;
        let y = MARGIN_MM + DOT_MM / 2.0 + row as f64 * LINE_PITCH_MM + down as f64 * DOT_PITCH_MM;
        image
            .get_pixel((x * PX_PER_MM) as u32, (y * PX_PER_MM) as u32)
            .0[0]
            < 128
    }

    #[test]
    fn each_cell_shows_exactly_the_dots_of_its_code_point_and_the_page_has_its_full_size() {
        // ⠁ is dot 1, ⠽ dots 1 3 4 5 6 (y), ⠀ no dot; the second line's ⠿ all six.
        let image = page("⠁⠽⠀\n⠿", 40, 25);
        let raised_in = |column, row| {
            (1..=6)
                .filter(|&n| raised(&image, column, row, n))
                .collect::<Vec<_>>()
        };
        assert_eq!(raised_in(0, 0), [1]);
        assert_eq!(raised_in(1, 0), [1, 3, 4, 5, 6]);
        assert!(raised_in(2, 0).is_empty());
        assert_eq!(raised_in(0, 1), [1, 2, 3, 4, 5, 6]);
        // 40 cells 6 mm apart and 25 lines 10 mm apart, with 10 mm of paper around them:
        // 258 × 266.5 mm at 3.4 pixels a millimetre.
        assert_eq!(image.dimensions(), (878, 907));
        assert_eq!(
            page("", 40, 25),
            page("", 40, 25),
            "the same page, the same pixels"
        );
    }
}
