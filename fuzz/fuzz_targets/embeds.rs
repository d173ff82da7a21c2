//! The embed URL recognisers: a URL alone on its line, as the Markdown stage sees it, and a
//! `url` given to an embed shortcode; then the links and shape of what they accept.

#![no_main]

use kiosque::embeds::{self, Embed, Options, Provider};
use libfuzzer_sys::fuzz_target;

fn use_embed(embed: &Embed) {
    embed.links();
    embed.shape();
    embed.media_type();
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(url) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Some(Ok(embed)) = embeds::recognize(url) {
        use_embed(&embed);
    }
    // A first byte below 13 picks a provider for the shortcode forms, `{{ youtube(url=…) }}`
    // and `{{ youtube(id=…) }}`; without one, they are `{{ embed(url=…) }}` and `id` alone.
    let (provider, rest) = match url.as_bytes().first() {
        Some(&b) if usize::from(b) < Provider::ALL.len() => {
            (Some(Provider::ALL[usize::from(b)]), &url[1..])
        }
        _ => (None, url),
    };
    for options in [
        Options {
            url: Some(rest.to_string()),
            ..Options::default()
        },
        Options {
            id: Some(rest.to_string()),
            ..Options::default()
        },
    ] {
        if let Ok(embed) = embeds::resolve(provider, options) {
            use_embed(&embed);
        }
    }
});
