//! The review session: a pure queue policy and answer parser, and the loop that talks to the
//! terminal (lines from a pipe, single keys on a terminal).

pub mod input;
pub mod keys;
pub mod learning_count;
pub mod queue;
pub mod render;
pub mod session;
