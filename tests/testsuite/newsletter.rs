//! newsletter: see the issue.
