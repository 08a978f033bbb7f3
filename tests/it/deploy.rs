//! Deployment: the GitHub workflow against GitHub's schema, the Kubernetes manifests against
//! the Kubernetes API's own models, the probes of `folio serve`, and the container image,
//! built from `deploy/container/Containerfile` with Podman and run as its unprivileged user
//! on a read-only root.
//!
//! The tools come from `tests/setup/` scripts, run when missing: Podman and debootstrap from
//! Debian; check-jsonschema and the Kubernetes client from PyPI, in a virtual environment.
//! Both, and the base image, are kept under `~/.cache/folio-test/`, outside the repository.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use crate::brands::{shipped_with_brands, EXAMPLE};
use crate::serve::{request, Response, Server};
use crate::support::{repo, TODAY};

/// Where the tests keep what they install and make, reused between runs.
fn cache() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache/folio-test")
}

/// Runs a setup script with `args`; panics with its output when it fails.
fn setup(script: &str, args: &[&Path]) {
    let path = repo().join("tests/setup").join(script);
    let out = Command::new("bash")
        .arg(&path)
        .args(args)
        .output()
        .expect("runs the setup script");
    assert!(
        out.status.success(),
        "{} failed (run it as root):\n{}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Python environment with check-jsonschema and the Kubernetes client.
fn venv() -> PathBuf {
    let venv = cache().join("venv");
    setup("install-python-tools.sh", &[venv.as_path()]);
    venv
}

fn yaml(path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every YAML document of a file (a manifest file may hold several).
fn documents(path: &Path) -> Vec<serde_yaml::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|d| <serde_yaml::Value as serde::Deserialize>::deserialize(d).unwrap())
        .filter(|d| !d.is_null())
        .collect()
}

fn manifests() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("deploy/kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

fn text(value: &serde_yaml::Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[test]
fn the_workflow_is_a_valid_github_workflow_that_runs_every_early_morning_with_one_date() {
    let venv = venv();
    let workflow = repo().join(".github/workflows/catalogue.yml");
    let out = Command::new(venv.join("bin/check-jsonschema"))
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(&workflow)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let wf = yaml(".github/workflows/catalogue.yml");
    // Once a day, early in the morning in the UK whether on GMT or BST (UTC+1).
    let schedule = wf["on"]["schedule"].as_sequence().expect("a schedule");
    assert_eq!(schedule.len(), 1);
    let cron: Vec<&str> = text(&schedule[0]["cron"]).split_whitespace().collect();
    assert_eq!(cron.len(), 5, "{cron:?}");
    let hour: u32 = cron[1].parse().expect("one hour");
    assert!(cron[0].parse::<u32>().is_ok(), "one minute: {cron:?}");
    assert!(
        (3..=5).contains(&hour),
        "{hour}:00 UTC is not early morning in the UK"
    );
    assert_eq!(&cron[2..], ["*", "*", "*"], "every day");
    assert!(
        wf["on"].get("workflow_dispatch").is_some(),
        "runs on demand"
    );

    // The date is fixed once, and every shard checks against it.
    let date = &wf["jobs"]["date"];
    assert!(text(&date["outputs"]["today"]).contains("steps."));
    let fixing = date["steps"][0]["run"].as_str().unwrap();
    assert!(fixing.contains("TZ=Europe/London"), "{fixing}");
    let shard = &wf["jobs"]["shard"];
    assert_eq!(text(&shard["needs"]), "date");
    assert_eq!(
        text(&shard["env"]["FOLIO_TODAY"]),
        "${{ needs.date.outputs.today }}"
    );

    // dist/ is what the merge job uploads to Pages, and the publish job deploys it.
    let uses = |job: &str| -> Vec<(String, serde_yaml::Value)> {
        wf["jobs"][job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| {
                s["uses"]
                    .as_str()
                    .map(|u| (u.to_string(), s["with"].clone()))
            })
            .collect()
    };
    let pages = uses("merge")
        .into_iter()
        .find(|(u, _)| u.starts_with("actions/upload-pages-artifact@"))
        .expect("the merge job uploads dist/ for Pages");
    assert_eq!(text(&pages.1["path"]), "dist");
    let publish = &wf["jobs"]["publish"];
    assert_eq!(text(&publish["needs"]), "merge");
    assert_eq!(text(&publish["permissions"]["pages"]), "write");
    assert!(uses("publish")
        .iter()
        .any(|(u, _)| u.starts_with("actions/deploy-pages@")));
}

/// Loads each document into the Kubernetes client's model for its kind and writes it back: a
/// misspelt or misplaced field is dropped by the model, so the two differ; a wrong type or a
/// missing required field is an error. Prints `<file> <Model> <name>` per document.
const LOAD_MANIFESTS: &str = r#"
import json, sys, yaml
from kubernetes.client import ApiClient
api = ApiClient()
for path in sys.argv[1:]:
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if doc is None:
                continue
            version = doc["apiVersion"].rpartition("/")[2]
            model = version[0].upper() + version[1:] + doc["kind"]
            obj = api.deserialize(json.dumps(doc), model, "application/json")
            back = api.sanitize_for_serialization(obj)
            if back != doc:
                sys.exit(f"{path}: {model} {doc['metadata']['name']} is not what the API reads:\n"
                         f"  written: {json.dumps(doc, sort_keys=True)}\n"
                         f"  read:    {json.dumps(back, sort_keys=True)}")
            print(path, model, doc["metadata"]["name"])
"#;

#[test]
fn every_kubernetes_manifest_is_what_the_kubernetes_api_models_read() {
    let venv = venv();
    let files = manifests();
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", LOAD_MANIFESTS])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded: Vec<(String, String)> = stdout
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[1].to_string(), f[2].to_string())
        })
        .collect();
    let count: usize = files.iter().map(|f| documents(f).len()).sum();
    assert_eq!(loaded.len(), count, "every document was loaded: {stdout}");
    for (model, name) in [
        ("V1Job", "folio-build"),
        ("V1Job", "folio-merge"),
        ("V1Deployment", "folio-serve"),
        ("V1Service", "folio-serve"),
        ("V1PersistentVolumeClaim", "folio-output"),
    ] {
        assert!(
            loaded.iter().any(|(m, n)| m == model && n == name),
            "{model} {name} in {stdout}"
        );
    }
}

