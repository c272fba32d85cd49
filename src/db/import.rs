//! Drafts into rows, in one transaction: all decks of one command land together or not at all
//! (design.md rule 5). Cards are matched by key, so re-importing an edited deck updates the
//! text in place and keeps every review (rule 6).

use super::Db;
use super::cards::NewReview;
use crate::deck::{CardDraft, DeckDraft, PromptDraft};
use crate::model::{Rating, Schedule};
use crate::scheduler::Scheduler;
use anyhow::{Context, Result, bail};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Delete cards that are in the database but no longer in the file.
    pub prune: bool,
    /// Work out the report, then roll back.
    pub dry_run: bool,
    /// Mark the decks as shipped with alt-prep.
    pub builtin: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DeckReport {
    pub deck: String,
    pub key: String,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Cards deleted because `--prune` was given.
    pub removed: u64,
    /// Keys of cards no longer in the file (kept unless `--prune`).
    pub missing: Vec<String>,
    /// Past reviews brought in with the cards.
    pub reviews_imported: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub missing: u64,
    pub reviews_imported: u64,
    pub dry_run: bool,
    pub decks: Vec<DeckReport>,
}

/// What a card or prompt row holds, ready to compare and write.
struct Content<'a> {
    key: &'a str,
    kind: i64,
    front: &'a str,
    back: &'a str,
    tags: String,
    prompt: Option<&'a PromptDraft>,
    card: Option<&'a CardDraft>,
}

impl Content<'_> {
    fn hash(&self) -> i64 {
        content_hash(self.front, self.back, &self.tags, self.prompt)
    }
}

/// FNV-1a over a card's text: detects edits on re-import. Never used as identity.
pub fn content_hash(front: &str, back: &str, tags: &str, prompt: Option<&PromptDraft>) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(front);
    feed(back);
    feed(tags);
    if let Some(p) = prompt {
        feed(&p.category);
        for t in p
            .talking_points
            .iter()
            .chain([&String::new()])
            .chain(&p.follow_ups)
        {
            feed(t);
        }
        feed(&p.time_limit_secs.to_string());
        feed(&p.tips);
    }
    h as i64
}

impl Db {
    pub fn import(
        &mut self,
        drafts: &[DeckDraft],
        options: ImportOptions,
        now: i64,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        // A page cache big enough that a large import never spills dirty pages to the WAL
        // before the commit (the default 2 MB spills after ~10,000 cards and writes many pages
        // twice); memory is only used as pages are touched. Put back afterwards.
        let cache_size: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        let result = self.import_in_transaction(drafts, options, now, scheduler);
        self.conn.pragma_update(None, "cache_size", cache_size)?;
        result
    }

    fn import_in_transaction(
        &mut self,
        drafts: &[DeckDraft],
        options: ImportOptions,
        now: i64,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        let mut report = ImportReport {
            dry_run: options.dry_run,
            ..ImportReport::default()
        };
        let mut position: i64 =
            tx.query_row("SELECT coalesce(max(position), 0) FROM cards", [], |r| {
                r.get(0)
            })?;
        for deck in drafts {
            let deck_report = import_deck(&tx, deck, options, now, scheduler, &mut position)
                .with_context(|| format!("could not import deck `{}`", deck.name))?;
            report.added += deck_report.added;
            report.updated += deck_report.updated;
            report.unchanged += deck_report.unchanged;
            report.removed += deck_report.removed;
            report.missing += deck_report.missing.len() as u64;
            report.reviews_imported += deck_report.reviews_imported;
            report.decks.push(deck_report);
        }
        if options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit().context("could not commit the import")?;
        }
        Ok(report)
    }
}

