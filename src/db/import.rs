//! Drafts into rows, in one transaction: all decks of one command land together or not at all
//! (design.md rule 5). Cards are matched by key, so re-importing an edited deck updates the
//! text in place and keeps every review (rule 6).

use super::Db;
use super::bulk::{BulkCards, ForeignKeysOff, PendingCard, Refused};
use super::cards::NewReview;
use crate::deck::csv::{deck_id, short_hash};
use crate::deck::draft::{
    ImportedReview, ImportedSchedule, ImportedStart, Modified, Sink, trim_field,
};
use crate::deck::{CardDraft, DeckDraft, PromptDraft};
use crate::model::{CardState, Rating, Schedule};
use crate::scheduler::Scheduler;
use crate::settings::PARAMETERS_KEY;
use anyhow::{Context, Result, bail};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::journal::RollbackJournal;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Delete cards that are in the database but no longer in the file.
    pub prune: bool,
    /// Work out the report, then roll back.
    pub dry_run: bool,
    /// Mark the decks as shipped with alt-prep.
    pub builtin: bool,
    /// A large import ([`crate::db::journal::is_large_import`]): written through a rollback
    /// journal when the database is not open elsewhere ([`RollbackJournal`]).
    pub large: bool,
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
    /// Keys of the cards `--prune` deleted (or would delete, in a dry run).
    pub removed_keys: Vec<String>,
    /// Past reviews brought in with the cards.
    pub reviews_imported: u64,
    /// Cards (by Anki GUID) found in another deck and moved into this one, reviews and all.
    pub moved_in: u64,
    /// Cards (by Anki GUID, from a notes text export) found in another deck and updated
    /// there: a notes export names one deck per note, so Anki moves no card for it either.
    pub kept_elsewhere: u64,
    /// Past reviews left out because their time cannot be real (before 1970, or more than a
    /// year after now): a damaged or hand-made review log.
    pub reviews_skipped: u64,
    /// Cards already here whose review history or schedule a newer Anki export changed (new
    /// answers, "Forget", "Set due date"), brought up to it; see `resync_history`.
    pub rescheduled: u64,
    /// Cards already here, with Anki's history and not studied here, whose history was
    /// replayed again under FSRS parameters this import took from the package.
    pub recomputed: u64,
    /// The deck was made for this import and removed again before the commit: every card
    /// the file put in it stayed in (`kept_elsewhere`) or moved on to another deck.
    pub not_kept: bool,
    /// Cards left as they are because the package is older than the one imported last
    /// (Anki's note or card modification time): its text, schedule, suspension and deck
    /// would roll them back.
    pub older: u64,
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
    /// Decks of the learner's that every card moved out of (a deck renamed in Anki: its
    /// notes now come under the new name), deleted as empty.
    pub emptied_decks: Vec<String>,
    /// FSRS parameters taken from an Anki package ([`Importer::fsrs_parameters`]).
    pub fsrs_parameters: Option<AnkiParameters>,
    /// An Anki package's FSRS parameters that were not taken, and why.
    pub fsrs_parameters_not_adopted: Option<AnkiParameters>,
    /// What the files' readers noted (`file: …`: cards left out, media skipped, columns
    /// ignored…), as printed to stderr; set by the `import` command.
    pub notes: Vec<String>,
}

/// FSRS parameters an Anki package brought: its preset(s), the parameters as FSRS-6's 21
/// numbers, and for ones not taken, why.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AnkiParameters {
    pub preset: String,
    pub parameters: Vec<f32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// What a card or prompt row holds, ready to compare and write.
struct Content<'a> {
    key: &'a str,
    /// [`CardDraft::global_id`].
    global: bool,
    /// [`CardDraft::moves`].
    moves: bool,
    kind: i64,
    front: &'a str,
    back: &'a str,
    tags: String,
    prompt: Option<&'a PromptDraft>,
    card: Option<&'a CardDraft>,
    /// [`content_hash`] of the above.
    hash: i64,
}

pub use crate::deck::draft::content_hash;

impl Db {
    /// Imports whole decks in one transaction (the built-in decks, tests).
    pub fn import(
        &mut self,
        drafts: &[DeckDraft],
        options: ImportOptions,
        now: i64,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        let mut importer = self.importer(options, now, scheduler)?;
        for deck in drafts {
            importer.begin_deck(&deck.id, &deck.name, &deck.description)?;
            for card in &deck.cards {
                importer.add_card(card)?;
            }
            for prompt in &deck.prompts {
                importer.add_prompt(prompt)?;
            }
        }
        importer.finish()
    }

    /// Starts an import: a transaction that takes decks and cards one at a time, so a parser
    /// can feed it as it reads. Nothing is visible to others until [`Importer::finish`];
    /// dropping the importer instead rolls everything back.
    pub fn importer<'a>(
        &'a mut self,
        options: ImportOptions,
        now: i64,
        scheduler: &'a Scheduler,
    ) -> Result<Importer<'a>> {
        let conn = &self.conn;
        // A page cache large enough to hold the indexes a big import touches at random (card
        // keys), so their pages are not spilled to the WAL and written again, yet small
        // enough to keep memory bounded. Put back by `finish` or on drop.
        let cache_size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        // Before the transaction: SQLite changes journal modes only outside one.
        let journal = if options.large && !options.dry_run {
            RollbackJournal::take(conn)
        } else {
            None
        };
        // Many new cards per INSERT (`db::bulk`) needs foreign keys off, which is safe only
        // where the import deletes no card: a large one without --prune.
        let foreign_keys = if options.large && !options.dry_run && !options.prune {
            ForeignKeysOff::take(conn)
        } else {
            None
        };
        // IMMEDIATE: take the write lock now, so a review answering at the same time waits
        // for the import (busy timeout) instead of failing it half-way with a stale snapshot.
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .context("could not start the import")?;
        let position: i64 =
            tx.query_row("SELECT coalesce(max(position), 0) FROM cards", [], |r| {
                r.get(0)
            })?;
        Ok(Importer {
            tx: Some(tx),
            conn,
            cache_size,
            options,
            now,
            scheduler,
            position,
            report: ImportReport {
                dry_run: options.dry_run,
                ..ImportReport::default()
            },
            decks: Vec::new(),
            current: None,
            insert_card: None,
            failure: None,
            elsewhere: None,
            named: HashMap::new(),
            kept_elsewhere: HashSet::new(),
            moved_from: Vec::new(),
            file: 0,
            history_cache: false,
            adopted: None,
            bulk: foreign_keys.as_ref().map(|_| BulkCards::default()),
            _foreign_keys: foreign_keys,
            _journal: journal,
        })
    }
}

/// The page cache during an import, as SQLite's `cache_size` (negative: KiB).
const IMPORT_CACHE_KIB: i64 = -4_096;

/// The page cache once cards come with review histories (an Anki package): each review row
/// lands in the review log's indexes at random, and with 16 KiB pages 4 MiB holds too few of
/// them (a 100,000-card, 1,000,000-review package took 17.4 s instead of 12.8 s). Such an
/// import holds the whole collection in memory anyway (~250 MB), so 16 MiB more is small.
const HISTORY_CACHE_KIB: i64 = -16_384;

