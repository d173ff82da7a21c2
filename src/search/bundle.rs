//! A part's search bundle, written by Pagefind's library: `pagefind.js` and its WebAssembly,
//! the chunked word index, filters and one fragment per result.

use std::path::Path;
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::Record;
use crate::diagnostics::Cause;

/// Files of Pagefind's own interfaces, which the theme's script replaces, and the WebAssembly
/// of pages in no known language, which a part's index (in its own language) never loads:
/// never published.
const UNUSED: [&str; 8] = [
    "wasm.unknown.pagefind",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Why Pagefind failed, kept as the cause of a diagnostic.
fn cause(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Cause {
    Arc::from(error.into())
}

/// The bundle of a part in `language` (the index stems its words as that language's), as
/// file names relative to the bundle folder and their bytes.
///
/// Pagefind's API is asynchronous; it runs on a runtime of its own, in a thread of its own,
/// so it neither needs nor disturbs the caller's (the preview server's).
pub(crate) fn index(records: Vec<Record>, language: &str) -> Result<Vec<(String, Vec<u8>)>, Cause> {
    let language = language
        .split(['-', '_'])
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase();
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .map_err(cause)?;
                runtime.block_on(write(records, language))
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

async fn write(records: Vec<Record>, language: String) -> Result<Vec<(String, Vec<u8>)>, Cause> {
    let options = PagefindServiceConfig::builder()
        .force_language(language.clone())
        .keep_index_url(true)
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(cause)?;
    for record in records {
        index
            .add_custom_record(
                record.url,
                record.content,
                language.clone(),
                Some(record.meta),
                Some(record.filters),
                Some(record.sort),
            )
            .await
            .map_err(cause)?;
    }
    let files = index.get_files().await.map_err(cause)?;
    Ok(files
        .into_iter()
        .filter_map(|file| {
            let name = relative_name(&file.filename)?;
            (!UNUSED.contains(&name.as_str())).then_some((name, file.contents))
        })
        .collect())
}

/// A file name of the bundle with `/` separators, whatever the platform.
fn relative_name(path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path.iter().map(|part| part.to_str()).collect();
    Some(parts?.join("/"))
}
