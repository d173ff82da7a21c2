//! WXR 1.0 and 1.1 headers, and bad input: malformed XML, other documents, DOCTYPEs and
//! entities, encodings, fields of the wrong form, missing files.

use super::*;

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

    let xml = wxr("1.2", "1.2", "") + "<rss/>\n";
    let error = read_str(&xml).expect_err("two roots");
    assert!(
        matches!(&error, WxrError::Xml { cause: XmlError::SecondRoot(name), line: 11, column: 1 } if name == "rss"),
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

#[test]
fn a_bare_doctype_is_harmless() {
    let xml = wxr("1.2", "1.2", "<item><wp:post_id>1</wp:post_id></item>")
        .replace("<rss ", "<!DOCTYPE rss>\n<rss ");
    let export = read_str(&xml).expect("a bare DOCTYPE declares nothing");
    assert_eq!(export.items.len(), 1);
}

#[test]
fn attributes_resolve_only_xml_entities() {
    let term = |attrs: &str| {
        let body = format!("<item><wp:post_id>1</wp:post_id><category {attrs}>T</category></item>");
        read_str(&wxr("1.2", "1.2", &body))
    };
    let export = term(r#"domain="post_tag" nicename="caf&#233;-&amp;-th&#xE9;""#).expect("reads");
    assert_eq!(export.items[0].terms[0].slug, "café-&-thé");
    let error = term(r#"domain="post_tag" nicename="&lol9;""#).expect_err("undefined entity");
    assert!(matches!(error, WxrError::Xml { line: 8, .. }), "{error:?}");
}
