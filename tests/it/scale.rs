//! A whole catalogue: publications built side by side, the content-hash cache, sharded builds
//! merged into one folder, and the CI and Kubernetes files that run them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::{doc, Output, TestProject};

/// A project of `n` small one-edition publications (A5 leaflet only, to keep tests quick).
fn catalogue(n: usize) -> TestProject {
    let p = TestProject::new();
    for i in 0..n {
        let front = doc("").replacen("---\n", "---\neditions: [leaflet-a5]\n", 1);
        let body = format!("## About test {i}\n\nThis is leaflet number {i}. Ask your nurse.\n");
        p.publication(&format!("leaflet-{i:02}"), &format!("{front}{body}"));
    }
    p
}

/// Every file below `dir`, relative, with its modification time.
fn stamps(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut |rel, path| {
        out.push((rel, std::fs::metadata(path).unwrap().modified().unwrap()))
    });
    out.sort();
    out
}

/// Every file below `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut |rel, path| {
        out.push((rel, std::fs::read(path).unwrap()))
    });
    out.sort();
    out
}

fn walk(base: &Path, dir: &Path, f: &mut dyn FnMut(PathBuf, &Path)) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(base, &path, f);
        } else {
            f(path.strip_prefix(base).unwrap().to_path_buf(), &path);
        }
    }
}

/// Runs `folio build ARGS`, asserting it succeeds with `n` publications skipped as unchanged.
fn build_skipping(p: &TestProject, args: &[&str], n: usize) -> Output {
    let out = p.folio(&[&["build"], args].concat());
    out.succeeds();
    let want = format!("{n} publication(s) unchanged");
    assert!(
        out.stderr.contains(&want),
        "{want:?} missing:\n{}",
        out.stderr
    );
    out
}

#[test]
fn a_second_build_with_nothing_changed_rewrites_nothing() {
    let p = catalogue(3);
    p.folio(&["build", "--quiet"]).succeeds();
    let before = stamps(&p.root().join("dist"));
    build_skipping(&p, &[], 3);
    assert_eq!(
        stamps(&p.root().join("dist")),
        before,
        "no file was touched"
    );
}

#[test]
fn a_skipped_publication_still_shows_its_warnings() {
    let p = catalogue(1);
    p.publication(
        "with-warning",
        &doc("## An empty section\n\n## About it\n\nAsk your nurse.\n"),
    );
    let first = p.folio(&["build", "with-warning"]);
    first.succeeds();
    assert!(first.stderr.contains("empty-section"), "{}", first.stderr);
    let again = build_skipping(&p, &["with-warning"], 1);
    assert!(
        again.stderr.contains("empty-section") && again.stderr.contains("with-warning.md:"),
        "the warning is shown again, at its line: {}",
        again.stderr
    );
}

#[test]
fn a_change_to_folio_yaml_that_no_edition_sees_rebuilds_nothing_twice() {
    let p = catalogue(2);
    p.folio(&["build", "--quiet"]).succeeds();
    let before = stamps(&p.root().join("dist"));
    let yaml = p.root().join("folio.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}\n# A comment only people read.\n")).unwrap();
    for _ in 0..2 {
        build_skipping(&p, &[], 2);
    }
    assert_eq!(stamps(&p.root().join("dist")), before);
    // A change an edition sees rebuilds it.
    std::fs::write(
        &yaml,
        text.replacen("leaflet-a5:", "leaflet-a5:\n    min-text-pt: 9", 1),
    )
    .unwrap();
    let out = p.folio(&["build"]);
    out.succeeds();
    assert!(!out.stderr.contains("unchanged"), "{}", out.stderr);
}