/// An import in progress. Feed it with [`Importer::begin_deck`], [`Importer::add_card`] and
/// [`Importer::add_prompt`] (or as a [`Sink`]), then [`Importer::finish`].
pub struct Importer<'a> {
    tx: Option<Transaction<'a>>,
    conn: &'a rusqlite::Connection,
    cache_size: i64,
    options: ImportOptions,
    now: i64,
    scheduler: &'a Scheduler,
    position: i64,
    report: ImportReport,
    /// Every deck this import has begun, in order: two files going into the same deck share
    /// one entry, so what is "missing" (and pruned) is judged against all of them together.
    decks: Vec<OpenDeck>,
    /// The deck cards are going into now: an index into `decks`.
    current: Option<usize>,
    /// The `INSERT` of a new card, prepared once: looking it up in rusqlite's statement cache
    /// (hashing its text) for every card cost ~3 % of a large import's writing thread.
    insert_card: Option<rusqlite::Statement<'a>>,
    /// The first error met while fed as a [`Sink`] (which cannot return one).
    failure: Option<anyhow::Error>,
    /// Where every card keyed by a global id is (`cards.global_key` 1, or not known: a card
    /// imported before migration 005 without an Anki history may be one), read the first time a card with a global id is not in its deck
    /// ([`Importer::move_from_elsewhere`]) and kept up to date with the cards this import adds
    /// and moves, so a GUID met in two decks of one import is still one card.
    elsewhere: Option<HashMap<String, Placed>>,
    /// Global id → the deck and file ([`Importer::begin_file`]) that last named it in this
    /// import: the same id in two decks of one file is two notes clashing, whether the first
    /// was new, already in its deck or moved there.
    named: HashMap<String, Named>,
    /// Cards a notes text export updated where they are, in a deck other than the one the
    /// file named ([`Importer::find_elsewhere`]): not missing from their own deck, even when
    /// a later file of this import opens it.
    kept_elsewhere: HashSet<i64>,
    /// Decks cards were moved out of, to delete if that left them empty.
    moved_from: Vec<i64>,
    /// The file being read, counted from 1 by [`Importer::begin_file`] (0 before any).
    file: u32,
    /// [`HISTORY_CACHE_KIB`] is in force.
    history_cache: bool,
    /// The scheduler with an Anki package's FSRS parameters, once adopted: replays after
    /// that use it.
    adopted: Option<Scheduler>,
    /// New cards waiting to be written many to an INSERT (a large import: `db::bulk`).
    bulk: Option<BulkCards<'a>>,
    /// Foreign keys off while `bulk` is in use, back on when the importer is dropped (after
    /// its transaction ends).
    _foreign_keys: Option<ForeignKeysOff<'a>>,
    /// A large import's rollback journal, put back to WAL when the importer is dropped (after
    /// its transaction ends). Last, so the prepared statements above are gone first.
    _journal: Option<RollbackJournal<'a>>,
}

/// The deck cards are going into, and what is known of its cards already in the database.
struct OpenDeck {
    id: i64,
    name: String,
    report: DeckReport,
    /// Key → the deck's cards not yet seen in the file.
    known: HashMap<String, Known>,
    /// Made by this import.
    created: bool,
    /// The files brought cards keyed by Anki GUIDs into it ([`CardDraft::global_id`]), and
    /// cards or prompts keyed by alt-prep's own per-deck ids. A card of the other kind was
    /// never in these files, so it is not "gone from the file": an Anki package does not
    /// prune the learner's own cards in its deck, nor a CSV the Anki notes in its deck.
    saw_global: bool,
    saw_own: bool,
    /// The latest Anki modification time among the cards the files brought here: a card
    /// imported from a package newer than that (added in Anki after this file was made) is
    /// not "gone from the file" either.
    newest_mod: Option<i64>,
    /// Keys of the notes an Anki notes text export brought here (each note's first card,
    /// keyed by its GUID). Such a file cannot describe a custom note type's other cards
    /// (`GUID-2`…: it has the note's fields, not its templates), so those are not "gone
    /// from the file" while their note is in it.
    notes_in_text: HashSet<String>,
}

/// A card already in the database, as an import matches it by key.
#[derive(Debug, Clone, Copy)]
struct Known {
    id: i64,
    hash: i64,
    reviews: i64,
    /// `cards.global_key`: keyed by an Anki GUID (`Some(true)`), by a per-deck id of
    /// alt-prep's own formats (`Some(false)`), or not known (`None`: imported before
    /// migration 005 without an Anki history).
    global: Option<bool>,
    /// `cards.anki_suspended`: suspended in Anki at the last import with scheduling.
    anki_suspended: Option<bool>,
    /// `cards.anki_note_mod` and `anki_card_mod`: the last package's modification times.
    note_mod: Option<i64>,
    card_mod: Option<i64>,
    /// Added by an earlier file of this import (a notes export before its package).
    fresh: bool,
}

/// A card keyed by a global id that a file of this import named ([`Importer::named`]).
#[derive(Debug, Clone, Copy)]
struct Named {
    deck: i64,
    /// [`Importer::begin_file`]'s number of the last file naming it.
    file: u32,
    /// Counted as added or updated (rather than unchanged).
    changed: bool,
    /// Counted as added: whatever a later file brings is part of that.
    added: bool,
    /// Counted as rescheduled.
    rescheduled: bool,
}

/// A deck report's counters, to see what one card did to them.
#[derive(Debug, Clone, Copy)]
struct Counts {
    added: u64,
    updated: u64,
    unchanged: u64,
    rescheduled: u64,
    kept_elsewhere: u64,
    older: u64,
}

impl DeckReport {
    fn counts(&self) -> Counts {
        Counts {
            added: self.added,
            updated: self.updated,
            unchanged: self.unchanged,
            rescheduled: self.rescheduled,
            kept_elsewhere: self.kept_elsewhere,
            older: self.older,
        }
    }
}

/// Where a card keyed by an Anki GUID is ([`Importer::elsewhere`]).
#[derive(Debug, Clone, Copy)]
struct Placed {
    card: Known,
    deck_id: i64,
}

