//! Archived comments placed in threads: each reply under the comment it answers, oldest
//! first, with what a template needs to nest them as lists without recursion.

use std::collections::{HashMap, HashSet};

use crate::content::Comment;

/// A comment in thread order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadedComment {
    /// The comment.
    pub comment: Comment,
    /// 0 for a comment on the article, 1 for a reply to one, and so on.
    pub depth: usize,
    /// Whether the comments after it, up to its next sibling, answer it.
    pub has_replies: bool,
    /// How many levels of replies end after it.
    pub closes: usize,
}

/// The comments in thread order: a depth-first walk, each level oldest first. A reply to a
/// comment that is not in the archive, or caught in a loop of parents, is shown on the
/// article itself rather than lost.
pub fn thread(comments: Vec<Comment>) -> Vec<ThreadedComment> {
    let ids: HashSet<u64> = comments.iter().map(|c| c.id).collect();
    let mut children: HashMap<Option<u64>, Vec<usize>> = HashMap::new();
    for (index, comment) in comments.iter().enumerate() {
        let parent = comment
            .parent
            .filter(|p| ids.contains(p) && *p != comment.id);
        children.entry(parent).or_default().push(index);
    }
    for list in children.values_mut() {
        list.sort_by_key(|&i| (comments[i].date, comments[i].id));
    }
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(comments.len());
    let mut placed = vec![false; comments.len()];
    let walk = |roots: Vec<usize>, order: &mut Vec<(usize, usize)>, placed: &mut [bool]| {
        let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (i, 0)).collect();
        while let Some((index, depth)) = stack.pop() {
            if std::mem::replace(&mut placed[index], true) {
                continue;
            }
            order.push((index, depth));
            let replies = children
                .get(&Some(comments[index].id))
                .into_iter()
                .flatten();
            stack.extend(replies.rev().map(|&i| (i, depth + 1)));
        }
    };
    walk(
        children.get(&None).cloned().unwrap_or_default(),
        &mut order,
        &mut placed,
    );
    // Parents in a loop are never reached from the article: show them on it.
    let mut stranded: Vec<usize> = (0..comments.len()).filter(|&i| !placed[i]).collect();
    stranded.sort_by_key(|&i| (comments[i].date, comments[i].id));
    for index in stranded {
        walk(vec![index], &mut order, &mut placed);
    }
    let mut slots: Vec<Option<Comment>> = comments.into_iter().map(Some).collect();
    let depths: Vec<usize> = order.iter().map(|&(_, depth)| depth).collect();
    order
        .iter()
        .enumerate()
        .map(|(position, &(index, depth))| {
            let next = depths.get(position + 1).copied().unwrap_or(0);
            ThreadedComment {
                comment: slots[index].take().expect("each comment is placed once"),
                depth,
                has_replies: next > depth,
                closes: depth.saturating_sub(next),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: u64, parent: Option<u64>, minute: i8) -> Comment {
        Comment {
            id,
            author: format!("c{id}"),
            url: None,
            date: jiff::civil::date(2025, 2, 11)
                .at(10, minute, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp(),
            parent,
            text: String::new(),
        }
    }

    #[test]
    fn replies_follow_what_they_answer_oldest_first() {
        let comments = vec![
            comment(3, Some(1), 3),
            comment(1, None, 1),
            comment(4, None, 4),
            comment(2, Some(1), 2),
            comment(5, Some(2), 5),
            comment(6, Some(99), 6),
        ];
        let threaded = thread(comments);
        let shape: Vec<(u64, usize, bool, usize)> = threaded
            .iter()
            .map(|t| (t.comment.id, t.depth, t.has_replies, t.closes))
            .collect();
        assert_eq!(
            shape,
            [
                (1, 0, true, 0),
                (2, 1, true, 0),
                (5, 2, false, 1),
                (3, 1, false, 1),
                (4, 0, false, 0),
                (6, 0, false, 0),
            ]
        );
    }

    #[test]
    fn a_loop_of_parents_loses_nothing() {
        let threaded = thread(vec![comment(1, Some(2), 1), comment(2, Some(1), 2)]);
        let ids: Vec<u64> = threaded.iter().map(|t| t.comment.id).collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(threaded.last().unwrap().closes, 1);
    }
}
