//! Upgrades from older specification versions to the shape the reader reads.

pub(crate) mod swagger2;
