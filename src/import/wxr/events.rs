//! The event layer under the WXR reader: `quick_xml` events turned into opened and closed
//! elements (named by namespace and local name) and text, with the line and column of each,
//! entities checked and the `<!DOCTYPE>` refused. It knows XML, not WordPress.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::error::{WxrError, XmlError};

/// The namespaces a WXR file uses, matched by URI (`http` or `https`, as WordPress.com
/// writes), whatever prefix binds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// No namespace: RSS's own elements.
    None,
    /// `http://wordpress.org/export/1.x/`.
    Wp,
    /// `http://wordpress.org/export/1.x/excerpt/`.
    Excerpt,
    /// `http://purl.org/rss/1.0/modules/content/`.
    Content,
    /// `http://purl.org/dc/elements/1.1/`.
    Dc,
    /// `http://www.w3.org/2005/Atom`, to say "an Atom feed".
    Atom,
    /// A prefix bound to another namespace, or not bound at all.
    Other,
}

impl Ns {
    fn of(resolved: &ResolveResult<'_>) -> Ns {
        let uri = match resolved {
            ResolveResult::Unbound => return Ns::None,
            ResolveResult::Unknown(_) => return Ns::Other,
            ResolveResult::Bound(ns) => ns.as_ref(),
        };
        let rest = uri
            .strip_prefix(b"https://")
            .or_else(|| uri.strip_prefix(b"http://"));
        let Some(rest) = rest else { return Ns::Other };
        match rest {
            b"purl.org/rss/1.0/modules/content/" => Ns::Content,
            b"purl.org/dc/elements/1.1/" => Ns::Dc,
            b"www.w3.org/2005/Atom" => Ns::Atom,
            _ => match rest.strip_prefix(b"wordpress.org/export/1.") {
                // 1.0, 1.1, 1.2, and a later 1.x, which by its number promises compatibility.
                Some(tail) => match tail.iter().position(|b| !b.is_ascii_digit()) {
                    Some(0) | None => Ns::Other,
                    Some(n) if &tail[n..] == b"/" => Ns::Wp,
                    Some(n) if &tail[n..] == b"/excerpt/" => Ns::Excerpt,
                    Some(_) => Ns::Other,
                },
                None => Ns::Other,
            },
        }
    }
}

/// An element's name: its namespace and local name. Local names longer than WXR's are kept
/// cut short; they match nothing the reader looks for.
#[derive(Clone, Copy)]
pub(super) struct Name {
    pub(super) ns: Ns,
    local: [u8; 24],
    len: u8,
}

impl Name {
    fn new(ns: Ns, local: &[u8]) -> Name {
        let mut name = Name {
            ns,
            local: [0; 24],
            len: 0,
        };
        if local.len() <= name.local.len() {
            name.local[..local.len()].copy_from_slice(local);
            name.len = local.len() as u8;
        } else {
            // Never equal to a known name: 24 bytes of '~' cannot be an XML name's start.
            name.local = [b'~'; 24];
            name.len = 24;
        }
        name
    }

    /// The local name, without its prefix.
    pub(super) fn local(&self) -> &[u8] {
        &self.local[..usize::from(self.len)]
    }
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pos {
    pub(super) line: u64,
    pub(super) column: u64,
}

impl Pos {
    const START: Pos = Pos { line: 1, column: 1 };

    /// Where the reader is after `bytes` that start here.
    fn after(self, bytes: &[u8]) -> Pos {
        // Characters are counted as UTF-8 sequences: their first bytes.
        let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => Pos {
                line: self.line + bytes[..=last].iter().filter(|&&b| b == b'\n').count() as u64,
                column: 1 + chars(&bytes[last + 1..]),
            },
            None => Pos {
                line: self.line,
                column: self.column + chars(bytes),
            },
        }
    }
}

/// What the document layer sees.
pub(super) enum Ev {
    /// An element starts (`<a/>` is an `Open` then a `Close`).
    Open(Name),
    /// The innermost open element ends.
    Close,
    /// Text, CDATA or a reference: appended to [`Events::text`] when collecting.
    Text,
    /// The end of the document, every element closed.
    Eof,
}

/// The attributes of an item's `<category>`, read when one opens.
#[derive(Default)]
pub(super) struct CategoryAttrs {
    pub(super) domain: Option<String>,
    pub(super) nicename: Option<String>,
}

