//! The model: every part of the site (the root, then each language), its articles placed
//! among each other with their profiles, and the problems of placing them.

use std::collections::{BTreeMap, HashMap};

use super::Unpublished;
use super::stages::target_key;
use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::diagnostics::{Diagnostic, Problem};
use crate::markdown::{INTERNAL_PREFIX, Targets};
use crate::site::{
    self, Article, Extras, Pictures, Profile, SYNTAX_CSS_PATH, Site, StandalonePage, Unit,
    output_file,
};
use crate::theme::StaticFile;

/// The model: every part of the site, its articles placed, with the problems of placing them.
#[derive(Debug, Default)]
pub(crate) struct Model {
    /// The root part, then each language of `[languages]`.
    pub(crate) sites: Vec<Site>,
    /// Output files claimed twice.
    pub(crate) url_errors: Vec<Diagnostic>,
    /// Stories with two versions in one language.
    pub(crate) translation_errors: Vec<Diagnostic>,
}

impl Model {
    /// Hands every part the processed images.
    pub(crate) fn set_pictures(&mut self, pictures: Pictures) {
        let pictures = std::sync::Arc::new(pictures);
        for site in &mut self.sites {
            site.pictures = pictures.clone();
        }
    }

    /// Places articles among each other in their part of the site, with the profiles.
    pub(crate) fn assemble(
        config: &Config,
        parts: &[Config],
        articles: Vec<Article>,
        pages: &[StandalonePage],
        profiles: &BTreeMap<String, Profile>,
    ) -> Model {
        let mut by_part: Vec<(Vec<Article>, Vec<StandalonePage>)> =
            vec![(Vec::new(), Vec::new()); parts.len()];
        let trees: Vec<usize> = articles.iter().map(|a| config.tree_of(&a.lang)).collect();
        if trees.iter().all(|&tree| tree == 0) {
            // A site in one language keeps the list as it is: moving 10,000 articles one
            // by one into a list grown as it went was a serial 50 ms of a rebuild.
            by_part[0].0 = articles;
        } else {
            for (article, tree) in articles.into_iter().zip(trees) {
                by_part[tree].0.push(article);
            }
        }
        for page in pages {
            by_part[config.tree_of(&page.lang)].1.push(page.clone());
        }
        let mut url_errors = Vec::new();
        let mut sites: Vec<Site> = by_part
            .into_iter()
            .zip(parts)
            .map(|((articles, pages), part)| {
                let profiles = profiles.clone();
                let (site, mut errors) = site::assemble(part.clone(), articles, pages, profiles);
                url_errors.append(&mut errors);
                site
            })
            .collect();
        let translation_errors = site::link_translations(&mut sites);
        Model {
            sites,
            url_errors,
            translation_errors,
        }
    }

    /// Every article of every part.
    pub(crate) fn articles(&self) -> impl Iterator<Item = &Article> {
        self.sites.iter().flat_map(|site| &site.articles)
    }

    /// Takes every article out of every part, to place them again.
    pub(crate) fn take_articles(&mut self) -> Vec<Article> {
        let sites = self.sites.iter_mut();
        sites
            .flat_map(|site| std::mem::take(&mut site.articles))
            .collect()
    }

    /// What the site writes besides each part's own files.
    pub(crate) fn extras(&self, statics: &BTreeMap<String, StaticFile>) -> Extras {
        // A theme's or site's own code colours replace the generated ones.
        let own_css = statics.contains_key(&output_file(SYNTAX_CSS_PATH));
        Extras {
            syntax_css: !own_css && self.articles().any(|a| a.has_code),
            redirects: self
                .sites
                .iter()
                .any(|s| s.query_redirects().next().is_some()),
        }
    }

    /// Every output file of every part: part, unit and output path.
    pub(crate) fn outputs(&self, extras: Extras) -> Vec<(usize, Unit, String)> {
        let mut outputs = Vec::new();
        for (tree, site) in self.sites.iter().enumerate() {
            site.each_output(extras, |path, unit| {
                outputs.push((tree, unit, output_file(path)))
            });
        }
        outputs
    }

    /// Internal links (`@/2025/a.md#section`) to no published article, or to no heading of it.
    pub(crate) fn link_errors(
        &self,
        targets: &Targets,
        unpublished: &HashMap<String, Unpublished>,
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut by_key: Option<HashMap<String, &Article>> = None;
        for article in self.articles() {
            for link in &article.internal_links {
                let file = format!("{CONTENT_DIR}/{}", link.target);
                let reason = if let Some(why) = unpublished.get(&link.target) {
                    format!("{file} is {why}, left out of this build")
                } else if !targets.contains_key(&link.target) {
                    format!("there is no article {file}")
                } else if let Some(anchor) = &link.anchor {
                    let by_key = by_key.get_or_insert_with(|| {
                        let articles = self.articles();
                        articles.map(|a| (target_key(&a.source), a)).collect()
                    });
                    match by_key.get(&link.target) {
                        Some(target) if !target.ids.contains(anchor) => {
                            format!("{file} has no heading or id `{anchor}`")
                        }
                        _ => continue,
                    }
                } else {
                    continue;
                };
                let anchor = link.anchor.as_ref().map(|a| format!("#{a}"));
                errors.push(Diagnostic::new(
                    link.location.clone(),
                    Problem::BrokenLink {
                        link: format!(
                            "{INTERNAL_PREFIX}{}{}",
                            link.target,
                            anchor.unwrap_or_default()
                        ),
                        reason,
                    },
                ));
            }
        }
        errors
    }
}
