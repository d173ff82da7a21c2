//! Unit tests of the image cache: what it serves, what it makes again, and when.

use super::*;

#[test]
fn the_cache_serves_a_second_process_without_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("images"));
    let source = jpeg(200, 100);
    let (first, hit) = cache
        .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
        .unwrap();
    assert!(!hit);
    let encodes = cache.encodes();
    assert_eq!(encodes, 2);
    let (second, hit) = cache
        .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
        .unwrap();
    assert!(hit);
    assert_eq!(cache.encodes(), encodes, "a hit encodes nothing");
    assert_eq!(first, second);
    // A new cache on the same folder (the next build) is served too.
    let next = Cache::open(&dir.path().join("images"));
    assert!(
        next.process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
            .unwrap()
            .1
    );
    assert_eq!(next.encodes(), 0);
}

#[test]
fn changing_the_quality_re_encodes() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let source = jpeg(200, 100);
    cache
        .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
        .unwrap();
    let lower = Settings {
        quality: 50,
        ..settings(&[100])
    };
    let (_, hit) = cache
        .process(Source::in_memory("a.jpg", &source), &lower, None)
        .unwrap();
    assert!(!hit);
    assert_eq!(cache.encodes(), 4);
}

#[test]
fn a_corrupt_entry_is_detected_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let source = jpeg(200, 100);
    let (first, _) = cache
        .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
        .unwrap();
    let entry = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = entry.join(&first.variants[0].file_name);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let (redone, hit) = cache
        .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
        .unwrap();
    assert!(!hit);
    assert_eq!(redone, first);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        bytes,
        "the entry is repaired"
    );
    std::fs::write(entry.join("w100-webp-q80.json"), b"{ not json").unwrap();
    let encodes = cache.encodes();
    assert!(
        !cache
            .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
            .unwrap()
            .1
    );
    assert_eq!(
        cache.encodes(),
        encodes + 1,
        "only the file whose record broke"
    );
    assert!(
        cache
            .process(Source::in_memory("a.jpg", &source), &settings(&[100]), None)
            .unwrap()
            .1
    );
}

#[test]
fn a_new_width_or_format_encodes_only_the_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let source = jpeg(400, 200);
    let card = Some(Focal::CENTRE);
    cache
        .process(
            Source::in_memory("a.jpg", &source),
            &settings(&[100, 200]),
            card,
        )
        .unwrap();
    assert_eq!(
        cache.encodes(),
        5,
        "two widths in two formats, and the card"
    );
    let (wider, hit) = cache
        .process(
            Source::in_memory("a.jpg", &source),
            &settings(&[100, 200, 300]),
            card,
        )
        .unwrap();
    assert!(!hit);
    assert_eq!(cache.encodes(), 7, "the new width only");
    let widths: Vec<u32> = wider.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [100, 100, 200, 200, 300, 300]);
    let mut avif = settings(&[100]);
    avif.formats.push(Format::Avif);
    cache
        .process(Source::in_memory("a.jpg", &source), &avif, None)
        .unwrap();
    assert_eq!(cache.encodes(), 8, "AVIF at 100 px only");
    assert!(
        cache
            .lookup(
                Source::in_memory("a.jpg", &source),
                &settings(&[100, 200, 300]),
                card
            )
            .is_some()
    );
    assert!(
        cache
            .lookup(Source::in_memory("a.jpg", &source), &settings(&[150]), card)
            .is_none()
    );
}

#[test]
fn the_cache_is_safe_from_many_threads() {
    use rayon::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    // Two caches on one folder, as a build and `serve` may be.
    let other = Cache::open(dir.path());
    let sources: Vec<Vec<u8>> = (0..4).map(|i| jpeg(60 + i, 40)).collect();
    (0..16).into_par_iter().for_each(|i| {
        let source = &sources[i % 4];
        let cache = if i % 2 == 0 { &cache } else { &other };
        let (processed, _) = cache
            .process(Source::in_memory("p.jpg", source), &settings(&[30]), None)
            .unwrap();
        assert!(!processed.variants.is_empty());
    });
    for source in &sources {
        assert!(
            cache
                .process(Source::in_memory("p.jpg", source), &settings(&[30]), None)
                .unwrap()
                .1
        );
    }
    let leftovers = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count();
    assert_eq!(leftovers, 0, "no temporary file is left behind");
}

#[test]
fn a_new_quality_makes_the_lossy_files_again_not_the_png() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path());
    let source = png(120, 80);
    cache
        .process(Source::in_memory("c.png", &source), &settings(&[60]), None)
        .unwrap();
    assert_eq!(cache.encodes(), 2);
    let lower = Settings {
        quality: 50,
        ..settings(&[60])
    };
    cache
        .process(Source::in_memory("c.png", &source), &lower, None)
        .unwrap();
    assert_eq!(cache.encodes(), 3, "the WebP only");
}
