//! The index folder on disk: complete generations side by side, one pointer
//! naming the one in use, and a lock held by the run that writes.
//!
//! ```text
//! DIR/CURRENT        the generation in use: "gen-000003"
//! DIR/gen-000003/    a complete index (tantivy files, bulletin-search.json,
//!                    lexicon.json, credits.json, products.json,
//!                    manifest.json, records.json, extracted.*), never
//!                    written again
//! DIR/gen-000002/    the one before, kept for servers not yet switched
//! DIR/.lock          locked (flock) by the `index` run writing into DIR
//! ```
//!
//! A build writes a new generation folder, then switches by writing
//! `CURRENT.tmp` and renaming it over `CURRENT`: one atomic rename, so a
//! run killed at any moment leaves the generation in use whole (the old
//! layout swapped folders with two renames; a kill between them left no
//! index). A second run into the same folder finds the lock taken and
//! stops with an error instead of silently discarding one of two builds.
//! Generations that are neither in use nor the one before (a killed
//! build's, older ones) are removed by the next run. A folder that exists
//! and is neither empty nor an index is refused before anything is written.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::{Error, META_FILE, Result, io};
pub(crate) use crate::error::{sync_dir, write_atomically};

/// The pointer file naming the generation in use.
pub const CURRENT: &str = "CURRENT";
/// The lock file of the run that writes.
const LOCK: &str = ".lock";
/// Generation folders are `gen-` and a number.
const GEN_PREFIX: &str = "gen-";
/// The files an index of the layout before generations kept directly in DIR
/// besides tantivy's own (listed in its `.managed.json`).
const LEGACY_FILES: &[&str] = &[
    META_FILE,
    "lexicon.json",
    "credits.json",
    "products.json",
    "meta.json",
    ".managed.json",
    ".tantivy-meta.lock",
    ".tantivy-writer.lock",
];

/// The folder holding the generation in use in `dir`, with its name:
/// `dir/gen-N` named by `CURRENT`, or `dir` itself for an index written
/// before generations (named ""). `None` when `dir` holds no index.
pub fn current(dir: &Path) -> Result<Option<(PathBuf, String)>> {
    match current_name(dir)? {
        Some(name) => {
            let path = dir.join(&name);
            if !path.join(META_FILE).is_file() {
                return Err(Error::Meta(
                    dir.join(CURRENT),
                    format!("it names {name}, which is not a complete index"),
                ));
            }
            Ok(Some((path, name)))
        }
        None if dir.join(META_FILE).is_file() => Ok(Some((dir.to_path_buf(), String::new()))),
        None => Ok(None),
    }
}

/// The name `CURRENT` holds, if there is one: cheap enough to poll.
pub fn current_name(dir: &Path) -> Result<Option<String>> {
    let pointer = dir.join(CURRENT);
    let raw = match fs::read_to_string(&pointer) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(format!("reading {}", pointer.display()))(e)),
    };
    let name = raw.trim();
    if generation_number(name).is_none() {
        return Err(Error::Meta(
            pointer,
            format!("{name:?} is not a generation"),
        ));
    }
    Ok(Some(name.to_string()))
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GEN_PREFIX)?.parse().ok()
}

/// The generations in `dir`: (number, name), in order.
fn generations(dir: &Path) -> Result<Vec<(u64, String)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(format!("listing {}", dir.display())))? {
        let entry = entry.map_err(io(format!("listing {}", dir.display())))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(n) = generation_number(&name) {
            found.push((n, name));
        }
    }
    found.sort();
    Ok(found)
}

/// Refuses a path that exists and is neither an empty folder nor an index.
fn check_target(dir: &Path) -> Result<()> {
    let meta = match fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(format!("looking at {}", dir.display()))(e)),
    };
    let refuse = |holds: String| Error::NotAnIndex {
        path: dir.to_path_buf(),
        holds,
    };
    if !meta.is_dir() {
        return Err(refuse("a file, not a folder".into()));
    }
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io(format!("listing {}", dir.display())))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let ours = [CURRENT, META_FILE, LOCK];
    if names.is_empty() || names.iter().any(|n| ours.contains(&n.as_str())) {
        return Ok(());
    }
    names.sort();
    let more = names.len() - 1;
    Err(refuse(if more == 0 {
        names[0].clone()
    } else {
        format!("{} and {more} more", names[0])
    }))
}

