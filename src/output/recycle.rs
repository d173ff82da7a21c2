//! Files the spare no longer needs, kept in a folder beside the output folder
//! (`.<name>.kiosque-recycled`) instead of removed, and written over when a build needs a new
//! file. On ext4 without a journal, creating a file skips, one lookup each, every inode freed
//! in the last 30 seconds: a one-article rebuild run right after another, which had removed
//! the 2,000 files it replaced, spent half a second of CPU creating its own 2,000.
//!
//! Only a file that no other folder links to is kept, emptied; a kept file is written over
//! only once it is in place, and only if nothing links to it then either, so a file of the
//! output is never written into.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// At most this many files are kept: each costs an inode and a name, and no disk space.
const KEPT_MAX: usize = 20_000;

/// The folder of kept files beside an output folder.
pub(super) struct Recycled {
    dir: PathBuf,
    /// Kept files not yet taken, by name.
    ready: Mutex<Vec<OsString>>,
    /// Files in the folder, taken or not.
    count: AtomicUsize,
    /// What the names of the files this build keeps start with: its own, so that two builds
    /// never name two files alike.
    stamp: String,
    next: AtomicUsize,
    /// Whether the folder exists, once a file is to be kept.
    made: OnceLock<bool>,
}

impl Recycled {
    /// The folder of kept files of the output folder named `name` in `parent`.
    pub(super) fn folder(parent: &Path, name: &str) -> PathBuf {
        parent.join(format!(".{name}.kiosque-recycled"))
    }

    /// The files the folder `dir` holds now; none when it does not exist.
    pub(super) fn list(dir: PathBuf) -> Recycled {
        let entries = fs::read_dir(&dir).into_iter().flatten().flatten();
        let ready: Vec<OsString> = entries
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .map(|entry| entry.file_name())
            .collect();
        let since = std::time::UNIX_EPOCH.elapsed().unwrap_or_default();
        Recycled {
            count: AtomicUsize::new(ready.len()),
            ready: Mutex::new(ready),
            stamp: format!("{}-{:x}", std::process::id(), since.as_nanos()),
            next: AtomicUsize::new(0),
            made: OnceLock::new(),
            dir,
        }
    }

    fn ready(&self) -> MutexGuard<'_, Vec<OsString>> {
        self.ready.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Removes the file at `path`, keeping it for reuse if no other folder links to it.
    pub(super) fn remove(&self, path: &Path) -> std::io::Result<()> {
        // A place is taken before the file is kept, so that two threads never both take
        // the last one.
        if self.count.fetch_add(1, Ordering::Relaxed) < KEPT_MAX && self.keep(path) {
            return Ok(());
        }
        self.count.fetch_sub(1, Ordering::Relaxed);
        fs::remove_file(path)
    }

    fn keep(&self, path: &Path) -> bool {
        let Some(file) = alone(path) else {
            return false;
        };
        if file.set_len(0).is_err() {
            return false;
        }
        // Closed before it moves: ext4 flushes, when it is closed, a file emptied and then
        // written to, which this close settles while there is nothing to flush.
        drop(file);
        let made = self
            .made
            .get_or_init(|| fs::create_dir_all(&self.dir).is_ok());
        let name = format!(
            "{}-{}",
            self.stamp,
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        if !*made || fs::rename(path, self.dir.join(&name)).is_err() {
            return false;
        }
        self.ready().push(name.into());
        true
    }

    /// Writes `bytes` to a new file at `path`: a kept one written over when there is one.
    pub(super) fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let taken = self.ready().pop();
        // Gone when another build took it first: then a file is created.
        if let Some(name) = taken
            && fs::rename(self.dir.join(name), path).is_ok()
        {
            self.count.fetch_sub(1, Ordering::Relaxed);
            if let Some(file) = alone(path) {
                return overwrite(file, bytes);
            }
            fs::remove_file(path)?;
        }
        fs::write(path, bytes)
    }
}

/// The file at `path` opened for writing, if it is a file (not a symbolic link, not a pipe)
/// that no other folder links to.
pub(super) fn alone(path: &Path) -> Option<fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK;
        let mut options = fs::OpenOptions::new();
        options.write(true).custom_flags(flags.bits() as i32);
        let file = options.open(path).ok()?;
        let metadata = file.metadata().ok()?;
        (metadata.is_file() && metadata.nlink() == 1).then_some(file)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Writes `bytes` over what `file` holds. Not emptied first: ext4 flushes a file emptied
/// and written to when it is closed.
pub(super) fn overwrite(mut file: fs::File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    fn inode(path: &Path) -> u64 {
        fs::symlink_metadata(path).unwrap().ino()
    }

    #[test]
    fn a_file_removed_is_the_next_one_written() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Recycled::folder(dir.path(), "public");
        let old = dir.path().join("old.html");
        fs::write(&old, "ancienne page, plus longue que la nouvelle").unwrap();
        let was = inode(&old);

        let recycled = Recycled::list(kept.clone());
        recycled.remove(&old).unwrap();
        assert!(!old.exists());
        let listed = Recycled::list(kept.clone());
        assert_eq!(listed.ready().len(), 1, "kept, and found by the next build");
        let file = kept.join(&listed.ready()[0]);
        assert_eq!(fs::metadata(&file).unwrap().len(), 0, "emptied");

        let new = dir.path().join("new.html");
        listed.write(&new, b"nouvelle").unwrap();
        assert_eq!(fs::read_to_string(&new).unwrap(), "nouvelle");
        assert_eq!(inode(&new), was, "the same file, not a new one");
        assert!(fs::read_dir(&kept).unwrap().next().is_none(), "taken");

        let none = dir.path().join("none.html");
        listed.write(&none, b"rien de plus").unwrap();
        assert_eq!(fs::read_to_string(&none).unwrap(), "rien de plus");
    }

    #[test]
    fn a_file_linked_elsewhere_or_a_symbolic_link_is_removed_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Recycled::folder(dir.path(), "public");
        let live = dir.path().join("live.html");
        fs::write(&live, "page en ligne").unwrap();
        let linked = dir.path().join("linked.html");
        fs::hard_link(&live, &linked).unwrap();
        let symlink = dir.path().join("symlink.html");
        std::os::unix::fs::symlink(&live, &symlink).unwrap();

        let recycled = Recycled::list(kept.clone());
        recycled.remove(&linked).unwrap();
        recycled.remove(&symlink).unwrap();
        assert!(!linked.exists() && fs::symlink_metadata(&symlink).is_err());
        assert_eq!(fs::read_to_string(&live).unwrap(), "page en ligne");
        assert!(!kept.exists(), "nothing kept");
    }

    #[test]
    fn a_kept_file_linked_meanwhile_is_never_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Recycled::folder(dir.path(), "public");
        let old = dir.path().join("old.html");
        fs::write(&old, "x").unwrap();
        Recycled::list(kept.clone()).remove(&old).unwrap();
        let listed = Recycled::list(kept.clone());
        let elsewhere = dir.path().join("elsewhere.html");
        fs::hard_link(kept.join(&listed.ready()[0]), &elsewhere).unwrap();

        let new = dir.path().join("new.html");
        listed.write(&new, b"nouvelle").unwrap();
        assert_eq!(fs::read_to_string(&new).unwrap(), "nouvelle");
        assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "", "left alone");
        assert_ne!(inode(&new), inode(&elsewhere));
    }
}
