//! `kiosque build` with its cache (`.kiosque-cache/build/`): after every kind of change, the
//! output is byte for byte the output of a build without the cache, and files whose bytes did
//! not change are the same files on disk (inode and modification time kept). A cache written
//! by another binary, for another site, or damaged is ignored with one warning.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kiosque::{BuildOptions, Built};

use crate::support::{
    copy_dir, describe, differing, edit, example_root, heavy, kiosque, snapshot, stderr,
};

/// A copy of the example site: articles in two languages, a scheduled one, authors, pages,
/// static files, comments archives, and the theme on disk so that a test can edit it.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = example_root();
    for folder in ["content", "static", "themes"] {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    fs::copy(root.join("site.toml"), dir.path().join("site.toml")).expect("copy site.toml");
    dir
}

fn options(root: &Path, cache: bool, output: &str) -> BuildOptions {
    BuildOptions {
        output: Some(root.join(output)),
        cache,
        ..crate::support::options(root)
    }
}

fn build(options: &BuildOptions) -> Built {
    kiosque::build::build(options).unwrap_or_else(|e| {
        panic!(
            "build of {} failed: {}",
            options.root.display(),
            describe(&e)
        )
    })
}

/// Each output file's inode and modification time.
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|file| {
            let metadata = fs::metadata(dir.join(&file)).expect("output file");
            let modified = metadata.modified().expect("modification time");
            (file, (metadata.ino(), modified))
        })
        .collect()
}

/// Builds the site with its cache, changes it, builds it again with the cache and once
/// without: the two outputs must be identical. Returns the output files rewritten by the
/// second cached build, and its warnings.
fn rebuild_after(root: &Path, change: impl FnOnce(&Path)) -> (Vec<PathBuf>, Vec<String>) {
    rebuild_with(root, &options(root, true, "public"), change)
}

fn rebuild_with(
    root: &Path,
    cached: &BuildOptions,
    change: impl FnOnce(&Path),
) -> (Vec<PathBuf>, Vec<String>) {
    settle(root);
    // Four builds of the example site: not beside the tests that time the preview.
    let _alone = heavy();
    // Twice, so that the build after the change starts from the spare the second left.
    build(&options(root, true, "public"));
    build(&options(root, true, "public"));
    assert!(root.join(".public.kiosque-spare").is_dir());
    let before = identities(&root.join("public"));
    change(root);
    let built = build(cached);
    assert_same_as_clean(root, cached);
    let after = identities(&root.join("public"));
    let rewritten = after
        .iter()
        .filter(|(file, identity)| before.get(*file) != Some(identity))
        .map(|(file, _)| file.clone())
        .collect();
    let warnings = built.warnings.iter().map(|w| w.to_string()).collect();
    (rewritten, warnings)
}

/// Builds the site without the cache into `clean/`: `public/`, which the cached build
/// wrote, must hold the same bytes.
fn assert_same_as_clean(root: &Path, cached: &BuildOptions) {
    build(&BuildOptions {
        output: Some(root.join("clean")),
        cache: false,
        ..cached.clone()
    });
    let (public, clean) = (
        snapshot(&root.join("public")),
        snapshot(&root.join("clean")),
    );
    let differing = differing(&public, &clean);
    assert!(
        differing.is_empty(),
        "a cached build differs from a clean one in {differing:?}"
    );
}

/// Waits until the last file of the site changed two seconds ago: a build trusts the cache
/// about a file only then, and the builds of a test must go through both ways of reading.
fn settle(root: &Path) {
    use std::os::unix::fs::MetadataExt;
    use std::time::{Duration, UNIX_EPOCH};
    let last = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .map(|m| Duration::new(m.ctime() as u64, m.ctime_nsec() as u32))
        .max()
        .unwrap_or_default();
    let settled = UNIX_EPOCH + last + Duration::from_millis(2050);
    if let Ok(wait) = settled.duration_since(std::time::SystemTime::now()) {
        std::thread::sleep(wait);
    }
}