/// A problem found while an event borrows the buffer, placed once it is released.
enum Problem {
    Xml(XmlError, usize),
    Doctype,
    Encoding(String, &'static str),
}

/// The event stream with positions. One buffer is reused for every event.
pub(super) struct Events<R> {
    reader: NsReader<R>,
    buf: Vec<u8>,
    /// Where the last event began, and where it ended.
    pub(super) start: Pos,
    end: Pos,
    /// The reader's byte offset at `end`.
    end_offset: u64,
    /// Text collected since [`Events::text`] was last taken.
    pub(super) text: String,
    /// Attributes of the last `<category>` opened.
    pub(super) category: CategoryAttrs,
    /// Names of the open elements as written, for messages: one string, cut at `ends`.
    names: String,
    ends: Vec<usize>,
}

impl<R: BufRead> Events<R> {
    pub(super) fn new(input: R) -> Self {
        let mut reader = NsReader::from_reader(input);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Events {
            reader,
            buf: Vec::with_capacity(16 * 1024),
            start: Pos::START,
            end: Pos::START,
            end_offset: 0,
            text: String::new(),
            category: CategoryAttrs::default(),
            names: String::new(),
            ends: Vec::new(),
        }
    }

    /// The innermost open element's name as written (`wp:post_id`).
    pub(super) fn current(&self) -> &str {
        let from = self.ends.len().checked_sub(2).map_or(0, |i| self.ends[i]);
        &self.names[from..]
    }

    /// How many elements are open.
    pub(super) fn depth(&self) -> usize {
        self.ends.len()
    }

    /// The next event; text is decoded into [`Events::text`] only when `collect` is set, so
    /// skipped elements (e-mail and IP addresses) are never decoded at all.
    pub(super) fn next(&mut self, collect: bool) -> Result<Ev, WxrError> {
        loop {
            self.buf.clear();
            let (ns, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok((ns, event)) => (Ns::of(&ns), event),
                Err(cause) => {
                    if let quick_xml::Error::Io(io) = cause {
                        let cause = std::io::Error::new(io.kind(), io);
                        return Err(WxrError::Read { cause });
                    }
                    let at = self.reader.error_position();
                    return Err(self.xml_error(XmlError::Parse(cause), at));
                }
            };
            let decoder = self.reader.decoder();
            let mut problem = None;
            let ev = match event {
                Event::Start(start) => {
                    let local = start.local_name();
                    let name = Name::new(ns, local.as_ref());
                    self.names
                        .push_str(&String::from_utf8_lossy(start.name().as_ref()));
                    self.ends.push(self.names.len());
                    if name.ns == Ns::None && name.local() == b"category" {
                        match category_attrs(&start, decoder) {
                            Ok(attrs) => self.category = attrs,
                            Err(e) => problem = Some(Problem::Xml(XmlError::Parse(e), 0)),
                        }
                    }
                    Some(Ev::Open(name))
                }
                Event::End(_) => {
                    self.ends.pop();
                    let from = self.ends.last().copied().unwrap_or(0);
                    self.names.truncate(from);
                    Some(Ev::Close)
                }
                Event::Empty(_) => None, // never produced: empty elements are expanded
                Event::Text(text) => {
                    if collect {
                        problem = push_text(&mut self.text, &text, decoder, 0).err();
                    }
                    Some(Ev::Text)
                }
                Event::CData(cdata) => {
                    if collect {
                        // The text starts after `<![CDATA[`.
                        problem = push_text(&mut self.text, &cdata, decoder, 9).err();
                    }
                    Some(Ev::Text)
                }
                Event::GeneralRef(reference) => match resolve(&reference) {
                    Ok(resolved) => {
                        if collect {
                            match resolved {
                                Resolved::Char(c) => self.text.push(c),
                                Resolved::Str(s) => self.text.push_str(s),
                            }
                        }
                        Some(Ev::Text)
                    }
                    Err(cause) => {
                        problem = Some(Problem::Xml(cause, 0));
                        None
                    }
                },
                Event::DocType(doctype) => {
                    // `<!DOCTYPE rss>` alone declares nothing; anything after the name
                    // (an internal subset, SYSTEM or PUBLIC) is refused unread.
                    let content = doctype.trim_ascii();
                    if content
                        .iter()
                        .any(|b| b.is_ascii_whitespace() || *b == b'[')
                    {
                        problem = Some(Problem::Doctype);
                    }
                    None
                }
                Event::Decl(decl) => {
                    problem = unreadable_encoding(&decl);
                    None
                }
                Event::Comment(_) | Event::PI(_) => None,
                Event::Eof => Some(Ev::Eof),
            };
            self.start = self.end;
            self.end = self.end.after(&self.buf);
            self.end_offset = self.reader.buffer_position();
            match problem {
                None => {}
                Some(Problem::Xml(cause, offset)) => {
                    let at = self
                        .start
                        .after(self.buf.get(..offset).unwrap_or(&self.buf));
                    return Err(WxrError::Xml {
                        line: at.line,
                        column: at.column,
                        cause,
                    });
                }
                Some(Problem::Doctype) => {
                    let Pos { line, column } = self.start;
                    return Err(WxrError::Doctype { line, column });
                }
                Some(Problem::Encoding(encoding, problem)) => {
                    return Err(WxrError::Encoding { encoding, problem });
                }
            }
            match ev {
                Some(Ev::Eof) if !self.ends.is_empty() => {
                    let cause = XmlError::UnexpectedEof(self.current().to_owned());
                    return Err(self.error_here(cause));
                }
                Some(ev) => return Ok(ev),
                None => {}
            }
        }
    }

