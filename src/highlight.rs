//! Code highlighting: fenced code blocks become class-based HTML (`<span class="hl-…">`), so a
//! stylesheet generated from a syntect theme colours them and a site can restyle them.
//!
//! The syntaxes (syntect's and bat's, through `two-face`) are a binary dump built into the
//! executable, loaded once per process and only when a page has code. A process that builds
//! again (`serve`) keeps a [`CodeCache`]: blocks are cached by a hash of their syntaxes,
//! language, options and text, so the same block is never highlighted twice. A one-off build
//! has no cache, which would only cost memory.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use crate::html::escape;

/// Prefix of every class the highlighter writes.
const PREFIX: &str = "hl-";

/// Languages writers name by other words than syntect's tokens.
const ALIASES: [(&str, &str); 6] = [
    ("console", "bash"),
    ("shell", "bash"),
    ("zsh", "bash"),
    ("terminal", "bash"),
    ("docker", "dockerfile"),
    ("jsonc", "json"),
];

/// Languages that mean "no language": shown as plain text, without a warning.
const PLAIN: [&str; 7] = [
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "nohighlight",
];

/// Info string words of rustdoc and mdBook, which mean nothing here and are ignored.
const FOREIGN_OPTIONS: [&str; 7] = [
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "editable",
    "noplayground",
    "hidden",
];

/// Themes made for terminals: their colours are palette indexes, black on black in a page.
const TERMINAL_THEMES: [EmbeddedThemeName; 3] = [
    EmbeddedThemeName::Ansi,
    EmbeddedThemeName::Base16,
    EmbeddedThemeName::Base16_256,
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
    /// Reads `rust,linenos,hl_lines=2 4-6,name=main.rs`, with what it could not understand:
    /// a writer's slip in an info string is a warning, never a failed build.
    pub fn parse(info: &str) -> (Fence, Vec<String>) {
        let mut fence = Fence::default();
        let mut problems = Vec::new();
        let mut parts = info.split(',').map(str::trim);
        fence.lang = parts
            .next()
            .filter(|lang| !lang.is_empty())
            .map(str::to_string);
        for part in parts.filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                None if part == "linenos" => fence.linenos = true,
                None if FOREIGN_OPTIONS.contains(&part) || part.starts_with("edition") => {}
                Some(("hl_lines", lines)) => match parse_lines(lines) {
                    Ok(lines) => fence.hl_lines = lines,
                    Err(problem) => problems.push(problem),
                },
                Some(("name", name)) if !name.trim().is_empty() => {
                    fence.name = Some(name.trim().to_string())
                }
                _ => problems.push(format!(
                    "unknown code block option `{part}`, ignored (expected linenos, hl_lines=2 4-6 or name=FILE)"
                )),
            }
        }
        (fence, problems)
    }

    /// Whether the language asks for no highlighting.
    fn is_plain(&self) -> bool {
        self.lang
            .as_deref()
            .is_none_or(|lang| PLAIN.contains(&lang.to_ascii_lowercase().as_str()))
    }

    /// Which lines, 1-based, are marked, for a block of `count` lines.
    fn marked(&self, count: usize) -> Vec<bool> {
        let mut marked = vec![false; count + 1];
        for range in &self.hl_lines {
            let end = (*range.end()).min(count);
            for flag in marked.iter_mut().take(end + 1).skip(*range.start()) {
                *flag = true;
            }
        }
        marked
    }
}

fn parse_lines(text: &str) -> Result<Vec<RangeInclusive<usize>>, String> {
    let bad = |part: &str| {
        format!("`{part}` is not a line or a range of lines such as 4-6; hl_lines ignored")
    };
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

/// Highlighted blocks kept between builds of one process.
#[derive(Default)]
pub struct CodeCache(Mutex<HashMap<u64, (Arc<str>, Outcome)>>);

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.0.lock().map_or(0, |blocks| blocks.len());
        write!(f, "CodeCache({len} blocks)")
    }
}

/// How highlighting a block went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Highlighted, or plain because the writer asked for plain text.
    Done,
    /// No syntax knows the language: shown as plain text.
    UnknownLanguage,
    /// The syntax failed on this text (a broken site syntax): shown as plain text.
    Failed(String),
}

/// A highlighted block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// The block's HTML.
    pub html: Arc<str>,
    /// How it went.
    pub outcome: Outcome,
    /// Whether the block came from the cache.
    pub cached: bool,
}

