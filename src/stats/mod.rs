//! Progress figures (design.md rule 7): [`compute`] turns summary rows from the database into
//! [`compute::Stats`], a pure and serialisable value; [`render`] draws it for a terminal
//! (the `--json` output is the value itself). [`optimize`] fits FSRS parameters to the
//! learner's own history, also without touching the database.

pub mod compute;
pub mod optimize;
pub mod render;

pub use compute::{Stats, StatsInput, compute};
