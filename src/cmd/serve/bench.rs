//! `folio bench --serve`: a load benchmark of `folio serve` on 127.0.0.1 (never another
//! address), bounded in requests and in time. Not a test: it reports, it asserts nothing.
//!
//! In a copy of the project with extra fictional brands (so that branded requests can miss
//! the cache), it starts `folio serve` as a child process and measures:
//! 1. a branded leaflet on a miss, unloaded (one request at a time);
//! 2. cached downloads only (public editions and cached branded ones);
//! 3. the mix: cached downloads, branded misses and personalised POSTs from many clients.
//!
//! For each: requests/s, p50/p95/p99 latency, answers by status; RSS of the server at the
//! start, at request 1,000 and at the end of the mix.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::auth;
use super::client::Client;
use crate::cli::BenchArgs;
use crate::diag::Problem;
use crate::pipeline::Session;

const EDITION: &str = "leaflet-dl";
/// Brands made in phase 1 (misses, one at a time), then served from the cache.
const WARM: usize = 30;

/// One answer: which kind of request, its status, how long it took.
type Sample = (&'static str, u16, Duration);

/// Runs the benchmark and prints the report to standard output.
pub fn run(session: &Session, args: &BenchArgs) -> Result<(), Problem> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Problem::error(format!("bench --serve: {what}: {e}"))
    };
    let dir = tempfile::tempdir().map_err(|e| fail("temporary folder", &e))?;
    let root = dir.path();
    for name in ["folio.yaml", "layouts", "fonts", "content", "brands"] {
        let from = session.root.join(name);
        if from.is_dir() {
            crate::export::copy_tree(&from, &root.join(name), &|_| true)
                .map_err(|e| fail("copy", &e))?;
        } else if from.is_file() {
            std::fs::copy(&from, root.join(name)).map_err(|e| fail("copy", &e))?;
        }
    }
    // Fictional brands, so that branded requests can miss the cache: each gets a token.
    let example = std::fs::read_to_string(root.join("brands/riverside-example/brand.yaml"))
        .map_err(|e| fail("the example brand brands/riverside-example", &e))?;
    let mut tokens = Vec::new();
    let mut entries = Vec::new();
    for i in 0..args.brands.max(1) {
        let id = format!("bench-{i:03}");
        let folder = root.join("brands").join(&id);
        std::fs::create_dir_all(&folder).map_err(|e| fail("brand", &e))?;
        let text = example.replace(
            "Riverside Example Hospitals (fictional)",
            &format!("Bench Example Trust {i} (fictional)"),
        );
        std::fs::write(folder.join("brand.yaml"), text).map_err(|e| fail("brand", &e))?;
        std::fs::copy(
            root.join("brands/riverside-example/logo.png"),
            folder.join("logo.png"),
        )
        .map_err(|e| fail("logo", &e))?;
        let token = auth::random_secret();
        entries.push(auth::TokenLine {
            brand: id.clone(),
            id: format!("{i}"),
            hash: auth::hash(&token),
        });
        tokens.push((id, token));
    }
    std::fs::write(root.join("tokens"), auth::format(&entries)).map_err(|e| fail("tokens", &e))?;
    let exe = std::env::current_exe().map_err(|e| fail("folio", &e))?;
    let built = Command::new(&exe)
        .args(["build", "--quiet", &args.publication])
        .current_dir(root)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        return Err(Problem::error(
            "bench --serve: the publication does not build",
        ));
    }
    let mut server = Server::start(&exe, root, args.clients)?;
    let rss_start = rss_mib(server.child.id());
    let path = format!("/{}/{EDITION}.pdf", args.publication);
    let form = format!("/{}/{EDITION}/personalise", args.publication);
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);

    // 1. Branded misses, one at a time (the first brands).
    let half = WARM.min(tokens.len());
    let mut unloaded = Vec::new();
    let mut client = Client::new(server.addr);
    for (brand, token) in tokens.iter().take(half) {
        let started = Instant::now();
        let (status, _) = client.send("GET", &format!("{path}?brand={brand}"), token, None);
        unloaded.push(("branded miss", status, started.elapsed()));
    }
    report(
        "1. branded leaflet on a miss, unloaded (one request at a time)",
        &unloaded,
        None,
    );

    // 2. Cached downloads only.
    let cached = |i: usize| -> (String, Option<&str>) {
        if i.is_multiple_of(2) {
            (path.clone(), None)
        } else {
            let (brand, token) = &tokens[i % half];
            (format!("{path}?brand={brand}"), Some(token.as_str()))
        }
    };
    let (samples, wall) = load(
        server.addr,
        args.clients,
        args.requests / 2,
        deadline,
        |i| {
            let (p, t) = cached(i);
            ("cached download", "GET", p, t.map(str::to_string), None)
        },
        &|_| {},
    );
    report(
        "2. cached downloads only (public and branded)",
        &samples,
        Some(wall),
    );

    // 3. The mix: 85 % cached downloads, 5 % branded misses, 10 % personalised POSTs.
    let misses = AtomicUsize::new(half);
    let rss_at_1000 = Mutex::new(None);
    let pid = server.child.id();
    let (samples, wall) = load(
        server.addr,
        args.clients,
        args.requests,
        deadline,
        |i| match i % 20 {
            0 | 10 => {
                let body = format!(
                    "contact-name=Patient+{i}&phone=01632+960+{:03}&note=Bring+this+leaflet",
                    i % 1000
                );
                let (brand, token) = &tokens[i % half];
                (
                    "personalised POST",
                    "POST",
                    format!("{form}?brand={brand}"),
                    Some(token.clone()),
                    Some(body),
                )
            }
            5 => {
                // Each brand misses once; past the last one, these are hits (and counted so).
                let k = misses.fetch_add(1, Ordering::Relaxed).min(tokens.len() - 1);
                let (brand, token) = &tokens[k];
                (
                    "branded miss",
                    "GET",
                    format!("{path}?brand={brand}"),
                    Some(token.clone()),
                    None,
                )
            }
            _ => {
                let (p, t) = cached(i);
                ("cached download", "GET", p, t.map(str::to_string), None)
            }
        },
        &|done| {
            if done == 1000 {
                *rss_at_1000.lock().expect("rss") = rss_mib(pid);
            }
        },
    );
    report(
        &format!("3. mixed load, {} clients", args.clients),
        &samples,
        Some(wall),
    );
    let rss_end = rss_mib(server.child.id());
    let at_1000 = *rss_at_1000.lock().expect("rss");
    println!(
        "server RSS: start {} MiB, at request 1,000 {} MiB, end {} MiB",
        show(rss_start),
        show(at_1000),
        show(rss_end)
    );
    server.stop();
    Ok(())
}

