//! Builds written to disk: the default output folder, rebuilds without stale files, folders
//! Kiosque did not make left alone, and builds killed at any moment.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn build_writes_public_under_the_root_by_default() {
    let dir = temp_site("minimal");
    let built = kiosque::build(&options(dir.path())).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let public = dir.path().join("public");
    for path in built.outputs.paths() {
        assert!(public.join(path).is_file(), "{path} not written");
    }
    let on_disk = snapshot(&public);
    for (path, bytes) in &on_disk {
        let path = path.to_str().unwrap();
        if let Some(expected) = built.outputs.read(path) {
            assert_eq!(bytes.as_slice(), &*expected, "{path}");
        }
    }
}

#[test]
fn stale_files_are_gone_after_a_rebuild() {
    let dir = temp_site("minimal");
    let root = dir.path();
    kiosque::build(&options(root)).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let public = root.join("public");
    assert!(public.join("2025/03/second/index.html").is_file());
    assert!(public.join("tags/ephemere/index.html").is_file());
    assert!(public.join("tags/ephemere/atom.xml").is_file());

    fs::remove_file(root.join("content/2025/second.md")).unwrap();
    kiosque::build(&options(root)).unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert!(public.join("2025/02/premier/index.html").is_file());
    assert!(
        !public.join("2025/03/second").exists(),
        "deleted article still built"
    );
    assert!(
        !public.join("tags/ephemere").exists(),
        "tag of no article left behind"
    );
    assert!(!public.join("authors/ines-benali").exists());
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("second"), "{sitemap}");
    let leftovers: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public" && n != "content" && n != "site.toml")
        .collect();
    assert!(leftovers.is_empty(), "left beside public/: {leftovers:?}");
}

#[test]
fn cli_build_succeeds_and_writes_public() {
    let dir = temp_site("minimal");
    let output = kiosque(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(output.status.code(), Some(0));
    let public = dir.path().join("public");
    assert!(public.join("index.html").is_file());
    assert!(public.join("2025/02/premier/index.html").is_file());
    assert!(public.join("atom.xml").is_file());
    assert!(public.join("sitemap.xml").is_file());
    assert!(public.join("404.html").is_file());
}

#[test]
fn cli_output_flag_chooses_the_folder() {
    let dir = temp_site("minimal");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let output = kiosque(&[
        "build",
        "--root",
        dir.path().to_str().unwrap(),
        "--output",
        target.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(target.join("index.html").is_file());
    assert!(!dir.path().join("public").exists());
}

/// Runs `kiosque build --root <root> --output <output>`.
fn build_into(root: &Path, output: &Path) -> std::process::Output {
    build_into_with(root, output, &[])
}

fn build_into_with(root: &Path, output: &Path, flags: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("UTF-8 path"),
        "--output",
        output.to_str().expect("UTF-8 path"),
    ];
    args.extend(flags);
    kiosque(&args)
}

/// Every entry under a folder (dotfiles included), with the bytes of files.
fn everything(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut entries = BTreeMap::new();
    for entry in walkdir_all(dir) {
        let bytes = entry.is_file().then(|| fs::read(&entry).expect("readable"));
        let relative = entry.strip_prefix(dir).expect("under dir").to_path_buf();
        entries.insert(relative, bytes);
    }
    entries
}

fn walkdir_all(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(walkdir_all(&path));
        }
        found.push(path);
    }
    found
}

/// Asserts a refused build: exit status 1, the folder and the reason on stderr.
fn assert_refused(output: &std::process::Output, folder: &Path) {
    let stderr = stderr(output);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.contains(&folder.display().to_string()),
        "names the folder {}:\n{stderr}",
        folder.display()
    );
    assert!(
        stderr.contains("refusing to replace a folder Kiosque did not create"),
        "says why:\n{stderr}"
    );
}

#[test]
fn cli_refuses_to_replace_a_home_folder() {
    let site = temp_site("minimal");
    let outer = tempfile::tempdir().unwrap();
    let home = outer.path().join("camille");
    fs::create_dir_all(home.join("Documents/Articles")).unwrap();
    fs::write(home.join(".bashrc"), "export EDITOR=vim\n").unwrap();
    fs::write(
        home.join("Documents/Articles/brouillon.md"),
        "# Brouillon\n",
    )
    .unwrap();
    fs::create_dir_all(home.join(".ssh")).unwrap();
    fs::write(home.join(".ssh/config"), "Host *\n").unwrap();
    let before = everything(outer.path());

    let output = build_into(site.path(), &home);
    assert_refused(&output, &home);
    assert_eq!(
        everything(outer.path()),
        before,
        "every file intact, nothing added"
    );
}

