//! What the preview server answers for a request path: a built file, a redirect to the
//! folder's URL, or the site's 404 page. Pure functions over the built outputs, so that no
//! path, however crafted, reaches anything but the site held in memory.

use percent_encoding::percent_decode_str;

use crate::output::Outputs;

/// The answer to one request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Serve this output file.
    File(String),
    /// The path names a folder without its trailing slash: go to this URL.
    Redirect(String),
    /// No such page: status 404, with the site's 404 page if it has one.
    NotFound,
    /// The path is malformed or tries to leave the site (`..`, `%2e%2e`, backslashes).
    BadRequest,
}

/// Finds what answers `path` (the URL path, still percent-encoded) on a site served at
/// `base_path` (`/` or `/news/`).
pub fn resolve(outputs: &Outputs, base_path: &str, path: &str) -> Answer {
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Answer::BadRequest;
    };
    let leaves_the_site = decoded.contains(['\\', '\0'])
        || decoded
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    if !decoded.starts_with('/') || leaves_the_site {
        return Answer::BadRequest;
    }
    let Some(relative) = decoded.strip_prefix(base_path) else {
        // `/news` for a site at `/news/`.
        return if format!("{decoded}/") == base_path {
            Answer::Redirect(base_path.to_string())
        } else {
            Answer::NotFound
        };
    };
    if relative.is_empty() || relative.ends_with('/') {
        let index = format!("{relative}index.html");
        return if outputs.has_file(&index) {
            Answer::File(index)
        } else {
            Answer::NotFound
        };
    }
    if outputs.has_file(relative) {
        return Answer::File(relative.to_string());
    }
    if outputs.has_file(&format!("{relative}/index.html")) {
        return Answer::Redirect(format!("{decoded}/"));
    }
    Answer::NotFound
}

/// The `Content-Type` of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "atom.xml" => return "application/atom+xml; charset=utf-8",
        "rss.xml" => return "application/rss+xml; charset=utf-8",
        "feed.json" => return "application/feed+json; charset=utf-8",
        _ => {}
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Outputs {
        let mut outputs = Outputs::default();
        for path in [
            "/",
            "/2025/02/sommet/",
            "/style.css",
            "/tags/ia/atom.xml",
            "/404.html",
        ] {
            outputs.insert(path, b"x".to_vec());
        }
        outputs.insert_file(
            "CNAME",
            crate::output::Body::Bytes(b"news.example".to_vec()),
        );
        outputs
    }

    #[test]
    fn folders_serve_their_index_and_files_themselves() {
        let site = site();
        let answer = |path| resolve(&site, "/", path);
        assert_eq!(answer("/"), Answer::File("index.html".into()));
        assert_eq!(
            answer("/2025/02/sommet/"),
            Answer::File("2025/02/sommet/index.html".into())
        );
        assert_eq!(
            answer("/2025/02/sommet"),
            Answer::Redirect("/2025/02/sommet/".into())
        );
        assert_eq!(answer("/style.css"), Answer::File("style.css".into()));
        assert_eq!(answer("/CNAME"), Answer::File("CNAME".into()));
        assert_eq!(
            answer("/2025/02/%73ommet/"),
            Answer::File("2025/02/sommet/index.html".into())
        );
        assert_eq!(answer("/absent/"), Answer::NotFound);
        assert_eq!(answer("/style.css/"), Answer::NotFound);
    }

    #[test]
    fn no_path_leaves_the_site() {
        let site = site();
        for path in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/2025/../../site.toml",
            "/..%2f..%2fsite.toml",
            "/%5c..%5csite.toml",
            "/./style.css",
            "/a%00b",
            "//etc/passwd",
            "etc/passwd",
            "/%ff",
        ] {
            let answer = resolve(&site, "/", path);
            assert!(
                matches!(answer, Answer::BadRequest | Answer::NotFound),
                "{path}: {answer:?}"
            );
        }
    }

    #[test]
    fn a_site_under_a_path_is_served_there_only() {
        let site = site();
        let answer = |path| resolve(&site, "/news/", path);
        assert_eq!(answer("/news/"), Answer::File("index.html".into()));
        assert_eq!(answer("/news"), Answer::Redirect("/news/".into()));
        assert_eq!(answer("/news/style.css"), Answer::File("style.css".into()));
        assert_eq!(answer("/style.css"), Answer::NotFound);
    }

    #[test]
    fn content_types_follow_the_file() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/style.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("tags/ia/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            content_type("feed.json"),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(content_type("images/a.svg"), "image/svg+xml");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
