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
    let status = command(&editor, file.path())
        .status()
        .with_context(|| format!("could not start the editor `{editor}` (set $EDITOR)"))?;
    if !status.success() {
        bail!("the editor `{editor}` exited with {status}; nothing changed");
    }
    std::fs::read_to_string(file.path()).context("could not read the edited text back")
}

/// The editor's command line as Git runs it: through the shell, so `EDITOR="code --wait"`,
/// a quoted path with spaces (`"/Applications/My Editor/bin/edit"`) and `~` all work, with
/// the file passed as a separate argument (never spliced into the shell text).
#[cfg(unix)]
fn command(editor: &str, file: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(file);
    command
}

/// Elsewhere, the program and its arguments split at spaces.
#[cfg(not(unix))]
fn command(editor: &str, file: &std::path::Path) -> std::process::Command {
    let mut parts = editor.split_whitespace();
    let mut command = std::process::Command::new(parts.next().unwrap_or("notepad"));
    command.args(parts).arg(file);
    command
}
