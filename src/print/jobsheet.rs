//! The job sheet: what a print team needs to know about a publication's press PDFs, as JSON
//! (`<publication>-print-spec.json`) and as a one-page text summary (`…-print-spec.txt`).
//!
//! Every figure is read from what was made (the PDF's boxes and colours, the page count),
//! not from what the configuration hoped for.

use serde::Serialize;

use super::imposed_edition::plan_for;
use super::press::{Colours, Rect, PT_PER_MM};
use super::PrintEdition;
use crate::content::Publication;
use crate::diag::long_date;
use crate::project::print::{Binding, Impose};
use crate::project::{PdfProfile, Project};

/// The job sheet of one publication.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct JobSheet {
    pub publication: String,
    pub title: String,
    pub product_code: String,
    pub version: String,
    pub date_reviewed: String,
    pub next_review: String,
    pub publisher: String,
    pub editions: Vec<EditionSpec>,
}

/// One press PDF.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct EditionSpec {
    pub edition: String,
    pub file: String,
    /// Who the file is for.
    #[serde(rename = "for")]
    pub for_: String,
    /// The finished (trimmed) page: width and height in mm.
    pub trim_mm: [f64; 2],
    /// Bleed beyond the trim, from the PDF's BleedBox (smallest side), in mm.
    pub bleed_mm: f64,
    /// The PDF page (MediaBox) in mm.
    pub pdf_page_mm: [f64; 2],
    pub pdf_pages: usize,
    /// Pages of the finished copy.
    pub finished_pages: usize,
    /// Sheets of paper per copy (a saddle-stitched sheet carries 4 pages).
    pub sheets_per_copy: usize,
    pub binding: Binding,
    /// Colours used: `CMYK`, `RGB`, `grey`, and spot colorants (`All` = registration).
    pub colours: Vec<String>,
    pub paper: String,
    pub fonts_embedded: bool,
    /// The standard the file meets, as read back from it: `PDF/X-4`, or what it is not.
    pub standard: String,
    /// The output intent: condition, profile description and the profile's MD5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_intent: Option<String>,
    /// What in the file is not CMYK (images, vector colour, grey, spot colours).
    pub not_cmyk: Vec<String>,
    /// For imposed files: how to print and finish them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imposition: Option<ImpositionSpec>,
}

/// How to print an imposed file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ImpositionSpec {
    pub from: String,
    pub sheet: String,
    pub duplex: String,
    /// Sheet sides in print order, `left|right`.
    pub page_order: String,
    /// Creep of each sheet from the outside in, mm.
    pub creep_mm: Vec<f64>,
}

/// The job sheet for the press editions in `made`, or `None` when there are none.
pub fn job_sheet(
    project: &Project,
    publication: &Publication,
    made: &[PrintEdition],
) -> Option<JobSheet> {
    let editions: Vec<EditionSpec> = made
        .iter()
        .filter(|m| project.editions[m.edition].pdf == PdfProfile::Press)
        .filter_map(|m| edition_spec(project, publication, m, made))
        .collect();
    if editions.is_empty() {
        return None;
    }
    let meta = &publication.meta;
    Some(JobSheet {
        publication: publication.folder_id().to_string(),
        title: meta.title.clone(),
        product_code: meta.product_code.clone(),
        version: meta.version.clone(),
        date_reviewed: long_date(meta.date_reviewed),
        next_review: long_date(meta.next_review),
        publisher: project.publisher.name.clone(),
        editions,
    })
}

/// The spec of the press edition `m`, read from its PDF's facts; `None` when it has no
/// facts or pages, or when it is imposed from an edition not in `made` or that cannot be
/// imposed.
fn edition_spec(
    project: &Project,
    publication: &Publication,
    m: &PrintEdition,
    made: &[PrintEdition],
) -> Option<EditionSpec> {
    let edition = &project.editions[m.edition];
    let facts = m.press?;
    let boxes = &facts.boxes;
    let first = boxes.first()?;
    let trim = first.trim.unwrap_or(first.media);
    let bleed = first.bleed.unwrap_or(trim);
    let marks_on_page = marks_on_page(first.media, bleed);
    let print = edition.print.clone().unwrap_or_default();
    let spec = EditionSpec {
        edition: m.edition.to_string(),
        file: crate::project::dist::edition_file_name(&publication.key(), m.edition, "pdf"),
        for_: "a commercial printer".into(),
        trim_mm: [mm(trim[2] - trim[0]), mm(trim[3] - trim[1])],
        bleed_mm: bleed_mm(trim, bleed),
        pdf_page_mm: [
            mm(first.media[2] - first.media[0]),
            mm(first.media[3] - first.media[1]),
        ],
        pdf_pages: boxes.len(),
        finished_pages: boxes.len(),
        sheets_per_copy: match print.binding {
            Binding::SaddleStitch => boxes.len().div_ceil(4),
            Binding::None => boxes.len().div_ceil(2),
        },
        binding: print.binding,
        colours: colour_names(&facts.colours, marks_on_page),
        paper: print.paper,
        fonts_embedded: facts.fonts_not_embedded.is_empty(),
        standard: standard(facts, &publication.id, m.edition),
        output_intent: facts.pdfx.intent().map(describe_intent),
        not_cmyk: facts
            .colours
            .not_cmyk
            .iter()
            .filter(|d| marks_on_page || !d.starts_with("spot All"))
            .cloned()
            .collect(),
        imposition: None,
    };
    match &edition.impose {
        Some(impose) => with_imposition(spec, project, publication, m, made, impose),
        None => Some(spec),
    }
}

