//! discussion: see the issue.
