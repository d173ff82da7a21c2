//! Embeds and shortcodes rendered through the theme: `embeds/PROVIDER.html` for each provider,
//! `shortcodes/NAME.html` for a site's own shortcodes.

use serde::Serialize;
use tera::Context;

use crate::config::EmbedSettings;
use crate::embeds::{self, Embed, Options, Provider};
use crate::markdown::Snippets;
use crate::shortcodes::Call;

use super::Renderer;

/// `embed` in embed templates.
#[derive(Debug, Serialize)]
pub(crate) struct EmbedView<'a> {
    provider: &'static str,
    label: &'static str,
    kind: &'static str,
    variant: &'static str,
    shape: &'static str,
    id: &'a str,
    url: String,
    player: Option<String>,
    thumbnail: Option<String>,
    title: Option<&'a str>,
    start: Option<u32>,
    author: Option<&'a str>,
    author_url: Option<String>,
    text: Option<&'a str>,
    date: Option<String>,
    media_type: Option<&'static str>,
    consent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
}

impl<'a> EmbedView<'a> {
    /// The view of an embed; `base_path` prefixes the URL of a file the site hosts.
    pub(crate) fn new(embed: &'a Embed, settings: &EmbedSettings, base_path: &str) -> Self {
        let links = embed.links();
        let url = match links.page.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => format!("{base_path}{rest}"),
            _ => links.page,
        };
        let provider = embed.provider;
        EmbedView {
            provider: provider.name(),
            label: provider.label(),
            kind: provider.kind().name(),
            variant: embed.variant.name(),
            shape: embed.shape().name(),
            id: &embed.id,
            url,
            player: links.player,
            thumbnail: links
                .thumbnail
                .filter(|_| settings.thumbnails.contains(&provider)),
            title: embed.title.as_deref(),
            start: embed.start,
            author: embed.author.as_deref(),
            author_url: links.author,
            text: embed.text.as_deref(),
            date: embed.date.map(|d| d.to_string()),
            media_type: embed.media_type(),
            consent: settings
                .consent
                .as_ref()
                .map(|text| text.replace("{provider}", provider.label())),
            html: None,
        }
    }

    /// The view with the embed's markup, for the article page.
    pub(crate) fn with_html(self, html: String) -> Self {
        EmbedView {
            html: Some(html),
            ..self
        }
    }
}

impl Renderer {
    /// Renders `embeds/PROVIDER.html` for an embed; a template error comes back as its text.
    pub(crate) fn embed_html(&self, embed: &Embed, lang: &str) -> Result<String, String> {
        let mut context = Context::new();
        context.insert(
            "embed",
            &EmbedView::new(embed, &self.embeds, &self.base_path),
        );
        context.insert("lang", lang);
        context.insert("timezone", &self.timezone);
        context.insert_value("t", self.strings(lang));
        let template = format!("embeds/{}.html", embed.provider.name());
        self.render_fragment(&template, &context)
    }

    fn render_fragment(&self, template: &str, context: &Context) -> Result<String, String> {
        self.tera.render(template, context).map_err(|error| {
            let found = self.locator.error(&error, None);
            found
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

impl Snippets for Renderer {
    fn embed(&self, embed: &Embed, lang: &str) -> Result<String, String> {
        self.embed_html(embed, lang)
    }

    fn shortcode(&self, call: &Call, lang: &str, nth: usize) -> Option<Result<String, String>> {
        let template = format!("shortcodes/{}.html", call.name);
        if self.tera.contains_template(&template) {
            let mut context = Context::new();
            context.insert("lang", lang);
            context.insert("nth", &nth);
            context.insert_value("t", self.strings(lang));
            // The writer's arguments win over the names above, as in Zola.
            for (name, value) in &call.args {
                context.insert(name.clone(), &value.to_json());
            }
            return Some(self.render_fragment(&template, &context));
        }
        let provider = match call.name.as_str() {
            "embed" => None,
            name => Some(Provider::from_name(name)?),
        };
        Some(
            Options::from_args(&call.args)
                .and_then(|options| embeds::resolve(provider, options))
                .and_then(|embed| self.embed_html(&embed, lang)),
        )
    }
}
