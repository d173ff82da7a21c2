//! Tests of the block conversion: each block type, nesting, unknown blocks.

use super::{convert, md};

#[test]
fn blocks_text_and_nesting() {
    let body = "<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\" id=\"plan\">Titre</h3>\n<!-- /wp:heading -->\n\n\
        <!-- wp:paragraph -->\n<p>Un <a href=\"https://old.example/2025/02/sommet-ia/#plan\">lien</a>.</p>\n<!-- /wp:paragraph -->\n\n\
        <!-- wp:list -->\n<ul class=\"wp-block-list\"><!-- wp:list-item -->\n<li>un</li>\n<!-- /wp:list-item --><!-- wp:list-item -->\n<li>deux</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->\n\n\
        <!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>Cité</p>\n<!-- /wp:paragraph --><cite>Elle</cite></blockquote>\n<!-- /wp:quote -->\n\n\
        <!-- wp:separator -->\n<hr class=\"wp-block-separator\"/>\n<!-- /wp:separator -->\n\n\
        <!-- wp:columns --><div class=\"wp-block-columns\"><!-- wp:column --><div class=\"wp-block-column\"><!-- wp:paragraph --><p>Gauche</p><!-- /wp:paragraph --></div><!-- /wp:column --><!-- wp:column --><div class=\"wp-block-column\"><!-- wp:group --><div class=\"wp-block-group\"><!-- wp:paragraph --><p>Droite</p><!-- /wp:paragraph --></div><!-- /wp:group --></div><!-- /wp:column --></div><!-- /wp:columns -->";
    assert_eq!(
        md(body),
        "### Titre {#plan}\n\nUn [lien](@/2025/sommet-ia.md#plan).\n\n- un\n- deux\n\n> Cité\n>\n> Elle\n\n---\n\nGauche\n\nDroite\n"
    );
}

#[test]
fn blocks_image_with_caption_is_a_figure_and_its_original_is_used() {
    let body = "<!-- wp:image {\"id\":10,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"https://old.example/wp-content/uploads/2025/02/sommet-1024x683.jpg\" alt=\"\" class=\"wp-image-10\"/><figcaption class=\"wp-element-caption\">Le <strong>sommet</strong></figcaption></figure>\n<!-- /wp:image -->";
    let out = convert(body);
    assert_eq!(
        out.markdown,
        "<figure>\n\n![Le Grand Palais](/uploads/2025/02/sommet.jpg)\n\n<figcaption>\n\nLe **sommet**\n\n</figcaption>\n</figure>\n"
    );
    assert_eq!(out.media, ["/uploads/2025/02/sommet.jpg"]);
}

#[test]
fn blocks_image_without_caption_and_from_its_attachment() {
    assert_eq!(
        md("<!-- wp:image {\"id\":11} /-->"),
        "![La scène](/uploads/2025/02/scene.png)\n"
    );
}

#[test]
fn blocks_gallery_from_inner_images_or_ids() {
    let nested = "<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery\"><!-- wp:image {\"id\":11} -->\n<figure class=\"wp-block-image\"><img src=\"https://old.example/wp-content/uploads/2025/02/scene-150x150.png\" alt=\"Scène\"/></figure>\n<!-- /wp:image --><!-- wp:image {\"id\":10} /--></figure>\n<!-- /wp:gallery -->";
    let out = convert(nested);
    assert!(
        out.markdown
            .starts_with("![Scène](/uploads/2025/02/scene.png)\n\n<figure>\n\n![Le Grand Palais]"),
        "{}",
        out.markdown
    );
    let old = md(
        "<!-- wp:gallery {\"ids\":[11,10]} -->\n<figure class=\"wp-block-gallery\"><ul><li>x</li></ul></figure>\n<!-- /wp:gallery -->",
    );
    assert!(
        old.starts_with("![La scène](/uploads/2025/02/scene.png)\n\n<figure>"),
        "{old}"
    );
}

#[test]
fn blocks_embeds_video_and_audio_are_urls_alone_on_their_line() {
    let body = "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=Kq7vT3mPz_A\",\"type\":\"video\",\"providerNameSlug\":\"youtube\"} -->\n<figure class=\"wp-block-embed is-type-video\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=Kq7vT3mPz_A\n</div><figcaption>Le discours</figcaption></figure>\n<!-- /wp:embed -->\n\n\
        <!-- wp:core-embed/vimeo {\"url\":\"https://vimeo.com/76979871\"} -->\n<figure><div>https://vimeo.com/76979871</div></figure>\n<!-- /wp:core-embed/vimeo -->\n\n\
        <!-- wp:embed {\"url\":\"https://x.com/kiosque/status/1889012345678901234\"} /-->\n\n\
        <!-- wp:video {\"id\":12} -->\n<figure class=\"wp-block-video\"><video controls src=\"https://old.example/wp-content/uploads/2025/02/clip.mp4\"></video></figure>\n<!-- /wp:video -->\n\n\
        <!-- wp:audio -->\n<figure class=\"wp-block-audio\"><audio controls src=\"https://cdn.example/ep12.mp3\"></audio></figure>\n<!-- /wp:audio -->";
    let out = convert(body);
    assert_eq!(
        out.markdown,
        "https://www.youtube.com/watch?v=Kq7vT3mPz_A\n\nLe discours\n\nhttps://vimeo.com/76979871\n\nhttps://x.com/kiosque/status/1889012345678901234\n\n{{ video(url=\"/uploads/2025/02/clip.mp4\") }}\n\nhttps://cdn.example/ep12.mp3\n"
    );
    assert_eq!(
        out.media,
        ["/uploads/2025/02/clip.mp4", "https://cdn.example/ep12.mp3"]
    );
    assert!(out.unconverted.is_empty());
}

