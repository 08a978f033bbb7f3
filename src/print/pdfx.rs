//! PDF/X-4 (ISO 15930-7:2010) for press PDFs: what [`press::finish`](super::press::finish)
//! adds to Typst's PDF ([`make`]), and what the preflight reads back of it ([`Conformance`]).
//!
//! Typst 0.15 writes no PDF/X. Its press PDF (untagged, CMYK, embedded fonts) is made one
//! by: a PDF 1.6 header; an `/OutputIntents` entry of subtype `GTS_PDFX` with the output
//! profile embedded; `GTS_PDFXVersion` and `Trapped` in the document information dictionary;
//! Typst's XMP packet with `pdfxid:GTS_PDFXVersion`, `pdf:Trapped` and the other PDF/X
//! fields added and the fields the dictionary also has (title, dates, producer) set from it,
//! so that the two agree; and no annotations, forms, actions or JavaScript: links mean
//! nothing on paper, and PDF/X forbids annotations inside the BleedBox.

use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use md5::{Digest, Md5};

use crate::diag::Problem;
use crate::project::icc;
use crate::project::print::{
    OutputIntent, FOGRA39_PROFILE, FOGRA39_PROFILE_DEFLATED, FOGRA39_PROFILE_MD5,
};

/// The version string PDF/X-4 files carry in their XMP (and, by custom, in `Info`).
pub const PDFX_VERSION: &str = "PDF/X-4";
/// The PDF version PDF/X-4 is based on.
pub const PDF_VERSION: &str = "1.6";

/// Catalog entries that make a PDF interactive: none belongs in a file for a press.
const INTERACTIVE: [&[u8]; 3] = [b"AcroForm", b"OpenAction", b"AA"];

fn fail(what: &'static str) -> impl Fn(lopdf::Error) -> Problem {
    move |e| Problem::error(format!("press PDF: {what}: {e}"))
}

/// Makes `doc` a PDF/X-4 file for `intent` (see the module docs).
pub fn make(doc: &mut Document, intent: &OutputIntent) -> Result<(), Problem> {
    doc.version = PDF_VERSION.into();
    for id in doc.get_pages().into_values() {
        let page = doc.get_dictionary_mut(id).map_err(fail("a page"))?;
        page.remove(b"Annots");
        page.remove(b"AA");
    }
    let profile = doc.add_object(profile_stream(&intent.profile));
    let output_intent = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFX",
        "OutputConditionIdentifier" => text(&intent.condition),
        "OutputCondition" => text(&intent.condition),
        "RegistryName" => text(&intent.registry),
        "Info" => text(&intent.info),
        "DestOutputProfile" => profile,
    };
    let output_intent = doc.add_object(output_intent);
    let info_id = info_dictionary(doc)?;
    let info = doc.get_dictionary_mut(info_id).map_err(fail("Info"))?;
    info.set("GTS_PDFXVersion", text(PDFX_VERSION));
    info.set("Trapped", Object::Name(b"False".to_vec()));
    let info = info.clone();
    let id = document_id(doc);
    let typst_xmp = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_stream().ok())
        .and_then(|s| s.decompressed_content().ok().or(Some(s.content.clone())))
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let xmp = xmp(typst_xmp.as_deref(), &info, &id);
    let mut metadata = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.into_bytes(),
    );
    metadata.allows_compression = false;
    let metadata = doc.add_object(metadata);
    let catalog = doc.catalog_mut().map_err(fail("the catalog"))?;
    for key in INTERACTIVE {
        catalog.remove(key);
    }
    if let Ok(Object::Dictionary(names)) = catalog.get_mut(b"Names") {
        names.remove(b"JavaScript");
    }
    catalog.set("OutputIntents", Object::Array(vec![output_intent.into()]));
    catalog.set("Metadata", metadata);
    // What only the dropped links and the old metadata used goes too.
    doc.prune_objects();
    Ok(())
}

fn text(s: &str) -> Object {
    Object::String(encode_text(s), StringFormat::Literal)
}

/// A PDF text string: PDFDocEncoding for ASCII, else UTF-16BE with a byte order mark.
fn encode_text(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xfe, 0xff];
    out.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

