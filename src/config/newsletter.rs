//! `[newsletter]` in `site.toml`: the sign-up form after articles and on the home page, as
//! plain HTML posted straight to the mailing-list provider (no script of theirs), either from
//! a preset (Buttondown, listmonk, Mailchimp, Brevo) or spelled out field by field.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

/// The `[newsletter]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNewsletter {
    preset: Option<Preset>,
    /// Buttondown's newsletter name.
    username: Option<String>,
    /// listmonk's instance.
    url: Option<String>,
    /// listmonk's list UUIDs.
    lists: Option<Vec<String>>,
    action: Option<String>,
    method: Option<Method>,
    email_field: Option<String>,
    name_field: Option<String>,
    hidden: Option<BTreeMap<String, String>>,
    honeypot: Option<String>,
    title: Option<String>,
    text: Option<String>,
    button: Option<String>,
}

/// The texts of the block as written, in `[newsletter]` or `[languages.<tag>.newsletter]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNewsletterStrings {
    title: Option<String>,
    text: Option<String>,
    button: Option<String>,
}

/// A mailing-list service whose embed form Kiosque knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// buttondown.com: `username`.
    Buttondown,
    /// A listmonk instance: `url` and `lists`.
    Listmonk,
    /// Mailchimp's embedded form: its `action`.
    Mailchimp,
    /// Brevo (formerly Sendinblue): its form's `action`.
    Brevo,
}

/// How the form is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// In the request body: what every provider expects.
    #[default]
    Post,
    /// In the query string.
    Get,
}

/// A hidden field sent with every sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HiddenField {
    /// Field name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// The form as the theme writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewsletterForm {
    /// The preset it came from, if any.
    pub preset: Option<Preset>,
    /// Where the form is sent: https, or http to the machine itself.
    pub action: String,
    /// How it is sent.
    pub method: Method,
    /// Name of the e-mail field.
    pub email_field: String,
    /// Name of the optional name field; none asks no name.
    pub name_field: Option<String>,
    /// Fields sent as they are, in order (a name may repeat: listmonk's `l`, once per list).
    pub hidden: Vec<HiddenField>,
    /// Name of the field left empty by people and filled by bots, which the provider refuses.
    pub honeypot: Option<String>,
}

/// The block's texts; what is not set comes from the theme's strings (`newsletter_title`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewsletterStrings {
    /// Heading of the block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The sentence under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The submit button's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub button: Option<String>,
}

/// The sign-up form, from `[newsletter]` in `site.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewsletterSettings {
    /// The form; none shows no block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<NewsletterForm>,
    /// Texts of the block in the language of this part of the site.
    #[serde(flatten)]
    pub strings: NewsletterStrings,
}

impl From<RawNewsletterStrings> for NewsletterStrings {
    fn from(raw: RawNewsletterStrings) -> Self {
        let keep = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        NewsletterStrings {
            title: keep(raw.title),
            text: keep(raw.text),
            button: keep(raw.button),
        }
    }
}

/// Reads `[languages.<tag>.newsletter]`: texts only, nothing to refuse.
pub(super) fn strings(raw: Option<RawNewsletterStrings>) -> NewsletterStrings {
    raw.map(NewsletterStrings::from).unwrap_or_default()
}

impl NewsletterSettings {
    /// The settings of a part of the site in `lang`: its own texts when it is not the site's
    /// root (`strings`, from `[languages.<tag>.newsletter]`; the theme's in that language
    /// otherwise, never the root's, which are in another language), and Brevo's `locale`.
    pub fn for_language(&self, lang: &str, strings: Option<&NewsletterStrings>) -> Self {
        let mut settings = self.clone();
        if let Some(strings) = strings {
            settings.strings = strings.clone();
        }
        if let Some(form) = &mut settings.form
            && form.preset == Some(Preset::Brevo)
        {
            // Brevo's confirmation pages and e-mails follow `locale`: a primary subtag.
            let primary = lang.split(['-', '_']).next().unwrap_or(lang);
            form.hidden.retain(|field| field.name != "locale");
            form.hidden.insert(
                0,
                HiddenField {
                    name: "locale".to_string(),
                    value: primary.to_ascii_lowercase(),
                },
            );
        }
        settings
    }
}

