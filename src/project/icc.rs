//! Reading the header of an ICC colour profile: enough to tell an output profile for CMYK
//! printing (class `prtr`, colour space `CMYK`) from anything else, and to name it.
//!
//! Used twice: on the profile `folio.yaml` names (`print.output-intent.profile`), before it is
//! embedded, and by the preflight on the profile the written press PDF carries.

/// The largest profile folio embeds: 8 MiB. A press profile is well under 2 MiB; a larger
/// file is the wrong file.
pub const MAX_PROFILE_BYTES: u64 = 8 * 1024 * 1024;

/// What an ICC profile's header and description tag say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Profile/device class, e.g. `prtr` (output), `mntr` (display).
    pub class: String,
    /// Data colour space, e.g. `CMYK`, `RGB `.
    pub space: String,
    /// Major and minor version (2.2, 4.3, …).
    pub version: (u8, u8),
    /// The profile description tag (`desc`), when it can be read.
    pub description: Option<String>,
}

impl Header {
    /// Whether this is an output profile for CMYK printing, as PDF/X wants.
    pub fn is_cmyk_output(&self) -> bool {
        self.class == "prtr" && self.space == "CMYK"
    }
}

/// Reads the header of the ICC profile `bytes`; `Err` says in a phrase why it is not one.
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    if bytes.len() < 132 {
        return Err(format!(
            "it has {} bytes, fewer than an ICC header",
            bytes.len()
        ));
    }
    if bytes.len() as u64 > MAX_PROFILE_BYTES {
        return Err(format!(
            "it is larger than {} MiB",
            MAX_PROFILE_BYTES / (1024 * 1024)
        ));
    }
    if &bytes[36..40] != b"acsp" {
        return Err("it has no ICC signature (`acsp` at byte 36)".into());
    }
    let declared = u32_at(bytes, 0) as usize;
    if declared != bytes.len() {
        return Err(format!(
            "its header gives {declared} bytes but the file has {}",
            bytes.len()
        ));
    }
    let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&bytes[range]).into_owned();
    Ok(Header {
        class: text(12..16),
        space: text(16..20),
        version: (bytes[8], bytes[9] >> 4),
        description: description(bytes),
    })
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The `desc` tag: ASCII in ICC v2 (`desc` type), the first UTF-16 record in v4 (`mluc`).
fn description(bytes: &[u8]) -> Option<String> {
    let count = u32_at(bytes, 128) as usize;
    let (offset, size) = (0..count.min(256)).find_map(|i| {
        let entry = 132 + 12 * i;
        (bytes.get(entry..entry + 4)? == b"desc").then(|| {
            (
                u32_at(bytes, entry + 4) as usize,
                u32_at(bytes, entry + 8) as usize,
            )
        })
    })?;
    let tag = bytes.get(offset..offset.checked_add(size)?)?;
    let text = match tag.get(0..4)? {
        b"desc" => {
            let n = u32_at(tag, 8) as usize;
            let ascii = tag.get(12..12 + n)?;
            String::from_utf8_lossy(ascii).into_owned()
        }
        b"mluc" => {
            let length = u32_at(tag, 20) as usize;
            let start = u32_at(tag, 24) as usize;
            let units: Vec<u16> = tag
                .get(start..start.checked_add(length)?)?
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let text = text.trim_end_matches('\0').trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_profile_is_a_cmyk_output_profile_with_its_description() {
        let header = header(crate::project::print::FOGRA39_PROFILE).unwrap();
        assert!(header.is_cmyk_output(), "{header:?}");
        assert_eq!(header.version, (2, 2));
        assert!(header.description.unwrap().contains("FOGRA39"));
    }

    #[test]
    fn a_file_that_is_not_a_profile_says_why() {
        assert!(header(b"not a profile").unwrap_err().contains("fewer than"));
        let mut bytes = crate::project::print::FOGRA39_PROFILE.to_vec();
        bytes[36] = b'x';
        assert!(header(&bytes).unwrap_err().contains("acsp"));
        bytes[36] = b'a';
        bytes.truncate(1000);
        assert!(header(&bytes).unwrap_err().contains("header gives"));
    }
}
