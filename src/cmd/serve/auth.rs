//! Who may do what: tokens (random, 256 bits, kept only as SHA-256 hashes in the tokens file,
//! compared in constant time) and browser sessions made by the token login form.
//!
//! The tokens file has one line per token: `<brand> <id> <sha256 hex>`, `#` comments allowed.
//! It is read again when it changes, so `folio token revoke` takes effect without a restart,
//! and a session lasts only as long as the token it was opened with: revoking that token
//! (or all of the brand's, or emptying the file) ends its sessions at the next request.
//!
//! A tokens file that becomes unreadable or damaged while the server runs is logged as an
//! error once, and then **every token and session is refused** until it is readable again
//! (failing closed: keeping the last good tokens would keep a revoked token working);
//! `/readyz` answers 503 meanwhile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use subtle::ConstantTimeEq;

use super::log::Log;
use crate::digest;

/// Bytes of randomness in a token or a session id (256 bits).
const SECRET_BYTES: usize = 32;
/// How long a browser session lasts at most (the cookie itself ends with the browser).
const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);
/// The most sessions kept at once (the oldest go first).
const MAX_SESSIONS: usize = 10_000;

/// One line of the tokens file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLine {
    pub brand: String,
    pub id: String,
    pub hash: [u8; 32],
}

/// A new random secret as lowercase hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    digest::hex(&bytes)
}

/// SHA-256 of `text`.
pub fn hash(text: &str) -> [u8; 32] {
    digest::sha256(text)
}

/// Parses a tokens file's text; malformed lines are errors with their line number.
pub fn parse(text: &str) -> Result<Vec<TokenLine>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            [brand, id, hash] => out.push(TokenLine {
                brand: brand.to_string(),
                id: id.to_string(),
                hash: digest::unhex(hash).ok_or(format!("line {}: not a SHA-256 hash", n + 1))?,
            }),
            _ => return Err(format!("line {}: expected `<brand> <id> <sha256>`", n + 1)),
        }
    }
    Ok(out)
}