#[test]
fn cli_refuses_the_site_root_and_its_parent_as_output() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    copy_dir(&fixture("minimal"), &root);
    let before = everything(outer.path());
    for output in [root.clone(), outer.path().to_path_buf()] {
        let result = build_into(&root, &output);
        assert_refused(&result, &output);
        assert_eq!(
            everything(outer.path()),
            before,
            "--output {}",
            output.display()
        );
    }
}

#[test]
fn cli_writes_into_an_empty_folder_and_replaces_it_later() {
    let site = temp_site("minimal");
    let outer = tempfile::tempdir().unwrap();
    let target = outer.path().join("www");
    fs::create_dir(&target).unwrap();
    for _ in 0..2 {
        let output = build_into(site.path(), &target);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(target.join(".kiosque-output").is_file(), "the marker");
        assert!(target.join("index.html").is_file());
    }
    let mut names: Vec<_> = fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    // The replaced output, kept as the next build's staging folder.
    assert_eq!(
        names,
        [".www.kiosque-spare", "www"],
        "no staging folder left"
    );
    let output = build_into_with(site.path(), &target, &["--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let names: Vec<_> = fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["www"], "a build without the cache keeps no spare");
}

/// Articles of the large corpus: enough that a debug build takes a few seconds, its writing
/// phase alone a second or so.
const CORPUS: usize = 2_000;

/// Writes a site of `CORPUS` articles, each with a code block, several paragraphs, a tag and
/// an author; `title_prefix` tells two versions apart. Dates are years back, so that no
/// article is ever in the news sitemap's two-day window.
fn write_corpus(root: &Path, title_prefix: &str) {
    fs::write(
        root.join("site.toml"),
        "title = \"Corpus\"\nbase_url = \"https://corpus.example/\"\nlanguage = \"fr\"\n\
         feed_limit = 5\nrelated = 0\n",
    )
    .expect("write site.toml");
    let content = root.join("content");
    fs::create_dir_all(&content).expect("content folder");
    let paragraph = "Un paragraphe d'article sur la technologie et l'actualité. ".repeat(3);
    let code = "```rust\nfn main() {\n    println!(\"{}\", 1 + 2);\n}\n```\n";
    for i in 0..CORPUS {
        let text = format!(
            "---\ntitle: {title_prefix} {i}\ndate: 2020-{month:02}-{day:02}\ntags: [Tag {tag}]\n\
             author: Auteur {author}\n---\n\n{paragraph}\n\n{code}\n{paragraph}\n\n{paragraph}\n",
            month = i % 12 + 1,
            day = i % 28 + 1,
            tag = i % 25,
            author = i % 7,
        );
        fs::write(content.join(format!("article-{i}.md")), text).expect("write article");
    }
}

/// Staging folders beside public/, by name.
fn staging_folders(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .expect("site root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("kiosque-staging"))
        .collect()
}

/// Milliseconds of a phase in the binary's summary line (`rendered in 812 ms`).
fn millis_of(stdout: &str, phase: &str) -> u64 {
    stdout
        .split(&format!("{phase} in "))
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no `{phase} in` in {stdout:?}"))
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_whole_new_one() {
    killed_builds(&["--no-cache"]);
}

/// The same with the build cache: each build starts from the spare the last one left and
/// links the files it keeps from the output in place.
#[test]
fn a_cached_build_killed_at_any_moment_leaves_the_old_site_or_the_whole_new_one() {
    killed_builds(&[]);
}

fn killed_builds(flags: &[&str]) {
    let _alone = heavy();
    // Two versions of the corpus, in two site roots built into the same output folder.
    let dir = tempfile::tempdir().expect("temporary folder");
    let public = dir.path().join("public");
    let (old_root, new_root) = (dir.path().join("ancien"), dir.path().join("nouveau"));
    for (root, prefix) in [(&old_root, "Ancien"), (&new_root, "Nouveau")] {
        fs::create_dir_all(root).expect("site root");
        write_corpus(root, prefix);
    }
    let started = Instant::now();

    // The old site, timed: kills are planned from how long its build and its writing took.
    let clock = Instant::now();
    let first = build_into_with(&old_root, &public, flags);
    let whole = clock.elapsed();
    assert!(first.status.success(), "{}", stderr(&first));
    let stdout = String::from_utf8_lossy(&first.stdout);
    let written = Duration::from_millis(millis_of(&stdout, "written"));
    let old_site = snapshot(&public);
    assert!(old_site.len() > CORPUS, "{} files", old_site.len());
    // Writing starts once rendering is done; a cached build saves its cache after the
    // swap, so the whole build's time says nothing of where writing ends.
    let rendered = Duration::from_millis(millis_of(&stdout, "rendered"));
    let writing_starts = whole
        .saturating_sub(written)
        .min(rendered + (whole - rendered) / 8);
    // Two kills while reading and rendering, four while writing: the last ones around the
    // swap and the removal of the replaced site.
    let mut delays: Vec<Duration> = [0.1, 0.4]
        .iter()
        .map(|f| writing_starts.mul_f64(*f))
        .collect();
    delays.extend(
        [0.25, 0.6, 1.0, 1.2]
            .iter()
            .map(|f| writing_starts + written.mul_f64(*f)),
    );

    // Each kill interrupts the replacement of the site in place by the other version. The
    // first snapshot that is not the old site is kept, and the final build proves it whole.
    let mut new_site: Option<BTreeMap<PathBuf, Vec<u8>>> = None;
    let (mut kept_previous, mut in_writing, mut swapped, mut extra) = (0, 0, 0, 0);
    let mut current_is_old = true;
    let mut killed = Vec::new();
    let mut index = 0;
    while index < delays.len() {
        let delay = delays[index];
        index += 1;
        let other = if current_is_old { &new_root } else { &old_root };
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["build", "--root", other.to_str().expect("UTF-8 path")])
            .args(["--output", public.to_str().expect("UTF-8 path")])
            .args(flags)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the kiosque binary starts");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // A build killed while writing leaves its staging folder; the next build to reach
        // its writing removes it.
        killed.push(child.id().to_string());
        let leftovers = staging_folders(dir.path());
        assert!(
            leftovers
                .iter()
                .all(|n| killed.iter().any(|pid| n.ends_with(&format!("-{pid}")))),
            "only killed builds' staging folders are left: {leftovers:?}"
        );
        let writing = leftovers
            .iter()
            .any(|n| n.ends_with(&format!("-{}", child.id())));
        in_writing += usize::from(writing);
        let now = snapshot(&public);
        let now_is_old = now == old_site;
        if !now_is_old {
            match &new_site {
                Some(new) => assert!(
                    &now == new,
                    "after a kill at {delay:?}, public/ is neither site"
                ),
                None => new_site = Some(now),
            }
        }
        kept_previous += usize::from(now_is_old == current_is_old);
        // Replaced, and the replaced site still being deleted.
        swapped += usize::from(now_is_old != current_is_old && writing);
        current_is_old = now_is_old;
        // Until a kill has landed while files were written, aim more at that phase.
        // A loaded machine shifts the phases: the later tries also move the start.
        if index == delays.len() && in_writing == 0 && extra < 8 {
            extra += 1;
            let start = writing_starts.mul_f64(0.85 + 0.05 * f64::from(extra));
            delays.push(start + written.mul_f64(0.1 * f64::from(extra)));
        }
    }
    assert!(kept_previous > 0, "no kill landed before the swap");
    assert!(
        in_writing > 0,
        "no kill landed while the new site was written"
    );

    // The next build succeeds, leaves no staging folder, and gives the site the killed
    // builds were making byte for byte.
    let last = build_into_with(&new_root, &public, flags);
    assert!(last.status.success(), "{}", stderr(&last));
    let leftovers = staging_folders(dir.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let final_site = snapshot(&public);
    if let Some(new) = new_site {
        assert!(new == final_site, "a killed build left a partial new site");
    }
    assert!(final_site != old_site);
    eprintln!(
        "{} kills ({kept_previous} kept the previous site, {in_writing} while writing, \
         {swapped} after the swap); one build {whole:?} (writing {written:?}); test {:?}",
        delays.len(),
        started.elapsed()
    );
}
