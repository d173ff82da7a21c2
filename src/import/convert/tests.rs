//! Tests of the body conversion: WordPress's paragraph rules, classic posts, shortcodes,
//! addresses, safety, and converted bodies rendered by Kiosque's own Markdown stage; the
//! block types are in `tests/blocks.rs`.

use std::collections::HashMap;

use super::*;

mod blocks;

/// The export's attachments in these tests.
fn attachments() -> HashMap<u64, Attachment> {
    let mut map = HashMap::new();
    map.insert(
        10,
        Attachment {
            url: "https://old.example/wp-content/uploads/2025/02/sommet.jpg".into(),
            alt: "Le Grand Palais".into(),
            caption: "Deux jours de sommet.".into(),
        },
    );
    map.insert(
        11,
        Attachment {
            url: "https://old.example/wp-content/uploads/2025/02/scene.png".into(),
            alt: "La scène".into(),
            caption: String::new(),
        },
    );
    map
}

/// Old permalinks and uploads as the importer rewrites them.
fn rewrite(url: &str) -> Option<String> {
    if let Some(path) = url.strip_prefix("https://old.example/wp-content/uploads/") {
        return Some(format!("/uploads/{path}"));
    }
    url.strip_prefix("https://old.example/2025/02/sommet-ia/")
        .map(|rest| format!("@/2025/sommet-ia.md{rest}"))
}

fn convert(body: &str) -> Converted {
    let attachments = attachments();
    let ctx = Context {
        attachments: &attachments,
        attached: &[11, 10],
        rewrite: &rewrite,
    };
    to_markdown(body, &ctx)
}

fn md(body: &str) -> String {
    convert(body).markdown
}

// wpautop

#[test]
fn autop_makes_paragraphs_and_line_breaks() {
    assert_eq!(
        autop::autop("One\ntwo\n\nThree"),
        "<p>One<br />\ntwo</p>\n<p>Three</p>\n"
    );
    assert_eq!(autop::autop("  \n\n "), "");
    // Windows newlines and runs of blank lines are one break.
    assert_eq!(autop::autop("A\r\n\r\n\r\n\r\nB"), "<p>A</p>\n<p>B</p>\n");
}

#[test]
fn autop_leaves_blocks_unwrapped() {
    let html = autop::autop("Intro\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter");
    assert_eq!(
        html,
        "<p>Intro</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>After</p>\n"
    );
    assert_eq!(
        autop::autop("<h2>Title</h2>\nText"),
        "<h2>Title</h2>\n<p>Text</p>\n"
    );
    assert_eq!(autop::autop("<div>inside</div>"), "<div>inside</div>\n");
    assert_eq!(autop::autop("a<hr>b"), "<p>a</p>\n<hr>\n<p>b</p>\n");
}

#[test]
fn autop_keeps_pre_and_scripts_verbatim() {
    let html = autop::autop("Code:\n\n<pre>let a = 1;\n\n\nlet b = 2;</pre>\n\nEnd");
    assert!(
        html.contains("<pre>let a = 1;\n\n\nlet b = 2;</pre>"),
        "{html}"
    );
    assert!(html.starts_with("<p>Code:</p>"), "{html}");
    let html = autop::autop("<style>\na{}\n\nb{}\n</style>");
    assert!(html.contains("a{}\n\nb{}"), "{html}");
}

#[test]
fn autop_double_br_is_a_paragraph_break_and_tags_keep_their_newlines_out() {
    assert_eq!(autop::autop("a<br><br/>b"), "<p>a</p>\n<p>b</p>\n");
    assert_eq!(autop::autop("a<br />\nb"), "<p>a<br />\nb</p>\n");
    let html = autop::autop(
        "<video controls>\n<source src=\"a.mp4\">\n</video>\n<figure><img src=\"b.png\">\n<figcaption>B</figcaption>\n</figure>",
    );
    assert_eq!(
        html,
        "<p><video controls><source src=\"a.mp4\"></video></p>\n<figure><img src=\"b.png\"><figcaption>B</figcaption></figure>\n"
    );
    let html = autop::autop("<a\nhref=\"/x\">link</a> text");
    assert_eq!(html, "<p><a href=\"/x\">link</a> text</p>\n");
}

// Classic posts through to Markdown