    /// An error at the end of the last event.
    pub(super) fn error_here(&self, cause: XmlError) -> WxrError {
        WxrError::Xml {
            line: self.end.line,
            column: self.end.column,
            cause,
        }
    }

    /// An error at `offset`, a position of the reader at or after the last event's end,
    /// whose bytes since then are still in the buffer.
    fn xml_error(&self, cause: XmlError, offset: u64) -> WxrError {
        let since = offset.saturating_sub(self.end_offset);
        let since = usize::try_from(since)
            .unwrap_or(usize::MAX)
            .min(self.buf.len());
        let at = self.end.after(&self.buf[..since]);
        WxrError::Xml {
            line: at.line,
            column: at.column,
            cause,
        }
    }
}

const UTF16: &str = "UTF-16 is not supported; WordPress writes UTF-8, convert the file first \
                     (iconv -f UTF-16 -t UTF-8)";

/// Refuses UTF-16 input, by its byte order mark or its first bytes, before the parser
/// misreads it as a single-byte encoding.
pub(super) fn refuse_utf16(input: &mut impl BufRead) -> Result<(), WxrError> {
    let head = input.fill_buf().map_err(|cause| WxrError::Read { cause })?;
    let encoding = match head {
        [0xFF, 0xFE, ..] | [b'<', 0, b'?', 0, ..] => "UTF-16LE",
        [0xFE, 0xFF, ..] | [0, b'<', 0, b'?', ..] => "UTF-16BE",
        _ => return Ok(()),
    };
    Err(WxrError::Encoding {
        encoding: encoding.to_owned(),
        problem: UTF16,
    })
}

/// What a reference stands for.
enum Resolved {
    Char(char),
    Str(&'static str),
}

/// A character reference or one of XML's five entities; any other entity is an error, never
/// expanded and never kept as text.
fn resolve(reference: &BytesRef<'_>) -> Result<Resolved, XmlError> {
    if let Some(c) = reference.resolve_char_ref().map_err(XmlError::Parse)? {
        return Ok(Resolved::Char(c));
    }
    Ok(Resolved::Str(match &**reference {
        b"lt" => "<",
        b"gt" => ">",
        b"amp" => "&",
        b"apos" => "'",
        b"quot" => "\"",
        other => {
            return Err(XmlError::UndefinedEntity(
                String::from_utf8_lossy(other).into_owned(),
            ));
        }
    }))
}

/// The problem with the encoding an XML declaration names, if it is unknown or UTF-16 (which
/// the parser, reading bytes as ASCII-compatible, would misread).
fn unreadable_encoding(decl: &BytesDecl<'_>) -> Option<Problem> {
    let label = decl.encoding()?;
    let label = label
        .map(|l| String::from_utf8_lossy(&l).into_owned())
        .unwrap_or_default();
    match decl.encoder() {
        None => Some(Problem::Encoding(label, "an unknown encoding")),
        Some(e) if e.name().starts_with("UTF-16") => Some(Problem::Encoding(label, UTF16)),
        Some(_) => None,
    }
}

/// Appends decoded text, its line ends normalised as XML requires (`\r\n` and `\r` read as
/// `\n`). `skip` is how many bytes of markup precede the text in the event, to place an
/// invalid byte exactly.
fn push_text(
    text: &mut String,
    raw: &[u8],
    decoder: quick_xml::encoding::Decoder,
    skip: usize,
) -> Result<(), Problem> {
    let decoded: Cow<'_, str> = if decoder.encoding().name() == "UTF-8" {
        match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => {
                let cause = XmlError::Encoding { encoding: "UTF-8" };
                return Err(Problem::Xml(cause, skip + e.valid_up_to()));
            }
        }
    } else {
        decoder.decode(raw).map_err(|_| {
            Problem::Xml(
                XmlError::Encoding {
                    encoding: decoder.encoding().name(),
                },
                skip,
            )
        })?
    };
    if decoded.contains('\r') {
        text.push_str(&decoded.replace("\r\n", "\n").replace('\r', "\n"));
    } else {
        text.push_str(&decoded);
    }
    Ok(())
}

/// `domain` and `nicename` of an item's `<category>`, entities resolved.
fn category_attrs(
    start: &BytesStart<'_>,
    decoder: quick_xml::encoding::Decoder,
) -> Result<CategoryAttrs, quick_xml::Error> {
    let mut attrs = CategoryAttrs::default();
    for attr in start.attributes() {
        let attr = attr.map_err(quick_xml::Error::InvalidAttr)?;
        let slot = match attr.key.as_ref() {
            b"domain" => &mut attrs.domain,
            b"nicename" => &mut attrs.nicename,
            _ => continue,
        };
        let value =
            attr.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)?;
        *slot = Some(value.into_owned());
    }
    Ok(attrs)
}