/// Syntaxes, and the block cache if the process keeps one.
pub struct Highlighter {
    /// Definitions a site adds in `syntaxes/`, checked when the build starts.
    custom: Vec<SyntaxDefinition>,
    /// Tells cached blocks and linked syntax sets of different sites apart.
    fingerprint: u64,
    cache: Option<Arc<CodeCache>>,
}

impl Highlighter {
    /// The built-in syntaxes only.
    pub fn builtin() -> Highlighter {
        Highlighter {
            custom: Vec::new(),
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
            fingerprint: hasher.finish() | 1,
            cache: None,
        })
    }

    /// The syntax for a language name, extension or alias, with the set it belongs to.
    ///
    /// A site's own syntaxes are linked with the built-in ones, which takes longer than the
    /// rest of a small build, only when a block names one of them, and once per process.
    fn find(&self, lang: &str) -> Option<(&SyntaxSet, &SyntaxReference)> {
        let lang = lang.to_ascii_lowercase();
        let lang = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lang)
            .map_or(lang.as_str(), |(_, to)| to);
        let is_custom = self.custom.iter().any(|d| {
            d.name.eq_ignore_ascii_case(lang)
                || d.file_extensions
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(lang))
        });
        let set = if is_custom {
            linked(self.fingerprint, &self.custom)
        } else {
            builtin_syntaxes()
        };
        Some((set, set.find_syntax_by_token(lang)?))
    }

    /// Highlights one block, from the cache when it was highlighted before.
    pub fn highlight(&self, fence: &Fence, code: &str) -> Highlighted {
        let Some(CodeCache(cache)) = self.cache.as_deref() else {
            let (html, outcome) = self.render(fence, code);
            return Highlighted {
                html: html.into(),
                outcome,
                cached: false,
            };
        };
        let mut hasher = DefaultHasher::new();
        (self.fingerprint, fence, code).hash(&mut hasher);
        let key = hasher.finish();
        if let Some((html, outcome)) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Highlighted {
                html,
                outcome,
                cached: true,
            };
        }
        let (html, outcome) = self.render(fence, code);
        let html: Arc<str> = html.into();
        if let Ok(mut cache) = cache.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, (html.clone(), outcome.clone()));
        }
        Highlighted {
            html,
            outcome,
            cached: false,
        }
    }

    fn render(&self, fence: &Fence, code: &str) -> (String, Outcome) {
        if fence.is_plain() {
            return (block(fence, None, code, None), Outcome::Done);
        }
        let lang = fence.lang.as_deref().unwrap_or_default();
        let Some((set, syntax)) = self.find(lang) else {
            return (block(fence, None, code, None), Outcome::UnknownLanguage);
        };
        let mut classes = Classes::new(set, syntax);
        let html = block(fence, Some(lang), code, Some(&mut classes));
        match classes.failure {
            None => (html, Outcome::Done),
            Some(error) => (block(fence, None, code, None), Outcome::Failed(error)),
        }
    }
}

/// A block as escaped text, with its options, for sites that turn highlighting off.
pub fn plain(fence: &Fence, code: &str) -> String {
    block(fence, fence.lang.as_deref(), code, None)
}

/// The markup of a block: `lang` names its language when known, `classes` colours it.
fn block(
    fence: &Fence,
    lang: Option<&str>,
    code: &str,
    mut classes: Option<&mut Classes<'_>>,
) -> String {
    let mut html = String::with_capacity(code.len() * 8 + 160);
    if let Some(name) = &fence.name {
        let _ = write!(
            html,
            "<figure class=\"code-file\"><figcaption class=\"code-file__name\">{}</figcaption>",
            escape(name)
        );
    }
    let _ = write!(html, "<pre class=\"code {PREFIX}code\"");
    if let Some(lang) = lang {
        let _ = write!(html, " data-lang=\"{}\"", escape(lang));
    }
    html.push_str("><code");
    let mut class_names = Vec::new();
    if let Some(lang) = lang {
        class_names.push(format!("language-{}", escape(lang)));
    }
    if fence.linenos {
        class_names.push("code--linenos".to_string());
    }
    if !class_names.is_empty() {
        let _ = write!(html, " class=\"{}\"", class_names.join(" "));
    }
    html.push('>');
    let per_line = fence.linenos || !fence.hl_lines.is_empty();
    let marked = if per_line {
        fence.marked(code.lines().count())
    } else {
        Vec::new()
    };
    for (index, line) in LinesWithEndings::from(code).enumerate() {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        if per_line {
            html.push_str(if marked.get(index + 1) == Some(&true) {
                "<span class=\"code__line code__line--hl\">"
            } else {
                "<span class=\"code__line\">"
            });
        }
        match classes.as_deref_mut() {
            Some(classes) if per_line => {
                // Each line stands alone: the scopes open at its end close there and open
                // again on the next line, so a comment over two lines stays inside both.
                classes.reopen(&mut html);
                classes.line(line, text.len(), &mut html);
                classes.close(&mut html);
                html.push_str("</span>");
                html.push_str(newline);
            }
            Some(classes) => classes.line(line, line.len(), &mut html),
            None => {
                html.push_str(&escape(text));
                if per_line {
                    html.push_str("</span>");
                }
                html.push_str(newline);
            }
        }
    }
    if let (Some(classes), false) = (classes, per_line) {
        // Scopes still open at the end of the block (`source.rust` always is).
        classes.close(&mut html);
    }
    html.push_str("</code></pre>");
    if fence.name.is_some() {
        html.push_str("</figure>");
    }
    html.push('\n');
    html
}

