//! Escaping for text placed in HTML and XML, shared by every stage that writes markup.

/// Escapes `&`, `<`, `>`, `"` and `'` so text is safe in element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Replaces the leading `/` of root-relative `href` and `src` attribute values with `prefix`
/// (which ends with `/`): `src="/a.png"` → `src="/news/a.png"`. Protocol-relative `//host`
/// links are left alone.
pub(crate) fn rebase_root_links(html: &str, prefix: &str) -> String {
    const ATTRIBUTES: [&str; 4] = ["href=\"/", "src=\"/", "href='/", "src='/"];
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, len)) = ATTRIBUTES
        .iter()
        .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
        .min()
    {
        let value_start = at + len;
        out.push_str(&rest[..value_start - 1]);
        if rest[value_start..].starts_with('/') {
            out.push('/');
        } else {
            out.push_str(prefix);
        }
        rest = &rest[value_start..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rebases_root_relative_links_only() {
        let html = r#"<a href="/a/">a</a> <img src='/i.png'> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#;
        assert_eq!(
            super::rebase_root_links(html, "/news/"),
            r#"<a href="/news/a/">a</a> <img src='/news/i.png'> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#
        );
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
