//! Unit tests of front matter parsing: causes kept, queries of old URLs.

use super::*;

#[test]
fn queries_of_old_urls_are_plain_pairs() {
    for plain in ["p=123", "page_id=7&lang=fr", "amp", "s=caf%C3%A9"] {
        assert!(is_plain_query(plain), "{plain}");
    }
    for bad in ["", "p=<x>", "a=1&&b=2", "p=1 2", "=1", "p=\"x\""] {
        assert!(!is_plain_query(bad), "{bad}");
    }
}

#[test]
fn a_yaml_error_is_kept_as_the_cause_with_lines_of_the_file() {
    let (profile, errors) = parse_profile(Path::new("p.md"), "name: A\nrole: [\n");
    assert!(profile.is_none());
    let problem = &errors[0].problem;
    let cause = problem.cause().and_then(|c| c.downcast_ref::<YamlError>());
    let cause = cause.expect("the cause is the YAML error");
    assert!(cause.error.is_some(), "serde_yaml's error is kept");
    assert_eq!(problem.message(), format!("invalid front matter: {cause}"));
    assert!(!cause.to_string().contains("at line 2"), "{cause}");
    assert!(
        errors[0].to_string().starts_with("p.md:4:"),
        "{}",
        errors[0]
    );
}
