//! Decks and the per-deck counts `alt-prep decks` shows.

use super::Db;
use super::filter::CardFilter;
use anyhow::{Context, Result, bail};
use rusqlite::OptionalExtension;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DeckRow {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub builtin: bool,
}

/// Counts as `review` would see them now (before daily limits).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeckCounts {
    pub cards: i64,
    pub prompts: i64,
    pub new: i64,
    pub learning: i64,
    pub due: i64,
    pub suspended: i64,
}

/// Reads `id, key, name, description, builtin`.
fn deck_from_row(r: &rusqlite::Row) -> rusqlite::Result<DeckRow> {
    Ok(DeckRow {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        builtin: r.get(4)?,
    })
}

impl Db {
    pub fn decks(&self) -> Result<Vec<DeckRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, key, name, description, builtin FROM decks ORDER BY name")?;
        let rows = stmt.query_map([], deck_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A deck by its name (case-insensitive) or its key.
    pub fn find_deck(&self, name: &str) -> Result<Option<DeckRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, key, name, description, builtin FROM decks
                 WHERE name = ?1 COLLATE NOCASE OR key = ?1 ORDER BY name = ?1 DESC LIMIT 1",
                [name],
                deck_from_row,
            )
            .optional()?)
    }

    /// Resolves `--deck` names to ids, with an error listing the decks that exist.
    pub fn resolve_decks(&self, names: &[String]) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for name in names {
            match self.find_deck(name)? {
                Some(deck) => ids.push(deck.id),
                None => {
                    let known: Vec<String> = self.decks()?.into_iter().map(|d| d.name).collect();
                    bail!(
                        "no deck named `{name}`; the decks are: {} (see `alt-prep decks`)",
                        known.join(", ")
                    );
                }
            }
        }
        Ok(ids)
    }

    /// Card counts for one deck at `now` (unix seconds): new, learning due, reviews due by
    /// the end of the current study day boundary (`due <= now`), suspended.
    pub fn deck_counts(&self, deck_id: i64, now: i64) -> Result<DeckCounts> {
        let filter = CardFilter {
            deck_ids: vec![deck_id],
            tags: vec![],
        };
        self.counts(&filter, now)
    }

    /// Two passes over indexes alone, no card rows read (unless tags are chosen): new cards
    /// from `cards_new` and studied ones from `cards_deck_stats` (or `cards_queue` for every
    /// deck), the two halves migration 004 split the cards into.
    pub fn counts(&self, filter: &CardFilter, now: i64) -> Result<DeckCounts> {
        let (where_sql, params) = filter.sql(1);
        let (new_cards, new_prompts, new, new_suspended): (i64, i64, i64, i64) = self
            .conn
            .query_row(
                &format!(
                    "SELECT count(*) FILTER (WHERE kind = 0), count(*) FILTER (WHERE kind = 1),
                            count(*) FILTER (WHERE kind = 0 AND suspended = 0),
                            count(*) FILTER (WHERE kind = 0 AND suspended = 1)
                     FROM cards INDEXED BY cards_new WHERE state = 0{where_sql}"
                ),
                rusqlite::params_from_iter(params),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .context("could not count new cards")?;
        let studied = if filter.deck_ids.is_empty() {
            "cards_queue"
        } else {
            "cards_deck_stats"
        };
        let (where_sql, mut params) = filter.sql(2);
        params.insert(0, rusqlite::types::Value::Integer(now));
        let (cards, prompts, learning, due, suspended): (i64, i64, i64, i64, i64) = self
            .conn
            .query_row(
                &format!(
                    "SELECT count(*) FILTER (WHERE kind = 0), count(*) FILTER (WHERE kind = 1),
                            count(*) FILTER (WHERE kind = 0 AND suspended = 0 AND state IN (1, 3) AND due <= ?1),
                            count(*) FILTER (WHERE kind = 0 AND suspended = 0 AND state = 2 AND due <= ?1),
                            count(*) FILTER (WHERE kind = 0 AND suspended = 1)
                     FROM cards INDEXED BY {studied} WHERE state > 0{where_sql}"
                ),
                rusqlite::params_from_iter(params),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .context("could not count studied cards")?;
        Ok(DeckCounts {
            cards: cards + new_cards,
            prompts: prompts + new_prompts,
            new,
            learning,
            due,
            suspended: suspended + new_suspended,
        })
    }
}