#[test]
fn classic_post_becomes_clean_markdown() {
    let out = md(
        "Hello <em>you</em>\nthere\n\n<h2>Part</h2>\n\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\n\n\n<blockquote>Quoted</blockquote>",
    );
    assert_eq!(
        out,
        "Hello *you*\\\nthere\n\n## Part\n\n- one\n- two\n\n> Quoted\n"
    );
    assert_eq!(md(""), "");
    assert_eq!(
        md("Chapô<!--more Lire la suite-->Suite"),
        "Chapô\n\n<!-- more -->\n\nSuite\n"
    );
}

#[test]
fn classic_pre_is_fenced_as_written() {
    let out = md("<pre class=\"language-python\">def f():\n\n    return 1 &lt; 2</pre>");
    assert_eq!(out, "```python\ndef f():\n\n    return 1 < 2\n```\n");
}

// Shortcodes

#[test]
fn caption_shortcode_is_a_figure_with_its_caption() {
    let out = convert(
        "[caption id=\"attachment_10\" align=\"aligncenter\" width=\"300\"]<a href=\"https://old.example/wp-content/uploads/2025/02/sommet.jpg\"><img src=\"https://old.example/wp-content/uploads/2025/02/sommet-300x200.jpg\" alt=\"Palais\" width=\"300\" /></a> Le <a href=\"https://old.example/2025/02/sommet-ia/\">sommet</a>[/caption]",
    );
    assert_eq!(
        out.markdown,
        "<figure>\n\n![Palais](/uploads/2025/02/sommet.jpg)\n\n<figcaption>\n\nLe [sommet](@/2025/sommet-ia.md)\n\n</figcaption>\n</figure>\n"
    );
    assert_eq!(out.media, ["/uploads/2025/02/sommet.jpg"]);
    let attr = md("[caption caption=\"Légende\"]<img src=\"/a.png\" alt=\"A\">[/caption]");
    assert!(
        attr.contains("![A](/a.png)\n\n<figcaption>\n\nLégende\n"),
        "{attr}"
    );
}

#[test]
fn gallery_shortcode_shows_ids_or_attached_images() {
    let ids = md("[gallery ids=\"10\"]");
    assert!(
        ids.starts_with("<figure>\n\n![Le Grand Palais](/uploads/2025/02/sommet.jpg)"),
        "{ids}"
    );
    assert!(!ids.contains("scene"));
    let attached = md("[gallery columns=\"2\"]");
    let scene = attached.find("scene.png").unwrap();
    assert!(scene < attached.find("sommet.jpg").unwrap(), "{attached}");
}

#[test]
fn media_shortcodes_and_lone_urls_are_alone_on_their_line() {
    let out = convert(
        "[embed width=\"500\"]https://www.youtube.com/watch?v=Kq7vT3mPz_A[/embed]\n\n\
         [youtube=https://www.youtube.com/watch?v=aaaaaaaaaaa]\n\n\
         [youtube id=\"bbbbbbbbbbb\"]\n\n\
         [video mp4=\"https://old.example/wp-content/uploads/2025/02/clip.mp4\"][/video]\n\n\
         [audio src=\"https://cdn.example/ep12.mp3\"]\n\n\
         Watch this:\nhttps://vimeo.com/76979871\n\n<pre>\nhttps://not.an/embed\n</pre>",
    );
    assert_eq!(
        out.markdown,
        "https://www.youtube.com/watch?v=Kq7vT3mPz_A\n\n\
         https://www.youtube.com/watch?v=aaaaaaaaaaa\n\n\
         https://www.youtube.com/watch?v=bbbbbbbbbbb\n\n\
         {{ video(url=\"/uploads/2025/02/clip.mp4\") }}\n\n\
         https://cdn.example/ep12.mp3\n\n\
         Watch this:\n\nhttps://vimeo.com/76979871\n\n```\nhttps://not.an/embed\n```\n"
    );
    assert_eq!(
        out.media,
        ["/uploads/2025/02/clip.mp4", "https://cdn.example/ep12.mp3"]
    );
}

#[test]
fn unknown_shortcodes_stay_as_text_and_are_reported() {
    let out = convert(
        "Écrivez-nous : [contact-form-7 id=\"3\" title=\"Contact\"]\n\n[note]Un <strong>mot</strong> [gallery ids=\"11\"][/note]\n\n[[gallery]] et [1] et [sic] et [a b\n\n<pre>a[i] = [gallery]</pre> <code>[embed]x[/embed]</code>",
    );
    assert_eq!(
        out.unconverted,
        ["shortcode:contact-form-7", "shortcode:note"]
    );
    let text = &out.markdown;
    assert!(
        text.starts_with(
            "Écrivez-nous : \\[contact-form-7 id=\"3\" title=\"Contact\"\\]\n\n\\[note\\]Un **mot**"
        ),
        "{text}"
    );
    assert!(
        text.contains("![La scène](/uploads/2025/02/scene.png)"),
        "{text}"
    );
    assert!(text.contains("\\[/note\\]"), "{text}");
    assert!(
        text.contains("\\[gallery\\] et \\[1\\] et \\[sic\\] et \\[a b\n"),
        "{text}"
    );
    assert!(
        text.ends_with("```\na[i] = [gallery]\n```\n\n`[embed]x[/embed]`\n"),
        "{text}"
    );
}

