//! Reading a deck file from disk: size limit, format detection, dispatch to the parser, and
//! the shared checks every format's drafts must pass before anything is written.

use super::apkg::AnkiPreset;
use super::draft::{
    CardDraft, Collect, DeckDraft, DeckLines, LineError, PromptDraft, Sink, replay,
};
use super::native::{self, Syntax};
use super::validate::Checker;
use super::{anki_text, apkg, csv, markdown, toml_stream};
use std::io::Read;
use std::path::Path;

/// Largest deck file accepted (a 100,000-card CSV is about 10 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    Csv,
    Tsv,
    /// Anki's plain-text notes or cards export, with `#` header lines.
    AnkiText,
    Markdown,
    /// Anki `.apkg` / `.colpkg`.
    Apkg,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::AnkiText => "anki-text",
            Format::Markdown => "markdown",
            Format::Apkg => "apkg",
        }
    }
}

/// A file that could not be read or parsed: every problem found, with lines.
#[derive(Debug)]
pub struct LoadError {
    pub file: String,
    pub errors: Vec<LineError>,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::format_errors(&self.file, &self.errors))
    }
}

impl std::error::Error for LoadError {}

/// What a file gave: its decks, the format, and notes worth telling the learner (media
/// skipped, cards left out).
#[derive(Debug)]
pub struct Loaded {
    pub decks: Vec<DeckDraft>,
    pub format: Format,
    pub notes: Vec<String>,
}

/// Picks the format from `--format`, else the extension, else the content.
pub fn detect(path: &Path, bytes: &[u8], forced: Option<Format>) -> Option<Format> {
    if forced.is_some() {
        return forced;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("toml") => return Some(Format::Toml),
        Some("json") => return Some(Format::Json),
        // Anki writes `.txt`, but a file with its `#separator:` header lines is still Anki's
        // format when someone saved it as `.csv`.
        Some("csv" | "tsv" | "tab") if sniff(bytes) == Some(Format::AnkiText) => {
            return Some(Format::AnkiText);
        }
        Some("csv") => return Some(Format::Csv),
        Some("tsv" | "tab") => return Some(Format::Tsv),
        Some("md" | "markdown") => return Some(Format::Markdown),
        Some("apkg" | "colpkg") => return Some(Format::Apkg),
        _ => {}
    }
    sniff(bytes)
}

/// Guesses a format from the first bytes: zip magic, JSON, Anki headers, Q:/A: blocks, TOML
/// keys, then tabs or commas.
fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::Apkg);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    let head = head.trim_start_matches('\u{feff}');
    let first = head
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if first.starts_with('{') {
        return Some(Format::Json);
    }
    let anki_header = [
        "#separator:",
        "#html:",
        "#tags",
        "#columns:",
        "#deck",
        "#notetype",
        "#guid",
        "tags:",
    ];
    if anki_header
        .iter()
        .any(|h| first.to_ascii_lowercase().starts_with(h))
    {
        return Some(Format::AnkiText);
    }
    // Rows that all hold a tab are a table (Excel's "Unicode Text"), even where a cell
    // starts with `Q:`; hand-written Markdown has no tabs between its parts.
    let mut rows = head.lines().filter(|l| !l.trim().is_empty()).take(20);
    if rows.all(|l| l.contains('\t')) && first.contains('\t') {
        return Some(Format::Tsv);
    }
    // Markdown: a `Q:` line with an `A:` line, or a `C:` line with a `[deletion]`.
    let starts = |marker: &str| head.lines().any(|l| l.trim_start().starts_with(marker));
    let cloze = head.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("C:") && l.contains('[') && l.contains(']')
    });
    if (starts("Q:") && starts("A:")) || cloze {
        return Some(Format::Markdown);
    }
    // A TOML deck may open with `#` comments (not Anki's headers: checked above).
    let first_code = head
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let toml_key = |key: &str| {
        first_code
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    if toml_key("id")
        || toml_key("name")
        || toml_key("description")
        || first_code.starts_with("[[card]]")
        || first_code.starts_with("[[prompt]]")
    {
        return Some(Format::Toml);
    }
    if first.contains('\t') {
        return Some(Format::Tsv);
    }
    // `.csv` reading guesses the separator, so `;` (Excel in comma-decimal locales) and `|`
    // files saved as `.txt` are CSV too.
    if first.contains(',') || first.contains(';') || first.contains('|') {
        return Some(Format::Csv);
    }
    None
}

