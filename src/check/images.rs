//! Images heavier than `[images] budget_kb`: the heaviest file a reader may download for
//! each image the site shows (a processed image's largest variant, else the file itself).

use crate::build::Loaded;
use crate::build::images::uses;
use crate::diagnostics::{Diagnostic, OverBudget, Problem};

/// A warning for each image over the budget, at its first use.
pub(super) fn over_budget(project: &Loaded) -> Vec<Diagnostic> {
    let budget = project.config.images.budget;
    let statics = project.templates.statics();
    let site = project.site();
    let mut found = Vec::new();
    for (site_path, first) in uses(project.sites(), statics) {
        let file = &statics[&site_path[1..]];
        let (size, processed) = match site.pictures.of_source(&site_path) {
            // Without a variant smaller than the source, its stand-in is about its size.
            Some(picture) if picture.heaviest() > 0 => (picture.heaviest(), true),
            Some(_) => (file.size, true),
            None => (file.size, false),
        };
        if size > budget {
            let problem = Problem::ImageOverBudget(Box::new(OverBudget {
                image: first.address,
                file: file.path.display().to_string(),
                size,
                budget,
                processed,
            }));
            found.push(Diagnostic::warning(first.at, problem));
        }
    }
    found
}
