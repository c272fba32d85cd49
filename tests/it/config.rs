//! `alt-prep config`.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

#[test]
fn lists_gets_sets_and_resets() {
    let env = Env::new();
    let all = env.ok(T0, &["config"], "");
    for key in [
        "desired_retention",
        "new_per_day",
        "reviews_per_day",
        "day_starts_at",
        "learning_steps",
        "relearning_steps",
    ] {
        assert!(all.stdout.contains(key), "{key}");
    }
    assert_eq!(
        env.ok(T0, &["config", "learning_steps"], "").stdout,
        "1m 10m\n"
    );
    env.ok(T0, &["config", "desired_retention", "0.85"], "");
    assert_eq!(
        env.ok(T0, &["config", "desired_retention"], "").stdout,
        "0.85\n"
    );
    env.ok(T0, &["config", "desired_retention", "--reset"], "");
    assert_eq!(
        env.ok(T0, &["config", "desired_retention"], "").stdout,
        "0.9\n"
    );
}

#[test]
fn bad_values_are_refused_and_nothing_changes() {
    let env = Env::new();
    for (key, value) in [
        ("desired_retention", "1.2"),
        ("new_per_day", "lots"),
        ("day_starts_at", "25"),
        ("learning_steps", "10 parsecs"),
        ("favourite_colour", "blue"),
    ] {
        let out = env.run(T0, &["config", key, value], "");
        assert_eq!(out.code, 1, "{key}={value}");
        assert!(out.stderr.starts_with("alt-prep: "), "{}", out.stderr);
    }
    assert_eq!(env.ok(T0, &["config", "new_per_day"], "").stdout, "20\n");
}

#[test]
fn desired_retention_changes_intervals() {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", 1));
    env.import(T0, &deck);
    let easy_at = |dr: &str| {
        env.ok(T0, &["config", "desired_retention", dr], "");
        let out = env.ok(T0, &["review", "--deck", "Test"], "\nq\n").stdout;
        out.lines()
            .find(|l| l.starts_with("1 Again"))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let high = easy_at("0.97");
    let low = easy_at("0.80");
    assert_ne!(high, low, "{high} vs {low}");
}