/// A PDF text string as Rust text (UTF-16BE with a byte order mark, else one byte a char).
pub fn decode_text(bytes: &[u8]) -> String {
    match bytes {
        [0xfe, 0xff, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// The profile as a compressed ICC stream. folio's own profile is embedded as the zlib stream
/// committed beside it ([`FOGRA39_PROFILE_DEFLATED`]); a printer's profile is compressed once
/// per process (a quarter-megabyte profile would otherwise cost a compression per press PDF).
fn profile_stream(profile: &Arc<[u8]>) -> Stream {
    let icc = |compressed: Vec<u8>| {
        Stream::new(
            dictionary! { "N" => 4, "Filter" => "FlateDecode" },
            compressed,
        )
    };
    if **profile == *FOGRA39_PROFILE {
        return icc(FOGRA39_PROFILE_DEFLATED.to_vec());
    }
    static COMPRESSED: OnceLock<Mutex<Vec<(Arc<[u8]>, Stream)>>> = OnceLock::new();
    let mut cache = COMPRESSED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, stream)) = cache.iter().find(|(p, _)| p == profile) {
        return stream.clone();
    }
    use std::io::Write;
    // The fast level: lopdf's own `compress` uses the best, which costs tens of milliseconds
    // for a profile.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let stream = match z.write_all(profile).and_then(|()| z.finish()) {
        Ok(compressed) => icc(compressed),
        // Uncompressed is valid too.
        Err(_) => Stream::new(dictionary! { "N" => 4 }, profile.to_vec()),
    };
    cache.push((profile.clone(), stream.clone()));
    stream
}

/// The document information dictionary's id, made when the PDF has none.
fn info_dictionary(doc: &mut Document) -> Result<ObjectId, Problem> {
    if let Ok(id) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        if doc.get_dictionary(id).is_ok() {
            return Ok(id);
        }
    }
    let id = doc.add_object(Dictionary::new());
    doc.trailer.set("Info", id);
    Ok(id)
}

/// The first part of the trailer's `/ID`, in hex; made from the content when missing.
fn document_id(doc: &mut Document) -> String {
    let first = doc
        .trailer
        .get(b"ID")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| o.as_str().ok())
        .map(<[u8]>::to_vec);
    let bytes = first.unwrap_or_else(|| {
        let mut hash = Md5::new();
        for (id, object) in &doc.objects {
            hash.update(format!("{id:?}{object:?}"));
        }
        let id = hash.finalize().to_vec();
        let part = Object::String(id.clone(), StringFormat::Hexadecimal);
        doc.trailer
            .set("ID", Object::Array(vec![part.clone(), part]));
        id
    });
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn info_text(info: &Dictionary, key: &[u8]) -> Option<String> {
    info.get(key)
        .ok()
        .and_then(|o| o.as_str().ok())
        .map(decode_text)
}