#[test]
fn one_changed_publication_is_the_only_one_rebuilt() {
    let p = catalogue(3);
    p.folio(&["build", "--quiet"]).succeeds();
    let before = stamps(&p.root().join("dist"));
    let md = p.root().join("content/leaflet-01/leaflet-01.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replace("Ask your nurse.", "Ask your doctor.")).unwrap();
    build_skipping(&p, &[], 2);
    let after = stamps(&p.root().join("dist"));
    for ((file, then), (_, now)) in before.iter().zip(&after) {
        // The catalogue of the whole project may change with any publication.
        if ["index.html", "catalogue.json", "feed.xml"]
            .iter()
            .any(|f| file == Path::new(f))
        {
            continue;
        }
        let changed = file.starts_with("leaflet-01");
        assert_eq!(then != now, changed, "{}", file.display());
    }
}

#[test]
fn a_deleted_or_edited_pdf_is_built_again_and_force_rebuilds_all() {
    let p = catalogue(2);
    p.folio(&["build", "--quiet"]).succeeds();
    let pdf = p.root().join("dist/leaflet-00/leaflet-00-leaflet-a5.pdf");
    let good = std::fs::read(&pdf).unwrap();
    std::fs::remove_file(&pdf).unwrap();
    build_skipping(&p, &[], 1);
    assert_eq!(std::fs::read(&pdf).unwrap(), good);

    std::fs::write(&pdf, b"%PDF-1.7 damaged").unwrap();
    p.folio(&["build", "--quiet"]).succeeds();
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "an edited PDF is replaced"
    );

    let out = p.folio(&["build", "--force"]);
    out.succeeds();
    assert!(!out.stderr.contains("unchanged"), "{}", out.stderr);
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning_and_never_gives_a_wrong_file() {
    let p = catalogue(1);
    p.folio(&["build", "--quiet"]).succeeds();
    let cache: Vec<PathBuf> = {
        let mut found = Vec::new();
        walk(
            &p.root().join(".folio/cache"),
            &p.root().join(".folio/cache"),
            &mut |_, path| found.push(path.to_path_buf()),
        );
        found
    };
    assert_eq!(cache.len(), 1, "one record per publication: {cache:?}");
    std::fs::write(&cache[0], b"{ not json").unwrap();
    let md = p.root().join("content/leaflet-00/leaflet-00.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, text.replace("Ask your nurse.", "Ring the ward.")).unwrap();
    let out = p.folio(&["build"]);
    out.succeeds();
    assert!(out.stderr.contains("warning"), "{}", out.stderr);
    assert!(out.stderr.contains("damaged"), "{}", out.stderr);
    let pdf = p.pdf("leaflet-00", "leaflet-a5");
    let text = folio_text(&p, "leaflet-00");
    assert!(
        text.contains("Ring the ward"),
        "the new text is built: {text}"
    );
    assert!(!pdf.is_empty());
}

/// The laid-out text of a publication's A5 leaflet, made through the library.
fn folio_text(p: &TestProject, id: &str) -> String {
    let made = p.make(id, "leaflet-a5").unwrap();
    folio::inspect::flat_text(made.doc().unwrap())
}

#[test]
fn a_failed_publication_does_not_stop_the_others() {
    let p = catalogue(3);
    p.file(
        "content/leaflet-01/leaflet-01.md",
        doc("## Broken\n\n![](images/none.png)\n").as_bytes(),
    );
    let out = p.folio(&["build", "--quiet"]);
    out.fails_with(&["leaflet-01.md:"]);
    assert!(p
        .root()
        .join("dist/leaflet-00/leaflet-00-leaflet-a5.pdf")
        .exists());
    assert!(p
        .root()
        .join("dist/leaflet-02/leaflet-02-leaflet-a5.pdf")
        .exists());
    assert!(!p
        .root()
        .join("dist/leaflet-01")
        .join("leaflet-01-leaflet-a5.pdf")
        .exists());
}

#[test]
fn three_shards_built_apart_and_merged_equal_one_whole_build() {
    let p = catalogue(7);
    p.folio(&["build", "--quiet", "--out", "whole"]).succeeds();
    let mut shards = Vec::new();
    for i in 0..3 {
        let dir = format!("shard-{i}");
        p.folio(&[
            "build",
            "--quiet",
            "--shard",
            &format!("{i}/3"),
            "--out",
            &dir,
        ])
        .succeeds();
        shards.push(dir);
    }
    // Each publication is in exactly one shard.
    for i in 0..7 {
        let id = format!("leaflet-{i:02}");
        let homes = shards
            .iter()
            .filter(|s| p.root().join(s).join(&id).exists())
            .count();
        assert_eq!(homes, 1, "{id} is in {homes} shards");
    }
    let mut args = vec!["merge", "--out", "merged"];
    args.extend(shards.iter().map(String::as_str));
    p.folio(&args).succeeds();
    assert_eq!(
        tree(&p.root().join("merged")),
        tree(&p.root().join("whole"))
    );

    // A shard given twice is refused, and nothing is written.
    let out = p.folio(&["merge", "--out", "twice", "shard-0", "shard-0"]);
    out.fails_with(&["in two shards"]);
    assert!(!p.root().join("twice").exists());
}

#[test]
fn an_impossible_shard_is_a_usage_error() {
    let p = catalogue(1);
    let out = p.folio(&["build", "--shard", "3/3"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

/// The shard count and command of a YAML file's build step.
fn yaml(path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(crate::support::repo().join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_github_workflow_runs_as_many_shards_as_it_says_with_commands_folio_accepts() {
    let wf = yaml(".github/workflows/catalogue.yml");
    let shards = wf["env"]["SHARDS"].as_u64().expect("env SHARDS");
    let matrix: Vec<u64> = wf["jobs"]["shard"]["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(matrix, (0..shards).collect::<Vec<_>>());
    let steps = |job: &str| -> Vec<String> {
        wf["jobs"][job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_string))
            .collect()
    };
    let build = steps("shard")
        .into_iter()
        .find(|r| r.contains("folio build"))
        .unwrap();
    assert!(
        build.contains("--shard ${{ matrix.shard }}/${{ env.SHARDS }}"),
        "{build}"
    );
    assert!(steps("merge")
        .iter()
        .any(|r| r.contains("folio merge --out dist")));
    assert_eq!(wf["jobs"]["merge"]["needs"].as_str(), Some("shard"));
    // The command line, with the matrix filled in, is one folio accepts.
    let p = catalogue(1);
    let run = build
        .split("folio ")
        .nth(1)
        .unwrap()
        .replace("${{ matrix.shard }}", "0")
        .replace("${{ env.SHARDS }}", &shards.to_string());
    let args: Vec<&str> = run.split_whitespace().collect();
    p.folio(&args).succeeds();
}

#[test]
fn the_kubernetes_indexed_job_and_its_shard_count_agree() {
    let job = yaml("deploy/kubernetes/build-job.yaml");
    assert_eq!(job["kind"].as_str(), Some("Job"));
    assert_eq!(job["spec"]["completionMode"].as_str(), Some("Indexed"));
    let completions = job["spec"]["completions"].as_u64().unwrap();
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    let command = container["args"][0].as_str().unwrap();
    assert!(
        command.contains(&format!("--shard $(JOB_COMPLETION_INDEX)/{completions}")),
        "{command}"
    );
    let merge = yaml("deploy/kubernetes/merge-job.yaml");
    let merge_command = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
        .as_str()
        .unwrap();
    assert!(merge_command.contains("folio merge --out /output/dist /output/shard-*"));
    // Every index's command is one folio accepts.
    let p = catalogue(2);
    for index in 0..completions {
        let run = command
            .trim_start_matches("folio ")
            .replace("$(JOB_COMPLETION_INDEX)", &index.to_string())
            .replace("/output/", "out/");
        let args: Vec<&str> = run.split_whitespace().collect();
        p.folio(&args).succeeds();
    }
}

#[test]
fn check_of_many_publications_groups_and_counts_every_finding_failures_included() {
    let p = catalogue(3);
    let doubled = doc("## About\n\nAsk the the nurse.\n").replacen(
        "---\n",
        "---\neditions: [leaflet-a5]\n",
        1,
    );
    p.publication("leaflet-01", &doubled);
    p.publication("leaflet-02", "---\ntitle: No end to the front matter\n");
    let human = p.folio(&["check"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("── leaflet-01: 0 error(s), 1 warning(s)"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("1 error(s), 1 warning(s), 0 note(s) in 3 publication(s)"),
        "{}",
        human.stdout
    );
    let json = p.folio(&["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&json.stdout).expect("one JSON array");
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["publication"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("leaflet-01", "doubled-word"),
            ("leaflet-02", "source-error")
        ]
    );
    assert!(findings[1]["location"]["file"]
        .as_str()
        .unwrap()
        .ends_with("leaflet-02.md"));
}

#[test]
fn a_panic_while_making_one_edition_is_an_error_that_spares_the_rest() {
    let p = catalogue(2);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .current_dir(p.root())
        .env("FOLIO_TEST_PANIC", "leaflet-00/leaflet-a5")
        .env("FOLIO_TODAY", crate::support::TODAY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error, not a crash: {stderr}"
    );
    assert!(
        stderr.contains("leaflet-00 (leaflet-a5): folio failed inside the compiler"),
        "{stderr}"
    );
    assert!(p
        .root()
        .join("dist/leaflet-01/leaflet-01-leaflet-a5.pdf")
        .exists());
    assert!(!p
        .root()
        .join("dist/leaflet-00/leaflet-00-leaflet-a5.pdf")
        .exists());
}

/// The number in a report line such as `one publication changed: 0.1 s (6 PDFs rewritten)`.
fn rewritten(report: &str) -> usize {
    let line = report
        .lines()
        .find(|l| l.starts_with("one publication changed:"))
        .unwrap_or_else(|| panic!("no one-changed line in:\n{report}"));
    let (_, tail) = line.split_once('(').expect("a count");
    tail.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn the_corpus_benchmark_builds_a_kept_generated_catalogue_the_same_way_every_time() {
    let p = TestProject::new();
    let bench = |dir: &str| p.folio(&["bench", "--corpus", "3", "--keep", dir]);
    let first = bench("first");
    first.succeeds();
    let report = format!("{}{}", first.stdout, first.stderr);
    for part in [
        "cold build:",
        "for 3 publications",
        "peak RSS",
        "no-op rebuild",
    ] {
        assert!(report.contains(part), "{part:?} missing from:\n{report}");
    }
    // Only the edited publication is rebuilt, in every one of its editions.
    let built = p.root().join("first/dist/corpus-0000");
    let own = std::fs::read_dir(&built)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf" || x == "brf" || x == "epub")
        })
        .count();
    assert!(own >= 4, "corpus-0000 has {own} edition files");
    assert_eq!(rewritten(&report), own, "{report}");
    // The kept corpus is all there, and a second one is generated byte for byte the same.
    bench("second").succeeds();
    let (a, b) = (
        tree(&p.root().join("first/content")),
        tree(&p.root().join("second/content")),
    );
    assert_eq!(a.len(), b.len());
    assert!(a.len() >= 3, "{} files", a.len());
    assert!(a == b, "the generated corpora differ");
    // A kept corpus is never generated over files that are already there.
    bench("first").fails_with(&["first is not empty", "--keep needs a new or empty folder"]);
}