fn article(root: &Path) -> PathBuf {
    root.join("content/2025/passkeys-fin-des-mots-de-passe.md")
}

#[test]
fn an_edited_article_rewrites_only_the_files_whose_bytes_changed() {
    let site = site();
    let (rewritten, warnings) = rebuild_after(site.path(), |root| {
        edit(&article(root), |text| {
            text.replace("mot de passe", "mot-de-passe")
        })
    });
    assert!(warnings.is_empty(), "{warnings:?}");
    let page = PathBuf::from("2025/05/passkeys-fin-des-mots-de-passe/index.html");
    assert!(rewritten.contains(&page), "{rewritten:?}");
    // An article in another month, which neither lists nor links it, is the same file.
    let other = PathBuf::from("2025/01/deepseek-r1-onde-de-choc/index.html");
    assert!(!rewritten.contains(&other), "{rewritten:?}");
    // The search index is made again from what the other pages gave it last time: only the
    // edited article's result file is new.
    let results: Vec<&PathBuf> = rewritten
        .iter()
        .filter(|f| f.starts_with("search-index/p"))
        .collect();
    assert_eq!(results.len(), 1, "{results:?}");
    let total = snapshot(&site.path().join("public")).len();
    assert!(
        rewritten.len() * 10 < total,
        "{} of {total} files rewritten: {rewritten:?}",
        rewritten.len()
    );
}

#[test]
fn an_article_written_again_with_its_old_size_and_time_matches_a_clean_build() {
    let site = site();
    let (rewritten, _) = rebuild_after(site.path(), |root| {
        let file = article(root);
        let before = fs::metadata(&file).unwrap();
        edit(&file, |text| {
            text.replacen("mot de passe", "mot DE passe", 1)
        });
        let handle = fs::File::options().write(true).open(&file).unwrap();
        handle.set_modified(before.modified().unwrap()).unwrap();
        let after = fs::metadata(&file).unwrap();
        assert_eq!(
            (after.len(), after.modified().unwrap()),
            (before.len(), before.modified().unwrap())
        );
    });
    let page = PathBuf::from("2025/05/passkeys-fin-des-mots-de-passe/index.html");
    assert!(rewritten.contains(&page), "{rewritten:?}");
}

#[test]
fn an_unchanged_site_rewrites_nothing() {
    let site = site();
    let (rewritten, warnings) = rebuild_after(site.path(), |_| {});
    assert!(warnings.is_empty(), "{warnings:?}");
    // The marker is written by every build.
    assert_eq!(rewritten, [PathBuf::from(".kiosque-output")]);
}

#[test]
fn an_added_article_matches_a_clean_build() {
    let site = site();
    rebuild_after(site.path(), |root| {
        let text = "---\ntitle: \"Les clés d'accès, un an après\"\ndate: 2025-06-01\n\
                    tags: [\"Passkeys\"]\n---\n\nUn an plus tard, le bilan.\n";
        fs::write(root.join("content/2025/passkeys-un-an-apres.md"), text).unwrap();
    });
}

#[test]
fn a_deleted_article_matches_a_clean_build() {
    let site = site();
    rebuild_after(site.path(), |root| fs::remove_file(article(root)).unwrap());
}

#[test]
fn a_renamed_article_matches_a_clean_build() {
    let site = site();
    rebuild_after(site.path(), |root| {
        fs::rename(article(root), root.join("content/2025/cles-d-acces.md")).unwrap()
    });
}

#[test]
fn an_edited_template_matches_a_clean_build() {
    let site = site();
    let (rewritten, _) = rebuild_after(site.path(), |root| {
        edit(
            &root.join("themes/default/templates/article.html"),
            |text| text.replacen("<article", "<article data-edited", 1),
        )
    });
    assert!(rewritten.contains(&PathBuf::from(
        "2025/05/passkeys-fin-des-mots-de-passe/index.html"
    )));
}

