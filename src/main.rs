//! The `folio` binary: parse arguments, dispatch to one module per command, print
//! `error:`/`hint:` lines, return a named exit code. Colour is decided here, once.

use std::process::ExitCode;

use clap::Parser;
use folio::cli::{Cli, Command};
use folio::cmd;
use folio::diag::{render, Colors, Problem};

/// Exit codes, named.
mod exit {
    /// Something in the content, project or layouts is wrong; nothing good was replaced.
    pub const FAILED: u8 = 1;
    /// The command line or the project setup is wrong.
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colors = Colors::resolve(cli.global.color);
    let session = match cmd::open(&cli.global) {
        Ok(session) => session,
        Err(problem) => return setup_error(problem, colors),
    };
    match cli.command {
        Command::Build(args) => {
            let plan = match cmd::build::BuildPlan::new(&session, &args) {
                Ok(plan) => plan,
                Err(problem) => return setup_error(problem, colors),
            };
            let mut progress =
                cmd::progress::Progress::new(plan.targets.publications.len(), plan.quiet);
            let outcome = cmd::build::run(&session, &plan, &mut |id| progress.step(id));
            progress.finish();
            outcome.print(colors.stderr, plan.quiet);
            status(outcome.failures.is_empty())
        }
        Command::Check(args) => {
            let plan = match cmd::check::CheckPlan::new(&session, &args) {
                Ok(plan) => plan,
                Err(problem) => return setup_error(problem, colors),
            };
            let report = cmd::check::run(&session, &plan);
            report.print(&plan, colors);
            status(!report.failed(plan.strict))
        }
        Command::Watch(args) => match cmd::watch::execute(session, &args, colors) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => setup_error(problem, colors),
        },
        Command::Serve(args) => match cmd::serve::execute(session, &args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => setup_error(problem, colors),
        },
        Command::Token(command) => match cmd::token::run(&session, &command) {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(problem) => setup_error(problem, colors),
        },
        Command::Bench(args) if args.serve => match cmd::serve::bench::run(&session, &args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => setup_error(problem, colors),
        },
        Command::Bench(args) => {
            match cmd::bench::run(&session, &cmd::bench::BenchPlan::new(&args)) {
                Ok(_) => ExitCode::SUCCESS,
                Err(problem) => setup_error(problem, colors),
            }
        }
    }
}

fn status(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::FAILED)
    }
}

fn setup_error(problem: Problem, colors: Colors) -> ExitCode {
    eprint!("{}", render(&[problem], colors.stderr));
    ExitCode::from(exit::USAGE)
}