impl Importer<'_> {
    fn tx(&self) -> Result<&Transaction<'_>> {
        self.tx.as_ref().context("the import was already finished")
    }

    /// Cards and prompts after this go into deck `key`, created or renamed as needed.
    pub fn begin_deck(&mut self, key: &str, name: &str, description: &str) -> Result<()> {
        self.flush_bulk()?;
        let options = self.options;
        let now = self.now;
        let tx = self.tx()?;
        let find_key = |key: &str| -> Result<Option<(i64, String)>> {
            Ok(tx
                .query_row("SELECT id, name FROM decks WHERE key = ?1", [key], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?)
        };
        let mut by_key = find_key(key)?;
        let name_is_key = key == deck_id(name);
        // `C#` where `C++` is: two names with one key. The deck under that key is this one
        // only when it was renamed away from the name (`vocab`, renamed `My vocab`, and
        // `vocab.csv` imported again); a deck still called by a name that gives the key is
        // another deck, so this one takes a key of its own, as two such decks of one Anki
        // package do.
        let distinct_key;
        let key = match &by_key {
            Some((_, here))
                if name_is_key
                    && !options.builtin
                    && deck_id(here) == key
                    && here.to_lowercase() != name.to_lowercase() =>
            {
                distinct_key = format!("{key}-{}", short_hash(name));
                by_key = find_key(&distinct_key)?;
                distinct_key.as_str()
            }
            _ => key,
        };
        let mut existing = by_key.as_ref().map(|(id, _)| *id);
        // A file without deck ids (CSV, Anki, Markdown) names its deck, and the key is made
        // from the name: when a deck of that name exists under another key (a built-in deck,
        // `school-life` called "Japanese school life"), it is that deck. The name is then the
        // deck's identity, so it keeps the spelling it has here: `--deck "alt role"` goes
        // into "ALT role" without renaming it.
        let name = match &by_key {
            // The built-in decks' own files are the authority on their names.
            Some((_, here)) if name_is_key && !options.builtin => here.as_str(),
            _ => name,
        };
        let adopted: Option<(i64, String, String)> = if existing.is_none() && name_is_key {
            tx.query_row(
                "SELECT id, key, name FROM decks WHERE name = ?1 COLLATE NOCASE",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
        } else {
            None
        };
        let (key, name) = match &adopted {
            Some((id, adopted_key, adopted_name)) => {
                existing = Some(*id);
                (adopted_key.as_str(), adopted_name.as_str())
            }
            None => (key, name),
        };
        let clash: Option<(String, String)> = tx
            .query_row(
                "SELECT key, name FROM decks WHERE name = ?1 COLLATE NOCASE AND key != ?2",
                [name, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((other, other_name)) = clash {
            bail!(
                "could not import deck `{name}` (id `{key}`): a different deck, `{other_name}` (id `{other}`), already has that name; give this one another name with --deck"
            );
        }
        // Already begun by an earlier file of this import: carry on with it.
        if let Some(i) = self.decks.iter().position(|d| d.report.key == key) {
            tx.execute(
                "UPDATE decks SET name = ?2, description = iif(?3 = '', description, ?3) WHERE id = ?1",
                params![self.decks[i].id, name, description],
            )?;
            let deck = &mut self.decks[i];
            deck.name = name.to_owned();
            deck.report.deck = name.to_owned();
            self.current = Some(i);
            return Ok(());
        }
        let deck_id = match existing {
            Some(id) => {
                tx.execute(
                    // A file without descriptions (CSV, Anki, Markdown) leaves the deck's own.
                    "UPDATE decks SET name = ?2, description = iif(?3 = '', description, ?3),
                                      builtin = max(builtin, ?4) WHERE id = ?1",
                    params![id, name, description, options.builtin],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO decks (key, name, description, builtin, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![key, name, description, options.builtin, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        let mut known = HashMap::new();
        if existing.is_some() {
            let mut stmt = tx.prepare(
                "SELECT key, id, content_hash, (SELECT count(*) FROM reviews WHERE card_id = cards.id),
                        global_key, anki_suspended, anki_note_mod, anki_card_mod
                 FROM cards WHERE deck_id = ?1",
            )?;
            let rows = stmt.query_map([deck_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Known {
                        id: r.get(1)?,
                        hash: r.get(2)?,
                        reviews: r.get(3)?,
                        global: r.get(4)?,
                        anki_suspended: r.get(5)?,
                        note_mod: r.get(6)?,
                        card_mod: r.get(7)?,
                        fresh: false,
                    },
                ))
            })?;
            for row in rows {
                let (key, value) = row?;
                known.insert(key, value);
            }
        }
        self.decks.push(OpenDeck {
            id: deck_id,
            name: name.to_owned(),
            report: DeckReport {
                deck: name.to_owned(),
                key: key.to_owned(),
                ..DeckReport::default()
            },
            known,
            created: existing.is_none(),
            saw_global: false,
            saw_own: false,
            newest_mod: None,
            notes_in_text: HashSet::new(),
        });
        self.current = Some(self.decks.len() - 1);
        Ok(())
    }

    pub fn add_card(&mut self, card: &CardDraft) -> Result<()> {
        self.add_card_hashed(card, card.content_hash())
    }

    /// [`Importer::add_card`] with the card's [`CardDraft::content_hash`] already worked out
    /// (by the reading thread, off the writing thread's critical path).
    pub fn add_card_hashed(&mut self, card: &CardDraft, hash: i64) -> Result<()> {
        self.add(Content {
            key: &card.id,
            global: card.global_id,
            moves: card.moves,
            kind: 0,
            front: &card.front,
            back: &card.back,
            tags: card.tags.join(" "),
            prompt: None,
            card: Some(card),
            hash,
        })
    }

    pub fn add_prompt(&mut self, prompt: &PromptDraft) -> Result<()> {
        self.add(Content {
            key: &prompt.id,
            global: false,
            moves: false,
            kind: 1,
            front: &prompt.question,
            back: &prompt.tips,
            tags: String::new(),
            prompt: Some(prompt),
            card: None,
            hash: content_hash(&prompt.question, &prompt.tips, "", Some(prompt)),
        })
    }

    /// The next file of the import begins: a GUID met in two decks of one file is two
    /// notes' cards clashing, of two files a note moved between them.
    pub fn begin_file(&mut self) {
        self.file += 1;
    }

    /// A card whose global id is not in its deck may be in another one. From an Anki package
    /// (each card with its own home deck) the note was moved there in Anki: the card joins
    /// this deck, keeping its id, schedule and reviews. From a notes text export (one deck
    /// per note, perhaps a filtered deck) it stays where it is, as Anki leaves it, and is
    /// updated there. Either way it is then matched as a known card instead of being added
    /// again with a second copy of its history.
    /// `modified`: the file's [`CardDraft::modified`]; a package older than the one that
    /// last placed the card does not move it back.
    fn find_elsewhere(&mut self, key: &str, moves: bool, modified: Option<Modified>) -> Result<()> {
        let Some(index) = self.current else {
            return Ok(());
        };
        let Some(deck_id) = self.decks.get(index).map(|d| d.id) else {
            return Ok(());
        };
        if self.elsewhere.is_none() {
            let map = {
                let mut stmt = self.tx()?.prepare(
                    "SELECT c.key, c.id, c.deck_id, c.content_hash,
                            (SELECT count(*) FROM reviews WHERE card_id = c.id), c.global_key,
                            c.anki_suspended, c.anki_note_mod, c.anki_card_mod
                     FROM cards c JOIN decks d ON d.id = c.deck_id
                     WHERE c.global_key = 1 OR (c.global_key IS NULL AND d.builtin = 0)",
                )?;
                stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        Placed {
                            card: Known {
                                id: r.get(1)?,
                                hash: r.get(3)?,
                                reviews: r.get(4)?,
                                global: r.get(5)?,
                                anki_suspended: r.get(6)?,
                                note_mod: r.get(7)?,
                                card_mod: r.get(8)?,
                                fresh: false,
                            },
                            deck_id: r.get(2)?,
                        },
                    ))
                })?
                .collect::<rusqlite::Result<HashMap<_, _>>>()?
            };
            self.elsewhere = Some(map);
        }
        let Some(map) = self.elsewhere.as_mut() else {
            return Ok(());
        };
        let Some(placed) = map.get_mut(key) else {
            return Ok(());
        };
        let from = placed.deck_id;
        let card = placed.card;
        let older_file = moves && older(card.card_mod, modified.map(|m| m.card));
        let moves = moves && !older_file;
        if from != deck_id && !moves {
            self.kept_elsewhere.insert(card.id);
            if let Some(deck) = self.decks.get_mut(index)
                && !older_file
            {
                deck.report.kept_elsewhere += 1;
            }
        }
        if from != deck_id && moves {
            placed.deck_id = deck_id;
            if !self.moved_from.contains(&from) {
                self.moved_from.push(from);
            }
            self.tx()?.execute(
                "UPDATE cards SET deck_id = ?2, global_key = 1 WHERE id = ?1",
                [card.id, deck_id],
            )?;
            if let Some(deck) = self.decks.get_mut(index) {
                deck.report.moved_in += 1;
            }
        }
        // Not missing from the deck it was in, if that deck is part of this import too.
        for other in self.decks.iter_mut().filter(|d| d.id == from) {
            other.known.remove(key);
        }
        if let Some(deck) = self.decks.get_mut(index) {
            deck.known.insert(key.to_owned(), card);
        }
        Ok(())
    }

    fn add(&mut self, content: Content<'_>) -> Result<()> {
        // Whatever this card does reads or writes `cards`: the new cards before it first.
        self.flush_bulk()?;
        if !content.global || self.options.builtin {
            return self.write(content);
        }
        let Some(index) = self.current else {
            bail!("a card came before its deck");
        };
        let Some(deck) = self.decks.get(index) else {
            bail!("a card came before its deck");
        };
        let deck_id = deck.id;
        let earlier = self.named.get(content.key).copied();
        if let Some(named) = earlier
            && named.deck != deck_id
            && named.file == self.file
            && self.file > 0
        {
            bail!(
                "two notes of this file, in two decks, give card id `{}`; Anki GUIDs (and the card numbers appended to them) must be unique",
                content.key
            );
        }
        // Another file of this import named this note in this deck already: one card.
        let repeat = earlier.filter(|named| named.deck == deck_id);
        let before = deck.report.counts();
        match deck.known.get(content.key) {
            Some(known) if known.global == Some(false) => bail!(
                "card `{}/{}` is one of your own (added here or from a CSV, TOML or Markdown file), and an Anki note with that id goes into the same deck; rename or delete your card first",
                deck.report.key,
                content.key
            ),
            Some(_) => {}
            None => self.find_elsewhere(
                content.key,
                content.moves,
                content.card.and_then(|c| c.modified),
            )?,
        }
        let key = content.key.to_owned();
        self.write(content)?;
        let Some(report) = self.decks.get_mut(index).map(|d| &mut d.report) else {
            return Ok(());
        };
        let after = report.counts();
        let mut named = Named {
            deck: deck_id,
            file: self.file,
            changed: after.added > before.added || after.updated > before.updated,
            added: after.added > before.added,
            rescheduled: after.rescheduled > before.rescheduled,
        };
        if let Some(first) = repeat {
            // Counted once, as what the files did to it together: updated if any of them
            // changed it, rescheduled if any brought its schedule along.
            report.added = before.added;
            report.updated = before.updated;
            report.unchanged = before.unchanged;
            report.kept_elsewhere = before.kept_elsewhere;
            report.older = before.older;
            if named.changed && !first.changed {
                report.unchanged = report.unchanged.saturating_sub(1);
                report.updated += 1;
            }
            if first.rescheduled || first.added {
                report.rescheduled = before.rescheduled;
            }
            named.changed |= first.changed;
            named.added = first.added;
            named.rescheduled |= first.rescheduled;
        }
        self.named.insert(key, named);
        Ok(())
    }

    /// Writes one card or prompt into the current deck, keeping [`Importer::elsewhere`] up
    /// to date.
    fn write(&mut self, content: Content<'_>) -> Result<()> {
        if let Some(deck) = self.current.and_then(|i| self.decks.get_mut(i)) {
            if content.global {
                deck.saw_global = true;
            } else {
                deck.saw_own = true;
            }
            if let Some(m) = content.card.and_then(|c| c.modified) {
                deck.newest_mod = deck.newest_mod.max(Some(m.note.max(m.card)));
            }
            if content.global && !content.moves {
                deck.notes_in_text.insert(content.key.to_owned());
            }
        }
        if !self.history_cache && content.card.is_some_and(|c| !c.history.is_empty()) {
            self.conn
                .pragma_update(None, "cache_size", HISTORY_CACHE_KIB)?;
            self.history_cache = true;
        }
        let Some(tx) = self.tx.as_ref() else {
            bail!("the import was already finished");
        };
        let Some(deck) = self.current.and_then(|i| self.decks.get_mut(i)) else {
            bail!("a card came before its deck");
        };
        let insert = match &mut self.insert_card {
            Some(statement) => statement,
            None => self.insert_card.insert(self.conn.prepare(INSERT_CARD)?),
        };
        let now = self.now;
        let added = add_content(
            tx,
            insert,
            deck,
            &content,
            now,
            &mut self.position,
            Replaying {
                scheduler: self.adopted.as_ref().unwrap_or(self.scheduler),
                reparameterised: self.adopted.is_some(),
            },
        )
        .with_context(|| format!("could not import deck `{}`", deck.name))?;
        self.report.reviews_imported += added.reviews;
        if content.global
            && let Some(map) = self.elsewhere.as_mut()
        {
            let deck_id = deck.id;
            let modified = content.card.and_then(|c| c.modified);
            let newest = |stored: Option<i64>, file: Option<i64>| stored.max(file);
            map.entry(content.key.to_owned())
                .and_modify(|placed| {
                    placed.card.hash = content.hash;
                    // As `add_content` records Anki's suspension: unless this package is
                    // older than the last for the card.
                    if let Some(card) = content.card.filter(|c| c.schedule_known)
                        && !older(placed.card.card_mod, modified.map(|m| m.card))
                    {
                        placed.card.anki_suspended = Some(card.suspended);
                    }
                    placed.card.note_mod = newest(placed.card.note_mod, modified.map(|m| m.note));
                    placed.card.card_mod = newest(placed.card.card_mod, modified.map(|m| m.card));
                })
                .or_insert(Placed {
                    card: Known {
                        id: added.card_id,
                        hash: content.hash,
                        reviews: added.reviews as i64,
                        global: Some(true),
                        anki_suspended: content
                            .card
                            .filter(|c| c.schedule_known)
                            .map(|c| c.suspended),
                        note_mod: modified.map(|m| m.note),
                        card_mod: modified.map(|m| m.card),
                        fresh: true,
                    },
                    deck_id,
                });
        }
        Ok(())
    }

    /// Closes the decks: reports (or with `--prune` deletes) their cards that were in none of
    /// the files.
    fn end_decks(&mut self) -> Result<()> {
        for deck in std::mem::take(&mut self.decks) {
            self.end_deck(deck)?;
        }
        self.current = None;
        Ok(())
    }

    fn end_deck(&mut self, mut deck: OpenDeck) -> Result<()> {
        let tx = self.tx()?;
        let (saw_global, saw_own) = (deck.saw_global, deck.saw_own);
        // A card of a kind no file brought here (see `OpenDeck::saw_global`); one whose kind
        // is not known (`global_key` NULL, from before migration 005) is judged as before.
        let newest_mod = deck.newest_mod;
        let from_these_files = |known: &Known| {
            let kind = match known.global {
                Some(true) => saw_global || !saw_own,
                Some(false) => saw_own || !saw_global,
                None => true,
            };
            let newer_than_files =
                newest_mod.is_some_and(|newest| known.note_mod.max(known.card_mod) > Some(newest));
            kind && !newer_than_files
        };
        let notes_in_text = &deck.notes_in_text;
        let note_in_text = |key: &str| {
            key.rsplit_once('-').is_some_and(|(note, number)| {
                number.parse::<u32>().is_ok_and(|n| n >= 2) && notes_in_text.contains(note)
            })
        };
        let mut missing: Vec<(String, i64)> = deck
            .known
            .drain()
            .filter(|(key, known)| from_these_files(known) && !note_in_text(key))
            .map(|(k, known)| (k, known.id))
            .filter(|(_, id)| !self.kept_elsewhere.contains(id))
            .collect();
        missing.sort();
        for (key, id) in missing {
            if self.options.prune {
                tx.execute("DELETE FROM cards WHERE id = ?1", [id])?;
                deck.report.removed += 1;
                deck.report
                    .removed_keys
                    .push(format!("{}/{key}", deck.report.key));
            } else {
                deck.report
                    .missing
                    .push(format!("{}/{key}", deck.report.key));
            }
        }
        // A deck this import made only for cards that stayed where they were, or whose cards
        // a later file of it moved on, is not kept.
        if deck.created
            && (deck.report.kept_elsewhere > 0
                || deck.report.older > 0
                || self.moved_from.contains(&deck.id))
            && tx.execute(
                "DELETE FROM decks WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM cards WHERE deck_id = ?1)",
                [deck.id],
            )? > 0
        {
            deck.report.not_kept = true;
        }
        let r = &mut self.report;
        r.added += deck.report.added;
        r.updated += deck.report.updated;
        r.unchanged += deck.report.unchanged;
        r.removed += deck.report.removed;
        r.missing += deck.report.missing.len() as u64;
        r.decks.push(deck.report);
        Ok(())
    }

    /// Deletes the learner's decks that moves left without a card and that no file of this
    /// import went into.
    fn remove_emptied_decks(&mut self, ours: &[i64]) -> Result<()> {
        let tx = self.tx()?;
        let mut emptied = Vec::new();
        for id in self.moved_from.iter().filter(|id| !ours.contains(id)) {
            let name: Option<String> = tx
                .query_row(
                    "SELECT name FROM decks WHERE id = ?1 AND builtin = 0
                       AND NOT EXISTS (SELECT 1 FROM cards WHERE deck_id = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(name) = name {
                tx.execute("DELETE FROM decks WHERE id = ?1", [id])?;
                emptied.push(name);
            }
        }
        self.report.emptied_decks = emptied;
        Ok(())
    }

    /// [`Sink::card_hashed`] without taking the card: the first error is kept for
    /// [`Importer::failure`].
    pub fn card_ref_hashed(&mut self, card: &CardDraft, hash: i64) {
        if self.failure.is_none()
            && let Err(e) = self.add_card_hashed(card, hash)
        {
            self.failure = Some(e);
        }
    }

    /// FSRS parameters an Anki package with review history brings (its preset's, fitted to
    /// the learner's own reviews in Anki), before its cards. Taken when the learner has none of
    /// their own here (never `alt-prep optimize`d, nothing taken before), so the history is
    /// replayed, and later cards scheduled, as Anki would; saved with the import. Parameters
    /// the learner already has are kept: they were chosen here, and one set serves every deck.
    pub fn fsrs_parameters(&mut self, preset: &str, parameters: &[f32]) {
        if self.failure.is_some() {
            return;
        }
        if let Err(e) = self.try_fsrs_parameters(preset, parameters) {
            self.failure = Some(e);
        }
    }

    fn try_fsrs_parameters(&mut self, preset: &str, parameters: &[f32]) -> Result<()> {
        let offered = |parameters: Vec<f32>, reason: &str| AnkiParameters {
            preset: preset.to_owned(),
            parameters,
            reason: reason.to_owned(),
        };
        let Ok(filled) = fsrs::check_and_fill_parameters(parameters) else {
            self.report.fsrs_parameters_not_adopted = Some(offered(
                parameters.to_vec(),
                "they are not FSRS parameters alt-prep can use",
            ));
            return Ok(());
        };
        self.flush_bulk()?;
        if let Some(taken) = &self.report.fsrs_parameters {
            if taken.parameters != filled {
                self.report.fsrs_parameters_not_adopted = Some(offered(
                    filled,
                    "another package of this import brought other parameters first",
                ));
            }
            return Ok(());
        }
        let tx = self.tx.as_ref().context("the import is over")?;
        let stored: Option<String> = tx
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [PARAMETERS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(stored) = stored {
            let own: Vec<f32> = serde_json::from_str(&stored).unwrap_or_default();
            if own != filled {
                self.report.fsrs_parameters_not_adopted = Some(offered(
                    filled,
                    "you have parameters of your own (`alt-prep optimize`, or an earlier import)",
                ));
            }
            return Ok(());
        }
        let mut config = self.scheduler.config.clone();
        config.parameters = filled.clone();
        let Ok(scheduler) = Scheduler::new(config, self.scheduler.clock.clone()) else {
            self.report.fsrs_parameters_not_adopted = Some(offered(
                filled,
                "they are not FSRS parameters alt-prep can use",
            ));
            return Ok(());
        };
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![PARAMETERS_KEY, serde_json::to_string(&filled)?],
        )?;
        self.adopted = Some(scheduler);
        self.report.fsrs_parameters = Some(offered(filled, ""));
        Ok(())
    }

    /// The first error met while fed as a sink, if any; the import cannot go on after one.
    /// Cards still waiting to be written are written first, so that a card the database
    /// refuses is reported with the file it came from.
    pub fn failure(&mut self) -> Option<anyhow::Error> {
        if self.failure.is_none()
            && let Err(e) = self.flush_bulk()
        {
            self.failure = Some(e);
        }
        self.failure.take()
    }

    /// A card handed over to keep: queued to be written many to an INSERT when it is a plain
    /// new card of a large import (`db::bulk`), else written at once as by
    /// [`Importer::card_ref_hashed`] and handed back. Queued cards come back, written, from
    /// [`Importer::take_written`].
    pub fn card_owned(&mut self, card: CardDraft, hash: i64) -> Option<CardDraft> {
        if self.failure.is_some() {
            return Some(card);
        }
        match self.queue_new_card(card, hash) {
            Ok(None) => None,
            Ok(Some(card)) => {
                self.card_ref_hashed(&card, hash);
                Some(card)
            }
            Err(e) => {
                self.failure = Some(e);
                None
            }
        }
    }

    /// Cards written from the queue since last asked, to free where they were made.
    pub fn take_written(&mut self) -> Vec<CardDraft> {
        self.bulk
            .as_mut()
            .map(BulkCards::take_written)
            .unwrap_or_default()
    }

    /// Queues `card` when it is a new card with nothing but its text (no Anki id, schedule,
    /// history or suspension) in a large import; hands it back otherwise. What `write` and
    /// `add_content` do for such a card is done here: it is counted as added and takes the
    /// next position.
    fn queue_new_card(&mut self, card: CardDraft, hash: i64) -> Result<Option<CardDraft>> {
        let Some(bulk) = self.bulk.as_mut() else {
            return Ok(Some(card));
        };
        let plain = !card.global_id
            && !card.suspended
            && card.history.is_empty()
            && card.scheduled.is_none()
            && !card.schedule_known
            && card.start.is_none()
            && card.modified.is_none();
        let Some(deck) = self.current.and_then(|i| self.decks.get_mut(i)) else {
            return Ok(Some(card));
        };
        if !plain || deck.known.contains_key(&card.id) {
            return Ok(Some(card));
        }
        deck.saw_own = true;
        deck.report.added += 1;
        self.position += 1;
        let row = PendingCard {
            tags: card.tags.join(" "),
            card,
            hash,
            position: self.position,
        };
        bulk.push(self.conn, deck.id, row, self.now)
            .map_err(|e| refusal(e, &deck.name))?;
        Ok(None)
    }

    /// Writes the cards queued by [`Importer::queue_new_card`].
    fn flush_bulk(&mut self) -> Result<()> {
        let Some(bulk) = self.bulk.as_mut().filter(|b| !b.is_empty()) else {
            return Ok(());
        };
        let deck_id = bulk.deck_id();
        let decks = &self.decks;
        bulk.flush(self.conn, self.now).map_err(|e| {
            let name = decks.iter().find(|d| d.id == deck_id);
            refusal(e, name.map_or("", |d| d.name.as_str()))
        })
    }

    /// Commits (or, for a dry run, rolls back) and reports what changed.
    pub fn finish(mut self) -> Result<ImportReport> {
        if let Some(e) = self.failure() {
            return Err(e);
        }
        let ours: Vec<i64> = self.decks.iter().map(|d| d.id).collect();
        self.end_decks()?;
        self.remove_emptied_decks(&ours)?;
        let tx = self.tx.take().context("the import was already finished")?;
        if self.options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit().context("could not commit the import")?;
        }
        Ok(std::mem::take(&mut self.report))
    }
}

impl Drop for Importer<'_> {
    fn drop(&mut self) {
        // Any transaction still open rolls back with the `Transaction` itself.
        drop(self.tx.take());
        let _ = self.conn.pragma_update(None, "cache_size", self.cache_size);
    }
}

impl Sink for Importer<'_> {
    fn deck(&mut self, id: &str, name: &str, description: &str) {
        if self.failure.is_none()
            && let Err(e) = self.begin_deck(id, name, description)
        {
            self.failure = Some(e);
        }
    }

    fn card(&mut self, card: CardDraft) {
        self.card_ref_hashed(&card, card.content_hash());
    }

    fn prompt(&mut self, prompt: PromptDraft) {
        if self.failure.is_none()
            && let Err(e) = self.add_prompt(&prompt)
        {
            self.failure = Some(e);
        }
    }
}

/// A batch of new cards the database did not take whole, as the error of the import.
fn refusal(refused: Refused, deck: &str) -> anyhow::Error {
    let e = match refused {
        Refused::Clash(key) => anyhow::anyhow!(
            "card `{key}` is in more than one of the files going into deck `{deck}`; give one of them another id"
        ),
        Refused::Skipped(key) => anyhow::anyhow!("card `{key}` could not be written"),
        Refused::Sql(e) => anyhow::Error::new(e),
    };
    e.context(format!("could not import deck `{deck}`"))
}

/// Whether card `id` differs from `content` only in layout: the order of its tags (Anki keeps
/// them sorted, so a deck sent through Anki and back comes with them reordered), or
/// whitespace at the ends of a side that [`trim_field`] takes off (stored before every format
/// trimmed alike). Neither is an edit to report; the card takes the file's form quietly.
fn only_layout_differs(tx: &Transaction, id: i64, content: &Content<'_>) -> Result<bool> {
    if content.prompt.is_some() {
        return Ok(false);
    }
    let (kind, front, back, tags): (i64, String, String, String) = tx
        .prepare_cached("SELECT kind, front, back, tags FROM cards WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(kind == content.kind
        && trim_field(&front) == trim_field(content.front)
        && trim_field(&back) == trim_field(content.back)
        && tag_set(&tags) == tag_set(&content.tags))
}

/// Space-separated tags as a sorted set.
fn tag_set(tags: &str) -> Vec<&str> {
    let mut set: Vec<&str> = tags.split_whitespace().collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// `cards.anki_note_mod` of a card a notes text export brought (which carries no times): no
/// package has told its Anki state yet.
const NOTES_EXPORT: i64 = 0;

/// Whether a file's modification time is older than the one stored from the last import.
fn older(stored: Option<i64>, file: Option<i64>) -> bool {
    matches!((stored, file), (Some(stored), Some(file)) if file < stored)
}

/// The scheduler imported histories are replayed with, and whether its FSRS parameters were
/// taken from this import's package (then histories already here are replayed again).
#[derive(Clone, Copy)]
struct Replaying<'s> {
    scheduler: &'s Scheduler,
    reparameterised: bool,
}

/// A new card (`add_content`'s parameters 1–13).
const INSERT_CARD: &str = "INSERT INTO cards (deck_id, key, kind, front, back, tags, content_hash,
                                              position, due, created_at, updated_at, global_key,
                                              anki_suspended, anki_note_mod, anki_card_mod)
                           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9, ?10, ?11, ?12, ?13)";

