//! Unit tests of `[comments]`: each provider's settings and defaults, each refusal at its key.

use super::*;

/// Validates the `[comments]` table of `toml`, returning the settings or `key: message`s.
fn read(toml: &str) -> Result<CommentSettings, Vec<String>> {
    let raw: RawComments = toml::from_str(toml).expect("well-formed table");
    let mut errors = Vec::new();
    let settings = validate(Some(raw), &mut |key, message| {
        errors.push(format!("{key}: {message}"));
    });
    if errors.is_empty() {
        Ok(settings)
    } else {
        assert_eq!(
            settings,
            CommentSettings::default(),
            "a refused table shows nothing"
        );
        Err(errors)
    }
}

fn provider(toml: &str) -> CommentProvider {
    read(toml)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .provider
        .expect("a provider")
}

fn refused(toml: &str) -> Vec<String> {
    read(toml).expect_err("refused")
}

const GISCUS: &str = "provider = \"giscus\"\nrepo = \"kiosque/site\"\nrepo_id = \"R_1\"\ncategory = \"Comments\"\ncategory_id = \"DIC_1\"\n";

#[test]
fn no_table_and_no_provider_show_nothing() {
    let mut fail = |_: &str, m: String| panic!("{m}");
    assert_eq!(validate(None, &mut fail), CommentSettings::default());
    assert_eq!(read(""), Ok(CommentSettings::default()));
}

#[test]
fn giscus_takes_its_defaults() {
    let CommentProvider::Giscus(giscus) = provider(GISCUS) else {
        panic!("giscus")
    };
    assert_eq!(giscus.repo, "kiosque/site");
    assert_eq!(giscus.mapping, "pathname");
    assert!(!giscus.strict && giscus.reactions_enabled && !giscus.emit_metadata);
    assert_eq!(giscus.input_position, "bottom");
    assert_eq!(giscus.theme, "preferred_color_scheme");
    assert_eq!(giscus.lang, None);
}

#[test]
fn giscus_takes_its_options() {
    let toml = format!(
        "{GISCUS}mapping = \"og:title\"\nstrict = true\nreactions_enabled = false\nemit_metadata = true\ninput_position = \"top\"\ntheme = \"https://example.org/giscus.css\"\nlang = \"fr\"\n"
    );
    let CommentProvider::Giscus(giscus) = provider(&toml) else {
        panic!("giscus")
    };
    assert_eq!(giscus.mapping, "og:title");
    assert!(giscus.strict && !giscus.reactions_enabled && giscus.emit_metadata);
    assert_eq!(giscus.input_position, "top");
    assert_eq!(giscus.theme, "https://example.org/giscus.css");
    assert_eq!(giscus.lang.as_deref(), Some("fr"));
}

#[test]
fn giscus_refuses_bad_values_at_their_key() {
    let bad = [
        (
            "repo = \"kiosque/site\"",
            "repo = \"kiosque\"",
            "comments.repo: `kiosque` is not a GitHub repository",
        ),
        (
            "repo_id = \"R_1\"",
            "repo_id = \" \"",
            "comments.repo_id: `repo_id` must not be empty",
        ),
        (
            "\n",
            "\nmapping = \"specific\"\n",
            "comments.mapping: `specific` is not a value of `mapping`",
        ),
        (
            "\n",
            "\ninput_position = \"left\"\n",
            "comments.input_position: `left`",
        ),
        (
            "\n",
            "\ntheme = \"http://example.org/a.css\"\n",
            "comments.theme: `http://example.org/a.css` must be a giscus theme name or an https URL",
        ),
        (
            "\n",
            "\nlang = \"français\"\n",
            "comments.lang: `français` is not a language tag",
        ),
    ];
    for (from, to, expected) in bad {
        let errors = refused(&GISCUS.replacen(from, to, 1));
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected}: {errors:?}"
        );
    }
}

#[test]
fn a_missing_setting_is_named_at_the_provider() {
    let errors = refused("provider = \"giscus\"\nrepo = \"a/b\"\n");
    assert_eq!(
        errors,
        [
            "comments.provider: giscus needs `repo_id` in `[comments]`",
            "comments.provider: giscus needs `category` in `[comments]`",
            "comments.provider: giscus needs `category_id` in `[comments]`",
        ]
    );
    assert_eq!(
        refused("provider = \"isso\""),
        ["comments.provider: isso needs `url` in `[comments]`"]
    );
    assert_eq!(
        refused("provider = \"remark42\"\nhost = \"https://r.example.org\""),
        ["comments.provider: remark42 needs `site_id` in `[comments]`"]
    );
    assert_eq!(
        refused("provider = \"cusdis\""),
        ["comments.provider: cusdis needs `app_id` in `[comments]`"]
    );
}