#[test]
fn an_edited_static_file_matches_a_clean_build() {
    let site = site();
    let (rewritten, _) = rebuild_after(site.path(), |root| {
        edit(&root.join("static/logo.svg"), |text| {
            text.replace("</svg>", "<!-- v2 --></svg>")
        })
    });
    assert!(
        rewritten.contains(&PathBuf::from("logo.svg")),
        "{rewritten:?}"
    );
}

#[test]
fn an_edited_profile_matches_a_clean_build() {
    let site = site();
    rebuild_after(site.path(), |root| {
        edit(&root.join("content/authors/camille-martin.md"), |text| {
            text.replacen("name: ", "name: Dr ", 1)
        })
    });
}

/// A new site title in `site.toml`: every page and every body is made again.
fn retitle(root: &Path) {
    edit(&root.join("site.toml"), |text| {
        text.replacen("title = \"Kiosque Tech\"", "title = \"Kiosque Hebdo\"", 1)
    })
}

#[test]
fn an_edited_site_toml_matches_a_clean_build() {
    let site = site();
    let (rewritten, _) = rebuild_after(site.path(), retitle);
    // Every page shows the title; the images do not.
    assert!(rewritten.contains(&PathBuf::from("index.html")));
    assert!(
        !rewritten.contains(&PathBuf::from("logo.svg")),
        "{rewritten:?}"
    );
}

#[test]
fn an_edited_syntax_matches_a_clean_build() {
    let site = site();
    let code = crate::support::fixture("code");
    copy_dir(&code.join("syntaxes"), &site.path().join("syntaxes"));
    let logs = crate::support::fixture("code-syntax").join("content/logs.md");
    fs::copy(logs, site.path().join("content/2025/logs.md")).unwrap();
    let (rewritten, _) = rebuild_after(site.path(), |root| {
        edit(&root.join("syntaxes/klog.sublime-syntax"), |text| {
            text.replace("keyword.other.level.klog", "string.other.level.klog")
        })
    });
    assert!(
        rewritten.contains(&PathBuf::from("2025/03/logs/index.html")),
        "{rewritten:?}"
    );
}

#[test]
fn a_scheduled_article_appears_when_its_date_has_passed() {
    let site = site();
    let root = site.path();
    let later = BuildOptions {
        now: Some("2027-09-01T00:00:00Z".parse().unwrap()),
        ..options(root, true, "public")
    };
    rebuild_with(root, &later, |_| {});
    let scheduled = root.join("public/2027/08/ai-act-produits-reglementes/index.html");
    assert!(
        scheduled.is_file(),
        "the scheduled article is not published"
    );
}

/// Replaces the binary named in every file of the cache, as another Kiosque would have.
fn rewrite_headers(root: &Path, change: impl Fn(&str) -> String) {
    for file in walkdir::WalkDir::new(root.join(".kiosque-cache/build")) {
        let file = file.unwrap();
        if !file.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(file.path()).unwrap();
        let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
        let line = std::str::from_utf8(&bytes[..newline]).unwrap();
        let mut rewritten = change(line).into_bytes();
        rewritten.extend_from_slice(&bytes[newline..]);
        fs::write(file.path(), rewritten).unwrap();
    }
}

fn assert_one_warning(warnings: &[String], expected: &str) {
    let about_cache: Vec<&String> = warnings.iter().filter(|w| w.contains("cache")).collect();
    assert_eq!(about_cache.len(), 1, "{warnings:?}");
    assert!(about_cache[0].contains(expected), "{about_cache:?}");
    assert!(
        about_cache[0].starts_with(".kiosque-cache/build/"),
        "{about_cache:?}"
    );
}