/// Reads and parses one file. `deck_name` names the deck for formats without deck names and
/// overrides the name otherwise; a multi-deck Anki file given a name goes into that one deck.
pub fn load(
    path: &Path,
    forced: Option<Format>,
    deck_name: Option<&str>,
) -> Result<Loaded, LoadError> {
    let mut decks = Collect::default();
    let (format, notes) = load_into(path, forced, deck_name, &mut decks)?;
    Ok(Loaded {
        decks: decks.0,
        format,
        notes,
    })
}

/// [`load`] into a sink: every card that passes the shared checks is sent on as it is read
/// (CSV, TSV and TOML are read a card at a time; other formats are parsed whole, then sent).
/// On `Err` the sink has received part of the file and the caller must discard it: an import
/// rolls its transaction back. Returns the format and notes for the learner.
pub fn load_into(
    path: &Path,
    forced: Option<Format>,
    deck_name: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<(Format, Vec<String>), LoadError> {
    let file = path.display().to_string();
    let fail = |line: usize, message: String| LoadError {
        file: file.clone(),
        errors: vec![LineError::new(line, message)],
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(0, format!("could not read: {e}")))?;
    if meta.is_dir() {
        return Err(fail(0, "is a directory, not a deck file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            0,
            format!(
                "is {} MB; the limit is {} MB",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    let mut bytes =
        read_file(path, meta.len()).map_err(|e| fail(0, format!("could not read: {e}")))?;
    if let Some(utf8) = super::encoding::utf16_to_utf8(&bytes) {
        bytes = utf8.map_err(|e| fail(e.line, e.message))?;
    }
    let format = detect(path, &bytes, forced).ok_or_else(|| {
        let blank = bytes
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&bytes)
            .iter()
            .all(u8::is_ascii_whitespace);
        let txt = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        let message = if blank {
            "the file is empty; there is nothing to import".to_string()
        } else if txt {
            "could not tell what this .txt holds: an Anki export starts with `#separator:` lines, a table needs tabs, commas or semicolons between its columns, Markdown needs `Q:` and `A:` lines; pass --format if it is one of these".to_string()
        } else {
            "unknown format; use an extension alt-prep knows (.toml .json .csv .tsv .txt .md .apkg) or pass --format".to_string()
        };
        fail(0, message)
    })?;
    let located = |errors: Vec<LineError>| LoadError {
        file: file.clone(),
        errors: super::draft::cap_errors(errors),
    };
    let name = deck_name.unwrap_or("");
    let mut notes = Vec::new();
    let mut checked = Checked {
        sink,
        checker: Checker::new(matches!(format, Format::Csv | Format::Tsv)),
    };
    let mut keep_notes = |read: Vec<String>| notes.extend(read);
    let streamed = match format {
        Format::Csv => {
            Some(csv::parse_csv_into(&bytes, &file, name, &mut checked).map(&mut keep_notes))
        }
        Format::Tsv => {
            Some(csv::parse_tsv_into(&bytes, &file, name, &mut checked).map(&mut keep_notes))
        }
        Format::Toml => {
            let text = utf8(&bytes).map_err(|(line, m)| fail(line, m))?;
            toml_stream::parse_into(text, deck_name, &mut checked)
        }
        Format::Json => {
            let text = utf8(&bytes).map_err(|(line, m)| fail(line, m))?;
            Some(native::parse_json_into(text, deck_name, &mut checked))
        }
        _ => None,
    };
    if let Some(parsed) = streamed {
        if let Err(mut errors) = parsed {
            // The shared checks ran on every item the parser could read: their findings
            // belong in the same report.
            errors.append(&mut checked.checker.errors);
            errors.sort_by_key(|e| e.line);
            return Err(located(errors));
        }
    } else {
        let mut decks = match format {
            Format::Toml | Format::Json => {
                let text = utf8(&bytes).map_err(|(line, m)| fail(line, m))?;
                let syntax = if format == Format::Toml {
                    Syntax::Toml
                } else {
                    Syntax::Json
                };
                vec![native::parse(text, syntax).map_err(located)?]
            }
            // Read above, row by row; never parsed whole.
            Format::Csv | Format::Tsv => Vec::new(),
            Format::Markdown => markdown::parse(&bytes, &file, name).map_err(located)?,
            Format::AnkiText => {
                let import = anki_text::parse(&bytes, &file, name).map_err(located)?;
                if !import.skipped.is_empty() {
                    notes.push(format!(
                        "{} card(s) left out: {}",
                        import.skipped.len(),
                        first_few(&import.skipped)
                    ));
                }
                if !import.renamed.is_empty() {
                    notes.push(format!(
                        "{} card(s) share a first field with an earlier note and were numbered (export with a GUID column for ids that survive reordering): {}",
                        import.renamed.len(),
                        first_few(&import.renamed)
                    ));
                }
                import.decks
            }
            Format::Apkg => {
                let import = apkg::parse(&bytes, &file).map_err(located)?;
                if import.media_skipped > 0 || import.media_refs_removed > 0 {
                    notes.push(format!(
                        "{} media file(s) skipped and {} image/sound reference(s) removed (alt-prep shows text only)",
                        import.media_skipped, import.media_refs_removed
                    ));
                }
                if !import.skipped.is_empty() {
                    notes.push(format!(
                        "{} card(s) left out: {}",
                        import.skipped.len(),
                        first_few(&import.skipped)
                    ));
                }
                match one_parameter_set(&import.fsrs_presets) {
                    Ok(Some((preset, parameters))) => {
                        checked.fsrs_parameters(&preset, parameters);
                    }
                    Ok(None) => {}
                    Err(presets) => notes.push(format!(
                        "the presets of the package's decks ({presets}) have different FSRS parameters (one may use FSRS's defaults); alt-prep uses one set for every card, so it took none of them (`alt-prep optimize` fits parameters to your reviews)"
                    )),
                }
                for preset in import
                    .fsrs_presets
                    .iter()
                    .filter(|p| !p.ignore_before.is_empty())
                {
                    notes.push(format!(
                        "Anki's preset \"{}\" leaves out reviews before {} when it works out memory states, and so does this import: those reviews are not in the cards' histories here",
                        preset.name, preset.ignore_before
                    ));
                }
                import.decks
            }
        };
        if let Some(name) = deck_name {
            rename(&mut decks, name, format);
        }
        replay(decks, &mut checked);
    }
    if !checked.checker.errors.is_empty() {
        let mut errors = std::mem::take(&mut checked.checker.errors);
        errors.sort_by_key(|e| e.line);
        return Err(located(errors));
    }
    Ok((format, notes))
}

/// The one set of FSRS parameters the presets of an Anki package's decks share, with their
/// names (`Default, Kanji`); `Err` with the names when they differ, one of them having none
/// (FSRS's defaults) included. Anki keeps one set per preset; alt-prep, one for every card.
fn one_parameter_set(presets: &[AnkiPreset]) -> Result<Option<(String, &[f32])>, String> {
    let names = || {
        presets
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match presets.split_first() {
        None => Ok(None),
        Some((first, rest)) if rest.iter().all(|p| p.parameters == first.parameters) => {
            Ok((!first.parameters.is_empty()).then(|| (names(), first.parameters.as_slice())))
        }
        Some(_) => Err(names()),
    }
}

/// The first ten of a list for a note on the terminal, and how many more there are.
fn first_few(items: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > SHOWN {
        text.push_str(&format!("; and {} more", items.len() - SHOWN));
    }
    text
}

/// The whole file, `len` bytes by its metadata, and at most [`MAX_FILE_BYTES`] + 1 even if it
/// grows while it is read (the caller refuses more than the limit).
///
/// A large file is read in two halves on two threads. Reading into fresh memory costs more in
/// page faults than in copying (22 MB: ~14 ms into a new buffer, ~4.5 ms into a reused one), and
/// no card can be written before the file is read, so the second core, idle until the first
/// card, takes half of it.
fn read_file(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    /// Below this one thread reads it: a thread costs more than it saves.
    const SPLIT_AT: u64 = 4 << 20;
    let mut file = std::fs::File::open(path)?;
    let halves = (SPLIT_AT..=MAX_FILE_BYTES)
        .contains(&len)
        .then(|| usize::try_from(len).ok())
        .flatten();
    let (mut bytes, read) = match halves {
        Some(size) => (read_in_halves(&file, size)?, len),
        None => (
            Vec::with_capacity(usize::try_from(len.min(MAX_FILE_BYTES)).unwrap_or(0)),
            0,
        ),
    };
    // What is left: all of a small file; anything a large one gained meanwhile.
    file.seek(SeekFrom::Start(read))?;
    file.take(MAX_FILE_BYTES + 1 - read.min(MAX_FILE_BYTES))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The first `size` bytes of `file`, its two halves read at once on two threads.
fn read_in_halves(file: &std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0u8; size];
    let (first, second) = bytes.split_at_mut(size / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| file.read_exact_at(second, (size / 2) as u64));
        file.read_exact_at(first, 0)?;
        other
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the second reading thread stopped")))
    })
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            std::io::Error::other("the file became shorter while it was read")
        }
        _ => e,
    })?;
    Ok(bytes)
}

