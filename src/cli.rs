//! Command-line interface (clap derive): a leaf, clap types only. Help text comes from
//! these doc comments; each command module in `cmd/` turns its arguments into a plan.

use std::path::PathBuf;

use clap::{Args, ColorChoice, Parser, Subcommand, ValueEnum};

/// folio: write a patient-information publication once, get every edition as PDF.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The project folder (the one with folio.yaml).
    #[arg(long, global = true, default_value = ".", env = "FOLIO_ROOT")]
    pub root: PathBuf,
    /// When to colour messages (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Build date as seconds since 1970 (reproducible builds); default: each publication's
    /// date-reviewed.
    #[arg(long, global = true, env = "SOURCE_DATE_EPOCH", hide_env_values = true)]
    pub source_date_epoch: Option<i64>,
    /// Check review dates against this date (YYYY-MM-DD) instead of today.
    #[arg(long, global = true, env = "FOLIO_TODAY", hide = true)]
    pub today: Option<chrono::NaiveDate>,
    /// How many editions and publications to make at once (default: one per core).
    #[arg(
        long,
        short = 'j',
        global = true,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub jobs: usize,
}

/// How `folio check` prints findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics, coloured on a terminal.
    Human,
    /// One JSON array of findings, for CI.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build PDFs of every edition of the publications under content/.
    Build(BuildArgs),
    /// Check publications: review dates, metadata, structure, readability, layout.
    Check(CheckArgs),
    /// Build, then rebuild every edition (PDFs and page previews) on each save.
    Watch(WatchArgs),
    /// Measure build speed and memory on this machine (use a --release build).
    Bench(BenchArgs),
    /// Combine the output folders of sharded builds (`build --shard I/N`) into one.
    Merge(MergeArgs),
    /// Work with translations (`content/<id>/<id>.<lang>.md`).
    #[command(subcommand)]
    Translation(TranslationCommand),
    /// Serve dist/ over HTTP, and make co-branded and personalised editions on demand.
    Serve(ServeArgs),
    /// Issue or revoke the access tokens `folio serve` accepts for a brand.
    Token(TokenArgs),
    /// Record that the publication's text as it is now was approved (appends to
    /// `content/<id>/<id>.approvals.yaml` and keeps the text in `content/<id>/approved/`).
    Approve(ApproveArgs),
    /// Write a reviewer's PDF: the booklet with change bars and marked words since an
    /// approved version (`dist/<id>/review/<id>-review-<since>-to-<version>.pdf`).
    Review(ReviewArgs),
    /// Check every file catalogue.json lists against its size and SHA-256 (after copying
    /// the output folder, for example); exit 1 naming each file that differs.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The publication (folder name under content/).
    pub publication: String,
    /// A translation's language, as in its file name (`cy` for `<id>.cy.md`).
    pub language: Option<String>,
    /// Who approves it, as "Name, role" (repeat for each person approving this text).
    #[arg(long, required = true, value_name = "NAME, ROLE")]
    pub by: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The publication (folder name under content/).
    pub publication: String,
    /// A translation's language, as in its file name (`cy` for `<id>.cy.md`).
    pub language: Option<String>,
    /// The approved version to show changes since (default: the last approved one; with no
    /// approval at all, everything is shown as inserted).
    #[arg(long, value_name = "VERSION")]
    pub since: Option<String>,
    /// The edition to lay the review out in (default: `web.cover`, else the first
    /// one-language screen edition, the booklet in the shipped project).
    #[arg(long, short, value_name = "NAME")]
    pub edition: Option<String>,
    /// Where to write it: OUT/<publication>/review/.
    #[arg(long, short, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The output folder to check (it needs no project around it).
    #[arg(long, short, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output folder to make (it must not hold other publications).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// The output folders of the shards, each from `folio build --shard I/N --out DIR`.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
}