#[test]
fn shortcode_attributes_as_wordpress_reads_them() {
    let attrs = shortcodes::attributes("a=\"x y\" B='z' c=1 \"pos one\" two");
    assert_eq!(attrs.get("a").map(String::as_str), Some("x y"));
    assert_eq!(attrs.get("b").map(String::as_str), Some("z"));
    assert_eq!(attrs.get("c").map(String::as_str), Some("1"));
    assert_eq!(attrs.get("0").map(String::as_str), Some("pos one"));
    assert_eq!(attrs.get("1").map(String::as_str), Some("two"));
}

// Addresses

#[test]
fn original_upload_drops_the_size_of_resized_copies() {
    let u = "https://old.example/wp-content/uploads/2025/02/";
    assert_eq!(
        original_upload(&format!("{u}photo-300x200.jpg")),
        format!("{u}photo.jpg")
    );
    assert_eq!(
        original_upload(&format!("{u}photo-1024x683.JPEG?v=2")),
        format!("{u}photo.JPEG?v=2")
    );
    assert_eq!(
        original_upload(&format!("{u}2025-02-11.png")),
        format!("{u}2025-02-11.png")
    );
    assert_eq!(
        original_upload(&format!("{u}photo-x200.jpg")),
        format!("{u}photo-x200.jpg")
    );
    assert_eq!(
        original_upload(&format!("{u}clip-640x360.mp4")),
        format!("{u}clip-640x360.mp4")
    );
    assert_eq!(original_upload("/-300x200.jpg"), "/-300x200.jpg");
}

#[test]
fn links_and_images_are_rewritten_and_media_listed() {
    let out = convert(
        "<a href=\"https://old.example/2025/02/sommet-ia/\">a</a> <a href=\"/relative/\">b</a> <img src=\"https://old.example/wp-content/uploads/2025/02/scene-150x150.png\" alt=\"S\"> <a href=\"https://old.example/wp-content/uploads/2025/02/doc.pdf\">pdf</a>",
    );
    assert_eq!(
        out.markdown,
        "[a](@/2025/sommet-ia.md) [b](/relative/) ![S](/uploads/2025/02/scene.png) [pdf](/uploads/2025/02/doc.pdf)\n"
    );
    assert_eq!(
        out.media,
        ["/uploads/2025/02/scene.png", "/uploads/2025/02/doc.pdf"]
    );
    let other = convert(
        "<img src=\"data:image/png;base64,AAAA\" alt=\"d\"> <a href=\"mailto:a@b.example\">m</a>",
    );
    assert!(other.media.is_empty(), "{:?}", other.media);
    assert!(
        other.markdown.contains("[m](mailto:a@b.example)"),
        "{}",
        other.markdown
    );
}

#[test]
fn plain_tables_stay_html_and_pieces_in_lists_stay_in_place() {
    let out = md(
        "<table><tr><td><a href=\"https://old.example/2025/02/sommet-ia/#a\">x</a></td></tr></table>\n\n<ul><li>[embed]https://vimeo.com/76979871[/embed]</li></ul>",
    );
    assert_eq!(
        out,
        "<div>\n<table>\n<tbody><tr>\n<td><a href=\"/2025/02/sommet-ia/#a\" rel=\"noopener noreferrer\">x</a></td>\n</tr>\n</tbody></table>\n</div>\n\n- https://vimeo.com/76979871\n"
    );
}

// Safety

#[test]
fn calls_in_alt_text_stay_text() {
    let alt = md("<img src=\"/a.png\" alt=\"{{ youtube(id=&quot;x&quot;) }}\">");
    assert_eq!(alt, "![&#123;{ youtube(id=\\\"x\\\") }}](/a.png)\n");
    let html = render(&alt);
    assert!(
        html.contains("alt=\"{{ youtube(id=&quot;x&quot;) }}\""),
        "{html}"
    );
}

