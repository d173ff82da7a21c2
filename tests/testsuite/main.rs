//! Integration tests of Kiosque: build the example site and small fixtures (tests/fixtures/), then
//! read the output as a reader, a feed reader or a crawler would. See tests/README.md.

mod support;

mod architecture;
mod articles;
mod authors;
mod base_path;
mod browser;
mod check;
mod code;
mod comments;
mod defects;
mod discussion;
mod disk;
mod edge_cases;
mod embed_forms;
mod embeds;
mod errors;
mod escaping;
mod example_site;
mod feeds;
mod fuzz_inputs;
mod hostile;
mod images;
mod images_serve;
mod import;
mod incremental;
mod internal_links;
mod languages;
mod lists;
mod metadata;
mod newsletter;
mod pages;
mod positions;
mod publishing;
mod redirects;
mod related;
mod safe;
mod search;
mod serve;
mod share;
mod sitemap;
mod sources;
mod themes;
mod translations;
mod typography;
