//! What spreadsheet programs really write, imported through the binary: byte-exact files in
//! `tests/fixtures/import/` made by `tools/make_import_fixtures.py spreadsheets`.

use crate::harness::*;

const T0: &str = "2026-04-01T09:00:00Z";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
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