/// [`load_into`] with the reading and parsing on a second thread, so that on a machine with two
/// cores a large file is parsed while the sink (the database) writes the cards before it. The
/// sink is still fed on the calling thread, in file order.
pub fn load_into_in_parallel(
    path: &Path,
    forced: Option<Format>,
    deck_name: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<(Format, Vec<String>), LoadError> {
    /// Batches in flight between the threads: enough to keep both busy, little memory.
    const QUEUE: usize = 4;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Item>>(QUEUE);
    // Cards the sink is done with go back to be freed where they were allocated (see
    // `Sink::spent`). Unbounded, so handing them back never blocks the writing thread.
    let (give_back, spent) = std::sync::mpsc::channel::<Vec<CardDraft>>();
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut forward = Forward {
                sender,
                batch: Vec::with_capacity(BATCH),
                spent,
            };
            let loaded = load_into(path, forced, deck_name, &mut forward);
            forward.flush();
            loaded
        });
        for batch in receiver {
            for item in batch {
                match item {
                    Item::Deck(id, name, description) => sink.deck(&id, &name, &description),
                    Item::Card(card, hash) => sink.card_hashed(card, hash),
                    Item::Prompt(prompt) => sink.prompt(prompt),
                    Item::Progress(fraction) => sink.progress(fraction),
                    Item::Parameters(preset, parameters) => {
                        sink.fsrs_parameters(&preset, &parameters);
                    }
                }
            }
            let done = sink.spent();
            if !done.is_empty() {
                // Fails only once the reader has finished; then they are freed here.
                let _ = give_back.send(done);
            }
        }
        reader.join().unwrap_or_else(|_| {
            Err(LoadError {
                file: path.display().to_string(),
                errors: vec![LineError::new(0, "could not be read (the reader stopped)")],
            })
        })
    })
}

