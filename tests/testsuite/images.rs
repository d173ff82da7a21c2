//! Photos processed at build time, read back as a browser and a social site would: real
//! photographs (tests/fixtures/photos, EXIF orientation and GPS tags) become `<picture>`
//! elements whose every file exists, decodes at the width it claims, is smaller than the
//! source and carries no metadata; a second build encodes nothing; bad images are errors
//! that name the image and the line using it.

use std::collections::BTreeSet;
use std::fs;
use std::io::Cursor;
use std::path::Path;

use image::{ImageDecoder, ImageReader};
use kiosque::Built;

use crate::support::*;

pub(crate) const ARTICLE: &str = "2025/02/envol/index.html";
const SUMO: &str = "2025/02/musee/index.html";

/// A copy of the photos fixture, its cache inside it, built once.
fn photos() -> (tempfile::TempDir, Built) {
    let dir = temp_site("photos");
    let built = build_with(&options(dir.path()));
    (dir, built)
}

/// Width, height and EXIF block of an encoded image.
pub(crate) fn decode(bytes: &[u8]) -> (u32, u32, Option<Vec<u8>>) {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .expect("a known format");
    let mut decoder = reader.into_decoder().expect("a readable header");
    let exif = decoder.exif_metadata().expect("metadata readable");
    let (width, height) = decoder.dimensions();
    image::DynamicImage::from_decoder(decoder).expect("pixels decode");
    (width, height, exif)
}

/// `(url, width)` of each candidate of a `srcset`.
pub(crate) fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|candidate| {
            let (url, width) = candidate.rsplit_once(' ').expect("url and descriptor");
            let width = width.strip_suffix('w').expect("a width descriptor");
            (url.to_string(), width.parse().expect("a number"))
        })
        .collect()
}

fn output<'b>(built: &'b Built, url: &str) -> std::borrow::Cow<'b, [u8]> {
    let path = url.trim_start_matches('/');
    built
        .outputs
        .read(path)
        .unwrap_or_else(|| panic!("{url} is not an output"))
}

#[test]
fn the_hero_is_a_picture_with_sizes_and_dimensions_fetched_first() {
    let (_dir, built) = photos();
    let html = page(&built, ARTICLE);
    let img = one(&html, "figure.hero picture img");
    let attr = |name: &str| img.attr(name).unwrap_or_else(|| panic!("no {name}"));
    assert_eq!((attr("width"), attr("height")), ("1200", "897"));
    assert_eq!(attr("fetchpriority"), "high");
    assert!(img.attr("loading").is_none(), "the hero is not lazy");
    assert!(attr("sizes").contains("56rem"));
    let widths: Vec<u32> = candidates(attr("srcset")).iter().map(|c| c.1).collect();
    assert_eq!(widths, [320, 640, 1000], "the fixture's [images] widths");
    assert!(attr("src").ends_with(".jpg") && attr("src").contains("goshawk-1000."));
    let source = one(&html, "figure.hero picture source");
    assert_eq!(source.attr("type"), Some("image/webp"));
    assert_eq!(source.attr("sizes"), img.attr("sizes"));
}

#[test]
fn body_images_are_lazy_pictures_that_keep_what_the_writer_wrote() {
    let (_dir, built) = photos();
    let html = page(&built, ARTICLE);
    let images = all(&html, ".prose picture img");
    assert_eq!(images.len(), 2);
    for img in &images {
        assert_eq!(img.attr("loading"), Some("lazy"));
        assert_eq!(img.attr("decoding"), Some("async"));
        assert_eq!(img.attr("sizes"), Some(kiosque::config::DEFAULT_SIZES));
        assert!(img.attr("srcset").is_some() && img.attr("width").is_some());
    }
    assert_eq!(
        images[1].attr("alt"),
        Some("Un fond d’œil photographié en consultation")
    );
    assert_eq!(images[1].attr("title"), Some("Fond d'œil"));
    // Turned upright: the sumo photo is stored sideways with EXIF orientation 6.
    assert_eq!(
        (images[0].attr("width"), images[0].attr("height")),
        (Some("900"), Some("1200"))
    );
    // Another host's image is left alone.
    assert_eq!(
        attr(&html, ".prose img[src^='https://cdn.example']", "alt"),
        "Logo"
    );
}

