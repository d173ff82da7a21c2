//! Why an export could not be read: typed, with the line and column where the file is at
//! fault and the parser's error kept as the cause.

use std::path::PathBuf;

/// Why a WXR export could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WxrError {
    /// The file is not well-formed XML (or ends too early).
    #[error("malformed XML at line {line}, column {column}")]
    Xml {
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem, in characters.
        column: u64,
        /// What is wrong there.
        #[source]
        cause: XmlError,
    },
    /// Well-formed XML, but not a WordPress export.
    #[error("not a WordPress export (WXR): the file is {found}")]
    NotWxr {
        /// What the file is instead, e.g. "an Atom feed".
        found: String,
    },
    /// A `<!DOCTYPE>` with declarations: WordPress never writes one, and its entities could
    /// expand without bound ("billion laughs") or read other files, so it is refused unread.
    #[error(
        "a <!DOCTYPE> with declarations at line {line}, column {column}: refused, as WordPress \
         never writes one and its entities could expand without bound or read local files"
    )]
    Doctype {
        /// 1-based line of the `<!DOCTYPE`.
        line: u64,
        /// 1-based column of the `<!DOCTYPE`.
        column: u64,
    },
    /// The file's encoding is one this reader cannot parse (UTF-16) or does not know.
    #[error("the export is encoded as {encoding}: {problem}")]
    Encoding {
        /// The encoding as declared or detected.
        encoding: String,
        /// Why it cannot be read, and what to do.
        problem: &'static str,
    },
    /// A WordPress field holds a value of the wrong form, e.g. a `wp:post_id` that is not a
    /// number, or an item without one.
    #[error("<{element}> at line {line}, column {column}: {problem}")]
    Field {
        /// The element, as written (`wp:post_id`).
        element: String,
        /// 1-based line where the element starts.
        line: u64,
        /// 1-based column where the element starts.
        column: u64,
        /// What is wrong with it.
        problem: String,
    },
    /// The input could not be read.
    #[error("cannot read the export")]
    Read {
        /// The I/O error.
        #[source]
        cause: std::io::Error,
    },
    /// Reading the file at `path` failed; the cause says how.
    #[error("cannot import the WordPress export {}", path.display())]
    File {
        /// The export file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        cause: Box<WxrError>,
    },
}

/// What is wrong with malformed XML, the cause of [`WxrError::Xml`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The XML parser's own error (an unclosed tag, mismatched end tag, bad attribute…).
    #[error(transparent)]
    Parse(quick_xml::Error),
    /// An entity other than the five of XML: never expanded, and not kept as text either.
    #[error("undefined entity &{0};: XML defines only &lt; &gt; &amp; &apos; &quot;")]
    UndefinedEntity(String),
    /// Text that is not valid in the file's encoding.
    #[error("text that is not valid {encoding}")]
    Encoding {
        /// The encoding the text was read as.
        encoding: &'static str,
    },
    /// The file ends before an element is closed.
    #[error("the file ends inside <{0}>, before its end tag")]
    UnexpectedEof(String),
    /// Another element after the root element's end.
    #[error("a second root element <{0}> after the end of the first")]
    SecondRoot(String),
}
