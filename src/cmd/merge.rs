//! `folio merge`: the output folders of sharded builds combined into one, as a single build
//! would have written it.
//!
//! Each publication folder comes from exactly one shard (a publication in two shards is an
//! error); files a build writes for the whole project are made again here from the merged
//! publications, so the result is byte-identical to a build on one machine. The result is
//! assembled beside `--out` and renamed into place, so a failed merge leaves nothing half done.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::MergeArgs;
use crate::diag::{display_path, Location, Problem};
use crate::pipeline::Session;

/// A checked `folio merge`.
#[derive(Debug, Clone)]
pub struct MergePlan {
    pub out: PathBuf,
    pub shards: Vec<PathBuf>,
}

/// What a merge did.
#[derive(Debug, Default)]
pub struct MergeOutcome {
    /// Publications merged, with the shard each came from.
    pub publications: BTreeMap<String, PathBuf>,
}

impl MergePlan {
    pub fn new(args: &MergeArgs) -> Result<MergePlan, Problem> {
        for shard in &args.shards {
            if !shard.is_dir() {
                return Err(Problem::error(format!(
                    "`{}` is not a shard's output folder",
                    display_path(shard)
                ))
                .hint("pass the folders written by `folio build --shard I/N --out DIR`"));
            }
        }
        // The merged folder must not land inside a shard (it would be read while written,
        // and a shard's files would be replaced by the merge).
        let out = nearest_real(&args.out);
        for shard in &args.shards {
            let shard_real = shard.canonicalize().unwrap_or_else(|_| shard.clone());
            if out.starts_with(&shard_real) || shard_real.starts_with(&out) {
                return Err(Problem::error(format!(
                    "`{}` is inside the shard `{}`, or holds it",
                    display_path(&args.out),
                    display_path(shard)
                ))
                .hint("merge into a new folder beside the shards"));
            }
        }
        let occupied = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
        if occupied {
            return Err(Problem::error(format!(
                "`{}` already holds files",
                display_path(&args.out)
            ))
            .hint("merge into a new or empty folder"));
        }
        Ok(MergePlan {
            out: args.out.clone(),
            shards: args.shards.clone(),
        })
    }
}

/// Copies every shard's publication folders into a new folder, then renames it to `out`.
pub fn run(session: &Session, plan: &MergePlan) -> Result<MergeOutcome, Problem> {
    crate::project::refuse_output_in_sources(&session.root, &plan.out)?;
    let parent = match plan.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |path: &Path, e: std::io::Error| {
        Problem::error(format!("cannot merge: {e}"))
            .at(Location::file(path))
            .hint("check that the folders are readable and the output folder's parent writable")
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    clean_leftovers(&parent);
    let staging = tempfile::Builder::new()
        .prefix(".folio-merge-")
        .tempdir_in(&parent)
        .map_err(|e| io(&parent, e))?;
    let mut outcome = MergeOutcome::default();
    for shard in &plan.shards {
        // Real folders only: a link in a shard is refused below, not followed.
        let mut entries: Vec<PathBuf> = std::fs::read_dir(shard)
            .map_err(|e| io(shard, e))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_type()
                    .is_ok_and(|t| t.is_dir() || (t.is_symlink() && e.path().is_dir()))
            })
            .map(|e| e.path())
            .collect();
        entries.sort();
        for folder in entries {
            let id = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if id.starts_with('.') {
                continue;
            }
            if let Some(first) = outcome.publications.get(&id) {
                return Err(Problem::error(format!(
                    "publication `{id}` is in two shards: {} and {}",
                    display_path(first),
                    display_path(shard)
                ))
                .hint("merge the outputs of one sharded build (the same N), each shard once"));
            }
            let to = staging.path().join(&id);
            copy_files(&folder, &to)?;
            verify_publication(&folder, &to)?;
            outcome.publications.insert(id, shard.clone());
        }
    }
    // The shards' withdrawals, together: the merged feed goes on listing them.
    let mut notices: Vec<crate::site::withdrawn::Notice> = Vec::new();
    for shard in &plan.shards {
        for notice in crate::site::withdrawn::read(shard)? {
            if !notices.contains(&notice) {
                notices.push(notice);
            }
        }
    }
    if !notices.is_empty() {
        notices.sort_by(|a, b| (&a.id, &a.withdrawn).cmp(&(&b.id, &b.withdrawn)));
        // The first withdrawal of each publication is the one on record.
        notices.dedup_by(|later, first| later.id == first.id);
        crate::site::withdrawn::write(staging.path(), &notices)?;
    }
    // The catalogue, from the merged publications' entries, as a single build writes it.
    crate::site::write_catalogue(
        &session.root,
        &session.project,
        staging.path(),
        session.today,
        session.source_date_epoch,
    )?;
    let _ = std::fs::remove_dir(&plan.out);
    let staged = staging.keep();
    std::fs::rename(&staged, &plan.out).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        io(&plan.out, e)
    })?;
    Ok(outcome)
}

