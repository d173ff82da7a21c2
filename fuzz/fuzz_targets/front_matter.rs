//! The content stage on one file: UTF-8 check, front matter splitting, YAML, validation.
//!
//! Takes raw bytes: rejecting a file that is not UTF-8 is part of what is tested.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use kiosque::BuildOptions;
use kiosque::config::Config;
use kiosque::content;
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
        &BuildOptions::default(),
    )
    .expect("the fuzz config is valid")
});

fuzz_target!(|bytes: &[u8]| {
    let (source, _problems) =
        content::parse_source(PathBuf::from("content/fuzz.md"), bytes, &CONFIG);
    if let Some(source) = source {
        content::is_published(&source.front, &CONFIG);
    }
});