#[test]
fn scripts_handlers_and_javascript_links_never_survive() {
    let out = md(
        "<p onclick=\"x()\">Hi<script>alert(1)</script> <a href=\"javascript:alert(1)\">l</a> <img src=x onerror=alert(1)></p><iframe src=\"https://evil.example/\"></iframe>",
    );
    assert!(
        !out.contains("script") && !out.contains("onclick") && !out.contains("onerror"),
        "{out}"
    );
    assert!(
        !out.contains("javascript") && !out.contains("evil"),
        "{out}"
    );
}

#[test]
fn kiosque_calls_in_a_wordpress_body_stay_text() {
    let out = md(
        "Write {{ youtube(id=\"x\") }} or {{ broken( and {{ x }}.\n\n<pre>{{ code(a=1) }}</pre>",
    );
    assert_eq!(
        out,
        "Write &#123;{ youtube(id=\"x\") }} or &#123;{ broken( and {{ x }}.\n\n```\n{{ code(a=1) }}\n```\n"
    );
}

#[test]
fn broken_input_never_panics() {
    for body in [
        "<!-->",
        "<!-- wp:",
        "<!-- wp:paragraph",
        "<!-- wp:x {\"a\": -->",
        "<!-- /wp:x -->",
        "<!-- wp:image {\"id\":99} /-->",
        "<!-- wp:embed -->é<!-- /wp:embed -->",
        "[",
        "[[",
        "[a",
        "[caption]",
        "[caption]no image[/caption]",
        "[gallery ids=\"x,99\"]",
        "[video]",
        "[youtube]",
        "<",
        "<pre",
        "<pre>é",
        "<code>[",
        "<table><tr><td>é",
        "é\n\n<br><br>ü\r\n",
        "{{",
        "{{/*",
        "<!--more",
        "\u{e000}0\u{e001} 🎉 עברית e\u{301}",
        "<p>https://</p>",
        "https://é.example/ü\n",
        "<img src=\"-300x200.jpg\">",
    ] {
        let out = convert(body);
        assert!(
            out.markdown.is_empty() || out.markdown.ends_with('\n'),
            "{body:?}"
        );
    }
    assert!(
        md("\u{e000}0\u{e001} 🎉 עברית e\u{301}").contains("\u{e000}0\u{e001} 🎉 עברית e\u{301}")
    );
}

// Rendered by Kiosque

/// Embeds as a marker naming their provider and id, as the theme's templates would.
struct Marked;

impl crate::markdown::Snippets for Marked {
    fn embed(&self, embed: &crate::embeds::Embed, _: &str) -> Result<String, String> {
        Ok(format!(
            "<div class=\"embed\" data-provider=\"{:?}\" data-id=\"{}\"></div>",
            embed.provider,
            crate::html::escape(&embed.id)
        ))
    }

    /// Embed shortcodes as the site renders them; any other call is marked, so that a call
    /// left live in a converted body shows.
    fn shortcode(
        &self,
        call: &crate::shortcodes::Call,
        lang: &str,
        _: usize,
    ) -> Option<Result<String, String>> {
        use crate::embeds;
        Some(match embeds::Provider::from_name(&call.name) {
            Some(provider) => embeds::Options::from_args(&call.args)
                .and_then(|o| embeds::resolve(Some(provider), o))
                .and_then(|e| self.embed(&e, lang)),
            None => Ok("<b>LIVE CALL</b>".to_string()),
        })
    }
}

/// Renders converted Markdown as the build does, an error failing the test.
fn render(markdown: &str) -> String {
    let mut targets = crate::markdown::Targets::new();
    targets.insert("2025/sommet-ia.md".into(), "/2025/02/sommet-ia/".into());
    crate::markdown::render(&crate::markdown::Input {
        path: std::path::Path::new("content/2025/import.md"),
        body: markdown,
        body_line: 1,
        base_path: "/",
        lang: "fr",
        snippets: &Marked,
        highlighter: None,
        french_spacing: false,
        safe: false,
        targets: &targets,
    })
    .unwrap_or_else(|errors| panic!("{errors:?}\n{markdown}"))
    .html
}

