//! `[newsletter]`: the sign-up form of the `newsletter` fixture (Brevo preset, French root,
//! English part with its own texts) after articles and on every home page, absent with
//! `newsletter: false` and elsewhere; a site's own partial; bad settings at their line of
//! `site.toml`, through the library and the binary, the previous build untouched. The form
//! posted from Chromium: `newsletter.test.mjs`.

use std::path::Path;

use scraper::Html;

use crate::support::*;

/// The sign-up forms of a page.
fn forms(html: &Html) -> usize {
    all(html, "form.newsletter__form").len()
}

/// `(name, value)` of the hidden fields of the page's form, in order.
fn hidden_fields(html: &Html) -> Vec<(String, String)> {
    all(html, "form.newsletter__form input[type=hidden]")
        .into_iter()
        .map(|input| {
            (
                input.attr("name").unwrap_or_default().to_string(),
                input.attr("value").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_form_follows_an_article_as_plain_html() {
    let built = build_fixture("newsletter");
    let html = page(&built, "2025/03/avec-lettre/index.html");
    assert_eq!(forms(&html), 1);
    let form = one(&html, "form.newsletter__form");
    assert_eq!(
        form.attr("action"),
        Some("https://a1b2c3.sibforms.com/serve/MUIFAKEFORM")
    );
    assert_eq!(form.attr("method"), Some("post"));
    assert_eq!(form.attr("target"), None);
    // After the article's body, inside <main>.
    assert_eq!(
        all(&html, "main .article__body ~ .newsletter form").len(),
        1,
        "the form follows the body"
    );

    let email = one(&html, "form.newsletter__form input[type=email]");
    assert_eq!(email.attr("name"), Some("EMAIL"));
    assert_eq!(email.attr("autocomplete"), Some("email"));
    assert!(email.attr("required").is_some());
    let id = email.attr("id").expect("an id for its label");
    let label = one(&html, &format!("form.newsletter__form label[for={id}]"));
    assert_eq!(text_of(label), "Votre adresse e-mail");
    assert_eq!(
        text_of(one(&html, ".newsletter h2")),
        "La lettre de Lettre",
        "the site's title"
    );
    assert_eq!(
        text_of(one(&html, ".newsletter__text")),
        "Les derniers articles dans votre boîte de réception.",
        "the theme's text"
    );
    assert_eq!(
        text_of(one(&html, "form.newsletter__form button[type=submit]")),
        "S’abonner"
    );

    assert_eq!(
        hidden_fields(&html),
        pairs(&[("locale", "fr"), ("html_type", "simple")])
    );
    let trap = one(
        &html,
        "form.newsletter__form input[name=email_address_check]",
    );
    assert_eq!(trap.attr("type"), Some("text"));
    assert_eq!(trap.attr("value"), Some(""));
    assert_eq!(trap.attr("tabindex"), Some("-1"));
    assert_eq!(trap.attr("autocomplete"), Some("off"));
    let hidden_wrapper = one(&html, ".newsletter__trap");
    assert_eq!(hidden_wrapper.attr("aria-hidden"), Some("true"));
    assert!(
        hidden_wrapper
            .select(&sel("input[name=email_address_check]"))
            .count()
            == 1,
        "the trap is inside the part hidden from assistive technologies"
    );
    assert!(
        all(&html, "script:not([src])")
            .iter()
            .all(|s| s.attr("type") == Some("application/ld+json")),
        "no inline script"
    );
    assert!(
        !text(&built, "2025/03/avec-lettre/index.html").contains("sibforms.com/forms/"),
        "no provider script or stylesheet"
    );
}

#[test]
fn on_every_home_page_and_nowhere_else() {
    let built = build_fixture("newsletter");
    assert_eq!(forms(&page(&built, "index.html")), 1);
    assert_eq!(forms(&page(&built, "page/2/index.html")), 1);
    assert_eq!(forms(&page(&built, "2025/03/sans-lettre/index.html")), 0);
    for path in ["tags/lettre/index.html", "archives/index.html", "404.html"] {
        assert_eq!(forms(&page(&built, path)), 0, "{path}");
    }
}

#[test]
fn each_language_part_speaks_its_language() {
    let built = build_fixture("newsletter");
    for path in ["en/index.html", "en/2025/03/english/index.html"] {
        let html = page(&built, path);
        assert_eq!(text_of(one(&html, ".newsletter h2")), "The Letter's letter");
        assert_eq!(
            text_of(one(&html, "form.newsletter__form button")),
            "Sign me up"
        );
        assert_eq!(
            text_of(one(
                &html,
                "form.newsletter__form label[for=newsletter-email]"
            )),
            "Your e-mail address"
        );
        assert_eq!(
            hidden_fields(&html),
            pairs(&[("locale", "en"), ("html_type", "simple")])
        );
    }
}

#[test]
fn no_table_no_form() {
    let built = build_fixture("minimal");
    for path in html_paths(&built) {
        assert_eq!(forms(&page(&built, &path)), 0, "{path}");
    }
}

/// `site.toml` of the `newsletter` fixture with its `[newsletter]` table replaced.
fn with_newsletter(dir: &Path, table: &str) {
    edit(&dir.join("site.toml"), |text| {
        let (head, tail) = text.split_once("[newsletter]").unwrap();
        let (_, rest) = tail.split_once("\n\n").unwrap();
        format!("{head}{table}\n{rest}")
    });
}

#[test]
fn presets_and_spelled_out_forms_give_their_fields() {
    let dir = temp_site("newsletter");
    with_newsletter(
        dir.path(),
        "[newsletter]\npreset = \"listmonk\"\nurl = \"https://lists.example.org\"\nlists = [\"0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b\"]\nname_field = \"name\"\n",
    );
    let built = build_with(&options(dir.path()));
    let html = page(&built, "index.html");
    assert_eq!(
        attr(&html, "form.newsletter__form", "action"),
        "https://lists.example.org/subscription/form"
    );
    assert_eq!(
        hidden_fields(&html),
        pairs(&[("l", "0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b")])
    );
    let name = one(&html, "form.newsletter__form input[name=name]");
    assert_eq!(name.attr("autocomplete"), Some("name"));
    assert_eq!(
        text_of(one(&html, "label[for=newsletter-name]")),
        "Votre nom (facultatif)"
    );
    assert_eq!(attrs(&html, ".newsletter__trap input", "name"), ["nonce"]);

    with_newsletter(
        dir.path(),
        "[newsletter]\npreset = \"buttondown\"\nusername = \"kiosque\"\n",
    );
    let html = page(&build_with(&options(dir.path())), "index.html");
    assert_eq!(
        attr(&html, "form.newsletter__form", "action"),
        "https://buttondown.com/api/emails/embed-subscribe/kiosque"
    );
    assert_eq!(hidden_fields(&html), pairs(&[("embed", "1")]));
    assert_eq!(attr(&html, "input[type=email]", "name"), "email");
    assert!(all(&html, ".newsletter__trap").is_empty());

    with_newsletter(
        dir.path(),
        "[newsletter]\naction = \"https://news.example.org/join?from=site\"\nmethod = \"get\"\nemail_field = \"address\"\nhoneypot = \"website\"\nhidden = { list = \"a&b\\\"c\" }\n",
    );
    let html = page(&build_with(&options(dir.path())), "index.html");
    assert_eq!(
        attr(&html, "form.newsletter__form", "action"),
        "https://news.example.org/join?from=site"
    );
    assert_eq!(attr(&html, "form.newsletter__form", "method"), "get");
    assert_eq!(attr(&html, "input[type=email]", "name"), "address");
    assert_eq!(hidden_fields(&html), pairs(&[("list", "a&b\"c")]));
    assert_eq!(attrs(&html, ".newsletter__trap input", "name"), ["website"]);
}

#[test]
fn a_site_partial_replaces_the_themes() {
    let dir = temp_site("newsletter");
    let partials = dir.path().join("templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    std::fs::write(
        partials.join("newsletter.html"),
        "{%- if site.newsletter.form %}<aside class=\"my-letter\"><a href=\"{{ site.newsletter.form.action }}\">{{ t.newsletter_button }}</a></aside>{% endif %}",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    for path in ["index.html", "2025/03/avec-lettre/index.html"] {
        let html = page(&built, path);
        assert_eq!(forms(&html), 0, "{path}");
        assert_eq!(
            attr(&html, ".my-letter a", "href"),
            "https://a1b2c3.sibforms.com/serve/MUIFAKEFORM"
        );
    }
}

#[test]
fn an_unknown_provider_is_an_error_at_its_line() {
    assert_config_rejected(
        "\n[newsletter]\npreset = \"substack\"\n",
        9,
        &["substack", "`buttondown`", "`brevo`"],
    );
}

#[test]
fn a_missing_setting_is_an_error_at_the_preset() {
    assert_config_rejected(
        "\n[newsletter]\npreset = \"mailchimp\"\ntitle = \"Lettre\"\n",
        9,
        &["the mailchimp preset needs `action`"],
    );
    assert_config_rejected(
        "\n[newsletter]\ntitle = \"Lettre\"\n",
        8,
        &["`[newsletter]` needs a `preset`"],
    );
}

#[test]
fn a_plain_http_action_is_an_error_at_its_line() {
    assert_config_rejected(
        "\n[newsletter]\ntitle = \"Lettre\"\naction = \"http://lists.example.org/subscribe\"\n",
        10,
        &["must be an https URL"],
    );
}

#[test]
#[ignore = "needs /usr/bin/chromium and `npm ci --prefix tests/browser`; run with --include-ignored"]
fn chromium_sends_the_form_fields_to_the_action() {
    crate::browser::run_browser_test("newsletter", "newsletter.test.mjs");
}
