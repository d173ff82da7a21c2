//! Photos in `kiosque serve`: the text never waits for them (the originals show first), the
//! pages reload with their variants once processed in the background, and a photo replaced,
//! added or no longer shown is followed.

use std::fs;
use std::path::Path;

use kiosque::incremental::Project;
use scraper::Html;

use crate::images::{ARTICLE, candidates, decode};
use crate::serve::{Events, get, start_preview};
use crate::support::*;

#[test]
fn serve_shows_the_originals_first_and_the_pictures_once_processed() {
    let dir = temp_site("photos");
    let mut project = Project::load(&options(dir.path())).unwrap();
    let mut served = kiosque::output::Outputs::default();
    served.apply(project.render().unwrap());
    let before = Html::parse_document(served.text(ARTICLE).unwrap());
    assert!(all(&before, "picture").is_empty());
    assert_eq!(
        attr(&before, "figure.hero img", "src"),
        "/images/goshawk.jpg"
    );
    assert_eq!(
        attr(&before, "figure.hero img", "width"),
        "1200",
        "the header's size"
    );
    let jobs = project
        .take_image_jobs()
        .expect("images left for the background");
    assert_eq!(jobs.len(), 3);
    assert!(project.take_image_jobs().is_none(), "handed out once");

    project.images_done(jobs.run());
    let patch = project.render().unwrap();
    let written: Vec<&str> = patch.paths().collect();
    assert!(written.contains(&ARTICLE), "{written:?}");
    assert!(
        written.contains(&"index.html"),
        "cards show the heroes: {written:?}"
    );
    served.apply(patch);
    let after = Html::parse_document(served.text(ARTICLE).unwrap());
    assert_eq!(all(&after, ".prose picture").len(), 2);
    for (url, width) in candidates(&attr(&after, "figure.hero img", "srcset")) {
        let bytes = served.read(url.trim_start_matches('/')).unwrap();
        assert_eq!(decode(&bytes).0, width);
    }
    // The cache is the one `kiosque build` uses: nothing left to encode.
    let built = build_with(&options(dir.path()));
    assert_eq!(built.images.encodes, 0);
    assert_eq!(built.outputs.text(ARTICLE), served.text(ARTICLE));
    assert!(project.render().unwrap().is_empty(), "nothing more to do");
}

#[test]
fn photos_are_processed_in_the_background_and_pages_reload_with_them() {
    let _quiet = timing_sensitive();
    let dir = temp_site("photos");
    let preview = start_preview(dir.path());
    let addr = preview.addr();
    let (mut events, _) = Events::hello(addr);
    let envol = || get(addr, "/2025/02/envol/").text();
    // The first build served the originals at once; the variants follow.
    if !envol().contains("<picture>") {
        events.until("reload", || envol().contains("<picture>"));
    }
    let html = Html::parse_document(&envol());
    let srcset = attr(&html, "figure.hero source", "srcset");
    let first = srcset.split(' ').next().unwrap();
    let variant = get(addr, first);
    assert_eq!(variant.status, 200);
    assert_eq!(variant.header("content-type"), Some("image/webp"));
    assert_eq!(&variant.body[8..12], b"WEBP");

    // A photo added while serving: its article is there, then its variants.
    std::fs::copy(
        dir.path().join("static/images/goshawk.jpg"),
        dir.path().join("static/images/nouvelle.jpg"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/2025/nouvelle.md"),
        "---\ntitle: Nouvelle\ndate: 2025-02-20\nimage: {src: /images/nouvelle.jpg, alt: Un avion}\n---\n\nTexte.\n",
    )
    .unwrap();
    let nouvelle = || get(addr, "/2025/02/nouvelle/");
    events.until("reload", || nouvelle().status == 200);
    events.until("reload", || {
        nouvelle().text().contains("/images/nouvelle-320.")
    });
    let original = get(addr, "/images/nouvelle.jpg");
    assert_eq!(original.status, 200);
    assert_eq!(original.header("content-type"), Some("image/jpeg"));
    preview.stop().unwrap();
}

/// A project of the photos fixture with every picture processed and served.
fn served_project(dir: &Path) -> (Project, kiosque::output::Outputs) {
    let mut project = Project::load(&options(dir)).unwrap();
    let mut served = kiosque::output::Outputs::default();
    served.apply(project.render().unwrap());
    if let Some(jobs) = project.take_image_jobs() {
        project.images_done(jobs.run());
        served.apply(project.render().unwrap());
    }
    (project, served)
}

fn saved(project: &mut Project, served: &mut kiosque::output::Outputs, paths: &[&str]) {
    let paths: Vec<std::path::PathBuf> = paths.iter().map(Into::into).collect();
    kiosque::serve::changes::update(project, &paths).unwrap();
    served.apply(project.render().unwrap());
}

#[test]
fn a_photo_replaced_while_serving_shows_as_it_now_is_then_processed() {
    let dir = temp_site("photos");
    let (mut project, mut served) = served_project(dir.path());
    let images = dir.path().join("static/images");
    fs::copy(images.join("sumo.jpg"), images.join("goshawk.jpg")).unwrap();
    saved(&mut project, &mut served, &["static/images/goshawk.jpg"]);
    // Not the old photo's variants: the new photo, as it is, until processed.
    let html = Html::parse_document(served.text(ARTICLE).unwrap());
    assert!(all(&html, "figure.hero picture").is_empty());
    assert_eq!(attr(&html, "figure.hero img", "src"), "/images/goshawk.jpg");
    assert_eq!(
        served.read("images/goshawk.jpg").unwrap(),
        fs::read(images.join("goshawk.jpg")).unwrap()
    );
    let jobs = project.take_image_jobs().expect("the new photo");
    project.images_done(jobs.run());
    served.apply(project.render().unwrap());
    let html = Html::parse_document(served.text(ARTICLE).unwrap());
    let img = one(&html, "figure.hero picture img");
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("900"), Some("1200"))
    );
}

#[test]
fn the_files_of_a_photo_no_longer_shown_are_removed() {
    let dir = temp_site("photos");
    let (mut project, mut served) = served_project(dir.path());
    let variants = |served: &kiosque::output::Outputs| {
        let paths = served.paths().filter(|p| p.starts_with("images/goshawk-"));
        paths.map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        variants(&served).len(),
        7,
        "3 widths × 2 formats and the card"
    );
    edit(&dir.path().join("content/2025/envol.md"), |text| {
        let start = text.find("image:").unwrap();
        let end = text.find("credit: U.S. Navy\n").unwrap() + "credit: U.S. Navy\n".len();
        format!("{}{}", &text[..start], &text[end..])
    });
    saved(&mut project, &mut served, &["content/2025/envol.md"]);
    assert_eq!(variants(&served), Vec::<String>::new());
    // Still published, still without its metadata (once processed again as unshown).
    if let Some(jobs) = project.take_image_jobs() {
        project.images_done(jobs.run());
        served.apply(project.render().unwrap());
    }
    let (_, _, exif) = decode(&served.read("images/goshawk.jpg").unwrap());
    assert!(exif.is_none());
}
