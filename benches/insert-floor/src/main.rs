//! The SQLite floor of a 100,000-card import, by variant: the rows of `deck-100000.csv` (from
//! `benches/gen.py`) inserted with one prepared statement into a copy of the benchmark's
//! database that holds only the built-in decks, timing each phase. Used for the "What bounds
//! each figure" analysis in BENCHMARKS.md.
//!
//! ```sh
//! cd benches/insert-floor && cargo build --release
//! ./target/release/insert-floor wal                      # alt-prep's settings, all indexes
//! ./target/release/insert-floor delete                   # rollback journal instead of WAL
//! ./target/release/insert-floor delete-full              # … with synchronous=FULL, as alt-prep's large imports
//! ./target/release/insert-floor wal-drop                 # drop the indexes, rebuild after
//! ./target/release/insert-floor "wal-no-cards_stats,no-cards_queue,"   # without those indexes
//! ./target/release/insert-floor delete-drop-multi64      # 64 rows per INSERT statement
//! ./target/release/insert-floor wal-sorted               # rows in card-key order
//! ./target/release/insert-floor "delete-full-multi16-rollback-nofk-no-cards_leeches,"
//!     # 16 rows per INSERT OR ROLLBACK, foreign keys off, no LIKE index: no statement journal
//! ./target/release/insert-floor delete-full-multi16-tempmem   # statement journal in memory
//! ./target/release/insert-floor delete-full-posfirst     # `cards_new` by position first
//! ./target/release/insert-floor delete-full-dropnew      # `cards_new` dropped, built after
//! ```
//!
//! `strace -f -c` shows whether a mode keeps a statement journal: tens of thousands of
//! `pwrite64` calls to a temporary file (the `multi16` modes with foreign keys on, or any
//! index condition calling a function) against ~2,300 without.
//!
//! Arguments: a mode (words as above, combined freely), then optionally the benchmark data
//! folder (default `/tmp/alt-prep-bench/100000`).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("wal", String::as_str);
    let dir = args
        .get(2)
        .map_or("/tmp/alt-prep-bench/100000", String::as_str);
    let t0 = Instant::now();
    let bytes = std::fs::read(format!("{dir}/deck-100000.csv"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[..]);
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record?;
        rows.push((
            r.get(0).unwrap_or("").to_string(),
            r.get(1).unwrap_or("").to_string(),
            r.get(2).unwrap_or("").to_string(),
        ));
    }
    let t1 = Instant::now();
    let db = std::env::temp_dir().join("insert-floor.sqlite3");
    std::fs::copy(format!("{dir}/empty/alt.sqlite3"), &db)?;
    let _ = std::fs::remove_file(db.with_extension("sqlite3-wal"));
    let mut c = rusqlite::Connection::open(&db)?;
    let journal = if mode.contains("delete") {
        "DELETE"
    } else {
        "WAL"
    };
    // `pageN`: the database rebuilt with N-byte pages first (VACUUM needs a rollback journal).
    if let Some(size) = mode
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|w| w.strip_prefix("page").and_then(|n| n.parse::<u32>().ok()))
    {
        c.pragma_update(None, "journal_mode", "DELETE")?;
        c.pragma_update(None, "page_size", size)?;
        c.execute_batch("VACUUM")?;
    }
    c.pragma_update(None, "journal_mode", journal)?;
    c.execute_batch(if mode.contains("syncoff") {
        "PRAGMA synchronous=OFF;"
    } else if mode.contains("full") {
        "PRAGMA synchronous=FULL;"
    } else {
        "PRAGMA synchronous=NORMAL;"
    })?;
    // `nofk`: foreign keys off (rusqlite's bundled SQLite has them on by default).
    c.execute_batch(if mode.contains("nofk") {
        "PRAGMA foreign_keys=OFF;"
    } else {
        "PRAGMA foreign_keys=ON;"
    })?;
    // `defer`: foreign keys checked at commit, so no statement needs a statement journal for them.
    if mode.contains("defer") {
        c.execute_batch("PRAGMA defer_foreign_keys=ON;")?;
    }
    // `tempmem`: temporary files (statement journals among them) kept in memory.
    if mode.contains("tempmem") {
        c.execute_batch("PRAGMA temp_store=MEMORY;")?;
    }
    if mode.contains("bigcache") {
        c.execute_batch("PRAGMA cache_size=-262144")?;
    }
    let tx = c.transaction()?;
    for name in [
        "cards_stats",
        "cards_deck_stats",
        "cards_leeches",
        "cards_queue",
        "cards_new",
    ] {
        if mode.contains(&format!("no-{name},")) {
            tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
    }
    // `posfirst`: `cards_new` ordered by position first.
    if mode.contains("posfirst") {
        tx.execute_batch("DROP INDEX cards_new; CREATE INDEX cards_new ON cards (position, kind, suspended, deck_id) WHERE state = 0")?;
    }
    // `keyfirst`: the card-key index as (key, deck_id), a plain unique index.
    // `dropnew`: only `cards_new` dropped, and built again after.
    let rebuilt: Vec<(String, String)> = if mode.contains("dropnew") {
        let sql: String = tx.query_row("SELECT sql FROM sqlite_schema WHERE name = 'cards_new'", [], |r| r.get(0))?;
        tx.execute_batch("DROP INDEX cards_new")?;
        vec![("cards_new".into(), sql)]
    } else if mode.contains("drop") {
        let mut s = tx.prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cards' AND sql IS NOT NULL",
        )?;
        let v = s
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        for (n, _) in &v {
            tx.execute_batch(&format!("DROP INDEX {n}"))?;
        }
        v
    } else {
        Vec::new()
    };
    tx.execute(
        "INSERT INTO decks (key, name, description, builtin, created_at) VALUES ('x', 'x', '', 0, 0)",
        [],
    )?;
    let deck = tx.last_insert_rowid();
    let t2 = Instant::now();
    // A key shaped like alt-prep's (slug and hash), unique per row.
    let key_of = |i: usize, front: &str| -> String {
        let slug: String = front
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect();
        format!(
            "{slug}-{:08x}",
            (i as u64).wrapping_mul(2_654_435_761) as u32
        )
    };
    // `multiN`: N rows per INSERT statement (multi-row VALUES) instead of one.
    let per: usize = mode
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|w| w.strip_prefix("multi").and_then(|n| n.parse().ok()))
        .unwrap_or(1);
    {
        let row_sql = "(?, ?, 0, ?, ?, ?, ?, ?, 0, 1, 1)";
        let sql_for = |n: usize| {
            format!(
                "INSERT {}INTO cards (deck_id, key, kind, front, back, tags, content_hash, position, due,
                                    created_at, updated_at) VALUES {}",
                // `rollback`: a conflict rolls the transaction back, so no statement journal.
                if mode.contains("rollback") { "OR ROLLBACK " } else { "" },
                vec![row_sql; n].join(", ")
            )
        };
        // `sorted`: rows inserted in key order (positions still in file order).
        let mut order: Vec<(String, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, (front, _, _))| (key_of(i, front), i))
            .collect();
        if mode.contains("sorted") {
            order.sort();
        }
        let rows: Vec<(usize, String, &(String, String, String))> =
            order.into_iter().map(|(k, i)| (i, k, &rows[i])).collect();
        let mut st = tx.prepare(&sql_for(per))?;
        for chunk in rows.chunks(per) {
            let mut params: Vec<rusqlite::types::ValueRef<'_>> = Vec::with_capacity(chunk.len() * 7);
            for (i, key, (front, back, tags)) in chunk.iter() {
                let i = *i as i64;
                params.extend([
                    rusqlite::types::ValueRef::Integer(deck),
                    rusqlite::types::ValueRef::from(key.as_str()),
                    rusqlite::types::ValueRef::from(front.as_str()),
                    rusqlite::types::ValueRef::from(back.as_str()),
                    rusqlite::types::ValueRef::from(tags.as_str()),
                    rusqlite::types::ValueRef::Integer(i * 7919),
                    rusqlite::types::ValueRef::Integer(i),
                ]);
            }
            if chunk.len() == per {
                st.execute(rusqlite::params_from_iter(params.into_iter().map(rusqlite::types::ToSqlOutput::Borrowed)))?;
            } else {
                tx.prepare(&sql_for(chunk.len()))?
                    .execute(rusqlite::params_from_iter(params.into_iter().map(rusqlite::types::ToSqlOutput::Borrowed)))?;
            }
        }
    }
    let t3 = Instant::now();
    for (_, sql) in &rebuilt {
        tx.execute_batch(sql)?;
    }
    let t4 = Instant::now();
    tx.commit()?;
    let t5 = Instant::now();
    if journal == "DELETE" {
        c.pragma_update(None, "journal_mode", "WAL")?;
    }
    drop(c);
    let t6 = Instant::now();
    let s = |a: Instant, b: Instant| (b - a).as_secs_f64();
    eprintln!(
        "{mode}: parse {:.3} open {:.3} insert {:.3} reindex {:.3} commit {:.3} close {:.3} total {:.3}",
        s(t0, t1),
        s(t1, t2),
        s(t2, t3),
        s(t3, t4),
        s(t4, t5),
        s(t5, t6),
        s(t0, t6)
    );
    Ok(())
}
