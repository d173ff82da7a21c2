//! Cache-friendly names for the CSS and JS a site serves: `style.css` is also written as
//! `style.3f9a1c0b.css`, a name taken from its bytes, so hosts may keep it for a year and a
//! changed file is a new name. Pages link the hashed names; the plain ones stay, for links
//! written by hand. A leaf: the build decides the names, the model hands them to templates,
//! and `_headers` (Netlify, Cloudflare Pages) says which files are safe to cache.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Output path of the headers file Netlify and Cloudflare Pages read.
pub const HEADERS_FILE: &str = "_headers";

/// How long a hashed file may be cached: a year, the longest that means anything.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Hex digits of the hash in a name: 32 bits tell two versions of one file apart.
const HASH_DIGITS: usize = 8;

/// Whether a file is a stylesheet or script, named by its hash.
pub fn is_hashed_kind(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // A dotfile has no extension to put the hash before.
    !name.starts_with('.')
        && [".css", ".js", ".mjs"]
            .iter()
            .any(|ext| name.len() > ext.len() && name.ends_with(ext))
}

/// The start of the SHA-256 of some bytes, in hex: the same for the same bytes from every
/// Kiosque binary and platform.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..HASH_DIGITS].to_string()
}

/// The hashed name of an output path: the hash before the last extension, in the same
/// folder, so that the file's relative links (`url(fonts/a.woff2)`) still lead where they did.
pub fn hashed_path(path: &str, hash: &str) -> String {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = name_start + dot;
            format!("{}.{hash}{}", &path[..dot], &path[dot..])
        }
        _ => format!("{path}.{hash}"),
    }
}

/// The name each stylesheet and script is linked by, by output path (`style.css`,
/// `css/print.css`): its hashed name in a build, its own in the preview (whose stylesheets
/// are swapped in place as they are saved, which a new name would prevent).
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct AssetNames {
    names: BTreeMap<String, String>,
}

impl AssetNames {
    /// Adds a file at an output path, hashed when `hash` is given.
    pub fn add(&mut self, path: &str, hash: Option<&str>) {
        let served = hash.map_or_else(|| path.to_string(), |hash| hashed_path(path, hash));
        self.names.insert(path.to_string(), served);
    }

    /// The output path a file is linked by: its hashed name if it has one, else its own.
    pub fn served<'a>(&'a self, path: &'a str) -> &'a str {
        self.names.get(path).map_or(path, String::as_str)
    }

    /// Every file with the output path it is linked by.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The hashed copies: (output path, hashed output path).
    pub fn hashed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter().filter(|(plain, served)| plain != served)
    }

    /// `_headers` for Netlify and Cloudflare Pages: a year for each hashed file. Every other
    /// file keeps the hosts' own short default (`public, max-age=0, must-revalidate`: checked
    /// at each visit), which is what HTML must have so that a new article shows at once. No
    /// `/*` rule says it again: Cloudflare Pages would join it to the hashed files' rule,
    /// giving them both lifetimes.
    /// Paths are from the output folder's root, which is the host's root on both.
    pub fn headers(&self) -> String {
        let mut out = String::from(
            "# Written by Kiosque at every build. Hashed CSS and JS change name when they change,\n\
             # so browsers and CDNs may keep them for a year. Pages, feeds and other files keep\n\
             # the host's default, `public, max-age=0, must-revalidate`: revalidated at each\n\
             # visit. Put your own `static/_headers` to replace this file.\n",
        );
        for (_, hashed) in self.hashed() {
            out.push_str(&format!("\n/{hashed}\n  Cache-Control: {IMMUTABLE}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_goes_before_the_extension_in_the_same_folder() {
        assert_eq!(hashed_path("style.css", "3f9a1c0b"), "style.3f9a1c0b.css");
        assert_eq!(hashed_path("js/app.min.js", "0a"), "js/app.min.0a.js");
        assert_eq!(hashed_path("a.b/c", "0a"), "a.b/c.0a");
    }

    #[test]
    fn kinds() {
        assert!(is_hashed_kind("style.css"));
        assert!(is_hashed_kind("js/search.mjs"));
        assert!(!is_hashed_kind("logo.svg"));
        assert!(!is_hashed_kind(".css"));
        assert!(!is_hashed_kind("a/.hidden.js"));
    }

    #[test]
    fn the_hash_is_sha256s_start() {
        // printf 'abc' | sha256sum
        assert_eq!(content_hash(b"abc"), "ba7816bf");
    }

    #[test]
    fn headers_list_only_hashed_files() {
        let mut names = AssetNames::default();
        names.add("style.css", Some("3f9a1c0b"));
        names.add("plain.js", None);
        let headers = names.headers();
        assert!(headers.contains(
            "\n/style.3f9a1c0b.css\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
        assert!(!headers.contains("plain"));
        assert_eq!(names.served("style.css"), "style.3f9a1c0b.css");
        assert_eq!(names.served("other.css"), "other.css");
    }
}