/// Items per message between the threads: one handover per item cost more in wake-ups than
/// the parsing it overlapped.
const BATCH: usize = 256;

/// What the reading thread sends.
enum Item {
    Deck(String, String, String),
    /// With its content hash, worked out on the reading thread.
    Card(CardDraft, i64),
    Prompt(PromptDraft),
    Progress(f64),
    Parameters(String, Vec<f32>),
}

/// A sink that sends everything, in batches, to the thread feeding the real one. A send fails
/// only when that thread has stopped listening, and then nothing more is wanted.
struct Forward {
    sender: std::sync::mpsc::SyncSender<Vec<Item>>,
    batch: Vec<Item>,
    /// Cards handed back by the writing thread, dropped here (on their own thread).
    spent: std::sync::mpsc::Receiver<Vec<CardDraft>>,
}

impl Forward {
    fn push(&mut self, item: Item) {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            let _ = self.sender.send(batch);
        }
        while let Ok(done) = self.spent.try_recv() {
            drop(done);
        }
    }
}

impl Sink for Forward {
    fn deck(&mut self, id: &str, name: &str, description: &str) {
        self.push(Item::Deck(
            id.to_owned(),
            name.to_owned(),
            description.to_owned(),
        ));
    }

    fn card(&mut self, card: CardDraft) {
        let hash = card.content_hash();
        self.push(Item::Card(card, hash));
    }

    fn prompt(&mut self, prompt: PromptDraft) {
        self.push(Item::Prompt(prompt));
    }

    fn progress(&mut self, fraction: f64) {
        self.push(Item::Progress(fraction));
    }

    fn fsrs_parameters(&mut self, preset: &str, parameters: &[f32]) {
        self.push(Item::Parameters(preset.to_owned(), parameters.to_vec()));
    }
}

