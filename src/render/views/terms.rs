//! Tags, categories and authors as templates see them: links on cards and articles, and the
//! term pages with an author's profile.

use std::borrow::Cow;

use serde::Serialize;

use crate::render::pictures::{PictureView, responsive_images};
use crate::site::{Profile, Site, Term};

/// A link to a term.
#[derive(Serialize)]
pub(crate) struct TermLink<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    /// An author's job title, from the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    /// An author's portrait, from the profile: its narrowest file when processed.
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<String>,
    /// The portrait's files, when processed.
    #[serde(skip_serializing_if = "Option::is_none")]
    portrait: Option<PictureView>,
}

impl<'a> TermLink<'a> {
    pub(crate) fn new(site: &Site, term: &'a Term) -> Self {
        TermLink {
            name: &term.name,
            slug: &term.slug,
            url: site.url(&term.path),
            permalink: site.permalink(&term.path),
            role: None,
            avatar: None,
            portrait: None,
        }
    }

    /// A link to an author, with what the profile says.
    pub(crate) fn author(site: &'a Site, term: &'a Term) -> Self {
        let profile = site.profile(term);
        let (avatar, portrait) = portrait(site, profile.and_then(|p| p.avatar.as_deref()));
        TermLink {
            role: profile.and_then(|p| p.role.as_deref()),
            avatar,
            portrait,
            ..TermLink::new(site, term)
        }
    }
}

/// An author's profile, for the author page.
#[derive(Serialize)]
pub(crate) struct ProfileView<'a> {
    role: Option<&'a str>,
    avatar: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    portrait: Option<PictureView>,
    bio: Cow<'a, str>,
    links: Vec<ProfileLink<'a>>,
}

/// One of an author's profiles elsewhere.
#[derive(Serialize)]
struct ProfileLink<'a> {
    /// Key as written (`mastodon`, `website`).
    network: &'a str,
    /// Name of the network as it spells itself.
    label: String,
    url: &'a str,
}

impl<'a> ProfileView<'a> {
    pub(crate) fn new(site: &'a Site, profile: &'a Profile) -> Self {
        let (avatar, portrait) = portrait(site, profile.avatar.as_deref());
        ProfileView {
            role: profile.role.as_deref(),
            avatar,
            portrait,
            bio: responsive_images(&profile.bio, site, false),
            links: profile
                .links
                .iter()
                .map(|(network, url)| ProfileLink {
                    network,
                    label: network_label(network),
                    url,
                })
                .collect(),
        }
    }
}

/// A portrait's URL (its narrowest file when processed) and files.
fn portrait(site: &Site, avatar: Option<&str>) -> (Option<String>, Option<PictureView>) {
    let Some(avatar) = avatar else {
        return (None, None);
    };
    match site.pictures.get(avatar) {
        Some(picture) => {
            let view = PictureView::new(site, picture);
            (Some(view.small.clone()), Some(view))
        }
        None => (Some(site.asset_url(avatar)), None),
    }
}

/// How a network spells its name; an unknown one is capitalised.
fn network_label(network: &str) -> String {
    let known = match network.to_ascii_lowercase().as_str() {
        "mastodon" => "Mastodon",
        "bluesky" => "Bluesky",
        "x" | "twitter" => "X",
        "linkedin" => "LinkedIn",
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "youtube" => "YouTube",
        "instagram" => "Instagram",
        "threads" => "Threads",
        "facebook" => "Facebook",
        _ => {
            let mut chars = network.chars();
            return chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    };
    known.to_string()
}

/// A term with its article count, for indexes and term pages.
#[derive(Serialize)]
pub(crate) struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    /// An author's profile, on the author's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<ProfileView<'a>>,
}

impl<'a> TermView<'a> {
    pub(crate) fn new(site: &Site, term: &'a Term) -> Self {
        TermView {
            name: &term.name,
            slug: &term.slug,
            url: site.url(&term.path),
            count: term.articles.len(),
            profile: None,
        }
    }

    /// An author with the profile, for the author's page.
    pub(crate) fn author(site: &'a Site, term: &'a Term) -> Self {
        TermView {
            profile: site.profile(term).map(|p| ProfileView::new(site, p)),
            ..TermView::new(site, term)
        }
    }
}
