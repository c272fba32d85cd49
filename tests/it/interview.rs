//! `alt-prep interview`: piped answers, feedback figures, scheduling, history, --full.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

const DECK: &str = r#"
id = "iv"
name = "Interview test"

[[prompt]]
id = "why"
category = "motivation"
question = "Why do you want to work in Japan?"
talking_points = ["cultural exchange", "working with children", "a personal link to Japan"]
follow_ups = ["What will you do after your contract?"]
time_limit_secs = 90
tips = "Say more than 'to live in Japan'."

[[prompt]]
id = "sleep"
category = "teaching"
question = "A student falls asleep in your class. What do you do?"
talking_points = ["follow the JTE's lead", "involve the student in an activity", "talk to the homeroom teacher"]
time_limit_secs = 60
tips = "The JTE is responsible for discipline."

[[prompt]]
id = "change"
category = "flexibility"
question = "Tell us about a time plans changed at the last minute."
talking_points = ["stay calm", "adapt the plan", "a concrete result"]
follow_ups = ["What would you do differently?"]
time_limit_secs = 90
tips = "Use a real story."

[[prompt]]
id = "dress"
category = "professionalism"
question = "How would you dress for your first day?"
talking_points = ["a suit", "indoor shoes", "ask your supervisor"]
time_limit_secs = 60
tips = "Formal first, relax later."

[[prompt]]
id = "intro"
category = "japanese"
question = "Please introduce yourself in Japanese."
talking_points = ["hajimemashite", "your name", "yoroshiku onegai shimasu"]
time_limit_secs = 60
tips = "Beginners are fine."

[[prompt]]
id = "questions"
category = "closing"
question = "Do you have any questions for us?"
talking_points = ["a real question", "about the role", "thanks"]
time_limit_secs = 60
tips = "Always ask one."
"#;

/// A database whose only prompts are the test deck's.
fn env() -> Env {
    let env = Env::new();
    env.ok(T0, &["deck", "delete", "interview-core", "--yes"], "");
    env.ok(T0, &["deck", "delete", "interview-more", "--yes"], "");
    let path = env.write("iv.toml", DECK);
    env.import(T0, &path);
    env
}

