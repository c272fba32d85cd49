//! `alt-prep import` of native TOML and JSON decks.

use crate::harness::*;
use rusqlite::OptionalExtension;

const T0: &str = "2026-04-01T09:00:00Z";

#[test]
fn reimporting_an_edited_deck_updates_by_key_and_keeps_reviews() {
    let env = Env::new();
    let path = env.write("t.toml", &small_deck("t", "Test", 3));
    env.import(T0, &path);
    env.ok(T0, &["review", "--deck", "Test"], "\n4\nq\n");
    let same = env
        .ok(T0, &["import", path.to_str().expect("path"), "--json"], "")
        .json();
    assert_eq!(same["unchanged"], 3);
    assert_eq!(same["added"], 0);
    let edited = small_deck("t", "Test", 2).replace("Answer 1", "Answer one, edited");
    std::fs::write(&path, edited).expect("write");
    let report = env
        .ok(T0, &["import", path.to_str().expect("path"), "--json"], "")
        .json();
    assert_eq!(report["updated"], 1);
    assert_eq!(report["missing"], 1);
    let c1 = env.ok(T0, &["card", "t/c1", "--json"], "").json();
    assert_eq!(c1["back"], "Answer one, edited");
    assert_eq!(
        c1["reviews"].as_array().map(Vec::len),
        Some(1),
        "review kept"
    );
    assert_eq!(c1["state"], "review");
    // The missing card stays until --prune, which names what it removes.
    assert!(env.run(T0, &["card", "t/c3"], "").code == 0);
    let dry = env.ok(
        T0,
        &[
            "import",
            path.to_str().expect("path"),
            "--prune",
            "--dry-run",
        ],
        "",
    );
    assert!(
        dry.stdout
            .contains("1 card(s) no longer in the file would be removed with their reviews: t/c3"),
        "{}",
        dry.stdout
    );
    assert!(env.run(T0, &["card", "t/c3"], "").code == 0);
    let pruned = env
        .ok(
            T0,
            &["import", path.to_str().expect("path"), "--prune", "--json"],
            "",
        )
        .json();
    assert_eq!(pruned["decks"][0]["removed_keys"][0], "t/c3");
    assert_eq!(env.run(T0, &["card", "t/c3"], "").code, 1);
}

/// A long list of missing cards is cut on the terminal; `--json` has every key.
#[test]
fn missing_cards_are_listed_briefly() {
    let env = Env::new();
    let path = env.write("t.toml", &small_deck("t", "Test", 30));
    env.import(T0, &path);
    std::fs::write(&path, small_deck("t", "Test", 5)).expect("write");
    let out = env.ok(T0, &["import", path.to_str().expect("path")], "");
    assert!(
        out.stdout
            .contains("25 card(s) no longer in the file were kept")
            && out.stdout.contains(" and 15 more (--json lists all)"),
        "{}",
        out.stdout
    );
    let json = env
        .ok(T0, &["import", path.to_str().expect("path"), "--json"], "")
        .json();
    assert_eq!(
        json["decks"][0]["missing"].as_array().map(Vec::len),
        Some(25)
    );
}

#[test]
fn a_bad_file_reports_every_problem_and_writes_nothing() {
    let env = Env::new();
    let good = env.write("good.toml", &small_deck("g", "Good", 2));
    let bad = env.write(
        "bad.toml",
        "id = \"b\"\nname = \"Bad\"\n\n[[card]]\nid = \"x\"\nfront = \"\"\nback = \"b\"\n\n[[card]]\nid = \"x\"\nfront = \"f\"\nback = \"b\"\n",
    );
    env.ok(T0, &["decks"], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(
        T0,
        &[
            "import",
            good.to_str().expect("p"),
            bad.to_str().expect("p"),
        ],
        "",
    );
    assert_eq!(out.code, 1);
    let name = bad.display().to_string();
    assert!(
        out.stderr.contains(&format!("{name}:4: `front` is empty")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("{name}:9: duplicate id `x`")),
        "{}",
        out.stderr
    );
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards"),
        before,
        "nothing written"
    );
}

