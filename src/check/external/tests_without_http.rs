//! Tests of a build without the `external-links` feature: no link to another site passes
//! unchecked, each is an error saying why.

use super::*;

#[test]
fn every_http_link_is_an_error_naming_the_missing_feature() {
    const { assert!(!AVAILABLE) };
    let settings = Settings {
        cache: Some(PathBuf::from("/nonexistent/links.json")),
        ..Settings::default()
    };
    let urls = [
        "https://example.org/a#part",
        "http://example.org/b",
        "mailto:desk@example.org",
    ];
    let report = check(urls.map(str::to_string), &settings);
    let unavailable = Status::Unreachable(UNAVAILABLE.to_string());
    assert_eq!(report.statuses[urls[0]], unavailable);
    assert_eq!(report.statuses[urls[1]], unavailable);
    assert!(unavailable.is_error());
    assert_eq!(report.statuses[urls[2]], Status::Unsupported);
    assert_eq!((report.requests, report.from_cache), (0, 0));
    assert!(
        report.cache_problems.is_empty(),
        "the cache is not even read"
    );
}
