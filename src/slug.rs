//! URL slugs: accents folded, lowercase ASCII letters and digits joined by single hyphens.

use std::borrow::Cow;

/// Turns any text into a URL slug (`Éducation` → `education`); empty if it has no letter or digit.
///
/// `+`, and `#` ending a word, are spelled out, since tech names differ by them alone
/// (`C`, `C++`, `C#`).
pub fn slugify(text: &str) -> String {
    // Most names are plain ASCII: no copy to spell symbols in, or to fold.
    let spelled = if text.contains(['+', '#']) {
        Cow::Owned(spell_symbols(text))
    } else {
        Cow::Borrowed(text)
    };
    let folded = if spelled.is_ascii() {
        spelled
    } else {
        Cow::Owned(deunicode::deunicode(&spelled))
    };
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

fn spell_symbols(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_word = i > 0 && chars[i - 1].is_alphanumeric();
        let ends_word = chars.get(i + 1).is_none_or(|next| !next.is_alphanumeric());
        match c {
            '+' => out.push_str(" plus "),
            '#' if after_word && ends_word => out.push_str(" sharp "),
            _ => out.push(c),
        }
    }
    out
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
    fn keeps_languages_that_differ_by_symbols_apart() {
        assert_eq!(slugify("C"), "c");
        assert_eq!(slugify("C++"), "c-plus-plus");
        assert_eq!(slugify("C#"), "c-sharp");
        assert_eq!(slugify("Notepad++"), "notepad-plus-plus");
        assert_eq!(slugify("Tag #1"), "tag-1");
    }

    #[test]
    fn trims_separators_and_handles_symbols_only() {
        assert_eq!(slugify("  --C & Rust--  "), "c-rust");
        assert_eq!(slugify("?!…"), "");
    }
}