#[test]
fn another_providers_setting_is_refused_at_its_key() {
    let errors = refused(&format!("{GISCUS}site_id = \"x\"\n"));
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(
            "comments.site_id: `site_id` is not a setting of giscus (its settings: repo, repo_id,"
        ),
        "{errors:?}"
    );
    let errors = refused("provider = \"mastodon\"\nhost = \"https://m.example\"\n");
    assert!(
        errors[0].starts_with("comments.host: `host` is not a setting of mastodon (it takes none"),
        "{errors:?}"
    );
}

#[test]
fn unknown_provider_and_settings_without_one_are_refused() {
    assert_eq!(
        refused("provider = \"disqus\""),
        [
            "comments.provider: unknown comment provider `disqus` (providers: giscus, isso, remark42, cusdis, mastodon)"
        ]
    );
    assert_eq!(
        refused("repo = \"a/b\""),
        ["comments: `[comments]` needs a `provider` (giscus, isso, remark42, cusdis, mastodon)"]
    );
    assert!(toml::from_str::<RawComments>("provder = \"giscus\"").is_err());
}

#[test]
fn isso_needs_an_https_server() {
    let CommentProvider::Isso(isso) = provider(
        "provider = \"isso\"\nurl = \"https://comments.example.org/isso/\"\nlang = \"fr\"\nvote = false\n",
    ) else {
        panic!("isso")
    };
    assert_eq!(isso.url, "https://comments.example.org/isso");
    assert_eq!(isso.lang.as_deref(), Some("fr"));
    assert_eq!(isso.vote, Some(false));
    assert_eq!(isso.require_author, None);
    for url in [
        "http://comments.example.org",
        "comments.example.org",
        "https://",
    ] {
        let errors = refused(&format!("provider = \"isso\"\nurl = \"{url}\""));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("comments.url: `url` must be an https URL"),
            "{errors:?}"
        );
    }
}

#[test]
fn remark42_takes_host_site_locale_and_theme() {
    let CommentProvider::Remark42(remark) = provider(
        "provider = \"remark42\"\nhost = \"https://remark.example.org\"\nsite_id = \"news\"\nlocale = \"fr\"\ntheme = \"dark\"\n",
    ) else {
        panic!("remark42")
    };
    assert_eq!(remark.host, "https://remark.example.org");
    assert_eq!(remark.site_id, "news");
    assert_eq!(remark.locale.as_deref(), Some("fr"));
    assert_eq!(remark.theme.as_deref(), Some("dark"));
    let errors = refused(
        "provider = \"remark42\"\nhost = \"http://remark.example.org\"\nsite_id = \"news\"\ntheme = \"blue\"\n",
    );
    assert!(
        errors[0].starts_with("comments.host: `host` must be an https URL"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("comments.theme: `blue`"),
        "{errors:?}"
    );
}

#[test]
fn cusdis_defaults_to_its_own_host() {
    let CommentProvider::Cusdis(cusdis) = provider("provider = \"cusdis\"\napp_id = \"abc\"\n")
    else {
        panic!("cusdis")
    };
    assert_eq!(cusdis.host, "https://cusdis.com");
    assert_eq!(cusdis.theme, "auto");
    let CommentProvider::Cusdis(cusdis) = provider(
        "provider = \"cusdis\"\napp_id = \"abc\"\nhost = \"https://c.example.org/\"\ntheme = \"dark\"\nlang = \"fr\"\n",
    ) else {
        panic!("cusdis")
    };
    assert_eq!(cusdis.host, "https://c.example.org");
    assert_eq!(
        (cusdis.theme.as_str(), cusdis.lang.as_deref()),
        ("dark", Some("fr"))
    );
    let errors =
        refused("provider = \"cusdis\"\napp_id = \"abc\"\nhost = \"http://c.example.org\"\n");
    assert!(
        errors[0].starts_with("comments.host: `host` must be an https URL"),
        "{errors:?}"
    );
}

#[test]
fn mastodon_takes_no_setting() {
    assert_eq!(
        provider("provider = \"mastodon\""),
        CommentProvider::Mastodon
    );
}
