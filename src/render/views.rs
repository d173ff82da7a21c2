//! Small serialisable views of the model, the only data templates see.
//!
//! They borrow from the model; bodies are never copied into list views. One file per kind of
//! data: the site, terms, articles, standalone pages and menus, what lists show, and
//! language-dependent formatting.

mod article;
mod discussion;
mod language;
mod lists;
mod page;
mod search;
mod share;
mod site;
mod terms;

pub(crate) use article::{ArticleView, Neighbour};
pub(crate) use language::{locale, number, rfc3339};
pub(crate) use lists::{FeedsView, PaginatorView, archives};
pub(crate) use page::PageView;
pub(crate) use site::SiteView;
pub(crate) use terms::TermView;
