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
