//! `decks`, `cards`, `card`, `suspend`, `completions` and exit codes.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

#[test]
fn decks_json_has_the_contract_keys() {
    let env = Env::new();
    let decks = env.ok(T0, &["decks", "--json"], "").json();
    let list = decks.as_array().expect("array");
    assert!(list.len() >= 6, "built-in decks installed");
    for d in list {
        for key in ["name", "cards", "new", "learning", "due", "suspended"] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
    }
    let role = list
        .iter()
        .find(|d| d["id"] == "alt-role")
        .expect("alt-role");
    assert_eq!(role["name"], "ALT role");
    assert_eq!(role["new"], role["cards"]);
}

#[test]
fn cards_json_lists_ids_keys_and_state() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 3));
    env.import(T0, &deck);
    let cards = env
        .ok(T0, &["cards", "--deck", "Test", "--json"], "")
        .json();
    let list = cards.as_array().expect("array");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["key"], "t/c1");
    assert_eq!(list[0]["deck"], "Test");
    assert_eq!(list[0]["front"], "Question 1");
    assert_eq!(list[0]["back"], "Answer 1");
    assert_eq!(list[0]["state"], "new");
    assert!(list[0]["id"].is_i64());
    // `card` takes the numeric id as well as the key.
    let id = list[1]["id"].as_i64().expect("id").to_string();
    let one = env.ok(T0, &["card", &id, "--json"], "").json();
    assert_eq!(one["key"], "t/c2");
    for key in [
        "state",
        "stability",
        "difficulty",
        "due",
        "reps",
        "lapses",
        "reviews",
    ] {
        assert!(one.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn suspend_and_unsuspend_by_id_or_key() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 2));
    env.import(T0, &deck);
    env.ok(T0, &["suspend", "t/c1"], "");
    assert_eq!(
        env.ok(T0, &["card", "t/c1", "--json"], "").json()["suspended"],
        true
    );
    let out = env.ok(T0, &["review", "--deck", "Test"], "\n3\nq\n");
    assert!(!out.stdout.contains("Question 1") && out.stdout.contains("Question 2"));
    env.ok(T0, &["unsuspend", "t/c1"], "");
    assert_eq!(
        env.ok(T0, &["card", "t/c1", "--json"], "").json()["suspended"],
        false
    );
    let bad = env.run(T0, &["suspend", "t/nope"], "");
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("no card `t/nope`"), "{}", bad.stderr);
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1() {
    let env = Env::new();
    assert_eq!(env.run(T0, &["review", "--bogus"], "").code, 2);
    assert_eq!(env.run(T0, &["nonsense"], "").code, 2);
    let out = env.run("yesterday", &["decks"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("alt-prep: ALT_PREP_NOW"),
        "{}",
        out.stderr
    );
}

#[test]
fn completions_are_generated() {
    let env = Env::new();
    let out = env.ok(T0, &["completions", "bash"], "");
    assert!(out.stdout.contains("alt-prep"));
    assert!(out.stdout.contains("review"));
}

#[test]
fn colour_is_plain_when_piped_and_forced_with_always() {
    let env = Env::new();
    let plain = env.ok(T0, &["decks"], "");
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = env
        .cmd(T0)
        .env_remove("NO_COLOR")
        .args(["--color", "always", "decks"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}