/// Parses lines and writes them as classed spans.
struct Classes<'s> {
    set: &'s SyntaxSet,
    parse: ParseState,
    stack: ScopeStack,
    /// Why parsing failed, if it did; the block is then shown as plain text.
    failure: Option<String>,
}

impl<'s> Classes<'s> {
    fn new(set: &'s SyntaxSet, syntax: &SyntaxReference) -> Self {
        Classes {
            set,
            parse: ParseState::new(syntax),
            stack: ScopeStack::new(),
            failure: None,
        }
    }

    /// Writes `line` up to byte `end` (before its newline, when lines are wrapped); scopes
    /// changing after `end` change at `end`.
    fn line(&mut self, line: &str, end: usize, html: &mut String) {
        if self.failure.is_some() {
            return;
        }
        let ops = match self.parse.parse_line(line, self.set) {
            Ok(ops) => ops,
            Err(error) => {
                self.failure = Some(error.to_string());
                return;
            }
        };
        let mut at = 0;
        for (index, op) in ops {
            let index = index.min(end);
            if index > at {
                html.push_str(&escape(&line[at..index]));
                at = index;
            }
            let applied = self.stack.apply_with_hook(&op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => open_tag(scope, html),
                BasicScopeStackOp::Pop => html.push_str("</span>"),
            });
            if let Err(error) = applied {
                self.failure = Some(error.to_string());
                return;
            }
        }
        if end > at {
            html.push_str(&escape(&line[at..end]));
        }
    }

    /// Opens a span for every scope open now, at the start of a wrapped line.
    fn reopen(&self, html: &mut String) {
        for scope in self.stack.as_slice() {
            open_tag(*scope, html);
        }
    }

    /// Closes every span open now.
    fn close(&self, html: &mut String) {
        for _ in 0..self.stack.len() {
            html.push_str("</span>");
        }
    }
}

/// Writes `<span class="hl-keyword hl-control">` for a scope. The tags are kept per thread:
/// building one takes the lock of syntect's scope names, which the page workers share.
fn open_tag(scope: Scope, html: &mut String) {
    thread_local! {
        static TAGS: RefCell<HashMap<Scope, Box<str>>> = RefCell::new(HashMap::new());
    }
    TAGS.with(|tags| {
        let mut tags = tags.borrow_mut();
        let tag = tags.entry(scope).or_insert_with(|| {
            let classes: Vec<String> = scope
                .build_string()
                .split('.')
                .map(|atom| format!("{PREFIX}{}", escape(atom)))
                .collect();
            format!("<span class=\"{}\">", classes.join(" ")).into()
        });
        html.push_str(tag);
    });
}

fn builtin_syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// The built-in syntaxes linked with a site's, once per process and site.
fn linked(fingerprint: u64, custom: &[SyntaxDefinition]) -> &'static SyntaxSet {
    static LINKED: OnceLock<Mutex<HashMap<u64, &'static SyntaxSet>>> = OnceLock::new();
    let sets = LINKED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut sets = sets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    sets.entry(fingerprint).or_insert_with(|| {
        let mut builder = builtin_syntaxes().clone().into_builder();
        for definition in custom {
            builder.add(definition.clone());
        }
        // Leaked on purpose: a process links each site's syntaxes once and keeps them.
        Box::leak(Box::new(builder.build()))
    })
}

/// A theme built into the binary, by name (`InspiredGitHub`, `OneHalfDark`, …), ignoring
/// case, spaces and dashes; terminal themes are left out.
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
        .filter(|theme| !TERMINAL_THEMES.contains(theme))
        .find(|theme| simple(theme.as_name()) == wanted)
}

/// Names of the themes a site may choose, for messages.
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .filter(|theme| !TERMINAL_THEMES.contains(theme))
        .map(|t| t.as_name())
        .collect()
}