/// A missing or unknown field in one card hides no problem of another, in TOML and in JSON:
/// the learner fixes the file in one go, not one run per problem.
#[test]
fn field_problems_and_checks_are_reported_together() {
    let env = Env::new();
    let toml = env.write(
        "bad.toml",
        "name = \"Bad\"\n\n[[card]]\nid = \"a\"\nfront = \"A\"\n\n[[card]]\nid = \"b\"\nfront = \"B\"\nback = \"b\"\ncolour = \"red\"\n\n[[card]]\nid = \"c\"\nfront = \"\"\nback = \"c\"\n",
    );
    let json = env.write(
        "bad.json",
        "{\"id\": \"j\", \"name\": \"J\", \"card\": [\n  {\"id\": \"a\", \"front\": \"A\"},\n  {\"id\": \"b\", \"front\": \"B\", \"back\": \"b\", \"colour\": 1},\n  {\"id\": \"c\", \"front\": \"\", \"back\": \"c\"},\n  {\"id\": \"d d\", \"front\": \"D\", \"back\": \"d\"}\n]}\n",
    );
    env.ok(T0, &["decks"], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(
        T0,
        &[
            "import",
            toml.to_str().expect("p"),
            json.to_str().expect("p"),
        ],
        "",
    );
    assert_eq!(out.code, 1);
    let (t, j) = (toml.display().to_string(), json.display().to_string());
    for expected in [
        format!("{t}:1: the deck is missing `id`"),
        format!("{t}:3: card is missing `back`"),
        format!("{t}:11: unknown field `colour`"),
        format!("{t}:13: `front` is empty"),
        format!("{j}:2: card is missing `back`"),
        format!("{j}:3: unknown field `colour`"),
        format!("{j}:4: `front` is empty"),
        format!("{j}:5: card id `d d` contains ` `"),
    ] {
        assert!(out.stderr.contains(&expected), "{expected}\n{}", out.stderr);
    }
    // Said once each, and with the file's own line numbers only.
    assert_eq!(
        out.stderr.matches("missing `back`").count(),
        2,
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("at line"), "{}", out.stderr);
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
}

/// A file the database refuses (its deck's name is taken) still has its own problems listed.
#[test]
fn a_refused_deck_does_not_hide_the_files_problems() {
    let env = Env::new();
    let first = env.write("a.toml", &small_deck("mine", "My school", 2));
    env.ok(T0, &["import", first.to_str().expect("p")], "");
    let clash = env.write(
        "b.json",
        "{\"id\": \"other\", \"name\": \"My school\", \"card\": [\n  {\"id\": \"a\", \"front\": \"A\", \"back\": \"a\"},\n  {\"id\": \"b\", \"front\": \"\", \"back\": \"b\"}\n]}\n",
    );
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(T0, &["import", clash.to_str().expect("p")], "");
    assert_eq!(out.code, 1);
    let name = clash.display().to_string();
    assert!(
        out.stderr.contains(&format!("{name}:3: `front` is empty")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("already has that name"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
}

#[test]
fn json_decks_import_and_dry_run_writes_nothing() {
    let env = Env::new();
    let path = env.write(
        "j.json",
        r#"{"id": "j", "name": "Json", "card": [{"id": "a", "front": "F", "back": "B", "tags": ["t"]}]}"#,
    );
    let dry = env
        .ok(
            T0,
            &["import", path.to_str().expect("p"), "--dry-run", "--json"],
            "",
        )
        .json();
    assert_eq!(dry["added"], 1);
    assert_eq!(dry["dry_run"], true);
    assert!(!env.db.exists(), "a dry run creates no database");
    env.ok(T0, &["decks"], "");
    let dry = env
        .ok(
            T0,
            &["import", path.to_str().expect("p"), "--dry-run", "--json"],
            "",
        )
        .json();
    assert_eq!(dry["added"], 1);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM decks WHERE key = 'j'"),
        0
    );
    env.import(T0, &path);
    assert_eq!(
        env.ok(T0, &["card", "j/a", "--json"], "").json()["tags"][0],
        "t"
    );
}

/// A dry run with a `--db` in a folder that does not exist fails as the import would.
#[test]
fn a_dry_run_into_a_missing_folder_fails_as_the_import_would() {
    let env = Env::new();
    let path = env.write("t.toml", &small_deck("t", "Test", 1));
    let db = env.dir.path().join("no-such-folder").join("x.sqlite3");
    for dry in [true, false] {
        let mut args = vec![
            "--db",
            db.to_str().expect("db"),
            "import",
            path.to_str().expect("p"),
        ];
        if dry {
            args.push("--dry-run");
        }
        let out = env.run(T0, &args, "");
        assert_eq!(out.code, 1, "dry run {dry}: {}", out.stdout);
        assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    }
    assert!(!db.parent().expect("folder").exists());
}

#[test]
fn missing_and_unreadable_files_are_named() {
    let env = Env::new();
    let out = env.run(T0, &["import", "/nonexistent/deck.toml"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("/nonexistent/deck.toml"),
        "{}",
        out.stderr
    );
    let path = env.write("bin.toml", "");
    std::fs::write(&path, b"id = \"x\"\nname = \"\xff\xfe\"\n").expect("write");
    let out = env.run(T0, &["import", path.to_str().expect("p")], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(":2: is not valid UTF-8"),
        "{}",
        out.stderr
    );
}

/// Two files going into one deck in one command are one deck's content: `--prune` keeps the
/// cards of both (and their reviews), and the same id in both files is a clear error.
#[test]
fn files_merged_into_one_deck_are_pruned_together() {
    let env = Env::new();
    let a = env.write("a.csv", "Question A1,Answer A1\nQuestion A2,Answer A2\n");
    let b = env.write("b.csv", "Question B1,Answer B1\n");
    let (a, b) = (a.to_str().expect("path"), b.to_str().expect("path"));
    env.ok(T0, &["import", a, b, "--deck", "Mixed"], "");
    // Review everything once, so every card has history to lose.
    env.ok(T0, &["review", "--deck", "Mixed"], &"\n4\n".repeat(3));
    assert_eq!(
        env.sql_count(
            "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card_id
             JOIN decks d ON d.id = c.deck_id WHERE d.name = 'Mixed'"
        ),
        3
    );
    let report = env
        .ok(
            T0,
            &["import", a, b, "--deck", "Mixed", "--prune", "--json"],
            "",
        )
        .json();
    assert_eq!(report["unchanged"], 3, "{report}");
    assert_eq!(report["removed"], 0, "{report}");
    assert_eq!(
        report["decks"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    assert_eq!(
        env.sql_count(
            "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card_id
             JOIN decks d ON d.id = c.deck_id WHERE d.name = 'Mixed'"
        ),
        3,
        "no review lost"
    );
    // A card gone from both files is pruned; one still in either stays.
    let a2 = env.write("a.csv", "Question A1,Answer A1\n");
    let report = env
        .ok(
            T0,
            &[
                "import",
                a2.to_str().expect("path"),
                b,
                "--deck",
                "Mixed",
                "--prune",
                "--json",
            ],
            "",
        )
        .json();
    assert_eq!(report["removed"], 1, "{report}");
    // The same card in two files of one import: refused, nothing written.
    let dup = env.write("dup.csv", "Question B1,Another answer\n");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(
        T0,
        &["import", b, dup.to_str().expect("path"), "--deck", "Other"],
        "",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("is in more than one of the files going into deck `Other`"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
}

/// Every index SQLite keeps, with its SQL.
fn indexes(env: &Env) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        )
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

/// A CSV of `rows` cards of realistic length (12,000 rows: 2.4 MB).
fn big_csv(rows: usize) -> String {
    let mut text = String::from("front,back,tags\n");
    for i in 0..rows {
        text.push_str(&format!(
            "\"Bulk question {i:05}: what does the ALT do during the {i}th lesson, and why?\",\"The ALT team-teaches with the homeroom teacher: row {i:05}, padded to a realistic length for a card back.\",bulk row{}\n",
            i % 7
        ));
    }
    text
}

/// Rows of [`big_csv`]: 2.4 MB, over the size written through a rollback journal.
const ROWS: usize = 12_000;

#[test]
fn a_large_import_keeps_every_index_and_rolls_back_whole() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let fresh = indexes(&env);
    // Large enough to be written through a rollback journal (`src/db/journal.rs`).
    let text = big_csv(ROWS);
    assert!(text.len() as u64 >= alt_prep::db::journal::LARGE_IMPORT_BYTES);

    // A bad row at the very end: every good row before it has gone in by the time it is
    // found, and all of it must roll back.
    let bad = env.write("bad.csv", &format!("{text}\"no back here\",\n"));
    let out = env.run(T0, &["import", bad.to_str().expect("path")], "");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(":{}:", ROWS + 2)),
        "{}",
        out.stderr
    );
    assert_eq!(indexes(&env), fresh, "indexes back after the rollback");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key LIKE 'bulk%'"),
        0
    );

    let good = env.write("big.csv", &text);
    let report = env
        .ok(T0, &["import", good.to_str().expect("path"), "--json"], "")
        .json();
    assert_eq!(report["added"], ROWS);
    assert_eq!(
        journal_files(&env),
        Vec::<String>::new(),
        "no journal left behind"
    );
    assert_eq!(indexes(&env), fresh, "the same indexes");
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok", "every index matches the table");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal", "still in WAL after a large import");
    // The new-card queue (an index range by position) starts at the file's first row.
    let first = env.ok(T0, &["review", "--deck", "big"], "q\n");
    assert!(
        first.stdout.contains("Bulk question 00000"),
        "{}",
        first.stdout
    );
    let again = env
        .ok(T0, &["import", good.to_str().expect("path"), "--json"], "")
        .json();
    assert_eq!(again["unchanged"], ROWS);
    assert_eq!(again["added"], 0);
}

/// The database file's journal, WAL or shared-memory files present now.
fn journal_files(env: &Env) -> Vec<String> {
    let name = env
        .db
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    std::fs::read_dir(env.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name) && n != &name)
        .collect()
}

/// Another process with the database open keeps it in WAL (leaving WAL needs the file to
/// itself, `src/db/journal.rs`): a large import still goes through, and the other process
/// reads on, before and after.
#[test]
fn a_large_import_beside_an_open_reader_stays_in_wal() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let reader = rusqlite::Connection::open(&env.db).expect("reader");
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
            .expect("read")
    };
    let before = count(&reader);
    let big = env.write("big.csv", &big_csv(ROWS));
    env.ok(T0, &["import", big.to_str().expect("path")], "");
    assert_eq!(count(&reader), before + ROWS as i64);
    let mode: String = reader
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

