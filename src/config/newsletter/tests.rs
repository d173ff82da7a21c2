//! Unit tests of `[newsletter]`: each preset, a form spelled out, per-language texts, and each
//! setting refused at its line.

use crate::config::{
    BuildOptions, Config, HiddenField, Method, NewsletterForm, NewsletterSettings, Preset,
};

fn parse(table: &str) -> Result<Config, Vec<String>> {
    let text =
        format!("title = \"T\"\nbase_url = \"https://a.example/\"\nlanguage = \"fr\"\n{table}");
    Config::parse(&text, &BuildOptions::default())
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

/// The form of the site's root part.
fn form(table: &str) -> NewsletterForm {
    let config = parse(table).unwrap_or_else(|e| panic!("{e:?}"));
    config.for_tree(0).newsletter.form.expect("a form")
}

/// The single error of a table, which must be at `line` and contain every part.
fn error(table: &str, line: usize, parts: &[&str]) {
    let errors = parse(table).expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("site.toml:{line}:")),
        "expected line {line}: {errors:?}"
    );
    for part in parts {
        assert!(errors[0].contains(part), "expected {part:?} in {errors:?}");
    }
}

fn hidden(pairs: &[(&str, &str)]) -> Vec<HiddenField> {
    pairs
        .iter()
        .map(|(name, value)| HiddenField {
            name: name.to_string(),
            value: value.to_string(),
        })
        .collect()
}

#[test]
fn no_table_no_form() {
    let config = parse("").unwrap();
    assert_eq!(config.newsletter, NewsletterSettings::default());
    assert!(config.for_tree(0).newsletter.form.is_none());
}

#[test]
fn buttondown_posts_to_its_embed_address() {
    let form = form("[newsletter]\npreset = \"buttondown\"\nusername = \"kiosque\"\n");
    assert_eq!(
        form,
        NewsletterForm {
            preset: Some(Preset::Buttondown),
            action: "https://buttondown.com/api/emails/embed-subscribe/kiosque".to_string(),
            method: Method::Post,
            email_field: "email".to_string(),
            name_field: None,
            hidden: hidden(&[("embed", "1")]),
            honeypot: None,
        }
    );
}

#[test]
fn listmonk_posts_each_list_to_its_form_address() {
    let form = form(
        "[newsletter]\npreset = \"listmonk\"\nurl = \"https://lists.example.org/\"\nlists = [\"0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b\", \"1c7a2f8d-4e5b-4f2e-8b4c-3d2e1f0a9b8c\"]\nname_field = \"name\"\n",
    );
    assert_eq!(form.action, "https://lists.example.org/subscription/form");
    assert_eq!(form.email_field, "email");
    assert_eq!(form.name_field.as_deref(), Some("name"));
    assert_eq!(
        form.hidden,
        hidden(&[
            ("l", "0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b"),
            ("l", "1c7a2f8d-4e5b-4f2e-8b4c-3d2e1f0a9b8c")
        ])
    );
    assert_eq!(form.honeypot.as_deref(), Some("nonce"));
    // An instance under a path keeps it.
    let form = self::form(
        "[newsletter]\npreset = \"listmonk\"\nurl = \"https://example.org/listmonk\"\nlists = [\"0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b\"]\n",
    );
    assert_eq!(
        form.action,
        "https://example.org/listmonk/subscription/form"
    );
}

#[test]
fn mailchimp_takes_its_honeypot_from_the_action() {
    let form = form(
        "[newsletter]\npreset = \"mailchimp\"\naction = \"https://kiosque.us21.list-manage.com/subscribe/post?u=4f2a9c&id=8e1b7d&f_id=00c0\"\n",
    );
    assert_eq!(
        form.action,
        "https://kiosque.us21.list-manage.com/subscribe/post?u=4f2a9c&id=8e1b7d&f_id=00c0"
    );
    assert_eq!(form.email_field, "EMAIL");
    assert!(form.hidden.is_empty());
    assert_eq!(form.honeypot.as_deref(), Some("b_4f2a9c_8e1b7d"));
}

#[test]
fn brevo_sends_the_language_of_each_part() {
    let config = parse(
        "[newsletter]\npreset = \"brevo\"\naction = \"https://a1b2.sibforms.com/serve/MUIFAKE\"\n[languages.en-GB]\n",
    )
    .unwrap();
    let root = config.for_tree(0).newsletter.form.unwrap();
    assert_eq!(root.action, "https://a1b2.sibforms.com/serve/MUIFAKE");
    assert_eq!(root.email_field, "EMAIL");
    assert_eq!(
        root.hidden,
        hidden(&[("locale", "fr"), ("html_type", "simple")])
    );
    assert_eq!(root.honeypot.as_deref(), Some("email_address_check"));
    let english = config.for_tree(1).newsletter.form.unwrap();
    assert_eq!(
        english.hidden,
        hidden(&[("locale", "en"), ("html_type", "simple")])
    );
}

