//! Unit tests of the Markdown stage, through [`render`] as the build calls it.

use super::anchors::Ids;
use super::problems::MAX_ERRORS;
use super::*;
use crate::embeds;

#[test]
fn heading_ids_count_on_from_the_last_taken() {
    let mut ids = Ids::default();
    ids.used.insert("a-1".to_string());
    let taken: Vec<String> = (0..4).map(|_| ids.unique("a")).collect();
    assert_eq!(taken, ["a", "a-2", "a-3", "a-4"]);
    assert_eq!(ids.unique("a-2"), "a-2-1");
}

/// Renders embeds as a marker with their player URL, and one shortcode of its own.
struct Plain;

impl Snippets for Plain {
    fn embed(&self, embed: &Embed, _: &str) -> Result<String, String> {
        let player = embed.links().player.unwrap_or_default();
        Ok(format!(
            "<figure class=\"embed__facade\" data-src=\"{}\"></figure>",
            crate::html::escape(&player)
        ))
    }

    fn shortcode(&self, call: &Call, _: &str, nth: usize) -> Option<Result<String, String>> {
        match call.name.as_str() {
            "note" => Some(Ok(format!("<b>note {nth}</b>"))),
            "broken" => Some(Err("it broke".to_string())),
            name => {
                let provider = embeds::Provider::from_name(name)?;
                Some(
                    embeds::Options::from_args(&call.args)
                        .and_then(|o| embeds::resolve(Some(provider), o))
                        .and_then(|e| self.embed(&e, "fr")),
                )
            }
        }
    }
}

fn render_md(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
    render(&Input {
        path: Path::new("content/a.md"),
        body,
        body_line: 5,
        base_path: "/news/",
        lang: "fr",
        snippets: &Plain,
        highlighter: None,
        french_spacing: false,
        safe: false,
        targets: &Targets::new(),
    })
}

#[test]
fn shortcodes_render_inline_or_as_blocks() {
    let out = render_md(
        "Intro {{ note() }} and {{note()}}.\n\n{{ youtube(id=\"dQw4w9WgXcQ\", start=90) }}\n\nEnd.\n",
    )
    .unwrap();
    assert!(
        out.html
            .starts_with("<p>Intro <b>note 1</b> and <b>note 2</b>.</p>\n<figure"),
        "{}",
        out.html
    );
    assert!(out.html.contains("start=90"), "{}", out.html);
    assert!(!out.html.contains("<p><figure"), "{}", out.html);
    assert!(!out.html.contains('\u{1a}'));
}

#[test]
fn shortcodes_in_code_are_text() {
    let out = render_md(
        "Use `{{ note() }}` here.\n\n```md\n{{ note() }}\n{{ youtube(id=\"bad\") }}\n```\n\n    {{ note() }}\n",
    )
    .unwrap();
    assert!(!out.html.contains("<b>"), "{}", out.html);
    assert_eq!(out.html.matches("{{ note() }}").count(), 3, "{}", out.html);
}

#[test]
fn shortcodes_in_lines_of_a_paragraph_and_in_html() {
    let out = render_md(
        "Line one *{{ note() }}*\n{{ note() }}\nline three\n\n<div class=\"x\">{{ note() }}</div>\n",
    )
    .unwrap();
    assert!(
        out.html
            .contains("<p>Line one <em><b>note 1</b></em></p>\n<b>note 2</b>\n<p>line three</p>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<div class=\"x\"><b>note 3</b></div>"),
        "{}",
        out.html
    );
}

#[test]
fn literal_shortcodes_are_shown_escaped() {
    let out = render_md("Write {{/* youtube(id=\"<x>\") */}} to embed.\n").unwrap();
    assert!(
        out.html
            .contains("Write {{ youtube(id=\"&lt;x&gt;\") }} to embed."),
        "{}",
        out.html
    );
}

