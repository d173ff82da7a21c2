//! Builds written to disk: the default output folder, rebuilds without stale files.

use std::fs;

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
        if let Some(expected) = built.outputs.get(path) {
            assert_eq!(bytes.as_slice(), expected, "{path}");
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

/// A site of `count` articles, each with a few paragraphs, a tag and an author.
fn write_corpus(root: &std::path::Path, count: usize, title_prefix: &str) {
    fs::write(
        root.join("site.toml"),
        "title = \"Corpus\"\nbase_url = \"https://corpus.example/\"\nlanguage = \"fr\"\n",
    )
    .expect("write site.toml");
    let content = root.join("content");
    fs::create_dir_all(&content).expect("content folder");
    let body = "Un paragraphe d'article qui parle de technologie et d'actualité. ".repeat(40);
    for i in 0..count {
        let text = format!(
            "---\ntitle: {title_prefix} {i}\ndate: 2025-{month:02}-{day:02}\ntags: [Tag {tag}]\n\
             author: Auteur {author}\n---\n\n## Partie\n\n{body}\n\n{body}\n",
            month = i % 12 + 1,
            day = i % 28 + 1,
            tag = i % 25,
            author = i % 7,
        );
        fs::write(content.join(format!("article-{i}.md")), text).expect("write article");
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_whole_new_one() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let public = root.join("public");
    let root_arg = root.to_str().expect("UTF-8 path");

    write_corpus(root, 400, "Nouveau");
    assert!(kiosque(&["build", "--root", root_arg]).status.success());
    let new_site = snapshot(&public);
    write_corpus(root, 400, "Ancien");
    assert!(kiosque(&["build", "--root", root_arg]).status.success());
    let old_site = snapshot(&public);
    write_corpus(root, 400, "Nouveau");

    let mut saw_old = false;
    for delay_ms in [0, 5, 15, 30, 60, 120, 250, 500] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["build", "--root", root_arg])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the kiosque binary starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&public);
        assert!(
            now == old_site || now == new_site,
            "after a kill at {delay_ms} ms, public/ is neither the old site nor the new one"
        );
        if now == old_site {
            saw_old = true;
        } else {
            // Put the old site back so that the next kill interrupts a real replacement.
            write_corpus(root, 400, "Ancien");
            assert!(kiosque(&["build", "--root", root_arg]).status.success());
            write_corpus(root, 400, "Nouveau");
        }
    }
    assert!(
        saw_old,
        "no kill landed before the swap; the test interrupted nothing"
    );

    // The next build cleans up whatever the killed builds left beside public/.
    assert!(kiosque(&["build", "--root", root_arg]).status.success());
    assert_eq!(snapshot(&public), new_site);
    let leftovers: Vec<_> = fs::read_dir(root)
        .expect("site root")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("kiosque-staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}
