//! What spreadsheet programs and Anki really write, imported through the binary: byte-exact
//! files in `tests/fixtures/import/` made by `tools/make_import_fixtures.py` (spreadsheets, and
//! a collection studied in Anki under a fake clock).

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The sum of one counter over the decks of an `import --json` report.
fn deck_sum(report: &serde_json::Value, field: &str) -> u64 {
    report["decks"]
        .as_array()
        .expect("decks")
        .iter()
        .filter_map(|d| d[field].as_u64())
        .sum()
}

/// Imports `name` into deck `T` of a fresh database and returns its cards as
/// (front, back, tags), in file order.
fn import_cards(name: &str) -> Vec<(String, String, String)> {
    let env = Env::new();
    env.ok(T0, &["import", &fixture(name), "--deck", "T"], "");
    let list = env.ok(T0, &["cards", "--deck", "T", "--json"], "").json();
    let mut rows: Vec<(i64, (String, String, String))> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            let tags = match &c["tags"] {
                serde_json::Value::Array(tags) => tags
                    .iter()
                    .filter_map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            (
                c["id"].as_i64().unwrap_or_default(),
                (text("front"), text("back"), tags),
            )
        })
        .collect();
    rows.sort_by_key(|(id, _)| *id);
    rows.into_iter().map(|(_, card)| card).collect()
}

fn card(front: &str, back: &str, tags: &str) -> (String, String, String) {
    (front.into(), back.into(), tags.into())
}

#[test]
fn excel_utf8_csv_with_bom_crlf_and_cell_newlines() {
    assert_eq!(
        import_cards("excel_utf8_bom_crlf.csv"),
        vec![
            card("Stand up, please", "起立 (kiritsu)", "classroom"),
            card(
                "Say \"good morning\" to the staff",
                "おはようございます\nOhayō gozaimasu",
                "phrases greetings"
            ),
            card(
                "What is a JTE?",
                "Japanese Teacher of English\n(team-teaches with you)",
                ""
            ),
            card("6\" ruler", "a 15 cm ruler", ""),
            card(
                "Multi\nline\nfront",
                "Back with \"quotes\", commas, and\nnewlines",
                "tricky"
            ),
        ]
    );
}

#[test]
fn libreoffice_quote_all_cells() {
    assert_eq!(
        import_cards("libreoffice_quote_all.csv"),
        vec![
            card("When did JET start?", "1987", "history jet"),
            card("Who runs JET?", "CLAIR, with three ministries", "jet"),
            card(
                "What does \"ESID\" mean?",
                "English Speaking Immersion Day",
                ""
            ),
            card("Line\nbreak", "kept\n\nwith a blank line", ""),
        ]
    );
}

/// A hand-written CSV with a space before an opening quote is read as RFC 4180 says (the
/// quotes are text), and the import says which lines, so the learner can fix them; a file
/// without such fields gets no note.
#[test]
fn a_space_before_a_quote_is_read_as_written_and_noted() {
    let env = Env::new();
    let path = env.write(
        "hand.csv",
        "Hello, \"Konnichiwa, by day\"\nBye,Sayonara\nThanks,  \"Arigatou\"\nYes,\"Hai, said \"\"hai\"\"\"\n",
    );
    let out = env.ok(T0, &["import", path.to_str().expect("p")], "");
    assert!(
        out.stderr
            .contains("hand.csv: lines 1, 3: a field starts with a space before its `\"`"),
        "{}",
        out.stderr
    );
    let card = env
        .ok(T0, &["card", "hand/thanks-2324441a", "--json"], "")
        .json();
    assert_eq!(card["back"], "\"Arigatou\"");
    let clean = env.write("clean.csv", "a,\"b, c\"\nd,e\n");
    let out = env.ok(T0, &["import", clean.to_str().expect("p")], "");
    assert!(!out.stderr.contains("note"), "{}", out.stderr);
}

#[test]
fn semicolon_csv_from_a_comma_decimal_locale() {
    assert_eq!(
        import_cards("excel_semicolon.csv"),
        vec![
            card("Pi, roughly", "3,14", "maths"),
            card("Staff room", "職員室 (shokuinshitsu)", "school"),
        ]
    );
}

#[test]
fn google_sheets_tsv_without_header_or_final_newline() {
    assert_eq!(
        import_cards("google_sheets.tsv"),
        vec![
            card("起立", "Stand up", "classroom"),
            card("Say \"please\"", "Kudasai\nor onegaishimasu", "phrases"),
            card("Tab", "in \"middle\" of a cell", ""),
            card("礼", "Bow\t(rei)", "classroom"),
        ]
    );
}

#[test]
fn excel_unicode_text_is_utf16() {
    assert_eq!(
        import_cards("excel_unicode_text.txt"),
        vec![
            card("先生", "Teacher", ""),
            card("校長先生", "Principal", ""),
        ]
    );
}

#[test]
fn windows_1252_csv_is_refused_by_line_and_writes_nothing() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let path = fixture("excel_cp1252.csv");
    let out = env.run(T0, &["import", &path], "");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{path}:2: not valid UTF-8")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&format!("{path}:3:")), "{}", out.stderr);
    assert!(out.stderr.contains("CSV UTF-8"), "{}", out.stderr);
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
}

/// A long import draws a progress bar on a terminal (a pseudo-terminal from `script`), and
/// never writes one into a pipe.
#[test]
fn a_long_import_shows_a_progress_bar_only_on_a_terminal() {
    let env = Env::new();
    let mut csv = String::new();
    for i in 0..40_000 {
        csv.push_str(&format!(
            "Question number {i},Answer number {i},tag{}\n",
            i % 7
        ));
    }
    let path = env.write("big.csv", &csv);
    let piped = env.ok(T0, &["import", path.to_str().expect("path")], "");
    assert!(!piped.stderr.contains("Importing"), "{}", piped.stderr);
    assert!(piped.stdout.contains("40000 added"), "{}", piped.stdout);

    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the terminal half: `script` (util-linux) is not installed");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("alt-prep");
    let shell = format!("'{}' import --dry-run '{}'", bin.display(), path.display());
    let output = std::process::Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .env_clear()
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("ALT_PREP_DB", &env.db)
        .env("ALT_PREP_NOW", T0)
        // Shown at once: on a fast machine this import is over before the usual delay.
        .env("ALT_PREP_PROGRESS_AFTER_MS", "0")
        .env("TERM", "xterm")
        .output()
        .expect("script");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("Importing big.csv [") && text.contains("% "),
        "no progress bar on a terminal:\n{text}"
    );
    assert!(
        text.contains("Would import big: 0 added, 0 updated, 40000 unchanged"),
        "{text}"
    );
    // The bar is erased before the summary is printed.
    assert!(text.contains("\r\x1b[2K"), "{text:?}");
}

/// A collection studied for two months in Anki itself (FSRS on; `tools/make_import_fixtures.py
/// history`, with what Anki held at export in `anki_history.expected.json`): every card comes in
/// where Anki had it — state, due date, interval, counts — with the FSRS memory state rebuilt
/// from the review log equal to Anki's own, in both package versions.
#[test]
fn an_anki_history_carries_over_as_anki_had_it() {
    let expected = expected_json("anki_history.expected.json");
    // An hour after the last session, as the fixture was exported.
    let now = "2025-03-08T10:00:00Z";
    for package in ["anki_history.apkg", "anki_history_legacy.apkg"] {
        let env = Env::new();
        env.ok(now, &["import", &fixture(package)], "");
        let checked = assert_as_anki_had_it(&env, now, package, &expected, &[]);
        assert_eq!(checked, 10, "every studied card compared");
    }
}

/// `alt-prep card --json` of the card of the history fixtures' deck that Anki calls
/// `guid/ord` (card 1 keeps the note's GUID as its id, card *n* gets `-n`).
fn history_card(env: &Env, now: &str, key: &str) -> serde_json::Value {
    let (guid, ord) = key.split_once('/').expect("guid/ord");
    let id = match ord {
        "0" => guid.to_string(),
        n => format!("{guid}-{}", n.parse::<u32>().expect("ord") + 1),
    };
    env.ok(
        now,
        &["card", &format!("alt-prep-history/{id}"), "--json"],
        "",
    )
    .json()
}

