//! `kiosque import`: bringing a site from another system over, outside the build. Readers turn
//! an export into typed data ([`wxr`] for WordPress); converters ([`convert`]) and the command
//! turn that data into sources a writer could have written by hand, which the ordinary build
//! then proves.

pub mod convert;
pub mod wordpress;
pub mod wxr;
