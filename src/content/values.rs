//! Front matter values that may take several shapes (a string or a list, a path or a map),
//! read by hand so that a wrong shape gets a message a writer understands.

use serde_yaml::Value;

use crate::embeds::{Options, Provider};
use crate::shortcodes::Arg;

use super::front_matter::Image;
use crate::images::Focal;

/// What a value is, in the words of someone who wrote YAML.
pub(super) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Text as written: strings, and numbers or booleans that stand for text (`tags: [2025]`).
pub(super) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of text, or one text standing for a list of one.
pub(super) fn text_list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .map(|item| match scalar(item) {
                Some(text) if !text.trim().is_empty() => Ok(text),
                _ => Err(format!("each item must be text, found {}", describe(item))),
            })
            .collect(),
        other => scalar(other)
            .map(|text| vec![text])
            .ok_or_else(|| format!("expected a list of text, found {}", describe(other))),
    }
}

/// `image: /a.svg` or `image: {src, alt, caption, credit, focal}`.
pub(super) fn image(value: &Value) -> Result<Image, String> {
    let text = |map: &serde_yaml::Mapping, key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => scalar(v)
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be text, found {}", describe(v))),
        }
    };
    match value {
        Value::String(src) => Ok(Image {
            src: src.clone(),
            alt: String::new(),
            caption: None,
            credit: None,
            focal: None,
            dimensions: None,
        }),
        Value::Mapping(map) => {
            if let Some(key) = map.keys().find(|k| {
                !matches!(
                    k.as_str(),
                    Some("src" | "alt" | "caption" | "credit" | "focal")
                )
            }) {
                let key = scalar(key).unwrap_or_else(|| describe(key).to_string());
                return Err(format!(
                    "unknown key `{key}` (expected src, alt, caption, credit, focal)"
                ));
            }
            let src = text(map, "src")?
                .ok_or_else(|| "expected `src`, the image's path or URL".to_string())?;
            Ok(Image {
                src,
                alt: text(map, "alt")?.unwrap_or_default(),
                caption: text(map, "caption")?,
                credit: text(map, "credit")?,
                focal: map.get("focal").map(focal).transpose()?,
                dimensions: None,
            })
        }
        other => Err(format!(
            "expected a path, or a map with src, alt, caption and credit; found {}",
            describe(other)
        )),
    }
}

/// `focal: [x, y]`: where the social card is centred, each a fraction of the width or height
/// from the top left corner (`[0.5, 0.5]` is the centre).
fn focal(value: &Value) -> Result<Focal, String> {
    let expected = "`focal` must be two numbers from 0 to 1, across then down: [0.5, 0.3]";
    let Value::Sequence(items) = value else {
        return Err(format!("{expected}; found {}", describe(value)));
    };
    let fraction = |item: &Value| item.as_f64().filter(|f| (0.0..=1.0).contains(f));
    match items.as_slice() {
        [x, y] => match (fraction(x), fraction(y)) {
            #[allow(clippy::cast_possible_truncation)]
            (Some(x), Some(y)) => Ok(Focal {
                x: x as f32,
                y: y as f32,
            }),
            _ => Err(expected.to_string()),
        },
        _ => Err(expected.to_string()),
    }
}

/// One entry of `embeds`: a URL, or a map with the shortcodes' arguments (`url` or `id`,
/// `title`, `start`, …) and, with an `id`, the `provider`.
pub(super) fn embed(value: &Value) -> Result<(Option<Provider>, Options), String> {
    match value {
        Value::String(url) => Ok((
            None,
            Options {
                url: Some(url.clone()),
                ..Options::default()
            },
        )),
        Value::Mapping(map) => {
            let mut provider = None;
            let mut args = Vec::new();
            for (key, value) in map {
                let key = key.as_str().ok_or("each embed key must be text")?;
                if key == "provider" {
                    let name = value.as_str().unwrap_or_default();
                    provider = Some(
                        Provider::from_name(name)
                            .ok_or_else(|| format!("unknown provider `{name}`"))?,
                    );
                    continue;
                }
                let arg = match value {
                    Value::String(s) => Arg::Text(s.clone()),
                    Value::Bool(b) => Arg::Bool(*b),
                    Value::Number(n) => match n.as_i64() {
                        Some(i) => Arg::Integer(i),
                        None => Arg::Float(n.as_f64().unwrap_or_default()),
                    },
                    other => {
                        return Err(format!("`{key}` must be text, found {}", describe(other)));
                    }
                };
                args.push((key.to_string(), arg));
            }
            Ok((provider, Options::from_args(&args)?))
        }
        other => Err(format!(
            "expected a URL or a map with url, title…, found {}",
            describe(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn lists_accept_one_text_and_refuse_empty_items() {
        assert_eq!(text_list(&yaml("IA")).unwrap(), ["IA"]);
        assert_eq!(text_list(&yaml("[IA, 2025]")).unwrap(), ["IA", "2025"]);
        assert_eq!(
            text_list(&yaml("[IA, null]")).unwrap_err(),
            "each item must be text, found nothing"
        );
        assert!(
            text_list(&yaml("{a: 1}"))
                .unwrap_err()
                .contains("found a map")
        );
    }

    #[test]
    fn images_explain_what_is_wrong() {
        assert_eq!(image(&yaml("/a.svg")).unwrap().src, "/a.svg");
        assert_eq!(
            image(&yaml("{alt: x}")).unwrap_err(),
            "expected `src`, the image's path or URL"
        );
        assert!(
            image(&yaml("{src: /a.svg, legend: x}"))
                .unwrap_err()
                .contains("unknown key `legend`")
        );
        assert!(image(&yaml("[a]")).unwrap_err().contains("found a list"));
        let focal = image(&yaml("{src: /a.jpg, focal: [0.25, 1]}"))
            .unwrap()
            .focal;
        assert_eq!(focal, Some(Focal { x: 0.25, y: 1.0 }));
        for bad in ["[0.5]", "[0.5, 2]", "centre", "[a, b]"] {
            let error = image(&yaml(&format!("{{src: /a.jpg, focal: {bad}}}"))).unwrap_err();
            assert!(error.contains("two numbers from 0 to 1"), "{bad}: {error}");
        }
    }
}
