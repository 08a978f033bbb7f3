//! Who may do what: tokens (random, 256 bits, kept only as SHA-256 hashes in the tokens file,
//! compared in constant time) and browser sessions made by the token login form.
//!
//! The tokens file has one line per token: `<brand> <id> <sha256 hex>`, `#` comments allowed.
//! It is read again when it changes, so `folio token revoke` takes effect without a restart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Bytes of randomness in a token or a session id (256 bits).
const SECRET_BYTES: usize = 32;
/// How long a browser session lasts.
const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);
/// The most sessions kept at once (the oldest go first).
const MAX_SESSIONS: usize = 10_000;

/// One line of the tokens file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub brand: String,
    pub id: String,
    pub hash: [u8; 32],
}

/// A new random secret as lowercase hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    hex(&bytes)
}

/// SHA-256 of `text`.
pub fn hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Parses a tokens file's text; malformed lines are errors with their line number.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            [brand, id, digest] => out.push(Entry {
                brand: brand.to_string(),
                id: id.to_string(),
                hash: unhex(digest).ok_or(format!("line {}: not a SHA-256 hash", n + 1))?,
            }),
            _ => return Err(format!("line {}: expected `<brand> <id> <sha256>`", n + 1)),
        }
    }
    Ok(out)
}

/// Writes entries as a tokens file's text.
pub fn format(entries: &[Entry]) -> String {
    let mut text = String::from(
        "# folio serve tokens: <brand> <id> <sha256 of the token>. Tokens themselves are never stored.\n",
    );
    for e in entries {
        text.push_str(&format!("{} {} {}\n", e.brand, e.id, hex(&e.hash)));
    }
    text
}

/// What a presented token or session is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// It belongs to the brand asked for.
    Granted,
    /// It is valid, for another brand (403).
    OtherBrand,
    /// Missing, unknown or revoked (401).
    Denied,
}

/// The tokens file, read again when it changes, and the sessions of the login form.
pub struct Auth {
    file: Option<PathBuf>,
    tokens: Mutex<(Option<SystemTime>, Vec<Entry>)>,
    sessions: Mutex<HashMap<[u8; 32], (String, Instant)>>,
}

impl Auth {
    /// Reads `file` (None: no token is valid).
    pub fn new(file: Option<&Path>) -> Result<Auth, String> {
        let auth = Auth {
            file: file.map(Path::to_path_buf),
            tokens: Mutex::new((None, Vec::new())),
            sessions: Mutex::new(HashMap::new()),
        };
        if let Some(file) = file {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let entries = parse(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            *auth.tokens.lock().expect("tokens") = (modified(file), entries);
        }
        Ok(auth)
    }

    /// Whether the tokens can be checked now: no tokens file was given, or it still reads
    /// and parses (a broken file denies every token).
    pub fn loaded(&self) -> bool {
        self.file
            .as_deref()
            .is_none_or(|file| std::fs::read_to_string(file).is_ok_and(|text| parse(&text).is_ok()))
    }

    /// The brand a token belongs to, if any. Every entry is compared, in constant time.
    pub fn brand_of_token(&self, token: &str) -> Option<String> {
        let presented = hash(token.trim());
        let mut tokens = self.tokens.lock().expect("tokens");
        if let Some(file) = &self.file {
            let now = modified(file);
            if now != tokens.0 {
                // Revoked or added tokens count from the next request; a broken file denies all.
                let entries = std::fs::read_to_string(file)
                    .ok()
                    .and_then(|t| parse(&t).ok())
                    .unwrap_or_default();
                *tokens = (now, entries);
            }
        }
        let mut found = None;
        for entry in &tokens.1 {
            if bool::from(entry.hash.ct_eq(&presented)) {
                found = Some(entry.brand.clone());
            }
        }
        found
    }

    /// Whether `token` (a bearer token) may act for `brand`.
    pub fn check_token(&self, token: Option<&str>, brand: &str) -> Access {
        match token.and_then(|t| self.brand_of_token(t)) {
            Some(b) if b == brand => Access::Granted,
            Some(_) => Access::OtherBrand,
            None => Access::Denied,
        }
    }

    /// A new session for `brand`: the cookie value.
    pub fn new_session(&self, brand: &str) -> String {
        let id = random_secret();
        let mut sessions = self.sessions.lock().expect("sessions");
        let now = Instant::now();
        sessions.retain(|_, (_, at)| now.duration_since(*at) < SESSION_TTL);
        if sessions.len() >= MAX_SESSIONS {
            if let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| *k)
            {
                sessions.remove(&oldest);
            }
        }
        sessions.insert(hash(&id), (brand.to_string(), now));
        id
    }

    /// The brand of a live session.
    pub fn brand_of_session(&self, id: &str) -> Option<String> {
        let sessions = self.sessions.lock().expect("sessions");
        let (brand, at) = sessions.get(&hash(id))?;
        (at.elapsed() < SESSION_TTL).then(|| brand.clone())
    }

    /// Whether a bearer token or, failing that, a session may act for `brand`.
    pub fn check(&self, bearer: Option<&str>, session: Option<&str>, brand: &str) -> Access {
        let by_token = self.check_token(bearer, brand);
        if by_token != Access::Denied || bearer.is_some() {
            return by_token;
        }
        match session.and_then(|s| self.brand_of_session(s)) {
            Some(b) if b == brand => Access::Granted,
            Some(_) => Access::OtherBrand,
            None => Access::Denied,
        }
    }
}

fn modified(file: &Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tokens_file_round_trips_and_keeps_no_token() {
        let token = random_secret();
        assert_eq!(token.len(), 64, "256 bits as hex");
        let entries = vec![Entry {
            brand: "north".into(),
            id: "ab12cd34".into(),
            hash: hash(&token),
        }];
        let text = format(&entries);
        assert!(!text.contains(&token));
        assert_eq!(parse(&text).unwrap(), entries);
    }

    #[test]
    fn a_token_grants_its_own_brand_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tokens");
        let token = random_secret();
        let entries = vec![Entry {
            brand: "north".into(),
            id: "x".into(),
            hash: hash(&token),
        }];
        std::fs::write(&file, format(&entries)).unwrap();
        let auth = Auth::new(Some(&file)).unwrap();
        assert_eq!(auth.check_token(Some(&token), "north"), Access::Granted);
        assert_eq!(auth.check_token(Some(&token), "south"), Access::OtherBrand);
        assert_eq!(auth.check_token(Some("wrong"), "north"), Access::Denied);
        assert_eq!(auth.check_token(None, "north"), Access::Denied);
        let session = auth.new_session("north");
        assert_eq!(auth.check(None, Some(&session), "north"), Access::Granted);
        assert_eq!(auth.check(None, Some("forged"), "north"), Access::Denied);
    }
}