#[test]
fn every_variant_exists_decodes_at_its_width_is_smaller_and_has_no_metadata() {
    let (dir, built) = photos();
    let originals: Vec<(String, Vec<u8>)> = ["goshawk", "sumo", "retina"]
        .iter()
        .map(|name| {
            let path = dir.path().join(format!("static/images/{name}.jpg"));
            (name.to_string(), fs::read(path).unwrap())
        })
        .collect();
    for (_, bytes) in &originals {
        let exif = decode(bytes).2.expect("the fixture photos carry EXIF");
        assert!(
            exif.windows(2)
                .any(|w| w == [0x88, 0x25] || w == [0x25, 0x88]),
            "GPS"
        );
    }
    let mut seen = BTreeSet::new();
    for path in [ARTICLE, SUMO] {
        let html = page(&built, path);
        for srcset in attrs(&html, "picture img, picture source", "srcset") {
            for (url, width) in candidates(&srcset) {
                let bytes = output(&built, &url);
                let (w, h, exif) = decode(&bytes);
                assert_eq!(w, width, "{url}");
                assert!(exif.is_none(), "{url} keeps metadata");
                let (_, original) = originals
                    .iter()
                    .find(|(name, _)| url.contains(&format!("/{name}-")))
                    .unwrap();
                assert!(bytes.len() < original.len(), "{url} is not smaller");
                let (ow, oh, _) = decode(original);
                let (ow, oh) = if url.contains("sumo") {
                    (oh, ow)
                } else {
                    (ow, oh)
                };
                let expected = (f64::from(oh) * f64::from(w) / f64::from(ow)).round();
                assert!((f64::from(h) - expected).abs() <= 1.0, "{url}: ratio kept");
                seen.insert(url);
            }
        }
    }
    assert!(seen.len() >= 15, "{seen:?}");
    // No image file of the output keeps metadata: not the variants, not the stand-ins
    // served at the sources' own addresses.
    for path in built
        .outputs
        .paths()
        .filter(|p| p.ends_with(".jpg") || p.ends_with(".webp"))
    {
        let (_, _, exif) = decode(&built.outputs.read(path).unwrap());
        assert!(exif.is_none(), "{path} keeps EXIF");
    }
    let (width, height, _) = decode(&output(&built, "/images/sumo.jpg"));
    assert_eq!((width, height), (900, 1200), "the stand-in is upright");
}

#[test]
fn the_social_card_is_1200_by_630_with_its_size_in_the_meta_tags_and_json_ld() {
    let (_dir, built) = photos();
    for path in [ARTICLE, SUMO] {
        let html = page(&built, path);
        let meta = |property: &str| attr(&html, &format!("meta[property='{property}']"), "content");
        assert_eq!(meta("og:image:width"), "1200");
        assert_eq!(meta("og:image:height"), "630");
        assert_eq!(meta("og:image:type"), "image/jpeg");
        let card = meta("og:image");
        assert!(card.starts_with("https://photos.example/images/") && card.contains("-card."));
        let local = card.trim_start_matches("https://photos.example");
        let (w, h, exif) = decode(&output(&built, local));
        assert_eq!((w, h), (1200, 630));
        assert!(exif.is_none());
        assert_eq!(
            attr(&html, "meta[name='twitter:image']", "content"),
            card,
            "{path}"
        );
        let ld: serde_json::Value =
            serde_json::from_str(&text_of(one(&html, "script[type='application/ld+json']")))
                .unwrap();
        let images = ld[0]["image"].as_array().unwrap();
        assert_eq!(images[0]["url"], card.as_str());
        assert_eq!(
            (images[0]["width"].as_u64(), images[0]["height"].as_u64()),
            (Some(1200), Some(630))
        );
        assert_eq!(images[1]["@type"], "ImageObject");
    }
}

