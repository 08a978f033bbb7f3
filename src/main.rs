//! The `folio` binary: parse arguments, dispatch to a command, print `error:`/`hint:` lines.

use std::process::ExitCode;

use clap::Parser;
use folio::cli::{Cli, Color, Command};
use folio::compile::BuildError;
use folio::diag::{self, Problem};
use folio::pipeline::Session;
use folio::plan::BuildPlan;

/// Exit codes, named.
mod exit {
    /// Something in the content, project or layouts is wrong: nothing was replaced.
    pub const FAILED: u8 = 1;
    /// The command line was wrong (clap also uses 2).
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.global.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            diag::stderr_color() != codespan_reporting::term::termcolor::ColorChoice::Never
        }
    };
    let session = match Session::open(&cli.global.root, cli.global.source_date_epoch, color) {
        Ok(s) => s,
        Err(p) => return fail(&[p], color, exit::USAGE),
    };
    match cli.command {
        Command::Build(args) => {
            let plan = match BuildPlan::new(&session, &args) {
                Ok(plan) => plan,
                Err(p) => return fail(&[p], color, exit::USAGE),
            };
            let outcome = folio::cmd::build::run(&session, &plan);
            for w in &outcome.warnings {
                eprint!("{w}");
            }
            for w in &outcome.written {
                eprintln!("wrote {} ({} pages)", diag::display_path(&w.path), w.pages);
            }
            if outcome.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                report(&outcome.failures, color);
                ExitCode::from(exit::FAILED)
            }
        }
    }
}

fn report(failures: &[BuildError], color: bool) {
    for failure in failures {
        match failure {
            BuildError::Problem(p) => eprint!("{}", diag::render(std::slice::from_ref(p), color)),
            BuildError::Typst {
                publication,
                edition,
                rendered,
                ..
            } => {
                eprintln!("error: {publication} ({edition}) could not be typeset:");
                eprint!("{rendered}");
            }
        }
    }
    eprintln!(
        "error: {} problem(s); no PDF of a failed publication was replaced",
        failures.len()
    );
}

fn fail(problems: &[Problem], color: bool, code: u8) -> ExitCode {
    eprint!("{}", diag::render(problems, color));
    ExitCode::from(code)
}
