//! The pass that makes Typst's press PDF a PDF/X-4 file (see the module docs of [`super`]).

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use md5::{Digest, Md5};

use super::profile::profile_stream;
use super::text::text;
use super::xmp::xmp;
use super::{INTERACTIVE, PDFX_VERSION, PDF_VERSION};
use crate::diag::Problem;
use crate::project::print::OutputIntent;

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
