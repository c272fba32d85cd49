//! `export`, `add`, `edit`, `delete`, `deck rename`, `deck delete`.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

fn cards_of(env: &Env, deck: &str) -> Vec<(String, String, String)> {
    let list = env.ok(T0, &["cards", "--deck", deck, "--json"], "").json();
    let mut cards: Vec<(String, String, String)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap_or_default().to_owned(),
                c["front"].as_str().unwrap_or_default().to_owned(),
                c["back"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    cards.sort();
    cards
}

#[test]
fn exports_import_back_into_a_fresh_database_unchanged() {
    let env = Env::new();
    let original = cards_of(&env, "Workplace Japanese");
    assert!(original.len() > 20);
    for format in ["toml", "json"] {
        let out = env.dir.path().join(format!("wj.{format}"));
        let path = out.to_str().expect("path");
        env.ok(
            T0,
            &[
                "export",
                "--deck",
                "Workplace Japanese",
                "--format",
                format,
                "-o",
                path,
            ],
            "",
        );
        let fresh = Env::new();
        fresh.ok(T0, &["deck", "delete", "Workplace Japanese", "--yes"], "");
        fresh.ok(T0, &["import", path], "");
        assert_eq!(cards_of(&fresh, "Workplace Japanese"), original, "{format}");
    }
    // Prompts travel in the native format too.
    let out = env.dir.path().join("core.toml");
    let path = out.to_str().expect("path");
    env.ok(T0, &["export", "--deck", "interview-core", "-o", path], "");
    let fresh = Env::new();
    let report = fresh.ok(T0, &["import", path, "--json"], "").json();
    assert_eq!(report["added"], 0, "same prompts, same keys");
    assert!(report["unchanged"].as_i64().unwrap_or(0) >= 70);
    // Cards installed by the built-in path and read back by `import` (content hashes worked
    // out on its reading thread) match exactly: nothing is reported as edited.
    let out = env.dir.path().join("wj-again.toml");
    let path = out.to_str().expect("path");
    env.ok(
        T0,
        &["export", "--deck", "Workplace Japanese", "-o", path],
        "",
    );
    let report = env.ok(T0, &["import", path, "--json"], "").json();
    assert_eq!(report["updated"], 0);
    assert_eq!(report["added"], 0);
    assert_eq!(report["unchanged"].as_u64(), Some(original.len() as u64));
}

#[test]
fn several_decks_need_csv_or_anki() {
    let env = Env::new();
    let out = env.run(T0, &["export", "--format", "toml"], "");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--deck"), "{}", out.stderr);
    let anki = env.ok(T0, &["export", "--format", "anki"], "");
    assert!(anki.stdout.starts_with("#separator:tab\n#html:false\n"));
    assert!(anki.stdout.contains("\talt-role/"));
}

#[test]
fn add_edit_delete_by_hand() {
    let env = Env::new();
    let out = env.ok(
        T0,
        &[
            "add",
            "--deck",
            "My school",
            "--front",
            "Who is the principal?",
            "--back",
            "Tanaka-sensei",
            "--tag",
            "staff",
        ],
        "",
    );
    assert!(out.stdout.starts_with("Added card "), "{}", out.stdout);
    let cards = env
        .ok(T0, &["cards", "--deck", "My school", "--json"], "")
        .json();
    let id = cards[0]["id"].as_i64().expect("id").to_string();
    let key = cards[0]["key"].as_str().expect("key").to_owned();
    assert!(key.starts_with("my-school/"), "{key}");
    // Adding the same front again is refused.
    let again = env.run(
        T0,
        &[
            "add",
            "--deck",
            "My school",
            "--front",
            "Who is the principal?",
            "--back",
            "x",
        ],
        "",
    );
    assert_eq!(again.code, 1);
    // Review it, then edit: the history stays.
    env.ok(T0, &["review", "--deck", "My school"], "\n4\n");
    env.ok(T0, &["edit", &id, "--back", "Tanaka Hiroshi-sensei"], "");
    let card = env.ok(T0, &["card", &key, "--json"], "").json();
    assert_eq!(card["back"], "Tanaka Hiroshi-sensei");
    assert_eq!(card["reviews"].as_array().map(Vec::len), Some(1));
    let empty = env.run(T0, &["edit", &id, "--front", "  "], "");
    assert_eq!(empty.code, 1, "an empty front is refused");
    env.ok(T0, &["delete", &id], "");
    assert_eq!(env.run(T0, &["card", &id], "").code, 1);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM reviews"),
        0,
        "its history went with it"
    );
}

#[test]
fn decks_are_renamed_and_deleted_after_asking() {
    let env = Env::new();
    env.ok(T0, &["deck", "rename", "Community life", "Town life"], "");
    assert_eq!(
        cards_of(&env, "Town life").len(),
        cards_of(&env, "community-life").len()
    );
    let clash = env.run(T0, &["deck", "rename", "Town life", "ALT role"], "");
    assert_eq!(clash.code, 1);
    let declined = env.run(T0, &["deck", "delete", "Town life"], "n\n");
    assert_ne!(declined.code, 0);
    assert!(declined.stdout.contains("Nothing deleted."));
    env.ok(T0, &["deck", "delete", "Town life"], "y\n");
    assert_eq!(env.run(T0, &["cards", "--deck", "Town life"], "").code, 1);
}

/// A deleted built-in deck stays deleted when alt-prep's decks are updated, and `deck
/// restore` brings it back fresh.
#[test]
fn deleted_built_in_decks_stay_deleted_until_restored() {
    let env = Env::new();
    let before = cards_of(&env, "Community life").len();
    assert!(before > 10);
    let deleted = env.ok(T0, &["deck", "delete", "Community life", "--yes"], "");
    assert!(
        deleted
            .stdout
            .contains("alt-prep deck restore \"Community life\""),
        "{}",
        deleted.stdout
    );
    // A content update: the stored content version no longer matches the binary's.
    rusqlite::Connection::open(&env.db)
        .expect("open")
        .execute(
            "UPDATE settings SET value = 'older' WHERE key = 'builtin_decks_version'",
            [],
        )
        .expect("update");
    let decks = env.ok(T0, &["decks", "--json"], "").json();
    let names: Vec<&str> = decks
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert!(!names.contains(&"Community life"), "{names:?}");
    assert!(names.contains(&"ALT role"), "{names:?}");

    let unknown = env.run(T0, &["deck", "restore", "No such deck"], "");
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("ALT role"), "{}", unknown.stderr);
    let restored = env.ok(T0, &["deck", "restore", "community life"], "");
    assert!(
        restored.stdout.contains("Restored `Community life`"),
        "{}",
        restored.stdout
    );
    assert_eq!(cards_of(&env, "Community life").len(), before);
    let again = env.ok(T0, &["deck", "restore", "Community life"], "");
    assert!(again.stdout.contains("already there"), "{}", again.stdout);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM settings WHERE key = 'removed_builtin_decks'"),
        0
    );
}
