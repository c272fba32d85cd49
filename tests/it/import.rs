//! `alt-prep import` of native TOML and JSON decks.

use crate::harness::*;

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
    // The missing card stays until --prune.
    assert!(env.run(T0, &["card", "t/c3"], "").code == 0);
    env.ok(T0, &["import", path.to_str().expect("path"), "--prune"], "");
    assert_eq!(env.run(T0, &["card", "t/c3"], "").code, 1);
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
