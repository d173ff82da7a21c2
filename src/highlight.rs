//! Code highlighting: fenced code blocks become class-based HTML (`<span class="hl-…">`), so a
//! stylesheet generated from a syntect theme colours them and a site can restyle them.
//!
//! The syntaxes (syntect's and bat's, through `two-face`) are a binary dump built into the
//! executable, loaded once per process and only when a page has code. A process that builds
//! again (`serve`) keeps a [`CodeCache`]: blocks are cached by a hash of their syntaxes,
//! language, options and text, so the same block is never highlighted twice. A one-off build
//! has no cache, which would only cost memory.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{
    ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use crate::html::escape;

/// Prefix of every class the highlighter writes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Languages writers name by other words than syntect's tokens.
const ALIASES: [(&str, &str); 8] = [
    ("console", "bash"),
    ("shell", "bash"),
    ("zsh", "bash"),
    ("terminal", "bash"),
    ("docker", "dockerfile"),
    ("jsonc", "json"),
    ("patch", "diff"),
    ("c++", "cpp"),
];

/// Blocks kept in the cache at most; past it, the cache starts again empty.
const CACHE_LIMIT: usize = 50_000;

/// What the info string of a fenced block asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Fence {
    /// Language as written, if any.
    pub lang: Option<String>,
    /// Number the lines.
    pub linenos: bool,
    /// Lines to highlight, 1-based.
    pub hl_lines: Vec<RangeInclusive<usize>>,
    /// File name shown as a caption.
    pub name: Option<String>,
}

impl Fence {
    /// Reads `rust,linenos,hl_lines=2 4-6,name=main.rs`.
    pub fn parse(info: &str) -> Result<Fence, String> {
        let mut fence = Fence::default();
        let mut parts = info.split(',').map(str::trim);
        fence.lang = parts
            .next()
            .filter(|lang| !lang.is_empty())
            .map(str::to_string);
        for part in parts.filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                None if part == "linenos" => fence.linenos = true,
                Some(("hl_lines", lines)) => fence.hl_lines = parse_lines(lines)?,
                Some(("name", name)) if !name.trim().is_empty() => {
                    fence.name = Some(name.trim().to_string())
                }
                _ => {
                    return Err(format!(
                        "unknown code block option `{part}` (expected linenos, hl_lines=2 4-6 or name=FILE)"
                    ));
                }
            }
        }
        Ok(fence)
    }

    fn is_highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|range| range.contains(&line))
    }
}

fn parse_lines(text: &str) -> Result<Vec<RangeInclusive<usize>>, String> {
    let bad = |part: &str| format!("`{part}` is not a line or a range of lines such as 4-6");
    text.split_whitespace()
        .map(|part| {
            let (start, end) = part.split_once('-').unwrap_or((part, part));
            match (start.parse::<usize>(), end.parse::<usize>()) {
                (Ok(start), Ok(end)) if 1 <= start && start <= end => Ok(start..=end),
                _ => Err(bad(part)),
            }
        })
        .collect()
}

/// A highlighted block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// The block's HTML.
    pub html: Arc<str>,
    /// Whether the language was recognised; an unknown one is shown as plain text.
    pub known_language: bool,
    /// Whether the block came from the cache.
    pub cached: bool,
}

/// Highlighted blocks kept between builds of one process.
#[derive(Default)]
pub struct CodeCache(Mutex<HashMap<u64, Arc<str>>>);

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.0.lock().map_or(0, |blocks| blocks.len());
        write!(f, "CodeCache({len} blocks)")
    }
}

/// Syntaxes, and the block cache if the process keeps one.
pub struct Highlighter {
    /// Definitions a site adds in `syntaxes/`, checked when the build starts.
    custom: Vec<SyntaxDefinition>,
    /// Built-in and site syntaxes linked together, on first use: linking costs more than
    /// the rest of a small build.
    linked: OnceLock<SyntaxSet>,
    /// Tells cached blocks of different syntax sets apart.
    fingerprint: u64,
    cache: Option<Arc<CodeCache>>,
}

impl Highlighter {
    /// The built-in syntaxes only.
    pub fn builtin() -> Highlighter {
        Highlighter {
            custom: Vec::new(),
            linked: OnceLock::new(),
            fingerprint: 0,
            cache: None,
        }
    }

