//! Progress digests for coordinators and the bureau.

pub mod chart;
