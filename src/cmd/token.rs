//! `folio token new BRAND --tokens FILE` and `folio token revoke BRAND --tokens FILE [--id ID]`:
//! the access tokens `folio serve` accepts. A new token is printed once and only its SHA-256
//! hash is written; the file is replaced atomically and is readable by its owner only.

use std::path::Path;

use crate::cli::TokenCommand;
use crate::cmd::serve::auth::{self, TokenLine};
use crate::diag::{Location, Problem};
use crate::pipeline::Session;

/// What a token command did: lines for standard output (a new token alone on the last).
pub fn run(session: &Session, command: &TokenCommand) -> Result<Vec<String>, Problem> {
    match command {
        TokenCommand::New { brand, tokens } => {
            crate::pipeline::brands::load(&session.root, brand)?;
            let mut entries = read(tokens)?;
            let token = auth::random_secret();
            let hash = auth::hash(&token);
            let id = crate::digest::hex(&hash[..4]);
            entries.push(TokenLine {
                brand: brand.clone(),
                id: id.clone(),
                hash,
            });
            write(tokens, &entries)?;
            Ok(vec![
                format!(
                    "new token for brand `{brand}` (id {id}), stored as a hash in {}.",
                    tokens.display()
                ),
                "Give it to the partner now: it is not shown again. The token:".into(),
                token,
            ])
        }
        TokenCommand::Revoke { brand, tokens, id } => {
            let entries = read(tokens)?;
            let before = entries.len();
            let kept: Vec<TokenLine> = entries
                .into_iter()
                .filter(|e| !(e.brand == *brand && id.as_ref().is_none_or(|id| *id == e.id)))
                .collect();
            let revoked = before - kept.len();
            if revoked == 0 {
                return Err(Problem::error(format!(
                    "no token of brand `{brand}`{} in {}",
                    id.as_ref()
                        .map(|i| format!(" with id {i}"))
                        .unwrap_or_default(),
                    tokens.display()
                ))
                .at(Location::file(tokens))
                .hint("`folio token new` prints each token's id"));
            }
            write(tokens, &kept)?;
            Ok(vec![format!(
                "revoked {revoked} token(s) of brand `{brand}`"
            )])
        }
    }
}

fn read(file: &Path) -> Result<Vec<TokenLine>, Problem> {
    match auth::read_text(file) {
        Ok(text) => auth::parse(&text).map_err(|e| {
            Problem::error(format!("tokens file: {e}"))
                .at(Location::file(file))
                .hint("lines are `<brand> <id> <sha256>`; folio token new writes them")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => {
            Err(Problem::error(format!("cannot read the tokens file: {e}"))
                .at(Location::file(file)))
        }
    }
}

fn write(file: &Path, entries: &[TokenLine]) -> Result<(), Problem> {
    let fail = |e: std::io::Error| {
        Problem::error(format!("cannot write the tokens file: {e}"))
            .at(Location::file(file))
            .hint("check that its folder exists and is writable")
    };
    // The hashes are not secrets, but nobody else needs to read them.
    if !file.exists() {
        std::fs::write(file, "").map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
        }
    }
    crate::export::atomic::write(file, auth::format(entries).as_bytes()).map_err(fail)
}
