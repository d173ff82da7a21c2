//! The hand-written newsroom export read field by field.

use super::*;

#[test]
fn newsroom_header_authors_and_terms() {
    let export = newsroom();
    let channel = &export.channel;
    assert_eq!(channel.title, "Le Petit Numérique");
    assert_eq!(channel.link, "https://www.lepetitnumerique.fr");
    // A numeric character reference and &amp; in plain text, decoded.
    assert_eq!(
        channel.description,
        "Toute l\u{2019}actualité tech & numérique"
    );
    assert_eq!(channel.language.as_deref(), Some("fr-FR"));
    assert_eq!(channel.wxr_version, "1.2");
    assert_eq!(
        channel.base_site_url.as_deref(),
        Some("https://www.lepetitnumerique.fr")
    );
    assert_eq!(
        channel.base_blog_url.as_deref(),
        Some("https://www.lepetitnumerique.fr")
    );

    let logins: Vec<&str> = export.authors.iter().map(|a| a.login.as_str()).collect();
    assert_eq!(logins, ["marie", "karim", "zoe"]);
    assert_eq!(
        export.authors[0],
        Author {
            id: Some(1),
            login: "marie".into(),
            display_name: "Marie Lefèvre".into(),
            first_name: Some("Marie".into()),
            last_name: Some("Lefèvre".into()),
        }
    );
    // Right-to-left and a combining mark (e + U+0308), kept as written.
    assert_eq!(export.authors[1].display_name, "كريم بن علي");
    assert_eq!(export.authors[2].display_name, "Zoe\u{308} Martin");
    assert_eq!(
        (
            export.authors[2].first_name.as_ref(),
            export.authors[2].last_name.as_ref()
        ),
        (None, None)
    );

    assert_eq!(export.terms.len(), 8);
    let reseaux = export
        .terms
        .iter()
        .find(|t| t.slug == "reseaux")
        .expect("reseaux");
    assert_eq!(
        *reseaux,
        Term {
            id: Some(3),
            kind: TermKind::Category,
            slug: "reseaux".into(),
            name: "Réseaux".into(),
            parent: Some("tech".into()),
            description: None,
        }
    );
    let tech = export
        .terms
        .iter()
        .find(|t| t.slug == "tech")
        .expect("tech");
    assert_eq!(
        (tech.parent.as_ref(), tech.description.as_deref()),
        (None, Some("Matériel, logiciels et usages."))
    );
    let tags: Vec<&str> = export
        .terms
        .iter()
        .filter(|t| t.kind == TermKind::Tag)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(tags, ["Wi-Fi 7", "5G", "Vie privée"]);
    let menu = export.terms.last().expect("a term");
    assert_eq!(menu.kind, TermKind::Other("nav_menu".into()));
    assert_eq!(
        (menu.slug.as_str(), menu.name.as_str()),
        ("menu-principal", "Menu principal")
    );
}

#[test]
fn newsroom_items_by_type_and_status() {
    let export = newsroom();
    assert_eq!(export.items.len(), 17);
    let count = |kind: &str| export.items.iter().filter(|i| i.post_type == kind).count();
    assert_eq!(
        (
            count("post"),
            count("page"),
            count("attachment"),
            count("revision"),
            count("nav_menu_item")
        ),
        (9, 2, 4, 1, 1)
    );
    let status = |id| item(&export, id).status.as_str();
    assert_eq!(
        [
            status(101),
            status(103),
            status(104),
            status(105),
            status(106),
            status(108),
            status(109)
        ],
        [
            "publish",
            "draft",
            "pending",
            "private",
            "future",
            "trash",
            "auto-draft"
        ]
    );
    // WordPress's zero date of a draft never published is no date.
    let draft = item(&export, 103);
    assert_eq!(
        (draft.date.as_deref(), draft.date_gmt.as_deref()),
        (Some("2025-06-25 17:44:02"), None)
    );
    assert_eq!(draft.name, "");
    assert_eq!(
        item(&export, 106).date_gmt.as_deref(),
        Some("2025-09-01 05:00:00")
    );
    assert_eq!(item(&export, 107).password.as_deref(), Some("abonnes2025"));
    assert_eq!(item(&export, 101).password, None);
    let revision = item(&export, 110);
    assert_eq!(
        (revision.parent, revision.status.as_str()),
        (102, "inherit")
    );

    let about = item(&export, 2);
    assert_eq!(
        (about.title.as_str(), about.name.as_str(), about.menu_order),
        ("À propos", "a-propos", 1)
    );
    assert_eq!(item(&export, 3).title, "Mentions légales");

    let photo = item(&export, 201);
    assert_eq!(photo.parent, 101);
    assert_eq!(
        photo.attachment_url.as_deref(),
        Some("https://www.lepetitnumerique.fr/wp-content/uploads/2025/06/box-wifi7.jpg")
    );
    assert_eq!(
        meta(photo, "_wp_attachment_image_alt"),
        Some("La nouvelle box posée sur une étagère")
    );
    assert_eq!(
        photo.excerpt,
        "La box de l'opérateur, en test à la rédaction."
    );

    let menu_item = item(&export, 301);
    assert_eq!(
        menu_item.terms,
        [ItemTerm {
            domain: "nav_menu".into(),
            slug: "menu-principal".into(),
            name: "Menu principal".into()
        }]
    );
    assert_eq!(meta(menu_item, "_menu_item_object_id"), Some("2"));
}