    /// The same highlighter, keeping blocks in `cache`.
    pub fn with_cache(self, cache: Arc<CodeCache>) -> Highlighter {
        Highlighter {
            cache: Some(cache),
            ..self
        }
    }

    /// The built-in syntaxes and the `.sublime-syntax` files of `folder`; a file that does
    /// not parse is an error with its path.
    pub fn with_folder(folder: &Path) -> Result<Highlighter, (PathBuf, String)> {
        let mut custom = Vec::new();
        let mut hasher = DefaultHasher::new();
        for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
            let entry = entry.map_err(|e| (folder.to_path_buf(), e.to_string()))?;
            let path = entry.path();
            if !entry.file_type().is_file()
                || path.extension().is_none_or(|e| e != "sublime-syntax")
            {
                continue;
            }
            let text =
                std::fs::read_to_string(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
            let name = path.file_stem().and_then(|s| s.to_str());
            let definition = SyntaxDefinition::load_from_str(&text, true, name)
                .map_err(|e| (path.to_path_buf(), e.to_string()))?;
            (path, &text).hash(&mut hasher);
            custom.push(definition);
        }
        Ok(Highlighter {
            custom,
            linked: OnceLock::new(),
            fingerprint: hasher.finish() | 1,
            cache: None,
        })
    }

    fn syntaxes(&self) -> &SyntaxSet {
        if self.custom.is_empty() {
            return builtin_syntaxes();
        }
        self.linked.get_or_init(|| {
            let mut builder = builtin_syntaxes().clone().into_builder();
            for definition in &self.custom {
                builder.add(definition.clone());
            }
            builder.build()
        })
    }

    /// The syntax for a language name, extension or alias.
    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.to_ascii_lowercase();
        let lang = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lang)
            .map_or(lang.as_str(), |(_, to)| to);
        let syntaxes = self.syntaxes();
        syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| syntaxes.find_syntax_by_extension(lang))
    }

    /// Highlights one block, from the cache when it was highlighted before.
    pub fn highlight(&self, fence: &Fence, code: &str) -> Highlighted {
        let syntax = fence.lang.as_deref().and_then(|lang| self.find(lang));
        let known_language = fence.lang.is_none() || syntax.is_some();
        let Some(CodeCache(cache)) = self.cache.as_deref() else {
            return Highlighted {
                html: self.render(fence, syntax, code).into(),
                known_language,
                cached: false,
            };
        };
        let mut hasher = DefaultHasher::new();
        (self.fingerprint, fence, code).hash(&mut hasher);
        let key = hasher.finish();
        if let Some(html) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Highlighted {
                html,
                known_language,
                cached: true,
            };
        }
        let html: Arc<str> = self.render(fence, syntax, code).into();
        if let Ok(mut cache) = cache.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, html.clone());
        }
        Highlighted {
            html,
            known_language,
            cached: false,
        }
    }

    fn render(&self, fence: &Fence, syntax: Option<&SyntaxReference>, code: &str) -> String {
        let mut html = String::with_capacity(code.len() * 3 + 128);
        if let Some(name) = &fence.name {
            let _ = write!(
                html,
                "<figure class=\"code-file\"><figcaption class=\"code-file__name\">{}</figcaption>",
                escape(name)
            );
        }
        let lang = syntax.and(fence.lang.as_deref());
        html.push_str("<pre class=\"code hl-code\"");
        if let Some(lang) = lang {
            let _ = write!(html, " data-lang=\"{}\"", escape(lang));
        }
        html.push_str("><code");
        let mut classes = Vec::new();
        if let Some(lang) = lang {
            classes.push(format!("language-{}", escape(lang)));
        }
        if fence.linenos {
            classes.push("code--linenos".to_string());
        }
        if !classes.is_empty() {
            let _ = write!(html, " class=\"{}\"", classes.join(" "));
        }
        html.push('>');
        let per_line = fence.linenos || !fence.hl_lines.is_empty();
        let mut state = syntax.map(|s| (ParseState::new(s), ScopeStack::new()));
        for (index, line) in LinesWithEndings::from(code).enumerate() {
            let (text, newline) = match line.strip_suffix('\n') {
                Some(text) => (text, "\n"),
                None => (line, ""),
            };
            if per_line {
                html.push_str(if fence.is_highlighted(index + 1) {
                    "<span class=\"code__line code__line--hl\">"
                } else {
                    "<span class=\"code__line\">"
                });
            }
            match state.as_mut() {
                Some((parse, stack)) => {
                    html.push_str(&self.classed_line(parse, stack, line, per_line))
                }
                None => html.push_str(&escape(text)),
            }
            if per_line {
                html.push_str("</span>");
            }
            if state.is_none() || per_line {
                html.push_str(newline);
            }
        }
        if let (Some((_, stack)), false) = (&state, per_line) {
            // Scopes still open at the end of the block (`source.rust` always is).
            html.push_str(&"</span>".repeat(stack.len()));
        }
        html.push_str("</code></pre>");
        if fence.name.is_some() {
            html.push_str("</figure>");
        }
        html.push('\n');
        html
    }

    /// One line as classed spans. Per line, the scopes still open are closed at its end and
    /// opened again on the next one, so each line's markup stands alone.
    fn classed_line(
        &self,
        parse: &mut ParseState,
        stack: &mut ScopeStack,
        line: &str,
        per_line: bool,
    ) -> String {
        let mut out = String::new();
        if per_line {
            for scope in stack.as_slice() {
                out.push_str(&open_span(*scope));
            }
        }
        let ops = parse.parse_line(line, self.syntaxes()).unwrap_or_default();
        // The line's newline goes after its closing tags when lines are wrapped.
        let body = if per_line {
            line.strip_suffix('\n').unwrap_or(line)
        } else {
            line
        };
        // Scopes that end with the line end before its newline, which is moved out.
        let ops: Vec<_> = ops
            .into_iter()
            .map(|(i, op)| (i.min(body.len()), op))
            .collect();
        match line_tokens_to_classed_spans(body, &ops, CLASS_STYLE, stack) {
            Ok((spans, _)) => out.push_str(&spans),
            Err(_) => out.push_str(&escape(body)),
        }
        if per_line {
            out.push_str(&"</span>".repeat(stack.len()));
        }
        out
    }
}