/// The memory state of each card of `expected` (`guid/ord` → `stability`, `difficulty`), as
/// `alt-prep card --json` shows it, within 1 %: how many were compared.
fn assert_memory_states(env: &Env, now: &str, label: &str, cards: &serde_json::Value) -> usize {
    let cards = cards.as_object().expect("cards");
    for (key, want) in cards {
        let card = history_card(env, now, key);
        for field in ["stability", "difficulty"] {
            let (got, want) = (
                card[field].as_f64().unwrap_or(-1.0),
                want[field].as_f64().unwrap_or(0.0),
            );
            assert!(
                (got - want).abs() <= (want * 0.01).max(0.01),
                "{label} {key} {field}: {got} against Anki's {want}"
            );
        }
    }
    cards.len()
}

/// An Anki collection whose preset has FSRS parameters of its own (fitted there;
/// `tools/make_import_fixtures.py fitted`): imported where none are set, its parameters are
/// taken, and the review history is replayed under them to the memory states Anki computes
/// with them (`compute_memory_state`), in both package versions. `--dry-run` says so and
/// saves nothing; importing again changes nothing. A learner with parameters of their own
/// keeps them: the history is replayed under those, and the output says why.
#[test]
fn an_anki_collections_own_fsrs_parameters_are_taken_when_none_are_set_here() {
    let expected = expected_json("anki_fitted_params.expected.json");
    let now = "2025-03-08T10:00:00Z";
    let stored = |env: &Env| -> Option<String> {
        // Opening a missing file would make an empty one.
        if !env.db.exists() {
            return None;
        }
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.query_row(
            "SELECT value FROM settings WHERE key = 'fsrs_parameters'",
            [],
            |r| r.get(0),
        )
        .ok()
    };
    // The collection package also holds a preset no deck uses, with other parameters: it
    // does not count.
    for package in [
        "anki_fitted_params.apkg",
        "anki_fitted_params_legacy.apkg",
        "anki_fitted_params.colpkg",
    ] {
        let env = Env::new();
        let dry = env.ok(now, &["import", "--dry-run", &fixture(package)], "");
        assert!(
            dry.stdout
                .contains("Would use the FSRS parameters of your Anki preset \"Default\""),
            "{}",
            dry.stdout
        );
        assert_eq!(stored(&env), None, "a dry run saves nothing");
        let report = env
            .ok(now, &["import", &fixture(package), "--json"], "")
            .json();
        let taken = &report["fsrs_parameters"];
        assert_eq!(taken["preset"], expected["preset"], "{report}");
        let want: Vec<f64> = serde_json::from_value(expected["parameters"].clone()).expect("p");
        let got: Vec<f64> = serde_json::from_value(taken["parameters"].clone()).expect("p");
        assert_eq!(got.len(), 21, "{report}");
        assert!(
            got.iter().zip(&want).all(|(g, w)| (g - w).abs() < 1e-6),
            "{got:?} against {want:?}"
        );
        let saved: Vec<f64> = serde_json::from_str(&stored(&env).expect("saved")).expect("json");
        assert_eq!(saved, got);
        let compared = assert_memory_states(&env, now, package, &expected["cards"]);
        assert_eq!(compared, 10, "every studied card compared");
        let again = env.ok(now, &["import", &fixture(package)], "");
        assert!(
            !again.stdout.contains("FSRS parameters"),
            "{}",
            again.stdout
        );
        assert!(again.stdout.contains("0 added, 0 updated, 11 unchanged"));
    }

    // The same collection imported before its preset had parameters, then again after: the
    // parameters are taken, and the cards not studied here are replayed under them.
    let env = Env::new();
    env.ok(now, &["import", &fixture("anki_history.apkg")], "");
    let out = env.ok(now, &["import", &fixture("anki_fitted_params.apkg")], "");
    assert!(
        out.stdout
            .contains("10 card(s) not studied here had their memory state worked out again"),
        "{}",
        out.stdout
    );
    assert_eq!(
        assert_memory_states(&env, now, "taken later", &expected["cards"]),
        10
    );

    // One note in a deck whose preset has no parameters (FSRS's defaults there): the presets
    // disagree, so none are taken, and the import says so.
    let env = Env::new();
    let out = env.ok(now, &["import", &fixture("anki_mixed_presets.apkg")], "");
    assert!(
        out.stderr.contains(
            "the presets of the package's decks (Default, Grammar) have different FSRS parameters"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(stored(&env), None);

    // Parameters of the learner's own (FSRS-6's defaults, saved as `optimize` saves them):
    // kept, and the history replayed under them, to what Anki computed with its defaults.
    let env = Env::new();
    env.ok(now, &["decks"], "");
    let defaults = serde_json::to_string(&fsrs::DEFAULT_PARAMETERS.to_vec()).expect("json");
    rusqlite::Connection::open(&env.db)
        .expect("open")
        .execute(
            "INSERT INTO settings (key, value) VALUES ('fsrs_parameters', ?1)",
            [&defaults],
        )
        .expect("insert");
    let out = env.ok(now, &["import", &fixture("anki_fitted_params.apkg")], "");
    assert!(
        out.stdout.contains(
            "Kept the FSRS parameters in use, not those of your Anki preset \"Default\": you have parameters of your own"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(stored(&env), Some(defaults));
    let history = expected_json("anki_history.expected.json");
    let studied: serde_json::Map<String, serde_json::Value> = history["cards"]
        .as_object()
        .expect("cards")
        .iter()
        .filter(|(_, c)| c["type"] != 0)
        .map(|(k, c)| (k.clone(), c.clone()))
        .collect();
    let compared = assert_memory_states(&env, now, "own parameters", &studied.into());
    assert_eq!(compared, 10);
}

/// The same collection studied further in Anki and exported again
/// (`tools/make_import_fixtures.py history-later`: every due card answered, one card reset with
/// "Forget", one given a due date, the new card learned): re-importing it brings every card
/// that was not studied here meanwhile to where Anki has it now — the new answers replayed,
/// the forgotten card new again without its old answers, the due date Anki set — exactly as a
/// first import of the newer file would. A card studied here in between keeps alt-prep's
/// schedule and its own review. Importing the newer file again changes nothing.
#[test]
fn a_newer_anki_export_brings_cards_up_to_it_unless_studied_here() {
    let expected = expected_json("anki_history_later.expected.json");
    let (first, later) = ("2025-03-08T10:00:00Z", "2026-12-08T10:00:00Z");
    let env = Env::new();
    env.ok(first, &["import", &fixture("anki_history.apkg")], "");
    env.ok(
        first,
        &["review", "--deck", "ALT Prep::History"],
        "\n3\nq\n",
    );
    let studied_here = |env: &Env| -> Vec<(String, i64, i64, i64, i64, i64, i64)> {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT key, state, due, interval_days, reps, lapses,
                        (SELECT count(*) FROM reviews WHERE card_id = cards.id)
                 FROM cards WHERE id IN (SELECT card_id FROM reviews WHERE source = 'review')",
            )
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    };
    let before = studied_here(&env);
    assert_eq!(before.len(), 1, "one card answered here: {before:?}");
    let key = before[0].0.clone();

    let out = env.ok(later, &["import", &fixture("anki_history_later.apkg")], "");
    assert!(
        out.stdout
            .contains("brought up to Anki's newer reviews or schedule"),
        "{}",
        out.stdout
    );
    assert_eq!(
        studied_here(&env),
        before,
        "the card studied here is left as it was"
    );
    let (guid, ord) = match key
        .rsplit_once('-')
        .filter(|(_, n)| n.parse::<u32>().is_ok())
    {
        Some((guid, n)) => (guid.to_string(), n.parse::<u32>().expect("n") - 1),
        None => (key.clone(), 0),
    };
    let skip = format!("{guid}/{ord}");
    let checked = assert_as_anki_had_it(&env, later, "re-import", &expected, &[skip.as_str()]);
    assert!(checked >= 9, "{checked} studied cards compared");

    // Exactly what a first import of the newer file gives, for every other card.
    let fresh = Env::new();
    fresh.ok(later, &["import", &fixture("anki_history_later.apkg")], "");
    let rows = |env: &Env| -> Vec<String> {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT c.key || ' ' || state || ' ' || step || ' ' || due || ' ' || interval_days
                        || ' ' || reps || ' ' || lapses || ' ' || quote(stability) || ' '
                        || quote(difficulty) || ' ' || quote(last_review) || ' ' ||
                        (SELECT coalesce(group_concat(reviewed_at || ':' || rating, ','), '')
                         FROM (SELECT * FROM reviews WHERE card_id = c.id ORDER BY reviewed_at))
                 FROM cards c JOIN decks d ON d.id = c.deck_id
                 WHERE d.key = 'alt-prep-history' AND c.key != ?1 ORDER BY c.key",
            )
            .expect("prepare");
        stmt.query_map([&key], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    let got = rows(&env);
    assert_eq!(got.len(), 10);
    assert_eq!(got, rows(&fresh));

    let again = env
        .ok(
            later,
            &["import", &fixture("anki_history_later.apkg"), "--json"],
            "",
        )
        .json();
    assert_eq!(again["decks"][0]["rescheduled"], 0, "{again}");
    assert_eq!(again["reviews_imported"], 0, "{again}");
    assert_eq!(rows(&env), got);

    // After `optimize` has stored other FSRS parameters, the same file still changes nothing
    // (a replay would put the new parameters' memory states in place of the stored ones).
    {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('fsrs_parameters',
             '[0.3,1.0,2.5,9.0,6.8,0.5,2.0,0.01,1.5,0.15,1.0,1.9,0.1,0.3,2.3,0.2,3.0,0.5,0.6,0.1,0.2]')",
            [],
        )
        .expect("parameters");
    }
    let after_optimize = env
        .ok(
            later,
            &["import", &fixture("anki_history_later.apkg"), "--json"],
            "",
        )
        .json();
    assert_eq!(
        after_optimize["decks"][0]["rescheduled"], 0,
        "{after_optimize}"
    );
    assert_eq!(rows(&env), got);
}

fn expected_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).expect("expected")).expect("json")
}