#[test]
fn every_bad_call_is_reported_with_its_position() {
    let errors = render_md(
        "Text.\n\n{{ nope() }}\n\nA {{ broken() }} and {{ youtube(id=\"x\") }}.\n\n{{ note(a=) }}\n",
    )
    .unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with("content/a.md:11:11: error: malformed"),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with("content/a.md:7:4: error: unknown shortcode `nope`"),
        "{shown:#?}"
    );
    assert!(
        shown[2].starts_with("content/a.md:9:6: error: shortcode `broken`: it broke"),
        "{shown:#?}"
    );
    assert!(
        shown[3].starts_with(
            "content/a.md:9:25: error: shortcode `youtube`: `x` is not a YouTube video id"
        ),
        "{shown:#?}"
    );
}

#[test]
fn calls_stay_in_order_next_to_links_and_images() {
    // An address cannot hold spaces: a call written as one stays text, so every call is met
    // in the order written.
    let out = render_md("[lien]({{ note() }}) et {{ note() }}.\n").unwrap();
    assert_eq!(out.html, "<p>[lien](<b>note 1</b>) et <b>note 2</b>.</p>\n");
    let out =
        render_md("[lien](https://a.b/) {{ note() }} et ![i](/x.png) {{ note() }}.\n").unwrap();
    assert!(out.html.contains("<b>note 1</b> et <img"), "{}", out.html);
    assert!(out.html.contains("<b>note 2</b>."), "{}", out.html);
    let out = render_md("![alt {{ note() }}](/x.png)\n").unwrap();
    assert!(
        !out.html.contains("<b>"),
        "no markup inside an attribute: {}",
        out.html
    );
}

#[test]
fn calls_markdown_cannot_leave_whole_are_reported_not_lost() {
    // The backtick in the first call opens a code span that ends after the call.
    let errors = render_md("A {{ note(x=\"`\") }} B `y` C {{ note() }}.\n").unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert!(
        shown[0].starts_with("content/a.md:5:6: error: shortcode `note` cannot be read whole"),
        "{shown:#?}"
    );
    let errors = render_md("Text {{ note(x=1,\n\ny=2) }} end.\n").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .contains("5:9: error: shortcode `note` cannot be read whole"),
        "{}",
        errors[0]
    );
}

#[test]
fn calls_in_addresses_are_reported_not_lost() {
    let errors = render_md("[l](<{{ note() }}>) then {{ note() }}\n").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .contains("5:9: error: shortcode `note` cannot be used here"),
        "{}",
        errors[0]
    );
    let errors = render_md("![a]({{note()}}) <https://a.fr/{{note()}}>\n").unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    assert!(
        shown[0].contains("5:8: error: shortcode `note` cannot be used"),
        "{shown:#?}"
    );
    assert!(
        shown[1].contains("5:34: error: shortcode `note` cannot be used"),
        "{shown:#?}"
    );
}

#[test]
fn a_call_keeps_its_place_across_the_events_of_its_text() {
    // Quotes, underscores, a backtick string and markup in the arguments: all one call.
    let out = render_md(
        "« {{ note(t=\"l'a \\\"x\\\" _a_ *b*\", raw=`c`, l=[1, 2]) }} » et {{ note() }}\n",
    )
    .unwrap();
    assert_eq!(out.html, "<p>« <b>note 1</b> » et <b>note 2</b></p>\n");
    let out =
        render_md("{{ note(\n  t=\"a\",\n) }}\n\n<div>\n{{ note(\nt=1) }}\n</div>\n").unwrap();
    assert_eq!(out.html, "<b>note 1</b><div>\n<b>note 2</b>\n</div>\n");
}

#[test]
fn a_call_glued_to_a_url_is_no_embed() {
    let out = render_md("https://youtu.be/dQw4w9WgXcQ{{ note() }}\n").unwrap();
    assert_eq!(
        out.html,
        "<p>https://youtu.be/dQw4w9WgXcQ<b>note 1</b></p>\n"
    );
}

#[test]
fn calls_in_html_comments_are_left_alone() {
    let out = render_md(
        "<!-- {{ nope() }}\n{{ nope() }} -->\n\nText <!-- {{ nope() }} --> {{ note() }}.\n",
    )
    .unwrap();
    assert!(
        out.html.contains("<!-- {{ nope() }}\n{{ nope() }} -->"),
        "{}",
        out.html
    );
    assert!(out.html.contains("<b>note 1</b>"), "{}", out.html);
}

