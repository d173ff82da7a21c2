//! A build being written to disk: a staging folder beside the output folder, fresh or the
//! spare taken over (see [`Previous::Spare`]), into which a build writes each page as soon as
//! it is rendered, so that the bytes of the whole site are never in memory at once. Once the
//! build is complete, the folder is brought to hold exactly its outputs and swapped into
//! place; a build that fails leaves the output folder as it was.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use super::disk::{check_target, remove_abandoned_staging, stays_inside, swap, write_all};
use super::recycle::Recycled;
use super::spare::{self, Held};
use super::{Body, Outputs, Previous};
use crate::diagnostics::Error;

/// The staging folder of a build on disk.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    spare: PathBuf,
    previous: Previous,
    /// What the spare held when it was taken over as this folder; none for a fresh folder.
    /// Read on a thread of its own (tens of thousands of entries at 10,000 articles) while
    /// the build loads the site, and waited for when first needed.
    held: OnceLock<Option<Held>>,
    reading: Mutex<Option<JoinHandle<Held>>>,
    /// Whether this folder was the spare: a build that fails gives it back.
    was_spare: bool,
    /// Folders this build made in it, relative to it.
    folders: Mutex<HashSet<String>>,
    /// Whether it is in place of the output folder.
    swapped: bool,
}

