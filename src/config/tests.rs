//! Unit tests of `site.toml` reading and validation.

use super::*;

fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    Config::parse(text, &BuildOptions::default())
}

#[test]
fn defaults_everything_but_title_and_base_url() {
    let config = parse("title = \"T\"\nbase_url = \"https://user.github.io/news\"\n").unwrap();
    assert_eq!(config.base_url.as_str(), "https://user.github.io/news/");
    assert_eq!(config.base_path(), "/news/");
    assert_eq!(config.paginate_by, 10);
    assert_eq!(config.theme, "default");
    assert_eq!(config.feed_limit, 20);
}

#[test]
fn unknown_key_names_key_and_line() {
    let errors = parse("title = \"T\"\nbase_url = \"https://a.b/\"\ncolour = 3\n").unwrap_err();
    let message = errors[0].to_string();
    assert!(message.starts_with("site.toml:3:1:"), "{message}");
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn wrong_type_names_line() {
    let errors =
        parse("title = \"T\"\nbase_url = \"https://a.b/\"\npaginate_by = \"ten\"\n").unwrap_err();
    let message = errors[0].to_string();
    assert!(message.starts_with("site.toml:3:15:"), "{message}");
    assert!(message.contains("`paginate_by`"), "{message}");
}

#[test]
fn bad_values_are_all_reported() {
    let errors = parse(
        "title = \"T\"\nbase_url = \"ftp://a.b/\"\ntimezone = \"Mars/Olympus\"\npermalink = \"/:week/\"\n",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 3);
    assert!(errors[1].to_string().starts_with("site.toml:3:1:"));
}

#[test]
fn empty_feeds_and_titles_are_refused() {
    let errors = parse("title = \" \"\nbase_url = \"https://a.b/\"\nfeed_limit = 0\n").unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("site.toml:1:1:"), "{messages:?}");
    assert!(messages[1].starts_with("site.toml:3:1:"), "{messages:?}");
}

#[test]
fn embeds_table_is_validated() {
    let config = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[embeds]\nconsent = \"Charge {provider}\"\nthumbnails = [\"youtube\"]\n",
    )
    .unwrap();
    assert_eq!(config.embeds.thumbnails, [Provider::YouTube]);
    assert_eq!(config.embeds.consent.as_deref(), Some("Charge {provider}"));
    assert!(
        parse("title = \"T\"\nbase_url = \"https://a.b/\"\n")
            .unwrap()
            .embeds
            .thumbnails
            .is_empty()
    );
    let errors = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[embeds]\nthumbnails = [\"vimeo\", \"myspace\"]\n",
    )
    .unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("site.toml:4:1:")
            && messages[0].contains("`vimeo` has no thumbnail"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("unknown provider `myspace`"),
        "{messages:?}"
    );
    let errors = parse("title = \"T\"\nbase_url = \"https://a.b/\"\n[embeds]\nconsnet = \"x\"\n")
        .unwrap_err();
    assert!(
        errors[0].to_string().starts_with("site.toml:4:1:"),
        "{}",
        errors[0]
    );
}

#[test]
fn highlight_table_names_themes() {
    let config = parse("title = \"T\"\nbase_url = \"https://a.b/\"\n").unwrap();
    assert!(config.highlight.enabled);
    assert_eq!(config.highlight.theme, EmbeddedThemeName::InspiredGithub);
    let config = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[highlight]\nenabled = false\ntheme = \"solarized light\"\ndark_theme = \"Nord\"\n",
    )
    .unwrap();
    assert!(!config.highlight.enabled);
    assert_eq!(config.highlight.theme, EmbeddedThemeName::SolarizedLight);
    assert_eq!(config.highlight.dark_theme, EmbeddedThemeName::Nord);
    let errors = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[highlight]\ndark_theme = \"Vantablack\"\n",
    )
    .unwrap_err();
    let message = errors[0].to_string();
    assert!(message.starts_with("site.toml:4:1:"), "{message}");
    assert!(
        message.contains("unknown code theme `Vantablack`") && message.contains("OneHalfDark"),
        "{message}"
    );
}

#[test]
fn permalink_expands() {
    let p = Permalink::parse("/:year/:month/:day/:slug/").unwrap();
    let date = jiff::civil::date(2025, 2, 9);
    assert_eq!(p.expand(&date, "sommet"), "/2025/02/09/sommet/");
    assert!(Permalink::parse("/:year/").is_err());
    assert!(Permalink::parse("/../:slug/").is_err());
    assert!(Permalink::parse("/a b/:slug/").is_err());
}

#[test]
fn images_settings_are_read_and_checked() {
    let config = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[images]\nwidths = [800, 400, 800]\nquality = 70\nformats = [\"avif\", \"webp\"]\nbudget_kb = 300\nsizes = \"100vw\"\n",
    )
    .unwrap();
    let images = &config.images;
    assert_eq!(images.processing.widths, [400, 800]);
    assert_eq!(images.processing.quality, 70);
    assert_eq!(
        images.processing.formats,
        [crate::images::Format::Avif, crate::images::Format::WebP]
    );
    assert_eq!((images.budget, images.sizes.as_str()), (300_000, "100vw"));
    let defaults = parse("title = \"T\"\nbase_url = \"https://a.b/\"\n").unwrap();
    assert_eq!(defaults.images, ImageSettings::default());

    let errors = parse(
        "title = \"T\"\nbase_url = \"https://a.b/\"\n[images]\nwidths = [0]\nquality = 101\nformats = [\"gif\"]\nbudget_kb = 0\n",
    )
    .unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    for (line, text) in [
        (4, "width 0 is out of range"),
        (5, "`quality` must be 1 to 100"),
        (6, "unknown format `gif`"),
        (7, "`budget_kb` must be at least 1"),
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("site.toml:{line}:")) && m.contains(text)),
            "{text}: {messages:?}"
        );
    }
}
