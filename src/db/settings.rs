//! Key/value settings (the `config` command and internal markers such as the built-in decks'
//! content version).

use super::Db;
use anyhow::{Context, Result};
use rusqlite::OptionalExtension;

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .with_context(|| format!("could not read setting {key}"))
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .with_context(|| format!("could not save setting {key}"))?;
        Ok(())
    }

    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])
            .with_context(|| format!("could not reset setting {key}"))?;
        Ok(())
    }

    pub fn all_settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keys of built-in decks the learner deleted: content updates leave them out
    /// (`deck restore` brings one back).
    pub fn removed_builtins(&self) -> Result<Vec<String>> {
        Ok(self
            .setting(REMOVED_BUILTINS)?
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect())
    }

    /// Adds (`removed`) or takes out a built-in deck key from [`Db::removed_builtins`].
    pub fn mark_builtin_removed(&self, key: &str, removed: bool) -> Result<()> {
        let mut keys = self.removed_builtins()?;
        keys.retain(|k| k != key);
        if removed {
            keys.push(key.to_owned());
        }
        if keys.is_empty() {
            self.delete_setting(REMOVED_BUILTINS)
        } else {
            self.set_setting(REMOVED_BUILTINS, &keys.join(" "))
        }
    }
}

/// Settings key holding the deleted built-in decks' keys, space-separated.
const REMOVED_BUILTINS: &str = "removed_builtin_decks";
