//! An article's body HTML: rendered by this build, or left in the bytes of its build-cache
//! entry (the cache's mapped file, or the entry a cold build just encoded), read from there
//! each time something shows it. A one-article rebuild at 10,000 articles decoded 87 MB of
//! bodies, for the handful of pages it renders again; and a copy kept beside each entry
//! doubled the bodies' memory of a cold build.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

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
    },
}

impl Html {
    /// The HTML at `start..end` of `bytes`, which an encoder wrote from a string.
    pub(crate) fn kept(
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        start: usize,
        end: usize,
    ) -> Html {
        Html(Repr::Kept { bytes, start, end })
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
            Repr::Kept { bytes, start, end } => {
                // A string's bytes, as encoded (a cache file's checksum covers every byte).
                // Checked again at each use: a body is shown two or three times a build, and
                // checking it costs less than holding a checked copy.
                let bytes = (**bytes).as_ref().get(*start..*end).unwrap_or_default();
                std::str::from_utf8(bytes).unwrap_or_default()
            }
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