/// The pod specs of the manifests, by object name.
fn pods() -> BTreeMap<String, serde_yaml::Value> {
    manifests()
        .iter()
        .flat_map(|f| documents(f))
        .filter(|d| matches!(text(&d["kind"]), "Job" | "Deployment"))
        .map(|d| {
            (
                text(&d["metadata"]["name"]).to_string(),
                d["spec"]["template"]["spec"].clone(),
            )
        })
        .collect()
}

/// The user the Containerfile runs as (`USER uid:gid`).
fn image_user() -> String {
    let recipe = std::fs::read_to_string(repo().join("deploy/container/Containerfile")).unwrap();
    recipe
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the Containerfile names a USER")
        .trim()
        .to_string()
}

#[test]
fn every_folio_pod_runs_the_one_image_as_its_user_unprivileged_on_a_read_only_root() {
    let pods = pods();
    assert_eq!(
        pods.keys().collect::<Vec<_>>(),
        ["folio-build", "folio-merge", "folio-serve"]
    );
    let user = image_user();
    let mut images = Vec::new();
    for (name, pod) in &pods {
        let security = &pod["securityContext"];
        assert_eq!(security["runAsNonRoot"].as_bool(), Some(true), "{name}");
        let uid = security["runAsUser"].as_u64().unwrap();
        let gid = security["runAsGroup"].as_u64().unwrap();
        assert_eq!(
            format!("{uid}:{gid}"),
            user,
            "{name} runs as the image's user"
        );
        for container in pod["containers"].as_sequence().unwrap() {
            let security = &container["securityContext"];
            assert_eq!(security["allowPrivilegeEscalation"].as_bool(), Some(false));
            assert_eq!(security["readOnlyRootFilesystem"].as_bool(), Some(true));
            assert_eq!(
                security["capabilities"]["drop"],
                serde_yaml::Value::Sequence(vec!["ALL".into()]),
                "{name}"
            );
            assert!(
                container["resources"]["requests"]["memory"].is_string()
                    && container["resources"]["limits"]["memory"].is_string(),
                "{name} has memory requests and limits"
            );
            images.push(text(&container["image"]).to_string());
        }
    }
    images.sort();
    images.dedup();
    assert_eq!(images.len(), 1, "one image: {images:?}");
    assert!(images[0].starts_with("registry.example.org/folio:"));
}

