//! The PDF/X-4 rules of ISO 15930-7:2010, read back from a written press PDF
//! ([`press::Facts`]): one finding per rule broken, in the order of the codes in
//! [`super::CODES`].

use crate::finding::{Code, Finding};
use crate::print::pdfx::Conformance;
use crate::print::press;

/// What most PDF/X rules say when broken: folio writes these parts of the file itself.
const BUG: &str = "folio writes this itself: a bug in folio; please report it with the publication";

/// A rule broken: its code, what is wrong, and what to do.
type Broken = (Code, String, &'static str);

/// The PDF/X-4 rules (ISO 15930-7:2010) a written press PDF breaks, one finding per rule;
/// none means the file is PDF/X-4 as far as folio checks (fonts: `font-not-embedded`).
pub fn pdfx(facts: &press::Facts, publication: &str, name: &str) -> Vec<Finding> {
    let x = &facts.pdfx;
    file_rules(x)
        .into_iter()
        .chain(output_intent(x))
        .chain(declaration_rules(x))
        .chain(page_boxes(facts))
        .chain(content_rules(facts))
        .map(|(code, message, hint)| Finding::new(code, publication, message, hint).on(name, None))
        .collect()
}

/// The file itself: a PDF 1.6 header at most, a file identifier, no encryption.
fn file_rules(x: &Conformance) -> Vec<Broken> {
    let mut out = Vec::new();
    let version_ok = matches!(
        x.version.as_str(),
        "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6"
    );
    if !version_ok {
        out.push((
            Code::PdfxFileHeader,
            format!(
                "the PDF header says version {}; PDF/X-4 is PDF 1.6 at most",
                x.version
            ),
            BUG,
        ));
    }
    if !x.has_id {
        out.push((
            Code::PdfxFileIdentifier,
            "the trailer has no file identifier (`ID`), which PDF/X-4 requires".into(),
            BUG,
        ));
    }
    if x.encrypted {
        out.push((
            Code::PdfxEncryption,
            "the PDF is encrypted, which PDF/X-4 forbids".into(),
            BUG,
        ));
    }
    out
}

/// Exactly one GTS_PDFX output intent, with its identifiers and an embedded CMYK output
/// profile.
fn output_intent(x: &Conformance) -> Option<Broken> {
    let hint = "folio embeds FOGRA39 unless `print.output-intent` in folio.yaml names the printer's profile: check that setting";
    let intent = match x.intents.as_slice() {
        [] => return Some((Code::PdfxOutputIntent,
            "the PDF has no GTS_PDFX output intent: a printer cannot tell which printing condition its CMYK is for".into(), hint)),
        [intent] => intent,
        many => return Some((Code::PdfxOutputIntent,
            format!("the PDF has {} GTS_PDFX output intents; PDF/X-4 allows one", many.len()), BUG)),
    };
    let mut wrong = Vec::new();
    if intent.condition.as_deref().is_none_or(str::is_empty) {
        wrong.push("no OutputConditionIdentifier".to_string());
    }
    if intent.registry.as_deref().is_none_or(str::is_empty) {
        wrong.push("no RegistryName".to_string());
    }
    if intent.info.as_deref().is_none_or(str::is_empty) {
        wrong.push("no Info".to_string());
    }
    match &intent.profile {
        None => wrong.push("no embedded profile (DestOutputProfile)".to_string()),
        Some(Err(why)) => wrong.push(format!("its profile is not an ICC profile: {why}")),
        Some(Ok(h)) if !h.is_cmyk_output() => wrong.push(format!(
            "its profile is of class `{}` for `{}`, not an output profile (`prtr`) for `CMYK`",
            h.class.trim(),
            h.space.trim()
        )),
        Some(Ok(_)) => {}
    }
    (!wrong.is_empty()).then(|| {
        (
            Code::PdfxOutputIntent,
            format!("the output intent has {}", wrong.join("; ")),
            hint,
        )
    })
}

/// What the file declares: PDF/X-4 in its XMP, a Trapped key, and the information
/// dictionary agreeing with the XMP packet.
fn declaration_rules(x: &Conformance) -> Vec<Broken> {
    let mut out = Vec::new();
    let version = match x.xmp_version.as_deref() {
        Some(v) if v == crate::print::pdfx::PDFX_VERSION => None,
        Some(other) => Some(format!("its XMP says GTS_PDFXVersion `{other}`")),
        None => Some("its XMP has no pdfxid:GTS_PDFXVersion".to_string()),
    };
    if let Some(why) = version {
        out.push((
            Code::PdfxIdentification,
            format!("the PDF does not identify itself as PDF/X-4: {why}"),
            BUG,
        ));
    }
    if !matches!(x.trapped.as_deref(), Some("True" | "False")) {
        let what = x
            .trapped
            .as_deref()
            .map_or("no Trapped".into(), |t| format!("Trapped `{t}`"));
        out.push((
            Code::PdfxTrapped,
            format!("the document information dictionary has {what}; PDF/X-4 needs True or False"),
            BUG,
        ));
    }
    if !x.metadata_disagree.is_empty() {
        out.push((
            Code::PdfxMetadata,
            format!(
                "the document information dictionary and the XMP packet disagree on: {}",
                x.metadata_disagree.join(", ")
            ),
            BUG,
        ));
    }
    out
}

/// MediaBox ⊇ BleedBox ⊇ TrimBox on every page: one finding for the first page that breaks
/// it, with how many more do.
fn page_boxes(facts: &press::Facts) -> Option<Broken> {
    let inside = |inner: press::Rect, outer: press::Rect| {
        let e = 0.01;
        inner[0] >= outer[0] - e
            && inner[1] >= outer[1] - e
            && inner[2] <= outer[2] + e
            && inner[3] <= outer[3] + e
    };
    let bad_boxes: Vec<String> = facts
        .boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let page = i + 1;
            match (b.trim, b.bleed) {
                (_, None) => Some(format!("page {page} has no BleedBox")),
                (_, Some(bleed)) if !inside(bleed, b.media) => {
                    Some(format!("page {page}: BleedBox outside the MediaBox"))
                }
                (Some(trim), Some(bleed)) if !inside(trim, bleed) => {
                    Some(format!("page {page}: TrimBox outside the BleedBox"))
                }
                _ => None,
            }
        })
        .collect();
    let first = bad_boxes.first()?;
    let more = match bad_boxes.len() {
        1 => String::new(),
        n => format!(" (and {} more page(s))", n - 1),
    };
    Some((Code::PdfxPageBoxes, format!("{first}{more}"),
        "PDF/X needs MediaBox ⊇ BleedBox ⊇ TrimBox on every page; folio writes the BleedBox from `print.bleed-mm`"))
}

