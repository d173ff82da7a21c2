//! CodePen: `codepen.io/USER/pen/ID`, and the same pen's `embed`, `embed/preview`, `full`,
//! `details` and `debug` views.

use url::Url;

use super::{Embed, Links, Provider, Variant, bare_host, is_token, segments};

/// Recognises a pen URL; `None` for other hosts and other CodePen pages.
pub(super) fn recognize(url: &Url) -> Option<Result<Embed, String>> {
    if bare_host(url)? != "codepen.io" {
        return None;
    }
    let (user, id) = match segments(url).as_slice() {
        [user, "pen" | "embed" | "full" | "details" | "debug", id]
        | [user, "embed", "preview", id] => (*user, *id),
        _ => return None,
    };
    Some(pen(user, id))
}

fn pen(user: &str, id: &str) -> Result<Embed, String> {
    if !(5..=10).contains(&id.len()) || !is_token(id, b"") {
        return Err(format!(
            "`{id}` is not a CodePen pen id (5 to 10 letters or digits)"
        ));
    }
    if user.len() > 50 || !is_token(user, b"_-") {
        return Err(format!(
            "`{user}` is not a CodePen user name (up to 50 letters, digits, _ or -)"
        ));
    }
    let mut embed = Embed::new(Provider::CodePen, Variant::Code, id);
    embed.user = Some(user.to_string());
    Ok(embed)
}

pub(super) fn links(embed: &Embed) -> Links {
    let user = embed.user.as_deref().unwrap_or_default();
    let id = &embed.id;
    Links::player(
        format!("https://codepen.io/{user}/pen/{id}"),
        format!("https://codepen.io/{user}/embed/{id}?default-tab=result"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Provider, Variant, recognize};

    fn embed(url: &str) -> super::Embed {
        let embed = super::super::recognized(url, Provider::CodePen);
        assert_eq!(embed.variant, Variant::Code, "{url}");
        embed
    }

    #[test]
    fn recognises_every_view_of_a_pen() {
        for url in [
            "https://codepen.io/chriscoyier/pen/gOQmOVw",
            "https://codepen.io/chriscoyier/pen/gOQmOVw/",
            "https://www.codepen.io/chriscoyier/pen/gOQmOVw?editors=1100",
            "https://codepen.io/chriscoyier/embed/gOQmOVw?default-tab=css",
            "https://codepen.io/chriscoyier/embed/preview/gOQmOVw",
            "https://codepen.io/chriscoyier/full/gOQmOVw",
            "https://codepen.io/chriscoyier/details/gOQmOVw",
        ] {
            let found = embed(url);
            assert_eq!(found.id, "gOQmOVw", "{url}");
            assert_eq!(found.user.as_deref(), Some("chriscoyier"), "{url}");
        }
    }

    #[test]
    fn links_are_rebuilt_from_user_and_id() {
        let links = embed("http://codepen.io/chris_c-oyier/full/gOQmOVw?utm_source=x").links();
        assert_eq!(links.page, "https://codepen.io/chris_c-oyier/pen/gOQmOVw");
        assert_eq!(
            links.player.unwrap(),
            "https://codepen.io/chris_c-oyier/embed/gOQmOVw?default-tab=result"
        );
        assert_eq!(links.thumbnail, None);
    }

    #[test]
    fn invalid_ids_and_users_are_errors() {
        for url in [
            "https://codepen.io/chriscoyier/pen/abc",
            "https://codepen.io/chriscoyier/pen/abcdefghijk",
            "https://codepen.io/chriscoyier/pen/gOQ-mOVw",
            "https://codepen.io/chris.coyier/pen/gOQmOVw",
        ] {
            assert!(recognize(url).unwrap().is_err(), "{url}");
        }
    }

    #[test]
    fn codepen_pages_that_are_not_pens_stay_links() {
        for url in [
            "https://codepen.io/",
            "https://codepen.io/chriscoyier",
            "https://codepen.io/chriscoyier/pens/public",
            "https://codepen.io/trending",
            "https://example.org/chriscoyier/pen/gOQmOVw",
        ] {
            assert!(recognize(url).is_none(), "{url}");
        }
    }

    #[test]
    fn crafted_urls_never_reach_the_links() {
        for url in [
            "https://codepen.io/chriscoyier/pen/gOQ%22onload",
            "https://codepen.io/chris\"coyier/pen/gOQmOVw",
            "https://codepen.io/chris'coyier/pen/gOQmOVw",
            "https://codepen.io/<b>/pen/gOQmOVw",
        ] {
            if let Some(Ok(embed)) = recognize(url) {
                panic!("{url} gave {embed:?}");
            }
        }
    }
}