/// Checks every card of the `ALT Prep::History` deck but `skip` (`guid/ord`) against what Anki
/// held at export (an `*.expected.json` made by `tools/make_import_fixtures.py`): state, review
/// count, and for studied cards S and D within 1 %, reps, lapses, interval and due date.
/// Returns how many studied cards were compared.
fn assert_as_anki_had_it(
    env: &Env,
    now: &str,
    label: &str,
    expected: &serde_json::Value,
    skip: &[&str],
) -> usize {
    let crt = expected["crt"].as_i64().expect("crt");
    let cards = expected["cards"].as_object().expect("cards");
    let mut checked = 0;
    for (key, want) in cards {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let card = history_card(env, now, key);
        let what = format!("{label} {key}: {card}");
        let kind = want["type"].as_i64().expect("type");
        let state = ["new", "learning", "review", "relearning"][kind as usize];
        assert_eq!(card["state"], state, "{what}");
        // Answers after the last "Forget" (revlog type 4 with factor 0) are the history.
        let revlog = want["revlog"].as_array().expect("revlog");
        let after_reset = revlog
            .iter()
            .rposition(|r| r[2] == 4 && r[1] == 0 && r[4] == 0)
            .map_or(0, |i| i + 1);
        let rated = revlog[after_reset..]
            .iter()
            .filter(|r| (1..=4).contains(&r[1].as_i64().unwrap_or(0)))
            .count();
        assert_eq!(
            card["reviews"].as_array().map(Vec::len),
            Some(rated),
            "{what}"
        );
        if kind == 0 {
            continue;
        }
        let near = |got: &serde_json::Value, want: &serde_json::Value| {
            let (got, want) = (got.as_f64().unwrap_or(-1.0), want.as_f64().unwrap_or(0.0));
            (got - want).abs() <= (want * 0.01).max(0.01)
        };
        assert!(near(&card["stability"], &want["stability"]), "{what}");
        assert!(near(&card["difficulty"], &want["difficulty"]), "{what}");
        for field in ["reps", "lapses"] {
            assert_eq!(card[field], want[field], "{what}");
        }
        assert_eq!(card["interval_days"], want["ivl"], "{what}");
        let due = unix(card["due"].as_str().expect("due"));
        match want["due_day"].as_i64() {
            // A review card: the study day (04:00 UTC rollover here) Anki numbered.
            Some(day) => {
                let noon = crt + day * 86_400 + 12 * 3600;
                let start = (noon - 4 * 3600).div_euclid(86_400) * 86_400 + 4 * 3600;
                assert_eq!(due, start, "{what}");
            }
            // A (re)learning card: Anki's exact time.
            None => assert_eq!(Some(due), want["due_secs"].as_i64(), "{what}"),
        }
        checked += 1;
    }
    checked
}

/// Only a card that came from an Anki GUID is that note: a card of a CSV or TOML deck whose id
/// happens to equal a GUID is the learner's own and stays where it is, reviews and all.
#[test]
fn an_anki_guid_never_takes_a_card_of_alt_preps_own_formats() {
    let env = Env::new();
    let csv = env.write("mine.csv", "id,front,back\nmv1guid,my csv card,mine\n");
    env.ok(
        T0,
        &["import", "--deck", "Gamma", csv.to_str().expect("path")],
        "",
    );
    env.ok(T0, &["review", "--deck", "Gamma"], "\n3\nq\n");
    let anki = env.write(
        "anki.txt",
        "#separator:tab\n#html:false\n#guid column:1\n#deck column:2\nmv1guid\tAlpha\tm1 front\tm1 back\n",
    );
    let out = env.ok(T0, &["import", anki.to_str().expect("path")], "");
    assert!(!out.stdout.contains("moved here"), "{}", out.stdout);
    let in_deck = |deck: &str| {
        env.sql_count(&format!(
            "SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id
             WHERE c.key = 'mv1guid' AND d.name = '{deck}'"
        ))
    };
    assert_eq!((in_deck("Gamma"), in_deck("Alpha")), (1, 1));
    assert_eq!(
        env.sql_count(
            "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card_id
             JOIN decks d ON d.id = c.deck_id WHERE d.name = 'Gamma' AND c.front = 'my csv card'"
        ),
        1,
        "the CSV card keeps its review"
    );
}

/// A file without deck ids goes into the deck of that name whatever its case, and leaves the
/// deck's name and description as they are: `--deck "alt role"` is the built-in "ALT role".
#[test]
fn a_deck_named_in_another_case_is_that_deck_unrenamed() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let (name, description): (String, String) = {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.query_row(
            "SELECT name, description FROM decks WHERE builtin = 1 ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("built-in deck")
    };
    assert!(!description.is_empty());
    let csv = env.write("w.csv", "front,back\nmy q,my a\n");
    let lower = name.to_lowercase();
    assert_ne!(lower, name, "the test needs a name with capitals");
    env.ok(
        T0,
        &["import", "--deck", &lower, csv.to_str().expect("path")],
        "",
    );
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let (now_name, now_description, cards): (String, String, i64) = conn
        .query_row(
            "SELECT name, description, (SELECT count(*) FROM cards WHERE deck_id = decks.id)
             FROM decks WHERE builtin = 1 ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("deck");
    assert_eq!((now_name, now_description), (name, description));
    assert!(cards > 1);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM decks WHERE builtin = 0"),
        0,
        "no new deck"
    );
}

/// How many cards the deck called `name` holds (0 when there is no such deck).
fn cards_in(env: &Env, name: &str) -> i64 {
    env.sql_count(&format!(
        "SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = '{name}'"
    ))
}

