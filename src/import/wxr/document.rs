//! The shape of a WXR document, read top-down over the event layer: `<rss>` → `<channel>` →
//! header entries and `<item>`s → their meta and comments. Elements the reader does not use
//! are skipped whole, undecoded; e-mail and IP addresses are among them.

use std::io::BufRead;
use std::str::FromStr;

use super::error::{WxrError, XmlError};
use super::events::{Ev, Events, Name, Ns, Pos};
use super::{Author, Comment, Export, Item, ItemTerm, Term, TermKind};

/// Reads the document from its first byte to its last.
pub(super) fn read(input: impl BufRead) -> Result<Export, WxrError> {
    let mut doc = Document {
        events: Events::new(input),
        export: Export::default(),
    };
    let root = doc.prolog()?;
    if root.ns != Ns::None || root.local() != b"rss" {
        return Err(WxrError::NotWxr {
            found: what_root(root, doc.events.current()),
        });
    }
    doc.rss()?;
    doc.epilog()?;
    Ok(doc.export)
}

/// What a document whose root is not `<rss>` is, for [`WxrError::NotWxr`].
fn what_root(root: Name, written: &str) -> String {
    match (root.ns, root.local()) {
        (Ns::Atom, b"feed") => "an Atom feed".to_owned(),
        (_, b"RDF") => "an RSS 1.0 (RDF) feed".to_owned(),
        (_, b"html") => "an HTML page".to_owned(),
        _ => format!("an XML document whose root is <{written}>"),
    }
}

const NO_WXR_VERSION: &str = "an RSS feed without WordPress's wp:wxr_version";

struct Document<R> {
    events: Events<R>,
    export: Export,
}

impl<R: BufRead> Document<R> {
    /// Up to the root element's start: the declaration, comments, a bare `<!DOCTYPE>`.
    fn prolog(&mut self) -> Result<Name, WxrError> {
        loop {
            match self.events.next(true)? {
                Ev::Open(name) => return Ok(name),
                Ev::Text if self.events.text.trim().is_empty() => self.events.text.clear(),
                Ev::Text => {
                    let found = "text, not XML (it does not start with an element)".to_owned();
                    return Err(WxrError::NotWxr { found });
                }
                Ev::Close | Ev::Eof => {
                    let found = "empty: it has no XML element".to_owned();
                    return Err(WxrError::NotWxr { found });
                }
            }
        }
    }

    /// After the root element: nothing but comments and white space.
    fn epilog(&mut self) -> Result<(), WxrError> {
        loop {
            match self.events.next(false)? {
                Ev::Eof => return Ok(()),
                Ev::Open(_) => {
                    let name = self.events.current().to_owned();
                    return Err(self.at_start(XmlError::SecondRoot(name)));
                }
                Ev::Text | Ev::Close => {}
            }
        }
    }

    fn rss(&mut self) -> Result<(), WxrError> {
        let mut channel = false;
        while let Some(name) = self.child()? {
            match (name.ns, name.local()) {
                (Ns::None, b"channel") if !channel => {
                    channel = true;
                    self.channel()?;
                }
                _ => self.skip()?,
            }
        }
        if channel {
            Ok(())
        } else {
            Err(WxrError::NotWxr {
                found: "an RSS document without a <channel>".to_owned(),
            })
        }
    }

    fn channel(&mut self) -> Result<(), WxrError> {
        // Whether a wp:wxr_version was met, and whether one in a foreign namespace was.
        let mut foreign_version = false;
        while let Some(name) = self.child()? {
            let versioned = !self.export.channel.wxr_version.is_empty();
            match (name.ns, name.local()) {
                (Ns::Wp, b"wxr_version") => self.export.channel.wxr_version = self.trimmed()?,
                (_, b"wxr_version") => {
                    foreign_version = true;
                    self.skip()?;
                }
                (Ns::None, b"item") | (Ns::Wp, b"author" | b"category" | b"tag" | b"term")
                    if !versioned =>
                {
                    return Err(not_wxr(foreign_version));
                }
                (Ns::None, b"title") => self.export.channel.title = self.text()?,
                (Ns::None, b"link") => self.export.channel.link = self.trimmed()?,
                (Ns::None, b"description") => self.export.channel.description = self.text()?,
                (Ns::None, b"language") => self.export.channel.language = self.optional()?,
                (Ns::Wp, b"base_site_url") => {
                    self.export.channel.base_site_url = self.optional()?
                }
                (Ns::Wp, b"base_blog_url") => {
                    self.export.channel.base_blog_url = self.optional()?
                }
                (Ns::Wp, b"author") => {
                    let author = self.author()?;
                    self.export.authors.push(author);
                }
                (Ns::Wp, b"category" | b"tag" | b"term") => {
                    let term = self.term(name.local())?;
                    self.export.terms.push(term);
                }
                (Ns::None, b"item") => {
                    let item = self.item()?;
                    self.export.items.push(item);
                }
                _ => self.skip()?,
            }
        }
        if self.export.channel.wxr_version.is_empty() {
            return Err(not_wxr(foreign_version));
        }
        Ok(())
    }