impl Staging {
    /// Prepares the staging folder of the output folder `target`. Refuses an output folder
    /// that is not empty and that Kiosque did not create.
    pub fn open(target: &Path, previous: Previous) -> Result<Staging, Error> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Output { path, source }
        };
        check_target(target)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.kiosque-staging-");
        remove_abandoned_staging(parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        let spare = parent.join(format!(".{name}.kiosque-spare"));
        let recycled = Recycled::folder(parent, &name);
        let reading = match previous {
            Previous::Spare if spare::claim(&spare, &dir) => {
                let dir = dir.clone();
                Some(std::thread::spawn(move || spare::holds(&dir, recycled)))
            }
            _ => {
                let mut old = vec![&spare, &dir];
                old.extend((previous == Previous::Delete).then_some(&recycled));
                for old in old {
                    if old.exists() {
                        fs::remove_dir_all(old).map_err(io(old))?;
                    }
                }
                fs::create_dir_all(&dir).map_err(io(&dir))?;
                None
            }
        };
        let held = OnceLock::new();
        if reading.is_none() {
            let _ = held.set(None);
        }
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            spare,
            previous,
            was_spare: reading.is_some(),
            held,
            reading: Mutex::new(reading),
            folders: Mutex::default(),
            swapped: false,
        })
    }

    /// Writes a file at an output path now, if it can be: its folder made, a file of the
    /// spare in its place written over, or removed if it is linked elsewhere. Returns the
    /// file as written, or its bytes back for [`Staging::finish`] to write once the spare's
    /// stale files and folders are out of the way (or to report why it cannot).
    pub fn write(&self, path: &str, bytes: Vec<u8>) -> Body {
        if !stays_inside(path) || !self.has_folder_of(path) {
            return Body::Bytes(bytes);
        }
        let file = self.dir.join(path);
        let written = match self.held() {
            Some(held) if held.files.contains_key(path) => {
                spare::write_over(&file, &bytes, &held.recycled)
            }
            Some(held) => held.recycled.write(&file, &bytes),
            None => fs::write(&file, &bytes),
        };
        match written {
            Ok(()) => Body::Written(bytes.len() as u64),
            Err(_) => Body::Bytes(bytes),
        }
    }

    /// Makes the folder of an output path unless it is known to exist; false if it cannot be
    /// made yet (a file of the spare is in its way).
    fn has_folder_of(&self, path: &str) -> bool {
        let Some(folder) = path.rsplit_once('/').map(|(folder, _)| folder) else {
            return true;
        };
        let held = self.held().is_some_and(|h| h.folders.contains(folder));
        if held || self.folders().contains(folder) {
            return true;
        }
        if fs::create_dir_all(self.dir.join(folder)).is_err() {
            return false;
        }
        let mut folders = self.folders();
        let mut at = Some(folder);
        while let Some(folder) = at.filter(|f| folders.insert(f.to_string())) {
            at = folder.rsplit_once('/').map(|(parent, _)| parent);
        }
        true
    }

    fn folders(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.folders.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What the spare held, once read.
    fn held(&self) -> Option<&Held> {
        let held = self.held.get_or_init(|| {
            let reading = self
                .reading
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            let read = reading.map(JoinHandle::join)?;
            Some(read.unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        held.as_ref()
    }

    /// Brings the folder to hold exactly `outputs` (the files [`Staging::write`] wrote among
    /// them), then puts it in place of the output folder.
    pub fn finish(mut self, outputs: &Outputs) -> Result<(), Error> {
        if let Some(path) = outputs.paths().find(|p| !stays_inside(p)) {
            return Err(Error::Output {
                path: self.target.join(path),
                source: std::io::Error::other(format!(
                    "refusing to write `{path}`: the path leads out of the output folder"
                )),
            });
        }
        self.held();
        let written = match self.held.take().flatten() {
            Some(held) => spare::update(outputs, &self.dir, held),
            None => write_all(outputs, &self.dir),
        };
        let keep = (self.previous == Previous::Spare).then_some(self.spare.as_path());
        written.and_then(|()| swap(&self.dir, &self.target, keep))?;
        self.swapped = true;
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not finish leaves the output folder as it was. A spare it took over
    /// is given back (nothing in it is trusted but a file's inode, so what the build wrote
    /// there does no harm); a fresh folder is removed.
    fn drop(&mut self) {
        if self.swapped {
            return;
        }
        // Not while the spare is being read: the reading would go on in another folder.
        self.held();
        if self.was_spare && !self.spare.exists() && fs::rename(&self.dir, &self.spare).is_ok() {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: Vec<(&str, Body)>) -> Outputs {
        let mut outputs = Outputs::default();
        for (path, body) in files {
            outputs.insert_file(path, body);
        }
        outputs
    }

    fn read(dir: &Path, path: &str) -> String {
        fs::read_to_string(dir.join(path)).unwrap()
    }

    /// The names in a folder, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Two builds on disk, so that the next one takes the spare over.
    fn built_twice(dir: &Path) -> PathBuf {
        let target = dir.join("public");
        for round in ["1", "2"] {
            let first = outputs(vec![
                ("index.html", Body::Bytes(round.into())),
                ("old/index.html", Body::Bytes(b"old".to_vec())),
            ]);
            Staging::open(&target, Previous::Spare)
                .unwrap()
                .finish(&first)
                .unwrap();
        }
        target
    }

    #[test]
    fn files_written_while_rendering_are_in_the_output_and_stale_ones_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let target = built_twice(dir.path());
        let staging = Staging::open(&target, Previous::Spare).unwrap();
        let home = staging.write("index.html", b"home 3".to_vec());
        let deep = staging.write("a/b/index.html", b"deep".to_vec());
        assert_eq!((&home, &deep), (&Body::Written(6), &Body::Written(4)));
        let rest = Body::Bytes(b"late".to_vec());
        let all = outputs(vec![
            ("index.html", home),
            ("a/b/index.html", deep),
            ("c.txt", rest),
        ]);
        staging.finish(&all).unwrap();
        assert_eq!(read(&target, "index.html"), "home 3");
        assert_eq!(read(&target, "a/b/index.html"), "deep");
        assert_eq!(read(&target, "c.txt"), "late");
        assert!(!target.join("old").exists(), "a stale folder is removed");
    }

    #[test]
    fn a_file_in_place_of_a_folder_of_the_spare_is_written_once_the_folder_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let target = built_twice(dir.path());
        let staging = Staging::open(&target, Previous::Spare).unwrap();
        let blocked = staging.write("old", b"now a file".to_vec());
        assert_eq!(blocked, Body::Bytes(b"now a file".to_vec()));
        let beneath = staging.write("index.html/x", b"x".to_vec());
        assert!(
            matches!(beneath, Body::Bytes(_)),
            "a file of the spare is in the way"
        );
        staging
            .finish(&outputs(vec![("old", blocked), ("index.html/x", beneath)]))
            .unwrap();
        assert_eq!(read(&target, "old"), "now a file");
        assert_eq!(read(&target, "index.html/x"), "x");
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::symlink_metadata(path).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn a_file_of_the_spare_linked_nowhere_else_is_written_over_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = built_twice(dir.path());
        let staging = Staging::open(&target, Previous::Spare).unwrap();
        let spare_file = staging.dir.join("old/index.html");
        let before = inode(&spare_file);
        // Shorter than what was there: nothing of the old bytes may be left.
        let written = staging.write("old/index.html", b"o".to_vec());
        assert_eq!(written, Body::Written(1));
        assert_eq!(inode(&spare_file), before, "no file was created");
        staging
            .finish(&outputs(vec![("old/index.html", written)]))
            .unwrap();
        assert_eq!(read(&target, "old/index.html"), "o");
        assert_eq!(inode(&target.join("old/index.html")), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_of_the_spare_linked_from_elsewhere_is_never_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let target = built_twice(dir.path());
        let spare = dir.path().join(".public.kiosque-spare");
        // As a file of the output in place is, when it did not change between two builds.
        let elsewhere = dir.path().join("elsewhere.html");
        for path in ["index.html", "old/index.html"] {
            let shared = spare.join(path);
            fs::remove_file(&shared).unwrap();
            fs::write(&elsewhere, b"shared").unwrap();
            fs::hard_link(&elsewhere, &shared).unwrap();
            let staging = Staging::open(&target, Previous::Spare).unwrap();
            let body = match path {
                // Written while rendering, or once the build is complete.
                "index.html" => staging.write(path, b"new".to_vec()),
                _ => Body::Bytes(b"new".to_vec()),
            };
            staging.finish(&outputs(vec![(path, body)])).unwrap();
            assert_eq!(read(&target, path), "new");
            assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "shared", "{path}");
            assert_ne!(inode(&target.join(path)), inode(&elsewhere), "{path}");
            fs::remove_file(&elsewhere).unwrap();
        }
    }

    #[test]
    fn a_build_that_does_not_finish_gives_the_spare_back_and_leaves_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = built_twice(dir.path());
        let before = names(dir.path());
        let staging = Staging::open(&target, Previous::Spare).unwrap();
        staging.write("index.html", b"broken".to_vec());
        drop(staging);
        assert_eq!(
            names(dir.path()),
            before,
            "the spare is back, no staging left"
        );
        assert_eq!(read(&target, "index.html"), "2");
    }

    #[test]
    fn a_fresh_staging_folder_is_removed_when_the_build_does_not_finish() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staging = Staging::open(&target, Previous::Delete).unwrap();
        staging.write("index.html", b"broken".to_vec());
        drop(staging);
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }
}
