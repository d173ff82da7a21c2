//! What a changed file means to the build: a pure function from a path to the kind of
//! change, which the incremental cache turns into what must be redone. The folders watched
//! are named by the same constants the loaders read.

use std::path::{Path, PathBuf};

use crate::build::stages::SYNTAXES_DIR;
use crate::config::CONFIG_FILE;
use crate::content::{AUTHORS_DIR, COMMENTS_SUFFIX, CONTENT_DIR, PAGES_DIR};
use crate::diagnostics::Error;
use crate::incremental::{Project, Redo};
use crate::theme::{I18N_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, is_editor_litter};

/// Folders of a site whose changes need a rebuild, besides `site.toml`.
pub(crate) const WATCHED: [&str; 6] = [
    CONTENT_DIR,
    TEMPLATES_DIR,
    I18N_DIR,
    STATIC_DIR,
    SYNTAXES_DIR,
    THEMES_DIR,
];

/// What a changed path, relative to the site root, is to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// `site.toml`, the site's syntaxes or the theme folder itself: everything is rebuilt.
    Everything,
    /// An article, or a folder that may hold some: those are read again.
    Content,
    /// An author profile: the profiles are read again.
    Profiles,
    /// A standalone page: the pages are read again.
    Pages,
    /// A template or the theme's strings: the pages rendered with them are rendered again.
    Templates,
    /// A static file or folder: it is copied again.
    Static,
    /// Not part of the site: an editor's backup, another theme, an unrelated file.
    Nothing,
}

/// What a change to `path` (relative to the root) means for a site using theme `theme`.
pub(crate) fn classify(path: &Path, theme: &str) -> Change {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Change::Nothing;
    };
    if is_editor_litter(name) {
        return Change::Nothing;
    }
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [CONFIG_FILE] | [CONTENT_DIR] => Change::Everything,
        [CONTENT_DIR, AUTHORS_DIR, ..]
            if path
                .extension()
                .is_none_or(|e| e.eq_ignore_ascii_case("md")) =>
        {
            Change::Profiles
        }
        [CONTENT_DIR, PAGES_DIR, ..]
            if path
                .extension()
                .is_none_or(|e| e.eq_ignore_ascii_case("md")) =>
        {
            Change::Pages
        }
        [CONTENT_DIR, ..]
            if path
                .extension()
                .is_none_or(|e| e.eq_ignore_ascii_case("md"))
                || name.ends_with(COMMENTS_SUFFIX) =>
        {
            Change::Content
        }
        [SYNTAXES_DIR, ..] => Change::Everything,
        [TEMPLATES_DIR | I18N_DIR, ..] => Change::Templates,
        [STATIC_DIR, ..] => Change::Static,
        // The theme folder appearing or going changes where every theme file comes from.
        [THEMES_DIR] => Change::Everything,
        [THEMES_DIR, t, rest @ ..] if *t == theme => match rest {
            [] => Change::Everything,
            [TEMPLATES_DIR | I18N_DIR, ..] => Change::Templates,
            [STATIC_DIR, ..] => Change::Static,
            _ => Change::Nothing,
        },
        _ => Change::Nothing,
    }
}

/// What changed paths (relative to the root) of a site using theme `theme` ask to redo.
pub fn redo(changed: &[PathBuf], theme: &str) -> Redo {
    let mut redo = Redo::default();
    for path in changed {
        match classify(path, theme) {
            Change::Everything => redo.everything = true,
            Change::Content => redo.content.push(path.clone()),
            Change::Profiles => redo.profiles = true,
            Change::Pages => redo.pages = true,
            Change::Templates => redo.templates = true,
            Change::Static => redo.statics.push(path.clone()),
            Change::Nothing => {}
        }
    }
    // Bios and pages are rendered with the snippet templates too; there are few of them.
    redo.profiles |= redo.templates;
    redo.pages |= redo.templates;
    redo
}

/// Brings a project up to date with changed paths (relative to its root). Fails only when
/// `site.toml` is broken; the project is then read whole at the next change.
pub fn update(project: &mut Project, changed: &[PathBuf]) -> Result<(), Error> {
    let redo = redo(changed, project.theme());
    project.update(&redo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_classified_by_what_they_feed() {
        let cases = [
            ("site.toml", Change::Everything),
            ("syntaxes/toml.sublime-syntax", Change::Everything),
            ("themes", Change::Everything),
            ("themes/journal", Change::Everything),
            ("content/2025/a.md", Change::Content),
            ("content", Change::Everything),
            ("content/authors/camille-martin.md", Change::Profiles),
            ("content/authors", Change::Profiles),
            ("content/pages/a-propos.md", Change::Pages),
            ("content/pages", Change::Pages),
            ("content/pages/logo.png", Change::Nothing),
            ("content/2025", Change::Content),
            ("content/2025/photo.jpg", Change::Nothing),
            ("content/2025/a.comments.yaml", Change::Content),
            ("content/2025/a.yaml", Change::Nothing),
            ("content/2025/.a.md.swp", Change::Nothing),
            ("content/2025/a.md~", Change::Nothing),
            ("content/2025/.#a.md", Change::Nothing),
            ("templates/article.html", Change::Templates),
            ("templates", Change::Templates),
            ("i18n/fr.toml", Change::Templates),
            ("themes/journal/templates/base.html", Change::Templates),
            ("themes/journal/i18n/fr.toml", Change::Templates),
            ("themes/journal/static/style.css", Change::Static),
            ("themes/journal/README.md", Change::Nothing),
            ("themes/other/templates/base.html", Change::Nothing),
            ("static/style.css", Change::Static),
            ("static", Change::Static),
            ("public/index.html", Change::Nothing),
            ("README.md", Change::Nothing),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(Path::new(path), "journal"), expected, "{path}");
        }
    }

    #[test]
    fn a_batch_asks_for_what_its_changes_feed() {
        let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
        let batch = paths(&[
            "content/2025/a.md",
            "static/style.css",
            "a.md~",
            "templates/base.html",
        ]);
        assert_eq!(
            redo(&batch, "default"),
            Redo {
                everything: false,
                content: paths(&["content/2025/a.md"]),
                templates: true,
                profiles: true,
                pages: true,
                statics: paths(&["static/style.css"]),
            }
        );
        let profile = redo(&paths(&["content/authors/a.md"]), "default");
        assert!(profile.profiles && !profile.templates && profile.content.is_empty());
        assert!(redo(&paths(&["content/a.md", "site.toml"]), "default").everything);
        assert_eq!(redo(&paths(&["README.md"]), "default"), Redo::default());
    }
}