#[test]
fn the_serve_deployment_probes_health_and_readiness_and_serves_what_the_merge_job_writes() {
    let pods = pods();
    let serve = &pods["folio-serve"];
    let container = &serve["containers"][0];
    let args: Vec<&str> = container["args"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    let arg = |name: &str| flag(&args, name);
    assert_eq!(args[0], "serve");
    let port = &container["ports"][0];
    assert_eq!(
        arg("bind"),
        format!("0.0.0.0:{}", port["containerPort"].as_u64().unwrap())
    );
    for (probe, path) in [
        ("livenessProbe", "/healthz"),
        ("readinessProbe", "/readyz"),
        ("startupProbe", "/healthz"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(text(&get["path"]), path, "{probe}");
        assert_eq!(get["port"], port["name"], "{probe}");
    }
    // Mounted volumes by mount path.
    let mounts = |pod: &serde_yaml::Value| -> BTreeMap<String, serde_yaml::Value> {
        let volumes = pod["volumes"].as_sequence().unwrap();
        pod["containers"][0]["volumeMounts"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|m| {
                let volume = volumes
                    .iter()
                    .find(|v| v["name"] == m["name"])
                    .expect("a mounted volume is declared");
                (text(&m["mountPath"]).to_string(), volume.clone())
            })
            .collect()
    };
    let served = mounts(serve);
    // The tokens file is in the Secret's mount.
    let tokens = Path::new(arg("tokens"));
    let secret = &served[tokens.parent().unwrap().to_str().unwrap()];
    assert_eq!(text(&secret["secret"]["secretName"]), "folio-tokens");
    assert!(
        secret["secret"].get("items").is_none() && tokens.file_name().unwrap() == "tokens",
        "the Secret's key `tokens` is the file"
    );
    // dist/ is the merge Job's output, on the same claim.
    let merge = &pods["folio-merge"];
    let merged = text(&merge["containers"][0]["args"][0]);
    let dist = Path::new(arg("dist"));
    assert!(merged.contains(&format!("folio merge --out {}", dist.display())));
    let volume = dist.parent().unwrap().to_str().unwrap();
    let claim = |m: &BTreeMap<String, serde_yaml::Value>| {
        text(&m[volume]["persistentVolumeClaim"]["claimName"]).to_string()
    };
    assert_eq!(claim(&served), claim(&mounts(merge)));
    assert_eq!(claim(&served), claim(&mounts(&pods["folio-build"])));
    // A Service in front of the pods, on the named port.
    let service = documents(&repo().join("deploy/kubernetes/serve.yaml"))
        .into_iter()
        .find(|d| text(&d["kind"]) == "Service")
        .expect("a Service");
    let labels = &pods_template_labels("folio-serve");
    for (k, v) in service["spec"]["selector"].as_mapping().unwrap() {
        assert_eq!(&labels[k], v);
    }
    assert_eq!(service["spec"]["ports"][0]["targetPort"], port["name"]);
}

/// The value of `--name=VALUE` among `args`.
fn flag<'a>(args: &[&'a str], name: &str) -> &'a str {
    args.iter()
        .find_map(|a| a.strip_prefix(&format!("--{name}=")))
        .unwrap_or_else(|| panic!("--{name} in {args:?}"))
}

fn pods_template_labels(name: &str) -> serde_yaml::Value {
    manifests()
        .iter()
        .flat_map(|f| documents(f))
        .find(|d| text(&d["kind"]) == "Deployment" && text(&d["metadata"]["name"]) == name)
        .unwrap()["spec"]["template"]["metadata"]["labels"]
        .clone()
}

