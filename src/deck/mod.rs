//! Deck files in, drafts out. One parser per format; parsers never touch the database and
//! report every problem with its line (design.md: `deck/`).

pub mod anki_stock_names;
pub mod anki_text;
pub mod apkg;
pub mod builtin;
pub mod csv;
pub mod draft;
pub mod encoding;
pub mod html;
pub mod load;
pub mod markdown;
pub mod native;
#[cfg(test)]
mod proptests;
pub mod toml_stream;
pub mod validate;
pub mod write;

pub use draft::{CardDraft, DeckDraft, LineError, PromptDraft};

/// Formats problems as `file:line: message`, one per line, as compilers do.
pub fn format_errors(file: &str, errors: &[LineError]) -> String {
    errors
        .iter()
        .map(|e| {
            if e.line == 0 {
                format!("{file}: {}", e.message)
            } else {
                format!("{file}:{}: {}", e.line, e.message)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
