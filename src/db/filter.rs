//! Which cards a command works on: `--deck` and `--tag`, turned into SQL once.

use rusqlite::types::Value;

/// Decks (by row id) and tags to keep; empty lists keep everything. Several decks or several
/// tags widen the selection (OR), as Anki's deck picker and tag search do.
#[derive(Debug, Clone, Default)]
pub struct CardFilter {
    pub deck_ids: Vec<i64>,
    pub tags: Vec<String>,
}

impl CardFilter {
    /// An SQL fragment starting with ` AND` (or empty) over the `cards` columns, and its
    /// parameters, numbered from `first_param`.
    pub fn sql(&self, first_param: usize) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut params = Vec::new();
        let mut n = first_param;
        if !self.deck_ids.is_empty() {
            // Deck ids are our own integers, so they go into the SQL as literals (see
            // `Db::first_in_queue` on why bound values that meet an index are avoided).
            let ids: Vec<String> = self.deck_ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND cards.deck_id IN ({})", ids.join(", ")));
        }
        if !self.tags.is_empty() {
            let likes: Vec<String> = self
                .tags
                .iter()
                .map(|tag| {
                    params.push(Value::Text(format!("% {} %", escape_like(tag))));
                    n += 1;
                    format!("(' ' || cards.tags || ' ') LIKE ?{} ESCAPE '\\'", n - 1)
                })
                .collect();
            sql.push_str(&format!(" AND ({})", likes.join(" OR ")));
        }
        (sql, params)
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
