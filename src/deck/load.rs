//! Reading a deck file from disk: size limit, format detection, dispatch to the parser.

use super::draft::{DeckDraft, LineError};
use super::native::{self, Syntax};
use std::path::Path;

/// Largest deck file accepted (a 100,000-card CSV is about 10 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
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
        _ => {}
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| bytes[i]);
    match start {
        Some(b'{') => Some(Format::Json),
        _ if bytes.starts_with(b"id") || bytes.starts_with(b"#") || bytes.starts_with(b"[") => {
            Some(Format::Toml)
        }
        _ => None,
    }
}

/// Reads and parses one file. `deck_name` renames the deck (or names it, for formats that
/// have no deck name).
pub fn load(
    path: &Path,
    forced: Option<Format>,
    deck_name: Option<&str>,
) -> Result<Vec<DeckDraft>, LoadError> {
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
    let bytes = std::fs::read(path).map_err(|e| fail(0, format!("could not read: {e}")))?;
    let format = detect(path, &bytes, forced).ok_or_else(|| {
        fail(
            0,
            "unknown format; use a .toml or .json extension or pass --format".into(),
        )
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = native::line_of(&String::from_utf8_lossy(&bytes), e.valid_up_to());
        fail(
            line,
            format!("is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    let syntax = match format {
        Format::Toml => Syntax::Toml,
        Format::Json => Syntax::Json,
    };
    let mut decks = vec![native::parse(text, syntax).map_err(|errors| LoadError {
        file: file.clone(),
        errors,
    })?];
    if let Some(name) = deck_name {
        for deck in &mut decks {
            deck.name = name.to_owned();
        }
    }
    Ok(decks)
}