/// Validates `[newsletter]`, calling `fail(key, message)` for each value refused.
pub(super) fn validate(
    raw: Option<RawNewsletter>,
    fail: &mut impl FnMut(&str, String),
) -> NewsletterSettings {
    let Some(raw) = raw else {
        return NewsletterSettings::default();
    };
    let strings = NewsletterStrings::from(RawNewsletterStrings {
        title: raw.title.clone(),
        text: raw.text.clone(),
        button: raw.button.clone(),
    });
    let form = match raw.preset {
        Some(preset) => preset_form(preset, &raw, fail),
        None => custom_form(&raw, fail),
    };
    let form = form.map(|mut form| {
        if let Some(name) = field_name("newsletter.name_field", raw.name_field.as_deref(), fail) {
            form.name_field = Some(name);
        }
        for (name, value) in raw.hidden.iter().flatten() {
            let key = format!("newsletter.hidden.{name}");
            if let Some(name) = field_name(&key, Some(name), fail) {
                form.hidden.push(HiddenField {
                    name,
                    value: value.clone(),
                });
            }
        }
        if let Some(name) = field_name("newsletter.honeypot", raw.honeypot.as_deref(), fail) {
            form.honeypot = Some(name);
        }
        form
    });
    NewsletterSettings { form, strings }
}

/// The form of a preset, from its own settings; settings that belong to another preset or
/// that the preset fixes are refused rather than ignored.
fn preset_form(
    preset: Preset,
    raw: &RawNewsletter,
    fail: &mut impl FnMut(&str, String),
) -> Option<NewsletterForm> {
    let name = preset.name();
    let mut refuse = |key: &str, present: bool| {
        if present {
            fail(
                &format!("newsletter.{key}"),
                format!("`{key}` is not a setting of the {name} preset"),
            );
        }
    };
    refuse("method", raw.method.is_some());
    refuse("email_field", raw.email_field.is_some());
    refuse(
        "username",
        raw.username.is_some() && preset != Preset::Buttondown,
    );
    refuse("url", raw.url.is_some() && preset != Preset::Listmonk);
    refuse("lists", raw.lists.is_some() && preset != Preset::Listmonk);
    refuse(
        "action",
        raw.action.is_some() && matches!(preset, Preset::Buttondown | Preset::Listmonk),
    );
    let form = |action: String, email: &str, hidden: Vec<HiddenField>, honeypot: Option<String>| {
        NewsletterForm {
            preset: Some(preset),
            action,
            method: Method::Post,
            email_field: email.to_string(),
            name_field: None,
            hidden,
            honeypot,
        }
    };
    let required = |key: &str, what: &str, fail: &mut dyn FnMut(&str, String)| {
        fail(
            "newsletter.preset",
            format!("the {name} preset needs `{key}`: {what}"),
        );
    };
    match preset {
        Preset::Buttondown => {
            let Some(username) = raw.username.as_deref() else {
                required("username", "the newsletter's name on buttondown.com", fail);
                return None;
            };
            if username.is_empty()
                || !username
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                fail(
                    "newsletter.username",
                    format!(
                        "`{username}` is not a Buttondown username (letters, digits, `-` and `_`)"
                    ),
                );
                return None;
            }
            Some(form(
                format!("https://buttondown.com/api/emails/embed-subscribe/{username}"),
                "email",
                vec![hidden("embed", "1")],
                None,
            ))
        }
        Preset::Listmonk => {
            let Some(url) = raw.url.as_deref() else {
                required("url", "the address of the listmonk instance", fail);
                return None;
            };
            let lists = raw.lists.as_deref().unwrap_or_default();
            if lists.is_empty() {
                required(
                    "lists",
                    "the UUIDs of the public lists to subscribe to",
                    fail,
                );
                return None;
            }
            if let Some(bad) = lists.iter().find(|uuid| !is_uuid(uuid)) {
                fail(
                    "newsletter.lists",
                    format!("`{bad}` is not a list UUID (listmonk shows it on the list's page)"),
                );
                return None;
            }
            let mut base = checked_url("newsletter.url", url, fail)?;
            base.set_query(None);
            base.set_fragment(None);
            let path = format!("{}/subscription/form", base.path().trim_end_matches('/'));
            base.set_path(&path);
            let hidden = lists.iter().map(|uuid| self::hidden("l", uuid)).collect();
            // listmonk refuses a sign-up whose `nonce` is filled.
            Some(form(
                base.into(),
                "email",
                hidden,
                Some("nonce".to_string()),
            ))
        }
        Preset::Mailchimp => {
            let Some(action) = raw.action.as_deref() else {
                required(
                    "action",
                    "the `action` of the embedded form Mailchimp gives (https://….list-manage.com/subscribe/post?u=…&id=…)",
                    fail,
                );
                return None;
            };
            let url = checked_url("newsletter.action", action, fail)?;
            let query = |name: &str| {
                url.query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .filter(|value| !value.is_empty())
            };
            let (Some(u), Some(id)) = (query("u"), query("id")) else {
                fail(
                    "newsletter.action",
                    "Mailchimp's form `action` ends in `?u=…&id=…`: copy it whole from the embedded form's code".to_string(),
                );
                return None;
            };
            // Mailchimp refuses a sign-up whose `b_<u>_<id>` field is filled.
            Some(form(
                url.into(),
                "EMAIL",
                Vec::new(),
                Some(format!("b_{u}_{id}")),
            ))
        }
        Preset::Brevo => {
            let Some(action) = raw.action.as_deref() else {
                required(
                    "action",
                    "the `action` of the form Brevo gives (https://….sibforms.com/serve/…)",
                    fail,
                );
                return None;
            };
            let url = checked_url("newsletter.action", action, fail)?;
            // `locale` is added per language part (see `for_language`); Brevo refuses a
            // sign-up whose `email_address_check` is filled.
            Some(form(
                url.into(),
                "EMAIL",
                vec![hidden("html_type", "simple")],
                Some("email_address_check".to_string()),
            ))
        }
    }
}

