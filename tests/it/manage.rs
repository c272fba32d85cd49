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
    // Every format, every deck at once, into a fresh database that has the built-in decks:
    // the same cards under the same keys, all unchanged (the CSV's `id` and `deck` columns,
    // the Anki file's GUIDs), and in one that has none of them, the same cards again.
    let all = |env: &Env| {
        let list = env.ok(T0, &["cards", "--json"], "").json();
        let mut cards: Vec<String> = list
            .as_array()
            .expect("array")
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} {} {}",
                    c["key"], c["deck"], c["front"], c["back"], c["tags"]
                )
            })
            .collect();
        cards.sort();
        cards
    };
    let everything = all(&env);
    for format in ["csv", "anki"] {
        let out = env.dir.path().join(format!("all.{format}.txt"));
        let path = out.to_str().expect("path");
        env.ok(T0, &["export", "--format", format, "-o", path], "");
        let fresh = Env::new();
        let report = fresh
            .ok(T0, &["import", path, "--format", format, "--json"], "")
            .json();
        assert_eq!(report["added"], 0, "{format}: {report}");
        assert_eq!(report["updated"], 0, "{format}: {report}");
        assert_eq!(all(&fresh), everything, "{format}");
        let empty = Env::new();
        let decks = empty.ok(T0, &["decks", "--json"], "").json();
        for deck in decks.as_array().expect("decks") {
            let name = deck["name"].as_str().expect("name");
            empty.ok(T0, &["deck", "delete", name, "--yes"], "");
        }
        empty.ok(T0, &["import", path, "--format", format], "");
        let strip_keys = |cards: Vec<String>| -> Vec<String> {
            let mut v: Vec<String> = cards
                .into_iter()
                .map(|c| {
                    c.split_once(' ')
                        .map(|(_, rest)| rest.to_owned())
                        .unwrap_or(c)
                })
                .collect();
            v.sort();
            v
        };
        let again = all(&empty);
        if format == "anki" {
            // The GUID names deck and card: even the keys come back.
            assert_eq!(again, everything, "{format} into an empty database");
        } else {
            assert_eq!(
                strip_keys(again),
                strip_keys(everything.clone()),
                "{format}"
            );
        }
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
    assert!(
        anki.stdout.contains("\nalt-prep:alt-role/"),
        "{}",
        anki.stdout
    );
}

/// `edit` with no flags opens `$EDITOR` as Git does, through the shell: a quoted path with
/// spaces and the editor's own arguments both work, and what is saved is the card's new text.
#[cfg(unix)]
#[test]
fn edit_opens_an_editor_named_with_spaces_and_arguments() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(
        T0,
        &[
            "add",
            "--deck",
            "Mine",
            "--front",
            "Who?",
            "--back",
            "Old answer",
        ],
        "",
    );
    let cards = env
        .ok(T0, &["cards", "--deck", "Mine", "--json"], "")
        .json();
    let id = cards[0]["id"].as_i64().expect("id").to_string();
    let dir = env.dir.path().join("my editor");
    std::fs::create_dir(&dir).expect("dir");
    // An executable script in that folder, and `edit` run with EDITOR = its quoted path + `args`.
    let edit_with = |name: &str, body: &str, args: &str| {
        let script = dir.join(name);
        std::fs::write(&script, body).expect("script");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        env.cmd(T0)
            .env("PATH", "/usr/bin:/bin")
            .env("EDITOR", format!("'{}'{args}", script.display()))
            .args(["edit", &id])
            .output()
            .expect("run")
    };
    // Takes a flag first (as `code --wait` does) and edits the file given last.
    let out = edit_with(
        "fake edit.sh",
        "#!/bin/sh\n[ \"$1\" = --wait ] || exit 3\nfor f; do :; done\nsed -i 's/Old answer/New answer/' \"$f\"\n",
        " --wait",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card = env.ok(T0, &["card", &id, "--json"], "").json();
    assert_eq!(card["back"], "New answer");
    // A misspelt key (`tag` for `tags`) is refused, not read as "no tags".
    env.ok(T0, &["edit", &id, "--tag", "keep"], "");
    let out = edit_with(
        "typo.sh",
        "#!/bin/sh\nsed -i 's/^tags =/tag =/' \"$1\"\n",
        "",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("unknown field `tag`") && stderr.contains("nothing changed"),
        "{stderr}"
    );
    let card = env.ok(T0, &["card", &id, "--json"], "").json();
    assert_eq!(card["tags"], serde_json::json!(["keep"]));
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
    // A card's key stays when its front is edited; a new card with the old front is still
    // welcome (under the next free key), and one with the new front is the duplicate.
    env.ok(T0, &["edit", &id, "--front", "Who leads the school?"], "");
    let add = |front: &str| {
        env.run(
            T0,
            &[
                "add",
                "--deck",
                "My school",
                "--front",
                front,
                "--back",
                "b",
            ],
            "",
        )
    };
    let old_front = add("Who is the principal?");
    assert_eq!(old_front.code, 0, "{}", old_front.stderr);
    assert!(
        old_front.stdout.contains(&format!("({key}.2)")),
        "{}",
        old_front.stdout
    );
    let new_front = add("Who leads the school?");
    assert_eq!(new_front.code, 1);
    assert!(
        new_front
            .stderr
            .contains(&format!("already has a card with this front (id {id})")),
        "{}",
        new_front.stderr
    );
    env.ok(T0, &["delete", &format!("{key}.2")], "");
    // Named twice, by id and by key: deleted and reported once.
    let deleted = env.ok(T0, &["delete", &id, &key], "");
    assert_eq!(
        deleted.stdout.matches("Deleted").count(),
        1,
        "{}",
        deleted.stdout
    );
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
    // Renamed first: the hint still names a command that works.
    env.ok(T0, &["deck", "rename", "Community life", "Town"], "");
    let deleted = env.ok(T0, &["deck", "delete", "Town", "--yes"], "");
    let hint = deleted
        .stdout
        .split("`alt-prep deck restore ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no restore hint: {}", deleted.stdout))
        .to_owned();
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
    let restored = env.ok(T0, &["deck", "restore", &hint], "");
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

