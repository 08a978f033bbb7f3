//! A screen edition cut from a press edition's laid-out pages (`trimmed-from` in
//! folio.yaml), so that a booklet's text is laid out once for both.
//!
//! Typst keeps a page's bleed outside its frame: the frame is the trimmed page, and what
//! runs into the bleed (colour bands, crop marks) sits at negative positions or past the
//! frame's edges. Cutting a page to the trim is therefore setting its bleed to nothing;
//! the PDF's MediaBox is then the frame, and what lies outside it is never shown. Two more
//! things make a press page a screen page:
//! - press colours become screen colours by the layout's own table of colour tokens (the
//!   `<folio-palette>` metadata, layouts/README.md), not by colour management: each press
//!   CMYK value has one screen RGB value the layout chose;
//! - printer's marks go: they are the shapes drawn in the registration colour (the spot
//!   colour "all"), which nothing else uses.
//!
//! When a page holds a press colour the table lacks, or any other spot colour, there is
//! no safe screen copy and [`trim`] says so: the caller then lays out the edition itself.

use typst::foundations::Value;
use typst::layout::{Abs, Frame, FrameItem, Point, Sides, Size};
use typst::model::Document;
use typst::visualize::{Color, FixedStroke, Geometry, Paint, ProcessColor, SpotColorantName};
use typst_layout::PagedDocument;

/// The layout's press colours with their screen colours.
#[derive(Debug, Clone)]
pub struct Palette(Vec<(Color, Color)>);

impl Palette {
    /// The `<folio-palette>` table the layout placed, when it laid out in press colours.
    pub fn of(doc: &PagedDocument) -> Option<Palette> {
        let Some(Value::Array(pairs)) = crate::inspect::labelled_metadata(doc, "folio-palette")
        else {
            return None;
        };
        let colour = |pair: &Value, key: &str| match pair {
            Value::Dict(d) => match d.get(key).ok()? {
                Value::Color(c) => Some(c.clone()),
                _ => None,
            },
            _ => None,
        };
        pairs
            .iter()
            .map(|p| Some((colour(p, "press")?, colour(p, "screen")?)))
            .collect::<Option<Vec<_>>>()
            .map(Palette)
    }

    /// The screen colour of `colour`: a press colour by the table, any other process
    /// colour as it is. `None` for a press colour the table lacks or a spot colour.
    fn screen(&self, colour: &Color) -> Option<Color> {
        match colour {
            Color::Process(ProcessColor::Cmyk(_)) => self
                .0
                .iter()
                .find(|(press, _)| press == colour)
                .map(|(_, screen)| screen.clone()),
            Color::Process(_) => Some(colour.clone()),
            Color::Spot(_) => None,
        }
    }
}

/// `doc`'s pages cut to the trim, in screen colours, without printer's marks; `None` when
/// a page holds a colour `palette` cannot map (see the module's header).
pub fn trim(doc: &PagedDocument, palette: &Palette) -> Option<PagedDocument> {
    let mut pages = doc.pages().to_vec();
    for page in &mut pages {
        page.bleed = Sides::splat(Abs::zero());
        if let typst::foundations::Smart::Custom(Some(fill)) = &mut page.fill {
            *fill = screen_paint(fill, palette)?;
        }
        let trim = page.frame.size();
        to_screen(&mut page.frame, palette, Some(Point::zero()), trim)?;
    }
    Some(PagedDocument::new(pages.into(), doc.info().clone()))
}