fn show(mib: Option<u64>) -> String {
    mib.map_or("?".into(), |m| m.to_string())
}

/// Resident memory of a process, in MiB (Linux).
fn rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// What one request sends: (kind, method, path, token, form body).
type Planned = (
    &'static str,
    &'static str,
    String,
    Option<String>,
    Option<String>,
);

/// Sends `count` requests from `clients` threads (each on its own kept-alive connection),
/// stopping at `deadline`; `after(n)` is called as the n-th answer arrives.
fn load(
    addr: SocketAddr,
    clients: usize,
    count: usize,
    deadline: Instant,
    plan: impl Fn(usize) -> Planned + Sync,
    after: &(dyn Fn(usize) + Sync),
) -> (Vec<Sample>, Duration) {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let samples = Mutex::new(Vec::with_capacity(count));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..clients.max(1) {
            scope.spawn(|| {
                let mut client = Client::new(addr);
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || Instant::now() > deadline {
                        break;
                    }
                    let (kind, method, path, token, body) = plan(i);
                    let t = Instant::now();
                    let (status, miss) = client.send(
                        method,
                        &path,
                        token.as_deref().unwrap_or(""),
                        body.as_deref(),
                    );
                    // A branded request is a miss only when the server says it compiled.
                    let kind = if kind == "branded miss" && !miss {
                        "cached download"
                    } else {
                        kind
                    };
                    mine.push((kind, status, t.elapsed()));
                    after(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
                samples.lock().expect("samples").extend(mine);
            });
        }
    });
    (samples.into_inner().expect("samples"), started.elapsed())
}

/// Prints requests/s, latency percentiles and answers by status, per kind of request.
fn report(title: &str, samples: &[Sample], wall: Option<Duration>) {
    println!("\n{title}");
    if let Some(wall) = wall {
        println!(
            "  {} requests in {:.2} s: {:.0} requests/s",
            samples.len(),
            wall.as_secs_f64(),
            samples.len() as f64 / wall.as_secs_f64()
        );
    }
    let mut kinds: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        kinds.entry(s.0).or_default().push(s);
    }
    for (kind, list) in kinds {
        let mut ok: Vec<Duration> = list.iter().filter(|s| s.1 < 400).map(|s| s.2).collect();
        ok.sort();
        let pct = |p: f64| {
            ok.get(((ok.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        for s in &list {
            *statuses.entry(s.1).or_default() += 1;
        }
        let statuses: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        println!(
            "  {kind:<18} {:>6} requests; successful ones p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; statuses {}",
            list.len(),
            pct(0.50),
            pct(0.95),
            pct(0.99),
            statuses.join(", ")
        );
    }
}

/// `folio serve` as a child process on 127.0.0.1, any free port.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(
        exe: &std::path::Path,
        root: &std::path::Path,
        clients: usize,
    ) -> Result<Server, Problem> {
        let queue = (clients * 2).to_string();
        let mut child = Command::new(exe)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--tokens",
                "tokens",
                "--rate-limit",
                "0",
                "--queue",
                &queue,
            ])
            .current_dir(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| Problem::error(format!("bench --serve: cannot start folio serve: {e}")))?;
        let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(at) = line.find("listening on http://") {
                        break line[at + 20..].trim_end_matches('/').parse().ok();
                    }
                }
                _ => break None,
            }
        };
        // The log is read and dropped, so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        match addr {
            Some(addr) => Ok(Server { child, addr }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(Problem::error("bench --serve: folio serve did not start"))
            }
        }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}