    fn author(&mut self) -> Result<Author, WxrError> {
        let mut author = Author::default();
        while let Some(name) = self.child()? {
            match (name.ns, name.local()) {
                (Ns::Wp, b"author_id") => author.id = self.number::<u64>()?.filter(|id| *id != 0),
                (Ns::Wp, b"author_login") => author.login = self.trimmed()?,
                (Ns::Wp, b"author_display_name") => author.display_name = self.text()?,
                (Ns::Wp, b"author_first_name") => author.first_name = self.optional()?,
                (Ns::Wp, b"author_last_name") => author.last_name = self.optional()?,
                // author_email among them: skipped, never decoded.
                _ => self.skip()?,
            }
        }
        Ok(author)
    }

    /// A `wp:category`, `wp:tag` or `wp:term`; `element` is its local name.
    fn term(&mut self, element: &[u8]) -> Result<Term, WxrError> {
        let mut kind = match element {
            b"category" => TermKind::Category,
            b"tag" => TermKind::Tag,
            _ => TermKind::Other(String::new()),
        };
        let (mut slug, mut name, mut parent, mut description) = Default::default();
        let mut id = None;
        while let Some(child) = self.child()? {
            if child.ns != Ns::Wp {
                self.skip()?;
                continue;
            }
            match child.local() {
                b"term_id" => id = self.number()?,
                b"category_nicename" | b"tag_slug" | b"term_slug" => slug = self.trimmed()?,
                b"cat_name" | b"tag_name" | b"term_name" => name = self.text()?,
                b"category_parent" | b"term_parent" => parent = self.optional()?,
                b"category_description" | b"tag_description" | b"term_description" => {
                    description = self.optional_text()?;
                }
                b"term_taxonomy" => {
                    kind = match self.trimmed()?.as_str() {
                        "category" => TermKind::Category,
                        "post_tag" => TermKind::Tag,
                        other => TermKind::Other(other.to_owned()),
                    };
                }
                _ => self.skip()?,
            }
        }
        Ok(Term {
            id,
            kind,
            slug,
            name,
            parent,
            description,
        })
    }

    fn item(&mut self) -> Result<Item, WxrError> {
        let mut item = Item::default();
        while let Some(name) = self.child()? {
            match (name.ns, name.local()) {
                (Ns::None, b"title") => item.title = self.text()?,
                (Ns::None, b"link") => item.link = self.optional()?,
                (Ns::None, b"guid") => item.guid = self.optional()?,
                (Ns::None, b"category") => {
                    let attrs = std::mem::take(&mut self.events.category);
                    let term_name = self.text()?;
                    // Like WordPress's importer, only entries with a nicename count: WXR 1.0
                    // wrote each term twice, once without it for plain RSS readers.
                    if let Some(slug) = attrs.nicename {
                        let domain = match attrs.domain.as_deref() {
                            None => "category".to_owned(),
                            Some("tag") => "post_tag".to_owned(),
                            Some(domain) => domain.to_owned(),
                        };
                        item.terms.push(ItemTerm {
                            domain,
                            slug,
                            name: term_name,
                        });
                    }
                }
                (Ns::Dc, b"creator") => item.creator = self.optional()?,
                (Ns::Content, b"encoded") => item.content = self.text()?,
                (Ns::Excerpt, b"encoded") => item.excerpt = self.text()?,
                (Ns::Wp, local) => match local {
                    b"post_id" => item.id = self.number()?.unwrap_or(0),
                    b"post_date" => item.date = self.date()?,
                    b"post_date_gmt" => item.date_gmt = self.date()?,
                    b"post_modified" => item.modified = self.date()?,
                    b"post_modified_gmt" => item.modified_gmt = self.date()?,
                    b"post_name" => item.name = self.trimmed()?,
                    b"status" => item.status = self.trimmed()?,
                    b"post_type" => item.post_type = self.trimmed()?,
                    b"post_parent" => item.parent = self.number()?.unwrap_or(0),
                    b"menu_order" => item.menu_order = self.number()?.unwrap_or(0),
                    b"post_password" => item.password = self.optional_text()?,
                    b"is_sticky" => item.is_sticky = self.trimmed()? == "1",
                    b"attachment_url" => item.attachment_url = self.optional()?,
                    b"postmeta" => {
                        if let Some(meta) = self.meta()? {
                            item.meta.push(meta);
                        }
                    }
                    b"comment" => {
                        let comment = self.comment()?;
                        item.comments.push(comment);
                    }
                    _ => self.skip()?,
                },
                _ => self.skip()?,
            }
        }
        Ok(item)
    }

