//! The scheduler: FSRS-6 memory model (through the `fsrs` crate) plus the Anki behaviour around
//! it — learning steps, day boundaries, fuzz, strictly increasing button intervals, leeches.
//! Pure: no SQL, terminal or clock; `now` and the card come in, the next state goes out
//! (design.md rule 3). Formulas and behaviours are cited from `reference/scheduling.md`.

pub mod answer;
pub mod config;
pub mod day;
pub mod fuzz;
#[cfg(test)]
mod golden;
pub mod interval;
pub mod limits;
pub mod memory;

pub use answer::{Answered, Scheduler};
pub use config::SchedulerConfig;
pub use day::DayClock;
