//! Related stories at scale: `cargo bench --bench related`.
//!
//! First on the generated 10,000-article corpus of `scripts/bench.sh` (generated with
//! `scripts/gen_corpus.py` if missing): the site is read as a build reads it, then finding
//! every article's related stories is timed. Then on synthetic sites of 10,000 and 100,000
//! articles whose tags follow a Zipf law (a few tags on thousands of articles, most on a
//! handful, as in a newsroom's archive), with three to six tags and one of twelve categories
//! each.

use std::time::Instant;

use std::path::Path;

use kiosque::related::{Terms, related};

/// A small deterministic generator, so every run measures the same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A tag drawn with probability proportional to 1 / rank.
    fn zipf(&mut self, tags: usize, harmonic: f64) -> usize {
        let mut target = (self.next() % 1_000_000) as f64 / 1_000_000.0 * harmonic;
        for rank in 1..=tags {
            target -= 1.0 / rank as f64;
            if target <= 0.0 {
                return rank - 1;
            }
        }
        tags - 1
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    corpus();
    for articles in [10_000, 100_000] {
        let tag_count = articles / 20;
        let harmonic: f64 = (1..=tag_count).map(|r| 1.0 / r as f64).sum();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut tags: Vec<Vec<usize>> = Vec::with_capacity(articles);
        let mut categories = Vec::with_capacity(articles);
        for _ in 0..articles {
            let mut own: Vec<usize> = (0..3 + rng.next() % 4)
                .map(|_| rng.zipf(tag_count, harmonic))
                .collect();
            own.sort_unstable();
            own.dedup();
            tags.push(own);
            categories.push(Some((rng.next() % 12) as usize));
        }
        let mut tag_lists = vec![Vec::new(); tag_count];
        let mut category_lists = vec![Vec::new(); 12];
        for (article, own) in tags.iter().enumerate() {
            own.iter().for_each(|&t| tag_lists[t].push(article));
            if let Some(c) = categories[article] {
                category_lists[c].push(article);
            }
        }
        let tag_refs: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
        let tag_articles: Vec<&[usize]> = tag_lists.iter().map(Vec::as_slice).collect();
        let category_articles: Vec<&[usize]> = category_lists.iter().map(Vec::as_slice).collect();
        let terms = Terms {
            tags: &tag_refs,
            categories: &categories,
            tag_articles: &tag_articles,
            category_articles: &category_articles,
        };
        let biggest = tag_lists.iter().map(Vec::len).max().unwrap_or(0);
        let mut best = f64::MAX;
        for _ in 0..3 {
            let started = Instant::now();
            let lists = related(&terms, 5);
            best = best.min(started.elapsed().as_secs_f64());
            assert_eq!(lists.len(), articles);
        }
        println!(
            "related: {articles} articles, {tag_count} tags (biggest on {biggest} articles): \
             {:.0} ms for every article's 5 related stories (best of 3)",
            best * 1000.0
        );
    }
}

/// Times related stories on the generated corpus, as a build finds them.
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/corpus-10000-s42");
    if !root.join("site.toml").exists() {
        let generated = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_corpus.py"))
            .args(["--seed", "42", "10000"])
            .arg(&root)
            .status();
        if !generated.is_ok_and(|status| status.success()) {
            println!("related: no corpus (python3 scripts/gen_corpus.py failed), skipped");
            return;
        }
    }
    let options = kiosque::BuildOptions {
        root,
        ..Default::default()
    };
    let project = match kiosque::Project::load(&options) {
        Ok(project) => project,
        Err(error) => {
            println!("related: the corpus does not load ({error}), skipped");
            return;
        }
    };
    let site = project.site();
    let tags: Vec<&[usize]> = site.articles.iter().map(|a| a.tags.as_slice()).collect();
    let categories: Vec<Option<usize>> = site.articles.iter().map(|a| a.category).collect();
    let tag_articles: Vec<&[usize]> = site
        .tags
        .terms
        .iter()
        .map(|t| t.articles.as_slice())
        .collect();
    let category_articles: Vec<&[usize]> = site
        .categories
        .terms
        .iter()
        .map(|t| t.articles.as_slice())
        .collect();
    let terms = Terms {
        tags: &tags,
        categories: &categories,
        tag_articles: &tag_articles,
        category_articles: &category_articles,
    };
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let lists = related(&terms, 5);
        best = best.min(started.elapsed().as_secs_f64());
        assert_eq!(lists.len(), site.articles.len());
    }
    println!(
        "related: generated corpus, {} articles, {} tags: {:.0} ms for every article's 5 related stories (best of 3)",
        site.articles.len(),
        site.tags.terms.len(),
        best * 1000.0
    );
}
