//! `kiosque init` and `kiosque new`: the files a writer starts from. Not part of the build:
//! they write sources a writer could have written by hand, and the ordinary build and
//! `kiosque check` prove them.
//!
//! The files are real files under `files/`, built into the binary; [`plan`] fills them in
//! from the answers, [`write`] writes them without ever replacing one.

mod hosts;
mod new;
mod prompts;

use std::io;
use std::path::{Path, PathBuf};

pub use hosts::Host;
pub use new::{NewError, new_article, new_page};
pub use prompts::{Asked, ask};

/// The version of Kiosque the deploy recipes install.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a new site is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// The site's name.
    pub title: String,
    /// Its language, a BCP 47 tag.
    pub language: String,
    /// The address it is served at.
    pub base_url: String,
    /// The IANA time zone of its dates.
    pub timezone: String,
    /// Where it is published, if said: its deploy recipe is written.
    pub host: Option<Host>,
}

/// One file of a new site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its path under the site root.
    pub path: PathBuf,
    /// Its bytes.
    pub contents: Vec<u8>,
    /// Whether it is a script to run.
    pub executable: bool,
}

/// What [`write`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// Files created, under the site root.
    pub created: Vec<PathBuf>,
    /// Files left as they were because they exist (with `--force`).
    pub kept: Vec<PathBuf>,
}

/// Why a site could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files, and `--force` was not given.
    #[error(
        "{} is not empty (it holds `{first}`): choose a new folder, or add --force to add the \
         site's files beside what is there (no file is ever replaced)", dir.display()
    )]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// One of the files in it.
        first: String,
    },
    /// An answer that would make a site that does not build.
    #[error("invalid {what} `{value}`: {expected}")]
    Invalid {
        /// Which answer.
        what: &'static str,
        /// As given.
        value: String,
        /// What is expected instead.
        expected: &'static str,
    },
    /// The folder could not be read or written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The questions could not be asked or answered.
    #[error("cannot ask the questions on the terminal")]
    Prompt(#[source] io::Error),
}

/// `kiosque init`: asks what `asked` leaves out, plans the files and writes them under
/// `asked.dir`; the report says what was made and what to do next.
pub fn init(asked: Asked, force: bool, now: jiff::Timestamp) -> Result<Report, InitError> {
    let dir = asked.dir.clone();
    let answers = ask(asked)?;
    let files = plan(&answers, now)?;
    let written = write(&dir, &files, force)?;
    Ok(Report {
        dir,
        answers,
        written,
    })
}

/// What `kiosque init` did, printed as the command's report.
#[derive(Debug)]
pub struct Report {
    /// The site's folder.
    pub dir: PathBuf,
    /// What the site was made from.
    pub answers: Answers,
    /// The files made and kept.
    pub written: Written,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for path in &self.written.created {
            writeln!(f, "Created {}", self.dir.join(path).display())?;
        }
        for path in &self.written.kept {
            writeln!(f, "Kept {} (it exists)", self.dir.join(path).display())?;
        }
        write!(f, "\nThe site \"{}\" is ready.", self.answers.title)?;
        if let Some(host) = self.answers.host {
            let host = host.description();
            write!(
                f,
                " The deploy files for {host} are written: see Deploy in the README."
            )?;
        }
        let serve = if self.dir == Path::new(".") {
            "kiosque serve".to_string()
        } else {
            format!("cd {} && kiosque serve", self.dir.display())
        };
        writeln!(f, " Preview it with:\n\n    {serve}\n")
    }
}

