//! The `folio` binary: parse arguments, dispatch to one module per command, print
//! `error:`/`hint:` lines, return a named exit code. Colour is decided here, once.

// As in the library: errors carry a whole diagnostic, and boxing them would add only noise.
#![allow(clippy::result_large_err)]

use std::process::ExitCode;

/// Typst allocates many small, short-lived objects: mimalloc serves them about 10 % faster
/// than the system allocator (measured with `folio bench --corpus 100`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use folio::cli::{Cli, Command, TranslationCommand};
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
    // An empty SOURCE_DATE_EPOCH means unset (the reproducible-builds convention). Nothing
    // else runs yet, so changing the environment here races with nothing.
    if std::env::var_os("SOURCE_DATE_EPOCH").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("SOURCE_DATE_EPOCH");
    }
    let cli = Cli::parse();
    let colors = Colors::resolve(cli.global.color);
    // `verify` reads only an output folder: a hospital runs it without the project.
    if let Command::Verify(args) = &cli.command {
        return match cmd::verify::run(&args.out) {
            Ok(outcome) => {
                eprint!("{}", render(&outcome.mismatches, colors.stderr));
                eprintln!("{}", cmd::verify::verdict(&args.out, &outcome));
                status(outcome.mismatches.is_empty())
            }
            Err(problem) => setup_error(problem, colors),
        };
    }
    let session = match cmd::open(&cli.global) {
        Ok(session) => session,
        Err(problem) => return setup_error(problem, colors),
    };
    match cli.command {
        Command::Build(args) => build(&session, &args, colors),
        Command::Check(args) => check(&session, &args, colors),
        Command::Watch(args) => match cmd::watch::execute(session, &args, colors) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => setup_error(problem, colors),
        },
        Command::Merge(args) => {
            let result = cmd::merge::MergePlan::new(&args)
                .and_then(|plan| cmd::merge::run(&session, &plan).map(|o| (plan, o)));
            match result {
                Ok((plan, outcome)) => {
                    eprintln!(
                        "merged {} publication(s) into {}",
                        outcome.publications.len(),
                        folio::diag::display_path(&plan.out)
                    );
                    ExitCode::SUCCESS
                }
                Err(problem) => setup_error(problem, colors),
            }
        }
        Command::Translation(TranslationCommand::Confirm(args)) => {
            match cmd::translation::confirm(&session, &args) {
                Ok(done) => {
                    eprintln!(
                        "wrote {}: {} section(s) of version {} confirmed",
                        folio::diag::display_path(&done.path),
                        done.sections,
                        done.source_version
                    );
                    ExitCode::SUCCESS
                }
                Err(problem) => {
                    eprint!("{}", render(&[problem], colors.stderr));
                    ExitCode::from(exit::FAILED)
                }
            }
        }
        Command::Approve(args) => approve(&session, &args, colors),
        Command::Review(args) => review(&session, &args, colors),
        Command::Serve(args) => match cmd::serve::execute(session, &args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => setup_error(problem, colors),
        },
        Command::Token(args) => match cmd::token::run(&session, &args.command) {
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
        Command::Verify(_) => unreachable!("verify runs before the project is opened"),
        Command::Bench(args) => {
            match cmd::bench::run(&session, &cmd::bench::BenchPlan::new(&args)) {
                Ok(_) => ExitCode::SUCCESS,
                Err(problem) => setup_error(problem, colors),
            }
        }
    }
}

/// `folio build`: the plan, the build with its progress, then what it did.
fn build(
    session: &folio::pipeline::Session,
    args: &folio::cli::BuildArgs,
    colors: Colors,
) -> ExitCode {
    let plan = match cmd::build::BuildPlan::new(session, args) {
        Ok(plan) => plan,
        Err(problem) => return setup_error(problem, colors),
    };
    // A publication's translations are built (and counted) one by one.
    let total = plan.targets.publications.len();
    let mut progress = cmd::progress::Progress::new(total, plan.quiet);
    let outcome = cmd::build::run(session, &plan, &mut |id, step| progress.step(id, step));
    progress.finish();
    outcome.print(colors.stderr, plan.quiet);
    status(outcome.failures.is_empty())
}

/// `folio check`: findings printed as each publication is checked, then the count.
fn check(
    session: &folio::pipeline::Session,
    args: &folio::cli::CheckArgs,
    colors: Colors,
) -> ExitCode {
    let plan = match cmd::check::CheckPlan::new(session, args) {
        Ok(plan) => plan,
        Err(problem) => return setup_error(problem, colors),
    };
    let mut printer = cmd::check::Printer::new(&plan, colors);
    let summary = cmd::check::run(session, &plan, &mut |r| printer.publication(r));
    printer.finish(&summary);
    status(!summary.failed(plan.strict))
}

/// `folio approve`: the approval recorded, or why not.
fn approve(
    session: &folio::pipeline::Session,
    args: &folio::cli::ApproveArgs,
    colors: Colors,
) -> ExitCode {
    match cmd::approve::approve(session, args) {
        Ok(cmd::approve::Approved::Recorded {
            record,
            copy,
            version,
        }) => {
            eprintln!(
                "approved version {version}: recorded in {}, the text kept as {}",
                folio::diag::display_path(&record),
                folio::diag::display_path(&copy)
            );
            ExitCode::SUCCESS
        }
        Ok(cmd::approve::Approved::Already { version, date }) => {
            eprintln!(
                "this text is already approved (version {version}, on {date}); nothing was recorded"
            );
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprint!("{}", render(&[problem], colors.stderr));
            ExitCode::from(exit::FAILED)
        }
    }
}

/// `folio review`: the reviewer's PDF written, and what it marks.
fn review(
    session: &folio::pipeline::Session,
    args: &folio::cli::ReviewArgs,
    colors: Colors,
) -> ExitCode {
    match cmd::review::run(session, &cmd::review::ReviewPlan::new(args)) {
        Ok(review) => {
            let since = review.since.as_deref().unwrap_or("(none approved)");
            let what = if review.diff.is_empty() {
                format!("no changes since version {since}")
            } else {
                format!(
                    "{} marked block(s) in {} section(s) since version {since}",
                    review.diff.marks(),
                    review.diff.sections.len()
                )
            };
            eprintln!("wrote {}: {what}", folio::diag::display_path(&review.path));
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprint!("{}", render(&[problem], colors.stderr));
            ExitCode::from(exit::FAILED)
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
