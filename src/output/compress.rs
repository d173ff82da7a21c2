//! `precompress = true`: a `.br` and a `.gz` beside every text file of the output, for
//! servers that send a precompressed file when the browser accepts it (nginx's
//! `gzip_static` and `brotli_static`, Caddy's `file_server { precompressed }`), so that
//! none compresses on each request, and each file is compressed harder than one would on
//! the fly.

use std::io::Write;

/// Extensions of the files worth compressing: text. Images, fonts and media are compressed
/// already.
const TEXT: [&str; 12] = [
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "txt",
    "svg",
    "webmanifest",
    "md",
    "csv",
];

/// Brotli's quality. On a corpus of 1,000 articles, 9 made a cold build 2.9 times as long as
/// 6 for 1.6 % less (and 11 is five times slower again): a newsroom's first build waits for
/// every page, a reader gains little.
const BROTLI_QUALITY: u32 = 6;
/// Brotli's window, as a power of two: 4 MB, more than any page.
const BROTLI_WINDOW: u32 = 22;

/// Whether a file of the output gets compressed copies: a text file, not one of the host's
/// own (`_headers`, `_redirects`) nor Kiosque's marker.
pub fn is_compressible(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.starts_with('_') || name.starts_with('.') {
        return false;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT.iter().any(|t| ext.eq_ignore_ascii_case(t)))
}

/// How a compressed copy is made from the bytes of its file.
pub(crate) type Compress = fn(&[u8]) -> Vec<u8>;

/// The compressed copies of a text file: their extension, and how each is made.
pub const COPIES: [(&str, Compress); 2] = [("br", brotli), ("gz", gzip)];

/// Brotli-compresses bytes.
fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        // Writing to a Vec cannot fail.
        let _ = writer.write_all(bytes);
    }
    out
}

/// Gzips bytes, at the best level, with no file name nor time in the header, so that the
/// same bytes give the same file.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let out = Vec::with_capacity(bytes.len() / 3);
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(out, flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_only() {
        assert!(is_compressible("index.html"));
        assert!(is_compressible("2025/02/a/index.html"));
        assert!(is_compressible("style.3f9a1c0b.css"));
        assert!(is_compressible("feed.json"));
        assert!(is_compressible("images/a.SVG"));
        assert!(!is_compressible("images/a.webp"));
        assert!(!is_compressible("_headers"));
        assert!(!is_compressible("_redirects"));
        assert!(!is_compressible(".kiosque-output"));
        assert!(!is_compressible("index.html.gz"));
        assert!(!is_compressible("nginx-redirects.map"));
    }

    #[test]
    fn the_same_bytes_compress_the_same() {
        let text = b"<p>Bonjour</p>".repeat(100);
        assert_eq!(gzip(&text), gzip(&text));
        assert_eq!(brotli(&text), brotli(&text));
        assert!(brotli(&text).len() < text.len() / 10);
    }
}
