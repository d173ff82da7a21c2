//! Unit tests of the WXR reader: the hand-written newsroom export (`newsroom`), older headers
//! and bad input of every kind (`input`), and real exports written by WordPress when at hand.

use std::path::{Path, PathBuf};

use super::*;

mod input;
mod newsroom;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress/newsroom.xml")
}

fn read_str(xml: &str) -> Result<Export, WxrError> {
    read(xml.as_bytes())
}

/// A minimal export in WXR `version`, whose namespaces are those of `ns` (`1.0`, `1.1`, `1.2`),
/// with `body` inside its channel after the header.
fn wxr(ns: &str, version: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{ns}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{ns}/">
<channel>
<title>Site</title><link>https://example.org</link><description>Test</description>
<wp:wxr_version>{version}</wp:wxr_version>
{body}
</channel>
</rss>
"#
    )
}

fn newsroom() -> Export {
    read_file(&fixture()).expect("the newsroom fixture reads")
}

fn item(export: &Export, id: u64) -> &Item {
    export
        .items
        .iter()
        .find(|i| i.id == id)
        .expect("the item is in the export")
}

fn meta<'e>(item: &'e Item, key: &str) -> Option<&'e str> {
    item.meta
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Where an error points, for the cases that have a line and column.
fn place(error: &WxrError) -> (u64, u64) {
    match error {
        WxrError::Xml { line, column, .. } | WxrError::Doctype { line, column } => (*line, *column),
        WxrError::Field { line, column, .. } => (*line, *column),
        other => panic!("no position in {other:?}"),
    }
}

/// Cut or broken anywhere, the export is an error or an export, never a panic.
#[test]
fn truncated_exports_never_panic() {
    let bytes = std::fs::read(fixture()).expect("the fixture");
    for end in (0..bytes.len()).step_by(97) {
        let _ = read(&bytes[..end]);
    }
    // And with one byte broken: markup, an entity's start, a byte that is never UTF-8.
    let mut broken = bytes.clone();
    for (n, at) in (0..bytes.len()).step_by(97).enumerate() {
        broken[at] = [b'<', b'&', 0xFF, b'>', b']'][n % 5];
        let _ = read(&broken[..]);
        broken[at] = bytes[at];
    }
    assert!(read(&bytes[..bytes.len() / 2]).is_err());
}

/// Real exports written by WordPress itself (the theme unit test data…), from a folder named
/// by `KIOSQUE_WXR_SAMPLES`; none is committed.
#[test]
#[cfg(feature = "wxr-samples")]
fn reads_real_wordpress_exports() {
    let dir = std::env::var_os("KIOSQUE_WXR_SAMPLES").expect("KIOSQUE_WXR_SAMPLES is not set");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("KIOSQUE_WXR_SAMPLES is not a readable folder")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .xml file in KIOSQUE_WXR_SAMPLES");
    for path in files {
        let export = read_file(&path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let count = |kind: &str| export.items.iter().filter(|i| i.post_type == kind).count();
        let comments: usize = export.items.iter().map(|i| i.comments.len()).sum();
        eprintln!(
            "{}: WXR {}, {} items: {} posts, {} pages, {} attachments, {} menu items; \
             {comments} comments, {} authors, {} terms",
            path.display(),
            export.channel.wxr_version,
            export.items.len(),
            count("post"),
            count("page"),
            count("attachment"),
            count("nav_menu_item"),
            export.authors.len(),
            export.terms.len(),
        );
        assert!(!export.items.is_empty(), "{}: no item read", path.display());
        assert!(export.items.iter().all(|i| !i.post_type.is_empty()));
        let debug = format!("{export:?}");
        assert!(!debug.contains("author_email"));
    }
}
