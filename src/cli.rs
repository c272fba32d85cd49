//! Every command-line type, with doc comments as help text. No logic and no crate imports, so
//! completions can be generated from this file alone (zoxide's layout).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Get ready to be an Assistant Language Teacher in Japan: daily spaced-repetition review of
/// the role, school life and workplace Japanese, and mock-interview practice.
#[derive(Debug, Parser)]
#[command(name = "alt-prep", version, about, long_about = None)]
pub struct Cli {
    /// The database file [default: the platform data directory]
    #[arg(long, global = true, env = "ALT_PREP_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Review the cards due today (learning first, then reviews, with new cards mixed in)
    Review(ReviewArgs),
    /// Import deck files (TOML, JSON, CSV/TSV, Anki text, Markdown, Anki .apkg)
    Import(ImportArgs),
    /// List decks with their card counts
    Decks(JsonArg),
    /// List cards
    Cards(CardsArgs),
    /// Show one card with its scheduling state and review log
    Card(CardArgs),
    /// Suspend cards so they are not shown
    Suspend(IdsArg),
    /// Bring suspended cards back
    Unsuspend(IdsArg),
    /// Show or change settings: `config`, `config KEY`, `config KEY VALUE`
    Config(ConfigArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Only cards from this deck (repeatable)
    #[arg(long = "deck", value_name = "NAME")]
    pub decks: Vec<String>,
    /// Only cards with this tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import, all in one transaction
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Put the cards in this deck (for formats without deck names, or to rename)
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// The file format, when the extension does not tell
    #[arg(long, value_enum, value_name = "F")]
    pub format: Option<FormatArg>,
    /// Report what would change without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Delete cards that are no longer in the file
    #[arg(long)]
    pub prune: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Toml,
    Json,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Only cards from this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// Numeric id or key (`deck-id/card-id`)
    #[arg(value_name = "ID|KEY")]
    pub id: String,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IdsArg {
    /// Numeric ids or keys
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The setting
    pub key: Option<String>,
    /// Its new value
    pub value: Option<String>,
    /// Put the setting back to its default
    #[arg(long, requires = "key", conflicts_with = "value")]
    pub reset: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}