#[test]
fn the_probes_answer_without_a_log_line_and_readiness_follows_the_tokens_file() {
    let p = shipped_with_brands();
    std::fs::create_dir_all(p.root().join("dist")).unwrap();
    p.folio(&["token", "new", EXAMPLE, "--tokens", "tokens"])
        .succeeds();
    let server = Server::start(&p, &[]);
    let live = server.get("/healthz", &[]);
    assert_eq!(live.status, 200);
    assert_eq!(server.get("/readyz", &[]).status, 200);
    // A broken tokens file denies every token: not ready until it is mended.
    std::fs::write(p.root().join("tokens"), "not a tokens file\n").unwrap();
    let broken = server.get("/readyz", &[]);
    assert_eq!(broken.status, 503, "{}", broken.text());
    assert!(broken.text().contains("tokens"));
    assert_eq!(server.get("/healthz", &[]).status, 200, "still alive");
    // The output folder gone (as while the merge Job replaces it): not ready either.
    std::fs::remove_file(p.root().join("tokens")).unwrap();
    p.folio(&["token", "new", EXAMPLE, "--tokens", "tokens"])
        .succeeds();
    assert_eq!(server.get("/readyz", &[]).status, 200);
    std::fs::remove_dir_all(p.root().join("dist")).unwrap();
    assert_eq!(server.get("/readyz", &[]).status, 503);
    let other = server.get("/nothing-here", &[]);
    assert_eq!(other.status, 404);
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log();
    assert!(log.contains("404"), "other requests are logged: {log}");
    assert!(!log.contains("healthz") && !log.contains("readyz"), "{log}");
}

/// Podman on the test's own storage (vfs, in the cache folder).
struct Podman {
    root: PathBuf,
}

impl Podman {
    fn command(&self) -> Command {
        let mut c = Command::new("podman");
        c.arg("--root")
            .arg(self.root.join("storage"))
            .arg("--runroot")
            .arg(self.root.join("run"))
            .args(["--storage-driver", "vfs"]);
        c
    }

