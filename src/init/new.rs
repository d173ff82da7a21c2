//! `kiosque new article` and `kiosque new page`: a source file with its front matter,
//! dated in the site's time zone and written in the site's language (or `--lang`'s).

use std::path::{Path, PathBuf};

use crate::config::{BuildOptions, Config};
use crate::diagnostics::Diagnostic;

/// Why a new file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// `site.toml` is missing or broken.
    #[error("cannot read the site's settings")]
    Config(Vec<Diagnostic>),
    /// The title gives no file name.
    #[error("the title `{0}` has no letter or digit to make a file name from")]
    NoSlug(String),
    /// `--lang` is not a language tag.
    #[error("`{0}` is not a BCP 47 language tag such as fr or en-GB")]
    Language(String),
    /// The file is there already; it is never replaced.
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    /// The file could not be written.
    #[error("cannot create {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Creates `content/<year>/<slug>.md`, a draft dated now in the site's time zone; returns
/// its path.
pub fn new_article(root: &Path, title: &str, lang: Option<&str>) -> Result<PathBuf, NewError> {
    let new = New::prepare(root, title, lang)?;
    let now = jiff::Zoned::now().with_time_zone(new.config.timezone.clone());
    let dir = root.join("content").join(now.year().to_string());
    let date = now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let front = format!(
        "date: {}\ndraft: true\ntags: []\ndescription: \"\"\n",
        quoted(&date)
    );
    new.write(&dir, &front, new.texts().0)
}

/// Creates `content/pages/<slug>.md`, a draft page in the site's language; returns its path.
pub fn new_page(root: &Path, title: &str, lang: Option<&str>) -> Result<PathBuf, NewError> {
    let new = New::prepare(root, title, lang)?;
    let dir = root.join("content").join("pages");
    new.write(&dir, "description: \"\"\ndraft: true\n", new.texts().1)
}

/// A new file about to be written.
struct New<'a> {
    config: Config,
    title: &'a str,
    slug: String,
    /// The file's language: `--lang`, else the site's.
    lang: String,
}

impl<'a> New<'a> {
    fn prepare(root: &Path, title: &'a str, lang: Option<&str>) -> Result<New<'a>, NewError> {
        let options = BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        };
        let config = Config::load(&options).map_err(NewError::Config)?;
        let slug = crate::slug::slugify(title);
        if slug.is_empty() {
            return Err(NewError::NoSlug(title.to_string()));
        }
        let lang = lang.map_or_else(|| config.language.clone(), str::to_string);
        if !crate::config::is_language_tag(&lang) {
            return Err(NewError::Language(lang));
        }
        Ok(New {
            config,
            title,
            slug,
            lang,
        })
    }

    /// The placeholder text of an article and of a page, in the file's language.
    fn texts(&self) -> (&'static str, &'static str) {
        let primary = self.lang.split('-').next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            (
                "Le texte de l'article, en Markdown. Retirez `draft: true` pour le publier.\n",
                "Le texte de la page, en Markdown. Retirez `draft: true` pour la publier.\n",
            )
        } else {
            (
                "The article's text, in Markdown. Remove `draft: true` to publish it.\n",
                "The page's text, in Markdown. Remove `draft: true` to publish it.\n",
            )
        }
    }

    fn write(&self, dir: &Path, front: &str, body: &str) -> Result<PathBuf, NewError> {
        let path = dir.join(format!("{}.md", self.slug));
        // Unsaid, the language is the site's: said only when it is another.
        let lang = if self.lang == self.config.language {
            String::new()
        } else {
            format!("lang: {}\n", quoted(&self.lang))
        };
        let text = format!(
            "---\ntitle: {}\n{front}{lang}---\n\n{body}",
            quoted(self.title)
        );
        let failed = |source| NewError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(failed)?;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, text.as_bytes()).map_err(failed)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(NewError::Exists(path));
            }
            Err(e) => return Err(failed(e)),
        }
        Ok(path)
    }
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}