#[test]
fn converted_blocks_render_through_kiosque() {
    let body = "<!-- wp:paragraph -->\n<p>Voir <a href=\"https://old.example/2025/02/sommet-ia/\">le sommet</a>, {{ youtube(id=\"zzzzzzzzzzz\") }}.</p>\n<!-- /wp:paragraph -->\n\n\
        <!-- wp:image {\"id\":10} -->\n<figure class=\"wp-block-image\"><img src=\"https://old.example/wp-content/uploads/2025/02/sommet-300x200.jpg\" alt=\"Le Grand Palais\"/><figcaption>Deux jours de <em>sommet</em>.</figcaption></figure>\n<!-- /wp:image -->\n\n\
        <!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=Kq7vT3mPz_A\",\"providerNameSlug\":\"youtube\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=Kq7vT3mPz_A\n</div></figure>\n<!-- /wp:embed -->\n\n\
        <!-- wp:code -->\n<pre class=\"wp-block-code\"><code class=\"language-rust\">let x = a_b * 2;</code></pre>\n<!-- /wp:code -->\n\n\
        <!-- wp:table -->\n<figure class=\"wp-block-table\"><table><thead><tr><th>Pays</th><th>Md€</th></tr></thead><tbody><tr><td>France</td><td>109</td></tr></tbody></table></figure>\n<!-- /wp:table -->\n\n\
        <!-- wp:audio -->\n<figure class=\"wp-block-audio\"><audio controls src=\"https://old.example/wp-content/uploads/2025/02/ep12.mp3\"></audio></figure>\n<!-- /wp:audio -->\n\n\
        <!-- wp:html -->\n<div onmouseover=\"steal()\">Sondage<script>steal()</script></div>\n<!-- /wp:html -->";
    let converted = convert(body);
    assert_eq!(converted.unconverted, ["block:core/html"]);
    let html = render(&converted.markdown);
    let page = scraper::Html::parse_fragment(&html);
    let select = |css: &str| {
        let selector = scraper::Selector::parse(css).unwrap();
        page.select(&selector).map(|e| e.html()).collect::<Vec<_>>()
    };
    let caption = select("figure figcaption");
    assert_eq!(caption.len(), 1, "{html}");
    assert!(
        caption[0].contains("Deux jours de <em>sommet</em>."),
        "{html}"
    );
    assert_eq!(
        select("figure img[src=\"/uploads/2025/02/sommet.jpg\"][alt=\"Le Grand Palais\"]").len(),
        1,
        "{html}"
    );
    assert!(
        select("a[href=\"/2025/02/sommet-ia/\"]").len() == 1,
        "{html}"
    );
    let embeds = select("div.embed");
    assert_eq!(embeds.len(), 2, "{html}");
    assert!(
        embeds[0].contains("data-provider=\"Youtube\"") || embeds[0].contains("Kq7vT3mPz_A"),
        "{html}"
    );
    assert!(embeds[0].contains("Kq7vT3mPz_A"), "{html}");
    assert!(embeds[1].contains("/uploads/2025/02/ep12.mp3"), "{html}");
    assert!(
        !html.contains("LIVE CALL") && html.contains("{{ youtube(id="),
        "{html}"
    );
    let code = select("pre code.language-rust");
    assert_eq!(code.len(), 1, "{html}");
    assert!(code[0].contains("let x = a_b * 2;"), "{html}");
    assert_eq!(select("table thead th").len(), 2, "{html}");
    assert_eq!(select("table tbody td").len(), 2, "{html}");
    assert!(
        !html.contains("script") && !html.contains("steal") && html.contains("Sondage"),
        "{html}"
    );
}

#[test]
fn converted_classic_post_renders_through_kiosque() {
    let body = "Premier paragraphe,\nsur deux lignes.\n\n[caption id=\"attachment_11\" width=\"150\"]<img src=\"https://old.example/wp-content/uploads/2025/02/scene-150x150.png\" alt=\"La scène\" /> La scène du <strong>sommet</strong>[/caption]\n\n[youtube https://www.youtube.com/watch?v=Kq7vT3mPz_A]\n\nhttps://vimeo.com/76979871\n\n[contact-form-7 id=\"3\"]\n\n<table><tr><th>A</th></tr><tr><td>1</td></tr></table>";
    let converted = convert(body);
    assert_eq!(converted.unconverted, ["shortcode:contact-form-7"]);
    let html = render(&converted.markdown);
    assert!(
        html.contains("<p>Premier paragraphe,<br />\nsur deux lignes.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>\n<p>La scène du <strong>sommet</strong></p>\n</figcaption>"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"embed\"").count(), 2, "{html}");
    assert!(html.contains("<p>[contact-form-7 id="), "{html}");
    assert!(
        html.contains("<table>") && html.contains("<td>1</td>"),
        "{html}"
    );
}