/// Writes entries as a tokens file's text.
pub fn format(entries: &[TokenLine]) -> String {
    let mut text = String::from(
        "# folio serve tokens: <brand> <id> <sha256 of the token>. Tokens themselves are never stored.\n",
    );
    for e in entries {
        text.push_str(&format!("{} {} {}\n", e.brand, e.id, digest::hex(&e.hash)));
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

/// The tokens as last read, and how the file looked then.
struct Tokens {
    /// Size, modification time and inode of the file when read (None: not there).
    seen: Option<(u64, SystemTime, u64)>,
    /// The tokens, or why the file cannot be used (then every token is refused).
    entries: Result<Vec<TokenLine>, String>,
}

/// A browser session: whose, opened with which token, when.
struct Session {
    brand: String,
    token: [u8; 32],
    opened: Instant,
}

/// The tokens file, read again when it changes, and the sessions of the login form.
pub struct Auth {
    file: Option<PathBuf>,
    log: Log,
    tokens: Mutex<Tokens>,
    sessions: Mutex<HashMap<[u8; 32], Session>>,
}

fn seen(file: &Path) -> Option<(u64, SystemTime, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(file).ok()?;
    Some((m.len(), m.modified().ok()?, m.ino()))
}

/// The largest tokens file read: a line is about 90 bytes, so ten thousand tokens.
pub const MAX_TOKENS_BYTES: u64 = 1024 * 1024;

/// The text of the tokens file: a regular file (a FIFO is refused, never waited on), at most
/// [`MAX_TOKENS_BYTES`], in UTF-8.
pub fn read_text(file: &Path) -> std::io::Result<String> {
    let bytes = crate::confine::read_outside(file, MAX_TOKENS_BYTES)?;
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("it is not UTF-8 text"))
}

fn read_tokens(file: &Path) -> Result<Vec<TokenLine>, String> {
    let text = read_text(file).map_err(|e| format!("{}: {e}", file.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", file.display()))
}

impl Auth {
    /// Reads `file` (None: no token is valid). A missing or damaged file is an error here:
    /// the server does not start without the tokens it was given.
    pub fn new(file: Option<&Path>, log: Log) -> Result<Auth, String> {
        let entries = match file {
            Some(file) => read_tokens(file)?,
            None => Vec::new(),
        };
        Ok(Auth {
            file: file.map(Path::to_path_buf),
            log,
            tokens: Mutex::new(Tokens {
                seen: file.and_then(seen),
                entries: Ok(entries),
            }),
            sessions: Mutex::new(HashMap::new()),
        })
    }

    /// Runs `f` on the current tokens (None: the file cannot be used), reading the file
    /// again first if it changed.
    fn with_tokens<T>(&self, f: impl FnOnce(Option<&[TokenLine]>) -> T) -> T {
        let mut tokens = self.tokens.lock().expect("tokens");
        if let Some(file) = &self.file {
            let now = seen(file);
            if now != tokens.seen || now.is_none() && tokens.entries.is_ok() {
                let was_ok = tokens.entries.is_ok();
                tokens.entries = match now {
                    None => Err(format!("{}: the file is gone", file.display())),
                    Some(_) => read_tokens(file),
                };
                tokens.seen = now;
                match &tokens.entries {
                    Err(e) => self.log.error(&format!(
                        "the tokens file cannot be used ({e}): every token and session is refused until it is fixed"
                    )),
                    Ok(entries) if !was_ok => self.log.info(&format!(
                        "the tokens file is readable again: {} token(s)",
                        entries.len()
                    )),
                    Ok(_) => {}
                }
            }
        }
        f(tokens.entries.as_deref().ok())
    }

    /// Whether the tokens are loaded (false while the tokens file is missing or damaged).
    pub fn ready(&self) -> Result<(), String> {
        self.with_tokens(|_| ());
        match &self.tokens.lock().expect("tokens").entries {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Whether the tokens can be checked now: no tokens file was given, or it still reads
    /// and parses (a broken file denies every token).
    pub fn loaded(&self) -> bool {
        self.file
            .as_deref()
            .is_none_or(|file| read_text(file).is_ok_and(|text| parse(&text).is_ok()))
    }

    /// The brand a token belongs to, if any. Every entry is compared, in constant time.
    pub fn brand_of_token(&self, token: &str) -> Option<String> {
        let presented = hash(token.trim());
        self.with_tokens(|entries| {
            let mut found = None;
            for entry in entries.unwrap_or_default() {
                if bool::from(entry.hash.ct_eq(&presented)) {
                    found = Some(entry.brand.clone());
                }
            }
            found
        })
    }

    /// Whether `token` (a bearer token) may act for `brand`.
    pub fn check_token(&self, token: Option<&str>, brand: &str) -> Access {
        match token.and_then(|t| self.brand_of_token(t)) {
            Some(b) if b == brand => Access::Granted,
            Some(_) => Access::OtherBrand,
            None => Access::Denied,
        }
    }

    /// A new session opened with `token`: the cookie value, or None when the token is not
    /// valid.
    pub fn open_session(&self, token: &str) -> Option<(String, String)> {
        let brand = self.brand_of_token(token)?;
        let id = random_secret();
        let mut sessions = self.sessions.lock().expect("sessions");
        let now = Instant::now();
        sessions.retain(|_, s| now.duration_since(s.opened) < SESSION_TTL);
        if sessions.len() >= MAX_SESSIONS {
            if let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, s)| s.opened)
                .map(|(k, _)| *k)
            {
                sessions.remove(&oldest);
            }
        }
        sessions.insert(
            hash(&id),
            Session {
                brand: brand.clone(),
                token: hash(token.trim()),
                opened: now,
            },
        );
        Some((id, brand))
    }

    /// Ends a session (signing out); nothing happens for an unknown one.
    pub fn end_session(&self, id: &str) {
        self.sessions.lock().expect("sessions").remove(&hash(id));
    }

    /// The brand of a live session: not past its time, and its token still in the file.
    pub fn brand_of_session(&self, id: &str) -> Option<String> {
        let (brand, token) = {
            let mut sessions = self.sessions.lock().expect("sessions");
            let key = hash(id);
            let s = sessions.get(&key)?;
            if s.opened.elapsed() >= SESSION_TTL {
                sessions.remove(&key);
                return None;
            }
            (s.brand.clone(), s.token)
        };
        // Some(false): revoked; None: the tokens file cannot be used just now.
        let live = self.with_tokens(|entries| {
            entries.map(|entries| {
                entries
                    .iter()
                    .any(|e| bool::from(e.hash.ct_eq(&token)) && e.brand == brand)
            })
        });
        if live == Some(false) {
            // Revoked: the session ends for good, even if the token came back.
            self.end_session(id);
        }
        (live == Some(true)).then_some(brand)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tokens_file_round_trips_and_keeps_no_token() {
        let token = random_secret();
        assert_eq!(token.len(), 64, "256 bits as hex");
        let entries = vec![TokenLine {
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
        let entries = vec![TokenLine {
            brand: "north".into(),
            id: "x".into(),
            hash: hash(&token),
        }];
        std::fs::write(&file, format(&entries)).unwrap();
        let auth = Auth::new(Some(&file), Log::default()).unwrap();
        assert_eq!(auth.check_token(Some(&token), "north"), Access::Granted);
        assert_eq!(auth.check_token(Some(&token), "south"), Access::OtherBrand);
        assert_eq!(auth.check_token(Some("wrong"), "north"), Access::Denied);
        assert_eq!(auth.check_token(None, "north"), Access::Denied);
        let (session, brand) = auth.open_session(&token).unwrap();
        assert_eq!(brand, "north");
        assert_eq!(auth.check(None, Some(&session), "north"), Access::Granted);
        assert_eq!(auth.check(None, Some("forged"), "north"), Access::Denied);
        assert!(auth.open_session("wrong").is_none());
    }

    #[test]
    fn a_session_ends_with_its_token_and_a_damaged_file_refuses_everyone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tokens");
        let (one, two) = (random_secret(), random_secret());
        let entry = |id: &str, token: &str| TokenLine {
            brand: "north".into(),
            id: id.into(),
            hash: hash(token),
        };
        std::fs::write(&file, format(&[entry("a", &one), entry("b", &two)])).unwrap();
        let auth = Auth::new(Some(&file), Log::default()).unwrap();
        let (first, _) = auth.open_session(&one).unwrap();
        let (second, _) = auth.open_session(&two).unwrap();
        // Token `a` revoked (the file replaced, as `folio token revoke` does).
        let next = dir.path().join("tokens.new");
        std::fs::write(&next, format(&[entry("b", &two)])).unwrap();
        std::fs::rename(&next, &file).unwrap();
        assert_eq!(auth.check(None, Some(&first), "north"), Access::Denied);
        assert_eq!(auth.check(None, Some(&second), "north"), Access::Granted);
        assert!(auth.ready().is_ok());
        // A damaged file: nobody, not even the live session, until it is fixed.
        std::fs::write(&next, "north b not-a-hash\n").unwrap();
        std::fs::rename(&next, &file).unwrap();
        assert_eq!(auth.check(Some(&two), None, "north"), Access::Denied);
        assert_eq!(auth.check(None, Some(&second), "north"), Access::Denied);
        assert!(auth.ready().unwrap_err().contains("line 1"));
        // Fixed: the token and its session work again; the revoked one's stays ended.
        std::fs::write(&next, format(&[entry("b", &two)])).unwrap();
        std::fs::rename(&next, &file).unwrap();
        assert_eq!(auth.check(Some(&two), None, "north"), Access::Granted);
        assert_eq!(auth.check(None, Some(&second), "north"), Access::Granted);
        std::fs::write(&next, format(&[entry("a", &one)])).unwrap();
        std::fs::rename(&next, &file).unwrap();
        assert_eq!(
            auth.check(None, Some(&first), "north"),
            Access::Denied,
            "ended for good"
        );
    }
}
