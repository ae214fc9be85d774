//! Placeholder replaced by the divan benchmark.
fn main() {}