/// Checks the answers and fills in every file of the new site, its first article dated `now`
/// (in the site's time zone).
pub fn plan(answers: &Answers, now: jiff::Timestamp) -> Result<Vec<File>, InitError> {
    let invalid = |what, value: &str, expected| InitError::Invalid {
        what,
        value: value.to_string(),
        expected,
    };
    let title = answers.title.trim();
    if title.is_empty() {
        return Err(invalid("title", title, "a name for the site"));
    }
    let language = answers.language.trim();
    if !crate::config::is_language_tag(language) {
        return Err(invalid(
            "language",
            language,
            "a BCP 47 tag such as fr, en or en-GB",
        ));
    }
    let base_url = check_base_url(answers.base_url.trim())
        .ok_or_else(|| invalid("base URL", &answers.base_url, "an http(s) address"))?;
    let zone = jiff::tz::TimeZone::get(&answers.timezone).map_err(|_| {
        invalid(
            "time zone",
            &answers.timezone,
            "an IANA name such as Europe/Paris",
        )
    })?;
    let now = now.to_zoned(zone);
    let texts = Texts::of(language);
    let author = texts.author;
    let toml = |s: &str| toml::Value::String(s.to_string()).to_string();
    let yaml = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    // Inside a YAML double-quoted string: JSON's escapes without its outer quotes.
    let quoted = |s: &str| {
        let json = yaml(s);
        json[1..json.len() - 1].to_string()
    };
    let fill = |template: &str| {
        template
            .replace("@@TITLE@@", &toml(title))
            .replace("@@BASE_URL@@", &toml(&base_url))
            .replace("@@LANGUAGE@@", &toml(language))
            .replace("@@TIMEZONE@@", &toml(&answers.timezone))
            .replace(
                "@@DESCRIPTION@@",
                &toml(&texts.description.replace("{}", title)),
            )
            .replace("@@AUTHOR@@", &toml(author))
            .replace("@@AUTHOR_YAML@@", &yaml(author))
            .replace(
                "@@ARTICLE_TITLE@@",
                &yaml(&texts.welcome.replace("{}", title)),
            )
            .replace(
                "@@DATE@@",
                &yaml(&now.strftime("%Y-%m-%dT%H:%M:00%:z").to_string()),
            )
            .replace("@@TITLE_Q@@", &quoted(title))
            .replace("@@TITLE_PLAIN@@", title)
            .replace("@@VERSION@@", VERSION)
    };
    let text = |path: String, template: &str| File {
        path: PathBuf::from(path),
        contents: fill(template).into_bytes(),
        executable: false,
    };
    let year = now.year();
    let mut files = vec![
        text("site.toml".into(), include_str!("files/site.toml")),
        text(".gitignore".into(), include_str!("files/gitignore")),
        text(
            format!("content/{year}/{}.md", texts.article_slug),
            texts.article,
        ),
        text(
            format!("content/authors/{}.md", crate::slug::slugify(author)),
            texts.profile,
        ),
        text(
            format!("content/pages/{}.md", texts.about_slug),
            texts.about,
        ),
        text(
            format!("content/pages/{}.md", texts.legal_slug),
            texts.legal,
        ),
        File {
            path: PathBuf::from("static/images/welcome.svg"),
            contents: include_bytes!("files/welcome.svg").to_vec(),
            executable: false,
        },
    ];
    for recipe in answers.host.map(Host::files).unwrap_or_default() {
        files.push(File {
            executable: recipe.executable,
            ..text(recipe.path.to_string(), recipe.template)
        });
    }
    Ok(files)
}

/// The base URL with a final `/`, if it is an absolute http(s) address.
fn check_base_url(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Some(url)
}

/// The words of a new site, in its language: French for `fr`, English otherwise.
struct Texts {
    description: &'static str,
    author: &'static str,
    welcome: &'static str,
    article_slug: &'static str,
    article: &'static str,
    profile: &'static str,
    about_slug: &'static str,
    about: &'static str,
    legal_slug: &'static str,
    legal: &'static str,
}

impl Texts {
    fn of(language: &str) -> Texts {
        let primary = language.split('-').next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Texts {
                description: "L'actualité, par la rédaction de {}.",
                author: "La rédaction",
                welcome: "Bienvenue sur {}",
                article_slug: "bienvenue",
                article: include_str!("files/fr/article.md"),
                profile: include_str!("files/fr/author.md"),
                about_slug: "a-propos",
                about: include_str!("files/fr/about.md"),
                legal_slug: "mentions-legales",
                legal: include_str!("files/fr/legal.md"),
            }
        } else {
            Texts {
                description: "News, by the newsroom of {}.",
                author: "The Newsroom",
                welcome: "Welcome to {}",
                article_slug: "welcome",
                article: include_str!("files/en/article.md"),
                profile: include_str!("files/en/author.md"),
                about_slug: "about",
                about: include_str!("files/en/about.md"),
                legal_slug: "legal",
                legal: include_str!("files/en/legal.md"),
            }
        }
    }
}

/// Writes the files under `dir`, creating it. Refuses a folder holding anything but
/// dotfiles (`.git`) unless `force`; never replaces a file: one that exists is kept.
pub fn write(dir: &Path, files: &[File], force: bool) -> Result<Written, InitError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Write { path, source }
    };
    if !force && let Some(first) = first_entry(dir).map_err(failed(dir))? {
        return Err(InitError::NotEmpty {
            dir: dir.to_path_buf(),
            first,
        });
    }
    let mut written = Written::default();
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(failed(parent))?;
        }
        // `create_new`: a file that appeared since the check is not replaced either.
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        let mut out = match created {
            Ok(out) => out,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                written.kept.push(file.path.clone());
                continue;
            }
            Err(e) => return Err(failed(&path)(e)),
        };
        io::Write::write_all(&mut out, &file.contents).map_err(failed(&path))?;
        #[cfg(unix)]
        if file.executable {
            use std::os::unix::fs::PermissionsExt;
            let executable = std::fs::Permissions::from_mode(0o755);
            out.set_permissions(executable).map_err(failed(&path))?;
        }
        written.created.push(file.path.clone());
    }
    Ok(written)
}

/// The first entry of a folder that is not a dotfile, if any (none if there is no folder).
fn first_entry(dir: &Path) -> io::Result<Option<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            return Ok(Some(name));
        }
    }
    Ok(None)
}
