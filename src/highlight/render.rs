//! Rendering of one block: its markup (caption, line numbers, marked lines) and its text in
//! flat spans, one for each run of text that one of the two themes colours differently from
//! its plain text, classed by the themes' palettes (`themes.rs`).
//!
//! Each theme resolves the style of every token from its whole scope stack, as syntect does,
//! so the page shows what the theme means and not what a cascade of scope classes makes of
//! it. Scopes no theme styles, nesting and empty spans do not reach the page.

use std::fmt::Write;

use syntect::highlighting::{
    HighlightState, Highlighter as Resolver, RangedHighlightIterator, Style,
};
use syntect::parsing::{
    ParseState, ParsingError, ScopeError, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

use super::themes::Themes;
use super::{Fence, PREFIX};
use crate::html::escape;

/// A block as escaped text, with its options, for sites that turn highlighting off.
pub fn plain(fence: &Fence, code: &str) -> String {
    block(fence, fence.lang.as_deref(), code, None)
}

/// The markup of a block: `lang` names its language when known, `colours` colours it.
pub(super) fn block(
    fence: &Fence,
    lang: Option<&str>,
    code: &str,
    mut colours: Option<&mut Colours<'_>>,
) -> String {
    let mut html = String::with_capacity(code.len() * 3 + 160);
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
        match colours.as_deref_mut() {
            Some(colours) if per_line => {
                // Each line stands alone: a run still going at its end closes there, and the
                // next line opens its own, so a comment over two lines is coloured in both.
                colours.line(line, text.len(), &mut html);
                colours.close(&mut html);
                html.push_str("</span>");
                html.push_str(newline);
            }
            Some(colours) => colours.line(line, line.len(), &mut html),
            None => {
                html.push_str(&escape(text));
                if per_line {
                    html.push_str("</span>");
                }
                html.push_str(newline);
            }
        }
    }
    if let (Some(colours), false) = (colours, per_line) {
        colours.close(&mut html);
    }
    html.push_str("</code></pre>");
    if fence.name.is_some() {
        html.push_str("</figure>");
    }
    html.push('\n');
    html
}

/// Why a syntax failed on a block (a broken site syntax), as syntect said.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxFailure {
    /// The parser lost its way in the syntax's contexts.
    #[error(transparent)]
    Parse(#[from] ParsingError),
    /// The syntax restored scopes it had not cleared.
    #[error(transparent)]
    Scope(#[from] ScopeError),
}

/// Parses lines and writes them as runs of text in spans classed by both themes.
pub(super) struct Colours<'s> {
    set: &'s SyntaxSet,
    parse: ParseState,
    /// The scopes open, to catch a syntax that closes a scope it never opened: syntect's
    /// highlighting iterator would silently stop there, and drop the rest of the line.
    stack: ScopeStack,
    themes: &'s Themes,
    light: Resolver<'s>,
    dark: Resolver<'s>,
    light_state: HighlightState,
    dark_state: HighlightState,
    /// The light and dark styles of the span open now, if one is.
    open: Option<(Style, Style)>,
    /// Why parsing failed, if it did; the block is then shown as plain text.
    pub(super) failure: Option<SyntaxFailure>,
}

impl<'s> Colours<'s> {
    /// Ready for the first line of a block in `syntax`.
    pub(super) fn new(set: &'s SyntaxSet, syntax: &SyntaxReference, themes: &'s Themes) -> Self {
        let light = Resolver::new(&themes.light);
        let dark = Resolver::new(&themes.dark);
        Colours {
            set,
            parse: ParseState::new(syntax),
            stack: ScopeStack::new(),
            themes,
            light_state: HighlightState::new(&light, ScopeStack::new()),
            dark_state: HighlightState::new(&dark, ScopeStack::new()),
            light,
            dark,
            open: None,
            failure: None,
        }
    }

    /// Writes `line` up to byte `end` (before its newline, when lines are wrapped).
    fn line(&mut self, line: &str, end: usize, html: &mut String) {
        if self.failure.is_some() {
            return;
        }
        let ops = match self.parse.parse_line(line, self.set) {
            Ok(ops) => ops,
            Err(error) => {
                self.failure = Some(error.into());
                return;
            }
        };
        for (_, op) in &ops {
            if let Err(error) = self.stack.apply(op) {
                self.failure = Some(error.into());
                return;
            }
        }
        // Both themes cut the line at the same places, the scope changes: only the styles
        // they give the pieces differ.
        let light = RangedHighlightIterator::new(&mut self.light_state, &ops, line, &self.light);
        let dark: Vec<Style> =
            RangedHighlightIterator::new(&mut self.dark_state, &ops, line, &self.dark)
                .map(|(style, _, _)| style)
                .collect();
        let pieces: Vec<_> = light
            .zip(dark)
            .map(|((light, _, range), dark)| (range, (light, dark)))
            .collect();
        for (range, styles) in pieces {
            if range.start < end {
                self.write(&line[range.start..range.end.min(end)], styles, html);
            }
        }
    }

    /// Writes `text` in the light and dark `styles`, in the span open if it has them, or if
    /// `text` is white space on which neither shows; else in a new span, or none for plain text.
    fn write(&mut self, text: &str, styles: (Style, Style), html: &mut String) {
        let themes = self.themes;
        let (light, dark) = (&themes.light_palette, &themes.dark_palette);
        let blank = |(l, d): (Style, Style)| light.blank_on_space(l) && dark.blank_on_space(d);
        let wanted = (styles != (light.default, dark.default)).then_some(styles);
        let joins =
            blank(styles) && self.open.is_none_or(blank) && text.chars().all(char::is_whitespace);
        if !joins && wanted != self.open {
            self.close(html);
            if let Some((l, d)) = wanted {
                html.push_str("<span class=\"");
                let start = html.len();
                light.classes(l, html);
                dark.classes(d, html);
                // Each class came after a space; the first needs none.
                html.remove(start);
                html.push_str("\">");
                self.open = wanted;
            }
        }
        html.push_str(&escape(text));
    }

    /// Closes the span open now, if one is.
    fn close(&mut self, html: &mut String) {
        if self.open.take().is_some() {
            html.push_str("</span>");
        }
    }
}
