//! The whole Markdown stage on one body: shortcodes, embeds (URLs alone on their line and
//! shortcodes), highlighting with the built-in syntaxes, anchors, summary, French spacing.
//!
//! The theme's snippets renderer is not public, so embeds and shortcodes are rendered by a
//! stand-in that takes the same path through `embeds` as the theme's shortcodes do.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use kiosque::embeds::{self, Embed, Provider};
use kiosque::highlight::Highlighter;
use kiosque::markdown::{self, Input, Snippets};
use kiosque::shortcodes::Call;
use libfuzzer_sys::fuzz_target;

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::builtin);

/// Articles internal links (`@/2025/a.md#x`) can reach.
static TARGETS: LazyLock<markdown::Targets> = LazyLock::new(|| {
    markdown::Targets::from([
        ("2025/a.md".to_string(), "/2025/02/a/".to_string()),
        ("b.md".to_string(), "/2024/12/b/".to_string()),
    ])
});

/// Embeds become their links; `embed(url=…)` and provider-named shortcodes resolve to embeds;
/// `note` renders, `broken` fails, other names are unknown shortcodes.
struct Stand;

impl Snippets for Stand {
    fn embed(&self, embed: &Embed, _: &str) -> Result<String, String> {
        let links = embed.links();
        Ok(format!(
            "<figure data-page=\"{}\" data-src=\"{}\"></figure>",
            links.page,
            links.player.unwrap_or_default()
        ))
    }

    fn shortcode(&self, call: &Call, lang: &str, nth: usize) -> Option<Result<String, String>> {
        let provider = match call.name.as_str() {
            "note" => return Some(Ok(format!("<b>note {nth}</b>"))),
            "broken" => return Some(Err("it broke".to_string())),
            "embed" => None,
            name => Some(Provider::from_name(name)?),
        };
        Some(
            embeds::Options::from_args(&call.args)
                .and_then(|options| embeds::resolve(provider, options))
                .and_then(|embed| self.embed(&embed, lang)),
        )
    }
}

fuzz_target!(|bytes: &[u8]| {
    // The content stage rejects a body that is not UTF-8 before this stage sees it. The
    // first byte picks the options a site can vary.
    let Some((&flags, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let _ = markdown::render(&Input {
        path: Path::new("content/fuzz.md"),
        body,
        body_line: 5,
        base_path: if flags & 1 == 0 { "/" } else { "/news/" },
        lang: if flags & 2 == 0 { "fr" } else { "en" },
        snippets: &Stand,
        highlighter: (flags & 4 == 0).then_some(&*HIGHLIGHTER),
        french_spacing: flags & 8 == 0,
        safe: flags & 16 != 0,
        targets: &TARGETS,
    });
});
