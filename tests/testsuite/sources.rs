//! Source files as editors save them: BOM, CRLF line endings, the accepted date forms.

use std::fs;

use crate::support::*;

const WINDOWS_FILE: &str = "\u{feff}---\r\ntitle: Fichier Windows\r\ndate: \"2025-03-03 14:05\"\r\ntags: [\"Fin de ligne\"]\r\n---\r\n\r\nCorps **enregistré** sous Windows.\r\n\r\n## Première partie\r\n\r\nTexte.\r\n\r\n## Seconde partie\r\n\r\nFin.\r\n";

#[test]
fn bom_and_crlf_file_parses() {
    let dir = temp_site("minimal");
    fs::write(dir.path().join("content/2025/windows.md"), WINDOWS_FILE).unwrap();
    let built = build_with(&options(dir.path()));
    let html = page(&built, "2025/03/windows/index.html");
    assert_eq!(text_of(one(&html, "h1")), "Fichier Windows");
    assert_eq!(
        attr(&html, ".article__meta time", "datetime"),
        "2025-03-03T14:05:00+01:00"
    );
    assert_eq!(
        attrs(&html, ".tag-list a[rel=tag]", "href"),
        ["/tags/fin-de-ligne/"]
    );
    assert_eq!(texts(&html, ".prose strong"), ["enregistré"]);
    assert_eq!(
        attrs(&html, "nav.toc a", "href"),
        ["#premiere-partie", "#seconde-partie"]
    );
    let raw = text(&built, "2025/03/windows/index.html");
    assert!(!raw.contains('\r'), "carriage returns leak into the page");
    assert!(!raw.contains('\u{feff}'), "the BOM leaks into the page");
}

#[test]
fn errors_in_a_bom_and_crlf_file_point_at_the_right_line() {
    let dir = temp_site("minimal");
    let bad = WINDOWS_FILE.replace("\"2025-03-03 14:05\"", "2025-13-45");
    fs::write(dir.path().join("content/2025/windows.md"), bad).unwrap();
    let found = diagnostics(&options(dir.path()));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/2025/windows.md:3:") && d.contains("invalid `date`")),
        "{found:#?}"
    );
}

#[test]
fn the_three_date_forms_are_accepted() {
    let dir = temp_site("minimal");
    let content = dir.path().join("content/2025");
    let article = |name: &str, date: &str| {
        fs::write(
            content.join(format!("{name}.md")),
            format!("---\ntitle: {name}\ndate: {date}\n---\n\nCorps.\n"),
        )
        .unwrap();
    };
    article("jour", "2025-04-11");
    article("minute", "\"2025-04-12 18:30\"");
    article("rfc-offset", "2025-04-13T18:30:00+05:30");
    article("rfc-utc", "2025-04-14T08:00:00Z");
    let built = build_with(&options(dir.path()));
    let datetime = |slug: &str| {
        let html = page(&built, &format!("2025/04/{slug}/index.html"));
        attr(&html, ".article__meta time", "datetime")
    };
    // Without an offset: the site's zone, Europe/Paris, on summer time from 30 March.
    assert_eq!(datetime("jour"), "2025-04-11T00:00:00+02:00");
    assert_eq!(datetime("minute"), "2025-04-12T18:30:00+02:00");
    // With an offset: the same instant.
    let instant = |slug: &str| datetime(slug).parse::<jiff::Timestamp>().unwrap();
    assert_eq!(
        instant("rfc-offset"),
        "2025-04-13T13:00:00Z".parse::<jiff::Timestamp>().unwrap()
    );
    assert_eq!(
        instant("rfc-utc"),
        "2025-04-14T08:00:00Z".parse::<jiff::Timestamp>().unwrap()
    );
    let html = page(&built, "2025/04/minute/index.html");
    assert_eq!(text_of(one(&html, ".article__meta time")), "12 avril 2025");
}

#[test]
fn nested_folders_and_index_files_name_articles() {
    let dir = temp_site("minimal");
    let folder = dir.path().join("content/2025/dossier-special");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("index.md"),
        "---\ntitle: Dossier spécial\ndate: 2025-05-05\n---\n\nCorps.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/2025/titre-ignore.md"),
        "---\ntitle: Ignoré\ndate: 2025-05-06\nslug: Mon Slug Choisi\n---\n\nCorps.\n",
    )
    .unwrap();
    let built = build_with(&options(dir.path()));
    assert!(built.outputs.contains("/2025/05/dossier-special/"));
    assert!(built.outputs.contains("/2025/05/mon-slug-choisi/"));
}