/// Two exports of one collection made by Anki (`tools/make_import_fixtures.py moves`): in
/// between, note `mvJET1` moved to `JET::Basics`, `mvKEPT1` to `Elsewhere`, and the deck
/// `Old name` was renamed `New name`. Anki GUIDs are keys across decks: the moved cards move
/// here too, with their reviews, rather than being added again beside them, and the renamed
/// deck, left empty, is removed. Importing the newer file again changes nothing.
#[test]
fn a_note_moved_to_another_deck_in_anki_moves_here() {
    let env = Env::new();
    env.ok(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    env.ok(T0, &["review", "--deck", "JET"], "\n3\nq\n");
    let reviewed = "SELECT key FROM cards WHERE id = (SELECT card_id FROM reviews)";
    let key: String = {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.query_row(reviewed, [], |r| r.get(0))
            .expect("one review")
    };
    let id_before = env.sql_count("SELECT id FROM cards WHERE key = 'mvJET1'");

    let dry = env.ok(
        T0,
        &["import", "--dry-run", &fixture("anki_moves_after.apkg")],
        "",
    );
    assert!(
        dry.stdout.contains("Deck Old name would be removed"),
        "{}",
        dry.stdout
    );
    assert_eq!(cards_in(&env, "Old name"), 2, "a dry run moves nothing");

    let out = env
        .ok(
            T0,
            &["import", &fixture("anki_moves_after.apkg"), "--json"],
            "",
        )
        .json();
    assert_eq!(out["added"], 0, "{out}");
    assert_eq!(out["missing"], 0, "{out}");
    assert_eq!(
        out["emptied_decks"],
        serde_json::json!(["Old name"]),
        "{out}"
    );
    let moved = deck_sum(&out, "moved_in");
    assert_eq!(moved, 4, "{out}");
    for (deck, n) in [
        ("JET", 1),
        ("JET::Basics", 1),
        ("New name", 2),
        ("Old name", 0),
        ("Kept", 1),
        ("Elsewhere", 1),
    ] {
        assert_eq!(cards_in(&env, deck), n, "{deck}");
    }
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key = 'mvJET1'"),
        1
    );
    assert_eq!(
        env.sql_count("SELECT id FROM cards WHERE key = 'mvJET1'"),
        id_before
    );
    // The review went wherever its card went.
    assert_eq!(env.sql_count("SELECT count(*) FROM reviews"), 1);
    let key_after: String = {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.query_row(reviewed, [], |r| r.get(0))
            .expect("one review")
    };
    assert_eq!(key_after, key);

    let again = env
        .ok(
            T0,
            &["import", &fixture("anki_moves_after.apkg"), "--json"],
            "",
        )
        .json();
    assert_eq!(
        (again["added"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(6)),
        "{again}"
    );
}

/// Both exports in one command (the note met in two decks by two files of one import) give
/// one card each, where the file read last has it: never two copies, and no id clash.
#[test]
fn one_anki_note_in_two_decks_of_one_import_is_one_card() {
    let env = Env::new();
    for files in [
        ["anki_moves_before.apkg", "anki_moves_after.apkg"],
        ["anki_moves_after.apkg", "anki_moves_after.apkg"],
    ] {
        let out = env.ok(T0, &["import", &fixture(files[0]), &fixture(files[1])], "");
        assert!(!out.stdout.contains("Deck "), "{}", out.stdout);
        assert_eq!(
            env.sql_count("SELECT count(*) FROM cards WHERE key LIKE 'mv%'"),
            6
        );
        assert_eq!(cards_in(&env, "JET::Basics"), 1);
        assert_eq!(cards_in(&env, "New name"), 2);
        assert_eq!(
            env.sql_count("SELECT count(*) FROM decks WHERE name = 'Old name'"),
            0,
            "no empty deck left by the move"
        );
    }
}

/// Anki's notes text export gives one deck per note (a filtered deck, say), so Anki itself
/// moves no card when importing it; neither does alt-prep: the cards are matched by GUID
/// where they are and updated there, and no empty deck is left behind.
#[test]
fn a_notes_text_export_moves_no_card() {
    let env = Env::new();
    env.ok(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    let out = env.ok(T0, &["import", &fixture("anki_moves_after_notes.txt")], "");
    assert!(!out.stdout.contains("moved here"), "{}", out.stdout);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key LIKE 'mv%'"),
        6
    );
    for (deck, n) in [("JET", 2), ("Old name", 2), ("Kept", 2)] {
        assert_eq!(cards_in(&env, deck), n, "{deck}");
    }
    for deck in ["JET::Basics", "New name", "Elsewhere"] {
        assert_eq!(
            env.sql_count(&format!("SELECT count(*) FROM decks WHERE name = '{deck}'")),
            0,
            "{deck}"
        );
    }
}

/// An Anki note never takes the place of a card of the learner's own with the same id in the
/// same deck: the import stops, naming the card, and writes nothing.
#[test]
fn an_anki_note_never_replaces_an_own_card_in_its_deck() {
    let env = Env::new();
    let csv = env.write("mine.csv", "id,front,back\nmvKEPT2,my own card,mine\n");
    env.ok(
        T0,
        &["import", "--deck", "Kept", csv.to_str().expect("path")],
        "",
    );
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("kept/mvKEPT2") && out.stderr.contains("one of your own"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE front = 'my own card'"),
        1
    );
}

/// Two notes of one package whose cards get one id in two decks (tool-made GUIDs `word`, whose
/// second card is `word-2`, and `word-2`) are refused, not merged into one card.
#[test]
fn two_notes_giving_one_card_id_across_decks_are_refused() {
    let env = Env::new();
    env.ok(T0, &["decks"], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let out = env.run(T0, &["import", &fixture("anki_guid_clash.apkg")], "");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("anki_guid_clash.apkg") && out.stderr.contains("`word-2`"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
}

/// Suspension in a file is where a new card starts: the learner's unsuspend is not undone by
/// importing the file again.
#[test]
fn a_reimport_keeps_the_learners_unsuspend() {
    let env = Env::new();
    let package = fixture("anki_latest_sched.apkg");
    env.ok(T0, &["import", &package], "");
    let suspended = "SELECT count(*) FROM cards WHERE suspended = 1";
    let n = env.sql_count(suspended);
    assert!(n > 0, "the fixture has a suspended card");
    let key: String = {
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.query_row(
            "SELECT d.key || '/' || c.key FROM cards c JOIN decks d ON d.id = c.deck_id
             WHERE c.suspended = 1 LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("key")
    };
    env.ok(T0, &["unsuspend", &key], "");
    let again = env.ok(T0, &["import", &package, "--json"], "").json();
    assert_eq!(again["updated"], 0, "{again}");
    assert_eq!(env.sql_count(suspended), n - 1);
}

/// `import --deck` checks the name as `add --deck` does.
#[test]
fn import_checks_a_typed_deck_name() {
    let env = Env::new();
    let csv = env.write("w.csv", "front,back\nq,a\n");
    for bad in ["a::::b", "Es\u{1b}c", "  "] {
        let out = env.run(
            T0,
            &["import", "--deck", bad, csv.to_str().expect("path")],
            "",
        );
        assert_eq!(out.code, 1, "{bad:?}: {}", out.stdout);
        assert!(out.stderr.contains("deck name"), "{}", out.stderr);
    }
}

/// A notes text export's header and one line per note (GUID, deck, front, back).
fn notes_file(env: &Env, name: &str, lines: &[&str]) -> String {
    let mut text = String::from("#separator:tab\n#html:false\n#guid column:1\n#deck column:2\n");
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    env.write(name, &text).to_str().expect("path").to_owned()
}

/// With `--prune`, a card a notes export updated where it is (its file names another deck)
/// is not "gone" from its own deck when a later file of the same import goes into that deck.
#[test]
fn prune_keeps_a_card_updated_in_its_own_deck_by_an_earlier_file() {
    let env = Env::new();
    env.ok(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    let first = notes_file(
        &env,
        "first.txt",
        &["mvOLD1\tNew name\tWhat is a BOE?\tThe local Board of Education (edited)"],
    );
    let second = notes_file(
        &env,
        "second.txt",
        &["mvOLD2\tOld name\tWhat is a JTE?\tA Japanese Teacher of English"],
    );
    let out = env
        .ok(T0, &["import", "--prune", "--json", &first, &second], "")
        .json();
    assert_eq!(out["removed"], 0, "{out}");
    assert_eq!(cards_in(&env, "Old name"), 2);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE back LIKE '%(edited)'"),
        1
    );
}

/// One file naming an Anki GUID in two decks is refused even when the first of the two is
/// already in its deck here (not only when it is new).
#[test]
fn one_file_naming_a_known_guid_in_two_decks_is_refused() {
    let env = Env::new();
    env.ok(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    let before = env.sql_count("SELECT count(*) FROM cards");
    let file = notes_file(
        &env,
        "twice.txt",
        &[
            "mvOLD1\tOld name\tWhat is a BOE?\tThe local Board of Education",
            "mvOLD1\tKept\tWhat is a BOE?\tSomething else",
        ],
    );
    let out = env.run(T0, &["import", &file], "");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("twice.txt") && out.stderr.contains("`mvOLD1`"),
        "{}",
        out.stderr
    );
    assert_eq!(env.sql_count("SELECT count(*) FROM cards"), before);
    assert_eq!(cards_in(&env, "Old name"), 2);
}

/// An Anki note that went into a built-in deck (a deck of that name in the export) is still
/// that note when a later export names another deck: found there, not copied.
#[test]
fn an_anki_note_in_a_built_in_deck_is_found_there() {
    let env = Env::new();
    let first = notes_file(
        &env,
        "first.txt",
        &["guidB3\tALT role\tMy question\tMy answer"],
    );
    env.ok(T0, &["import", &first], "");
    let second = notes_file(
        &env,
        "second.txt",
        &["guidB3\tMine\tMy question\tMy answer, edited"],
    );
    env.ok(T0, &["import", &second], "");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key = 'guidB3'"),
        1
    );
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE back = 'My answer, edited'"),
        1
    );
}

/// `C++` and `C#` give one slug; the second is a deck of its own, not the first renamed
/// or overwritten, and importing it again finds it. A deck renamed here still takes the
/// file it came from.
#[test]
fn decks_whose_names_give_one_key_stay_apart() {
    let env = Env::new();
    let plus = env.write("plus.csv", "id,front,back\nx,pointer,*p\n");
    let sharp = env.write("sharp.csv", "id,front,back\nx,delegate,Func<T>\n");
    let path = |p: &std::path::PathBuf| p.to_str().expect("path").to_owned();
    env.ok(T0, &["import", "--deck", "C++", &path(&plus)], "");
    env.ok(T0, &["import", "--deck", "C#", &path(&sharp)], "");
    assert_eq!(cards_in(&env, "C++"), 1);
    assert_eq!(cards_in(&env, "C#"), 1);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE front = 'pointer'"),
        1
    );
    let again = env
        .ok(T0, &["import", "--json", "--deck", "C#", &path(&sharp)], "")
        .json();
    assert_eq!(again["unchanged"], 1, "{again}");
    assert_eq!(again["added"], 0, "{again}");

    let vocab = env.write("vocab.csv", "id,front,back\nv1,inu,dog\n");
    env.ok(T0, &["import", &path(&vocab)], "");
    env.ok(T0, &["deck", "rename", "vocab", "My vocab"], "");
    let back = env.ok(T0, &["import", "--json", &path(&vocab)], "").json();
    assert_eq!(back["unchanged"], 1, "{back}");
    assert_eq!(cards_in(&env, "My vocab"), 1);
    assert_eq!(
        env.sql_count("SELECT count(*) FROM decks WHERE name = 'vocab'"),
        0
    );
}

/// Two files of one import naming the same notes count each card once, and a deck made only
/// for cards that stayed in their own deck is reported as not kept (and is not there).
#[test]
fn a_file_given_twice_counts_each_card_once() {
    let env = Env::new();
    env.ok(T0, &["import", &fixture("anki_moves_before.apkg")], "");
    let notes = fixture("anki_moves_after_notes.txt");
    let out = env.ok(T0, &["import", "--json", &notes, &notes], "").json();
    assert_eq!(out["unchanged"], 6, "{out}");
    assert_eq!(out["added"], 0, "{out}");
    let decks = out["decks"].as_array().expect("decks");
    let not_kept: Vec<&str> = decks
        .iter()
        .filter(|d| d["not_kept"] == true)
        .filter_map(|d| d["deck"].as_str())
        .collect();
    assert_eq!(not_kept.len(), 3, "{out}");
    for name in not_kept {
        assert_eq!(
            env.sql_count(&format!("SELECT count(*) FROM decks WHERE name = '{name}'")),
            0,
            "{name}"
        );
    }
    let text = env.ok(T0, &["import", &notes, &notes], "");
    assert!(text.stdout.contains("no deck was made"), "{}", text.stdout);
    let package = fixture("anki_moves_after.apkg");
    let moved = env
        .ok(T0, &["import", "--json", &package, &package], "")
        .json();
    assert_eq!(moved["unchanged"], 6, "{moved}");
    assert_eq!(moved["emptied_decks"][0], "Old name", "{moved}");
}

/// Notes exported by Anki in Japanese name the stock note types in Japanese: the reverse and
/// cloze cards still come, as from a package of the same collection, so re-importing the
/// text after the package adds nothing and prunes nothing.
#[test]
fn notes_of_a_japanese_anki_give_the_cards_anki_has() {
    let env = Env::new();
    let text = env
        .ok(T0, &["import", "--json", &fixture("anki_ja_notes.txt")], "")
        .json();
    // Basic, typing: one card each; reversed, optional reversed (flag set): two; cloze: two.
    assert_eq!(text["added"], 8, "{text}");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key LIKE 'ja2%' OR key LIKE 'ja3%'"),
        4
    );
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE front LIKE '%[...]%の首都'"),
        2
    );
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key = 'ja3' AND back = '裏'"),
        1,
        "the optional-reverse flag is not card text"
    );

    let fresh = Env::new();
    let package = fresh
        .ok(T0, &["import", "--json", &fixture("anki_ja.apkg")], "")
        .json();
    assert_eq!(package["added"], 8, "{package}");
    let again = fresh
        .ok(
            T0,
            &[
                "import",
                "--json",
                "--prune",
                "--dry-run",
                &fixture("anki_ja_notes.txt"),
            ],
            "",
        )
        .json();
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["removed"], 0, "{again}");
}