    /// A `wp:postmeta`; `None` without a key.
    fn meta(&mut self) -> Result<Option<(String, String)>, WxrError> {
        let (mut key, mut value) = (None, String::new());
        while let Some(name) = self.child()? {
            match (name.ns, name.local()) {
                (Ns::Wp, b"meta_key") => key = Some(self.text()?),
                (Ns::Wp, b"meta_value") => value = self.text()?,
                _ => self.skip()?,
            }
        }
        Ok(key.map(|key| (key, value)))
    }

    fn comment(&mut self) -> Result<Comment, WxrError> {
        let mut comment = Comment::default();
        while let Some(name) = self.child()? {
            if name.ns != Ns::Wp {
                self.skip()?;
                continue;
            }
            match name.local() {
                b"comment_id" => comment.id = self.number()?.unwrap_or(0),
                b"comment_author" => comment.author = self.text()?,
                b"comment_author_url" => comment.author_url = self.optional()?,
                b"comment_date" => comment.date = self.date()?,
                b"comment_date_gmt" => comment.date_gmt = self.date()?,
                b"comment_content" => comment.content = self.text()?,
                b"comment_approved" => comment.approved = self.trimmed()?,
                b"comment_type" => comment.kind = self.trimmed()?,
                b"comment_parent" => comment.parent = self.number()?.unwrap_or(0),
                // comment_author_email, comment_author_IP, commentmeta, comment_user_id:
                // skipped, never decoded.
                _ => self.skip()?,
            }
        }
        Ok(comment)
    }

    /// The next child of the open element, or `None` at its end. Text between children
    /// (indentation) is ignored.
    fn child(&mut self) -> Result<Option<Name>, WxrError> {
        loop {
            match self.events.next(false)? {
                Ev::Open(name) => return Ok(Some(name)),
                Ev::Close => return Ok(None),
                Ev::Text => {}
                // `Events` reports an end of file inside an element itself.
                Ev::Eof => return Ok(None),
            }
        }
    }

    /// Skips the element just opened, its content unread.
    fn skip(&mut self) -> Result<(), WxrError> {
        let depth = self.events.depth();
        while self.events.depth() >= depth {
            if let Ev::Eof = self.events.next(false)? {
                break;
            }
        }
        Ok(())
    }

    /// The text of the element just opened, exactly as written (entities resolved).
    fn text(&mut self) -> Result<String, WxrError> {
        self.events.text.clear();
        loop {
            match self.events.next(true)? {
                Ev::Text => {}
                Ev::Close | Ev::Eof => return Ok(std::mem::take(&mut self.events.text)),
                Ev::Open(_) => {
                    let problem = "an element where only text is allowed".to_owned();
                    return Err(self.field(problem));
                }
            }
        }
    }

    /// The text without surrounding white space: for slugs, statuses, URLs and numbers.
    fn trimmed(&mut self) -> Result<String, WxrError> {
        let text = self.text()?;
        Ok(match text.trim() {
            trimmed if trimmed.len() == text.len() => text,
            trimmed => trimmed.to_owned(),
        })
    }

    /// The trimmed text, `None` when empty.
    fn optional(&mut self) -> Result<Option<String>, WxrError> {
        Ok(Some(self.trimmed()?).filter(|t| !t.is_empty()))
    }

    /// The text as written, `None` when empty.
    fn optional_text(&mut self) -> Result<Option<String>, WxrError> {
        Ok(Some(self.text()?).filter(|t| !t.is_empty()))
    }

    /// A date as written, `None` when empty or WordPress's zero date.
    fn date(&mut self) -> Result<Option<String>, WxrError> {
        Ok(self.optional()?.filter(|d| !d.starts_with("0000-00-00")))
    }

    /// A number, `None` when the element is empty.
    fn number<T: FromStr>(&mut self) -> Result<Option<T>, WxrError> {
        let (at, element) = (self.events.start, self.events.current().to_owned());
        let text = self.trimmed()?;
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| WxrError::Field {
            element,
            line: at.line,
            column: at.column,
            problem: format!("{text:?} is not a whole number"),
        })
    }

    /// A [`WxrError::Field`] for the innermost open element, placed where it starts.
    fn field(&self, problem: String) -> WxrError {
        let Pos { line, column } = self.events.start;
        let element = self.events.current().to_owned();
        WxrError::Field {
            element,
            line,
            column,
            problem,
        }
    }

    /// An XML error placed where the last event began.
    fn at_start(&self, cause: XmlError) -> WxrError {
        let Pos { line, column } = self.events.start;
        WxrError::Xml {
            line,
            column,
            cause,
        }
    }
}

fn not_wxr(foreign_version: bool) -> WxrError {
    let found = if foreign_version {
        "an RSS feed whose wxr_version is not in WordPress's namespace \
         (xmlns:wp should be http://wordpress.org/export/1.2/)"
    } else {
        NO_WXR_VERSION
    };
    WxrError::NotWxr {
        found: found.to_owned(),
    }
}
