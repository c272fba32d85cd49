//! Editing text in the learner's `$VISUAL`/`$EDITOR`, for long interview answers and cards.

use anyhow::{Context, Result, bail};

/// Opens the editor on a temporary file holding `initial` and returns what was saved.
/// `suffix` (`.toml`, `.txt`) lets the editor pick its syntax mode.
pub fn edit(initial: &str, suffix: &str) -> Result<String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let file = tempfile::Builder::new()
        .prefix("alt-prep-")
        .suffix(suffix)
        .tempfile()
        .context("could not create a file for the editor")?;
    std::fs::write(file.path(), initial).context("could not prepare the file for the editor")?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(file.path())
        .status()
        .with_context(|| format!("could not start the editor `{editor}` (set $EDITOR)"))?;
    if !status.success() {
        bail!("the editor `{editor}` exited with {status}; nothing changed");
    }
    std::fs::read_to_string(file.path()).context("could not read the edited text back")
}