/// `export -o` never writes over the database, by its own path, a symlink to it or its WAL;
/// and an export replacing an earlier one is whole.
#[test]
fn export_refuses_to_overwrite_the_database() {
    let env = Env::new();
    env.ok(
        T0,
        &["add", "--deck", "O", "--front", "q", "--back", "a"],
        "",
    );
    let before = std::fs::read(&env.db).expect("db");
    let link = env.dir.path().join("link.toml");
    std::os::unix::fs::symlink(&env.db, &link).expect("symlink");
    let wal = env.db.with_extension("sqlite3-wal");
    for target in [&env.db, &link, &wal] {
        let out = env.run(
            T0,
            &[
                "export",
                "--deck",
                "O",
                "-o",
                target.to_str().expect("path"),
            ],
            "",
        );
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(
            out.stderr.contains("is the database itself"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(std::fs::read(&env.db).expect("db"), before);
    assert_eq!(
        env.ok(T0, &["cards", "--deck", "O", "--json"], "").json()[0]["front"],
        "q"
    );
    let out = env.dir.path().join("o.toml");
    std::fs::write(&out, "old export").expect("write");
    env.ok(
        T0,
        &["export", "--deck", "O", "-o", out.to_str().expect("path")],
        "",
    );
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(text.starts_with("id = \"o\""), "{text}");
}

/// Deck names typed by hand are trimmed, never empty, and hold no tab or line break (which
/// would break the deck list and every export).
#[test]
fn typed_deck_names_are_checked() {
    let env = Env::new();
    for bad in [
        "",
        "   ",
        "T\tab",
        "N\nL",
        "Es\u{1b}c",
        "a::::b",
        "::top",
        "end::",
    ] {
        let out = env.run(
            T0,
            &["add", "--deck", bad, "--front", "q", "--back", "a"],
            "",
        );
        assert_eq!(out.code, 1, "{bad:?}: {}", out.stdout);
        assert!(out.stderr.contains("deck name"), "{}", out.stderr);
    }
    env.ok(
        T0,
        &["add", "--deck", "  Spaced  ", "--front", "q", "--back", "a"],
        "",
    );
    let out = env.run(T0, &["deck", "rename", "Spaced", "N\nL"], "");
    assert_eq!(out.code, 1);
    let decks = env.ok(T0, &["decks", "--json"], "").json();
    let names: Vec<&str> = decks
        .as_array()
        .expect("decks")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert!(names.contains(&"Spaced"), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.trim().is_empty() || n.contains(['\t', '\n']))
    );
}

/// A card typed by hand is tidied as every import format tidies one, so its export imports
/// back as the same card; its id is the one a CSV gives the same front, so a front already
/// in the deck from a spreadsheet is refused, not added twice.
#[test]
fn cards_typed_by_hand_match_what_an_import_makes() {
    let env = Env::new();
    env.ok(
        T0,
        &[
            "add",
            "--deck",
            "Hand",
            "--front",
            "  spaced front  ",
            "--back",
            "\n\n  back\n",
            "--tag",
            "t",
            "--tag",
            "t",
        ],
        "",
    );
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE front = 'spaced front' AND back = 'back' AND tags = 't'"),
        1
    );
    let out = env.dir.path().join("hand.csv");
    let out = out.to_str().expect("path");
    env.ok(
        T0,
        &["export", "--deck", "Hand", "--format", "csv", "-o", out],
        "",
    );
    let again = env.ok(T0, &["import", "--json", out], "").json();
    assert_eq!(again["unchanged"], 1, "{again}");

    let csv = env.write("sheet.csv", "front,back\nQ1,from a sheet\n");
    env.ok(
        T0,
        &["import", "--deck", "Sheet", csv.to_str().expect("path")],
        "",
    );
    let twice = env.run(
        T0,
        &["add", "--deck", "Sheet", "--front", "Q1", "--back", "typed"],
        "",
    );
    assert_eq!(twice.code, 1, "{}", twice.stdout);
    assert!(
        twice.stderr.contains("already has a card"),
        "{}",
        twice.stderr
    );
}
