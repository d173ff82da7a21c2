//! Words and numbers as each language writes them: language names, grouped numbers, OpenGraph
//! locales, dates in RFC 3339.

use jiff::Zoned;

/// A language's name in that language, for a language switcher; an unknown tag as is.
pub(crate) fn language_name(lang: &str) -> String {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = match primary.as_str() {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "sv" => "Svenska",
        "da" => "Dansk",
        "nb" | "no" => "Norsk",
        "fi" => "Suomi",
        "cs" => "Čeština",
        "el" => "Ελληνικά",
        "uk" => "Українська",
        "ru" => "Русский",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "ja" => "日本語",
        "ko" => "한국어",
        "zh" => "中文",
        "ca" => "Català",
        "br" => "Brezhoneg",
        "eu" => "Euskara",
        _ => return lang.to_string(),
    };
    name.to_string()
}

/// An integer written as readers of `lang` write it: `12 345` in French (narrow no-break
/// space), `12,345` in English, `12.345` in German.
pub(crate) fn number(value: i64, lang: &str) -> String {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let separator = match primary.as_str() {
        "fr" => "\u{202f}",
        "de" | "es" | "it" | "nl" | "pt" | "da" | "tr" | "id" | "el" => ".",
        "ru" | "uk" | "pl" | "cs" | "sk" | "sv" | "fi" | "nb" | "no" | "hu" => "\u{a0}",
        _ => ",",
    };
    let digits = value.unsigned_abs().to_string();
    // Spanish and Polish leave four-digit numbers whole.
    let group_from = if matches!(primary.as_str(), "es" | "pl") {
        5
    } else {
        4
    };
    let mut out = String::with_capacity(digits.len() + 8);
    if value < 0 {
        out.push('-');
    }
    if digits.len() < group_from {
        out.push_str(&digits);
        return out;
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// The OpenGraph locale of a language tag: `fr` → `fr_FR`, `en-GB` → `en_GB`.
pub(crate) fn locale(lang: &str) -> String {
    let mut parts = lang.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    if let Some(region) = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return format!("{language}_{}", region.to_ascii_uppercase());
    }
    // The region where each language is mostly read, as Facebook's locales name them.
    let region = match language.as_str() {
        "en" => "US",
        "fr" => "FR",
        "de" => "DE",
        "es" => "ES",
        "it" => "IT",
        "pt" => "PT",
        "nl" => "NL",
        "pl" => "PL",
        "sv" => "SE",
        "da" => "DK",
        "nb" | "no" => "NO",
        "fi" => "FI",
        "cs" => "CZ",
        "el" => "GR",
        "ja" => "JP",
        "ko" => "KR",
        "zh" => "CN",
        "ar" => "AR",
        "uk" => "UA",
        "ru" => "RU",
        "tr" => "TR",
        "ca" => "ES",
        _ => return language,
    };
    format!("{language}_{region}")
}

/// RFC 3339 with the zone's offset (`2025-02-11T18:30:00+01:00`).
pub(crate) fn rfc3339(date: &Zoned) -> String {
    date.timestamp()
        .display_with_offset(date.offset())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{locale, number};

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(number(12345, "fr"), "12\u{202f}345");
        assert_eq!(number(1234567, "en-GB"), "1,234,567");
        assert_eq!(number(12345, "de"), "12.345");
        assert_eq!(number(1234, "es"), "1234");
        assert_eq!(number(12345, "es"), "12.345");
        assert_eq!(number(999, "fr"), "999");
        assert_eq!(number(-4321, "en"), "-4,321");
    }

    #[test]
    fn locales_of_language_tags() {
        assert_eq!(locale("fr"), "fr_FR");
        assert_eq!(locale("en"), "en_US");
        assert_eq!(locale("en-GB"), "en_GB");
        assert_eq!(locale("fr-CA"), "fr_CA");
        assert_eq!(locale("zh-Hant-TW"), "zh_TW");
        assert_eq!(locale("eo"), "eo");
    }
}
