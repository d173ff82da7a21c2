//! The shortcode parser, at every `{{` of a text, as the Markdown stage calls it; what it
//! finds is turned into JSON (for templates) and embed options, as a shortcode call would be.

#![no_main]

use kiosque::embeds;
use kiosque::shortcodes::{self, Found};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // Bodies reach the parser as `&str`: the content stage rejects files that are not UTF-8.
    let Ok(body) = std::str::from_utf8(bytes) else {
        return;
    };
    // Like the Markdown stage, parse one `{{/*` past the last `*/}}`, not each: each would
    // search the rest of the body for the end.
    let last_close = body.rfind("*/}}");
    let mut unclosed_seen = false;
    for (at, _) in body.match_indices("{{") {
        if body[at + 2..].starts_with("/*") && last_close.is_none_or(|close| close < at) {
            if unclosed_seen {
                continue;
            }
            unclosed_seen = true;
        }
        let Some(Ok(found)) = shortcodes::parse_at(body, at) else {
            continue;
        };
        let span = found.span().clone();
        assert!(
            at == span.start && span.end <= body.len() && body.is_char_boundary(span.end),
            "span {span:?} of the call at {at} is not within the body",
        );
        if let Found::Call(call) = found {
            for (_, arg) in &call.args {
                arg.to_json();
            }
            let _ = embeds::Options::from_args(&call.args);
        }
    }
});