/// `folio translation …`
#[derive(Debug, Subcommand)]
pub enum TranslationCommand {
    /// Record that a translation is current with its source as it is now (after a
    /// translator checked it): writes `content/<id>/<id>.<lang>.confirmed.yaml`, the hash of
    /// each source section, which `folio check` compares with the source from then on.
    Confirm(ConfirmArgs),
}

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// The publication (folder name under content/).
    pub publication: String,
    /// The translation's language, as in its file name (`cy` for `<id>.cy.md`).
    pub language: String,
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// The tokens file (`folio token new`); without it, no brand can be downloaded.
    #[arg(long, value_name = "FILE")]
    pub tokens: Option<PathBuf>,
    /// The built output to serve (`folio build --out`).
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub dist: PathBuf,
    /// Compile workers: how many co-branded or personalised editions are made at once
    /// (0: one per core). In `folio serve` this takes the place of --jobs.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub workers: usize,
    /// The global --jobs, hidden here: `serve` makes editions with --workers (a --jobs given
    /// to `serve` is taken as --workers when that is not given).
    #[arg(long, short = 'j', hide = true, value_name = "N")]
    pub jobs: Option<usize>,
    /// Compiles that may wait for a worker; more are refused with 503 and Retry-After.
    #[arg(long, default_value_t = 16)]
    pub queue: usize,
    /// Requests per second each client may make (bursts of twice as many); 0: no limit.
    #[arg(long, default_value_t = 20)]
    pub rate_limit: u32,
    /// Seconds a compile may take before the request is answered with 503.
    #[arg(long, default_value_t = 30)]
    pub compile_timeout: u64,
    /// Mark the session cookie `Secure` (when a reverse proxy serves HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Seconds a client may take to send a request's headers, and again its body; slower
    /// connections are closed (headers) or answered 408 (body).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub read_timeout: u64,
    /// How the log on standard error is written: text, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How `folio serve` writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `[serve] req=ID METHOD ROUTE STATUS TIMEms`, one line per request.
    Text,
    /// One JSON object per line: time, level, request id, method, route, status, duration.
    Json,
}

/// `folio token …`. The global --jobs and --source-date-epoch do nothing here and are left
/// out of its help (each is defined hidden in their place).
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
    #[arg(long, short = 'j', hide = true, value_name = "N")]
    pub jobs: Option<usize>,
    #[arg(long, hide = true)]
    pub source_date_epoch: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a new token for BRAND: printed once, alone on the last line; only its hash is kept.
    New {
        /// The brand (folder name under brands/).
        brand: String,
        /// The tokens file (created when missing). Keep it out of the repository.
        #[arg(long, value_name = "FILE")]
        tokens: PathBuf,
    },
    /// Revoke BRAND's tokens: the one with --id, or all of them.
    Revoke {
        /// The brand (folder name under brands/).
        brand: String,
        /// The tokens file.
        #[arg(long, value_name = "FILE")]
        tokens: PathBuf,
        /// The token's id (printed by `folio token new`); default: every token of BRAND.
        #[arg(long)]
        id: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The publication to measure.
    #[arg(default_value = "all-treatment")]
    pub publication: String,
    /// Runs of each cold measurement; the median is reported (with --corpus and --typst:
    /// runs of folio and of the typst CLI, taken in turn).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// One-word edits for the warm-rebuild and memory figures.
    #[arg(long, default_value_t = 200)]
    pub edits: usize,
    /// A `typst` CLI to compare with (compiles the emitted projects, one per edition, as many at a time as folio has workers).
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,
    /// Instead: generate a synthetic project of N publications in a temporary folder and
    /// measure a whole-catalogue build (cold, no-op, one changed; peak memory).
    #[arg(long, value_name = "N")]
    pub corpus: Option<usize>,
    /// --corpus: keep the generated project in this folder (made if missing; must be
    /// empty) to measure it again or look at it, instead of a temporary folder.
    #[arg(long, value_name = "DIR", requires = "corpus")]
    pub keep: Option<PathBuf>,
    /// Instead: load-test `folio serve` on 127.0.0.1 (cached downloads, branded misses,
    /// personalised POSTs), in a copy of the project with extra fictional brands.
    #[arg(long)]
    pub serve: bool,
    /// --serve: requests of the mixed load (the cached-only phase sends half as many).
    #[arg(long, default_value_t = 10_000, requires = "serve")]
    pub requests: usize,
    /// --serve: concurrent clients.
    #[arg(long, default_value_t = 50, requires = "serve")]
    pub clients: usize,
    /// --serve: fictional brands to make (each misses the cache once; 30 are made first).
    #[arg(long, default_value_t = 530, requires = "serve")]
    pub brands: usize,
    /// --serve: stop sending after this many seconds, whatever is left.
    #[arg(long, default_value_t = 300, requires = "serve")]
    pub max_seconds: u64,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Where to write the PDFs and previews.
    #[arg(long, short, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Build even when a publication is past its next-review date; every page then says so.
    #[arg(long)]
    pub allow_overdue: bool,
    /// Build text that differs from its last approval (`folio approve`) even when folio.yaml
    /// says `approval: required`; every page then says "Draft, not approved".
    #[arg(long)]
    pub allow_unapproved: bool,
    /// Build translations whose source has a newer version (a warning instead of an error);
    /// their PDFs then say so on the first page.
    #[arg(long)]
    pub allow_outdated_translations: bool,
    /// Serve a live preview page on 127.0.0.1 that refreshes after every rebuild.
    #[arg(long)]
    pub serve: bool,
    /// The preview page's port (default: the first free one from 3000).
    #[arg(long, requires = "serve")]
    pub port: Option<u16>,
    /// Print only problems.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Also print a readability table per section.
    #[arg(long)]
    pub readability: bool,
    /// Only the print editions (`pdf: press`) and their preflight: what a printer checks.
    #[arg(long)]
    pub print: bool,
    /// Report translations whose source has a newer version, or that lack a section, as
    /// warnings instead of errors.
    #[arg(long)]
    pub allow_outdated_translations: bool,
}

