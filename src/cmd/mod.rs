//! One module per subcommand. Each turns its arguments into a plan, runs it and returns an
//! outcome that `main` prints; nothing here chooses colours or exit codes.

pub mod approve;
pub mod bench;
pub mod build;
pub mod check;
pub mod merge;
pub mod progress;
pub mod review;
pub mod select;
pub mod serve;
pub mod token;
pub mod translation;
pub mod verify;
pub mod watch;

use crate::cli::Global;
use crate::diag::Problem;
use crate::pipeline::Session;

/// Opens the project for a command: `--root`, `SOURCE_DATE_EPOCH` and the fixed date.
pub fn open(global: &Global) -> Result<Session, Problem> {
    if let Some(epoch) = global.source_date_epoch {
        use chrono::Datelike;
        let year = chrono::DateTime::from_timestamp(epoch, 0).map(|t| t.year());
        if !year.is_some_and(|y| (1970..=9999).contains(&y)) {
            return Err(Problem::error(format!(
                "SOURCE_DATE_EPOCH={epoch} is not a date folio can write into a PDF"
            ))
            .hint("give seconds since 1970-01-01 UTC, e.g. `date +%s`, or unset it"));
        }
    }
    let mut session = Session::open(&global.root, global.source_date_epoch)?;
    if global.jobs > 0 {
        session = session.with_jobs(global.jobs)?;
    }
    if let Some(today) = global.today {
        session.today = today;
    }
    Ok(session)
}
