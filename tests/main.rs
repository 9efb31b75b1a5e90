//! The integration tests: one binary, a module per feature, over an index
//! built once from `fixtures/` (and, where `../shared/corpus` exists, over
//! the real corpus).

mod api;
mod browser;
mod common;
mod corpus;
mod credits;
mod crosslang;
mod fixtures_search;
#[path = "../benches/support/fuzz.rs"]
mod fuzz;
#[path = "../benches/support/gold.rs"]
mod gold;
mod languages;
mod products;
#[path = "../benches/support/products_gold.rs"]
mod products_gold;
mod robustness;
mod seeds;
mod update;
