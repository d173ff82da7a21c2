//! Related stories: for each article, the articles sharing the most with it (a shared tag
//! weighs more than the category), newer first on ties.
//!
//! No pair of articles is compared unless they are near each other in some term's list: each
//! article looks at the [`WINDOW`] newer and older articles of each of its terms. The work is
//! linear in the number of articles (times their terms), so 100,000 articles stay fast, where
//! comparing every pair would take hours.

use rayon::prelude::*;

/// Articles looked at on each side of an article in each of its terms' lists.
pub const WINDOW: usize = 25;

/// Weight of a shared tag.
const TAG: u32 = 2;
/// Weight of a shared category.
const CATEGORY: u32 = 1;

/// What relates articles: indices are article positions, newest first.
pub struct Terms<'a> {
    /// Each article's tags.
    pub tags: &'a [&'a [usize]],
    /// Each article's category.
    pub categories: &'a [Option<usize>],
    /// Each tag's articles, newest first.
    pub tag_articles: &'a [&'a [usize]],
    /// Each category's articles, newest first.
    pub category_articles: &'a [&'a [usize]],
}

/// Up to `count` related articles of each article, best first.
pub fn related(terms: &Terms<'_>, count: usize) -> Vec<Vec<usize>> {
    let n = terms.tags.len();
    if count == 0 {
        return vec![Vec::new(); n];
    }
    // Where each article sits in each term's list, to find its window without a search.
    let positions = |lists: &[&[usize]]| -> Vec<Vec<(usize, usize)>> {
        let mut at = vec![Vec::new(); n];
        for (term, list) in lists.iter().enumerate() {
            for (position, &article) in list.iter().enumerate() {
                at[article].push((term, position));
            }
        }
        at
    };
    let tag_positions = positions(terms.tag_articles);
    let category_positions = positions(terms.category_articles);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], Vec::new()),
            |(scores, touched), article| {
                let mut visit = |list: &[usize], position: usize, weight: u32| {
                    let start = position.saturating_sub(WINDOW);
                    let end = (position + WINDOW + 1).min(list.len());
                    for &other in &list[start..end] {
                        if other != article {
                            if scores[other] == 0 {
                                touched.push(other);
                            }
                            scores[other] += weight;
                        }
                    }
                };
                for &(tag, position) in &tag_positions[article] {
                    visit(terms.tag_articles[tag], position, TAG);
                }
                for &(category, position) in &category_positions[article] {
                    visit(terms.category_articles[category], position, CATEGORY);
                }
                // Highest score first; on a tie the newer, which comes first in the site.
                touched.sort_unstable_by(|&a: &usize, &b: &usize| {
                    scores[b].cmp(&scores[a]).then(a.cmp(&b))
                });
                let best = touched.iter().take(count).copied().collect();
                for &other in touched.iter() {
                    scores[other] = 0;
                }
                touched.clear();
                best
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Related lists of articles given as (tags, category), newest first.
    fn related_of(articles: &[(&[usize], Option<usize>)], count: usize) -> Vec<Vec<usize>> {
        let tags: Vec<&[usize]> = articles.iter().map(|(t, _)| *t).collect();
        let categories: Vec<Option<usize>> = articles.iter().map(|(_, c)| *c).collect();
        let list = |has: &dyn Fn(usize) -> bool| -> Vec<usize> {
            (0..articles.len()).filter(|&a| has(a)).collect()
        };
        let tag_lists: Vec<Vec<usize>> = (0..4).map(|t| list(&|a| tags[a].contains(&t))).collect();
        let category_lists: Vec<Vec<usize>> = (0..2)
            .map(|c| list(&|a| categories[a] == Some(c)))
            .collect();
        let tag_articles: Vec<&[usize]> = tag_lists.iter().map(Vec::as_slice).collect();
        let category_articles: Vec<&[usize]> = category_lists.iter().map(Vec::as_slice).collect();
        related(
            &Terms {
                tags: &tags,
                categories: &categories,
                tag_articles: &tag_articles,
                category_articles: &category_articles,
            },
            count,
        )
    }

    #[test]
    fn shared_tags_weigh_more_than_the_category_and_newer_wins_ties() {
        let related = related_of(
            &[
                (&[0], Some(0)),    // 0: newest
                (&[0, 1], None),    // 1
                (&[2], Some(0)),    // 2
                (&[0, 1], Some(1)), // 3
                (&[3], None),       // 4: shares nothing
                (&[0], Some(0)),    // 5: oldest
            ],
            3,
        );
        // 3 shares two tags with 1; 0 and 5 share one each, 0 is newer.
        assert_eq!(related[1], [3, 0, 5]);
        // 5 shares a tag and the category with 0: more than 1 and 3 (a tag) or 2 (category).
        assert_eq!(related[0], [5, 1, 3]);
        assert!(related[4].is_empty(), "nothing in common, nothing related");
        let none: [Vec<usize>; 2] = [vec![], vec![]];
        assert_eq!(related_of(&[(&[0], None), (&[0], None)], 0), none);
    }

    #[test]
    fn a_big_tag_is_looked_at_around_the_article_only() {
        // Every article has tag 0: each sees its window, not the whole site.
        let tags: Vec<(&[usize], Option<usize>)> = (0..500).map(|_| (&[0][..], None)).collect();
        let related = related_of(&tags, 500);
        assert_eq!(related[250].len(), 2 * WINDOW);
        assert_eq!(
            related[250][0],
            250 - WINDOW,
            "the newest of its window first"
        );
        assert_eq!(related[0].len(), WINDOW);
    }
}