/// `spec` of the imposed edition `m`, with the finished size, pages and sheets of its
/// saddle-stitch plan and how to print it; `None` when the edition it is imposed from is
/// not in `made` or cannot be imposed.
fn with_imposition(
    mut spec: EditionSpec,
    project: &Project,
    publication: &Publication,
    m: &PrintEdition,
    made: &[PrintEdition],
    impose: &Impose,
) -> Option<EditionSpec> {
    let source = made.iter().find(|s| s.edition == impose.from)?;
    let source_bleed = project.editions[&impose.from].bleed_mm();
    let folding = super::imposed_edition::Folding::of(publication, &project.editions[&impose.from]);
    let (plan, g) = plan_for(m.edition, impose, source.doc, source_bleed, folding).ok()?;
    spec.for_ = "an office duplex printer or a print room".into();
    spec.trim_mm = [g.trim_width_mm, g.trim_height_mm];
    spec.finished_pages = plan.pages;
    spec.sheets_per_copy = plan.sheets.len();
    let (sheet, duplex) = sheet_and_duplex(impose, spec.pdf_page_mm);
    spec.imposition = Some(ImpositionSpec {
        from: impose.from.clone(),
        sheet,
        duplex,
        page_order: plan.describe(),
        creep_mm: plan.sheets.iter().map(|s| s.creep_mm).collect(),
    });
    Some(spec)
}

/// The sheet an imposed file is printed on and how to print it, for its PDF page `page`
/// (width and height in mm).
fn sheet_and_duplex(impose: &Impose, page: [f64; 2]) -> (String, String) {
    // The PDF page is the sheet, unless the edition keeps bleed and marks around the
    // spread (then the page is larger and is trimmed after printing).
    let (sheet_w, sheet_h) = impose.sheet.mm();
    let on_sheet = (page[0] - sheet_w).abs() < 0.6 && (page[1] - sheet_h).abs() < 0.6;
    if on_sheet {
        (
            impose.sheet.describe().to_string(),
            "both sides, flip on short edge, actual size (no scaling)".to_string(),
        )
    } else {
        (
            format!(
                "{} spread, on a {} × {} mm PDF page with bleed and crop marks",
                impose.sheet.describe(),
                page[0],
                page[1]
            ),
            format!(
                "both sides, flip on short edge, actual size on paper of at least {} × {} mm, \
                 then trim to the crop marks",
                page[0], page[1]
            ),
        )
    }
}

/// A length in points, in mm to the tenth.
fn mm(pt: f64) -> f64 {
    (pt / PT_PER_MM * 10.0).round() / 10.0
}

/// The bleed of a page with boxes `trim` and `bleed`: its narrowest side, in mm.
fn bleed_mm(trim: Rect, bleed: Rect) -> f64 {
    mm((trim[0] - bleed[0])
        .min(trim[1] - bleed[1])
        .min(bleed[2] - trim[2])
        .min(bleed[3] - trim[3]))
}

/// Whether the page (`media`, around `bleed`) has room for crop marks.
fn marks_on_page(media: Rect, bleed: Rect) -> bool {
    // Crop marks stand in a slug outside the bleed (9 mm in the shipped layouts): a file with
    // no such slug (the plain imposed file, whose placed pages carry their marks clipped away)
    // prints no registration colour, whatever its placed pages name.
    let slug = (bleed[0] - media[0])
        .max(bleed[1] - media[1])
        .max(media[2] - bleed[2])
        .max(media[3] - bleed[3]);
    slug > 3.0 * PT_PER_MM
}

/// The colours a press PDF uses, as the job sheet names them; the registration colour
/// (`All`) only when `marks_on_page`.
fn colour_names(colours: &Colours, marks_on_page: bool) -> Vec<String> {
    let shown = |spot: &&String| marks_on_page || spot.as_str() != "All";
    let mut names = Vec::new();
    if colours.cmyk {
        names.push("CMYK".to_string());
    }
    if colours.rgb {
        names.push("RGB".to_string());
    }
    if colours.grey {
        names.push("grey".to_string());
    }
    names.extend(
        colours
            .spots
            .iter()
            .filter(shown)
            .map(|s| match s.as_str() {
                "All" => "spot All (registration: marks only)".to_string(),
                other => format!("spot {other}"),
            }),
    );
    names
}