/// The path with its longest existing ancestor resolved (the rest appended as given), to
/// compare a folder that may not exist yet with real ones.
fn nearest_real(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for ancestor in absolute.ancestors() {
        if let Ok(real) = ancestor.canonicalize() {
            let rest = absolute.strip_prefix(ancestor).unwrap_or(Path::new(""));
            return real.join(rest);
        }
    }
    absolute
}

/// Removes staging folders that a killed or failed merge left beside the output.
fn clean_leftovers(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_string_lossy()
            .starts_with(".folio-merge-");
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies a shard's publication folder: folders and regular files only. A link (to a
/// file or a folder, inside the shard or not) or a special file (a FIFO would block the
/// merge) is refused by name, never followed or opened.
fn copy_files(from: &Path, to: &Path) -> Result<(), Problem> {
    let refuse = |path: &Path, what: &str| {
        Problem::error(format!(
            "`{}` in a shard is {what}; merge copies only files and folders",
            display_path(path)
        ))
        .at(Location::file(path))
        .hint("build the shard again into a new folder: folio writes no links there")
    };
    let io = |path: &Path, e: std::io::Error| {
        Problem::error(format!("cannot merge: {e}"))
            .at(Location::file(path))
            .hint("check that the shard is readable and the output folder's parent writable")
    };
    let meta = std::fs::symlink_metadata(from).map_err(|e| io(from, e))?;
    if meta.is_symlink() {
        return Err(refuse(from, "a link"));
    }
    std::fs::create_dir_all(to).map_err(|e| io(to, e))?;
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(from)
        .map_err(|e| io(from, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| io(from, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(|e| io(&path, e))?;
        if kind.is_symlink() {
            return Err(refuse(&path, "a link"));
        } else if kind.is_dir() {
            copy_files(&path, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&path, &target).map_err(|e| io(&path, e))?;
        } else {
            return Err(refuse(&path, "not a file (a FIFO, socket or device)"));
        }
    }
    Ok(())
}

/// Checks every catalogue entry of a copied publication (`to`, from `from`): its paths
/// stay in its folder, and each PDF it lists has the size and SHA-256 it records, so a
/// shard edited or damaged after its build is refused, naming the file.
fn verify_publication(from: &Path, to: &Path) -> Result<(), Problem> {
    let mut folders = vec![to.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(to) {
        let mut subs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        subs.sort();
        folders.extend(subs);
    }
    for folder in folders {
        let file = folder.join(crate::site::ENTRY_FILE);
        if !file.is_file() {
            continue;
        }
        let shown = from.join(folder.strip_prefix(to).unwrap_or(Path::new("")));
        let wrong = |why: String, path: &Path| {
            Problem::error(format!("the shard's {why}"))
                .at(Location::file(path))
                .hint("build the shard again: its files are not those its build recorded")
        };
        let entry_file = shown.join(crate::site::ENTRY_FILE);
        let bytes = std::fs::read(&file)
            .map_err(|e| wrong(format!("catalogue entry cannot be read: {e}"), &entry_file))?;
        let entry: crate::site::CatalogueEntry = serde_json::from_slice(&bytes)
            .map_err(|e| wrong(format!("catalogue entry is not valid: {e}"), &entry_file))?;
        entry
            .check_paths()
            .map_err(|why| wrong(format!("catalogue entry is refused: {why}"), &entry_file))?;
        for f in &entry.files {
            crate::site::entry::verify_file(&folder.join(&f.path), f.bytes, &f.sha256).map_err(
                |why| {
                    wrong(
                        format!("file `{}` does not match its entry: {why}", f.path),
                        &shown.join(&f.path),
                    )
                },
            )?;
        }
    }
    Ok(())
}