#[test]
fn lone_lines_work_after_hard_breaks_and_in_quotes() {
    let out = render_md("Intro  \n{{ youtube(id=\"dQw4w9WgXcQ\") }}\nAfter  \nnext\n\n> Quote\n>\n> https://youtu.be/dQw4w9WgXcQ\n").unwrap();
    assert!(
        out.html.starts_with("<p>Intro</p>\n<figure"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<p>After<br />\nnext</p>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<blockquote>\n<p>Quote</p>\n<figure"),
        "{}",
        out.html
    );
    assert!(!out.html.contains("<p><figure"), "{}", out.html);
}

#[test]
fn lone_urls_keep_dashes_and_quotes() {
    let out = render_md("https://example.org/a--b/it's\n").unwrap();
    assert!(
        out.html.contains(
            "<a href=\"https://example.org/a--b/it&#x27;s\">https://example.org/a--b/it's</a>"
        ),
        "{}",
        out.html
    );
}

#[test]
fn hostile_calls_give_a_report_and_output_bounded_by_the_input() {
    let unclosed = "{{/*x*/ ".repeat(50_000);
    let errors = render_md(&unclosed).unwrap_err();
    assert_eq!(errors.len(), 1, "one unclosed literal reported");
    let broken = "{{ note(1 ".repeat(50_000);
    let errors = render_md(&broken).unwrap_err();
    assert_eq!(errors.len(), MAX_ERRORS + 1);
    assert!(
        errors[MAX_ERRORS]
            .to_string()
            .contains("the first 50 are shown")
    );
    // Each call renders once, where it is: the page grows with the body, no more.
    let calls = "{{ note() }} ".repeat(20_000);
    let out = render_md(&calls).unwrap();
    assert_eq!(out.html.matches("<b>note ").count(), 20_000);
    assert!(out.html.len() < 2 * calls.len(), "{} bytes", out.html.len());
    assert_eq!(out.written.len(), 20_000);
}

#[test]
fn written_links_images_and_calls_keep_their_place() {
    let body = "Été : [lien](/a/) et ![photo é](/i.png \"t\")\r\n\r\n\
                {{ note() }} puis [réf][r] <https://e.org/x>\r\n\r\n\
                https://youtu.be/dQw4w9WgXcQ\r\n\r\n\
                [r]: /ref/\r\n";
    let out = render_md(body).unwrap();
    let found: Vec<(WrittenKind, &str, Option<&str>, String)> = out
        .written
        .iter()
        .map(|w| {
            let at = w.location.to_string();
            (w.kind, w.target.as_str(), w.alt.as_deref(), at)
        })
        .collect();
    let at = |place: &str| format!("content/a.md:{place}");
    assert_eq!(
        found,
        [
            (WrittenKind::Link, "/a/", None, at("5:14")),
            (WrittenKind::Image, "/i.png", Some("photo é"), at("5:33")),
            (WrittenKind::Shortcode, "note", None, at("7:1")),
            (WrittenKind::Link, "https://e.org/x", None, at("7:29")),
            (
                WrittenKind::Embed,
                "https://youtu.be/dQw4w9WgXcQ",
                None,
                at("9:1")
            ),
            (WrittenKind::Link, "/ref/", None, at("11:6")),
        ]
    );
    assert!(out.written.iter().all(|w| !w.html));
}

#[test]
fn written_raw_html_links_and_images_keep_their_place() {
    let out = render_md(
        "<figure>\r\n<img src=\"/é.png\" alt=\"Vue\">\r\n<!-- <a href=\"/non/\">\r\n-->\r\n</figure>\r\n\r\n\
         Texte <a href='/x/'>x</a> {{ note() }} <img src=/y.png>\r\n",
    )
    .unwrap();
    let found: Vec<(WrittenKind, &str, Option<&str>, String, bool)> = out
        .written
        .iter()
        .map(|w| {
            let at = w.location.to_string();
            (w.kind, w.target.as_str(), w.alt.as_deref(), at, w.html)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                WrittenKind::Image,
                "/é.png",
                Some("Vue"),
                "content/a.md:6:11".to_string(),
                true
            ),
            (
                WrittenKind::Link,
                "/x/",
                None,
                "content/a.md:11:16".to_string(),
                true
            ),
            (
                WrittenKind::Shortcode,
                "note",
                None,
                "content/a.md:11:27".to_string(),
                false
            ),
            (
                WrittenKind::Image,
                "/y.png",
                None,
                "content/a.md:11:49".to_string(),
                true
            ),
        ]
    );
    assert!(out.html.contains("src=\"/news/é.png\""), "{}", out.html);
}

