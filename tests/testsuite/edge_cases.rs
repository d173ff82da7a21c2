//! Inputs a newsroom hits sooner or later, each written as a tiny site in a temporary folder:
//! outputs claimed twice, static files with odd names, tags that differ by a symbol, errors
//! from several stages in one run.

use std::fs;
use std::path::Path;

use crate::support::*;

const SITE_TOML: &str = "title = \"Edge\"\nbase_url = \"https://edge.example/\"\nlanguage = \"fr\"\n\
                         timezone = \"Europe/Paris\"\nauthor = \"Rédaction\"\n";

/// A site made of `site.toml` (unless given) and the files listed, relative to its root.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "site.toml", SITE_TOML);
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create folders");
    fs::write(&path, text).expect("write file");
}

fn article(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\nCorps de l'article.\n")
}

fn assert_reported(diagnostics: &[String], prefix: &str, part: &str) {
    assert!(
        diagnostics
            .iter()
            .any(|d| d.starts_with(prefix) && d.contains(part)),
        "expected a diagnostic starting with {prefix:?} and containing {part:?} in {diagnostics:#?}"
    );
}

#[test]
fn an_alias_cannot_take_a_feed_or_another_articles_url() {
    let dir = site(&[
        (
            "content/a.md",
            &article(
                "A",
                "2025-02-11",
                "aliases: [\"/rss.xml\", \"/2025/02/b\"]\n",
            ),
        ),
        ("content/b.md", &article("B", "2025-02-10", "")),
    ]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(
        &diagnostics,
        "content/a.md:4:",
        "https://edge.example/rss.xml",
    );
    assert_reported(&diagnostics, "content/a.md:4:", "content/b.md");
}

#[test]
fn a_static_file_cannot_replace_a_generated_page() {
    let dir = site(&[
        ("content/a.md", &article("A", "2025-02-11", "")),
        ("static/index.html", "<p>hand-made home</p>"),
    ]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(
        &diagnostics,
        "static/index.html: error:",
        "a page the site generates",
    );
}

#[test]
fn static_files_keep_their_exact_names_and_dotfiles_but_not_editor_litter() {
    let dir = site(&[
        ("content/a.md", &article("A", "2025-02-11", "")),
        ("static/CNAME", "news.example.org\n"),
        ("static/.nojekyll", ""),
        (
            "static/.well-known/security.txt",
            "Contact: mailto:security@example.org\n",
        ),
        ("static/notes.txt~", "backup"),
    ]);
    let built = build_with(&options(dir.path()));
    assert_eq!(
        built.outputs.read("CNAME").as_deref(),
        Some(b"news.example.org\n".as_slice())
    );
    assert!(built.outputs.has_file(".nojekyll"));
    assert!(built.outputs.has_file(".well-known/security.txt"));
    assert!(built.outputs.paths().all(|p| !p.ends_with('~')));
}

#[test]
fn tags_that_differ_by_a_symbol_stay_apart() {
    let dir = site(&[
        ("content/c.md", &article("C", "2025-02-11", "tags: [C]\n")),
        (
            "content/cpp.md",
            &article("Cpp", "2025-02-12", "tags: [\"C++\"]\n"),
        ),
        (
            "content/cs.md",
            &article("Cs", "2025-02-13", "tags: [\"C#\"]\n"),
        ),
    ]);
    let built = build_with(&options(dir.path()));
    for tag in ["tags/c/", "tags/c-plus-plus/", "tags/c-sharp/"] {
        let html = page(&built, &format!("{tag}index.html"));
        assert_eq!(
            all(&html, "article.card").len(),
            1,
            "{tag} lists one article"
        );
    }
}

#[test]
fn uppercase_markdown_extension_is_an_article() {
    let dir = site(&[("content/Annonce.MD", &article("Annonce", "2025-02-11", ""))]);
    let built = build_with(&options(dir.path()));
    assert_eq!(built.site.articles.len(), 1);
    assert!(built.outputs.contains("/2025/02/annonce/"));
}

#[test]
fn one_run_reports_front_matter_url_and_template_errors_together() {
    let dir = site(&[
        ("content/a.md", &article("A", "2025-02-11", "slug: meme\n")),
        ("content/b.md", &article("B", "2025-02-12", "slug: meme\n")),
        ("content/c.md", &article("C", "2025-02-30", "")),
        (
            "templates/article.html",
            "<h1>{{ article.title }}</h1>\n{{ article.nope.deeper }}\n",
        ),
    ]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(&diagnostics, "content/c.md:3:", "2025-02-30");
    assert_reported(
        &diagnostics,
        "content/",
        "https://edge.example/2025/02/meme/",
    );
    assert_reported(&diagnostics, "templates/article.html:2:", "template error");
}

#[test]
fn wrong_shapes_get_messages_a_writer_understands() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "A",
            "2025-02-11",
            "image:\n  alt: Sans source\ndate_de_sortie: [1]\n",
        ),
    )]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(&diagnostics, "content/a.md:4:", "expected `src`");
    assert!(
        diagnostics
            .iter()
            .all(|d| !d.contains("RawImage") && !d.contains("untagged"))
    );
}