/// A PDF date (`D:YYYYMMDDHHmmSS` with `Z` or `+HH'mm'`) as an XMP date, e.g.
/// `2026-05-01T09:30:00Z`; `None` when it is not one.
pub fn xmp_date(pdf: &str) -> Option<String> {
    let d = pdf.strip_prefix("D:").unwrap_or(pdf);
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let part = |at: usize, default: &str| digits.get(at..at + 2).unwrap_or(default).to_string();
    let mut out = format!(
        "{}-{}-{}T{}:{}:{}",
        &digits[..4],
        part(4, "01"),
        part(6, "01"),
        part(8, "00"),
        part(10, "00"),
        part(12, "00")
    );
    let zone: String = d[digits.len()..].chars().filter(|c| *c != '\'').collect();
    match zone.as_bytes() {
        [] | [b'Z', ..] => out.push('Z'),
        [sign @ (b'+' | b'-'), rest @ ..] if rest.len() >= 4 => {
            let rest = std::str::from_utf8(rest).ok()?;
            out += &format!("{}{}:{}", *sign as char, &rest[..2], &rest[2..4]);
        }
        _ => return None,
    }
    Some(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XMP packet of a PDF/X-4 file: Typst's own packet (which carries the description,
/// keywords, authors and language) when there is one, with the PDF/X identification added
/// and every field the `Info` dictionary also has set from it, so that the two agree.
fn xmp(typst: Option<&str>, info: &Dictionary, id: &str) -> String {
    let mut packet = match typst {
        Some(p) if p.contains("</rdf:Description>") && p.contains("<rdf:Description ") => {
            p.to_string()
        }
        _ => empty_packet(),
    };
    if !packet.contains("xmlns:pdfxid=") {
        packet = packet.replacen(
            "<rdf:Description ",
            "<rdf:Description xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" ",
            1,
        );
    }
    for (prefix, uri) in [
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("xmp", "http://ns.adobe.com/xap/1.0/"),
        ("pdf", "http://ns.adobe.com/pdf/1.3/"),
        ("xmpMM", "http://ns.adobe.com/xap/1.0/mm/"),
    ] {
        if !packet.contains(&format!("xmlns:{prefix}=")) {
            packet = packet.replacen(
                "<rdf:Description ",
                &format!("<rdf:Description xmlns:{prefix}=\"{uri}\" "),
                1,
            );
        }
    }
    if let Some(title) = info_text(info, b"Title") {
        let alt = format!(
            "<rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt>",
            escape(&title)
        );
        set_field(&mut packet, "dc:title", &alt);
    }
    let dates = [
        (b"CreationDate".as_slice(), "xmp:CreateDate"),
        (b"ModDate", "xmp:ModifyDate"),
    ];
    for (key, tag) in dates {
        if let Some(date) = info_text(info, key).and_then(|d| xmp_date(&d)) {
            set_field(&mut packet, tag, &date);
        }
    }
    if let Some(producer) = info_text(info, b"Producer") {
        set_field(&mut packet, "pdf:Producer", &escape(&producer));
    }
    if !packet.contains("<xmpMM:DocumentID>") {
        set_field(
            &mut packet,
            "xmpMM:DocumentID",
            &format!("uuid:{}", uuid_like(id)),
        );
    }
    if !packet.contains("<xmpMM:InstanceID>") {
        set_field(
            &mut packet,
            "xmpMM:InstanceID",
            &format!("uuid:{}", uuid_like(id)),
        );
    }
    set_field(&mut packet, "xmpMM:VersionID", "1");
    set_field(&mut packet, "xmpMM:RenditionClass", "default");
    set_field(&mut packet, "pdf:PDFVersion", PDF_VERSION);
    set_field(&mut packet, "pdf:Trapped", "False");
    set_field(&mut packet, "pdfxid:GTS_PDFXVersion", PDFX_VERSION);
    packet
}

/// Sets the content of the first `<tag>…</tag>`, or adds the element at the end of the first
/// `rdf:Description`. `content` is XML already.
fn set_field(packet: &mut String, tag: &str, content: &str) {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    if let Some(start) = packet.find(&open) {
        if let Some(len) = packet[start..].find(&close) {
            packet.replace_range(start + open.len()..start + len, content);
            return;
        }
    }
    if let Some(end) = packet.find("</rdf:Description>") {
        packet.insert_str(end, &format!("{open}{content}{close}"));
    }
}

fn empty_packet() -> String {
    "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
     <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
     <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
     <rdf:Description rdf:about=\"\" >\
     <dc:format>application/pdf</dc:format>\
     </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>"
        .to_string()
}

/// 32 hex digits as a UUID's 8-4-4-4-12 groups (shorter input is padded with zeros).
fn uuid_like(hex: &str) -> String {
    let hex = format!("{hex:0<32}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The text of the first `<tag>…</tag>` in an XMP packet (for `dc:title`, its first `rdf:li`).
pub fn xmp_field(xmp: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xmp.find(&open)? + open.len();
    let end = start + xmp[start..].find(&format!("</{tag}>"))?;
    let inner = &xmp[start..end];
    let inner = match inner.find("<rdf:li") {
        Some(li) => {
            let from = li + inner[li..].find('>')? + 1;
            &inner[from..from + inner[from..].find("</rdf:li>")?]
        }
        None => inner,
    };
    Some(unescape(inner.trim()))
}

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

/// The header (or why it is not a profile) and MD5 of a profile stream as written.
type ProfileFacts = (Result<icc::Header, String>, String);

/// Reads an embedded profile stream: its header and MD5, from its decoded bytes. A press
/// build writes the same stream into every press PDF, so what one stream's bytes decode to is
/// kept for the process, keyed by those bytes (filter and content) as written; the stream of
/// folio's own profile is known by its bytes, and decodes to [`FOGRA39_PROFILE`], whose MD5 is
/// [`FOGRA39_PROFILE_MD5`], without inflating or hashing it.
fn embedded_profile(stream: &Stream) -> ProfileFacts {
    type Seen = Vec<((Option<Vec<u8>>, Vec<u8>), ProfileFacts)>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let filter = stream.dict.get(b"Filter").ok();
    let flate = filter.and_then(|f| f.as_name().ok()) == Some(b"FlateDecode".as_slice())
        && !stream.dict.has(b"DecodeParms");
    // Only a plain stream or a plain FlateDecode one decodes from its content alone.
    if filter.is_some() && !flate {
        return profile_facts(
            &stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone()),
        );
    }
    let key = (
        flate.then(|| b"FlateDecode".to_vec()),
        stream.content.clone(),
    );
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, facts)) = seen.iter().find(|(k, _)| *k == key) {
        return facts.clone();
    }
    let facts = if !flate {
        profile_facts(&stream.content)
    } else if stream.content == FOGRA39_PROFILE_DEFLATED {
        (
            icc::header(FOGRA39_PROFILE),
            FOGRA39_PROFILE_MD5.to_string(),
        )
    } else {
        profile_facts(
            &stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone()),
        )
    };
    seen.push((key, facts.clone()));
    facts
}

