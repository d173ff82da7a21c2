//! Links and images: each address gets the site's base path when root-relative, an internal
//! link (`@/2025/a.md#id`) becomes its article's URL through the [`Targets`], and each is
//! recorded as [`Written`], where the writer wrote it, so that `kiosque check` can point at it
//! without reading the source again. Images without alternative text are hinted at.
//!
//! [`Targets`]: super::Targets

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType, RefDefs, Tag};

use super::position::Positions;
use super::{INTERNAL_PREFIX, Input, InternalLink, Written, WrittenKind};
use crate::diagnostics::{Diagnostic, Problem};

/// Rewrites link and image addresses and records where they are written.
pub(super) struct Links<'i, 'a> {
    input: &'i Input<'a>,
    /// Link reference definitions (`[label]: /address`), where referenced addresses are written.
    definitions: &'i RefDefs<'i>,
    positions: Positions<'a>,
    /// Links written `@/…`, in order.
    pub(super) internal: Vec<InternalLink>,
    /// Links and images, in order.
    pub(super) written: Vec<Written>,
    /// Images without alternative text.
    pub(super) hints: Vec<Diagnostic>,
}

impl<'i, 'a> Links<'i, 'a> {
    /// Links of the body of `input`, whose reference definitions are `definitions`.
    pub(super) fn new(input: &'i Input<'a>, definitions: &'i RefDefs<'i>) -> Self {
        Links {
            input,
            definitions,
            positions: Positions::new(input.path, input.body, input.body_line),
            internal: Vec::new(),
            written: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// A link's or image's tag with its address rewritten. `range` is the bytes of the
    /// whole link, `inner_end` where its text ends, `alt` an image's text.
    pub(super) fn tag(
        &mut self,
        tag: Tag<'a>,
        range: &Range<usize>,
        inner_end: usize,
        alt: Option<String>,
    ) -> Tag<'a> {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let at = self.address_at(link_type, &id, range, inner_end);
                let written = dest_url.to_string();
                let dest_url = self.destination(dest_url, range.start);
                self.record(WrittenKind::Link, written, at, None);
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let alt = alt.unwrap_or_default();
                if alt.trim().is_empty() {
                    let location = self.positions.locate(range.start);
                    let problem = Problem::MissingAlt(dest_url.to_string());
                    self.hints.push(Diagnostic::warning(location, problem));
                }
                let at = self.address_at(link_type, &id, range, inner_end);
                let written = dest_url.to_string();
                let dest_url = self.destination(dest_url, range.start);
                self.record(WrittenKind::Image, written, at, Some(alt));
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            }
            other => other,
        }
    }

    fn record(&mut self, kind: WrittenKind, target: String, at: usize, alt: Option<String>) {
        self.written.push(Written {
            kind,
            target,
            alt,
            location: self.positions.locate(at),
            html: false,
        });
    }

    /// Where the address of a link is written: after `](` for an inline link, inside `<…>`
    /// for an autolink, in its definition for a reference; else the link's start.
    fn address_at(
        &self,
        link_type: LinkType,
        id: &str,
        range: &Range<usize>,
        inner_end: usize,
    ) -> usize {
        let body = self.input.body;
        let after = |from: usize, end: usize, marker: &str| {
            let found = body.get(from..end)?.find(marker)?;
            let at = from + found + marker.len();
            let rest = &body[at..];
            let start = at + rest.len() - rest.trim_start().len();
            Some(start + usize::from(body[start..].starts_with('<')))
        };
        let at = match link_type {
            LinkType::Inline => after(inner_end, range.end, "]("),
            LinkType::Autolink | LinkType::Email => {
                Some(range.start + usize::from(body[range.start..].starts_with('<')))
            }
            LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown => self
                .definitions
                .get(id)
                .and_then(|definition| after(definition.span.start, definition.span.end, "]:")),
            _ => None,
        };
        at.unwrap_or(range.start)
    }

    /// Where an address leads once rendered: an internal link's article (kept as written
    /// when there is none, which the build reports), a root-relative path under the base
    /// path.
    fn destination(&mut self, dest: CowStr<'a>, at: usize) -> CowStr<'a> {
        let Some(rest) = dest.strip_prefix(INTERNAL_PREFIX) else {
            return with_base_path(dest, self.input.base_path);
        };
        let (path, anchor) = match rest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (rest, None),
        };
        let target = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        let url = self.input.targets.get(&target).map(|site_path| {
            let url = match anchor {
                Some(anchor) => format!("{site_path}#{anchor}"),
                None => site_path.clone(),
            };
            with_base_path(url.into(), self.input.base_path).into_string()
        });
        self.internal.push(InternalLink {
            target,
            anchor: anchor.map(str::to_string),
            location: self.positions.locate(at),
        });
        url.map_or(dest, CowStr::from)
    }
}

/// A root-relative address under the base path; others as they are.
fn with_base_path<'a>(dest: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    match dest.strip_prefix('/') {
        Some(rest) if base_path != "/" && !rest.starts_with('/') => {
            format!("{base_path}{rest}").into()
        }
        _ => dest,
    }
}
