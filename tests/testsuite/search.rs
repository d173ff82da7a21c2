//! search: see the issue.