#[test]
fn cards_and_portraits_use_the_small_files() {
    let (_dir, built) = photos();
    let home = page(&built, "index.html");
    let cards = all(&home, "img.card__image");
    assert_eq!(cards.len(), 2);
    for img in cards {
        let src = img.attr("src").unwrap();
        assert!(src.contains("-320."), "{src}");
        assert!(img.attr("srcset").is_some() && img.attr("sizes").is_some());
    }
    let author = page(&built, "authors/camille-martin/index.html");
    let portrait = one(&author, "img.profile__avatar");
    assert!(portrait.attr("src").unwrap().contains("retina-320."));
    assert_eq!(portrait.attr("sizes"), Some("96px"));
}

#[test]
fn a_second_build_encodes_nothing_a_new_width_only_its_files_a_new_quality_all() {
    let dir = temp_site("photos");
    let first = build_with(&options(dir.path()));
    assert_eq!(first.images.pictures, 3);
    assert_eq!(first.images.processed, 3);
    assert!(first.images.encodes >= 18, "{:?}", first.images);
    let second = build_with(&options(dir.path()));
    assert_eq!((second.images.processed, second.images.encodes), (0, 0));
    assert_eq!(page_text(&first, ARTICLE), page_text(&second, ARTICLE));

    // A new width: only its files are encoded, in both formats, for each photo.
    edit(&dir.path().join("site.toml"), |toml| {
        toml.replace("[320, 640, 1000]", "[320, 640, 800, 1000]")
    });
    let wider = build_with(&options(dir.path()));
    assert_eq!(wider.images.encodes, 6, "{:?}", wider.images);
    let html = page(&wider, ARTICLE);
    let widths: Vec<u32> = candidates(&attr(&html, "figure.hero img", "srcset"))
        .iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(widths, [320, 640, 800, 1000]);
    edit(&dir.path().join("site.toml"), |toml| {
        toml.replace("[images]", "[images]\nquality = 60")
    });
    let lower = build_with(&options(dir.path()));
    assert_eq!(lower.images.processed, 3);
    assert!(lower.images.encodes > 0);
    assert_ne!(page_text(&first, ARTICLE), page_text(&lower, ARTICLE));
}