/// Which publications and editions a command works on.
#[derive(Debug, Args, Clone, Default)]
pub struct Selection {
    /// Publications (folder names under content/); default: all of them.
    #[arg(value_name = "PUBLICATION")]
    pub publications: Vec<String>,
    /// Only these editions (repeat the option for more); default: every edition.
    #[arg(long = "edition", short = 'e', value_name = "NAME")]
    pub editions: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Where to write the PDFs: OUT/<publication>/<publication>-<edition>.pdf.
    #[arg(long, short, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Also write the exact Typst project compiled for each edition to DIR, so that a
    /// designer can open it in a Typst editor.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Build even when a publication is past its next-review date; every page then says so.
    #[arg(long)]
    pub allow_overdue: bool,
    /// Build text that differs from its last approval (`folio approve`) even when folio.yaml
    /// says `approval: required`; every page then says "Draft, not approved".
    #[arg(long)]
    pub allow_unapproved: bool,
    /// Build translations whose source has a newer version (a warning instead of an error);
    /// their PDFs then say so on the first page.
    #[arg(long)]
    pub allow_outdated_translations: bool,
    /// Also write PNG previews of every page and a contact sheet per edition, under
    /// OUT/<publication>/preview/<edition>/.
    #[arg(long)]
    pub previews: bool,
    /// Print only problems: no progress, no list of files written.
    #[arg(long, short)]
    pub quiet: bool,
    /// Rebuild every publication, even those whose inputs and outputs have not changed.
    #[arg(long)]
    pub force: bool,
    /// Build only shard I of N (0 ≤ I < N): each publication falls in exactly one shard, by a
    /// stable hash of its id. For CI matrices and Kubernetes Indexed Jobs; see `folio merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Also build the editions that carry "Your hospital team" for these partners
    /// (brands/<ID>/brand.yaml), into OUT/<publication>/brands/<ID>/.
    #[arg(long = "brand", value_name = "ID", num_args = 1..)]
    pub brands: Vec<String>,
    /// Also build them for every partner under brands/.
    #[arg(long, conflicts_with = "brands")]
    pub all_brands: bool,
}

/// `--shard I/N`: this machine's part of a build split over N machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N, e.g. 0/4"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` is not a shard number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a shard count"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index} of {count} does not exist: use 0 to {}",
                count.max(1) - 1
            ));
        }
        Ok(Shard { index, count })
    }
}
