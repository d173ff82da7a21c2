//! The stylesheets and scripts of a build under the names pages link them by: each one's
//! hashed copy beside it (`style.3f9a1c0b.css`) and `_headers` saying those copies may be
//! cached for a year (see [`crate::assets`]). The preview links the plain names.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::assets::{AssetNames, HEADERS_FILE, content_hash, is_hashed_kind};
use crate::cache::Keeper;
use crate::config::Config;
use crate::fingerprint::fingerprint;
use crate::highlight;
use crate::output::{Body, Outputs};
use crate::site::{Extras, SYNTAX_CSS_PATH, Site, output_file};
use crate::theme::StaticFile;

/// The generated code stylesheet, when the build writes one.
fn syntax_css(config: &Config, extras: Extras) -> Option<String> {
    let highlight = config.highlight;
    extras
        .syntax_css
        .then(|| highlight::stylesheet(highlight.theme, highlight.dark_theme))
}

/// The name every stylesheet and script of the theme and the site is linked by, the
/// generated code stylesheet included: hashed when `config.hashed_assets`.
pub(crate) fn names(
    config: &Config,
    statics: &BTreeMap<String, StaticFile>,
    extras: Extras,
) -> AssetNames {
    let hashed = config.hashed_assets;
    let mut names = AssetNames::default();
    for (path, file) in statics {
        if let Some(hash) = &file.hash {
            names.add(path, hashed.then_some(hash.as_str()));
        }
    }
    let syntax = output_file(SYNTAX_CSS_PATH);
    if !statics.contains_key(&syntax)
        && let Some(css) = syntax_css(config, extras)
    {
        let hash = hashed.then(|| content_hash(css.as_bytes()));
        names.add(&syntax, hash.as_deref());
    }
    debug_assert!(names.iter().all(|(path, _)| is_hashed_kind(path)));
    names
}

/// Hands every part of the site the names pages link stylesheets and scripts by.
pub(crate) fn hand_out(sites: &mut [Site], names: AssetNames) {
    let names = Arc::new(names);
    for site in sites {
        site.assets = names.clone();
    }
}

/// Adds the hashed copies and, unless the site has its own, `_headers` to the outputs; a
/// file the same as in the previous output is linked from it.
pub(crate) fn add_copies(
    sink: &mut Outputs,
    config: &Config,
    names: &AssetNames,
    statics: &BTreeMap<String, StaticFile>,
    extras: Extras,
    keeper: Option<&Keeper>,
) {
    if !config.hashed_assets {
        return;
    }
    let keep = |path: &str, digest: u64| keeper.and_then(|k| k.same(path, None, digest));
    for (plain, hashed) in names.hashed() {
        let body = match statics.get(plain) {
            Some(file) => keep(hashed, file.digest).map_or_else(|| file.body(), Body::Link),
            None => {
                let css = syntax_css(config, extras).unwrap_or_default().into_bytes();
                keep(hashed, fingerprint(&css[..])).map_or(Body::Bytes(css), Body::Link)
            }
        };
        sink.insert_file(hashed, body);
    }
    // The site's own `_headers` is a static file, already in the sink: it wins.
    if !sink.has_file(HEADERS_FILE) {
        let headers = names.headers().into_bytes();
        let body = keep(HEADERS_FILE, fingerprint(&headers[..]));
        sink.insert_file(HEADERS_FILE, body.map_or(Body::Bytes(headers), Body::Link));
    }
}
