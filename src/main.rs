//! The `folio` binary: parse arguments, dispatch to a command, print `error:`/`hint:` lines,
//! return a named exit code.

use std::process::ExitCode;

use clap::Parser;
use folio::check::Finding;
use folio::cli::{Cli, Color, Command};
use folio::cmd;
use folio::compile::BuildError;
use folio::diag::{self, Problem};
use folio::pipeline::Session;
use folio::plan::BuildPlan;

/// Exit codes, named.
mod exit {
    /// Something in the content, project or layouts is wrong; nothing good was replaced.
    pub const FAILED: u8 = 1;
    /// The command line or the project setup is wrong.
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
    let mut session = match Session::open(&cli.global.root, cli.global.source_date_epoch, color) {
        Ok(s) => s,
        Err(p) => return fail(&[p], color),
    };
    if let Some(today) = cli.global.today {
        session.today = today;
    }
    match cli.command {
        Command::Build(args) => match BuildPlan::new(&session, &args) {
            Ok(plan) => build(&session, &plan),
            Err(p) => fail(&[p], color),
        },
        Command::Check(args) => match cmd::check::CheckPlan::new(&session, &args) {
            Ok(plan) => check(&session, &plan, cli.global.color),
            Err(p) => fail(&[p], color),
        },
        Command::Bench(args) => {
            let plan = cmd::bench::BenchPlan {
                publication: args.publication,
                runs: args.runs.max(1),
                edits: args.edits.max(1),
                typst: args.typst,
            };
            match cmd::bench::run(&session, &plan) {
                Ok(_) => ExitCode::SUCCESS,
                Err(p) => fail(&[p], color),
            }
        }
        Command::Watch(args) => match BuildPlan::for_watch(&session, &args) {
            Ok(plan) => watch(session, plan, &args),
            Err(p) => fail(&[p], color),
        },
    }
}

fn watch(session: Session, plan: BuildPlan, args: &folio::cli::WatchArgs) -> ExitCode {
    let color = session.color;
    let server = match args
        .serve
        .then(|| folio::serve::PreviewServer::start(args.port))
        .transpose()
    {
        Ok(server) => server,
        Err(p) => return fail(&[p], color),
    };
    if let Some(server) = &server {
        eprintln!("preview page: {}", server.url());
    }
    let quiet = plan.quiet;
    let watch = cmd::watch::Watch::new(session, plan);
    let result = cmd::watch::run(watch, &mut |watch, rebuilt| {
        for error in &rebuilt.errors {
            eprint!("{error}");
        }
        if !quiet || !rebuilt.errors.is_empty() {
            eprintln!("[watch] {}", rebuilt.status());
        }
        if let Some(server) = &server {
            server.update(watch, rebuilt);
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(p) => fail(&[p], color),
    }
}

fn build(session: &Session, plan: &BuildPlan) -> ExitCode {
    let mut progress =
        folio::cmd::progress::Progress::new(plan.targets.publications.len(), plan.quiet);
    let outcome = cmd::build::run(session, plan, &mut |id| progress.step(id));
    progress.finish();
    for w in &outcome.warnings {
        eprint!("{w}");
    }
    print_findings(&outcome.findings, session.color);
    if !plan.quiet {
        for w in &outcome.written {
            eprintln!("wrote {} ({} pages)", diag::display_path(&w.path), w.pages);
        }
        for path in &outcome.job_sheets {
            eprintln!("wrote {} (print job sheet)", diag::display_path(path));
        }
        for (publication, edition, p) in &outcome.previews {
            eprintln!(
                "previews {publication} ({edition}): {} page(s), contact sheet {}",
                p.pages.len(),
                diag::display_path(&p.contact_sheet)
            );
        }
    }
    if outcome.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        report(&outcome.failures, session.color);
        ExitCode::from(exit::FAILED)
    }
}

fn check(session: &Session, plan: &cmd::check::CheckPlan, color: Color) -> ExitCode {
    let report = cmd::check::run(session, plan);
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => cmd::check::stdout_color(),
    };
    for table in &report.tables {
        println!("{table}");
    }
    match plan.format {
        cmd::check::Format::Json => println!("{}", report.json()),
        cmd::check::Format::Human => print!("{}", report.human(color)),
    }
    if !report.failures.is_empty() {
        self::report(&report.failures, session.color);
    }
    if report.failed(plan.strict) {
        ExitCode::from(exit::FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Findings that are not mere notes, printed before the build's result.
fn print_findings(findings: &[Finding], color: bool) {
    let shown: Vec<Problem> = findings
        .iter()
        .filter(|f| f.severity != diag::Severity::Note)
        .map(Finding::to_problem)
        .collect();
    eprint!("{}", diag::render(&shown, color));
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

fn fail(problems: &[Problem], color: bool) -> ExitCode {
    eprint!("{}", diag::render(problems, color));
    ExitCode::from(exit::USAGE)
}