/// The file as text. `simdutf8` checks a valid file several times faster than `std` (this
/// check comes before the first card of a large import can be read); `std` then finds where an
/// invalid one goes wrong.
fn utf8(bytes: &[u8]) -> Result<&str, (usize, String)> {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let line = native::line_of(&String::from_utf8_lossy(bytes), e.valid_up_to());
        (
            line,
            format!("is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })
}

/// Runs the shared checks on each item and passes on only what passes, until the first
/// problem: after that the file will be refused, so nothing more is sent.
struct Checked<'a> {
    sink: &'a mut dyn Sink,
    checker: Checker,
}

impl Sink for Checked<'_> {
    fn deck_lines(&mut self, lines: DeckLines) {
        self.checker.lines = lines;
    }

    fn fsrs_parameters(&mut self, preset: &str, parameters: &[f32]) {
        self.sink.fsrs_parameters(preset, parameters);
    }

    fn deck(&mut self, id: &str, name: &str, description: &str) {
        self.checker.deck(id, name);
        if self.checker.errors.is_empty() {
            self.sink.deck(id, name, description);
        }
    }

    fn card(&mut self, card: CardDraft) {
        self.checker.card(&card);
        if self.checker.errors.is_empty() {
            self.sink.card(card);
        }
    }

    fn prompt(&mut self, prompt: PromptDraft) {
        self.checker.prompt(&prompt);
        if self.checker.errors.is_empty() {
            self.sink.prompt(prompt);
        }
    }

    fn progress(&mut self, fraction: f64) {
        self.sink.progress(fraction);
    }
}

/// `--deck NAME`: a native deck keeps its id and takes the name; decks from other formats are
/// merged into one deck with that name (and an id made from it).
fn rename(decks: &mut Vec<DeckDraft>, name: &str, format: Format) {
    let name = name.trim();
    if decks.len() == 1 {
        decks[0].name = name.to_owned();
        if !matches!(format, Format::Toml | Format::Json) {
            decks[0].id = csv::deck_id(name);
        }
        return;
    }
    let mut merged = DeckDraft {
        id: csv::deck_id(name),
        name: name.to_owned(),
        description: String::new(),
        cards: Vec::new(),
        prompts: Vec::new(),
    };
    for deck in decks.drain(..) {
        merged.cards.extend(deck.cards);
        merged.prompts.extend(deck.prompts);
    }
    decks.push(merged);
}

#[cfg(test)]
mod tests {

