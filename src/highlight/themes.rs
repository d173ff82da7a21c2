//! The colour themes built into the binary: finding one by name for `[highlight]`, the palette
//! that names each theme's colours and font styles as classes, and the stylesheet that gives
//! those classes their colours.
//!
//! The classes depend on the themes alone, never on the pages, so pages highlighted in any
//! order, or in another build, agree with one stylesheet. For each theme (`l` light, `d` dark):
//! `hl-l3` is the fourth distinct foreground of its items, `hl-lg1` the second distinct
//! background, `hl-lb`, `hl-li`, `hl-lu` bold, italic and underline. The theme's defaults have
//! no class: text with them is left bare and takes them from `pre.hl-code`.

use std::fmt::Write;
use std::sync::{Mutex, MutexGuard};

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::Scope;
use two_face::theme::EmbeddedThemeName;

use super::PREFIX;

/// Themes made for terminals: their colours are palette indexes, black on black in a page.
const TERMINAL_THEMES: [EmbeddedThemeName; 3] = [
    EmbeddedThemeName::Ansi,
    EmbeddedThemeName::Base16,
    EmbeddedThemeName::Base16_256,
];

/// Font styles, each with the letter of its class and its CSS declaration.
const FONT_STYLES: [(FontStyle, char, &str); 3] = [
    (FontStyle::BOLD, 'b', "font-weight: bold"),
    (FontStyle::ITALIC, 'i', "font-style: italic"),
    (FontStyle::UNDERLINE, 'u', "text-decoration: underline"),
];

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

/// The colours and font styles of one theme, indexed in the order its items first use them.
#[derive(Debug)]
pub(super) struct Palette {
    /// Letter of the theme in class names: `l` or `d`.
    letter: char,
    /// What text no item styles gets, as syntect resolves it.
    pub(super) default: Style,
    foregrounds: Vec<Color>,
    backgrounds: Vec<Color>,
}

impl Palette {
    /// The palette of `theme`, whose classes carry `letter`.
    pub(super) fn new(theme: &Theme, letter: char) -> Palette {
        let default = Highlighter::new(theme).get_default();
        let mut palette = Palette {
            letter,
            default,
            foregrounds: Vec::new(),
            backgrounds: Vec::new(),
        };
        for style in theme.scopes.iter().map(|item| item.style) {
            if let Some(colour) = style.foreground {
                add(&mut palette.foregrounds, colour, default.foreground);
            }
            if let Some(colour) = style.background {
                add(&mut palette.backgrounds, colour, default.background);
            }
        }
        palette
    }

    /// Whether text in `style` looks as the theme's plain text where it is only white space:
    /// a colour or a font's slant cannot be seen on a space, a background or an underline can.
    pub(super) fn blank_on_space(&self, style: Style) -> bool {
        style.background == self.default.background
            && !style.font_style.contains(FontStyle::UNDERLINE)
    }

    /// Appends the classes of `style`, each after a space; none for the theme's defaults.
    pub(super) fn classes(&self, style: Style, out: &mut String) {
        let letter = self.letter;
        if let Some(index) = index(&self.foregrounds, style.foreground) {
            let _ = write!(out, " {PREFIX}{letter}{index}");
        }
        if let Some(index) = index(&self.backgrounds, style.background) {
            let _ = write!(out, " {PREFIX}{letter}g{index}");
        }
        for (flag, name, _) in FONT_STYLES {
            if style.font_style.contains(flag) {
                let _ = write!(out, " {PREFIX}{letter}{name}");
            }
        }
    }

    /// One rule per class of the palette, and the defaults on the block.
    fn css(&self, out: &mut String) {
        let letter = self.letter;
        let _ = writeln!(
            out,
            ".{PREFIX}code {{ color: {}; background-color: {}; }}",
            css_colour(self.default.foreground),
            css_colour(self.default.background)
        );
        for (index, colour) in self.foregrounds.iter().enumerate() {
            let _ = writeln!(
                out,
                ".{PREFIX}{letter}{index} {{ color: {}; }}",
                css_colour(*colour)
            );
        }
        for (index, colour) in self.backgrounds.iter().enumerate() {
            let _ = writeln!(
                out,
                ".{PREFIX}{letter}g{index} {{ background-color: {}; }}",
                css_colour(*colour)
            );
        }
        for (_, name, declaration) in FONT_STYLES {
            let _ = writeln!(out, ".{PREFIX}{letter}{name} {{ {declaration}; }}");
        }
    }
}

/// Adds `colour` to `colours` unless it is there or is the default, which needs no class.
fn add(colours: &mut Vec<Color>, colour: Color, default: Color) {
    if colour != default && !colours.contains(&colour) {
        colours.push(colour);
    }
}

fn index(colours: &[Color], colour: Color) -> Option<usize> {
    colours.iter().position(|c| *c == colour)
}

fn css_colour(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

/// The light and dark themes, and their palettes.
#[derive(Debug)]
pub(super) struct Themes {
    /// The light theme.
    pub(super) light: Theme,
    /// The dark theme.
    pub(super) dark: Theme,
    /// The light theme's palette.
    pub(super) light_palette: Palette,
    /// The dark theme's palette.
    pub(super) dark_palette: Palette,
    /// The light and dark styles of each scope stack met, one table per thread of the pool
    /// (and one for any other thread), so that no two blocks wait on each other. Each theme
    /// resolves a stack by matching every one of its rules against it; the blocks of a site
    /// meet the same few thousand stacks over and over.
    resolved: Vec<Mutex<Resolved>>,
}

/// The light and dark styles of scope stacks.
pub(super) type Resolved = foldhash::HashMap<Vec<Scope>, (Style, Style)>;

impl Themes {
    /// Loads both themes from the binary.
    pub(super) fn load(light: EmbeddedThemeName, dark: EmbeddedThemeName) -> Themes {
        let set = two_face::theme::extra();
        let (light, dark) = (set.get(light).clone(), set.get(dark).clone());
        Themes {
            light_palette: Palette::new(&light, 'l'),
            dark_palette: Palette::new(&dark, 'd'),
            light,
            dark,
            resolved: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }

    /// The table of resolved styles of the calling thread.
    pub(super) fn resolved(&self) -> MutexGuard<'_, Resolved> {
        let last = self.resolved.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |index| index.min(last));
        self.resolved[slot]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

/// The stylesheet: each theme's palette under its own `prefers-color-scheme` query, so no rule
/// of the light theme survives in dark mode.
pub fn stylesheet(light: EmbeddedThemeName, dark: EmbeddedThemeName) -> String {
    let themes = Themes::load(light, dark);
    let mut out = format!(
        "/* Code colours, generated by Kiosque from the syntect themes \"{}\" (light) and \
         \"{}\" (dark). */\n",
        light.as_name(),
        dark.as_name()
    );
    out.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    themes.light_palette.css(&mut out);
    out.push_str("}\n\n@media (prefers-color-scheme: dark) {\n");
    themes.dark_palette.css(&mut out);
    out.push_str("}\n");
    out
}
