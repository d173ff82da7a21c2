//! `kiosque check`: finds problems in a site's sources that a build does not stop at.

pub mod external;
