//! Media files played by the browser: a URL or a root-relative site path ending in `.mp3`,
//! `.m4a`, `.ogg`, `.oga`, `.opus`, `.wav` or `.flac` (audio), or `.mp4`, `.webm`, `.ogv` or
//! `.mov` (video), with an optional `#t=90` start (Media Fragments).

use url::Url;

use super::{Embed, Links, Provider, Variant, start_time};

/// Audio extensions and their MIME types.
const AUDIO: [(&str, &str); 7] = [
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
    ("ogg", "audio/ogg"),
    ("oga", "audio/ogg"),
    ("opus", "audio/opus"),
    ("wav", "audio/wav"),
    ("flac", "audio/flac"),
];

/// Video extensions and their MIME types.
const VIDEO: [(&str, &str); 4] = [
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("ogv", "video/ogg"),
    ("mov", "video/quicktime"),
];

/// Recognises a file URL of `provider`'s kind (audio or video) by its extension.
pub(super) fn recognize(url: &Url, provider: Provider) -> Option<Result<Embed, String>> {
    if kind(url.path())?.0 != provider {
        return None;
    }
    Some(file_url(url).and_then(|id| {
        let mut embed = file(provider, id);
        embed.start = start(url.fragment())?;
        Ok(embed)
    }))
}

/// A file of the site by its root-relative path (`/podcasts/ep1.mp3`), optionally with a
/// `?query` and a `#t=` start; `wanted` is the shortcode's provider, if it names one.
pub(super) fn from_path(path: &str, wanted: Option<Provider>) -> Result<Embed, String> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(format!(
            "`{path}` is not a path of the site (it must start with a single /)"
        ));
    }
    if path
        .chars()
        .any(|c| c.is_control() || matches!(c, '\\' | '"' | '<' | '>' | '`'))
    {
        return Err(format!(
            "`{path}` has characters a file path cannot have (control characters, \\, \", <, >, `)"
        ));
    }
    let (rest, fragment) = match path.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (path, None),
    };
    let file_path = rest.split('?').next().unwrap_or_default();
    // `%2e` is a dot to servers: `/%2e%2e/` climbs as `/../` does.
    if file_path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    }) {
        return Err(format!("`{path}` must not contain `.` or `..` segments"));
    }
    let (provider, _) = kind(file_path).ok_or_else(|| {
        let supported: Vec<&str> = AUDIO.iter().chain(&VIDEO).map(|(ext, _)| *ext).collect();
        format!(
            "`{path}` is not a media file (supported extensions: .{})",
            supported.join(", .")
        )
    })?;
    if let Some(wanted) = wanted
        && wanted != provider
    {
        return Err(format!(
            "`{path}` is {} file, not {} one",
            article(provider),
            article(wanted)
        ));
    }
    // Joining onto a base percent-encodes spaces and non-ASCII as a browser would.
    let base = Url::parse("https://site.invalid/").map_err(|e| e.to_string())?;
    let url = base
        .join(rest)
        .map_err(|e| format!("`{path}` is not a path: {e}"))?;
    if url.host_str() != Some("site.invalid") {
        return Err(format!("`{path}` is not a path of the site"));
    }
    let mut id = url.path().to_string();
    if let Some(query) = url.query() {
        id = format!("{id}?{query}");
    }
    let mut embed = file(provider, safe(&id, path)?);
    embed.start = start(fragment)?;
    Ok(embed)
}

fn article(provider: Provider) -> &'static str {
    if provider == Provider::Audio {
        "an audio"
    } else {
        "a video"
    }
}

fn file(provider: Provider, id: String) -> Embed {
    let variant = if provider == Provider::Audio {
        Variant::AudioFile
    } else {
        Variant::VideoFile
    };
    Embed::new(provider, variant, id)
}

/// The file's URL without its fragment, on https.
fn file_url(url: &Url) -> Result<String, String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{}` carries a user name or password: give the file's public URL",
            url.host_str().unwrap_or_default()
        ));
    }
    let mut url = url.clone();
    url.set_fragment(None);
    if url.scheme() == "http" && url.set_scheme("https").is_err() {
        return Err(format!("`{url}` cannot be served over https"));
    }
    safe(url.as_str(), url.as_str())
}

/// `'` and `` ` `` encoded (the url crate leaves them), then anything that could leave an
/// HTML attribute refused.
fn safe(serialized: &str, shown: &str) -> Result<String, String> {
    let id = serialized.replace('\'', "%27").replace('`', "%60");
    if id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err(format!("`{shown}` has characters a media URL cannot have"));
    }
    Ok(id)
}

/// `#t=90`, also as `t=npt:90` or `t=90,120` (a start and an end).
fn start(fragment: Option<&str>) -> Result<Option<u32>, String> {
    let time = fragment
        .and_then(|f| f.strip_prefix("t="))
        .map(|t| t.trim_start_matches("npt:"))
        .map(|t| t.split(',').next().unwrap_or_default().to_string());
    start_time(time)
}

/// Audio or video, and the MIME type, from the extension of a URL path (no query).
fn kind(path: &str) -> Option<(Provider, &'static str)> {
    let name = path.rsplit('/').next()?;
    let (_, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(ext, _)| *ext == extension)
            .map(|(_, mime)| *mime)
    };
    find(&AUDIO)
        .map(|mime| (Provider::Audio, mime))
        .or_else(|| find(&VIDEO).map(|mime| (Provider::Video, mime)))
}

pub(super) fn links(embed: &Embed) -> Links {
    let page = match embed.start {
        Some(start) => format!("{}#t={start}", embed.id),
        None => embed.id.clone(),
    };
    Links {
        page,
        ..Links::default()
    }
}

