//! What each fuzz target does with its input, shared by the targets in `fuzz_targets/` and by
//! `tests/testsuite/fuzz_inputs.rs`, which replays the inputs they found: the replay is then
//! exactly what the fuzzer ran.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use kiosque::BuildOptions;
use kiosque::config::Config;
use kiosque::content;
use kiosque::embeds::{self, Embed, Options, Provider};
use kiosque::highlight::{self, Highlighter};
use kiosque::markdown::{self, Input, Snippets};
use kiosque::shortcodes::{self, Call, Found};

/// Runs the target named `target` (`front_matter`, `shortcodes`, `embeds`, `markdown`).
pub(crate) fn run(target: &str, bytes: &[u8]) {
    match target {
        "front_matter" => front_matter(bytes),
        "shortcodes" => shortcodes(bytes),
        "embeds" => embeds(bytes),
        "markdown" => markdown(bytes),
        other => panic!("no fuzz target `{other}`"),
    }
}

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
        &BuildOptions::default(),
    )
    .expect("the fuzz config is valid")
});

/// The content stage on one file: UTF-8 check, front matter splitting, YAML, validation. Takes
/// raw bytes: rejecting a file that is not UTF-8 is part of what is tested.
fn front_matter(bytes: &[u8]) {
    let (source, _problems) =
        content::parse_source(PathBuf::from("content/fuzz.md"), bytes, &CONFIG);
    if let Some(source) = source {
        content::is_published(&source.front, &CONFIG);
    }
}

/// The shortcode parser, at every `{{` of a text, as the Markdown stage calls it; what it finds
/// is turned into JSON (for templates) and embed options, as a shortcode call would be.
fn shortcodes(bytes: &[u8]) {
    // Bodies reach the parser as `&str`: the content stage rejects files that are not UTF-8.
    let Ok(body) = std::str::from_utf8(bytes) else {
        return;
    };
    // Like the Markdown stage, parse one `{{/*` past the last `*/}}`, not each: each would
    // search the rest of the body for the end.
    let last_close = body.rfind("*/}}");
    let mut unclosed_seen = false;
    for (at, _) in body.match_indices("{{") {
        if body[at + 2..].starts_with("/*") && last_close.is_none_or(|close| close < at) {
            if unclosed_seen {
                continue;
            }
            unclosed_seen = true;
        }
        let Some(Ok(found)) = shortcodes::parse_at(body, at) else {
            continue;
        };
        let span = found.span().clone();
        assert!(
            at == span.start && span.end <= body.len() && body.is_char_boundary(span.end),
            "span {span:?} of the call at {at} is not within the body",
        );
        if let Found::Call(call) = found {
            for (_, arg) in &call.args {
                arg.to_json();
            }
            let _ = Options::from_args(&call.args);
        }
    }
}

/// The embed URL recognisers: a URL alone on its line, as the Markdown stage sees it, and a
/// `url` or `id` given to an embed shortcode; then the links and shape of what they accept.
fn embeds(bytes: &[u8]) {
    let Ok(url) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Some(Ok(embed)) = embeds::recognize(url) {
        use_embed(&embed);
    }
    // A first byte below 13 picks a provider for the shortcode forms, `{{ youtube(url=…) }}`
    // and `{{ youtube(id=…) }}`; without one, they are `{{ embed(url=…) }}` and `id` alone.
    let (provider, rest) = match url.as_bytes().first() {
        Some(&b) if usize::from(b) < Provider::ALL.len() => {
            (Some(Provider::ALL[usize::from(b)]), &url[1..])
        }
        _ => (None, url),
    };
    for options in [
        Options {
            url: Some(rest.to_string()),
            ..Options::default()
        },
        Options {
            id: Some(rest.to_string()),
            ..Options::default()
        },
    ] {
        if let Ok(embed) = embeds::resolve(provider, options) {
            use_embed(&embed);
        }
    }
}

fn use_embed(embed: &Embed) {
    embed.links();
    embed.shape();
    embed.media_type();
}

/// The highlighter of a site with the default themes.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(|| {
    let theme = |name| highlight::theme(name).expect("a built-in theme");
    Highlighter::builtin(theme("InspiredGitHub"), theme("OneHalfDark"))
});

/// Articles internal links (`@/2025/a.md#x`) can reach.
static TARGETS: LazyLock<markdown::Targets> = LazyLock::new(|| {
    markdown::Targets::from([
        ("2025/a.md".to_string(), "/2025/02/a/".to_string()),
        ("b.md".to_string(), "/2024/12/b/".to_string()),
    ])
});

/// The whole Markdown stage on one body: shortcodes, embeds, highlighting with the built-in
/// syntaxes, anchors, summary, French spacing, safe mode, internal links. The first byte picks
/// the options a site can vary.
fn markdown(bytes: &[u8]) {
    let Some((&flags, rest)) = bytes.split_first() else {
        return;
    };
    // The content stage rejects a body that is not UTF-8 before this stage sees it.
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
}

/// Stands in for the theme, whose snippet renderer is not public: embeds become their links;
/// `embed(url=…)` and provider-named shortcodes resolve to embeds as the theme's do; `note`
/// renders, `broken` fails, other names are unknown shortcodes.
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
            Options::from_args(&call.args)
                .and_then(|options| embeds::resolve(provider, options))
                .and_then(|embed| self.embed(&embed, lang)),
        )
    }
}