/// A form spelled out: `action` is required, the rest has defaults.
fn custom_form(raw: &RawNewsletter, fail: &mut impl FnMut(&str, String)) -> Option<NewsletterForm> {
    for (key, present) in [
        ("username", raw.username.is_some()),
        ("url", raw.url.is_some()),
        ("lists", raw.lists.is_some()),
    ] {
        if present {
            fail(
                &format!("newsletter.{key}"),
                format!("`{key}` is a setting of a preset: set `preset` too"),
            );
        }
    }
    let Some(action) = raw.action.as_deref() else {
        fail(
            "newsletter",
            "`[newsletter]` needs a `preset` (buttondown, listmonk, mailchimp, brevo) or the form's `action`".to_string(),
        );
        return None;
    };
    let action = checked_url("newsletter.action", action, fail)?;
    let email_field = match raw.email_field.as_deref() {
        None => Some("email".to_string()),
        Some(name) => field_name("newsletter.email_field", Some(name), fail),
    }?;
    Some(NewsletterForm {
        preset: None,
        action: action.into(),
        method: raw.method.unwrap_or_default(),
        email_field,
        name_field: None,
        hidden: Vec::new(),
        honeypot: None,
    })
}

impl Preset {
    /// Its name as written in `site.toml`.
    fn name(self) -> &'static str {
        match self {
            Preset::Buttondown => "buttondown",
            Preset::Listmonk => "listmonk",
            Preset::Mailchimp => "mailchimp",
            Preset::Brevo => "brevo",
        }
    }
}

fn hidden(name: &str, value: &str) -> HiddenField {
    HiddenField {
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// An address readers' e-mail addresses are sent to: https only, since anyone on the
/// reader's network could read them otherwise. Plain http is let through for the machine
/// itself (`localhost`, `127.0.0.1`, `[::1]`), where a listmonk or a test server runs during
/// development and nothing crosses a network.
fn checked_url(key: &str, text: &str, fail: &mut impl FnMut(&str, String)) -> Option<Url> {
    let url = match Url::parse(text.trim()) {
        Ok(url) => url,
        Err(error) => {
            fail(key, format!("`{text}` is not an absolute URL: {error}"));
            return None;
        }
    };
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Some(url),
        "http" if loopback => Some(url),
        _ => {
            fail(
                key,
                format!(
                    "`{text}` must be an https URL: readers' e-mail addresses go there (http only for localhost)"
                ),
            );
            None
        }
    }
}

/// A form field name as written, refused if it could not be one (empty, or with spaces or
/// quotes).
fn field_name(
    key: &str,
    name: Option<&str>,
    fail: &mut impl FnMut(&str, String),
) -> Option<String> {
    let name = name?;
    if name.is_empty()
        || name.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '&')
        })
    {
        fail(key, format!("`{name}` is not a form field name"));
        return None;
    }
    Some(name.to_string())
}

/// Whether `text` has the shape of a UUID (`8-4-4-4-12` hexadecimal digits).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}