#[test]
fn written_addresses_in_links_around_images_and_on_later_lines() {
    let out = render_md(
        "[![badge](/b.svg)](@/2025/x.md#y)\nsuite [a](\n  <https://e.org/a b>)\nhttps://e.org/c.\n",
    )
    .unwrap();
    let found: Vec<(&str, String)> = out
        .written
        .iter()
        .map(|w| (w.target.as_str(), w.location.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("/b.svg", "content/a.md:5:11".to_string()),
            ("@/2025/x.md#y", "content/a.md:5:20".to_string()),
            ("https://e.org/a b", "content/a.md:7:4".to_string()),
            ("https://e.org/c", "content/a.md:8:1".to_string()),
        ]
    );
    assert_eq!(
        out.internal_links[0].location.to_string(),
        "content/a.md:5:1"
    );
    assert_eq!(out.hints.len(), 0);
}

#[test]
fn text_that_looks_like_templates_is_kept() {
    let out = render_md("Vue writes {{ message }} and {{ a | b }}.\n").unwrap();
    assert!(
        out.html.contains("{{ message }} and {{ a | b }}"),
        "{}",
        out.html
    );
}

#[test]
fn anchors_fold_accents_and_number_duplicates() {
    let out = render_md(
        "## Éducation nationale\n\n## Contexte\n\n## Contexte\n\n### Détails {#custom}\n",
    )
    .unwrap();
    let ids: Vec<_> = out.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["education-nationale", "contexte", "contexte-1", "custom"]
    );
    assert!(out.html.contains("<h2 id=\"contexte-1\">Contexte</h2>"));
    assert_eq!(out.toc[3].level, 3);
}

#[test]
fn extensions_are_enabled() {
    let out = render_md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: Footnote.\n").unwrap();
    assert!(out.html.contains("<table>"));
    assert!(out.html.contains("<del>old</del>"));
    assert!(out.html.contains("“quoted”"));
    assert!(out.html.contains("type=\"checkbox\""));
    assert!(out.html.contains("footnote-definition"));
}

#[test]
fn summary_is_text_before_more_marker() {
    let out = render_md("First para.\n\nSecond para.\n\n<!-- more -->\n\nRest.\n").unwrap();
    assert_eq!(
        out.summary.as_deref(),
        Some("<p>First para.</p>\n<p>Second para.</p>\n")
    );
    assert_eq!(out.first_paragraph.as_deref(), Some("<p>First para.</p>\n"));
}

#[test]
fn lone_youtube_url_becomes_an_embed_but_inline_one_does_not() {
    let out = render_md(
        "Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ?t=42\n\nSee https://youtu.be/dQw4w9WgXcQ too.\n",
    )
    .unwrap();
    assert_eq!(out.html.matches("embed__facade").count(), 1);
    assert!(out.html.contains("start=42"));
    assert!(!out.html.contains("<p><figure"));
    assert!(out.html.contains("See https://youtu.be/dQw4w9WgXcQ too."));
}

#[test]
fn ids_with_underscores_and_dashes_survive_smart_punctuation() {
    let out = render_md("https://www.youtube.com/watch?v=ab_c--d_e-f\n").unwrap();
    assert!(out.html.contains("embed/ab_c--d_e-f"), "{}", out.html);
}

#[test]
fn other_lone_urls_become_links() {
    let out =
        render_md("Source :\nhttps://www.elysee.fr/sommet?a=1&b=2\n\nhttps://example.org/x_y_z\n")
            .unwrap();
    assert!(
        out.html.contains("<p>Source :\n<a href=\"https://www.elysee.fr/sommet?a=1&amp;b=2\">https://www.elysee.fr/sommet?a=1&amp;b=2</a></p>"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<a href=\"https://example.org/x_y_z\">"),
        "{}",
        out.html
    );
}

