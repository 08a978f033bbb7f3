//! What a written press PDF says about its PDF/X-4 conformance, read from the parsed file.

use lopdf::{Dictionary, Document, Object};

use super::profile::embedded_profile;
use super::text::{decode_text, info_text};
use super::xmp::{xmp_date, xmp_field};
use super::INTERACTIVE;
use crate::project::icc;

/// One `GTS_PDFX` output intent, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    pub condition: Option<String>,
    pub registry: Option<String>,
    pub info: Option<String>,
    /// The embedded profile's header, or why it is not a profile (`None`: no profile).
    pub profile: Option<Result<icc::Header, String>>,
    /// MD5 of the embedded profile, in hex.
    pub profile_md5: Option<String>,
}

/// What a press PDF says about its PDF/X-4 conformance, read from the parsed file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conformance {
    /// The header's version, e.g. `1.6`.
    pub version: String,
    /// Whether the trailer has an `/ID`.
    pub has_id: bool,
    pub encrypted: bool,
    /// Every output intent of subtype `GTS_PDFX`.
    pub intents: Vec<Intent>,
    /// `pdfxid:GTS_PDFXVersion` of the XMP packet (`None`: no packet or no such field).
    pub xmp_version: Option<String>,
    /// `Trapped` of `Info`, as a name.
    pub trapped: Option<String>,
    /// Where `Info` and the XMP packet disagree (title, dates, producer, trapped).
    pub metadata_disagree: Vec<String>,
    /// Annotations left on pages: (page, subtype).
    pub annotations: Vec<(usize, String)>,
    /// Interactive entries: forms, actions, JavaScript, by name.
    pub interactive: Vec<String>,
}

impl Conformance {
    /// Reads the conformance facts of a parsed PDF.
    pub fn of(doc: &Document) -> Conformance {
        let catalog = doc.catalog().ok();
        let info = doc
            .trailer
            .get(b"Info")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let xmp = catalog
            .and_then(|c| c.get(b"Metadata").ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_stream().ok())
            .map(|s| {
                let bytes = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                String::from_utf8_lossy(&bytes).into_owned()
            });
        let mut annotations = Vec::new();
        for (number, id) in doc.get_pages() {
            if let Ok(annots) = doc.get_page_annotations(id) {
                for annot in annots {
                    let subtype = annot
                        .get(b"Subtype")
                        .and_then(Object::as_name)
                        .map_or("?".into(), |n| String::from_utf8_lossy(n).into_owned());
                    annotations.push((number as usize, subtype));
                }
            }
        }
        let mut interactive = Vec::new();
        if let Some(catalog) = catalog {
            for key in INTERACTIVE {
                if catalog.has(key) {
                    interactive.push(String::from_utf8_lossy(key).into_owned());
                }
            }
            let names = catalog
                .get(b"Names")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            if names.is_some_and(|n| n.has(b"JavaScript")) {
                interactive.push("JavaScript".into());
            }
        }
        if doc.objects.values().any(|o| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"S")
                    .and_then(Object::as_name)
                    .is_ok_and(|s| s == b"JavaScript")
            })
        }) && !interactive.iter().any(|i| i == "JavaScript")
        {
            interactive.push("JavaScript".into());
        }
        let info_name = |key: &[u8]| {
            info.and_then(|i| i.get(key).ok())
                .and_then(|o| o.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
        };
        let trapped = info_name(b"Trapped");
        let mut metadata_disagree = Vec::new();
        if let (Some(info), Some(xmp)) = (info, &xmp) {
            let pairs: [(&str, &[u8], &str, bool); 4] = [
                ("title", b"Title", "dc:title", false),
                ("creation date", b"CreationDate", "xmp:CreateDate", true),
                ("modification date", b"ModDate", "xmp:ModifyDate", true),
                ("producer", b"Producer", "pdf:Producer", false),
            ];
            for (what, key, tag, date) in pairs {
                let ours =
                    info_text(info, key).map(|v| if date { xmp_date(&v).unwrap_or(v) } else { v });
                if ours != xmp_field(xmp, tag) {
                    metadata_disagree.push(what.to_string());
                }
            }
            if trapped.as_deref() != xmp_field(xmp, "pdf:Trapped").as_deref() {
                metadata_disagree.push("trapped".into());
            }
        }
        Conformance {
            version: doc.version.clone(),
            has_id: doc.trailer.get(b"ID").and_then(Object::as_array).is_ok(),
            encrypted: doc.trailer.has(b"Encrypt"),
            intents: intents(doc, catalog),
            xmp_version: xmp
                .as_deref()
                .and_then(|x| xmp_field(x, "pdfxid:GTS_PDFXVersion")),
            trapped,
            metadata_disagree,
            annotations,
            interactive,
        }
    }

    /// The one `GTS_PDFX` intent, when there is exactly one.
    pub fn intent(&self) -> Option<&Intent> {
        match self.intents.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

fn intents(doc: &Document, catalog: Option<&Dictionary>) -> Vec<Intent> {
    let Some(array) = catalog
        .and_then(|c| c.get(b"OutputIntents").ok())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_array().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in array {
        let Some(dict) = doc
            .dereference(item)
            .ok()
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        if dict.get(b"S").and_then(Object::as_name).ok() != Some(b"GTS_PDFX".as_slice()) {
            continue;
        }
        let string = |key: &[u8]| {
            dict.get(key)
                .ok()
                .and_then(|o| o.as_str().ok())
                .map(decode_text)
        };
        let profile = dict
            .get(b"DestOutputProfile")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_stream().ok())
            .map(embedded_profile);
        out.push(Intent {
            condition: string(b"OutputConditionIdentifier"),
            registry: string(b"RegistryName"),
            info: string(b"Info"),
            profile_md5: profile.as_ref().map(|(_, md5)| md5.clone()),
            profile: profile.map(|(header, _)| header),
        });
    }
    out
}
