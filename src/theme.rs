//! Theme stage: gathers the theme's templates, static files and strings, from `themes/<name>/`
//! or, for `default` with no such folder, from the copy built into the binary. A site's own
//! `templates/` and `static/` folders override the theme's files of the same name.
//!
//! Only reads files; compiling templates is [`crate::render`]'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, Problem};
use crate::output::Body;

/// Folder of a site's own theme strings, `i18n/<lang>.toml`, as in a theme.
pub(crate) const I18N_DIR: &str = "i18n";
/// Folder of page templates, in a theme and in a site (overriding the theme's).
pub(crate) const TEMPLATES_DIR: &str = "templates";
/// Folder of files copied as they are, in a theme and in a site.
pub(crate) const STATIC_DIR: &str = "static";
/// Folder of a site's themes, one folder each.
pub(crate) const THEMES_DIR: &str = "themes";

/// Page templates a theme folder may lack: the built-in ones stand in.
const FALLBACK_PAGES: [&str; 1] = ["archives.html"];

/// The default theme, built into the binary.
static BUILTIN_DEFAULT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's source and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct TemplateFile {
    /// Name used in `extends` and `include` (`partials/card.html`).
    pub(crate) name: String,
    /// File shown in messages.
    pub(crate) path: PathBuf,
    /// Template text.
    pub(crate) source: String,
}

/// A file copied as is into the output. A file of the site is not held in memory (a site's
/// photos may weigh gigabytes): only its digest and size, read once, and it is copied from
/// disk when written.
#[derive(Debug, Clone)]
pub(crate) struct StaticFile {
    /// File shown in messages.
    pub(crate) path: PathBuf,
    /// Where its bytes are.
    pub(crate) content: StaticContent,
    /// Hash of its bytes, to tell whether the copy served is current.
    pub(crate) digest: u64,
    /// Its size in bytes.
    pub(crate) size: u64,
    /// For a stylesheet or script, the hash naming its cacheable copy
    /// ([`crate::assets::content_hash`]).
    pub(crate) hash: Option<String>,
}

/// Where a static file's bytes are.
#[derive(Debug, Clone)]
pub(crate) enum StaticContent {
    /// In the binary: the built-in theme's.
    Builtin(&'static [u8]),
    /// On disk, at this path.
    Disk(PathBuf),
}

impl StaticFile {
    fn new(name: &str, path: PathBuf, content: StaticContent, bytes: &[u8]) -> Self {
        StaticFile {
            hash: crate::assets::is_hashed_kind(name).then(|| crate::assets::content_hash(bytes)),
            path,
            content,
            digest: crate::content::digest(bytes),
            size: bytes.len() as u64,
        }
    }

    /// What the output holds for it: a copy of the file on disk (never a link: the output
    /// must not change when the writer edits the file later).
    pub(crate) fn body(&self) -> Body {
        match &self.content {
            StaticContent::Builtin(bytes) => Body::Bytes(bytes.to_vec()),
            StaticContent::Disk(path) => Body::Copy(path.clone()),
        }
    }
}

/// Everything a theme contributes to a build.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    /// Templates by name, site overrides applied.
    pub(crate) templates: BTreeMap<String, TemplateFile>,
    /// Static files by output path (`style.css`, `CNAME`), site overrides applied.
    pub(crate) static_files: BTreeMap<String, StaticFile>,
    /// Theme strings by language, then key.
    pub(crate) strings: BTreeMap<String, BTreeMap<String, String>>,
}

