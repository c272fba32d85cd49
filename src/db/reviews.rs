//! Queries over the review log.

use super::Db;
use anyhow::Result;

/// Answers given since a moment, split the way the daily limits need them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoneToday {
    /// Answers to cards that were new (each new card counts once, on its first answer).
    pub new: u32,
    /// Answers to cards that were in review (or interday learning) state.
    pub reviews: u32,
}

impl Db {
    /// What was answered since `since_ms` (the start of the study day), for flashcards
    /// (`kind` 0) or interview prompts (1). `CROSS JOIN` keeps SQLite walking today's reviews
    /// by time rather than every card of that kind.
    pub fn done_since(&self, since_ms: i64, kind: i64) -> Result<DoneToday> {
        let (new, reviews) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE r.state_before = 0),
                    count(*) FILTER (WHERE r.state_before = 2)
             FROM reviews r CROSS JOIN cards c ON c.id = r.card_id
             WHERE r.reviewed_at >= ?1 AND c.kind = ?2 AND r.source != 'import'",
            rusqlite::params![since_ms, kind],
            |r| Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?)),
        )?;
        Ok(DoneToday { new, reviews })
    }
}
