//! `kiosque import`: bringing another publishing system's content over as Kiosque sources.

pub mod convert;