/// The stylesheet: each theme under its own `prefers-color-scheme` query, so no rule of the
/// light theme survives in dark mode (a more specific light selector would beat the dark
/// one and could paint dark text on a dark background).
pub fn stylesheet(light: EmbeddedThemeName, dark: EmbeddedThemeName) -> String {
    let themes = two_face::theme::extra();
    let style = ClassStyle::SpacedPrefixed { prefix: PREFIX };
    let css = |theme: &Theme| css_for_theme_with_class_style(theme, style).unwrap_or_default();
    let mut out = String::from("/* Code colours, generated by Kiosque from syntect themes. */\n");
    out.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    out.push_str(&css(themes.get(light)));
    out.push_str("}\n\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&css(themes.get(dark)));
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(info: &str, code: &str) -> Highlighted {
        Highlighter::builtin().highlight(&Fence::parse(info).0, code)
    }

    fn cached(cache: &Arc<CodeCache>, info: &str, code: &str) -> Highlighted {
        Highlighter::builtin()
            .with_cache(cache.clone())
            .highlight(&Fence::parse(info).0, code)
    }

    fn balanced(html: &str) -> bool {
        html.matches("<span").count() == html.matches("</span>").count()
    }

    #[test]
    fn known_snippet_has_classed_spans_and_no_inline_style() {
        let out = highlight("rust", "fn main() {\n    let x = 1; // note\n}\n");
        let html = &out.html;
        assert_eq!(out.outcome, Outcome::Done);
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
            assert_eq!(out.outcome, Outcome::Done, "{alias}");
            assert!(out.html.contains(scope), "{alias}: {}", out.html);
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let out = highlight("brainfck", "<script>\n");
        assert_eq!(out.outcome, Outcome::UnknownLanguage);
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
    fn bad_options_are_warnings_and_foreign_ones_are_ignored() {
        let (fence, problems) = Fence::parse("rust,hl_lines=3-1,colour=red,linenos");
        assert!(fence.linenos && fence.hl_lines.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`3-1`"));
        assert!(problems[1].contains("unknown code block option `colour=red`"));
        let (fence, problems) = Fence::parse("rust,ignore,no_run,edition2021,should_panic");
        assert_eq!(fence.lang.as_deref(), Some("rust"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(Fence::parse(""), (Fence::default(), Vec::new()));
    }

    #[test]
    fn plain_text_languages_are_plain_without_a_warning() {
        for lang in ["text", "TXT", "plain", "output", "none"] {
            let out = highlight(lang, "$ make\nok\n");
            assert_eq!(out.outcome, Outcome::Done, "{lang}");
            assert_eq!(
                &*out.html,
                "<pre class=\"code hl-code\"><code>$ make\nok\n</code></pre>\n"
            );
        }
    }

    #[test]
    fn marked_lines_past_the_end_and_blank_lines_are_safe() {
        let out = highlight("rust,hl_lines=2-99 1000000", "a\n\nc");
        assert_eq!(
            out.html.matches("code__line--hl").count(),
            2,
            "{}",
            out.html
        );
        assert!(balanced(&out.html));
        let (fence, _) = Fence::parse(",hl_lines=1");
        assert_eq!(
            plain(&fence, "x\n"),
            "<pre class=\"code hl-code\"><code><span class=\"code__line code__line--hl\">x</span>\n</code></pre>\n"
        );
    }

    #[test]
    fn terminal_themes_are_refused() {
        assert_eq!(theme("ansi"), None);
        assert_eq!(theme("base16-256"), None);
        assert_eq!(theme("one half dark"), Some(EmbeddedThemeName::OneHalfDark));
        assert!(!theme_names().contains(&"ansi"));
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
    fn each_theme_lives_in_its_own_colour_scheme() {
        let css = stylesheet(
            EmbeddedThemeName::InspiredGithub,
            EmbeddedThemeName::OneHalfDark,
        );
        let light = css
            .find("@media not all and (prefers-color-scheme: dark) {")
            .unwrap();
        let dark = css.find("@media (prefers-color-scheme: dark) {").unwrap();
        assert!(light < dark);
        assert_eq!(css.matches(".hl-code {").count(), 2);
        // Nothing but the opening comment stands outside the two blocks.
        let before = &css[..light];
        assert!(!before.contains('{'), "{before}");
        let depth_after_light =
            css[light..dark].matches('{').count() - css[light..dark].matches('}').count();
        assert_eq!(
            depth_after_light, 0,
            "the light block is closed before the dark one"
        );
        assert!(css.trim_end().ends_with('}'));
    }
}
