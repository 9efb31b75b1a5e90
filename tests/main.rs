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

// The allocator the program has (src/main.rs). The tests build the same
// indexes and extract the corpus again for each language left out; with
// the system allocator a twelfth of that time went to malloc and free.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