    /// Runs podman with `args`; its standard output, or a panic with its messages.
    fn run(&self, args: &[&str]) -> String {
        let out = self.command().args(args).output().expect("podman runs");
        assert!(
            out.status.success(),
            "podman {args:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// How folio is run from the image.
enum Runner {
    /// `podman run --read-only`, where the sandbox lets a container start.
    Container,
    /// Where it does not: the image's file system, mounted read-only in a private mount
    /// namespace with the volumes bound in, and `chroot --userspec`.
    Chroot {
        rootfs: PathBuf,
        mountpoint: PathBuf,
    },
}

/// Sets up the mounts the chroot runner needs and runs the rest of the command line in the
/// image as USER, with the image's environment and working folder. Any write to the root
/// fails, for root too: the check below stops the run if it would not.
const CHROOT: &str = r#"
set -eu
rootfs=$1; at=$2; output=$3; cache=$4; user=$5; workdir=$6; shift 6
mount --bind "$rootfs" "$at"
mount -o remount,bind,ro "$at"
mount --bind "$output" "$at/output"
mount --bind "$cache" "$at/project/.folio"
mount -t proc proc "$at/proc"
mount --rbind /dev "$at/dev"
if touch "$at/.writable" 2>/dev/null; then echo "the image's root is writable" >&2; exit 97; fi
exec chroot --userspec="$user" --groups="${user#*:}" "$at" /usr/bin/env -i -C "$workdir" "$@"
"#;

/// A configuration value of the image (a Go template of `podman image inspect`).
fn inspect(podman: &Podman, image: &str, format: &str) -> String {
    podman.run(&["image", "inspect", "--format", format, image])
}

struct InImage<'a> {
    podman: &'a Podman,
    image: &'a str,
    runner: Runner,
    user: String,
    workdir: String,
    env: Vec<String>,
    output: PathBuf,
    cache: PathBuf,
}

impl InImage<'_> {
    /// A command running folio in the image with `args`, `env` added to the image's own.
    fn folio(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        match &self.runner {
            Runner::Container => {
                let mut c = self.podman.command();
                c.args(["run", "--rm", "--read-only", "--network", "host"])
                    .arg(format!("--volume={}:/output", self.output.display()))
                    .arg(format!("--volume={}:/project/.folio", self.cache.display()));
                for (k, v) in env {
                    c.arg(format!("--env={k}={v}"));
                }
                c.arg(self.image).args(args);
                c
            }
            Runner::Chroot { rootfs, mountpoint } => {
                let mut c = Command::new("unshare");
                c.args([
                    "--mount",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    CHROOT,
                    "sh",
                ])
                .args([rootfs, mountpoint, &self.output, &self.cache])
                .args([&self.user, &self.workdir])
                .args(&self.env)
                .args(env.iter().map(|(k, v)| format!("{k}={v}")))
                .arg("/usr/local/bin/folio")
                .args(args);
                c
            }
        }
    }
}

/// `folio serve` started in the image; killed when dropped.
struct ServedFromImage {
    child: Child,
    addr: SocketAddr,
}

impl ServedFromImage {
    fn start(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(at) = line.find("listening on http://") {
                        let addr = line[at + 20..].trim_end_matches('/').parse().unwrap();
                        return ServedFromImage { child, addr };
                    }
                    seen.push(line);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(_) => {}
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("folio serve did not start in the image: {seen:?}");
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        request(self.addr, "GET", path, headers, b"")
    }
}

impl Drop for ServedFromImage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file below `dir` by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The build context: the repository's files (no target/, no .git) and this test's folio
/// binary where a release build puts it, which is where the recipe's FOLIO_BIN points.
fn build_context(at: &Path) {
    for entry in std::fs::read_dir(repo()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [".git", "target", "dist", ".folio"].contains(&name.to_str().unwrap()) {
            continue;
        }
        let status = Command::new("cp")
            .args(["-a"])
            .arg(entry.path())
            .arg(at.join(&name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let bin = at.join("target/release/folio");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    // Without its line tables the debug binary is a fraction of the size: a faster image.
    // Where binutils is missing, the binary goes in as it is.
    let stripped = Command::new("objcopy")
        .arg("--strip-debug")
        .arg(env!("CARGO_BIN_EXE_folio"))
        .arg(&bin)
        .status()
        .is_ok_and(|s| s.success());
    if !stripped {
        std::fs::copy(env!("CARGO_BIN_EXE_folio"), &bin).unwrap();
    }
}

#[test]
fn the_container_image_builds_and_runs_folio_unprivileged_on_a_read_only_root() {
    let started = Instant::now();
    if Command::new("podman").arg("--version").output().is_err()
        || Command::new("debootstrap")
            .arg("--version")
            .output()
            .is_err()
    {
        setup("install-podman.sh", &[]);
    }
    let podman = Podman {
        root: cache().join("containers"),
    };
    const BASE: &str = "localhost/folio-test-base:bookworm";
    const IMAGE: &str = "localhost/folio-test:deploy";
    setup(
        "make-base-image.sh",
        &[podman.root.as_path(), Path::new(BASE)],
    );

    // Build the recipe once, on the local base, with this test's binary.
    let work = tempfile::tempdir().unwrap();
    let context = work.path().join("context");
    std::fs::create_dir(&context).unwrap();
    build_context(&context);
    let _ = podman.command().args(["rmi", "--force", IMAGE]).output();
    podman.run(&[
        "build",
        "--isolation=chroot",
        "--layers=false",
        "--pull=never",
        "--file",
        context
            .join("deploy/container/Containerfile")
            .to_str()
            .unwrap(),
        "--build-arg",
        &format!("BASE={BASE}"),
        "--build-arg",
        "FOLIO_BIN=target/release/folio",
        "--build-arg",
        "VERSION=0.0.0-test",
        "--tag",
        IMAGE,
        context.to_str().unwrap(),
    ]);
    let built = started.elapsed();
    // Dangling images from earlier runs would fill the cache folder.
    let _ = podman
        .command()
        .args(["image", "prune", "--force"])
        .output();

    // Labels, and the user: unprivileged.
    let label = |name: &str| {
        inspect(
            &podman,
            IMAGE,
            &format!("{{{{index .Config.Labels \"org.opencontainers.image.{name}\"}}}}"),
        )
    };
    assert_eq!(label("version"), "0.0.0-test");
    assert!(
        label("source").starts_with("https://"),
        "{}",
        label("source")
    );
    assert_eq!(label("licenses"), "MIT AND OFL-1.1");
    let user = inspect(&podman, IMAGE, "{{.Config.User}}");
    assert_eq!(user, image_user());
    let (uid, gid) = user.split_once(':').unwrap();
    assert_ne!(uid, "0");
    let workdir = inspect(&podman, IMAGE, "{{.Config.WorkingDir}}");
    let env: Vec<String> = inspect(&podman, IMAGE, "{{range .Config.Env}}{{println .}}{{end}}")
        .lines()
        .map(str::to_string)
        .collect();

    // Writable volumes, owned by the image's user, as Kubernetes' fsGroup gives them.
    let output = work.path().join("output");
    let folio_cache = work.path().join("cache");
    for dir in [&output, &folio_cache] {
        std::fs::create_dir(dir).unwrap();
        std::os::unix::fs::chown(dir, uid.parse().ok(), gid.parse().ok()).unwrap();
    }
    let probe = podman
        .command()
        .args(["run", "--rm", "--read-only", IMAGE, "--version"])
        .output()
        .unwrap();
    let runner = if probe.status.success() {
        Runner::Container
    } else {
        let mountpoint = work.path().join("root");
        std::fs::create_dir(&mountpoint).unwrap();
        Runner::Chroot {
            rootfs: PathBuf::from(podman.run(&["image", "mount", IMAGE])),
            mountpoint,
        }
    };
    let way = match &runner {
        Runner::Container => "podman run --read-only".to_string(),
        Runner::Chroot { .. } => format!(
            "podman image mount + chroot --userspec={user} on a read-only bind mount \
             (podman run refused: {})",
            String::from_utf8_lossy(&probe.stderr).trim()
        ),
    };
    eprintln!("[deploy] folio ran in the image by: {way}");
    let image = InImage {
        podman: &podman,
        image: IMAGE,
        runner,
        user: user.clone(),
        workdir,
        env,
        output: output.clone(),
        cache: folio_cache,
    };

    // The shipped content built in the image equals the same build on the host.
    let dates = [("SOURCE_DATE_EPOCH", "1790000000"), ("FOLIO_TODAY", TODAY)];
    let run = image
        .folio(&["build", "--quiet", "--out", "/output/dist"], &dates)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "folio build in the image ({way}):\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let host = shipped_with_brands();
    host.folio(&["build", "--quiet"]).succeeds();
    let in_image = tree(&output.join("dist"));
    let on_host = tree(&host.root().join("dist"));
    assert_eq!(
        in_image.keys().collect::<Vec<_>>(),
        on_host.keys().collect::<Vec<_>>()
    );
    let pdfs = on_host
        .keys()
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .count();
    assert!(pdfs >= 6, "{pdfs} PDFs");
    for (path, bytes) in &on_host {
        assert!(in_image[path] == *bytes, "{} differs", path.display());
    }

    // `folio serve` in the image: probes, a public PDF, a co-branded one made there.
    let tokens = output.join("tokens");
    let made = host.folio(&[
        "token",
        "new",
        EXAMPLE,
        "--tokens",
        tokens.to_str().unwrap(),
    ]);
    made.succeeds();
    std::os::unix::fs::chown(&tokens, uid.parse().ok(), gid.parse().ok()).unwrap();
    let token = made.stdout.lines().last().unwrap().to_string();
    let server = ServedFromImage::start(image.folio(
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--dist",
            "/output/dist",
            "--tokens",
            "/output/tokens",
        ],
        &dates,
    ));
    assert_eq!(server.get("/healthz", &[]).status, 200);
    assert_eq!(server.get("/readyz", &[]).status, 200);
    let public = server.get("/all-treatment/leaflet-dl.pdf", &[]);
    assert_eq!(public.status, 200);
    assert_eq!(public.header("content-type"), "application/pdf");
    assert!(public.body == on_host[Path::new("all-treatment/all-treatment-leaflet-dl.pdf")]);
    let bearer = format!("Bearer {token}");
    let branded = server.get(
        &format!("/all-treatment/leaflet-dl.pdf?brand={EXAMPLE}"),
        &[("authorization", &bearer)],
    );
    assert_eq!(branded.status, 200, "{}", branded.text());
    assert!(branded.body.starts_with(b"%PDF-") && branded.body != public.body);
    drop(server);
    if matches!(image.runner, Runner::Chroot { .. }) {
        let _ = podman.command().args(["image", "unmount", IMAGE]).output();
    }
    eprintln!(
        "[deploy] image built in {:.1} s; whole test {:.1} s",
        built.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
