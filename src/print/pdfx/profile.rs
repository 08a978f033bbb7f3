//! The output profile's stream: written compressed (folio's own profile as committed),
//! read back once per process for each stream.

use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{dictionary, Stream};
use md5::{Digest, Md5};

use crate::project::icc;
use crate::project::print::{FOGRA39_PROFILE, FOGRA39_PROFILE_DEFLATED, FOGRA39_PROFILE_MD5};

/// The profile as a compressed ICC stream. folio's own profile is embedded as the zlib stream
/// committed beside it ([`FOGRA39_PROFILE_DEFLATED`]); a printer's profile is compressed once
/// per process (a quarter-megabyte profile would otherwise cost a compression per press PDF).
pub(super) fn profile_stream(profile: &Arc<[u8]>) -> Stream {
    let icc = |compressed: Vec<u8>| {
        Stream::new(
            dictionary! { "N" => 4, "Filter" => "FlateDecode" },
            compressed,
        )
    };
    if **profile == *FOGRA39_PROFILE {
        return icc(FOGRA39_PROFILE_DEFLATED.to_vec());
    }
    type Kept = Vec<(Arc<[u8]>, Stream)>;
    static COMPRESSED: OnceLock<Mutex<Kept>> = OnceLock::new();
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

/// The header (or why it is not a profile) and MD5 of a profile stream as written.
pub(super) type ProfileFacts = (Result<icc::Header, String>, String);

/// Reads an embedded profile stream: its header and MD5, from its decoded bytes. A press
/// build writes the same stream into every press PDF, so what one stream's bytes decode to is
/// kept for the process, keyed by those bytes (filter and content) as written; the stream of
/// folio's own profile is known by its bytes, and decodes to [`FOGRA39_PROFILE`], whose MD5 is
/// [`FOGRA39_PROFILE_MD5`], without inflating or hashing it.
pub(super) fn embedded_profile(stream: &Stream) -> ProfileFacts {
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

pub(super) fn profile_facts(profile: &[u8]) -> ProfileFacts {
    let md5 = crate::digest::hex(&Md5::digest(profile));
    (icc::header(profile), md5)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