#[test]
fn a_corrupt_cache_entry_is_redone() {
    let dir = temp_site("photos");
    let first = build_with(&options(dir.path()));
    let cache = dir.path().join(kiosque::build::IMAGE_CACHE);
    let mut damaged = 0;
    for entry in walkdir::WalkDir::new(&cache) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with("goshawk-320.") {
            fs::write(entry.path(), b"not a picture any more").unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let again = build_with(&options(dir.path()));
    assert_eq!(again.images.processed, 1, "only the damaged entry");
    assert_eq!(page_text(&first, ARTICLE), page_text(&again, ARTICLE));
    let html = page(&again, ARTICLE);
    for (url, width) in candidates(&attr(&html, "figure.hero img", "srcset")) {
        assert_eq!(decode(&output(&again, &url)).0, width);
    }
}

fn page_text(built: &Built, path: &str) -> String {
    built.outputs.text(path).unwrap().to_string()
}

/// A one-article site whose body shows `/images/<name>` on line 6, with `bytes` there.
fn site_with_image(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = temp_site("minimal");
    let images = dir.path().join("static/images");
    fs::create_dir_all(&images).unwrap();
    fs::write(images.join(name), bytes).unwrap();
    fs::write(
        dir.path().join("content/photo.md"),
        format!("---\ntitle: Photo\ndate: 2025-02-01\n---\n\nVoici ![la photo](/images/{name}).\n"),
    )
    .unwrap();
    dir
}

#[test]
fn bad_images_fail_the_build_naming_the_image_and_the_line_writing_nothing() {
    let photo = fs::read(fixture("photos/static/images/goshawk.jpg")).unwrap();
    let bad = |name: &str| fs::read(fixture("bad-images").join(name)).unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "coupee.jpg",
            photo[..photo.len() / 2].to_vec(),
            "corrupt or truncated",
        ),
        (
            "deguisee.jpg",
            bad("deguisee.jpg"),
            "the extension says Jpeg but the content is Png",
        ),
        (
            "bombe.png",
            bad("bombe.png"),
            "50000×50000 pixels is over the budget",
        ),
        (
            "bruit.png",
            b"\x89PNG\r\n\x1a\nnot really".to_vec(),
            "corrupt or truncated",
        ),
    ];
    for (name, bytes, expected) in cases {
        let dir = site_with_image(name, &bytes);
        let out = dir.path().join("public");
        let run = kiosque(&[
            "build",
            "--root",
            dir.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let stderr = stderr(&run);
        assert!(!run.status.success(), "{name}: {stderr}");
        assert!(stderr.contains("content/photo.md:6:"), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("static/images/{name}")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn check_warns_about_images_over_the_budget() {
    let dir = temp_site("photos");
    edit(&dir.path().join("site.toml"), |toml| {
        toml.replace("[images]", "[images]\nbudget_kb = 60")
    });
    let run = kiosque(&["check", "--root", dir.path().to_str().unwrap()]);
    let out = String::from_utf8_lossy(&run.stdout).into_owned() + &stderr(&run);
    let warning = out
        .lines()
        .find(|l| l.contains("over the budget of 60 KB"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(warning.contains("content/2025/envol.md:"), "{warning}");
    assert!(warning.contains("static/images/"), "{warning}");
}

#[test]
fn a_missing_image_or_a_drawing_is_left_as_it_is() {
    let dir = temp_site("minimal");
    fs::create_dir_all(dir.path().join("static/images")).unwrap();
    fs::write(
        dir.path().join("static/images/plan.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/dessin.md"),
        "---\ntitle: Dessin\ndate: 2025-02-01\n---\n\n![plan](/images/plan.svg) ![absente](/images/absente.jpg)\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    assert_eq!(built.images.pictures, 0);
    let html = page(&built, "2025/02/dessin/index.html");
    assert!(all(&html, "picture").is_empty());
    assert_eq!(
        built.outputs.read("images/plan.svg").as_deref(),
        Some(
            fs::read(dir.path().join("static/images/plan.svg"))
                .unwrap()
                .as_slice()
        )
    );
    assert!(!Path::new(&dir.path().join(kiosque::build::IMAGE_CACHE)).exists());
}

#[test]
fn a_photo_no_page_shows_is_published_without_its_metadata() {
    let dir = temp_site("photos");
    let images = dir.path().join("static/images");
    fs::copy(images.join("sumo.jpg"), images.join("archive.jpg")).unwrap();
    fs::write(
        images.join("abimee.jpg"),
        b"\xFF\xD8\xFF\xE0 not a photo any more",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    let (width, height, exif) = decode(&built.outputs.read("images/archive.jpg").unwrap());
    assert!(exif.is_none(), "no GPS published");
    assert_eq!((width, height), (900, 1200), "upright");
    assert!(
        !built
            .outputs
            .paths()
            .any(|p| p.starts_with("images/archive-")),
        "no variants: no page shows it"
    );
    assert_eq!(built.images.pictures, 3, "only the photos pages show");
    // One that cannot be read is copied as it is, with a warning naming it.
    assert_eq!(
        built.outputs.read("images/abimee.jpg").as_deref(),
        Some(fs::read(images.join("abimee.jpg")).unwrap().as_slice())
    );
    let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("static/images/abimee.jpg: warning:")
                && w.contains("corrupt or truncated")),
        "{warnings:?}"
    );
}