/// A cloze type of the learner's own, renamed and with its cloze field second, gives one card
/// per deletion; the file's other notes come too.
#[test]
fn a_renamed_cloze_type_with_its_text_second_gives_its_cards() {
    let env = Env::new();
    let out = env
        .ok(
            T0,
            &["import", "--json", &fixture("anki_custom_cloze_notes.txt")],
            "",
        )
        .json();
    assert_eq!(out["added"], 3, "{out}");
    assert_eq!(
        env.sql_count(
            "SELECT count(*) FROM cards WHERE front = 'The [...] sat on the mat' AND back LIKE '%cat%Head%a note%'"
        ),
        1
    );
}

/// A deck sent through Anki and back: Anki sorts each note's tags, which is no edit. The
/// text file was exported by Anki after importing alt-prep's `--format anki` export of the
/// CSV.
#[test]
fn tags_reordered_by_anki_are_no_update() {
    let env = Env::new();
    let csv = fixture("tags_before_anki.csv");
    env.ok(T0, &["import", "--deck", "tags", &csv], "");
    let out = env
        .ok(
            T0,
            &["import", "--json", &fixture("tags_after_anki.txt")],
            "",
        )
        .json();
    assert_eq!(out["unchanged"], 1, "{out}");
    assert_eq!(out["updated"], 0, "{out}");
    let again = env
        .ok(T0, &["import", "--json", "--deck", "tags", &csv], "")
        .json();
    assert_eq!(again["unchanged"], 1, "{again}");
    // A real tag change still counts.
    let edited = env.write(
        "edited.csv",
        "front,back,tags\nWhat year did JET start?,1987,jet\n",
    );
    let out = env
        .ok(
            T0,
            &[
                "import",
                "--json",
                "--deck",
                "tags",
                edited.to_str().expect("path"),
            ],
            "",
        )
        .json();
    assert_eq!(out["updated"], 1, "{out}");
}