#[test]
fn a_cache_written_by_another_version_is_ignored_with_one_warning() {
    let site = site();
    let (_, warnings) = rebuild_after(site.path(), |root| {
        edit(&article(root), |text| {
            text.replace("mot de passe", "sésame")
        });
        rewrite_headers(root, |line| {
            let mut words: Vec<&str> = line.split(' ').collect();
            words[2] = "0.0.1+0000000000000000";
            words.join(" ")
        });
    });
    assert_one_warning(
        &warnings,
        "another version of Kiosque (0.0.1+0000000000000000)",
    );
    // The next build trusts the cache it wrote in place of the old one.
    let again = build(&options(site.path(), true, "public"));
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

#[test]
fn a_damaged_cache_is_ignored_with_one_warning() {
    let site = site();
    let (_, warnings) = rebuild_after(site.path(), |root| {
        let record = root.join(".kiosque-cache/build/outputs.bin");
        let mut bytes = fs::read(&record).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        fs::write(&record, bytes).unwrap();
        let shard = fs::read_dir(root.join(".kiosque-cache/build/bodies"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        fs::write(shard, b"not a cache").unwrap();
    });
    assert_one_warning(&warnings, "damaged");
}

#[test]
fn damaged_code_blocks_are_ignored_with_one_warning_then_written_again() {
    let site = site();
    let (_, warnings) = rebuild_after(site.path(), |root| {
        // Every body is rendered again, and asks the cache for its code blocks.
        retitle(root);
        let shards = fs::read_dir(root.join(".kiosque-cache/build/code")).unwrap();
        for shard in shards {
            fs::write(shard.unwrap().path(), b"not a cache").unwrap();
        }
    });
    assert_one_warning(&warnings, "damaged");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with(".kiosque-cache/build/code/")),
        "{warnings:?}"
    );
    let again = build(&options(site.path(), true, "public"));
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

#[test]
fn a_cache_of_another_site_is_ignored_with_one_warning() {
    let (first, second) = (site(), site());
    build(&options(first.path(), true, "public"));
    let (_, warnings) = rebuild_after(second.path(), |root| {
        let cache = root.join(".kiosque-cache");
        fs::remove_dir_all(&cache).unwrap();
        copy_cache(&first.path().join(".kiosque-cache"), &cache);
    });
    assert_one_warning(&warnings, "written for the site in");
}

fn copy_cache(from: &Path, to: &Path) {
    for file in walkdir::WalkDir::new(from) {
        let file = file.unwrap();
        let target = to.join(file.path().strip_prefix(from).unwrap());
        if file.file_type().is_dir() {
            fs::create_dir_all(target).unwrap();
        } else {
            fs::copy(file.path(), target).unwrap();
        }
    }
}

#[test]
fn an_output_file_changed_by_hand_is_written_again() {
    let site = site();
    let (rewritten, _) = rebuild_after(site.path(), |root| {
        edit(&root.join("public/index.html"), |text| {
            text.replace("<main", "<main hidden")
        })
    });
    assert!(rewritten.contains(&PathBuf::from("index.html")));
}

/// The inode of every file under `dir`.
fn inodes(dir: &Path) -> std::collections::BTreeSet<u64> {
    identities(dir)
        .into_values()
        .map(|(inode, _)| inode)
        .collect()
}

/// Files the spare no longer needs are kept beside it, emptied, and written over when a later
/// build needs new files; none of them is ever a file of the output.
#[test]
fn files_removed_from_the_spare_are_reused_and_never_shared_with_the_output() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    let root = site.path();
    let cached = options(root, true, "public");
    let recycled = root.join(".public.kiosque-recycled");
    let retitle = |title: &str| {
        let title = format!("title: \"{title}\"");
        edit(&article(root), |text| {
            let old = text.lines().nth(1).unwrap().to_string();
            text.replacen(&old, &title, 1)
        })
    };
    settle(root);
    let _alone = heavy();
    build(&cached);
    build(&cached);
    // The pages listing the article are written anew; the build after links them over the
    // spare's older copies, which then no other folder links to.
    retitle("Clés d'accès : un premier titre");
    build(&cached);
    build(&cached);
    let kept = inodes(&recycled);
    assert!(kept.len() > 5, "{} files kept", kept.len());
    for file in fs::read_dir(&recycled).unwrap() {
        let metadata = file.unwrap().metadata().unwrap();
        assert_eq!((metadata.len(), metadata.nlink()), (0, 1), "emptied, alone");
    }
    let output = inodes(&root.join("public"));
    assert!(output.is_disjoint(&kept), "a kept file is in the output");

    retitle("Clés d'accès : un second titre");
    build(&cached);
    let output = inodes(&root.join("public"));
    let reused = output.intersection(&kept).count();
    assert!(reused > 5, "{reused} kept files written over");
    assert!(output.is_disjoint(&inodes(&recycled)));
    assert_same_as_clean(root, &cached);

    let output = kiosque(&["build", "--root", root.to_str().unwrap(), "--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!recycled.exists(), "a build without the cache keeps none");
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = site();
    let root = site.path().to_str().unwrap();
    let output = kiosque(&["build", "--root", root, "--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!site.path().join(".kiosque-cache/build").exists());

    let output = kiosque(&["build", "--root", root]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        site.path()
            .join(".kiosque-cache/build/outputs.bin")
            .is_file()
    );
    rewrite_headers(site.path(), |_| "damaged".to_string());
    let output = kiosque(&["build", "--root", root, "--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("cache"), "{}", stderr(&output));
    let output = kiosque(&["build", "--root", root]);
    assert!(
        stderr(&output).contains("the build cache was ignored"),
        "{}",
        stderr(&output)
    );
    let output = kiosque(&["build", "--root", root]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("unchanged"), "{stdout}");
    assert!(!stderr(&output).contains("cache"), "{}", stderr(&output));
}

#[test]
fn a_preview_that_cannot_keep_its_pages_serves_them_from_memory() {
    let site = site();
    let root = site.path();
    let _alone = heavy();
    let (clean, _) = served(root);
    fs::remove_dir_all(root.join(".kiosque-cache")).expect("cache removed");
    // Nothing can be written under a file, whoever runs the test.
    fs::create_dir_all(root.join(".kiosque-cache")).expect("cache folder");
    fs::write(root.join(".kiosque-cache/serve"), "not a folder").expect("file in the way");
    let (blocked, kept) = served(root);
    assert_eq!(kept, 0);
    let differing = differing(&blocked, &clean);
    assert!(
        differing.is_empty(),
        "the preview without its cache differs in {differing:?}"
    );
}

/// Every file a preview serves, with its bytes; and how many it kept from the previous
/// preview instead of rendering them.
fn served(root: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let address = "127.0.0.1:1111".parse().expect("address");
    let started = kiosque::serve::first_build(root.to_path_buf(), true, address)
        .unwrap_or_else(|e| panic!("preview of {}: {}", root.display(), describe(&e)));
    let outputs = &started.served.outputs;
    let files = outputs
        .paths()
        .map(|path| {
            let bytes = outputs.read(path).expect("a served file").into_owned();
            (path.to_string(), bytes)
        })
        .collect();
    (files, outputs.kept())
}

#[test]
fn a_preview_started_again_serves_what_a_preview_without_its_cache_does() {
    let site = site();
    let root = site.path();
    settle(root);
    let _alone = heavy();
    let (first, kept) = served(root);
    assert_eq!(kept, 0, "the first preview renders every page");
    let cache = root.join(".kiosque-cache/serve");
    assert!(
        cache.join("bodies").is_dir(),
        "the preview keeps its bodies"
    );
    assert!(
        cache.join("pages-1111/index.html").is_file(),
        "the preview keeps its pages"
    );
    edit(&article(root), |text| {
        format!("{text}\nUn paragraphe écrit entre deux aperçus.\n")
    });
    let (again, kept) = served(root);
    let pages = first.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        kept > pages / 2,
        "the preview started again renders only what changed: {kept} of {pages} pages kept"
    );
    fs::remove_dir_all(&cache).expect("cache removed");
    let (clean, _) = served(root);
    let differing = differing(&again, &clean);
    assert!(
        differing.is_empty(),
        "the cached preview differs in {differing:?}"
    );
    let page = again
        .iter()
        .find(|(path, _)| path.ends_with("passkeys-fin-des-mots-de-passe/index.html"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("the article's page");
    assert!(page.contains("Un paragraphe écrit entre deux aperçus."));
}
