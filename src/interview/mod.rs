//! Mock-interview practice: which prompts to ask (pure), feedback on an answer (pure), and
//! the session loop that reads typed answers and schedules prompts with the card scheduler.

pub mod feedback;
pub mod panel;
pub mod render;
pub mod select;
pub mod session;