#[test]
fn url_line_inside_a_paragraph_splits_it() {
    let out = render_md("Intro.\nhttps://youtu.be/dQw4w9WgXcQ\nSuite *ici*.\n").unwrap();
    assert_eq!(out.html.matches("embed__facade").count(), 1, "{}", out.html);
    assert!(
        out.html.starts_with("<p>Intro.</p>\n<figure"),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<p>Suite <em>ici</em>.</p>"),
        "{}",
        out.html
    );
    assert_eq!(out.first_paragraph.as_deref(), Some("<p>Intro.</p>\n"));
}

#[test]
fn first_paragraph_follows_a_leading_embed() {
    let out = render_md("https://youtu.be/dQw4w9WgXcQ\n\nFirst words.\n").unwrap();
    assert_eq!(
        out.first_paragraph.as_deref(),
        Some("<p>First words.</p>\n")
    );
}

#[test]
fn invalid_embed_points_at_its_line() {
    let errors = render_md("Intro.\n\nhttps://www.youtube.com/watch?v=nope\n").unwrap_err();
    assert_eq!(errors[0].location.to_string(), "content/a.md:7:1");
}

#[test]
fn root_relative_links_get_the_base_path() {
    let out =
        render_md("[a](/2025/x/) [b](//cdn.example/x) [c](https://e.org/) ![i](/images/a.png)\n")
            .unwrap();
    assert!(out.html.contains("href=\"/news/2025/x/\""));
    assert!(out.html.contains("href=\"//cdn.example/x\""));
    assert!(out.html.contains("src=\"/news/images/a.png\""));
    let raw = render_md(
        "<figure><img src=\"/images/raw.png\" alt=\"\"></figure>\n\nText <a href=\"/x/\">x</a>.\n",
    )
    .unwrap();
    assert!(
        raw.html.contains("src=\"/news/images/raw.png\""),
        "{}",
        raw.html
    );
    assert!(raw.html.contains("href=\"/news/x/\""), "{}", raw.html);
}

#[test]
fn word_count_follows_words_not_events() {
    let out = render_md("l'a l'a l'a \"x\" **gras**é d--e `code`\n").unwrap();
    assert_eq!(out.word_count, 7);
}

#[test]
fn footnotes_cannot_collide_with_headings_or_theme_ids() {
    let out =
        render_md("## 1\n\nText[^1] and[^main].\n\n<!-- more -->\n\n[^1]: One.\n[^main]: Main.\n")
            .unwrap();
    assert!(out.html.contains("<h2 id=\"1\">"), "{}", out.html);
    assert!(out.html.contains("id=\"fn-1\""), "{}", out.html);
    assert!(out.html.contains("href=\"#fn-main\""), "{}", out.html);
    assert!(!out.html.contains("id=\"main\""), "{}", out.html);
    assert!(!out.summary.unwrap().contains("footnote-reference"));
}

#[test]
fn word_count_skips_code() {
    let out = render_md("One two three.\n\n```rust\nlet a = b;\n```\n").unwrap();
    assert_eq!(out.word_count, 3);
    assert_eq!(out.reading_time(), 1);
}

#[test]
fn written_places_are_those_check_reports_in_its_fixture() {
    let file = include_str!("../../tests/fixtures/check/content/2025/liens.md");
    // Front matter on lines 1 to 4, the body from line 5.
    let body = file.splitn(3, "---\n").nth(2).unwrap();
    let out = render(&Input {
        path: Path::new("content/2025/liens.md"),
        body,
        body_line: 5,
        base_path: "/",
        lang: "fr",
        snippets: &Plain,
        highlighter: None,
        french_spacing: true,
        safe: false,
        targets: &Targets::new(),
    })
    .unwrap();
    let place = |target: &str| {
        let written = out.written.iter().find(|w| w.target == target).unwrap();
        let location = &written.location;
        (location.line.unwrap(), location.column.unwrap())
    };
    assert_eq!(place("/2025/01/nexiste-pas/"), (8, 17));
    assert_eq!(place("/2025/02/sommet-ia/#budget"), (8, 62));
    assert_eq!(place("/images/absente.png"), (12, 14));
    assert_eq!(place("/images/photo.svg"), (14, 11));
    assert_eq!(
        out.hints[0].location.to_string(),
        "content/2025/liens.md:10:1"
    );
}