#[test]
fn newsroom_classic_post_in_full() {
    let export = newsroom();
    let post = item(&export, 101);
    assert_eq!(
        post.title,
        "Wi-Fi 7 : ce que change la nouvelle génération de box"
    );
    assert_eq!(
        post.link.as_deref(),
        Some("https://www.lepetitnumerique.fr/2025/06/wi-fi-7-box/")
    );
    assert_eq!(
        post.guid.as_deref(),
        Some("https://www.lepetitnumerique.fr/?p=101")
    );
    assert_eq!(post.creator.as_deref(), Some("marie"));
    assert_eq!(
        post.excerpt,
        "Débits, portée, compatibilité : tout ce que change le Wi-Fi 7."
    );
    assert_eq!(
        (post.date.as_deref(), post.date_gmt.as_deref()),
        (Some("2025-06-10 08:30:00"), Some("2025-06-10 06:30:00"))
    );
    assert_eq!(
        (post.modified.as_deref(), post.modified_gmt.as_deref()),
        (Some("2025-06-12 14:05:31"), Some("2025-06-12 12:05:31"))
    );
    assert_eq!(
        (
            post.name.as_str(),
            post.parent,
            post.menu_order,
            post.is_sticky
        ),
        ("wi-fi-7-box", 0, 0, true)
    );
    assert!(post.content.starts_with("Les opérateurs français lancent"));
    assert!(post.content.contains("[caption id=\"attachment_201\""));
    assert!(post.content.contains("box-wifi7-300x200.jpg"));
    assert!(
        post.content
            .contains("\n\n[gallery ids=\"203,204\" columns=\"2\" link=\"file\"]\n\n")
    );
    assert!(post.content.ends_with("49,99 € par mois."));

    let terms: Vec<(&str, &str)> = post
        .terms
        .iter()
        .map(|t| (t.domain.as_str(), t.slug.as_str()))
        .collect();
    assert_eq!(
        terms,
        [
            ("category", "reseaux"),
            ("category", "tech"),
            ("post_tag", "wi-fi-7"),
            ("post_tag", "5g")
        ]
    );
    assert_eq!(post.terms[0].name, "Réseaux");
    let keys: Vec<&str> = post.meta.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "_edit_last",
            "_thumbnail_id",
            "_yoast_wpseo_metadesc",
            "_yoast_wpseo_primary_category"
        ]
    );
    assert_eq!(meta(post, "_thumbnail_id"), Some("201"));
    assert_eq!(meta(post, "_yoast_wpseo_primary_category"), Some("3"));

    let comments: Vec<(u64, u64, &str, &str)> = post
        .comments
        .iter()
        .map(|c| (c.id, c.parent, c.approved.as_str(), c.kind.as_str()))
        .collect();
    assert_eq!(
        comments,
        [
            (1001, 0, "1", "comment"),
            (1002, 1001, "1", "comment"),
            (1003, 1002, "1", "comment"),
            (1004, 0, "spam", "comment"),
            (1005, 0, "0", "comment"),
            (1006, 0, "1", "pingback"),
            (1007, 0, "1", "trackback"),
        ]
    );
    assert_eq!(
        post.comments[0],
        Comment {
            id: 1001,
            author: "Hélène D.".into(),
            author_url: Some("https://helene.example.fr/".into()),
            date: Some("2025-06-10 09:02:11".into()),
            date_gmt: Some("2025-06-10 07:02:11".into()),
            content:
                "Et la compatibilité avec les anciens appareils ? Mon portable de 2019 verra-t-il \
                      une différence ?"
                    .into(),
            approved: "1".into(),
            kind: "comment".into(),
            parent: 0,
        }
    );
    assert_eq!(post.comments[1].author_url, None);
    assert_eq!(
        post.comments[2].content,
        "Merci ! 🙏 Je garde ma box actuelle, alors."
    );
    // Inside CDATA, an entity is text: kept as written.
    assert_eq!(post.comments[5].author, "Réseaux &amp; Cie");
}

#[test]
fn newsroom_block_post_survives_byte_for_byte() {
    let export = newsroom();
    let post = item(&export, 102);
    assert_eq!(post.title, "Été 2025 : le bilan des smartphones 🚀");
    assert_eq!(post.name, "%c3%a9t%c3%a9-2025-bilan-smartphones");
    assert_eq!(post.creator.as_deref(), Some("karim"));
    let file = std::fs::read_to_string(fixture()).expect("the fixture");
    assert!(
        post.content
            .starts_with("<!-- wp:paragraph -->\n<p>Six mois")
    );
    assert!(post.content.ends_with("<!-- /wp:table -->"));
    assert!(
        file.contains(&format!("<![CDATA[{}]]>", post.content)),
        "content changed on the way"
    );
    for block in [
        "wp:image {\"id\":202",
        "wp:embed {\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"",
        "wp:heading",
        "wp:list",
        "wp:quote",
        "wp:code",
        "wp:table",
    ] {
        assert!(post.content.contains(block), "{block} lost");
    }
    assert_eq!(meta(post, "_thumbnail_id"), Some("202"));
    assert_eq!(post.excerpt, "");
}

#[test]
fn no_email_or_ip_address_is_kept() {
    let debug = format!("{:?}", newsroom());
    for private in [
        "@",
        "helene.d@example.fr",
        "marie.lefevre@",
        "zoe.martin@example.org",
        "promo@spam.example",
        "203.0.113.17",
        "198.51.100.4",
        "192.0.2.",
        "2001:db8::1",
        "akismet",
    ] {
        assert!(!debug.contains(private), "{private:?} is in the export");
    }
}