#[test]
fn a_form_spelled_out() {
    let form = form(
        "[newsletter]\naction = \"https://news.example.org/subscribe\"\nmethod = \"get\"\nemail_field = \"address\"\nname_field = \"who\"\nhoneypot = \"website\"\nhidden = { list = \"tech\", source = \"site\" }\n",
    );
    assert_eq!(
        form,
        NewsletterForm {
            preset: None,
            action: "https://news.example.org/subscribe".to_string(),
            method: Method::Get,
            email_field: "address".to_string(),
            name_field: Some("who".to_string()),
            hidden: hidden(&[("list", "tech"), ("source", "site")]),
            honeypot: Some("website".to_string()),
        }
    );
    let form = self::form("[newsletter]\naction = \"https://news.example.org/subscribe\"\n");
    assert_eq!(
        (form.method, form.email_field.as_str()),
        (Method::Post, "email")
    );
}

#[test]
fn http_only_to_the_machine_itself() {
    for action in [
        "http://127.0.0.1:8025/subscribe",
        "http://localhost/subscribe",
        "http://[::1]/s",
    ] {
        assert_eq!(
            form(&format!("[newsletter]\naction = \"{action}\"\n")).action,
            action
        );
    }
    error(
        "[newsletter]\naction = \"http://news.example.org/subscribe\"\n",
        5,
        &["https", "http://news.example.org/subscribe"],
    );
    error(
        "[newsletter]\npreset = \"listmonk\"\nurl = \"http://lists.example.org\"\nlists = [\"0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b\"]\n",
        6,
        &["https"],
    );
    error(
        "[newsletter]\naction = \"/subscribe\"\n",
        5,
        &["absolute URL"],
    );
}

#[test]
fn texts_are_overridden_by_the_site_then_by_each_language() {
    let config = parse(
        "[newsletter]\npreset = \"buttondown\"\nusername = \"k\"\ntitle = \"La lettre\"\nbutton = \"Je m’abonne\"\n[languages.en.newsletter]\ntitle = \"The letter\"\n[languages.de]\n",
    )
    .unwrap();
    let root = config.for_tree(0).newsletter;
    assert_eq!(root.strings.title.as_deref(), Some("La lettre"));
    assert_eq!(root.strings.button.as_deref(), Some("Je m’abonne"));
    assert_eq!(root.strings.text, None);
    let english = config.for_tree(2).newsletter;
    assert_eq!(config.for_tree(2).language, "en");
    assert_eq!(english.strings.title.as_deref(), Some("The letter"));
    // Not the root's French button: the theme's English one.
    assert_eq!(english.strings.button, None);
    assert!(english.form.is_some());
    let german = config.for_tree(1).newsletter;
    assert_eq!(german.strings.title, None);
}

#[test]
fn an_unknown_preset_is_an_error_at_its_line() {
    error(
        "[newsletter]\npreset = \"substack\"\n",
        5,
        &["substack", "buttondown", "brevo"],
    );
}

#[test]
fn missing_settings_are_errors_at_the_preset() {
    error("[newsletter]\npreset = \"buttondown\"\n", 5, &["username"]);
    error(
        "[newsletter]\npreset = \"listmonk\"\nurl = \"https://l.example\"\n",
        5,
        &["lists"],
    );
    error(
        "[newsletter]\npreset = \"listmonk\"\nlists = [\"0b6f1e7c-3f4a-4d1e-9a3b-2c1d0e9f8a7b\"]\n",
        5,
        &["url"],
    );
    error(
        "[newsletter]\npreset = \"mailchimp\"\n",
        5,
        &["action", "list-manage.com"],
    );
    error(
        "[newsletter]\npreset = \"brevo\"\n",
        5,
        &["action", "sibforms.com"],
    );
    error(
        "\n[newsletter]\ntitle = \"Lettre\"\n",
        5,
        &["preset", "action"],
    );
}

#[test]
fn bad_preset_settings_are_errors_at_their_line() {
    error(
        "[newsletter]\npreset = \"mailchimp\"\naction = \"https://k.us21.list-manage.com/subscribe/post?u=4f2a9c\"\n",
        6,
        &["u=…&id=…"],
    );
    error(
        "[newsletter]\npreset = \"buttondown\"\nusername = \"a b\"\n",
        6,
        &["not a Buttondown username"],
    );
    error(
        "[newsletter]\npreset = \"listmonk\"\nurl = \"https://l.example\"\nlists = [\"news\"]\n",
        7,
        &["`news` is not a list UUID"],
    );
    error(
        "[newsletter]\npreset = \"buttondown\"\nusername = \"k\"\nmethod = \"get\"\n",
        7,
        &["`method` is not a setting of the buttondown preset"],
    );
    error(
        "[newsletter]\npreset = \"brevo\"\naction = \"https://a.sibforms.com/serve/X\"\nusername = \"k\"\n",
        7,
        &["`username` is not a setting of the brevo preset"],
    );
    error(
        "[newsletter]\naction = \"https://a.example/s\"\nlists = []\n",
        6,
        &["set `preset` too"],
    );
    error(
        "[newsletter]\naction = \"https://a.example/s\"\nmethod = \"put\"\n",
        6,
        &["put", "post"],
    );
    error(
        "[newsletter]\naction = \"https://a.example/s\"\nhidden = { \"a b\" = \"1\" }\n",
        6,
        &["`a b` is not a form field name"],
    );
    error(
        "[newsletter]\naction = \"https://a.example/s\"\ncolour = \"red\"\n",
        6,
        &["colour"],
    );
    error(
        "[newsletter]\npreset = \"buttondown\"\nusername = \"k\"\n[languages.en.newsletter]\ntext = \"x\"\nbuttons = \"y\"\n",
        9,
        &["buttons"],
    );
}