fn import_deck(
    tx: &Transaction,
    deck: &DeckDraft,
    options: ImportOptions,
    now: i64,
    scheduler: &Scheduler,
    position: &mut i64,
) -> Result<DeckReport> {
    let existing: Option<i64> = tx
        .query_row("SELECT id FROM decks WHERE key = ?1", [&deck.id], |r| {
            r.get(0)
        })
        .optional()?;
    let clash: Option<String> = tx
        .query_row(
            "SELECT key FROM decks WHERE name = ?1 COLLATE NOCASE AND key != ?2",
            [&deck.name, &deck.id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = clash {
        bail!(
            "a different deck (id `{other}`) is already called `{}`; give this one another name with --deck",
            deck.name
        );
    }
    let deck_id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE decks SET name = ?2, description = ?3, builtin = max(builtin, ?4) WHERE id = ?1",
                params![id, deck.name, deck.description, options.builtin],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO decks (key, name, description, builtin, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![deck.id, deck.name, deck.description, options.builtin, now],
            )?;
            tx.last_insert_rowid()
        }
    };
    let mut report = DeckReport {
        deck: deck.name.clone(),
        key: deck.id.clone(),
        ..DeckReport::default()
    };
    let mut known: HashMap<String, (i64, i64, i64)> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT key, id, content_hash, (SELECT count(*) FROM reviews WHERE card_id = cards.id)
             FROM cards WHERE deck_id = ?1",
        )?;
        let rows = stmt.query_map([deck_id], |r| {
            Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })?;
        for row in rows {
            let (key, value) = row?;
            known.insert(key, value);
        }
    }
    let contents = deck
        .cards
        .iter()
        .map(|c| Content {
            key: &c.id,
            kind: 0,
            front: &c.front,
            back: &c.back,
            tags: c.tags.join(" "),
            prompt: None,
            card: Some(c),
        })
        .chain(deck.prompts.iter().map(|p| Content {
            key: &p.id,
            kind: 1,
            front: &p.question,
            back: &p.tips,
            tags: String::new(),
            prompt: Some(p),
            card: None,
        }));
    let mut insert = tx.prepare_cached(
        "INSERT INTO cards (deck_id, key, kind, front, back, tags, content_hash, position, due,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE cards SET kind = ?2, front = ?3, back = ?4, tags = ?5, content_hash = ?6,
                          updated_at = ?7 WHERE id = ?1",
    )?;
    for content in contents {
        let hash = content.hash();
        let (card_id, review_count) = match known.remove(content.key) {
            Some((id, old_hash, reviews)) => {
                if old_hash == hash {
                    report.unchanged += 1;
                } else {
                    update.execute(params![
                        id,
                        content.kind,
                        content.front,
                        content.back,
                        content.tags,
                        hash,
                        now
                    ])?;
                    report.updated += 1;
                }
                (id, reviews)
            }
            None => {
                *position += 1;
                insert.execute(params![
                    deck_id,
                    content.key,
                    content.kind,
                    content.front,
                    content.back,
                    content.tags,
                    hash,
                    *position,
                    now
                ])?;
                report.added += 1;
                (tx.last_insert_rowid(), 0)
            }
        };
        if let Some(p) = content.prompt {
            tx.execute(
                "INSERT INTO prompts (card_id, category, talking_points, follow_ups, time_limit_secs, tips)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (card_id) DO UPDATE SET category = excluded.category,
                     talking_points = excluded.talking_points, follow_ups = excluded.follow_ups,
                     time_limit_secs = excluded.time_limit_secs, tips = excluded.tips",
                params![
                    card_id,
                    p.category,
                    serde_json::to_string(&p.talking_points)?,
                    serde_json::to_string(&p.follow_ups)?,
                    p.time_limit_secs,
                    p.tips
                ],
            )?;
        }
        if let Some(card) = content.card {
            if card.suspended {
                tx.execute("UPDATE cards SET suspended = 1 WHERE id = ?1", [card_id])?;
            }
            if review_count == 0 && !card.history.is_empty() {
                report.reviews_imported += replay_history(tx, card_id, card, scheduler)?;
            }
        }
    }
    let mut missing: Vec<(String, i64)> =
        known.into_iter().map(|(k, (id, _, _))| (k, id)).collect();
    missing.sort();
    for (key, id) in missing {
        if options.prune {
            tx.execute("DELETE FROM cards WHERE id = ?1", [id])?;
            report.removed += 1;
        } else {
            report.missing.push(format!("{}/{key}", deck.id));
        }
    }
    Ok(report)
}

/// Rebuilds a card's state from an imported review history by answering it again, in order,
/// through the same scheduler: the FSRS memory state comes out as if the reviews had been done
/// here. Each past answer is logged with source `import`.
fn replay_history(
    tx: &Transaction,
    card_id: i64,
    card: &CardDraft,
    scheduler: &Scheduler,
) -> Result<u64> {
    let mut schedule = Schedule::new_card();
    let mut count = 0;
    let mut history = card.history.clone();
    history.sort_by_key(|r| r.time_ms);
    for review in &history {
        let Some(rating) = Rating::from_number(i64::from(review.rating)) else {
            continue;
        };
        let at = review.time_ms.div_euclid(1000);
        let answered = scheduler
            .answer(card_id, &schedule, rating, at)
            .with_context(|| format!("card `{}` has a history FSRS cannot replay", card.id))?;
        let log = NewReview {
            reviewed_at_ms: review.time_ms,
            rating: rating.number(),
            state_before: schedule.state.code(),
            elapsed_days: answered.elapsed_days,
            duration_ms: review.duration_ms.clamp(0, 3_600_000),
            interval_secs: answered.delay_secs,
            stability: answered.schedule.stability.unwrap_or(0.0),
            difficulty: answered.schedule.difficulty.unwrap_or(0.0),
            source: "import",
        };
        tx.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
                 duration_ms, interval_secs, stability, difficulty, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                card_id,
                log.reviewed_at_ms,
                log.rating,
                log.state_before,
                log.elapsed_days,
                log.duration_ms,
                log.interval_secs,
                f64::from(log.stability),
                f64::from(log.difficulty),
                log.source
            ],
        )?;
        schedule = answered.schedule;
        count += 1;
    }
    let s = &schedule;
    tx.execute(
        "UPDATE cards SET state = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6,
             last_review = ?7, interval_days = ?8, reps = ?9, lapses = ?10 WHERE id = ?1",
        params![
            card_id,
            s.state.code(),
            s.state.step(),
            s.stability.map(f64::from),
            s.difficulty.map(f64::from),
            s.due,
            s.last_review,
            s.interval_days,
            s.reps,
            s.lapses
        ],
    )?;
    Ok(count)
}
