//! PDF text strings, as folio writes and reads them.

use lopdf::{Dictionary, Object, StringFormat};

pub(super) fn text(s: &str) -> Object {
    Object::String(encode_text(s), StringFormat::Literal)
}

/// A PDF text string: PDFDocEncoding for ASCII, else UTF-16BE with a byte order mark.
pub(super) fn encode_text(s: &str) -> Vec<u8> {
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

pub(super) fn info_text(info: &Dictionary, key: &[u8]) -> Option<String> {
    info.get(key)
        .ok()
        .and_then(|o| o.as_str().ok())
        .map(decode_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_round_trip_in_both_encodings() {
        for s in ["Plain", "Cemotherapi – Cymraeg ŵ"] {
            assert_eq!(decode_text(&encode_text(s)), s);
        }
    }
}
