//! Stopping the rest of a save in `folio watch` when a newer save comes.
//!
//! After a save, the watch puts the page on screen first, then makes every other edition,
//! the previews and the catalogue (the rest). A newer save should not wait for all of that:
//! the file watcher raises the session's [`Interrupt`], and the rest stops at its next
//! checkpoint. Nothing of the stopped publication is written; the watch makes it again
//! after the newer save's page is on screen.
//!
//! The checkpoints: before each edition starts (the scheduler), after a typeset edition's
//! layout and after its PDF ([`Interrupt::check`]), before each preview page (one worker
//! per core renders the pages of every edition, so a stop waits for at most one page a
//! core) and before the contact sheets, and just before the files are synced and renamed into
//! place. Work already past a checkpoint finishes: Typst cannot be stopped inside a compile
//! or a PDF export, nor a file inside its sync.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::compile::BuildError;

/// A request to stop making editions, shared by a session and whoever may stop it. It
/// stops work only while armed: the watch arms it for the rest of a save, never for a
/// `folio build` or for the page on screen, which must finish.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<Flags>);

#[derive(Debug, Default)]
struct Flags {
    armed: AtomicBool,
    raised: AtomicBool,
}

impl Interrupt {
    /// From now on, [`Interrupt::raise`] stops the session's work; a raise before this is
    /// forgotten.
    pub fn arm(&self) {
        self.0.raised.store(false, Ordering::SeqCst);
        self.0.armed.store(true, Ordering::SeqCst);
    }

    /// Work no longer stops; a raise before this is forgotten.
    pub fn disarm(&self) {
        self.0.armed.store(false, Ordering::SeqCst);
        self.0.raised.store(false, Ordering::SeqCst);
    }

    /// Asks armed work to stop (from any thread: the file watcher's).
    pub fn raise(&self) {
        self.0.raised.store(true, Ordering::SeqCst);
    }

    /// Whether a raise would stop work now.
    pub fn is_armed(&self) -> bool {
        self.0.armed.load(Ordering::SeqCst)
    }

    /// Whether work should stop now: armed and raised.
    pub fn stops(&self) -> bool {
        self.is_armed() && self.0.raised.load(Ordering::SeqCst)
    }

    /// A checkpoint inside the making of one edition: [`BuildError::Interrupted`] when work
    /// should stop.
    pub fn check(&self, publication: &str, edition: &str) -> Result<(), BuildError> {
        match self.stops() {
            true => Err(BuildError::Interrupted {
                publication: publication.to_string(),
                edition: edition.to_string(),
            }),
            false => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Interrupt;

    #[test]
    fn a_raise_stops_work_only_while_armed_and_is_forgotten_when_armed_again() {
        let interrupt = Interrupt::default();
        interrupt.raise();
        assert!(!interrupt.stops(), "not armed");
        interrupt.arm();
        assert!(!interrupt.stops(), "the raise before arming is forgotten");
        interrupt.clone().raise();
        assert!(interrupt.stops(), "a clone raises the same interrupt");
        assert!(interrupt.check("p", "booklet").is_err());
        interrupt.disarm();
        assert!(!interrupt.stops());
        assert!(interrupt.check("p", "booklet").is_ok());
    }
}