/// A block as escaped text, for sites that turn highlighting off.
pub fn plain(fence: &Fence, code: &str) -> String {
    match &fence.lang {
        Some(lang) => format!(
            "<pre><code class=\"language-{}\">{}</code></pre>\n",
            escape(lang),
            escape(code)
        ),
        None => format!("<pre><code>{}</code></pre>\n", escape(code)),
    }
}

fn open_span(scope: Scope) -> String {
    let classes: Vec<String> = scope
        .build_string()
        .split('.')
        .map(|atom| format!("hl-{atom}"))
        .collect();
    format!("<span class=\"{}\">", classes.join(" "))
}

fn builtin_syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// A theme built into the binary, by name (`InspiredGitHub`, `OneHalfDark`, …), ignoring
/// case, spaces and dashes.
pub fn theme(name: &str) -> Option<EmbeddedThemeName> {
    let simple = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let wanted = simple(name);
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .copied()
        .find(|theme| simple(theme.as_name()) == wanted)
}

/// Names of the built-in themes, for messages.
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|t| t.as_name())
        .collect()
}

/// The stylesheet: the light theme, then the dark one under `prefers-color-scheme: dark`.
pub fn stylesheet(light: EmbeddedThemeName, dark: EmbeddedThemeName) -> String {
    let themes = two_face::theme::extra();
    let css =
        |theme: &Theme| css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    let mut out = String::from("/* Code colours, generated by Kiosque from syntect themes. */\n");
    out.push_str(&css(themes.get(light)));
    out.push_str("\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&css(themes.get(dark)));
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(info: &str, code: &str) -> Highlighted {
        Highlighter::builtin().highlight(&Fence::parse(info).unwrap(), code)
    }

    fn cached(cache: &Arc<CodeCache>, info: &str, code: &str) -> Highlighted {
        Highlighter::builtin()
            .with_cache(cache.clone())
            .highlight(&Fence::parse(info).unwrap(), code)
    }

    fn balanced(html: &str) -> bool {
        html.matches("<span").count() == html.matches("</span>").count()
    }

    #[test]
    fn known_snippet_has_classed_spans_and_no_inline_style() {
        let out = highlight("rust", "fn main() {\n    let x = 1; // note\n}\n");
        let html = &out.html;
        assert!(out.known_language);
        assert!(html.starts_with("<pre class=\"code hl-code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"), "{html}");
        assert!(
            html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
            "{html}"
        );
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.ends_with("</code></pre>\n"), "{html}");
        assert!(!html.contains("style="));
        assert!(balanced(html), "{html}");
    }

    #[test]
    fn aliases_find_their_syntax() {
        for (alias, scope) in [
            ("rs", "hl-rust"),
            ("py", "hl-python"),
            ("js", "hl-js"),
            ("ts", "hl-ts"),
            ("sh", "hl-shell"),
            ("bash", "hl-shell"),
            ("console", "hl-shell"),
            ("yml", "hl-yaml"),
            ("toml", "hl-toml"),
            ("dockerfile", "hl-dockerfile"),
            ("diff", "hl-diff"),
            ("json", "hl-json"),
            ("sql", "hl-sql"),
            ("go", "hl-go"),
            ("cpp", "hl-c++"),
        ] {
            let out = highlight(alias, "a = 1\n");
            assert!(out.known_language, "{alias}");
            assert!(out.html.contains(scope), "{alias}: {}", out.html);
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let out = highlight("brainfck", "<script>\n");
        assert!(!out.known_language);
        assert_eq!(
            &*out.html,
            "<pre class=\"code hl-code\"><code>&lt;script&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn options_number_and_mark_lines_and_name_the_file() {
        let out = highlight(
            "rust,linenos,hl_lines=2 4-5,name=src/main.rs",
            "/* a\nb */\nfn x() {}\nlet y = 2;\nlet z = 3;\n",
        );
        let html = &out.html;
        assert!(html.starts_with("<figure class=\"code-file\"><figcaption class=\"code-file__name\">src/main.rs</figcaption><pre"), "{html}");
        assert!(
            html.contains("<code class=\"language-rust code--linenos\">"),
            "{html}"
        );
        assert_eq!(html.matches("class=\"code__line\"").count(), 2, "{html}");
        assert_eq!(
            html.matches("class=\"code__line code__line--hl\"").count(),
            3,
            "{html}"
        );
        // Each line stands alone: the comment opened on line 1 is closed and reopened.
        for line in html.split('\n').filter(|l| l.contains("code__line")) {
            assert!(balanced(line), "{line}");
        }
        assert!(html.contains("<span class=\"code__line code__line--hl\"><span class=\"hl-source hl-rust\"><span class=\"hl-comment hl-block hl-rust\">b "), "{html}");
        assert!(html.ends_with("</figure>\n"));
    }

    #[test]
    fn bad_options_are_explained() {
        assert!(
            Fence::parse("rust,hl_lines=3-1")
                .unwrap_err()
                .contains("`3-1`")
        );
        assert!(
            Fence::parse("rust,colour=red")
                .unwrap_err()
                .contains("unknown code block option `colour=red`")
        );
        assert_eq!(Fence::parse("").unwrap(), Fence::default());
    }

    #[test]
    fn blocks_come_from_the_cache_the_second_time() {
        let cache = Arc::new(CodeCache::default());
        let code = "let a = 1;\n";
        let first = cached(&cache, "rust", code);
        let second = cached(&cache, "rust", code);
        assert!(!first.cached);
        assert!(second.cached);
        assert_eq!(first.html, second.html);
        assert!(
            !cached(&cache, "rust,linenos", code).cached,
            "options are part of the key"
        );
        assert!(
            !highlight("rust", code).cached,
            "a one-off build keeps no cache"
        );
    }

    #[test]
    fn code_that_looks_like_markup_or_templates_is_escaped() {
        let out = highlight("html", "<script>alert(1)</script> {{ x }} {% if %}\n");
        assert!(!out.html.contains("<script>"));
        assert!(out.html.contains("&lt;"));
        assert!(out.html.contains("{{ x }}") && out.html.contains("{% if %}"));
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = stylesheet(
            EmbeddedThemeName::InspiredGithub,
            EmbeddedThemeName::OneHalfDark,
        );
        assert!(css.contains(".hl-code {"));
        assert!(css.contains("@media (prefers-color-scheme: dark) {"));
        assert!(css.matches(".hl-code {").count() == 2);
    }
}