impl JobSheet {
    /// The JSON file's text.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a job sheet serializes") + "\n"
    }

    /// The one-page plain-text summary.
    pub fn text(&self) -> String {
        let mut t = format!("PRINT SPECIFICATION\n{}\n", self.title);
        t += &format!(
            "Product code {}, version {}. Reviewed {}; next review {}.\nPublisher: {}\n",
            self.product_code, self.version, self.date_reviewed, self.next_review, self.publisher
        );
        for (i, e) in self.editions.iter().enumerate() {
            let size = |[w, h]: [f64; 2]| format!("{w} × {h} mm{}", paper_name(w, h));
            t += &format!("\n{}. {} (for {})\n", i + 1, e.file, e.for_);
            let mut row = |k: &str, v: String| t += &format!("   {k:<17}{v}\n");
            row("Finished size:", size(e.trim_mm));
            if let Some(imp) = &e.imposition {
                row("Sheet:", imp.sheet.clone());
                row(
                    "Pages:",
                    format!(
                        "{} finished pages on {} PDF pages (sheet sides)",
                        e.finished_pages, e.pdf_pages
                    ),
                );
                row("Sheets per copy:", e.sheets_per_copy.to_string());
                row("Print:", imp.duplex.clone());
                row("Page order:", imp.page_order.clone());
                let creep: Vec<String> = imp.creep_mm.iter().map(|c| format!("{c}")).collect();
                row(
                    "Creep (mm):",
                    format!("{} (sheet 1 = outside)", creep.join(", ")),
                );
                row(
                    "Finish:",
                    "keep the sheets in order, fold in half, staple twice along the fold".into(),
                );
            } else {
                row(
                    "Bleed:",
                    if e.bleed_mm > 0.0 {
                        format!("{} mm on every side (BleedBox)", e.bleed_mm)
                    } else {
                        "none".into()
                    },
                );
                row(
                    "PDF page:",
                    format!("{} (trim, bleed and crop marks)", size(e.pdf_page_mm)),
                );
                row(
                    "Pages:",
                    format!(
                        "{} ({} sheets per copy)",
                        e.finished_pages, e.sheets_per_copy
                    ),
                );
            }
            row("Binding:", e.binding.describe().into());
            row(
                "Colours:",
                if e.colours.is_empty() {
                    "none found".into()
                } else {
                    e.colours.join("; ")
                },
            );
            row(
                "Paper:",
                if e.paper.is_empty() {
                    "not given (add print.paper in folio.yaml)".into()
                } else {
                    e.paper.clone()
                },
            );
            row("PDF:", e.standard.clone());
            if let Some(intent) = &e.output_intent {
                row("Output intent:", intent.clone());
            }
            if !e.not_cmyk.is_empty() {
                row("Not CMYK:", e.not_cmyk.join("; "));
            }
            row(
                "Fonts:",
                if e.fonts_embedded {
                    "all embedded".into()
                } else {
                    "NOT all embedded: see folio check --print".into()
                },
            );
        }
        t
    }

    /// Its two files, by name (see [`crate::project::dist::job_sheet_names`]): JSON, then text.
    pub fn files(&self, key: &crate::project::PublicationKey) -> Vec<(String, Vec<u8>)> {
        let [json, text] = crate::project::dist::job_sheet_names(key);
        vec![
            (json, self.json().into_bytes()),
            (text, self.text().into_bytes()),
        ]
    }
}

/// `PDF/X-4` when the written file breaks none of the PDF/X-4 rules the preflight checks,
/// else what it is not and why.
fn standard(facts: &super::press::Facts, publication: &str, edition: &str) -> String {
    let mut broken: Vec<&str> = super::preflight::pdfx(facts, publication, edition)
        .iter()
        .map(|f| f.code.name())
        .collect();
    if !facts.fonts_not_embedded.is_empty() {
        broken.push("font-not-embedded");
    }
    if broken.is_empty() {
        super::pdfx::PDFX_VERSION.to_string()
    } else {
        format!(
            "NOT {} ({}): see folio check --print",
            super::pdfx::PDFX_VERSION,
            broken.join(", ")
        )
    }
}

/// `FOGRA39 (profile "…", MD5 …)`.
fn describe_intent(intent: &super::pdfx::Intent) -> String {
    let condition = intent.condition.as_deref().unwrap_or("(no condition)");
    let name = match &intent.profile {
        Some(Ok(header)) => header
            .description
            .clone()
            .unwrap_or_else(|| "unnamed profile".into()),
        Some(Err(_)) => "not an ICC profile".into(),
        None => "no profile".into(),
    };
    match &intent.profile_md5 {
        Some(md5) => format!("{condition} (profile \"{name}\", MD5 {md5})"),
        None => format!("{condition} ({name})"),
    }
}

/// ` (A5 portrait)` for standard sizes, else nothing.
fn paper_name(w: f64, h: f64) -> String {
    let sizes = [
        ("A3", 297.0, 420.0),
        ("A4", 210.0, 297.0),
        ("A5", 148.0, 210.0),
        ("A6", 105.0, 148.0),
        ("B5", 176.0, 250.0),
    ];
    for (name, a, b) in sizes {
        if (w - a).abs() < 0.6 && (h - b).abs() < 0.6 {
            return format!(" ({name} portrait)");
        }
        if (w - b).abs() < 0.6 && (h - a).abs() < 0.6 {
            return format!(" ({name} landscape)");
        }
    }
    String::new()
}