/// What the pages hold: no unmanaged RGB, no annotations, no forms, no actions or
/// JavaScript.
fn content_rules(facts: &press::Facts) -> Vec<Broken> {
    let x = &facts.pdfx;
    let mut out = Vec::new();
    if facts.colours.device_rgb {
        out.push((Code::PdfxColourSpace,
            "the PDF uses RGB with no ICC profile (DeviceRGB), which PDF/X-4 forbids under a CMYK output intent".into(),
            "give colours in CMYK in the layout (`colour: cmyk`); RGB images keep their profile when they have one"));
    }
    if let Some((page, subtype)) = x.annotations.first() {
        out.push((Code::PdfxAnnotations,
            format!("{} annotation(s) left in the press PDF (first: {subtype} on page {page}); PDF/X forbids them inside the BleedBox", x.annotations.len()),
            "folio drops links and annotations from press PDFs: a bug in folio; please report it"));
    }
    let (forms, actions): (Vec<&String>, Vec<&String>) =
        x.interactive.iter().partition(|i| *i == "AcroForm");
    if !forms.is_empty() {
        out.push((
            Code::PdfxForms,
            "the press PDF has an interactive form (AcroForm), which PDF/X forbids".into(),
            BUG,
        ));
    }
    if !actions.is_empty() {
        let names: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        out.push((
            Code::PdfxActions,
            format!(
                "the press PDF has {}: PDF/X forbids actions and JavaScript",
                names.join(", ")
            ),
            BUG,
        ));
    }
    out
}