/// Writes one card or prompt: inserted when new, updated when its text changed, left alone
/// otherwise; an imported review history is replayed into a card that has none yet (or, from
/// an Anki package with scheduling, one not studied here brought up to the file).
fn add_content(
    tx: &Transaction,
    insert: &mut rusqlite::Statement,
    deck: &mut OpenDeck,
    content: &Content<'_>,
    now: i64,
    position: &mut i64,
    replaying: Replaying<'_>,
) -> Result<Added> {
    let Replaying {
        scheduler,
        reparameterised,
    } = replaying;
    let report = &mut deck.report;
    let hash = content.hash;
    // A new deck knows no cards: skip hashing every key of a large first import.
    let known = if deck.known.is_empty() {
        None
    } else {
        deck.known.remove(content.key)
    };
    let mut inserted = false;
    let mut was_suspended_in_anki = None;
    let mut added_by_this_import = false;
    let mut from_notes_export = false;
    let modified = content.card.and_then(|c| c.modified);
    // A package older than the one imported last rolls nothing back: not the note's text,
    // not the card's schedule or suspension.
    let mut older_card = false;
    let (card_id, review_count) = match known {
        Some(Known {
            id,
            hash: old_hash,
            reviews,
            global,
            anki_suspended,
            note_mod,
            card_mod,
            fresh,
        }) => {
            was_suspended_in_anki = anki_suspended;
            added_by_this_import = fresh;
            from_notes_export = note_mod == Some(NOTES_EXPORT);
            let older_note = older(note_mod, modified.map(|m| m.note));
            older_card = older(card_mod, modified.map(|m| m.card));
            // "Left as they are": older in one half and newer in neither (a note edited in
            // Anki since, with an older card, still takes the newer text: not left).
            let newer = older(modified.map(|m| m.note), note_mod)
                || older(modified.map(|m| m.card), card_mod);
            if (older_note || older_card) && !newer {
                report.older += 1;
            }
            if let Some(m) = modified
                && (note_mod < Some(m.note) || card_mod < Some(m.card))
            {
                tx.prepare_cached(
                    "UPDATE cards SET anki_note_mod = max(coalesce(anki_note_mod, 0), ?2),
                                      anki_card_mod = max(coalesce(anki_card_mod, 0), ?3)
                     WHERE id = ?1",
                )?
                .execute(params![id, m.note, m.card])?;
            }
            if content.global && global.is_none() {
                // Matched in its own deck by GUID: it is that note from now on (a card
                // imported before `global_key` existed).
                tx.prepare_cached("UPDATE cards SET global_key = 1 WHERE id = ?1")?
                    .execute([id])?;
            }
            if old_hash == hash || older_note {
                report.unchanged += 1;
            } else if only_layout_differs(tx, id, content)? {
                tx.prepare_cached(
                    "UPDATE cards SET front = ?2, back = ?3, tags = ?4, content_hash = ?5 WHERE id = ?1",
                )?
                .execute(params![id, content.front, content.back, content.tags, hash])?;
                report.unchanged += 1;
            } else {
                tx.prepare_cached(
                    "UPDATE cards SET kind = ?2, front = ?3, back = ?4, tags = ?5, content_hash = ?6,
                                      updated_at = ?7 WHERE id = ?1",
                )?
                .execute(params![
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
            insert
                .execute(params![
                deck.id,
                content.key,
                content.kind,
                content.front,
                content.back,
                content.tags,
                hash,
                *position,
                now,
                content.global,
                content.card.filter(|c| c.schedule_known).map(|c| c.suspended),
                // A card from a notes export is marked so: Anki's suspension, unknown until
                // its package comes, is then taken from it.
                modified
                    .map(|m| m.note)
                    .or((content.global && !content.moves).then_some(NOTES_EXPORT)),
                modified.map(|m| m.card)
            ])
            .map_err(|e| match e.sqlite_error_code() {
                // Each file's own ids are checked to be unique before this, so a clash is
                // the same id in two files of one import.
                Some(rusqlite::ErrorCode::ConstraintViolation) => anyhow::anyhow!(
                    "card `{}` is in more than one of the files going into deck `{}`; give one of them another id",
                    content.key,
                    deck.name
                ),
                _ => anyhow::Error::new(e),
            })?;
            report.added += 1;
            inserted = true;
            (tx.last_insert_rowid(), 0)
        }
    };
    if let Some(p) = content.prompt {
        tx.prepare_cached(
            "INSERT INTO prompts (card_id, category, talking_points, follow_ups, time_limit_secs, tips)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (card_id) DO UPDATE SET category = excluded.category,
                 talking_points = excluded.talking_points, follow_ups = excluded.follow_ups,
                 time_limit_secs = excluded.time_limit_secs, tips = excluded.tips",
        )?
        .execute(params![
            card_id,
            p.category,
            serde_json::to_string(&p.talking_points)?,
            serde_json::to_string(&p.follow_ups)?,
            p.time_limit_secs,
            p.tips
        ])?;
    }
    let mut imported = 0;
    if let Some(card) = content.card {
        // A file's "suspended" is where a new card starts: on re-import the learner's own
        // suspend or unsuspend since stands, unless Anki changed the card's schedule, or its
        // suspension, since the last import (`anki_suspended`).
        if inserted && card.suspended {
            tx.execute("UPDATE cards SET suspended = 1 WHERE id = ?1", [card_id])?;
        }
        if !inserted
            && card.schedule_known
            && !older_card
            && was_suspended_in_anki != Some(card.suspended)
        {
            tx.prepare_cached("UPDATE cards SET anki_suspended = ?2 WHERE id = ?1")?
                .execute(params![card_id, card.suspended])?;
        }
        if !inserted && card.schedule_known {
            if older_card {
                return Ok(Added {
                    card_id,
                    reviews: 0,
                });
            }
            let resynced = resync_history(tx, card_id, card, scheduler, now, reparameterised)?;
            // Anki's suspension is followed when Anki changed it since the last import, and
            // for a card an earlier file of this import added (a notes export carries none).
            // Otherwise the learner's own suspend or unsuspend stands, whatever else Anki
            // changed; a card imported before migration 006 (not known) takes Anki's from the
            // next change on.
            let follow = match was_suspended_in_anki {
                Some(before) => before != card.suspended,
                None => (added_by_this_import || from_notes_export) && card.suspended,
            };
            let suspension_changed = follow
                && tx
                    .prepare_cached(
                        "UPDATE cards SET suspended = ?2 WHERE id = ?1 AND suspended != ?2",
                    )?
                    .execute(params![card_id, card.suspended])?
                    > 0;
            match resynced {
                Some(Resynced::Parameters) => report.recomputed += 1,
                Some(Resynced::Anki { .. }) => report.rescheduled += 1,
                None if suspension_changed => report.rescheduled += 1,
                None => {}
            }
            if let Some(Resynced::Anki { gained, skipped }) = resynced {
                report.reviews_skipped += skipped;
                imported = gained.max(0) as u64;
                report.reviews_imported += imported;
            }
        } else if review_count == 0 && (!card.history.is_empty() || card.start.is_some()) {
            let replayed = replay(card, card_id, scheduler, now)?;
            write_replay(tx, card_id, &replayed)?;
            imported = replayed.reviews.len() as u64;
            report.reviews_imported += imported;
            report.reviews_skipped += replayed.skipped;
        }
    }
    Ok(Added {
        card_id,
        reviews: imported,
    })
}

/// The retention SM-2 is assumed to have reached when FSRS infers a memory state from its
/// ease and interval (Anki's `historical_retention` default).
const HISTORICAL_RETENTION: f32 = 0.9;

/// What [`add_content`] did with one card.
struct Added {
    card_id: i64,
    /// Past reviews brought in.
    reviews: u64,
}

/// Puts a replayed card where the app it came from had it ([`ImportedSchedule`]): its state,
/// due date, interval and counts, keeping the replay's FSRS memory state and last review. A
/// replay that left no memory state (nothing to schedule a review card by) is kept as it is.
fn carry_over(schedule: &mut Schedule, anki: &ImportedSchedule, scheduler: &Scheduler) {
    if schedule.stability.is_none() || schedule.difficulty.is_none() {
        return;
    }
    let step = if schedule.state.code() == i64::from(anki.state) {
        schedule.state.step()
    } else {
        0
    };
    let Some(state) = CardState::from_code(i64::from(anki.state), step) else {
        return;
    };
    schedule.state = state;
    schedule.due = if anki.intraday {
        anki.due_at
    } else {
        let clock = &scheduler.clock;
        clock.start_of(clock.day_of(anki.due_at))
    };
    schedule.interval_days = anki.interval_days;
    schedule.reps = anki.reps;
    schedule.lapses = anki.lapses;
}

/// An imported review history answered again, in order, through the scheduler: the review
/// rows to log and the schedule the card ends with (Anki's own schedule carried over when
/// the file gave it). Nothing is written.
struct Replay {
    reviews: Vec<NewReview>,
    schedule: Schedule,
    /// Reviews left out for an impossible time.
    skipped: u64,
}

/// Rebuilds a card's state from an imported review history by answering it again, in order,
/// through the same scheduler: the FSRS memory state comes out as if the reviews had been done
/// here. Each past answer is logged with source `import`.
fn replay(card: &CardDraft, card_id: i64, scheduler: &Scheduler, now: i64) -> Result<Replay> {
    let mut schedule = Schedule::new_card();
    let mut reviews = Vec::new();
    let (history, skipped) = answers_to_replay(card, now);
    let mut history = history.into_iter().peekable();
    if let Some(start) = card.start {
        let (stability, difficulty) = match start {
            ImportedStart::Sm2 {
                ease_factor,
                interval_days,
            } => scheduler
                .model
                .from_sm2(ease_factor, interval_days, HISTORICAL_RETENTION)
                .with_context(|| {
                    format!("card `{}` has a schedule FSRS cannot start from", card.id)
                })?,
            ImportedStart::Stored {
                stability,
                difficulty,
            } => (stability, difficulty),
        };
        let interval_days = match start {
            ImportedStart::Sm2 { interval_days, .. } => interval_days.max(1.0) as u32,
            ImportedStart::Stored { .. } => card.scheduled.map_or(1, |s| s.interval_days.max(1)),
        };
        // With answers, the first is where this state was reached (Anki drops it from the
        // replay); without, the card was last seen an interval before it falls due.
        let last_review = match (start, history.peek()) {
            (ImportedStart::Sm2 { .. }, Some((review, _))) => review.time_ms.div_euclid(1000),
            _ => card.scheduled.map_or(now, |s| s.due_at) - i64::from(interval_days) * 86_400,
        };
        if let (ImportedStart::Sm2 { .. }, Some((review, rating))) = (start, history.peek()) {
            reviews.push(NewReview {
                reviewed_at_ms: review.time_ms,
                rating: rating.number(),
                state_before: schedule.state.code(),
                elapsed_days: 0,
                duration_ms: review.duration_ms.clamp(0, 3_600_000),
                interval_secs: i64::from(interval_days) * 86_400,
                stability,
                difficulty,
                source: "import",
            });
            history.next();
        }
        schedule = Schedule {
            state: CardState::Review,
            stability: Some(stability),
            difficulty: Some(difficulty),
            due: last_review + i64::from(interval_days) * 86_400,
            last_review: Some(last_review),
            interval_days,
            reps: 1,
            lapses: 0,
        };
    }
    for (review, rating) in history {
        let at = review.time_ms.div_euclid(1000);
        let answered = scheduler
            .answer(card_id, &schedule, rating, at)
            .with_context(|| format!("card `{}` has a history FSRS cannot replay", card.id))?;
        reviews.push(NewReview {
            reviewed_at_ms: review.time_ms,
            rating: rating.number(),
            state_before: schedule.state.code(),
            elapsed_days: answered.elapsed_days,
            duration_ms: review.duration_ms.clamp(0, 3_600_000),
            interval_secs: answered.delay_secs,
            stability: answered.schedule.stability.unwrap_or(0.0),
            difficulty: answered.schedule.difficulty.unwrap_or(0.0),
            source: "import",
        });
        schedule = answered.schedule;
    }
    if (!reviews.is_empty() || card.start.is_some())
        && let Some(anki) = card.scheduled
    {
        carry_over(&mut schedule, &anki, scheduler);
    }
    Ok(Replay {
        reviews,
        schedule,
        skipped,
    })
}

/// The answers of an imported history that are replayed, oldest first, with their ratings;
/// and how many were left out for an impossible time.
fn answers_to_replay(card: &CardDraft, now: i64) -> (Vec<(&ImportedReview, Rating)>, u64) {
    // A review time outside this window is damage, not history: replayed, it would put the
    // card's next review centuries away and every day-based view out of range.
    let latest_ms = now.saturating_add(366 * 86_400).saturating_mul(1000);
    let mut answers: Vec<_> = card
        .history
        .iter()
        .filter(|r| (0..=latest_ms).contains(&r.time_ms))
        .collect();
    let skipped = (card.history.len() - answers.len()) as u64;
    answers.sort_by_key(|r| r.time_ms);
    let answers = answers
        .into_iter()
        .filter_map(|r| Some((r, Rating::from_number(i64::from(r.rating))?)))
        .collect();
    (answers, skipped)
}

/// Logs a replayed history and gives the card the schedule it ended with.
fn write_replay(tx: &Transaction, card_id: i64, replay: &Replay) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, elapsed_days,
             duration_ms, interval_secs, stability, difficulty, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for log in &replay.reviews {
        insert.execute(params![
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
        ])?;
    }
    write_schedule(tx, card_id, &replay.schedule)
}

/// Gives a card a schedule (an import's replay or Anki's own).
fn write_schedule(tx: &Transaction, card_id: i64, s: &Schedule) -> Result<()> {
    tx.prepare_cached(
        "UPDATE cards SET state = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6,
             last_review = ?7, interval_days = ?8, reps = ?9, lapses = ?10 WHERE id = ?1",
    )?
    .execute(params![
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
    ])?;
    Ok(())
}

/// A card imported before from an Anki package with scheduling, met again in a newer export of
/// it: when Anki has answered it since, reset it ("Forget") or set its due date, and it has
/// not been studied here meanwhile (every review it has came from an import), it is brought
/// to what a first import of the newer file would give — the history replayed again from the
/// start and Anki's schedule carried over. A card studied here keeps alt-prep's schedule: the
/// two histories cannot be merged into one honest memory state. Returns the reviews the card
/// gained (or lost) and those left out, or `None` when nothing changed.
/// What [`resync_history`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resynced {
    /// Brought up to a newer Anki export: reviews gained (or lost, to a "Forget") and left out.
    Anki { gained: i64, skipped: u64 },
    /// The same answers replayed under FSRS parameters this import took.
    Parameters,
}

fn resync_history(
    tx: &Transaction,
    card_id: i64,
    card: &CardDraft,
    scheduler: &Scheduler,
    now: i64,
    reparameterised: bool,
) -> Result<Option<Resynced>> {
    let mut stored: Vec<i64> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT reviewed_at, source = 'import' FROM reviews WHERE card_id = ?1 + 0 ORDER BY reviewed_at",
        )?;
        let mut rows = stmt.query([card_id])?;
        while let Some(row) = rows.next()? {
            if !row.get::<_, bool>(1)? {
                return Ok(None);
            }
            stored.push(row.get(0)?);
        }
    }
    let current = tx
        .prepare_cached(&format!(
            "SELECT {} FROM cards JOIN decks ON decks.id = cards.deck_id WHERE cards.id = ?1 + 0",
            super::cards::CARD_COLUMNS
        ))?
        .query_row([card_id], super::cards::card_from_row)?;
    let (answers, skipped) = answers_to_replay(card, now);
    let same_answers = stored.len() == answers.len()
        && stored
            .iter()
            .zip(&answers)
            .all(|(at, (r, _))| *at == r.time_ms);
    if same_answers && reparameterised {
        // Parameters taken from this package: its history, replayed under them, gives the
        // memory state Anki has (the one before was worked out under others).
        let replayed = replay(card, card_id, scheduler, now)?;
        if replayed.schedule == current.schedule {
            return Ok(None);
        }
        tx.prepare_cached("DELETE FROM reviews WHERE card_id = ?1")?
            .execute([card_id])?;
        write_replay(tx, card_id, &replayed)?;
        return Ok(Some(Resynced::Parameters));
    }
    if same_answers {
        // The same answers give the same memory state (and after `optimize` a replay would
        // only put the new parameters' guess in place of it): only Anki's schedule can have
        // moved ("Set due date").
        let mut wanted = current.schedule;
        if answers.is_empty() && card.start.is_some() {
            // Studied in Anki without an answer to replay ("Set due date" on a new card).
            wanted = replay(card, card_id, scheduler, now)?.schedule;
        } else if let (Some(anki), false) = (card.scheduled, answers.is_empty()) {
            carry_over(&mut wanted, &anki, scheduler);
        }
        if wanted == current.schedule {
            return Ok(None);
        }
        write_schedule(tx, card_id, &wanted)?;
        return Ok(Some(Resynced::Anki { gained: 0, skipped }));
    }
    let replayed = replay(card, card_id, scheduler, now)?;
    tx.prepare_cached("DELETE FROM reviews WHERE card_id = ?1")?
        .execute([card_id])?;
    write_replay(tx, card_id, &replayed)?;
    let gained = replayed.reviews.len() as i64 - stored.len() as i64;
    Ok(Some(Resynced::Anki {
        gained,
        skipped: replayed.skipped,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::{DayClock, SchedulerConfig};

    /// A review log may be damaged or made by hand: a review dated centuries ahead (or before
    /// 1970) is left out and counted, not replayed into a card due in the year 300,000.
    #[test]
    fn impossible_review_times_are_left_out_and_counted() {
        let mut db = Db::open_in_memory().expect("db");
        let scheduler = Scheduler::new(
            SchedulerConfig::default(),
            DayClock::new(jiff::tz::TimeZone::UTC, 4),
        )
        .expect("scheduler");
        let now = 1_780_000_000; // 2026-05-28
        let review = |time_ms: i64| ImportedReview {
            time_ms,
            rating: 3,
            duration_ms: 1_000,
        };
        let mut card = CardDraft::new("c1", "front", "back");
        card.history = vec![
            review(9_999_999_999_999_999),
            review((now - 10 * 86_400) * 1000),
            review(-5),
            review((now - 86_400) * 1000),
        ];
        let deck = DeckDraft {
            id: "d".into(),
            name: "D".into(),
            description: String::new(),
            cards: vec![card],
            prompts: Vec::new(),
        };
        let options = ImportOptions {
            prune: false,
            dry_run: false,
            builtin: false,
            large: false,
        };
        let report = db
            .import(&[deck], options, now, &scheduler)
            .expect("import");
        assert_eq!(report.reviews_imported, 2);
        assert_eq!(report.decks[0].reviews_skipped, 2);
        let (count, latest, due): (i64, i64, i64) = db
            .conn
            .query_row(
                "SELECT count(*), max(reviewed_at), (SELECT due FROM cards WHERE key = 'c1')
                 FROM reviews",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("query");
        assert_eq!((count, latest), (2, (now - 86_400) * 1000));
        assert!(due > now && due < now + 365 * 86_400, "due {due}");
    }
}
