//! The one integration-test binary: the real executable, a temp database, piped stdin and a
//! fixed clock (design.md). Each module covers one command family.

mod harness;

mod config;
mod crash;
mod decks;
mod import;
mod import_formats;
mod interview;
mod manage;
mod month;
mod reliability;
mod review;
mod stats;