/// Maps every colour in `frame` to the screen, drops printer's marks and cuts filled
/// rectangles to the trim (`trim`, the page's size). `at` is where the frame's origin lies
/// on the page, when only moves lead there (a rotated or scaled group is left uncut).
///
/// Rectangles are cut, not left to the MediaBox, because a rasteriser paints the sliver of
/// a pixel past the page's edge: a colour band run into the bleed would tint the last
/// column of pixels that the same band laid out at screen size leaves white.
fn to_screen(frame: &mut Frame, palette: &Palette, at: Option<Point>, trim: Size) -> Option<()> {
    let items: Vec<(Point, FrameItem)> = frame.items().cloned().collect();
    frame.clear();
    for (pos, mut item) in items {
        let here = at.map(|at| at + pos);
        let mut pos = pos;
        match &mut item {
            FrameItem::Group(group) => {
                let inner = here
                    .filter(|_| group.transform.is_only_translate())
                    .map(|h| h + Point::new(group.transform.tx, group.transform.ty));
                to_screen(&mut group.frame, palette, inner, trim)?;
            }
            FrameItem::Text(text) => {
                text.fill = screen_paint(&text.fill, palette)?;
                screen_stroke(&mut text.stroke, palette)?;
            }
            FrameItem::Shape(shape, _) => {
                if is_mark(shape.fill.as_ref()) || is_mark(shape.stroke.as_ref().map(|s| &s.paint))
                {
                    continue;
                }
                if let Some(fill) = &mut shape.fill {
                    *fill = screen_paint(fill, palette)?;
                }
                screen_stroke(&mut shape.stroke, palette)?;
                if let (Some(here), Geometry::Rect(size), None) =
                    (here, &mut shape.geometry, &shape.stroke)
                {
                    let (x0, y0) = (here.x.max(Abs::zero()), here.y.max(Abs::zero()));
                    let x1 = (here.x + size.x).min(trim.x);
                    let y1 = (here.y + size.y).min(trim.y);
                    if x1 <= x0 || y1 <= y0 {
                        continue;
                    }
                    pos += Point::new(x0 - here.x, y0 - here.y);
                    *size = Size::new(x1 - x0, y1 - y0);
                }
            }
            FrameItem::Image(..) | FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
        frame.push(pos, item);
    }
    Some(())
}

fn screen_stroke(stroke: &mut Option<FixedStroke>, palette: &Palette) -> Option<()> {
    if let Some(stroke) = stroke {
        stroke.paint = screen_paint(&stroke.paint, palette)?;
    }
    Some(())
}

/// A solid paint in screen colour; gradients and tilings are left to a layout of its own.
fn screen_paint(paint: &Paint, palette: &Palette) -> Option<Paint> {
    match paint {
        Paint::Solid(colour) => palette.screen(colour).map(Paint::Solid),
        Paint::Gradient(_) | Paint::Tiling(_) => None,
    }
}

/// Whether a paint is the registration colour, which only printer's marks use.
fn is_mark(paint: Option<&Paint>) -> bool {
    matches!(
        paint,
        Some(Paint::Solid(Color::Spot(spot))) if spot.colorant.name == Some(SpotColorantName::All)
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use typst::foundations::{Content, Smart};
    use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point, Ratio, Sides, Size};
    use typst::model::DocumentInfo;
    use typst::syntax::Span;
    use typst::visualize::{
        Cmyk, Color, FixedStroke, Geometry, Paint, ProcessColor, Rgb, Shape, SpotColor,
        SpotColorant, SpotColorantName,
    };
    use typst_layout::{Page, PagedDocument};

    use super::{trim, Palette};

    fn cmyk(c: f32, m: f32, y: f32, k: f32) -> Color {
        Color::Process(ProcessColor::Cmyk(Cmyk { c, m, y, k }))
    }

    fn rgb(r: f32, g: f32, b: f32) -> Color {
        Color::Process(ProcessColor::Rgb(Rgb::new(r, g, b, 1.0)))
    }

    fn teal() -> (Color, Color) {
        (cmyk(0.95, 0.4, 0.38, 0.22), rgb(0.04, 0.35, 0.4))
    }

    fn rect(w: f64, h: f64, fill: Color) -> FrameItem {
        FrameItem::Shape(
            Shape {
                geometry: Geometry::Rect(Size::new(Abs::pt(w), Abs::pt(h))),
                fill: Some(Paint::Solid(fill)),
                fill_rule: Default::default(),
                stroke: None,
            },
            Span::detached(),
        )
    }

    fn registration_line() -> FrameItem {
        let all = Color::Spot(SpotColor::new(
            Arc::new(SpotColorant {
                name: Some(SpotColorantName::All),
                fallback: ProcessColor::Cmyk(Cmyk {
                    c: 1.0,
                    m: 1.0,
                    y: 1.0,
                    k: 1.0,
                }),
            }),
            Ratio::one(),
        ));
        FrameItem::Shape(
            Shape {
                geometry: Geometry::Line(Point::new(Abs::pt(-20.0), Abs::zero())),
                fill: None,
                fill_rule: Default::default(),
                stroke: Some(FixedStroke {
                    paint: Paint::Solid(all),
                    ..FixedStroke::default()
                }),
            },
            Span::detached(),
        )
    }

    /// A 100 × 200 pt page with 10 pt of bleed, whose background (a group at the bleed's
    /// corner, as Typst places it) holds `items` at the given points.
    fn press_page(items: Vec<(Point, FrameItem)>) -> PagedDocument {
        let mut background = Frame::soft(Size::new(Abs::pt(120.0), Abs::pt(220.0)));
        for (at, item) in items {
            background.push(at, item);
        }
        let mut frame = Frame::hard(Size::new(Abs::pt(100.0), Abs::pt(200.0)));
        frame.push(
            Point::new(Abs::pt(-10.0), Abs::pt(-10.0)),
            FrameItem::Group(GroupItem::new(background)),
        );
        let page = Page {
            frame,
            bleed: Sides::splat(Abs::pt(10.0)),
            fill: Smart::Auto,
            numbering: None,
            supplement: Content::empty(),
            number: 1,
        };
        PagedDocument::new(vec![page].into(), DocumentInfo::default())
    }

    /// The shapes of the trimmed page's background: (where on the page, size, fill).
    fn shapes(doc: &PagedDocument) -> Vec<(Point, Option<Size>, Option<Paint>)> {
        let page = &doc.pages()[0];
        let (origin, FrameItem::Group(group)) = page.frame.items().next().unwrap() else {
            panic!("a background group")
        };
        group
            .frame
            .items()
            .map(|(at, item)| match item {
                FrameItem::Shape(shape, _) => (
                    *origin + *at,
                    match shape.geometry {
                        Geometry::Rect(size) => Some(size),
                        _ => None,
                    },
                    shape.fill.clone(),
                ),
                _ => panic!("only shapes"),
            })
            .collect()
    }

    #[test]
    fn a_band_run_into_the_bleed_is_cut_to_the_trim_in_its_screen_colour() {
        let (press, screen) = teal();
        // From the bleed's corner: 120 wide (the bleed both sides), 60 tall.
        let doc = press_page(vec![(Point::zero(), rect(120.0, 60.0, press.clone()))]);
        let palette = Palette(vec![teal()]);
        let trimmed = trim(&doc, &palette).expect("every colour maps");
        assert!(trimmed.pages()[0].bleed.is_zero());
        assert_eq!(
            shapes(&trimmed),
            [(
                Point::zero(),
                Some(Size::new(Abs::pt(100.0), Abs::pt(50.0))),
                Some(Paint::Solid(screen))
            )]
        );
        // The press pages are left as they were.
        assert!(!doc.pages()[0].bleed.is_zero());
    }

    #[test]
    fn printers_marks_and_shapes_wholly_in_the_bleed_are_dropped() {
        let (press, _) = teal();
        let doc = press_page(vec![
            (Point::new(Abs::pt(5.0), Abs::pt(10.0)), registration_line()),
            // A strip in the left bleed only.
            (Point::zero(), rect(8.0, 220.0, press)),
        ]);
        let trimmed = trim(&doc, &Palette(vec![teal()])).unwrap();
        assert!(shapes(&trimmed).is_empty());
    }

    #[test]
    fn a_press_colour_the_palette_lacks_leaves_no_trimmed_copy() {
        let doc = press_page(vec![(
            Point::new(Abs::pt(20.0), Abs::pt(20.0)),
            rect(10.0, 10.0, cmyk(0.0, 0.0, 1.0, 0.0)),
        )]);
        assert!(trim(&doc, &Palette(vec![teal()])).is_none());
    }

    #[test]
    fn screen_colours_already_in_rgb_or_grey_are_kept() {
        let black = Color::BLACK;
        let doc = press_page(vec![(
            Point::new(Abs::pt(20.0), Abs::pt(20.0)),
            rect(10.0, 10.0, black.clone()),
        )]);
        let trimmed = trim(&doc, &Palette(vec![teal()])).unwrap();
        assert_eq!(shapes(&trimmed)[0].2, Some(Paint::Solid(black)));
    }
}
