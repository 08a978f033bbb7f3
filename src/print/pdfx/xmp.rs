//! The XMP packet of a PDF/X-4 file: made from Typst's own, read back field by field.

use lopdf::Dictionary;

use super::text::info_text;
use super::{PDFX_VERSION, PDF_VERSION};

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

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XMP packet of a PDF/X-4 file: Typst's own packet (which carries the description,
/// keywords, authors and language) when there is one, with the PDF/X identification added
/// and every field the `Info` dictionary also has set from it, so that the two agree.
pub(super) fn xmp(typst: Option<&str>, info: &Dictionary, id: &str) -> String {
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
pub(super) fn set_field(packet: &mut String, tag: &str, content: &str) {
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

pub(super) fn empty_packet() -> String {
    "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
     <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
     <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
     <rdf:Description rdf:about=\"\" >\
     <dc:format>application/pdf</dc:format>\
     </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>"
        .to_string()
}

/// 32 hex digits as a UUID's 8-4-4-4-12 groups (shorter input is padded with zeros).
pub(super) fn uuid_like(hex: &str) -> String {
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

#[cfg(test)]
mod tests {
    use lopdf::{dictionary, Object};

    use super::super::text::text;
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
}