#[test]
fn blocks_code_keeps_its_language_and_text() {
    let body = "<!-- wp:code -->\n<pre class=\"wp-block-code\"><code class=\"language-rust\">fn main() {\n    println!(\"&lt;{}&gt;\", 1);\n}</code></pre>\n<!-- /wp:code -->\n\n\
        <!-- wp:code {\"language\":\"python\"} -->\n<pre class=\"wp-block-code\"><code>print([gallery])</code></pre>\n<!-- /wp:code -->\n\n\
        <!-- wp:preformatted -->\n<pre class=\"wp-block-preformatted\">  a<br>  b</pre>\n<!-- /wp:preformatted -->";
    let out = convert(body);
    assert_eq!(
        out.markdown,
        "```rust\nfn main() {\n    println!(\"<{}>\", 1);\n}\n```\n\n```python\nprint([gallery])\n```\n\n```\n  a\n  b\n```\n"
    );
}

#[test]
fn blocks_table_cover_and_more() {
    let body = "<!-- wp:table -->\n<figure class=\"wp-block-table\"><table><thead><tr><th>Pays</th><th>Md€</th></tr></thead><tbody><tr><td>France</td><td>109</td></tr></tbody></table></figure>\n<!-- /wp:table -->\n\n\
        <!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n\
        <!-- wp:cover {\"url\":\"https://old.example/wp-content/uploads/2025/02/scene.png\",\"alt\":\"Scène\"} -->\n<div class=\"wp-block-cover\"><img class=\"wp-block-cover__image-background\" src=\"https://old.example/wp-content/uploads/2025/02/scene.png\"/><div class=\"wp-block-cover__inner-container\"><!-- wp:paragraph -->\n<p>Sur scène</p>\n<!-- /wp:paragraph --></div></div>\n<!-- /wp:cover -->";
    assert_eq!(
        md(body),
        "| Pays   | Md€ |\n| ------ | --- |\n| France | 109 |\n\n<!-- more -->\n\n![Scène](/uploads/2025/02/scene.png)\n\nSur scène\n"
    );
}

#[test]
fn unknown_blocks_are_kept_sanitised_and_reported() {
    let body = "<!-- wp:paragraph --><p>Avant</p><!-- /wp:paragraph -->\n\
        <!-- wp:calendar /-->\n\
        <!-- wp:acme/poll {\"id\":4} -->\n<div class=\"poll\" onclick=\"vote()\"><p>Vote</p>\n\n<script>steal()</script><a href=\"javascript:alert(1)\">oui</a></div>\n<!-- /wp:acme/poll -->";
    let out = convert(body);
    assert_eq!(out.unconverted, ["block:core/calendar", "block:acme/poll"]);
    assert_eq!(
        out.markdown,
        "Avant\n\n<div>\n<div><p>Vote</p>\n<a rel=\"noopener noreferrer\">oui</a></div>\n</div>\n"
    );
}

#[test]
fn block_parser_reads_nesting_void_blocks_and_stray_closers() {
    let out =
        md("<!-- /wp:paragraph --><!-- wp:paragraph -->\n<p>Seul</p>\n<!-- wp:separator /-->");
    assert_eq!(out, "Seul\n\n---\n");
}

#[test]
fn blocks_pullquote_nested_lists_lone_urls_and_shortcode_blocks() {
    let cases = [
        (
            "<!-- wp:pullquote -->\n<figure class=\"wp-block-pullquote\"><blockquote><p>Dire</p><cite>Lui</cite></blockquote></figure>\n<!-- /wp:pullquote -->",
            "> Dire\n>\n> Lui\n",
        ),
        (
            "<!-- wp:list {\"ordered\":true,\"start\":3} -->\n<ol start=\"3\"><!-- wp:list-item --><li>trois<!-- wp:list --><ul><!-- wp:list-item --><li>sous</li><!-- /wp:list-item --></ul><!-- /wp:list --></li><!-- /wp:list-item --></ol>\n<!-- /wp:list -->",
            "3. trois\n   - sous\n",
        ),
        (
            "<!-- wp:paragraph -->\n<p>https://www.youtube.com/watch?v=Kq7vT3mPz_A</p>\n<!-- /wp:paragraph -->",
            "https://www.youtube.com/watch?v=Kq7vT3mPz_A\n",
        ),
        (
            "<!-- wp:shortcode -->\n[gallery ids=\"11\"]\n<!-- /wp:shortcode -->",
            "![La scène](/uploads/2025/02/scene.png)\n",
        ),
        (
            "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">Avec <code>code</code> &amp; *étoiles*</h2>\n<!-- /wp:heading -->",
            "## Avec `code` & \\*étoiles\\*\n",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(md(body), expected, "{body}");
    }
}