fn profile_facts(profile: &[u8]) -> ProfileFacts {
    let md5 = Md5::digest(profile)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (icc::header(profile), md5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_xmp_dates() {
        assert_eq!(
            xmp_date("D:20260501093000Z").unwrap(),
            "2026-05-01T09:30:00Z"
        );
        assert_eq!(
            xmp_date("D:20260501093000+01'00'").unwrap(),
            "2026-05-01T09:30:00+01:00"
        );
        assert_eq!(xmp_date("D:2026").unwrap(), "2026-01-01T00:00:00Z");
        assert!(xmp_date("yesterday").is_none());
    }

    #[test]
    fn the_xmp_packet_says_what_the_info_dictionary_says() {
        let info = dictionary! {
            "Title" => text("Chemo & you: <a guide>"),
            "Producer" => text("Typst"),
            "CreationDate" => text("D:20260501093000Z"),
            "Trapped" => Object::Name(b"False".to_vec()),
        };
        let packet = xmp(None, &info, "00112233445566778899aabbccddeeff");
        assert_eq!(
            xmp_field(&packet, "dc:title").unwrap(),
            "Chemo & you: <a guide>"
        );
        assert_eq!(xmp_field(&packet, "pdf:Producer").unwrap(), "Typst");
        assert_eq!(
            xmp_field(&packet, "xmp:CreateDate").unwrap(),
            "2026-05-01T09:30:00Z"
        );
        assert_eq!(
            xmp_field(&packet, "pdfxid:GTS_PDFXVersion").unwrap(),
            "PDF/X-4"
        );
        assert_eq!(
            xmp_field(&packet, "xmpMM:DocumentID").unwrap(),
            "uuid:00112233-4455-6677-8899-aabbccddeeff"
        );
    }

    #[test]
    fn typst_s_own_packet_keeps_its_fields_and_gains_the_pdfx_ones() {
        let typst = "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"><pdf:Keywords>FOL-1, version 2</pdf:Keywords><xmpMM:RenditionClass>proof</xmpMM:RenditionClass><pdf:PDFVersion>1.7</pdf:PDFVersion></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
        let info = dictionary! { "ModDate" => text("D:20260501093000Z") };
        let packet = xmp(Some(typst), &info, "00");
        assert_eq!(
            xmp_field(&packet, "pdf:Keywords").unwrap(),
            "FOL-1, version 2"
        );
        assert_eq!(xmp_field(&packet, "pdf:PDFVersion").unwrap(), "1.6");
        assert_eq!(
            xmp_field(&packet, "xmpMM:RenditionClass").unwrap(),
            "default"
        );
        assert_eq!(
            xmp_field(&packet, "pdfxid:GTS_PDFXVersion").unwrap(),
            "PDF/X-4"
        );
        assert_eq!(
            xmp_field(&packet, "xmp:ModifyDate").unwrap(),
            "2026-05-01T09:30:00Z"
        );
        assert!(packet.contains("xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\""));
        assert!(packet.contains("xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\""));
    }

    #[test]
    fn the_committed_deflated_profile_is_folio_s_profile_and_is_embedded_as_it_is() {
        let stream = profile_stream(&Arc::from(FOGRA39_PROFILE));
        assert_eq!(stream.content, FOGRA39_PROFILE_DEFLATED);
        assert_eq!(stream.decompressed_content().unwrap(), FOGRA39_PROFILE);
        let (header, md5) = embedded_profile(&stream);
        assert!(header.unwrap().is_cmyk_output());
        assert_eq!(md5, format!("{:x}", Md5::digest(FOGRA39_PROFILE)));
        assert_eq!(md5, FOGRA39_PROFILE_MD5);
    }

    #[test]
    fn a_printer_s_profile_is_compressed_and_read_back_whole() {
        let mut profile = FOGRA39_PROFILE.to_vec();
        profile[44..48].copy_from_slice(b"test");
        let stream = profile_stream(&Arc::from(profile.as_slice()));
        assert_eq!(stream.decompressed_content().unwrap(), profile);
        assert_eq!(
            embedded_profile(&stream).1,
            format!("{:x}", Md5::digest(&profile))
        );
    }

    #[test]
    fn text_strings_round_trip_in_both_encodings() {
        for s in ["Plain", "Cemotherapi – Cymraeg ŵ"] {
            assert_eq!(decode_text(&encode_text(s)), s);
        }
    }
}
