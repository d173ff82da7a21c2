//! The live comment widget of an article as templates see it: the provider, its settings under
//! the `data-*` names its own embed code uses, and where the discussion can be read without
//! JavaScript. Nothing here is requested by the page: the theme's `comments.js` loads the
//! provider on the reader's click.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::CommentProvider;
use crate::content::{Discussion, MastodonThread};
use crate::site::{Article, Site};

/// The widget under one article.
#[derive(Serialize)]
pub(crate) struct DiscussionView<'a> {
    /// `giscus`, `isso`, `remark42`, `cusdis` or `mastodon`.
    provider: &'static str,
    /// The host the reader's browser contacts after the click, for the privacy notice.
    host: String,
    /// The provider's script, which the theme's script adds on the click; none for Mastodon,
    /// whose replies the theme's script fetches itself.
    script: Option<String>,
    /// The provider's settings by the name of their `data-*` attribute (without `data-`),
    /// handed to templates as a list of `{name, value}` in name order: a template map's
    /// order changes from one run to the next, and so would every page.
    #[serde(serialize_with = "in_order")]
    data: BTreeMap<&'static str, String>,
    /// Where the discussion can be read without JavaScript, if it has a public page.
    link: Option<Link>,
    /// The thread's id: the page's path, as providers map pages by default.
    page_id: String,
    /// The page's absolute URL.
    page_url: String,
    /// The article's title.
    page_title: &'a str,
}

/// A link to the discussion on the provider's site.
#[derive(Serialize)]
struct Link {
    url: String,
    /// The site's name, as the link text gives it.
    host: String,
}

impl<'a> DiscussionView<'a> {
    /// The widget of `article`: its own Mastodon thread, else the site's provider; none
    /// with `comments: false`.
    pub(crate) fn new(site: &'a Site, article: &'a Article) -> Option<Self> {
        let mut view = DiscussionView {
            provider: "",
            host: String::new(),
            script: None,
            data: BTreeMap::new(),
            link: None,
            page_id: site.url(&article.path),
            page_url: site.permalink(&article.path),
            page_title: &article.title,
        };
        // Widgets take a language subtag (`fr`), the page may say more (`fr-CA`).
        let page_lang = || {
            let lang = &article.lang;
            lang.split('-').next().unwrap_or(lang).to_string()
        };
        match (&article.discussion, &site.config.comments.provider) {
            (Discussion::Closed, _) => return None,
            (Discussion::Mastodon(thread), _) => view.mastodon(thread),
            (Discussion::Open, None | Some(CommentProvider::Mastodon)) => return None,
            (Discussion::Open, Some(CommentProvider::Giscus(giscus))) => {
                let flag = |on: bool| if on { "1" } else { "0" }.to_string();
                view.provider = "giscus";
                view.host = "giscus.app".into();
                view.script = Some("https://giscus.app/client.js".into());
                view.link = Some(Link {
                    url: format!("https://github.com/{}/discussions", giscus.repo),
                    host: "GitHub".into(),
                });
                view.data = BTreeMap::from([
                    ("repo", giscus.repo.clone()),
                    ("repo-id", giscus.repo_id.clone()),
                    ("category", giscus.category.clone()),
                    ("category-id", giscus.category_id.clone()),
                    ("mapping", giscus.mapping.clone()),
                    ("strict", flag(giscus.strict)),
                    ("reactions-enabled", flag(giscus.reactions_enabled)),
                    ("emit-metadata", flag(giscus.emit_metadata)),
                    ("input-position", giscus.input_position.clone()),
                    ("theme", giscus.theme.clone()),
                    (
                        "lang",
                        giscus.lang.clone().unwrap_or_else(|| article.lang.clone()),
                    ),
                ]);
            }
            (Discussion::Open, Some(CommentProvider::Isso(isso))) => {
                view.provider = "isso";
                view.host = host_of(&isso.url);
                view.script = Some(format!("{}/js/embed.min.js", isso.url));
                view.data.insert("isso", format!("{}/", isso.url));
                view.data
                    .insert("isso-lang", isso.lang.clone().unwrap_or_else(page_lang));
                let flags = [
                    ("isso-require-author", isso.require_author),
                    ("isso-require-email", isso.require_email),
                    ("isso-vote", isso.vote),
                ];
                for (name, flag) in flags {
                    if let Some(flag) = flag {
                        view.data.insert(name, flag.to_string());
                    }
                }
            }
            (Discussion::Open, Some(CommentProvider::Remark42(remark))) => {
                view.provider = "remark42";
                view.host = host_of(&remark.host);
                view.script = Some(format!("{}/web/embed.mjs", remark.host));
                view.data.insert("host", remark.host.clone());
                view.data.insert("site-id", remark.site_id.clone());
                view.data
                    .insert("locale", remark.locale.clone().unwrap_or_else(page_lang));
                if let Some(theme) = &remark.theme {
                    view.data.insert("theme", theme.clone());
                }
            }
            (Discussion::Open, Some(CommentProvider::Cusdis(cusdis))) => {
                view.provider = "cusdis";
                view.host = host_of(&cusdis.host);
                view.script = Some(format!("{}/js/cusdis.es.js", cusdis.host));
                view.data = BTreeMap::from([
                    ("host", cusdis.host.clone()),
                    ("app-id", cusdis.app_id.clone()),
                    ("page-id", view.page_id.clone()),
                    ("page-url", view.page_url.clone()),
                    ("page-title", article.title.clone()),
                    ("theme", cusdis.theme.clone()),
                    ("lang", cusdis.lang.clone().unwrap_or_else(page_lang)),
                ]);
            }
        }
        Some(view)
    }

    fn mastodon(&mut self, thread: &MastodonThread) {
        self.provider = "mastodon";
        self.host = host_of(&thread.instance);
        self.data.insert("instance", thread.instance.clone());
        self.data.insert("id", thread.id.clone());
        self.link = Some(Link {
            url: thread.url.clone(),
            host: self.host.clone(),
        });
    }
}

/// `comments.example.org` of `https://comments.example.org/isso`.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

/// A `data-*` attribute, as templates list them.
#[derive(Serialize)]
struct Attribute<'a> {
    name: &'a str,
    value: &'a str,
}

fn in_order<S: serde::Serializer>(
    data: &BTreeMap<&'static str, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(data.iter().map(|(name, value)| Attribute { name, value }))
}
