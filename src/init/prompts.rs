//! The few questions `kiosque init` asks in a terminal, for what the command line did not
//! say. Without a terminal (a script, CI) nothing is asked: the defaults are taken, so the
//! command never waits for input that cannot come.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{Answers, Host, InitError};

/// The base URL of a site whose address is not known yet.
const DEFAULT_BASE_URL: &str = "https://example.org/";

/// What the command line said; `None` for what it did not.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// The folder of the new site.
    pub dir: PathBuf,
    /// `--title`.
    pub title: Option<String>,
    /// `--language`.
    pub language: Option<String>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--timezone`; never asked: the system's zone, else UTC.
    pub timezone: Option<String>,
    /// `--host`.
    pub host: Option<Host>,
}

/// The answers: as given, else asked on the terminal (standard error and input) when
/// standard input is one, else the defaults.
pub fn ask(given: Asked) -> Result<Answers, InitError> {
    let interactive = io::stdin().is_terminal();
    let stdin = io::stdin();
    ask_with(given, interactive, &mut stdin.lock(), &mut io::stderr())
}

/// [`ask`], reading `input` and writing the questions to `output` when `interactive`.
fn ask_with(
    given: Asked,
    interactive: bool,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> Result<Answers, InitError> {
    let mut prompt = Prompt {
        interactive,
        input,
        output,
    };
    let title = match given.title {
        Some(title) => title,
        None => prompt.ask("Name of the site", &default_title(&given.dir), |t| {
            (!t.trim().is_empty()).then_some(())
        })?,
    };
    let language = match given.language {
        Some(language) => language,
        None => prompt.ask("Language (fr, en, de, en-GB…)", "en", |l| {
            crate::config::is_language_tag(l).then_some(())
        })?,
    };
    let base_url = match given.base_url {
        Some(url) => url,
        None => prompt.ask(
            "Address it will be served at (change it later in site.toml)",
            DEFAULT_BASE_URL,
            |u| super::check_base_url(u).map(drop),
        )?,
    };
    let host = match given.host {
        Some(host) => Some(host),
        None if interactive => prompt.host()?,
        None => None,
    };
    let timezone = given.timezone.unwrap_or_else(system_timezone);
    Ok(Answers {
        title,
        language,
        base_url,
        timezone,
        host,
    })
}

/// The terminal questions are asked on.
struct Prompt<'a> {
    interactive: bool,
    input: &'a mut dyn BufRead,
    output: &'a mut dyn Write,
}

impl Prompt<'_> {
    /// Asks until the answer is valid; an empty answer (or the end of input) is `default`.
    fn ask(
        &mut self,
        question: &str,
        default: &str,
        valid: impl Fn(&str) -> Option<()>,
    ) -> Result<String, InitError> {
        if !self.interactive {
            return Ok(default.to_string());
        }
        loop {
            write!(self.output, "{question} [{default}]: ").map_err(InitError::Prompt)?;
            self.output.flush().map_err(InitError::Prompt)?;
            let mut line = String::new();
            let read = self.input.read_line(&mut line).map_err(InitError::Prompt)?;
            let answer = line.trim();
            if read == 0 || answer.is_empty() {
                return Ok(default.to_string());
            }
            if valid(answer).is_some() {
                return Ok(answer.to_string());
            }
            writeln!(self.output, "  `{answer}` will not do; try again.")
                .map_err(InitError::Prompt)?;
        }
    }

    /// Asks which host the site is published on, by number; 0 (the default) for none yet.
    fn host(&mut self) -> Result<Option<Host>, InitError> {
        let mut question = String::from("Where will it be published?\n");
        for (n, host) in Host::ALL.iter().enumerate() {
            question.push_str(&format!("  {}. {}\n", n + 1, host.description()));
        }
        question.push_str("  0. not decided yet (see Deploy in Kiosque's README)\nNumber");
        let count = Host::ALL.len();
        let answer = self.ask(&question, "0", |a| {
            a.parse::<usize>().ok().filter(|n| *n <= count).map(drop)
        })?;
        let n: usize = answer.parse().unwrap_or(0);
        Ok(n.checked_sub(1).map(|i| Host::ALL[i]))
    }
}

/// The folder's name, as a site's name to start from.
fn default_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "My newsroom".to_string())
}

/// The system's IANA time zone, else UTC.
fn system_timezone() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .unwrap_or_else(|| "UTC".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(interactive: bool, typed: &str, given: Asked) -> (Answers, String) {
        let mut input = io::Cursor::new(typed.as_bytes().to_vec());
        let mut output = Vec::new();
        let answers = ask_with(given, interactive, &mut input, &mut output).expect("answers");
        (answers, String::from_utf8(output).expect("utf-8"))
    }

    #[test]
    fn given_flags_ask_nothing() {
        let given = Asked {
            dir: "news".into(),
            title: Some("Le Quotidien".into()),
            language: Some("fr".into()),
            base_url: Some("https://quotidien.example/".into()),
            timezone: Some("Europe/Paris".into()),
            host: Some(Host::Netlify),
        };
        let (answers, asked) = answers(true, "", given);
        assert_eq!(asked, "");
        assert_eq!(answers.title, "Le Quotidien");
        assert_eq!(answers.host, Some(Host::Netlify));
    }

    #[test]
    fn without_a_terminal_the_defaults_are_taken() {
        let given = Asked {
            dir: "/tmp/gazette".into(),
            timezone: Some("UTC".into()),
            ..Asked::default()
        };
        let (answers, asked) = answers(false, "ignored\n", given);
        assert_eq!(asked, "");
        assert_eq!(answers.title, "gazette");
        assert_eq!(answers.language, "en");
        assert_eq!(answers.base_url, DEFAULT_BASE_URL);
        assert_eq!(answers.host, None);
    }

    #[test]
    fn a_terminal_is_asked_again_until_the_answer_will_do() {
        let given = Asked {
            dir: "gazette".into(),
            timezone: Some("UTC".into()),
            ..Asked::default()
        };
        let typed = "La Gazette\nfrançais\nfr\nnot a url\nhttps://gazette.example\n3\n";
        let (answers, asked) = answers(true, typed, given);
        assert_eq!(answers.title, "La Gazette");
        assert_eq!(answers.language, "fr");
        assert_eq!(answers.base_url, "https://gazette.example");
        assert_eq!(answers.host, Some(Host::Netlify));
        assert_eq!(asked.matches("will not do").count(), 2, "{asked}");
    }
}