/// A run writing a new generation into an index folder; holds the lock
/// until it is committed, aborted or dropped.
#[derive(Debug)]
pub struct Writer {
    dir: PathBuf,
    generation: PathBuf,
    name: String,
    previous: Option<String>,
    _lock: File,
}

impl Writer {
    /// Checks that `dir` is an index or empty (or absent), takes its lock,
    /// removes what earlier runs left behind, and makes the new
    /// generation's folder.
    pub fn open(dir: &Path) -> Result<Writer> {
        check_target(dir)?;
        fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        let lock_path = dir.join(LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(format!("opening {}", lock_path.display())))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(Error::Busy(dir.to_path_buf())),
            Err(fs::TryLockError::Error(e)) => {
                return Err(io(format!("locking {}", lock_path.display()))(e));
            }
        }
        let previous = current_name(dir)?;
        // Numbers never repeat, not even a killed build's: a server that
        // failed to open one name never mistakes a later build for it.
        let next = generations(dir)?.last().map_or(1, |(n, _)| n + 1);
        let keep: Vec<String> = previous.iter().cloned().collect();
        remove_generations_except(dir, &keep, previous.as_deref())?;
        remove_orphaned_siblings(dir);
        let name = format!("{GEN_PREFIX}{next:06}");
        let generation = dir.join(&name);
        fs::create_dir(&generation).map_err(io(format!("creating {}", generation.display())))?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            generation,
            name,
            previous,
            _lock: lock,
        })
    }

    /// The new generation's folder, to build into.
    pub fn path(&self) -> &Path {
        &self.generation
    }

    /// Switches the index to the new generation (one atomic rename), then
    /// removes generations older than the one it replaces and the files of
    /// an index written before generations.
    pub fn commit(self) -> Result<()> {
        if !self.generation.join(META_FILE).is_file() {
            return Err(Error::Meta(
                self.generation.clone(),
                "the new generation is incomplete".into(),
            ));
        }
        sync_dir(&self.generation);
        write_atomically(&self.dir, CURRENT, format!("{}\n", self.name).as_bytes())?;
        let mut keep = vec![self.name.clone()];
        keep.extend(self.previous.clone());
        remove_generations_except(&self.dir, &keep, Some(&self.name))?;
        if self.previous.is_none() {
            remove_legacy_files(&self.dir);
        }
        Ok(())
    }

    /// Removes the new generation's folder: the index in use is untouched.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.generation);
    }
}

/// Removes every generation not in `keep`, except the newest complete one
/// older than `current` (a server may still be reading it).
fn remove_generations_except(dir: &Path, keep: &[String], current: Option<&str>) -> Result<()> {
    let all = generations(dir)?;
    let current_n = current.and_then(generation_number);
    let previous = all
        .iter()
        .filter(|(n, name)| {
            current_n.is_some_and(|c| *n < c) && dir.join(name).join(META_FILE).is_file()
        })
        .map(|(_, name)| name.clone())
        .next_back();
    for (_, name) in &all {
        if keep.contains(name) || previous.as_ref() == Some(name) {
            continue;
        }
        let path = dir.join(name);
        fs::remove_dir_all(&path).map_err(io(format!("removing {}", path.display())))?;
    }
    Ok(())
}

/// Removes the index files of the layout before generations from `dir`:
/// tantivy's files (as its `.managed.json` lists them) and the sidecars.
fn remove_legacy_files(dir: &Path) {
    if !dir.join(META_FILE).is_file() {
        return;
    }
    let managed: Vec<String> = fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|raw| serde_json::from_slice(&raw).ok())
        .unwrap_or_default();
    let names = managed
        .iter()
        .map(String::as_str)
        .chain(LEGACY_FILES.iter().copied());
    for name in names.filter(|n| !n.contains('/') && !n.contains('\\')) {
        let _ = fs::remove_file(dir.join(name));
    }
}

/// Removes the sibling build and swap folders of the layout before
/// generations (`.NAME.building-PID`, `.NAME.old-PID`) whose process is gone.
fn remove_orphaned_siblings(dir: &Path) {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let sibling = entry.file_name().to_string_lossy().to_string();
        let pid = [".building-", ".old-"].iter().find_map(|kind| {
            sibling
                .strip_prefix(&format!(".{name}{kind}"))
                .and_then(|pid| pid.parse::<u32>().ok())
        });
        if let Some(pid) = pid
            && !process_alive(pid)
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}
