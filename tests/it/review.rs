//! `alt-prep review` driven through piped stdin.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

fn env_with_deck(n: usize) -> Env {
    let env = Env::new();
    let deck = env.write("t.toml", &small_deck("t", "Test", n));
    env.import(T0, &deck);
    env
}

fn card(env: &Env, now: &str, key: &str) -> serde_json::Value {
    env.ok(now, &["card", key, "--json"], "").json()
}

#[test]
fn first_run_with_a_fresh_home_shows_a_built_in_card() {
    let env = Env::new();
    // No --db and no ALT_PREP_DB: the default data directory under the fresh HOME.
    let out = env
        .cmd(T0)
        .env_remove("ALT_PREP_DB")
        .arg("review")
        .write_stdin("q\n")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("new 20 · learning 0 · due 0"), "{stdout}");
    assert!(stdout.contains("[ALT role]"), "{stdout}");
    let db = env
        .dir
        .path()
        .join(".local/share/alt-prep/alt-prep.sqlite3");
    assert!(db.exists(), "database created in the data directory");
}

#[test]
fn answers_are_stored_and_shown_with_intervals() {
    let env = env_with_deck(3);
    let out = env.ok(T0, &["review", "--deck", "Test"], "\n3\n\n4\nq\n");
    assert!(out.stdout.contains("Question 1"), "{}", out.stdout);
    assert!(out.stdout.contains("Answer 1"));
    assert!(
        out.stdout
            .contains("1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Done: 2 cards"), "{}", out.stdout);
    assert!(out.stdout.contains("good 1, easy 1"));
    let c1 = card(&env, T0, "t/c1");
    assert_eq!(c1["state"], "learning");
    assert_eq!(c1["reps"], 1);
    assert_eq!(c1["reviews"].as_array().map(Vec::len), Some(1));
    assert_eq!(c1["reviews"][0]["rating"], 3);
    assert!((c1["stability"].as_f64().unwrap_or(0.0) - 2.3065).abs() < 1e-3);
    let c2 = card(&env, T0, "t/c2");
    assert_eq!(c2["state"], "review");
    assert!((c2["difficulty"].as_f64().unwrap_or(0.0) - 1.0).abs() < 1e-3);
}