/// Every card row of the database but its id, in position order: what an import wrote.
fn card_rows(env: &Env) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT d.key, c.key, c.kind, c.front, c.back, c.tags, c.content_hash, c.position,
                    c.state, c.due, c.created_at, c.updated_at, c.global_key, c.anki_suspended,
                    c.anki_note_mod, c.anki_card_mod, c.suspended, c.reps
             FROM cards c JOIN decks d ON d.id = c.deck_id ORDER BY c.position",
        )
        .expect("prepare");
    stmt.query_map([], |r| {
        (0..18)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect()
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// A large import writes its plain new cards many to an INSERT (`src/db/bulk.rs`), the rest
/// one at a time, in file order; `--prune` writes every card one at a time. Both leave the
/// same rows, also when cards already in the deck (one edited, one not) are met between new
/// ones.
#[test]
fn a_large_import_writes_what_one_card_at_a_time_writes() {
    let text = big_csv(ROWS);
    let lines: Vec<&str> = text.lines().collect();
    let earlier = format!(
        "{}\n{}\n{}\n",
        lines[0],
        lines[101],
        lines[5000].replace("team-teaches", "teaches")
    );
    let mut results = Vec::new();
    for flags in [&[][..], &["--prune"][..]] {
        let env = Env::new();
        env.ok(T0, &["decks"], "");
        let first = env.write("big.csv", &earlier);
        env.ok(T0, &["import", first.to_str().expect("path")], "");
        let big = env.write("big.csv", &text);
        let mut args = vec!["import", big.to_str().expect("path"), "--json"];
        args.extend_from_slice(flags);
        let report = env.ok(T0, &args, "").json();
        assert_eq!(report["added"], ROWS - 2, "{flags:?}: {report}");
        assert_eq!(report["updated"], 1, "{flags:?}: {report}");
        assert_eq!(report["unchanged"], 1, "{flags:?}: {report}");
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        let check: String = conn
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .expect("check")
            .unwrap_or_default();
        assert_eq!(check, "", "every card's deck exists");
        results.push(card_rows(&env));
    }
    assert_eq!(results[0].len(), results[1].len());
    assert!(results[0] == results[1], "the same rows either way");
}

/// The same card id in two large files going into one deck: the second is refused by the
/// database mid-batch; the error names it, its file and the deck, and nothing is written.
#[test]
fn a_card_in_two_large_files_of_one_deck_is_refused_whole() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let text = big_csv(ROWS);
    let a = env.write("a.csv", &text);
    // The clash comes late in the second file, after batches of its new cards went in.
    let clashing = text
        .lines()
        .skip(1)
        .enumerate()
        .map(|(i, line)| {
            if i == 9_000 {
                line.to_owned()
            } else {
                line.replace("Bulk question", "Other question")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let b = env.write("b.csv", &format!("front,back,tags\n{clashing}\n"));
    let out = env.run(
        T0,
        &[
            "import",
            a.to_str().expect("path"),
            b.to_str().expect("path"),
            "--deck",
            "Both",
        ],
        "",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("b.csv")
            && out.stderr.contains("bulk-question-09000")
            && out
                .stderr
                .contains("is in more than one of the files going into deck `Both`"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM decks WHERE name = 'Both'"),
        0
    );
}
