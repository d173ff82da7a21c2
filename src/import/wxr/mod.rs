//! The WXR reader: a WordPress eXtended RSS export (WXR 1.0, 1.1 and 1.2, as Tools → Export
//! writes it) read into typed data, and nothing more. Converting bodies to Markdown and writing
//! sources is left to the converter and the `import` command.
//!
//! The file is read as a stream of `quick_xml` events, never as a DOM: memory holds what is
//! kept (the typed export), not the document. Elements are matched by namespace URI, so any
//! prefix bound to `http://wordpress.org/export/1.x/` works. Comment authors' e-mail and IP
//! addresses and user e-mails are skipped without being decoded: no type here has a field for
//! them. A `<!DOCTYPE>` with declarations is refused and undefined entities are errors, so no
//! entity is ever expanded beyond the five of XML and character references.

mod document;
mod error;
mod events;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

pub use error::{WxrError, XmlError};

/// Reads a whole WXR export from `input`, event by event.
///
/// Errors name the line and column where the XML is at fault; see [`WxrError`].
pub fn read(mut input: impl BufRead) -> Result<Export, WxrError> {
    events::refuse_utf16(&mut input)?;
    document::read(input)
}

/// Reads the WXR export at `path`; every error names the file.
pub fn read_file(path: &Path) -> Result<Export, WxrError> {
    let named = |cause| WxrError::File {
        path: path.to_path_buf(),
        cause: Box::new(cause),
    };
    let file = File::open(path).map_err(|cause| named(WxrError::Read { cause }))?;
    // 64 KiB: a few large reads per CDATA body instead of many 8 KiB ones.
    read(BufReader::with_capacity(64 * 1024, file)).map_err(named)
}

/// A whole export: the site, its users, its terms and every item (posts, pages, attachments,
/// menu items…) in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Export {
    /// The `<channel>` header: the site itself.
    pub channel: Channel,
    /// `wp:author` entries (WXR 1.1 and later), in file order.
    pub authors: Vec<Author>,
    /// `wp:category`, `wp:tag` and `wp:term` entries, in file order.
    pub terms: Vec<Term>,
    /// Every `<item>`, whatever its type and status, in file order.
    pub items: Vec<Item>,
}

/// The exported site, from the `<channel>` header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Channel {
    /// The site's title.
    pub title: String,
    /// The site's home URL.
    pub link: String,
    /// The site's tagline.
    pub description: String,
    /// `<language>`, e.g. `fr-FR`; `None` when absent or empty.
    pub language: Option<String>,
    /// `wp:wxr_version` as written: `1.0`, `1.1` or `1.2`.
    pub wxr_version: String,
    /// `wp:base_site_url`: the WordPress installation's URL.
    pub base_site_url: Option<String>,
    /// `wp:base_blog_url`: the blog's URL (the site's, unless it is a network).
    pub base_blog_url: Option<String>,
}

/// A WordPress user who may have written items. Their e-mail address is never read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Author {
    /// `wp:author_id`; WordPress.com exports leave it out.
    pub id: Option<u64>,
    /// `wp:author_login`: what items' `dc:creator` names.
    pub login: String,
    /// `wp:author_display_name`.
    pub display_name: String,
    /// `wp:author_first_name`; `None` when empty.
    pub first_name: Option<String>,
    /// `wp:author_last_name`; `None` when empty.
    pub last_name: Option<String>,
}

/// Which taxonomy a [`Term`] belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// A category (`wp:category`, or `wp:term` in the `category` taxonomy).
    Category,
    /// A tag (`wp:tag`, or `wp:term` in the `post_tag` taxonomy).
    Tag,
    /// Any other taxonomy of a `wp:term`: `nav_menu`, `post_format`, a plugin's…
    Other(String),
}

/// A term declared in the header: a category, a tag or a term of another taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Its `wp:term_id`, which post meta such as an SEO plugin's primary category names.
    pub id: Option<u64>,
    /// Its taxonomy.
    pub kind: TermKind,
    /// Its slug (`category_nicename`, `tag_slug`, `term_slug`).
    pub slug: String,
    /// Its name as shown.
    pub name: String,
    /// The parent term's slug; `None` for a top-level term.
    pub parent: Option<String>,
    /// Its description; `None` when empty.
    pub description: Option<String>,
}

