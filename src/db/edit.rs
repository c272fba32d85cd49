//! Changes by hand: adding, editing and deleting cards, renaming and deleting decks, and
//! reading decks back out as drafts for export.

use super::Db;
use super::decks::DeckRow;
use super::import::content_hash;
use crate::deck::{CardDraft, DeckDraft, PromptDraft};
use anyhow::{Context, Result, bail};
use rusqlite::{OptionalExtension, params};

/// A deck id from a name: lowercase letters, digits and `-` (`My Deck!` → `my-deck`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if out.is_empty() { "deck".into() } else { out }
}

impl Db {
    /// The deck with this name, created (with an id from its name) if there is none.
    pub fn ensure_deck(&self, name: &str, now: i64) -> Result<DeckRow> {
        if let Some(deck) = self.find_deck(name)? {
            return Ok(deck);
        }
        let base = slug(name);
        let mut key = base.clone();
        let mut n = 1;
        while self
            .conn
            .query_row("SELECT 1 FROM decks WHERE key = ?1", [&key], |_| Ok(()))
            .optional()?
            .is_some()
        {
            n += 1;
            key = format!("{base}-{n}");
        }
        self.conn.execute(
            "INSERT INTO decks (key, name, description, created_at) VALUES (?1, ?2, '', ?3)",
            params![key, name, now],
        )?;
        self.find_deck(name)?
            .context("the new deck could not be read back")
    }

    /// Adds a card under `key` (made from its front), returning its id and key, and refusing a second card with the same
    /// front in the deck. The key may belong to a card whose front was edited since: then the
    /// new card takes the first free `key.2`, `key.3`… (keys never change, so an edited card
    /// keeps the one its old front gave it).
    pub fn add_card(
        &self,
        deck_id: i64,
        key: &str,
        card: &CardDraft,
        now: i64,
    ) -> Result<(i64, String)> {
        let tags = card.tags.join(" ");
        let same_front = self
            .conn
            .query_row(
                "SELECT id FROM cards WHERE deck_id = ?1 AND front = ?2",
                params![deck_id, card.front],
                |r| r.get::<_, i64>(0),
            )
            .optional()?;
        if let Some(id) = same_front {
            bail!(
                "the deck already has a card with this front (id {id}); edit it with `alt-prep edit {id}`"
            );
        }
        let key_taken = |key: &str| -> Result<bool> {
            Ok(self
                .conn
                .query_row(
                    "SELECT 1 FROM cards WHERE deck_id = ?1 AND key = ?2",
                    params![deck_id, key],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        };
        let base = key;
        let mut key = base.to_string();
        let mut n = 1;
        while key_taken(&key)? {
            n += 1;
            key = format!("{base}.{n}");
        }
        self.conn.execute(
            "INSERT INTO cards (deck_id, key, kind, front, back, tags, content_hash, position, created_at, updated_at)
             VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, (SELECT coalesce(max(position), 0) + 1 FROM cards), ?7, ?7)",
            params![
                deck_id,
                key,
                card.front,
                card.back,
                tags,
                content_hash(&card.front, &card.back, &tags, None),
                now
            ],
        )?;
        Ok((self.conn.last_insert_rowid(), key))
    }

    /// New text for a card; its key, schedule and reviews stay.
    pub fn edit_card(
        &self,
        id: i64,
        front: &str,
        back: &str,
        tags: &[String],
        now: i64,
    ) -> Result<()> {
        let tags = tags.join(" ");
        self.conn.execute(
            "UPDATE cards SET front = ?2, back = ?3, tags = ?4, content_hash = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, front, back, tags, content_hash(front, back, &tags, None), now],
        )?;
        Ok(())
    }

    /// Deletes cards (with their reviews and answers), all or none.
    pub fn delete_cards(&mut self, ids: &[i64]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.execute("DELETE FROM cards WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn rename_deck(&self, id: i64, name: &str) -> Result<()> {
        if let Some(other) = self.find_deck(name)?
            && other.id != id
        {
            bail!("there is already a deck called `{}`", other.name);
        }
        self.conn.execute(
            "UPDATE decks SET name = ?2 WHERE id = ?1",
            params![id, name],
        )?;
        Ok(())
    }

    pub fn delete_deck(&self, id: i64) -> Result<()> {
        self.conn.execute("DELETE FROM decks WHERE id = ?1", [id])?;
        Ok(())
    }

    /// A deck's cards and prompts as drafts, in the order they were added.
    pub fn deck_draft(&self, deck: &DeckRow) -> Result<DeckDraft> {
        let filter = super::filter::CardFilter {
            deck_ids: vec![deck.id],
            tags: vec![],
        };
        let prefix = format!("{}/", deck.key);
        let cards = self
            .list_cards(&filter, 0)?
            .into_iter()
            .map(|c| {
                let mut draft = CardDraft::new(
                    c.key.strip_prefix(&prefix).unwrap_or(&c.key),
                    c.front,
                    c.back,
                );
                draft.tags = c.tags;
                draft
            })
            .collect();
        let prompts = self
            .prompts(true)?
            .into_iter()
            .filter(|p| p.card.deck_id == deck.id)
            .map(|p| PromptDraft {
                id: p
                    .card
                    .key
                    .strip_prefix(&prefix)
                    .unwrap_or(&p.card.key)
                    .to_owned(),
                category: p.category,
                question: p.card.front,
                talking_points: p.talking_points,
                follow_ups: p.follow_ups,
                time_limit_secs: p.time_limit_secs,
                tips: p.tips,
                line: 0,
            })
            .collect();
        Ok(DeckDraft {
            id: deck.key.clone(),
            name: deck.name.clone(),
            description: deck.description.clone(),
            cards,
            prompts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("My Deck!"), "my-deck");
        assert_eq!(slug("  日本語 words "), "日本語-words");
        assert_eq!(slug("!!!"), "deck");
    }
}