/// Indented code on a card survives export to CSV and to Anki text and import again: no
/// update. A side stored with whitespace at its ends by an older version is no update either.
#[test]
fn indented_code_round_trips_through_every_export() {
    let env = Env::new();
    let deck = env.write(
        "code.toml",
        "id = \"code\"\nname = \"Code\"\n\n[[card]]\nid = \"loop\"\nfront = \"A loop in Python\"\nback = \"\"\"\n  for x in xs:\n      print(x)\n\"\"\"\n",
    );
    let deck = deck.to_str().expect("path").to_owned();
    env.ok(T0, &["import", &deck], "");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE back = '  for x in xs:\n      print(x)'"),
        1
    );
    for format in ["csv", "anki", "json", "toml"] {
        let out = env.dir.path().join(format!("code-export.{format}"));
        let out = out.to_str().expect("path");
        env.ok(
            T0,
            &["export", "--deck", "Code", "--format", format, "-o", out],
            "",
        );
        let again = env.ok(T0, &["import", "--json", out], "").json();
        assert_eq!(again["updated"], 0, "{format}: {again}");
        assert_eq!(again["unchanged"], 1, "{format}: {again}");
    }
    rusqlite::Connection::open(&env.db)
        .expect("open")
        .execute(
            "UPDATE cards SET back = back || char(10), content_hash = 0 WHERE key = 'loop'",
            [],
        )
        .expect("older form");
    let old = env.ok(T0, &["import", "--json", &deck], "").json();
    assert_eq!(old["unchanged"], 1, "{old}");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE back = '  for x in xs:\n      print(x)'"),
        1
    );
}

/// A suspend or unsuspend made in Anki since the last import is followed on re-import; the
/// learner's own here stands until Anki changes that card's suspension. The second package
/// is the first after, in Anki, `kB6basic06` was unsuspended and card 1 of `kB2rev0002`
/// suspended, nothing studied (`tools/make_import_fixtures.py suspend`).
#[test]
fn a_suspension_changed_in_anki_is_followed_and_the_learners_own_kept() {
    let env = Env::new();
    let before = fixture("anki_latest_sched.apkg");
    let after = fixture("anki_latest_sched_suspend_changed.apkg");
    env.ok(T0, &["import", &before], "");
    let suspended =
        |key: &str| env.sql_count(&format!("SELECT suspended FROM cards WHERE key = '{key}'"));
    assert_eq!(suspended("kB6basic06"), 1);
    env.ok(
        T0,
        &["suspend", "alt-prep-classroom-english/kB1basic01"],
        "",
    );

    let out = env.ok(T0, &["import", "--json", &after], "").json();
    let rescheduled = deck_sum(&out, "rescheduled");
    assert_eq!(rescheduled, 2, "{out}");
    assert_eq!(out["updated"], 0, "{out}");
    assert_eq!(suspended("kB6basic06"), 0, "unsuspended in Anki");
    assert_eq!(suspended("kB2rev0002-2"), 1, "suspended in Anki");
    assert_eq!(suspended("kB1basic01"), 1, "the learner's own suspend");

    env.ok(
        T0,
        &["unsuspend", "alt-prep-classroom-english/kB2rev0002-2"],
        "",
    );
    let again = env.ok(T0, &["import", "--json", &after], "").json();
    assert_eq!(again["unchanged"], 10, "{again}");
    assert_eq!(suspended("kB2rev0002-2"), 0, "the learner's own unsuspend");
}

/// Review logs that do not begin with a card's learning answers, each made by Anki
/// (`tools/make_import_fixtures.py partial`): the memory state is rebuilt as Anki's own
/// `compute_memory_state` gives it (from SM-2's ease and interval where the log was cut
/// short; from the last run of learning answers after a "Forget" that left no row), taken
/// from the card where there is no log, and "Set due date" on a new card gives a review card
/// due that day. A card Anki has as new is new.
#[test]
fn partial_anki_review_logs_give_the_memory_state_anki_computes() {
    let expected = expected_json("anki_partial_history.expected.json");
    let now = "2026-12-07T10:00:00Z";
    let env = Env::new();
    env.ok(now, &["import", &fixture("anki_partial_history.apkg")], "");
    let crt = expected["crt"].as_i64().expect("crt");
    let cards = expected["cards"].as_object().expect("cards");
    assert_eq!(cards.len(), 5);
    for (key, want) in cards {
        let role = want["role"].as_str().expect("role");
        let card = history_card(&env, now, key);
        let what = format!("{role} {key}: {card}");
        let reviews = card["reviews"].as_array().map_or(0, Vec::len);
        let close = |got: &serde_json::Value, want: &serde_json::Value| {
            let (got, want) = (got.as_f64().unwrap_or(-1.0), want.as_f64().unwrap_or(0.0));
            (got - want).abs() <= want.abs() * 0.001 + 1e-4
        };
        match role {
            "forget_new" => {
                assert_eq!(card["state"], "new", "{what}");
                assert_eq!(reviews, 0, "{what}");
                continue;
            }
            "truncated" | "forget_relearned" => {
                assert!(
                    close(&card["stability"], &want["computed_stability"]),
                    "{what}"
                );
                assert!(
                    close(&card["difficulty"], &want["computed_difficulty"]),
                    "{what}"
                );
                // The log's two review answers; the two answers after the lost "Forget".
                assert_eq!(reviews, 2, "{what}");
            }
            "no_log" => {
                assert!(close(&card["stability"], &want["stability"]), "{what}");
                assert!(close(&card["difficulty"], &want["difficulty"]), "{what}");
                assert_eq!(reviews, 0, "{what}");
            }
            "due_date_on_new" => {
                assert_eq!(reviews, 0, "{what}");
                assert!(card["stability"].as_f64().is_some(), "{what}");
            }
            other => panic!("unknown role {other}"),
        }
        assert_eq!(card["state"], "review", "{what}");
        assert_eq!(card["interval_days"], want["ivl"], "{what}");
        let day = want["due_day"].as_i64().expect("due day");
        let noon = crt + day * 86_400 + 12 * 3600;
        let start = (noon - 4 * 3600).div_euclid(86_400) * 86_400 + 4 * 3600;
        assert_eq!(unix(card["due"].as_str().expect("due")), start, "{what}");
    }
    // Nothing changes when the same file comes again.
    let again = env
        .ok(
            now,
            &["import", "--json", &fixture("anki_partial_history.apkg")],
            "",
        )
        .json();
    assert_eq!(again["updated"], 0, "{again}");
    assert_eq!(again["added"], 0, "{again}");
    let rescheduled = deck_sum(&again, "rescheduled");
    assert_eq!(rescheduled, 0, "{again}");
}

