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
    // Each pattern's next position is searched again only once it has been passed, so the
    // scan stays linear in the length of the page.
    let mut next = ATTRIBUTES.map(|a| html.find(a));
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, n)| n.map(|n| (k, n)))
        .min_by_key(|&(_, n)| n)
    {
        let value_start = at + ATTRIBUTES[k].len();
        out.push_str(&html[done..value_start - 1]);
        if html[value_start..].starts_with('/') {
            out.push('/');
        } else {
            out.push_str(prefix);
        }
        done = value_start;
        next[k] = html[done..].find(ATTRIBUTES[k]).map(|i| i + done);
    }
    out.push_str(&html[done..]);
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