    /// A large file is read in two halves on two threads: the bytes are the file's, in order,
    /// whatever its size (odd, just over the split, small).
    #[test]
    fn a_file_read_in_halves_is_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        for len in [
            0usize,
            1,
            4095,
            (4 << 20) - 1,
            4 << 20,
            (4 << 20) + 7,
            9_000_001,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4093) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).expect("write");
            let read = read_file(&path, len as u64).expect("read");
            assert!(read == bytes, "{len} bytes read back differently");
        }
    }

    /// The size the metadata gave is a hint: a file found longer than it is read whole, and
    /// one found shorter is refused with a reason rather than padded.
    #[test]
    fn a_file_that_changed_size_is_read_whole_or_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("grew");
        let bytes = vec![b'a'; (5 << 20) + 3];
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(read_file(&path, 5 << 20).expect("read").len(), bytes.len());
        assert_eq!(read_file(&path, 10).expect("read").len(), bytes.len());
        let err = read_file(&path, 6 << 20).expect_err("shorter than said");
        assert!(err.to_string().contains("became shorter"), "{err}");
    }

    use super::*;

    /// Presets sharing one set of FSRS parameters give that set, named after them all;
    /// presets that differ (one with FSRS's defaults included) give none, only their names.
    #[test]
    fn one_parameter_set_is_taken_only_when_presets_agree() {
        let preset = |name: &str, parameters: &[f32]| AnkiPreset {
            name: name.to_string(),
            parameters: parameters.to_vec(),
            ignore_before: String::new(),
        };
        let (a, b) = ([0.5_f32; 21], [0.6_f32; 21]);
        assert_eq!(one_parameter_set(&[]), Ok(None));
        let same = [preset("Default", &a), preset("Kanji", &a)];
        assert_eq!(
            one_parameter_set(&same),
            Ok(Some(("Default, Kanji".to_string(), &a[..])))
        );
        let differ = [preset("Default", &a), preset("Kanji", &b)];
        assert_eq!(
            one_parameter_set(&differ),
            Err("Default, Kanji".to_string())
        );
        // A preset without parameters of its own uses FSRS's defaults: not the same set.
        let defaults = [preset("Default", &[]), preset("Kanji", &a)];
        assert_eq!(
            one_parameter_set(&defaults),
            Err("Default, Kanji".to_string())
        );
        assert_eq!(one_parameter_set(&[preset("Default", &[])]), Ok(None));
    }

    /// The two-thread reader hands over exactly what the one-thread reader gives, in order,
    /// and the same errors.
    #[test]
    fn reading_on_a_second_thread_gives_the_same_cards() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut csv_text = String::from("front,back,tags\n");
        for i in 0..1_500 {
            csv_text.push_str(&format!("Question {i},Answer {i},t{}\n", i % 3));
        }
        let good = dir.path().join("good.csv");
        std::fs::write(&good, &csv_text).expect("write");
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, format!("{csv_text}Question 7,again\n,no front\n")).expect("write");
        for (path, deck) in [(&good, None), (&good, Some("Named")), (&bad, None)] {
            let mut one = Collect::default();
            let mut two = Collect::default();
            let a = load_into(path, None, deck, &mut one);
            let b = load_into_in_parallel(path, None, deck, &mut two);
            assert_eq!(one.0, two.0, "{}", path.display());
            assert_eq!(
                a.as_ref()
                    .map(|(f, n)| (*f, n.clone()))
                    .map_err(|e| e.to_string()),
                b.as_ref()
                    .map(|(f, n)| (*f, n.clone()))
                    .map_err(|e| e.to_string())
            );
        }
        let mut two = Collect::default();
        load_into_in_parallel(&good, None, None, &mut two).expect("loads");
        assert_eq!(two.0[0].cards.len(), 1_500);
        assert_eq!(two.0[0].cards[1_499].front, "Question 1499");
        let missing = load_into_in_parallel(&dir.path().join("nope.csv"), None, None, &mut two);
        assert!(missing.is_err());
    }

    #[test]
    fn formats_are_sniffed_from_content() {
        let p = Path::new("deck");
        assert_eq!(detect(p, b"PK\x03\x04rest", None), Some(Format::Apkg));
        assert_eq!(detect(p, b"  {\"id\": 1}", None), Some(Format::Json));
        assert_eq!(
            detect(p, b"#separator:tab\nA\tB\n", None),
            Some(Format::AnkiText)
        );
        assert_eq!(
            detect(p, b"# My deck\n\nQ: one\nA: two\n", None),
            Some(Format::Markdown)
        );
        assert_eq!(
            detect(p, b"id = \"x\"\nname = \"y\"\n", None),
            Some(Format::Toml)
        );
        assert_eq!(
            detect(p, b"# My deck, by me\n\nname = \"y\"\nid = \"x\"\n", None),
            Some(Format::Toml)
        );
        assert_eq!(detect(p, b"identity,card\n", None), Some(Format::Csv));
        assert_eq!(detect(p, b"front\tback\n", None), Some(Format::Tsv));
        assert_eq!(detect(p, b"front,back\n", None), Some(Format::Csv));
        assert_eq!(detect(p, b"front;back\n", None), Some(Format::Csv));
        assert_eq!(
            detect(
                Path::new("notes.csv"),
                b"#separator:comma\n#html:false\na,b\n",
                None
            ),
            Some(Format::AnkiText)
        );
        assert_eq!(
            detect(Path::new("notes.csv"), b"# not a header\na,b\n", None),
            Some(Format::Csv)
        );
        assert_eq!(detect(p, b"front|back\n", None), Some(Format::Csv));
        // Rows that all hold a tab are a table, whatever their cells start with.
        assert_eq!(
            detect(p, b"What is 1+1?\t2\nQ: capital of Japan?\tTokyo\n", None),
            Some(Format::Tsv)
        );
        assert_eq!(
            detect(p, b"C: drive\tthe first disk\n", None),
            Some(Format::Tsv)
        );
        // Markdown needs its blocks: a `Q:` with an `A:`, or a `C:` with a deletion.
        assert_eq!(
            detect(p, b"C: JET began in [1987].\n", None),
            Some(Format::Markdown)
        );
        assert_eq!(
            detect(p, b"C: drive, the first disk\n", None),
            Some(Format::Csv)
        );
        assert_eq!(detect(p, b"\x00\x01", None), None);
        assert_eq!(
            detect(Path::new("x.txt"), b"a,b\n", Some(Format::Tsv)),
            Some(Format::Tsv)
        );
    }
}