#[test]
fn ratings_accept_words_letters_and_any_case() {
    let env = env_with_deck(4);
    env.ok(
        T0,
        &["review", "--deck", "Test"],
        "\nGOOD\n\ne\n\nhard\n\nA\nq\n",
    );
    let ratings: Vec<i64> = (1..=4)
        .map(|i| {
            card(&env, T0, &format!("t/c{i}"))["reviews"][0]["rating"]
                .as_i64()
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(ratings, [3, 4, 2, 1]);
}

#[test]
fn unknown_input_gets_a_hint_and_the_same_prompt() {
    let env = env_with_deck(1);
    let out = env.ok(T0, &["review", "--deck", "test"], "x\n\n9\n\n3\nq\n");
    assert!(
        out.stdout.contains("press Enter to show the answer"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("answer 1-4 or again/hard/good/easy"),
        "{}",
        out.stdout
    );
    assert_eq!(card(&env, T0, "t/c1")["reviews"][0]["rating"], 3);
}

#[test]
fn a_learning_card_comes_back_in_the_same_session() {
    let env = env_with_deck(1);
    // Again (1m), Good (to step 2, 10m), Good (graduates). All within the learn-ahead limit.
    let out = env.ok(T0, &["review", "--deck", "Test"], "\n1\n\n3\n\n3\n");
    assert_eq!(
        out.stdout.matches("Question 1").count(),
        3,
        "{}",
        out.stdout
    );
    let c = card(&env, T0, "t/c1");
    assert_eq!(c["state"], "review");
    assert_eq!(c["reviews"].as_array().map(Vec::len), Some(3));
    assert!(out.stdout.contains("Done: 3 cards"));
}

#[test]
fn end_of_input_quits_cleanly_and_keeps_answers() {
    let env = env_with_deck(2);
    let out = env.ok(T0, &["review"], "\n3\n\n");
    assert!(out.stdout.contains("Done: 1 card "), "{}", out.stdout);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM reviews WHERE source = 'review'"),
        1
    );
}

#[test]
fn undo_restores_the_card_and_the_log_exactly() {
    let env = env_with_deck(2);
    env.ok(T0, &["review", "--deck", "Test"], "\n3\nq\n");
    let before = card(&env, T0, "t/c1");
    let later = "2026-04-01T09:30:00Z";
    // Answer c1 again (Good → graduates), then undo it at the next card's prompt, then quit.
    let out = env.ok(later, &["review", "--deck", "Test"], "\n3\nu\nq\n");
    assert!(out.stdout.contains("Undid Good on t/c1"), "{}", out.stdout);
    let after = card(&env, later, "t/c1");
    assert_eq!(before, after);
    // Undo at the answer side works too, and the undone card is shown again.
    let out = env.ok(later, &["review", "--deck", "Test"], "\n4\n\nu\n\n2\nq\n");
    assert!(out.stdout.contains("Undid Easy on t/c1"), "{}", out.stdout);
    let c1 = card(&env, later, "t/c1");
    let ratings: Vec<i64> = c1["reviews"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["rating"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ratings, [3, 2]);
}

#[test]
fn suspend_from_the_session() {
    let env = env_with_deck(2);
    let out = env.ok(T0, &["review", "--deck", "Test"], "s\nq\n");
    assert!(out.stdout.contains("Suspended card"), "{}", out.stdout);
    let c = card(&env, T0, "t/c1");
    assert_eq!(c["suspended"], true);
    let decks = env.ok(T0, &["decks", "--json"], "").json();
    let test = decks
        .as_array()
        .and_then(|d| d.iter().find(|x| x["id"] == "t").cloned())
        .expect("deck");
    assert_eq!(test["suspended"], 1);
    assert_eq!(test["new"], 1);
}

#[test]
fn nothing_due_says_when_the_next_card_is() {
    let env = env_with_deck(1);
    env.ok(T0, &["review", "--deck", "Test"], "\n4\n");
    let out = env.ok(T0, &["review", "--deck", "Test"], "");
    assert!(out.stdout.contains("Nothing due now."), "{}", out.stdout);
    assert!(
        out.stdout.contains("Next card due 2026-04-"),
        "{}",
        out.stdout
    );
}

/// The header's learning count follows answers, undo and suspension within a session (it is
/// kept up to date rather than recounted before each card).
#[test]
fn the_learning_count_follows_answers_undo_and_suspension() {
    let env = env_with_deck(5);
    // A: Again; B: Again; C: undo (B back to new); B: Good; C: suspend; D: Easy; E: Again;
    // then learn-ahead: suspend the first learning card; then quit.
    let input = "\n1\n\n1\nu\n\n3\ns\n\n4\n\n1\ns\nq\n";
    let out = env.ok(T0, &["review", "--deck", "Test"], input);
    let counts: Vec<u32> = out
        .stdout
        .lines()
        .filter_map(|l| l.split(" · learning ").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(counts, vec![0, 1, 2, 1, 2, 2, 2, 3, 2], "{}", out.stdout);
    // The count the next session starts from agrees with the database.
    let out = env.ok(T0, &["review", "--deck", "Test"], "q\n");
    assert!(out.stdout.contains("learning 2 "), "{}", out.stdout);
}

/// Quitting at the first card is not "nothing due": the cards are still waiting.
#[test]
fn quitting_before_any_answer_says_so() {
    let env = env_with_deck(3);
    for input in ["q\n", ""] {
        let out = env.ok(T0, &["review", "--deck", "Test"], input);
        assert!(
            out.stdout.contains("Stopped before any answer."),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("Nothing due now."), "{}", out.stdout);
    }
}

#[test]
fn daily_new_limit_and_review_limit_apply() {
    let env = env_with_deck(30);
    env.ok(T0, &["config", "new_per_day", "5"], "");
    let mut input = String::new();
    for _ in 0..40 {
        input.push_str("\n4\n");
    }
    let out = env.ok(T0, &["review", "--deck", "Test"], &input);
    assert!(out.stdout.contains("Done: 5 cards"), "{}", out.stdout);
    // Later the same study day: nothing new left today.
    let out = env.ok(
        "2026-04-01T20:00:00Z",
        &["review", "--deck", "Test"],
        &input,
    );
    assert!(out.stdout.contains("Nothing due now."), "{}", out.stdout);
    // After the 4 am rollover the next five arrive.
    let out = env.ok(
        "2026-04-02T04:00:00Z",
        &["review", "--deck", "Test"],
        &input,
    );
    assert!(out.stdout.contains("Done: 5 cards"), "{}", out.stdout);
    // reviews_per_day caps new cards too (new cards count against the review limit).
    env.ok(T0, &["config", "reviews_per_day", "2"], "");
    let out = env.ok(
        "2026-04-03T05:00:00Z",
        &["review", "--deck", "Test"],
        &input,
    );
    assert!(out.stdout.contains("Done: 2 cards"), "{}", out.stdout);
}

#[test]
fn the_day_boundary_is_configurable() {
    let env = env_with_deck(4);
    env.ok(T0, &["config", "new_per_day", "1"], "");
    env.ok(T0, &["review"], "\n4\n");
    // At 02:00 the study day (4 am rollover) has not ended.
    let out = env.ok(
        "2026-04-02T02:00:00Z",
        &["review", "--deck", "Test"],
        "\n4\n",
    );
    assert!(out.stdout.contains("Nothing due now."), "{}", out.stdout);
    env.ok(T0, &["config", "day_starts_at", "0"], "");
    let out = env.ok(
        "2026-04-02T02:00:00Z",
        &["review", "--deck", "Test"],
        "\n4\n",
    );
    assert!(out.stdout.contains("Done: 1 card"), "{}", out.stdout);
}

#[test]
fn eight_lapses_make_a_leech() {
    let env = env_with_deck(1);
    env.ok(T0, &["config", "relearning_steps", "10m"], "");
    let mut now = unix(T0);
    env.ok(&at(now), &["review", "--deck", "Test"], "\n4\n");
    let mut last = String::new();
    for _ in 0..8 {
        let due = unix(card(&env, &at(now), "t/c1")["due"].as_str().expect("due"));
        now = due + 3600;
        // Again at the review, then Good on the relearning step (10 minutes later).
        last = env
            .ok(&at(now), &["review", "--deck", "Test"], "\n1\n\n3\n")
            .stdout;
    }
    assert!(last.contains("Leech:"), "{last}");
    let c = card(&env, &at(now), "t/c1");
    assert_eq!(c["lapses"], 8);
    assert_eq!(c["suspended"], true);
    assert!(
        c["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "leech"))
    );
}

#[test]
fn tags_filter_the_session() {
    let env = Env::new();
    let deck = env.write(
        "tags.toml",
        "id = \"g\"\nname = \"Tagged\"\n[[card]]\nid = \"a\"\nfront = \"Alpha\"\nback = \"x\"\ntags = [\"greek\"]\n[[card]]\nid = \"b\"\nfront = \"Bravo\"\nback = \"y\"\ntags = [\"nato\"]\n",
    );
    env.import(T0, &deck);
    let out = env.ok(T0, &["review", "--tag", "nato"], "\n3\n");
    assert!(
        out.stdout.contains("Bravo") && !out.stdout.contains("Alpha"),
        "{}",
        out.stdout
    );
}

#[test]
fn unknown_deck_is_a_clear_error() {
    let env = env_with_deck(1);
    let out = env.run(T0, &["review", "--deck", "Nope"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("alt-prep: no deck named `Nope`"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_study_day_follows_the_local_time_zone() {
    let env = env_with_deck(3);
    env.ok(T0, &["config", "new_per_day", "1"], "");
    let run = |now: &str| {
        let out = env
            .cmd(now)
            .env("TZ", "Asia/Tokyo")
            .args(["review", "--deck", "Test"])
            .write_stdin("\n4\n")
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // 10:00 JST on 1 April: the first new card.
    assert!(run("2026-04-01T01:00:00Z").contains("Done: 1 card"));
    // 03:59 JST on 2 April is still the study day of 1 April.
    assert!(run("2026-04-01T18:59:00Z").contains("Nothing due now."));
    // 04:00 JST starts 2 April.
    assert!(run("2026-04-01T19:00:00Z").contains("Done: 1 card"));
}
