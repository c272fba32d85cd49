//! Plain data shared by every layer: ratings, card states and the scheduling fields of a card.

pub mod category;
pub mod grade;
pub mod state;

pub use grade::Rating;
pub use state::{CardState, Schedule};