pub(super) fn media_type(embed: &Embed) -> Option<&'static str> {
    if !matches!(embed.provider, Provider::Audio | Provider::Video) {
        return None;
    }
    kind(embed.id.split(['?', '#']).next()?).map(|(_, mime)| mime)
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};
    use super::from_path;

    fn embed(url: &str) -> super::Embed {
        recognize(url).expect("recognised").expect("valid")
    }

    #[test]
    fn recognises_audio_and_video_urls() {
        let audio = embed("https://cdn.example.org/podcasts/Episode-1.MP3");
        assert_eq!(audio.provider, Provider::Audio);
        assert_eq!(audio.variant, Variant::AudioFile);
        assert_eq!(audio.id, "https://cdn.example.org/podcasts/Episode-1.MP3");
        assert_eq!(audio.media_type(), Some("audio/mpeg"));
        let video = embed("http://cdn.example.org/clips/demo.webm?v=2");
        assert_eq!(video.provider, Provider::Video);
        assert_eq!(video.variant, Variant::VideoFile);
        assert_eq!(video.id, "https://cdn.example.org/clips/demo.webm?v=2");
        assert_eq!(video.media_type(), Some("video/webm"));
        for (url, mime) in [
            ("https://a.example/x.m4a", "audio/mp4"),
            ("https://a.example/x.ogg", "audio/ogg"),
            ("https://a.example/x.oga", "audio/ogg"),
            ("https://a.example/x.opus", "audio/opus"),
            ("https://a.example/x.wav", "audio/wav"),
            ("https://a.example/x.flac", "audio/flac"),
            ("https://a.example/x.mp4", "video/mp4"),
            ("https://a.example/x.ogv", "video/ogg"),
            ("https://a.example/x.mov", "video/quicktime"),
        ] {
            assert_eq!(embed(url).media_type(), Some(mime), "{url}");
        }
    }

    #[test]
    fn start_times_become_media_fragments() {
        let found = embed("https://cdn.example.org/ep1.mp3#t=90");
        assert_eq!(found.start, Some(90));
        assert_eq!(found.id, "https://cdn.example.org/ep1.mp3");
        let links = found.links();
        assert_eq!(links.page, "https://cdn.example.org/ep1.mp3#t=90");
        assert_eq!(links.player, None);
        assert_eq!(
            embed("https://cdn.example.org/ep1.mp3#t=npt:60,120").start,
            Some(60)
        );
        assert_eq!(
            embed("https://cdn.example.org/ep1.mp3#t=1m30s").start,
            Some(90)
        );
        assert_eq!(
            embed("https://cdn.example.org/ep1.mp3#chapter-2").start,
            None
        );
        assert!(
            recognize("https://cdn.example.org/ep1.mp3#t=soon")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn site_paths_are_files_of_the_site() {
        let audio = from_path("/podcasts/ep1.mp3", None).unwrap();
        assert_eq!(audio.provider, Provider::Audio);
        assert_eq!(audio.id, "/podcasts/ep1.mp3");
        let video = from_path("/videos/démo 1.MP4?v=3#t=12", Some(Provider::Video)).unwrap();
        assert_eq!(video.provider, Provider::Video);
        assert_eq!(video.id, "/videos/d%C3%A9mo%201.MP4?v=3");
        assert_eq!(video.start, Some(12));
        assert_eq!(video.links().page, "/videos/d%C3%A9mo%201.MP4?v=3#t=12");
        assert_eq!(video.media_type(), Some("video/mp4"));
        assert_eq!(
            from_path("/podcasts/l'épisode.mp3", None).unwrap().id,
            "/podcasts/l%27%C3%A9pisode.mp3"
        );
    }

    #[test]
    fn invalid_paths_are_errors() {
        for path in [
            "podcasts/ep1.mp3",
            "//evil.example/ep1.mp3",
            "/podcasts/../secret.mp3",
            "/podcasts/%2e%2E/secret.mp3",
            "/podcasts/./ep1.mp3",
            "/podcasts\\ep1.mp3",
            "/podcasts/ep1\".mp3",
            "/podcasts/<ep1>.mp3",
            "/podcasts/ep1\n.mp3",
        ] {
            assert!(from_path(path, None).is_err(), "{path}");
        }
        let unknown = from_path("/podcasts/ep1.txt", None).unwrap_err();
        assert!(
            unknown.contains(".mp3") && unknown.contains(".webm"),
            "{unknown}"
        );
        let mismatch = from_path("/clips/a.mp4", Some(Provider::Audio)).unwrap_err();
        assert!(
            mismatch.contains("is a video file, not an audio one"),
            "{mismatch}"
        );
        assert!(from_path("/clips/a.mp4#t=later", None).is_err());
        assert!(
            recognize("https://user:secret@cdn.example.org/ep1.mp3")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn other_urls_stay_links() {
        for url in [
            "https://example.org/podcasts/",
            "https://example.org/ep1.mp3.html",
            "https://example.org/page?file=ep1.mp3",
            "https://example.org/mp3",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://example.org/a\"onerror=alert(1)//x.mp3",
            "https://example.org/<script>/x.mp3",
            "https://example.org/it's.mp3",
            "https://example.org/x.mp3?a=\"><script>",
            "https://example.org/x.mp3?a='b'&c=`d`",
            "https://example.org/a b/x.mp4",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                let page = embed.links().page;
                assert!(
                    !page.contains(['"', '<', '>', '\'', '`', ' ', '\\']),
                    "{url}: {page}"
                );
            }
        }
    }
}
