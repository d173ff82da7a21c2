//! share: see the issue.