impl Theme {
    /// Loads the theme named in the configuration and the site's overrides.
    pub(crate) fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::load_templates(config)?;
        let mut errors = Vec::new();
        for (name, source) in static_sources(config, &mut errors) {
            if let Some(file) = source.read(&name, &config.root, &mut errors) {
                theme.static_files.insert(name, file);
            }
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    /// Loads the templates and strings only, leaving static files out.
    pub(crate) fn load_templates(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut errors = Vec::new();
        let dir = config.root.join(THEMES_DIR).join(&config.theme);
        if dir.is_dir() {
            theme.add_dir(&config.root, &dir, &mut errors);
            theme.add_builtin_fallbacks();
        } else if config.theme == "default" {
            theme.add_builtin(&BUILTIN_DEFAULT, &mut errors);
        } else {
            let location = config.keys.location("theme");
            errors.push(Diagnostic::new(
                location,
                Problem::UnknownTheme(config.theme.clone()),
            ));
        }
        theme.add_overrides(&config.root, &mut errors);
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    fn add_dir(&mut self, root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        for (relative, path) in files_under(root, &dir.join(TEMPLATES_DIR), Dotfiles::Skip, errors)
        {
            self.add_template(root, &relative, &path, errors);
        }
        self.add_strings_dir(root, &dir.join(I18N_DIR), errors);
    }

    fn add_builtin(&mut self, dir: &Dir<'_>, errors: &mut Vec<Diagnostic>) {
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            for file in dir.files() {
                let path = file.path();
                let shown = Path::new("<built-in theme>").join(path);
                let relative = |prefix: &str| {
                    path.strip_prefix(prefix)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                };
                if let Some(name) = relative(TEMPLATES_DIR) {
                    match std::str::from_utf8(file.contents()) {
                        Ok(source) => {
                            self.templates.insert(
                                name.clone(),
                                TemplateFile {
                                    name,
                                    path: shown,
                                    source: source.to_string(),
                                },
                            );
                        }
                        Err(_) => {
                            errors.push(Diagnostic::new(Location::file(shown), Problem::NotUtf8))
                        }
                    }
                } else if let Some(name) = relative("i18n") {
                    self.add_strings(&name, &shown, file.contents(), errors);
                }
            }
        }
    }

    /// A theme that leaves out some of `embeds/`, or a page template added to Kiosque after
    /// it was written, gets the default theme's, so it need not restyle everything to build.
    fn add_builtin_fallbacks(&mut self) {
        let embeds = BUILTIN_DEFAULT
            .get_dir("templates/embeds")
            .map(|dir| dir.files().collect::<Vec<_>>())
            .unwrap_or_default();
        let pages = FALLBACK_PAGES
            .iter()
            .filter_map(|name| BUILTIN_DEFAULT.get_file(Path::new(TEMPLATES_DIR).join(name)));
        for file in embeds.into_iter().chain(pages) {
            let Ok(name) = file.path().strip_prefix(TEMPLATES_DIR) else {
                continue;
            };
            let name = name.to_string_lossy().replace('\\', "/");
            if let (false, Some(source)) =
                (self.templates.contains_key(&name), file.contents_utf8())
            {
                self.templates.insert(
                    name.clone(),
                    TemplateFile {
                        name,
                        path: Path::new("<built-in theme>").join(file.path()),
                        source: source.to_string(),
                    },
                );
            }
        }
    }

    fn add_overrides(&mut self, root: &Path, errors: &mut Vec<Diagnostic>) {
        for (relative, path) in files_under(root, &root.join(TEMPLATES_DIR), Dotfiles::Skip, errors)
        {
            self.add_template(root, &relative, &path, errors);
        }
        // A site's strings replace the theme's key by key.
        self.add_strings_dir(root, &root.join(I18N_DIR), errors);
    }

    /// Adds every `<lang>.toml` of a folder of strings.
    fn add_strings_dir(&mut self, root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        for (relative, path) in files_under(root, dir, Dotfiles::Skip, errors) {
            let shown = shown_path(root, &path);
            match std::fs::read(&path) {
                Ok(bytes) => self.add_strings(&relative, &shown, &bytes, errors),
                Err(e) => errors.push(Diagnostic::new(
                    Location::file(shown),
                    Problem::Read(e.into()),
                )),
            }
        }
    }

    fn add_template(&mut self, root: &Path, name: &str, path: &Path, errors: &mut Vec<Diagnostic>) {
        let shown = shown_path(root, path);
        match std::fs::read_to_string(path) {
            Ok(source) => {
                let name = name.to_string();
                self.templates.insert(
                    name.clone(),
                    TemplateFile {
                        name,
                        path: shown,
                        source,
                    },
                );
            }
            Err(e) => errors.push(Diagnostic::new(
                Location::file(shown),
                Problem::Read(e.into()),
            )),
        }
    }

    fn add_strings(
        &mut self,
        name: &str,
        shown: &Path,
        bytes: &[u8],
        errors: &mut Vec<Diagnostic>,
    ) {
        let Some(lang) = name.strip_suffix(".toml") else {
            return;
        };
        let text = String::from_utf8_lossy(bytes);
        match toml::from_str::<BTreeMap<String, String>>(&text) {
            Ok(strings) => {
                self.strings
                    .entry(lang.to_string())
                    .or_default()
                    .extend(strings);
            }
            Err(e) => {
                let location = match e.span() {
                    Some(span) => Location::at_offset(shown, &text, span.start, 1),
                    None => Location::file(shown),
                };
                let cause = std::sync::Arc::new(crate::config::TomlError(e));
                errors.push(Diagnostic::new(location, Problem::ConfigSyntax(cause)));
            }
        }
    }

    /// Re-reads the static files that `changed` (paths relative to the root: files or
    /// folders, created, changed or deleted) touch, and forgets those gone; the others are
    /// not read again.
    pub(crate) fn refresh_static(
        &mut self,
        config: &Config,
        changed: &[PathBuf],
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let fresh = static_sources(config, &mut errors);
        self.static_files.retain(|name, _| fresh.contains_key(name));
        for (name, source) in fresh {
            let touched = match (&source, self.static_files.get(&name)) {
                (_, None) => true,
                (StaticSource::Disk(path), Some(file)) => {
                    file.path != shown_path(&config.root, path)
                        || changed
                            .iter()
                            .any(|c| path.starts_with(config.root.join(c)))
                }
                (StaticSource::Builtin(_, shown), Some(file)) => &file.path != shown,
            };
            if touched {
                match source.read(&name, &config.root, &mut errors) {
                    Some(file) => self.static_files.insert(name, file),
                    None => self.static_files.remove(&name),
                };
            }
        }
        errors
    }
}

/// Where a static file comes from.
enum StaticSource {
    /// A file of the site or of a theme folder.
    Disk(PathBuf),
    /// A file of the built-in theme, with the path shown for it.
    Builtin(&'static [u8], PathBuf),
}

impl StaticSource {
    fn read(self, name: &str, root: &Path, errors: &mut Vec<Diagnostic>) -> Option<StaticFile> {
        match self {
            StaticSource::Disk(path) => {
                let shown = shown_path(root, &path);
                match std::fs::read(&path) {
                    Ok(bytes) => Some(StaticFile::new(
                        name,
                        shown,
                        StaticContent::Disk(path),
                        &bytes,
                    )),
                    Err(e) => {
                        errors.push(Diagnostic::new(
                            Location::file(shown),
                            Problem::Read(e.into()),
                        ));
                        None
                    }
                }
            }
            StaticSource::Builtin(bytes, shown) => Some(StaticFile::new(
                name,
                shown,
                StaticContent::Builtin(bytes),
                bytes,
            )),
        }
    }
}

/// Every static file by output path: the theme's, then the site's `static/` over them.
fn static_sources(config: &Config, errors: &mut Vec<Diagnostic>) -> BTreeMap<String, StaticSource> {
    let root = &config.root;
    let mut sources = BTreeMap::new();
    let dir = root.join(THEMES_DIR).join(&config.theme);
    if dir.is_dir() {
        for (name, path) in files_under(root, &dir.join(STATIC_DIR), Dotfiles::Keep, errors) {
            sources.insert(name, StaticSource::Disk(path));
        }
    } else if config.theme == "default"
        && let Some(dir) = BUILTIN_DEFAULT.get_dir(STATIC_DIR)
    {
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            for file in dir.files() {
                let path = file.path();
                let name = path.strip_prefix(STATIC_DIR).unwrap_or(path);
                sources.insert(
                    name.to_string_lossy().replace('\\', "/"),
                    StaticSource::Builtin(
                        file.contents(),
                        Path::new("<built-in theme>").join(path),
                    ),
                );
            }
        }
    }
    for (name, path) in files_under(root, &root.join(STATIC_DIR), Dotfiles::Keep, errors) {
        sources.insert(name, StaticSource::Disk(path));
    }
    sources
}

/// Whether files and folders whose names start with a dot are wanted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dotfiles {
    /// Static files: `.nojekyll` and `.well-known/` must be deployed.
    Keep,
    /// Templates and strings: a dotfile there is an editor's or the system's.
    Skip,
}