fn answers(out: &Out) -> Vec<serde_json::Value> {
    out.json()["answers"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn feedback_counts_words_fillers_points_and_star_exactly() {
    let env = env();
    let answer = "Um, when I was at my summer camp job, I had to teach kids who were, like, asleep. \
                  So I decided to start a game and involve the student in an activity. \
                  As a result the students woke up and I could follow the JTE's lead.";
    let input = format!("{answer}\n\n3\n");
    let out = env.ok(
        T0,
        &[
            "interview",
            "--category",
            "teaching",
            "--count",
            "1",
            "--json",
        ],
        &input,
    );
    let a = &answers(&out)[0];
    assert_eq!(a["key"], "iv/sleep");
    let f = &a["feedback"];
    assert_eq!(f["word_count"], 46, "{f}");
    // um, like (filler), sentence-initial So.
    assert_eq!(f["filler_count"], 3, "{f}");
    let covered: Vec<bool> = f["talking_points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["covered"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(covered, [true, true, false], "{f}");
    assert_eq!(f["star"]["situation"], true);
    assert_eq!(f["star"]["task"], true);
    assert_eq!(f["star"]["action"], true);
    assert_eq!(f["star"]["result"], true);
    assert_eq!(f["has_example"], true);
    assert_eq!(a["rating"], 3);
    // The questions and the feedback went to stderr, the JSON to stdout.
    assert!(
        out.stderr.contains("A student falls asleep"),
        "{}",
        out.stderr
    );
}

#[test]
fn answers_persist_and_history_shows_them_side_by_side() {
    let env = env();
    env.ok(
        T0,
        &["interview", "--category", "motivation", "--count", "1"],
        "To live in Japan.\n\n1\n",
    );
    let later = "2026-04-03T09:00:00Z";
    env.ok(
        later,
        &["interview", "--category", "motivation", "--count", "1"],
        "I love cultural exchange and working with children, and my grandmother lived in Osaka.\n\n3\n",
    );
    let history = env
        .ok(
            later,
            &["interview", "history", "--prompt", "iv/why", "--json"],
            "",
        )
        .json();
    let list = history.as_array().expect("array");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["rating"], 1);
    assert_eq!(list[1]["rating"], 3);
    assert!(
        list[1]["metrics"]["coverage"].as_f64().unwrap_or(0.0)
            > list[0]["metrics"]["coverage"].as_f64().unwrap_or(1.0)
    );
    let text = env
        .ok(later, &["interview", "history", "--prompt", "iv/why"], "")
        .stdout;
    assert!(
        text.contains("words") && text.contains("To live in Japan."),
        "{text}"
    );
    // The self-rating went through the scheduler and the review log.
    let card = env.ok(later, &["card", "iv/why", "--json"], "").json();
    assert_eq!(card["reviews"].as_array().map(Vec::len), Some(2));
    assert_eq!(card["reviews"][0]["source"], "interview");
}

#[test]
fn again_comes_back_before_easy_and_weak_categories_come_first() {
    let env = env();
    // Rate the teaching prompt Again and the professionalism prompt Easy.
    env.ok(
        T0,
        &["interview", "--category", "teaching", "--count", "1"],
        "first answer\n\n1\n",
    );
    env.ok(
        T0,
        &["interview", "--category", "professionalism", "--count", "1"],
        "second answer\n\n4\n",
    );
    let next_day = "2026-04-02T09:00:00Z";
    let out = env.ok(
        next_day,
        &["interview", "--count", "3", "--json"],
        "a\n\n3\nb\n\n3\nc\n\n3\n",
    );
    let keys: Vec<String> = answers(&out)
        .iter()
        .map(|a| a["key"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        keys.contains(&"iv/sleep".to_owned()),
        "the Again prompt is due: {keys:?}"
    );
    assert!(
        !keys.contains(&"iv/dress".to_owned()),
        "the Easy prompt is not due yet: {keys:?}"
    );
    // Teaching, rated lowest, is the first category offered.
    assert_eq!(keys[0], "iv/sleep", "{keys:?}");
    let categories = env
        .ok(next_day, &["interview", "categories", "--json"], "")
        .json();
    let teaching = categories
        .as_array()
        .and_then(|c| c.iter().find(|x| x["category"] == "teaching").cloned())
        .expect("teaching");
    assert_eq!(teaching["practised"], 1);
    assert_eq!(teaching["prompts"], 1);
}

#[test]
fn full_interview_follows_panel_order_with_follow_ups() {
    let env = env();
    let mut input = String::new();
    for i in 0..12 {
        input.push_str(&format!("answer number {i} with some words\n\n3\n"));
    }
    let out = env.ok(T0, &["interview", "--full", "--json"], &input);
    let list = answers(&out);
    let categories: Vec<&str> = list
        .iter()
        .map(|a| a["category"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        categories,
        [
            "motivation",
            "teaching",
            "flexibility",
            "professionalism",
            "japanese",
            "closing"
        ]
    );
    // Follow-ups are asked after some answers (the first has one in this deck).
    assert_eq!(
        list[0]["follow_up"]["question"],
        "What will you do after your contract?"
    );
    assert!(out.stderr.contains("Interviewer A"), "{}", out.stderr);
    assert!(out.stderr.contains("Follow-up:"), "{}", out.stderr);
}

#[test]
fn skip_quit_and_unknown_categories() {
    let env = env();
    let out = env.ok(
        T0,
        &["interview", "--count", "3", "--json"],
        "/skip\n/quit\n",
    );
    let report = out.json();
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["quit"], true);
    assert_eq!(env.sql_count("SELECT count(*) FROM answers"), 0);
    let bad = env.run(T0, &["interview", "--category", "astrology"], "");
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("unknown category `astrology`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn prompts_listing_has_the_bank_with_ids() {
    let env = Env::new();
    let list = env.ok(T0, &["interview", "prompts", "--json"], "").json();
    let list = list.as_array().expect("array");
    assert!(list.len() >= 120, "{}", list.len());
    assert!(
        list.iter()
            .all(|p| p["key"].is_string() && p["question"].is_string())
    );
    let categories: std::collections::HashSet<&str> =
        list.iter().filter_map(|p| p["category"].as_str()).collect();
    assert!(categories.len() >= 10);
}
