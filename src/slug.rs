//! URL slugs: accents folded, lowercase ASCII letters and digits joined by single hyphens.

/// Turns any text into a URL slug (`Éducation` → `education`); empty if it has no letter or digit.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_hyphen = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(
            slugify("Intelligence Artificielle"),
            "intelligence-artificielle"
        );
        assert_eq!(
            slugify("intelligence  artificielle"),
            "intelligence-artificielle"
        );
        assert_eq!(slugify("Éducation"), "education");
        assert_eq!(
            slugify("L'IA générative : état des lieux"),
            "l-ia-generative-etat-des-lieux"
        );
    }

    #[test]
    fn trims_separators_and_handles_symbols_only() {
        assert_eq!(slugify("  --C++ & Rust--  "), "c-rust");
        assert_eq!(slugify("?!…"), "");
    }
}