/// Suspended cards, by key.
fn suspended_keys(env: &Env) -> Vec<String> {
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let mut stmt = conn
        .prepare("SELECT key FROM cards WHERE suspended = 1 ORDER BY key")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

/// The learner's own suspend stands when Anki answers the card or sets its due date (it
/// changed the schedule, not the suspension); a card Anki suspended is suspended here even
/// when its note came first from a notes export.
#[test]
fn the_learners_suspend_outlives_anki_answers_and_a_notes_export_first_keeps_ankis() {
    let env = Env::new();
    let (first, later) = ("2025-03-08T10:00:00Z", "2026-12-08T10:00:00Z");
    env.ok(first, &["import", &fixture("anki_history.apkg")], "");
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let answered_in_anki: Vec<String> = {
        let later = expected_json("anki_history_later.expected.json");
        let before = expected_json("anki_history.expected.json");
        later["cards"]
            .as_object()
            .expect("cards")
            .iter()
            .filter(|(key, card)| {
                card["revlog"].as_array().map(Vec::len)
                    != before["cards"][key.as_str()]["revlog"]
                        .as_array()
                        .map(Vec::len)
            })
            .map(|(key, _)| match key.split_once('/') {
                Some((guid, "0")) => guid.to_string(),
                Some((guid, n)) => format!("{guid}-{}", n.parse::<u32>().expect("ord") + 1),
                None => key.clone(),
            })
            .collect()
    };
    drop(conn);
    assert!(answered_in_anki.len() >= 2, "{answered_in_anki:?}");
    for key in &answered_in_anki {
        env.ok(first, &["suspend", &format!("alt-prep-history/{key}")], "");
    }
    env.ok(later, &["import", &fixture("anki_history_later.apkg")], "");
    let suspended = suspended_keys(&env);
    for key in &answered_in_anki {
        assert!(suspended.contains(key), "{key} unsuspended: {suspended:?}");
    }

    let notes_first = Env::new();
    notes_first.ok(
        T0,
        &[
            "import",
            &fixture("notes_all_columns_html.txt"),
            &fixture("anki_latest_sched.apkg"),
        ],
        "",
    );
    let package_alone = Env::new();
    package_alone.ok(T0, &["import", &fixture("anki_latest_sched.apkg")], "");
    assert!(!suspended_keys(&package_alone).is_empty());
    assert_eq!(suspended_keys(&notes_first), suspended_keys(&package_alone));
    // The notes export one day, the package the next.
    let notes_earlier = Env::new();
    notes_earlier.ok(T0, &["import", &fixture("notes_all_columns_html.txt")], "");
    assert!(suspended_keys(&notes_earlier).is_empty());
    notes_earlier.ok(T0, &["import", &fixture("anki_latest_sched.apkg")], "");
    assert_eq!(
        suspended_keys(&notes_earlier),
        suspended_keys(&package_alone)
    );
}

/// `--prune` judges a deck against the kind of cards the files brought: an Anki package does
/// not prune the learner's own cards in its deck, nor a CSV the Anki notes in its deck.
#[test]
fn prune_leaves_cards_of_the_other_kind_alone() {
    let env = Env::new();
    let package = fixture("anki_moves_before.apkg");
    env.ok(T0, &["import", &package], "");
    env.ok(
        T0,
        &[
            "add", "--deck", "JET", "--front", "My own", "--back", "card",
        ],
        "",
    );
    let out = env
        .ok(T0, &["import", "--json", "--prune", &package], "")
        .json();
    assert_eq!(out["removed"], 0, "{out}");
    assert_eq!(out["missing"], 0, "{out}");
    assert_eq!(cards_in(&env, "JET"), 3);

    let csv = env.write("mine.csv", "front,back\nAnother of mine,yes\n");
    let out = env
        .ok(
            T0,
            &[
                "import",
                "--json",
                "--prune",
                "--deck",
                "JET",
                csv.to_str().expect("path"),
            ],
            "",
        )
        .json();
    // The card added by hand is of the CSV's kind and not in it; the Anki notes are not.
    assert_eq!(out["removed"], 1, "{out}");
    assert_eq!(cards_in(&env, "JET"), 3);
}

/// Two packages of one collection in one command: the report counts each card once, as what
/// the two together did to it; and a package older than the one imported last changes
/// nothing (Anki's modification times), whether alone or after the newer in one command.
#[test]
fn packages_of_two_moments_report_once_and_an_older_one_rolls_nothing_back() {
    let (first, later) = ("2025-03-08T10:00:00Z", "2026-12-08T10:00:00Z");
    let older = fixture("anki_history.apkg");
    let newer = fixture("anki_history_later.apkg");
    let reviews = |env: &Env| env.sql_count("SELECT count(*) FROM reviews");

    let alone = Env::new();
    alone.ok(first, &["import", &older], "");
    let one = alone.ok(later, &["import", "--json", &newer], "").json();
    let together = Env::new();
    together.ok(first, &["import", &older], "");
    let both = together
        .ok(later, &["import", "--json", &older, &newer], "")
        .json();
    for field in ["added", "updated", "unchanged", "rescheduled"] {
        assert_eq!(
            deck_sum(&both, field),
            deck_sum(&one, field),
            "{field}: {both}"
        );
    }
    assert!(deck_sum(&one, "rescheduled") > 0, "{one}");
    assert_eq!(
        both["reviews_imported"],
        deck_sum(&both, "reviews_imported")
    );
    assert_eq!(reviews(&together), reviews(&alone));

    let rolled = Env::new();
    rolled.ok(later, &["import", &newer], "");
    let kept = reviews(&rolled);
    let back = rolled.ok(later, &["import", "--json", &older], "").json();
    assert_eq!(deck_sum(&back, "rescheduled"), 0, "{back}");
    assert_eq!(back["updated"], 0, "{back}");
    assert!(deck_sum(&back, "older") > 0, "{back}");
    assert_eq!(reviews(&rolled), kept);

    let in_one = Env::new();
    in_one.ok(later, &["import", &newer, &older], "");
    assert_eq!(reviews(&in_one), kept);
}

/// A card imported before migration 006 (Anki's suspension not recorded) keeps the learner's
/// unsuspend when the same package comes again: Anki's is followed from its next change.
#[test]
fn a_card_from_before_006_keeps_the_learners_unsuspend() {
    let env = Env::new();
    let package = fixture("anki_latest_sched.apkg");
    env.ok(T0, &["import", &package], "");
    let suspended = suspended_keys(&env);
    assert!(!suspended.is_empty());
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    conn.execute("UPDATE cards SET anki_suspended = NULL, suspended = 0", [])
        .expect("as before 006, unsuspended by the learner");
    drop(conn);
    let out = env.ok(T0, &["import", "--json", &package], "").json();
    assert!(suspended_keys(&env).is_empty(), "{out}");
}

/// `--prune` with a package never removes a card that a newer package brought (added in Anki
/// after this file was made), by Anki's modification times; an older such card goes.
#[test]
fn prune_keeps_cards_newer_than_the_package() {
    let env = Env::new();
    let package = fixture("anki_latest_sched.apkg");
    env.ok(T0, &["import", &package], "");
    let set = |sql: &str| {
        rusqlite::Connection::open(&env.db)
            .expect("open")
            .execute(sql, [])
            .expect("update");
    };
    // A note that a later export had and this one lacks.
    set("UPDATE cards SET key = 'later-note', anki_note_mod = 4102444800, anki_card_mod = 4102444800
         WHERE key = 'kB1basic01'");
    let out = env
        .ok(
            T0,
            &["import", "--json", "--prune", "--dry-run", &package],
            "",
        )
        .json();
    assert_eq!(out["removed"], 0, "{out}");
    set("UPDATE cards SET anki_note_mod = 1, anki_card_mod = 1 WHERE key = 'later-note'");
    let out = env
        .ok(T0, &["import", "--json", "--prune", &package], "")
        .json();
    assert_eq!(out["removed"], 1, "{out}");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE key = 'later-note'"),
        0
    );
}

/// Line breaks written as CR LF or a lone CR inside a TOML string are line feeds, as the CSV
/// and Anki text exports write them back: the round trip changes nothing.
#[test]
fn carriage_returns_inside_a_side_round_trip() {
    let env = Env::new();
    let deck = env.write(
        "cr.toml",
        "id = \"cr\"\nname = \"CR\"\n\n[[card]]\nid = \"c\"\nfront = \"line1\\r\\nline2\"\nback = \"x\\ry\"\n",
    );
    env.ok(T0, &["import", deck.to_str().expect("path")], "");
    assert_eq!(
        env.sql_count("SELECT count(*) FROM cards WHERE front = 'line1' || char(10) || 'line2' AND back = 'x' || char(10) || 'y'"),
        1
    );
    for format in ["csv", "anki"] {
        let out = env.dir.path().join(format!("cr.{format}"));
        let out = out.to_str().expect("path");
        env.ok(
            T0,
            &["export", "--deck", "CR", "--format", format, "-o", out],
            "",
        );
        let again = env.ok(T0, &["import", "--json", out], "").json();
        assert_eq!(again["updated"], 0, "{format}: {again}");
    }
}

/// A deck exported to CSV comes back under its own id (`deck_id` column), so its TOML file
/// still updates it in a database made from the CSV.
#[test]
fn a_csv_export_keeps_the_deck_id() {
    let env = Env::new();
    let deck = env.write(
        "deck.toml",
        "id = \"nasty\"\nname = \"Nasty deck\"\n\n[[card]]\nid = \"comma\"\nfront = \"a, b\"\nback = \"c\"\n",
    );
    let deck = deck.to_str().expect("path").to_owned();
    env.ok(T0, &["import", &deck], "");
    let out = env.dir.path().join("out.csv");
    let out = out.to_str().expect("path");
    env.ok(
        T0,
        &[
            "export",
            "--deck",
            "Nasty deck",
            "--format",
            "csv",
            "-o",
            out,
        ],
        "",
    );
    let fresh = Env::new();
    fresh.ok(T0, &["import", out], "");
    fresh.ok(T0, &["card", "nasty/comma"], "");
    let again = fresh.ok(T0, &["import", "--json", &deck], "").json();
    assert_eq!(again["unchanged"], 1, "{again}");
}

/// A notes text export has a note's fields, not its templates, so it describes only the first
/// card of a custom note type with two (`tools/make_import_fixtures.py two-templates`): after
/// the package, importing it with `--prune` removes nothing, and card 2 keeps its review.
#[test]
fn pruning_with_a_notes_export_keeps_the_cards_it_cannot_describe() {
    let env = Env::new();
    let now = "2026-04-06T08:00:00+09:00";
    let out = env.ok(now, &["import", &fixture("anki_two_templates.apkg")], "");
    assert!(out.stdout.contains("2 added"), "{}", out.stdout);
    let out = env.ok(
        now,
        &[
            "import",
            "--prune",
            &fixture("anki_two_templates_notes.txt"),
        ],
        "",
    );
    assert!(!out.stdout.contains("removed"), "{}", out.stdout);
    let card = env
        .ok(now, &["card", "vocab/tT2vocab-2", "--json"], "")
        .json();
    assert_eq!(card["reviews"].as_array().map(Vec::len), Some(1), "{card}");
    // A note gone from the file still takes all its cards with it.
    let empty = env.dir.path().join("gone.txt");
    std::fs::write(
        &empty,
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\nzZother\tBasic\tVocab\tOther\tone\n",
    )
    .expect("write");
    let out = env.ok(
        now,
        &[
            "import",
            "--prune",
            "--dry-run",
            empty.to_str().expect("path"),
        ],
        "",
    );
    assert!(
        out.stdout
            .contains("2 card(s) no longer in the file would be removed"),
        "{}",
        out.stdout
    );
}

/// Spreadsheet CSVs as Excel writes them in comma-decimal locales: a `sep=;` hint line is
/// not a row; `;` files whose sides hold an unquoted comma, and a `"` inside a field
/// (`12" ruler`), still split at the `;`.
#[test]
fn excel_hint_lines_and_semicolon_files_with_commas() {
    let env = Env::new();
    let now = "2026-04-06T08:00:00+09:00";
    let files = [
        ("hint.csv", "sep=;\r\nFront;Back\r\nHund;dog, hound\r\n"),
        (
            "tie.csv",
            "先生;teacher, instructor\r\n学校;school, academy\r\n",
        ),
        ("inch.csv", "12\" ruler;Lineal\nHund;dog\nKatze;cat\n"),
        // Excel for the Mac: `\r` line ends, a tab and a `;` inside cells.
        ("mac.csv", "dog,犬\rratio,3:4;1:2\rTab\tinside,a\tb\r"),
    ];
    for (name, text) in files {
        let path = env.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        env.ok(now, &["import", path.to_str().expect("path")], "");
    }
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let sides = |deck: &str| -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT front, back FROM cards JOIN decks d ON d.id = deck_id
                 WHERE d.name = ?1 ORDER BY position",
            )
            .expect("prepare");
        stmt.query_map([deck], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(f, b)| (f.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(sides("hint"), pairs(&[("Hund", "dog, hound")]));
    assert_eq!(
        sides("tie"),
        pairs(&[("先生", "teacher, instructor"), ("学校", "school, academy")])
    );
    assert_eq!(
        sides("mac"),
        pairs(&[("dog", "犬"), ("ratio", "3:4;1:2"), ("Tab\tinside", "a\tb")])
    );
    assert_eq!(
        sides("inch"),
        pairs(&[("12\" ruler", "Lineal"), ("Hund", "dog"), ("Katze", "cat")])
    );
}

/// A file without a header has three columns (front, back, tags): text past them is left
/// out, and the import says which lines lost some. Empty trailing columns (as Excel writes
/// them) are nothing to report; with a header row, the columns no role takes are named.
#[test]
fn text_past_the_third_column_is_noted() {
    let env = Env::new();
    let now = "2026-04-06T08:00:00+09:00";
    let path = env.dir.path().join("extra.csv");
    std::fs::write(
        &path,
        "What is 学校?,school, academy, college\nWhat is 先生?,teacher,,,\n",
    )
    .expect("write");
    let out = env.ok(now, &["import", path.to_str().expect("path")], "");
    assert!(
        out.stderr
            .contains("extra.csv: line 1: text after the third column was left out"),
        "{}",
        out.stderr
    );
    let named = env.dir.path().join("named.csv");
    std::fs::write(
        &named,
        "front,back,tags,notes\n犬,dog,animals,seen in class\n",
    )
    .expect("write");
    let out = env.ok(now, &["import", named.to_str().expect("path")], "");
    assert!(!out.stderr.contains("third column"), "{}", out.stderr);
    // A header column no role takes is named.
    assert!(
        out.stderr
            .contains("named.csv: the column `notes` was not imported"),
        "{}",
        out.stderr
    );
    // `--json` carries the notes too.
    let report = env
        .ok(now, &["import", "--json", path.to_str().expect("path")], "")
        .json();
    let notes = report["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{report}");
    assert!(
        notes[0]
            .as_str()
            .is_some_and(|n| n.contains("line 1: text after the third column")),
        "{report}"
    );
}

/// A file whose format cannot be told says why, by what it is: empty, or a `.txt` that is
/// none of the text formats; exit 1 and nothing written.
#[test]
fn an_unrecognised_file_says_what_was_looked_for() {
    let env = Env::new();
    let now = "2026-04-06T08:00:00+09:00";
    for (name, bytes, says) in [
        (
            "empty.txt",
            &b"\xef\xbb\xbf \n"[..],
            "empty.txt: the file is empty",
        ),
        (
            "junk.txt",
            b"\x00\x01junk",
            "junk.txt: could not tell what this .txt holds",
        ),
    ] {
        let path = env.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = env.run(now, &["import", path.to_str().expect("path")], "");
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains(says), "{}", out.stderr);
    }
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let own: i64 = conn
        .query_row("SELECT count(*) FROM decks WHERE builtin = 0", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(own, 0, "no deck of the learner's was written");
}

/// A preset set to "Ignore cards reviewed before" a date (`tools/make_import_fixtures.py
/// fitted`: 2025-02-01, in the middle of the history): Anki's memory states leave out the
/// earlier answers, and so does the import — every card Anki has a state for gets that state;
/// a card all of whose answers came before has none in Anki, and here starts from SM-2's
/// ease and interval, with no answer in its history. The import says so.
#[test]
fn a_presets_ignore_date_leaves_out_earlier_reviews_as_anki_does() {
    let expected = expected_json("anki_ignore_before.expected.json");
    let now = "2025-03-08T10:00:00Z";
    let env = Env::new();
    let out = env.ok(now, &["import", &fixture("anki_ignore_before.apkg")], "");
    assert!(
        out.stderr
            .contains("leaves out reviews before 2025-02-01 when it works out memory states, and so does this import"),
        "{}",
        out.stderr
    );
    let cards = expected["cards"].as_object().expect("cards");
    let (with_state, without): (Vec<_>, Vec<_>) =
        cards.iter().partition(|(_, c)| !c["stability"].is_null());
    let with_state: serde_json::Map<String, serde_json::Value> = with_state
        .into_iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(
        assert_memory_states(&env, now, "ignore date", &with_state.into()),
        7
    );
    assert_eq!(without.len(), 3, "{without:?}");
    for (key, _) in without {
        let card = history_card(&env, now, key);
        assert_eq!(card["reviews"].as_array().map(Vec::len), Some(0), "{card}");
        assert!(
            card["stability"].as_f64().is_some_and(|s| s > 0.0),
            "{card}"
        );
    }
    // Importing it again changes nothing.
    let again = env.ok(now, &["import", &fixture("anki_ignore_before.apkg")], "");
    assert!(
        again.stdout.contains("0 added, 0 updated, 11 unchanged"),
        "{}",
        again.stdout
    );
}