#[test]
fn a_single_tag_or_author_needs_no_list() {
    let dir = site(&[(
        "content/a.md",
        &article("A", "2025-02-11", "tags: IA\nauthors: Jean Dupont\n"),
    )]);
    let built = build_with(&options(dir.path()));
    assert!(built.outputs.contains("/tags/ia/"));
    assert!(built.outputs.contains("/authors/jean-dupont/"));
}

#[test]
fn raw_html_in_markdown_gets_the_base_path_and_absolute_feed_links() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-02-11\n---\n\n<figure><img src=\"/images/raw.png\" alt=\"Schéma\"></figure>\n",
    )]);
    let mut options = options(dir.path());
    options.base_url = Some("https://user.github.io/news/".to_string());
    let built = build_with(&options);
    let html = built
        .outputs
        .text("2025/02/a/index.html")
        .expect("article page");
    assert!(html.contains("src=\"/news/images/raw.png\""));
    let atom = built.outputs.text("atom.xml").expect("atom feed");
    assert!(atom.contains("https://user.github.io/news/images/raw.png"));
}

#[test]
fn atom_feed_names_an_author_even_when_articles_have_none() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "site.toml",
        "title = \"Sans auteur\"\nbase_url = \"https://a.example/\"\n",
    );
    write(dir.path(), "content/a.md", &article("A", "2025-02-11", ""));
    let built = build_with(&options(dir.path()));
    let feed = feed(&built, "atom.xml");
    assert!(
        !feed.authors.is_empty(),
        "Atom requires an author for every entry"
    );
}

#[test]
fn a_media_url_on_its_own_line_inside_a_paragraph_becomes_a_player() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-02-11\n---\n\nAvant la vidéo.\nhttps://youtu.be/dQw4w9WgXcQ?t=1m30\nAprès la vidéo.\n",
    )]);
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/a/index.html");
    let facade = one(&html, ".prose .embed__facade");
    let player = facade.value().attr("data-embed-src").expect("player URL");
    assert_eq!(
        player,
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=90"
    );
    let paragraphs = texts(&html, ".prose p");
    assert_eq!(paragraphs, ["Avant la vidéo.", "Après la vidéo."]);
}

#[test]
fn an_alias_to_the_articles_own_url_is_reported_not_written_over_it() {
    let dir = site(&[(
        "content/a.md",
        &article("A", "2025-02-11", "aliases: [\"/2025/02/a/\"]\n"),
    )]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(
        &diagnostics,
        "content/a.md:4:",
        "https://edge.example/2025/02/a/",
    );
}

#[test]
fn an_author_named_twice_is_credited_once() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "A",
            "2025-02-11",
            "author: Jean Dupont\nauthors: [Jean Dupont]\n",
        ),
    )]);
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/02/a/index.html");
    assert_eq!(all(&html, "a[rel=author]").len(), 1);
}

#[test]
fn a_permalink_cannot_leave_the_output_folder() {
    let dir = site(&[("content/a.md", &article("A", "2025-02-11", ""))]);
    let toml = format!("{SITE_TOML}permalink = \"/../:slug/\"\n");
    write(dir.path(), "site.toml", &toml);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(&diagnostics, "site.toml:6:", "plain path");
}

#[test]
fn a_failed_build_still_shows_its_warnings() {
    let dir = site(&[
        (
            "content/a.md",
            &article("A", "2025-02-11", "slug: ../../a\n"),
        ),
        (
            "content/b.md",
            "---\ndate: 2025-02-10\n---\n\nSans titre.\n",
        ),
    ]);
    let diagnostics = diagnostics(&options(dir.path()));
    assert_reported(
        &diagnostics,
        "content/a.md:4:",
        "warning: `slug: ../../a` is not a slug",
    );
    assert_reported(
        &diagnostics,
        "content/b.md:",
        "error: missing required front matter field `title`",
    );
    let output = kiosque(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(
        stderr(&output).contains("1 error found"),
        "{}",
        stderr(&output)
    );
}
