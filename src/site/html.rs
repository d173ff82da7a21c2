//! An article's body HTML: rendered by this build, or still in the build cache's mapped
//! file, made a string only the first time something shows it. A one-article rebuild at
//! 10,000 articles decoded 87 MB of bodies, for the handful of pages it renders again.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// An article's body HTML (see the module's documentation).
#[derive(Clone)]
pub struct Html(Repr);

#[derive(Clone)]
enum Repr {
    Made(String),
    Kept {
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        start: usize,
        end: usize,
        text: OnceLock<String>,
    },
}

impl Html {
    /// The HTML at `start..end` of `bytes`, kept as it is until it is shown.
    pub(crate) fn kept(
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        start: usize,
        end: usize,
    ) -> Html {
        Html(Repr::Kept {
            bytes,
            start,
            end,
            text: OnceLock::new(),
        })
    }
}

impl From<String> for Html {
    fn from(html: String) -> Html {
        Html(Repr::Made(html))
    }
}

impl Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Made(html) => html,
            Repr::Kept {
                bytes,
                start,
                end,
                text,
            } => text.get_or_init(|| {
                // Checked when the cache file was read (its checksum covers every byte).
                let bytes = (**bytes).as_ref().get(*start..*end).unwrap_or_default();
                String::from_utf8_lossy(bytes).into_owned()
            }),
        }
    }
}

impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_html_reads_as_the_bytes_it_points_at() {
        let bytes: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(b"xx<p>Bonjour</p>yy".to_vec());
        let html = Html::kept(bytes, 2, 16);
        assert_eq!(&*html, "<p>Bonjour</p>");
        assert_eq!(&*html.clone(), "<p>Bonjour</p>");
        assert_eq!(&*Html::from("<p>x</p>".to_string()), "<p>x</p>");
    }
}
