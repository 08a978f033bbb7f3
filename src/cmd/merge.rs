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
pub struct Outcome {
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
pub fn run(session: &Session, plan: &MergePlan) -> Result<Outcome, Problem> {
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
    let staging = tempfile::Builder::new()
        .prefix(".folio-merge-")
        .tempdir_in(&parent)
        .map_err(|e| io(&parent, e))?;
    let mut outcome = Outcome::default();
    for shard in &plan.shards {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(shard)
            .map_err(|e| io(shard, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
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
            crate::export::copy_tree(&folder, &staging.path().join(&id), &|_| true)
                .map_err(|e| io(&folder, e))?;
            outcome.publications.insert(id, shard.clone());
        }
    }
    // The catalogue, from the merged publications' entries, as a single build writes it.
    crate::site::write_catalogue(
        &session.root,
        &session.project,
        staging.path(),
        session.today,
    )?;
    let _ = std::fs::remove_dir(&plan.out);
    let staged = staging.keep();
    std::fs::rename(&staged, &plan.out).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        io(&plan.out, e)
    })?;
    Ok(outcome)
}