/// One `<item>`: a post, page, attachment, revision, menu item or any other post type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    /// `wp:post_id`; 0 when the file leaves it out (hand-made exports do, and WordPress's
    /// importer reads that as 0 too).
    pub id: u64,
    /// `<title>` as written (HTML entities WordPress left in it are not decoded).
    pub title: String,
    /// `<link>`: its permalink on the old site.
    pub link: Option<String>,
    /// `<guid>`: the id feed readers know it by.
    pub guid: Option<String>,
    /// `dc:creator`: the login of an [`Author`].
    pub creator: Option<String>,
    /// `content:encoded`: the body as stored (HTML, shortcodes, block comments).
    pub content: String,
    /// `excerpt:encoded`: the hand-written excerpt, often empty.
    pub excerpt: String,
    /// `wp:post_date`, `YYYY-MM-DD HH:MM:SS` in the site's time zone; `None` when absent,
    /// empty or WordPress's zero date `0000-00-00 00:00:00` (as drafts have).
    pub date: Option<String>,
    /// `wp:post_date_gmt`, the same in UTC; `None` likewise.
    pub date_gmt: Option<String>,
    /// `wp:post_modified`, local time; `None` likewise.
    pub modified: Option<String>,
    /// `wp:post_modified_gmt`, UTC; `None` likewise.
    pub modified_gmt: Option<String>,
    /// `wp:post_name` as written: the slug, percent-encoded when it has non-ASCII letters;
    /// empty for drafts that never had one.
    pub name: String,
    /// `wp:status`: `publish`, `draft`, `pending`, `private`, `future`, `trash`,
    /// `auto-draft`, `inherit` (attachments, revisions)…
    pub status: String,
    /// `wp:post_type`: `post`, `page`, `attachment`, `revision`, `nav_menu_item`…
    pub post_type: String,
    /// `wp:post_parent`: the parent item's id, 0 for none.
    pub parent: u64,
    /// `wp:menu_order`.
    pub menu_order: i64,
    /// `wp:post_password`; `None` when the item is not protected.
    pub password: Option<String>,
    /// `wp:is_sticky` is `1`.
    pub is_sticky: bool,
    /// `wp:attachment_url`: the uploaded file of an attachment.
    pub attachment_url: Option<String>,
    /// The item's categories, tags and other terms, in file order.
    pub terms: Vec<ItemTerm>,
    /// `wp:postmeta` key/value pairs in file order (`_thumbnail_id`, `_wp_attachment_image_alt`,
    /// `_yoast_wpseo_metadesc`…); a key may repeat.
    pub meta: Vec<(String, String)>,
    /// `wp:comment` entries, every status included, in file order.
    pub comments: Vec<Comment>,
}

/// A term an item is filed under: an `<item>`'s `<category domain="…" nicename="…">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTerm {
    /// The taxonomy: `category`, `post_tag` (WXR 1.0's `tag` is read as `post_tag`),
    /// `post_format`, `nav_menu`…
    pub domain: String,
    /// The term's slug (`nicename`).
    pub slug: String,
    /// The term's name.
    pub name: String,
}

/// A comment, pingback or trackback on an item. Its author's e-mail and IP address are
/// skipped unread.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comment {
    /// `wp:comment_id`.
    pub id: u64,
    /// `wp:comment_author`: the name the commenter gave (a site's name for a pingback).
    pub author: String,
    /// `wp:comment_author_url`; `None` when empty.
    pub author_url: Option<String>,
    /// `wp:comment_date`, local time; `None` when absent, empty or the zero date.
    pub date: Option<String>,
    /// `wp:comment_date_gmt`, UTC; `None` likewise.
    pub date_gmt: Option<String>,
    /// `wp:comment_content`, as stored.
    pub content: String,
    /// `wp:comment_approved`: `1`, `0` (awaiting moderation), `spam` or `trash`.
    pub approved: String,
    /// `wp:comment_type`: empty or `comment` for a comment, `pingback`, `trackback`.
    pub kind: String,
    /// `wp:comment_parent`: the id of the comment this one answers, 0 for none.
    pub parent: u64,
}
