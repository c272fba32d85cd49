//! Interview prompts and typed answers.

use super::Db;
use super::cards::{CARD_COLUMNS, CardRow, card_from_row};
use anyhow::{Context, Result};
use rusqlite::params;
use serde::Serialize;

/// A prompt with its interview fields and scheduling state.
#[derive(Debug, Clone, Serialize)]
pub struct PromptRow {
    pub card: CardRow,
    pub category: String,
    pub talking_points: Vec<String>,
    pub follow_ups: Vec<String>,
    pub time_limit_secs: u32,
    pub tips: String,
}

/// A typed answer to store.
pub struct NewAnswer<'a> {
    pub card_id: i64,
    pub answered_at_ms: i64,
    pub text: &'a str,
    pub elapsed_ms: i64,
    pub metrics: &'a serde_json::Value,
}

/// One stored answer.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub id: i64,
    pub card_id: i64,
    pub key: String,
    pub category: String,
    pub question: String,
    pub answered_at_ms: i64,
    pub text: String,
    pub elapsed_ms: i64,
    pub metrics: serde_json::Value,
    pub rating: Option<i64>,
}

impl Db {
    /// Every prompt (not suspended unless `all`), in deck order.
    pub fn prompts(&self, all: bool) -> Result<Vec<PromptRow>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS}, p.category, p.talking_points, p.follow_ups, p.time_limit_secs, p.tips
             FROM cards JOIN decks ON decks.id = cards.deck_id JOIN prompts p ON p.card_id = cards.id
             WHERE cards.kind = 1 AND (?1 OR cards.suspended = 0)
             ORDER BY decks.name, cards.position, cards.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([all], |r| {
            let card = card_from_row(r)?;
            let n = 18;
            let points: String = r.get(n + 1)?;
            let follow: String = r.get(n + 2)?;
            Ok(PromptRow {
                card,
                category: r.get(n)?,
                talking_points: serde_json::from_str(&points).unwrap_or_default(),
                follow_ups: serde_json::from_str(&follow).unwrap_or_default(),
                time_limit_secs: r.get::<_, i64>(n + 3)?.clamp(1, 86_400) as u32,
                tips: r.get(n + 4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a typed answer as soon as it is typed; its rating is added with the review-log
    /// row by `record_answer`.
    pub fn save_answer(&self, answer: &NewAnswer) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO answers (card_id, answered_at, text, elapsed_ms, metrics)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    answer.card_id,
                    answer.answered_at_ms,
                    answer.text,
                    answer.elapsed_ms,
                    answer.metrics.to_string(),
                ],
            )
            .context("could not save the answer")?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Answers, oldest first; for one prompt, or the most recent `limit` overall.
    pub fn answers(&self, card_id: Option<i64>, limit: u32) -> Result<Vec<AnswerRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT * FROM (
                 SELECT a.id, a.card_id, decks.key || '/' || c.key, p.category, c.front,
                        a.answered_at, a.text, a.elapsed_ms, a.metrics, a.rating
                 FROM answers a JOIN cards c ON c.id = a.card_id
                 JOIN decks ON decks.id = c.deck_id JOIN prompts p ON p.card_id = c.id
                 WHERE ?1 IS NULL OR a.card_id = ?1
                 ORDER BY a.answered_at DESC, a.id DESC LIMIT ?2)
             ORDER BY 6, 1",
        )?;
        let rows = stmt.query_map(params![card_id, limit], |r| {
            let metrics: String = r.get(8)?;
            Ok(AnswerRow {
                id: r.get(0)?,
                card_id: r.get(1)?,
                key: r.get(2)?,
                category: r.get(3)?,
                question: r.get(4)?,
                answered_at_ms: r.get(5)?,
                text: r.get(6)?,
                elapsed_ms: r.get(7)?,
                metrics: serde_json::from_str(&metrics).unwrap_or(serde_json::Value::Null),
                rating: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Per category: the self-ratings of answers, newest first (for "weakest first").
    pub fn recent_ratings(&self, per_category: usize) -> Result<Vec<(String, Vec<i64>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.category, a.rating FROM answers a JOIN prompts p ON p.card_id = a.card_id
             WHERE a.rating IS NOT NULL ORDER BY a.answered_at DESC, a.id DESC",
        )?;
        let mut out: Vec<(String, Vec<i64>)> = Vec::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (category, rating) = row?;
            match out.iter_mut().find(|(c, _)| *c == category) {
                Some((_, ratings)) if ratings.len() < per_category => ratings.push(rating),
                Some(_) => {}
                None => out.push((category, vec![rating])),
            }
        }
        Ok(out)
    }
}
