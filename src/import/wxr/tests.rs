//! Unit tests of the WXR reader: the hand-written newsroom export, bad input of every kind,
//! the older WXR headers, and real exports written by WordPress when they are at hand.

use std::path::{Path, PathBuf};

use super::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress/newsroom.xml")
}

fn read_str(xml: &str) -> Result<Export, WxrError> {
    read(xml.as_bytes())
}

/// A minimal export in WXR `version`, whose namespaces are those of `ns` (`1.0`, `1.1`, `1.2`),
/// with `body` inside its channel after the header.
fn wxr(ns: &str, version: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{ns}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{ns}/">
<channel>
<title>Site</title><link>https://example.org</link><description>Test</description>
<wp:wxr_version>{version}</wp:wxr_version>
{body}
</channel>
</rss>
"#
    )
}

fn newsroom() -> Export {
    read_file(&fixture()).expect("the newsroom fixture reads")
}

fn item(export: &Export, id: u64) -> &Item {
    export
        .items
        .iter()
        .find(|i| i.id == id)
        .expect("the item is in the export")
}

fn meta<'e>(item: &'e Item, key: &str) -> Option<&'e str> {
    item.meta
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Where an error points, for the cases that have a line and column.
fn place(error: &WxrError) -> (u64, u64) {
    match error {
        WxrError::Xml { line, column, .. } | WxrError::Doctype { line, column } => (*line, *column),
        WxrError::Field { line, column, .. } => (*line, *column),
        other => panic!("no position in {other:?}"),
    }
}

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

