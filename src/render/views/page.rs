//! `page` in `page.html`, and the menus of standalone pages every page's navigation shows.

use std::borrow::Cow;

use serde::Serialize;

use crate::content::MenuPlace;
use crate::render::pictures::responsive_images;
use crate::site::{Site, StandalonePage};

/// A standalone page, as `page.html` shows it.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    content: Cow<'a, str>,
    url: String,
    permalink: String,
    lang: &'a str,
}

impl<'a> PageView<'a> {
    pub(crate) fn new(site: &Site, page: &'a StandalonePage) -> Self {
        PageView {
            title: &page.title,
            description: page.description.as_deref(),
            content: responsive_images(&page.content, site, true),
            url: site.url(&page.path),
            permalink: site.permalink(&page.path),
            lang: &page.lang,
        }
    }
}

/// One entry of a menu.
#[derive(Serialize)]
pub(crate) struct MenuItem<'a> {
    title: &'a str,
    url: String,
    /// For `aria-current`: templates compare it with `page_url`.
    permalink: String,
}

/// The header's and the footer's menus of a language part.
#[derive(Serialize)]
pub(crate) struct MenusView<'a> {
    header: Vec<MenuItem<'a>>,
    footer: Vec<MenuItem<'a>>,
}

impl<'a> MenusView<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let items = |place: MenuPlace| -> Vec<MenuItem<'a>> {
            let pages = site.menu(place).into_iter();
            pages
                .map(|page| MenuItem {
                    title: &page.title,
                    url: site.url(&page.path),
                    permalink: site.permalink(&page.path),
                })
                .collect()
        };
        MenusView {
            header: items(MenuPlace::Header),
            footer: items(MenuPlace::Footer),
        }
    }
}
