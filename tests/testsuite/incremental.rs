//! Incremental rebuilds (what `kiosque serve` does on each save): after every kind of change,
//! the files kept up to date by patches must be byte for byte those of a build from scratch,
//! while an ordinary edit renders only a few of them.

use std::fs;
use std::path::{Path, PathBuf};

use kiosque::output::Outputs;
use kiosque::serve::changes::update;
use kiosque::{BuildOptions, Project};

use crate::support::*;

/// A project being edited, with the outputs it has handed out so far.
struct Session {
    dir: tempfile::TempDir,
    options: BuildOptions,
    project: Project,
    outputs: Outputs,
}

impl Session {
    fn start(fixture: &str) -> Session {
        let dir = temp_site(fixture);
        let mut options = options(dir.path());
        options.drafts = true;
        let mut project = Project::load(&options).expect("loads");
        let mut outputs = Outputs::default();
        outputs.apply(project.render().expect("builds"));
        index_search(&mut project, &mut outputs);
        Session {
            dir,
            options,
            project,
            outputs,
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn edit(&self, relative: &str, change: impl FnOnce(String) -> String) {
        let path = self.path(relative);
        fs::write(&path, change(fs::read_to_string(&path).unwrap())).unwrap();
    }

    /// Tells the project what changed; returns the files written (rendered or copied).
    fn rebuild(&mut self, changed: &[&str]) -> Vec<String> {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        update(&mut self.project, &changed).expect("site.toml is fine");
        let patch = match self.project.render() {
            Ok(patch) => patch,
            Err(diagnostics) => panic!("rebuild failed: {diagnostics:#?}"),
        };
        let written = patch.files.iter().map(|(path, _)| path.clone()).collect();
        self.outputs.apply(patch);
        index_search(&mut self.project, &mut self.outputs);
        written
    }

    /// The outputs kept up to date must be exactly a fresh build's.
    fn assert_current(&self, step: &str) {
        let fresh = build_with(&self.options).outputs;
        let kept: Vec<&str> = self.outputs.paths().collect();
        let expected: Vec<&str> = fresh.paths().collect();
        assert_eq!(kept, expected, "{step}: the same files");
        for path in expected {
            assert!(
                self.outputs.read(path) == fresh.read(path),
                "{step}: {path} differs from a build from scratch:\n--- kept\n{}\n--- fresh\n{}",
                self.outputs.text(path).unwrap_or("(binary)"),
                fresh.text(path).unwrap_or("(binary)"),
            );
        }
    }
}

#[test]
fn every_kind_of_change_ends_as_a_build_from_scratch_would() {
    let mut session = Session::start("news");
    let total = session.outputs.len();
    let article = "content/2025/sommet.md";

    session.edit(article, |t| {
        t.replace("Texte sur la rentrée.", "Texte modifié.")
    });
    let written = session.rebuild(&[article]);
    session.assert_current("body edited");
    // Its page and the lists and feeds that show it; not the others.
    for path in [
        "2025/02/sommet/index.html",
        "index.html",
        "tags/europe/atom.xml",
    ] {
        assert!(written.iter().any(|w| w == path), "{path} in {written:?}");
    }
    // (The other articles list it among their related stories, so they are redone too.)
    for path in [
        "sitemap.xml",
        "tags/index.html",
        "404.html",
        "ancien/sommet/index.html",
        "style.css",
    ] {
        assert!(!written.iter().any(|w| w == path), "{path} in {written:?}");
    }

    session.edit(article, |t| {
        t.replace("Premier paragraphe", "Le premier paragraphe")
    });
    session.rebuild(&[article]);
    session.assert_current("summary edited");

    session.edit(article, |t| {
        t.replace("Sommet de l'IA à Paris", "Sommet renommé")
    });
    let written = session.rebuild(&[article]);
    session.assert_current("title edited (neighbours link to it)");
    assert!(
        written.iter().any(|w| w == "2025/02/rfc/index.html"),
        "{written:?}"
    );
    assert!(
        written.iter().any(|w| w == "ancien/sommet/index.html"),
        "{written:?}"
    );
    assert!(total > written.len());

    session.edit(article, |t| {
        t.replace("2025-02-11 18:30", "2025-02-09 08:00")
    });
    session.rebuild(&[article]);
    session.assert_current("date moved (lists reordered)");

    session.edit(article, |t| t.replace("\"Europe\"", "\"Diplomatie\""));
    session.rebuild(&[article]);
    session.assert_current("a tag replaced (old term gone, new one created)");

    session.edit(article, |t| {
        t.replace("aliases: [\"/ancien/sommet/\"]", "aliases: [\"/autre/\"]")
    });
    session.rebuild(&[article]);
    session.assert_current("an alias changed");

    let profile = "content/authors/camille-martin.md";
    session.edit(profile, |t| t.replace("Rédactrice en chef", "Directrice"));
    let written = session.rebuild(&[profile]);
    session.assert_current("an author profile edited");
    assert!(
        written
            .iter()
            .any(|w| w == "authors/camille-martin/index.html")
    );
    assert!(
        !written
            .iter()
            .any(|w| w.starts_with("authors/ines-benali/")),
        "{written:?}"
    );
    fs::write(
        session.path("content/authors/ines-benali.md"),
        "---\nname: Inès Benali-Roux\n---\n\nBio.\n",
    )
    .unwrap();
    session.rebuild(&["content/authors/ines-benali.md"]);
    session.assert_current("an author profile created, with a new name");
    fs::remove_file(session.path("content/authors/ines-benali.md")).unwrap();
    session.rebuild(&["content/authors/ines-benali.md"]);
    session.assert_current("an author profile deleted");

    fs::write(
        session.path("content/2025/nouveau.md"),
        "---\ntitle: Nouveau\ndate: 2025-02-12\ntags: [Europe]\n---\n\nTexte.\n",
    )
    .unwrap();
    session.rebuild(&["content/2025/nouveau.md"]);
    session.assert_current("an article created");

    fs::rename(
        session.path("content/2025/nouveau.md"),
        session.path("content/2025/renomme.md"),
    )
    .unwrap();
    session.rebuild(&["content/2025/nouveau.md", "content/2025/renomme.md"]);
    session.assert_current("an article renamed (new URL from the file name)");

    session.edit(article, |t| {
        t.replacen("---\n", "---\ntranslation_key: k\n", 1)
    });
    fs::write(
        session.path("content/2025/summit.md"),
        "---\ntitle: Summit\ndate: 2025-02-11\nlang: en\ntranslation_key: k\n---\n\nText.\n",
    )
    .unwrap();
    session.rebuild(&[article, "content/2025/summit.md"]);
    session.assert_current("a translation linked");
    session.edit("content/2025/summit.md", |t| {
        t.replace("Summit", "The summit")
    });
    let written = session.rebuild(&["content/2025/summit.md"]);
    session.assert_current("a translation retitled");
    assert!(
        written.iter().any(|w| w == "2025/02/sommet/index.html"),
        "{written:?}"
    );

    fs::remove_file(session.path("content/2025/ecole.md")).unwrap();
    session.rebuild(&["content/2025/ecole.md"]);
    session.assert_current("an article deleted");

    fs::create_dir_all(session.path("content/2026/dossier")).unwrap();
    fs::write(
        session.path("content/2026/dossier/a.md"),
        "---\ntitle: A\ndate: 2025-03-01\n---\n\nA.\n",
    )
    .unwrap();
    fs::write(
        session.path("content/2026/dossier/b.md"),
        "---\ntitle: B\ndate: 2025-03-02\n---\n\nB.\n",
    )
    .unwrap();
    session.rebuild(&["content/2026"]);
    session.assert_current("a folder of articles created");
    fs::rename(session.path("content/2026"), session.path("content/2027")).unwrap();
    session.rebuild(&["content/2026", "content/2027"]);
    session.assert_current("a folder of articles renamed");
    fs::remove_dir_all(session.path("content/2027")).unwrap();
    session.rebuild(&["content/2027"]);
    session.assert_current("a folder of articles deleted");

    fs::create_dir_all(session.path("templates/partials")).unwrap();
    fs::write(
        session.path("templates/partials/card.html"),
        "<article class=\"card\"><a href=\"{{ article.url }}\">{{ article.title }}</a></article>",
    )
    .unwrap();
    let written = session.rebuild(&["templates/partials/card.html"]);
    session.assert_current("a list partial overridden");
    assert!(written.iter().any(|w| w == "index.html"), "{written:?}");
    assert!(
        !written.iter().any(|w| w.starts_with("2025/02/")),
        "article pages do not use cards and are not rendered again: {written:?}"
    );

    fs::create_dir_all(session.path("i18n")).unwrap();
    fs::write(
        session.path("i18n/fr.toml"),
        "related = \"Sur le même sujet\"\n",
    )
    .unwrap();
    session.rebuild(&["i18n/fr.toml"]);
    session.assert_current("a theme string overridden by the site");

    fs::write(session.path("static/extra.css"), "p { margin: 0 }\n").unwrap();
    let written = session.rebuild(&["static/extra.css"]);
    session.assert_current("a static file added");
    assert_eq!(
        written,
        ["extra.css"],
        "a static file is copied, nothing rendered"
    );
    fs::remove_file(session.path("static/extra.css")).unwrap();
    session.rebuild(&["static/extra.css"]);
    session.assert_current("a static file deleted");

    session.edit("site.toml", |t| {
        t.replace("paginate_by = 2", "paginate_by = 3")
    });
    session.rebuild(&["site.toml"]);
    session.assert_current("site.toml changed");
}

#[test]
fn templates_used_by_bodies_render_those_bodies_again() {
    let mut session = Session::start("embeds");
    fs::create_dir_all(session.path("templates/embeds")).unwrap();
    let player = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/embeds/player.html"),
    )
    .unwrap();
    fs::write(
        session.path("templates/embeds/player.html"),
        format!("<div class=\"changed-player\"></div>{player}"),
    )
    .unwrap();
    session.rebuild(&["templates/embeds/player.html"]);
    session.assert_current("the player template overridden");
    assert!(
        session
            .outputs
            .paths()
            .filter_map(|p| session.outputs.text(p))
            .any(|t| t.contains("changed-player")),
        "the new player is in the pages"
    );
}

#[test]
fn a_broken_save_keeps_nothing_half_done_and_the_fix_catches_up() {
    let mut session = Session::start("news");
    let article = "content/2025/sommet.md";
    let served = session.outputs.clone();
    session.edit(article, |t| t.replace("title: \"Sommet", "title: [Sommet"));
    update(&mut session.project, &[PathBuf::from(article)]).unwrap();
    let errors = session
        .project
        .render()
        .expect_err("the front matter is broken");
    assert!(
        errors
            .iter()
            .any(|d| d.location.path == Path::new(article) && d.location.line == Some(2)),
        "{errors:#?}"
    );
    assert_eq!(
        session.outputs.paths().collect::<Vec<_>>(),
        served.paths().collect::<Vec<_>>()
    );
    // Another article changes while this one is broken; then the fix comes.
    session.edit("content/2025/ecole.md", |t| {
        t.replace("Premier", "Tout premier")
    });
    update(
        &mut session.project,
        &[PathBuf::from("content/2025/ecole.md")],
    )
    .unwrap();
    assert!(session.project.render().is_err(), "still broken");
    session.edit(article, |t| t.replace("title: [Sommet", "title: \"Sommet"));
    session.rebuild(&[article]);
    session.assert_current("fixed after another edit");

    // A broken site.toml: nothing can be built, whatever changes next, until it is fixed.
    let config = fs::read_to_string(session.path("site.toml")).unwrap();
    fs::write(session.path("site.toml"), "title = \n").unwrap();
    assert!(update(&mut session.project, &[PathBuf::from("site.toml")]).is_err());
    session.edit(article, |t| {
        t.replace("Texte sur la rentrée.", "Texte revu.")
    });
    assert!(
        update(&mut session.project, &[PathBuf::from(article)]).is_err(),
        "an article saved meanwhile does not hide the broken site.toml"
    );
    fs::write(session.path("site.toml"), config).unwrap();
    session.rebuild(&["site.toml"]);
    session.assert_current("site.toml fixed");
}

#[test]
fn articles_moving_between_languages_end_as_a_build_from_scratch_would() {
    let mut session = Session::start("news");
    session.edit("site.toml", |t| {
        format!("{t}\n[languages.en]\ntitle = \"In English\"\n")
    });
    session.rebuild(&["site.toml"]);
    session.assert_current("a language added");
    assert!(session.outputs.contains("/en/2025/02/rfc/"));

    let article = "content/2025/ecole.md";
    session.edit(article, |t| t.replacen("---\n", "---\nlang: en\n", 1));
    session.rebuild(&[article]);
    session.assert_current("an article moved to English");
    assert!(session.outputs.contains("/en/2025/02/ecole/"));
    assert!(!session.outputs.contains("/2025/02/ecole/"));

    session.edit("content/2025/rfc.md", |t| {
        t.replace("Second paragraph.", "Changed.")
    });
    let written = session.rebuild(&["content/2025/rfc.md"]);
    session.assert_current("an English article edited");
    assert!(
        written.iter().all(|w| w.starts_with("en/")),
        "only the English part is redone: {written:?}"
    );

    session.edit(article, |t| t.replace("lang: en\n", ""));
    session.rebuild(&[article]);
    session.assert_current("an article moved back to French");
}