#[test]
fn wxr_1_0_header_and_its_doubled_categories() {
    let xml = wxr(
        "1.0",
        "1.0",
        r#"<wp:category><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
<wp:tag><wp:tag_slug>rust</wp:tag_slug><wp:tag_name><![CDATA[Rust]]></wp:tag_name></wp:tag>
<item><title>Hello &amp; welcome</title><link>https://example.org/?p=1</link>
<dc:creator>admin</dc:creator><guid isPermaLink="false">https://example.org/?p=1</guid>
<content:encoded><![CDATA[<p>Hi</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2009-01-01 10:00:00</wp:post_date><wp:post_name>hello</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>
<category><![CDATA[News]]></category>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<category domain="tag"><![CDATA[Rust]]></category>
<category domain="tag" nicename="rust"><![CDATA[Rust]]></category>
</item>"#,
    );
    let export = read_str(&xml).expect("a WXR 1.0 export reads");
    assert_eq!(export.channel.wxr_version, "1.0");
    assert!(export.authors.is_empty());
    assert_eq!(
        export
            .terms
            .iter()
            .map(|t| t.kind.clone())
            .collect::<Vec<_>>(),
        [TermKind::Category, TermKind::Tag]
    );
    let post = &export.items[0];
    assert_eq!(
        (post.id, post.title.as_str(), post.content.as_str()),
        (1, "Hello & welcome", "<p>Hi</p>")
    );
    assert_eq!(
        post.terms,
        [
            ItemTerm {
                domain: "category".into(),
                slug: "news".into(),
                name: "News".into()
            },
            ItemTerm {
                domain: "post_tag".into(),
                slug: "rust".into(),
                name: "Rust".into()
            },
        ]
    );
}

#[test]
fn wxr_1_1_header_with_authors_and_https_namespace() {
    let xml = wxr(
        "1.1",
        "1.1",
        r#"<wp:author><wp:author_id>7</wp:author_id><wp:author_login>admin</wp:author_login><wp:author_email>admin@example.org</wp:author_email><wp:author_display_name><![CDATA[Ada]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
<item><title>One</title><wp:post_id>5</wp:post_id><wp:post_type>page</wp:post_type><wp:status>publish</wp:status></item>"#,
    );
    let export = read_str(&xml).expect("a WXR 1.1 export reads");
    assert_eq!(export.channel.wxr_version, "1.1");
    assert_eq!(export.authors[0].id, Some(7));
    assert_eq!(export.authors[0].display_name, "Ada");
    assert_eq!(
        (export.items[0].id, export.items[0].post_type.as_str()),
        (5, "page")
    );

    // WordPress.com writes its namespaces with https.
    let https = xml.replace(
        "http://wordpress.org/export/",
        "https://wordpress.org/export/",
    );
    assert_eq!(read_str(&https).expect("https namespaces").items.len(), 1);
}

#[test]
fn malformed_xml_is_placed_by_line_and_column() {
    let xml = "<rss>\n  <channel>\n    <title>été</titl>\n";
    let error = read_str(xml).expect_err("a mismatched end tag");
    assert!(
        matches!(
            error,
            WxrError::Xml {
                cause: XmlError::Parse(_),
                ..
            }
        ),
        "{error:?}"
    );
    // Columns count characters: é is one.
    assert_eq!(place(&error), (3, 15));
    assert!(error.to_string().contains("line 3, column 15"), "{error}");

    let error = read_str("<rss>\n<channel>\n<title>Début").expect_err("a file cut short");
    assert!(
        matches!(&error, WxrError::Xml { cause: XmlError::UnexpectedEof(name), .. } if name == "title")
    );
    assert_eq!(place(&error), (3, 13));

    let error = read_str("<rss>\n<channel\n").expect_err("an unclosed tag");
    assert_eq!(place(&error), (2, 1), "{error:?}");

    let error = read_str("<rss></rss>\n<rss></rss>").expect_err("two roots");
    assert!(
        matches!(
            error,
            WxrError::Xml {
                cause: XmlError::SecondRoot(_),
                ..
            } | WxrError::NotWxr { .. }
        ),
        "{error:?}"
    );
}

#[test]
fn other_documents_are_not_wxr() {
    let cases = [
        (
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><item><title>A</title></item></channel></rss>"#,
            "an RSS feed without WordPress's wp:wxr_version",
        ),
        (
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>"#,
            "an Atom feed",
        ),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#,
            "an XML document whose root is <svg>",
        ),
        (
            "<rss version=\"2.0\"><channel><wp:wxr_version>1.2</wp:wxr_version><item/></channel></rss>",
            "an RSS feed whose wxr_version is not in WordPress's namespace",
        ),
        ("", "empty"),
        ("title,date\nHello,2025-01-01\n", "text, not XML"),
    ];
    for (xml, found) in cases {
        match read_str(xml) {
            Err(WxrError::NotWxr { found: what }) => assert!(what.starts_with(found), "{what}"),
            other => panic!("{xml}: {other:?}"),
        }
    }
    let error = read_str(r#"<feed xmlns="http://www.w3.org/2005/Atom"/>"#).expect_err("Atom");
    assert_eq!(
        error.to_string(),
        "not a WordPress export (WXR): the file is an Atom feed"
    );
}

#[test]
fn doctype_declarations_and_undefined_entities_are_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol9;</title></channel></rss>"#;
    let error = read_str(laughs).expect_err("billion laughs");
    assert!(
        matches!(error, WxrError::Doctype { line: 2, column: 1 }),
        "{error:?}"
    );

    let external = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title></channel></rss>"#;
    assert!(matches!(read_str(external), Err(WxrError::Doctype { .. })));
    let system = "<!DOCTYPE rss SYSTEM \"http://attacker.example/evil.dtd\"><rss/>";
    assert!(matches!(read_str(system), Err(WxrError::Doctype { .. })));

    // Without any declaration, an undefined entity is an error, not text.
    let xml = wxr(
        "1.2",
        "1.2",
        "<item><title>a &lol9; b</title><wp:post_id>1</wp:post_id></item>",
    );
    let error = read_str(&xml).expect_err("an undefined entity");
    assert!(
        matches!(&error, WxrError::Xml { cause: XmlError::UndefinedEntity(name), line: 8, column: 16 } if name == "lol9"),
        "{error:?}"
    );
    // Even in an element the reader skips.
    let xml = wxr("1.2", "1.2", "<wp:unknown>&nope;</wp:unknown>");
    assert!(matches!(
        read_str(&xml),
        Err(WxrError::Xml {
            cause: XmlError::UndefinedEntity(_),
            ..
        })
    ));
}

#[test]
fn declared_encodings_are_decoded() {
    let xml = wxr(
        "1.2",
        "1.2",
        "<item><title>Caf\u{e9} cr\u{e8}me</title><wp:post_id>1</wp:post_id></item>",
    )
    .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    // ISO-8859-1: one byte per accented letter.
    let bytes: Vec<u8> = xml
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
        .collect();
    let export = read(&bytes[..]).expect("an ISO-8859-1 export reads");
    assert_eq!(export.items[0].title, "Café crème");

    let mut bytes = wxr("1.2", "1.2", "<item><title>AB</title></item>").into_bytes();
    let at = bytes
        .windows(9)
        .position(|w| w == b"<title>AB")
        .expect("the title")
        + 8;
    bytes[at] = 0xFF;
    let error = read(&bytes[..]).expect_err("invalid UTF-8");
    assert!(
        matches!(
            error,
            WxrError::Xml {
                cause: XmlError::Encoding { encoding: "UTF-8" },
                line: 8,
                column: 15
            }
        ),
        "{error:?}"
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("<rss/>".encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert!(
        matches!(read(&utf16[..]), Err(WxrError::Encoding { ref encoding, .. }) if encoding == "UTF-16LE")
    );
    let unknown = "<?xml version=\"1.0\" encoding=\"klingon\"?><rss/>";
    assert!(
        matches!(read_str(unknown), Err(WxrError::Encoding { ref encoding, .. }) if encoding == "klingon")
    );
}

#[test]
fn a_field_of_the_wrong_form_is_named() {
    let xml = wxr("1.2", "1.2", "<item>\n<wp:post_id>12a</wp:post_id></item>");
    let error = read_str(&xml).expect_err("not a number");
    assert!(
        matches!(&error, WxrError::Field { element, .. } if element == "wp:post_id"),
        "{error:?}"
    );
    assert_eq!(place(&error), (9, 1));
    assert_eq!(
        error.to_string(),
        "<wp:post_id> at line 9, column 1: \"12a\" is not a whole number"
    );
}

#[test]
fn read_file_names_the_file() {
    let path = Path::new("/nonexistent/export.xml");
    let error = read_file(path).expect_err("no such file");
    assert!(
        matches!(&error, WxrError::File { path: p, cause } if p == path && matches!(**cause, WxrError::Read { .. }))
    );
    assert_eq!(
        error.to_string(),
        "cannot import the WordPress export /nonexistent/export.xml"
    );
    assert!(std::error::Error::source(&error).is_some());
}

/// Cut anywhere, the export is an error or (at the very end) an export, never a panic.
#[test]
fn truncated_exports_never_panic() {
    let bytes = std::fs::read(fixture()).expect("the fixture");
    for end in (0..bytes.len()).step_by(97) {
        let _ = read(&bytes[..end]);
    }
    assert!(read(&bytes[..bytes.len() / 2]).is_err());
}

/// Real exports written by WordPress itself (the theme unit test data…), from a folder named
/// by `KIOSQUE_WXR_SAMPLES`; none is committed.
#[test]
#[ignore = "needs KIOSQUE_WXR_SAMPLES with real WordPress exports"]
fn reads_real_wordpress_exports() {
    let dir = std::env::var_os("KIOSQUE_WXR_SAMPLES").expect("KIOSQUE_WXR_SAMPLES is not set");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("KIOSQUE_WXR_SAMPLES is not a readable folder")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .xml file in KIOSQUE_WXR_SAMPLES");
    for path in files {
        let export = read_file(&path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let count = |kind: &str| export.items.iter().filter(|i| i.post_type == kind).count();
        let comments: usize = export.items.iter().map(|i| i.comments.len()).sum();
        eprintln!(
            "{}: WXR {}, {} items: {} posts, {} pages, {} attachments, {} menu items; \
             {comments} comments, {} authors, {} terms",
            path.display(),
            export.channel.wxr_version,
            export.items.len(),
            count("post"),
            count("page"),
            count("attachment"),
            count("nav_menu_item"),
            export.authors.len(),
            export.terms.len(),
        );
        assert!(!export.items.is_empty(), "{}: no item read", path.display());
        assert!(export.items.iter().all(|i| !i.post_type.is_empty()));
        let debug = format!("{export:?}");
        assert!(!debug.contains("author_email"));
    }
}