/// Files under `dir` (recursively, sorted) as (path relative to `dir` with `/`, full path),
/// without editor backups and system litter.
fn files_under(
    root: &Path,
    dir: &Path,
    dotfiles: Dotfiles,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    for entry in walk.filter_entry(|e| e.depth() == 0 || !is_litter(e.file_name(), dotfiles)) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let relative = relative.to_string_lossy().replace('\\', "/");
                files.push((relative, entry.into_path()));
            }
            Ok(_) => {}
            Err(e) => {
                let path = shown_path(root, e.path().unwrap_or(dir));
                let io = e.into_io_error().unwrap_or_else(|| {
                    std::io::Error::other("file system loop (a symbolic link points to a parent)")
                });
                errors.push(Diagnostic::new(
                    Location::file(path),
                    Problem::Read(io.into()),
                ));
            }
        }
    }
    files
}

fn is_litter(name: &std::ffi::OsStr, dotfiles: Dotfiles) -> bool {
    let name = name.to_string_lossy();
    is_editor_litter(&name) || (dotfiles == Dotfiles::Skip && name.starts_with('.'))
}

/// Whether a file name is an editor's swap or backup file, or the system's: never part of
/// a site, and no reason to rebuild one.
pub(crate) fn is_editor_litter(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        // Vim's probe that it may write in a folder.
        || name == "4913"
        || name == ".DS_Store"
        || name == "Thumbs.db"
}

fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Source of a template of the built-in default theme, by name.
pub(crate) fn builtin_template(name: &str) -> Option<&'static str> {
    BUILTIN_DEFAULT
        .get_file(Path::new(TEMPLATES_DIR).join(name))?
        .contents_utf8()
}
