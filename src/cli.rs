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
    /// Practise mock-interview questions, with a timer and feedback
    Interview(InterviewArgs),
    /// Progress: today, streaks, retention, forecast, heatmap, card counts, interview progress
    Stats(StatsArgs),
    /// Fit the FSRS parameters to your own review history
    Optimize(OptimizeArgs),
    /// Export cards (and prompts, in TOML/JSON) to a file or stdout
    Export(ExportArgs),
    /// Add a card
    Add(AddArgs),
    /// Edit a card (with flags, or in $EDITOR)
    Edit(EditArgs),
    /// Delete cards and their review history
    Delete(DeleteArgs),
    /// Rename or delete a deck
    #[command(subcommand)]
    Deck(DeckCommand),
    /// Check the database for damage
    Check,
    /// Back up the database now, or list the backups
    Backup(BackupArgs),
    /// Replace the database with a backup (the current one is backed up first)
    Restore(RestoreArgs),
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
    /// alt-prep's native deck format
    Toml,
    /// the native format as JSON
    Json,
    /// front,back[,tags] with optional header row
    Csv,
    /// the same, tab-separated
    Tsv,
    /// Anki's plain-text export (with `#separator:` … headers)
    #[value(alias = "txt")]
    Anki,
    /// `Q:`/`A:` blocks and `C:` cloze lines
    #[value(alias = "md")]
    Markdown,
    /// Anki package (.apkg / .colpkg)
    Apkg,
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

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct InterviewArgs {
    #[command(subcommand)]
    pub sub: Option<InterviewSub>,
    #[command(flatten)]
    pub practice: PracticeArgs,
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Only prompts from this category (repeatable; see `interview categories`)
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// How many prompts to practise
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub count: usize,
    /// A full mock interview: a three-person panel asking in interview order, with follow-ups
    #[arg(long, conflicts_with_all = ["categories", "count"])]
    pub full: bool,
    /// Do not time answers
    #[arg(long)]
    pub no_timer: bool,
    /// Write each answer in $EDITOR
    #[arg(long)]
    pub editor: bool,
    /// Print the session's answers and feedback as JSON on stdout (the questions go to stderr)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum InterviewSub {
    /// Past answers, side by side, so you can see them improve
    History(HistoryArgs),
    /// Per category: prompts, how many practised, mean rating, last practised, due now
    Categories(JsonArg),
    /// The prompt bank with ids
    Prompts(PromptsArgs),
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only answers to this prompt (id or key)
    #[arg(long, value_name = "ID")]
    pub prompt: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PromptsArgs {
    /// Only prompts from this category
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only this deck
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// How many days of history the charts cover
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// Print every figure as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
    /// Go back to the default parameters
    #[arg(long)]
    pub reset: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// List the backups instead of making one
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file (see `alt-prep backup --list`)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only this deck (required for toml/json when there are several decks)
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// The format
    #[arg(long, value_enum, default_value_t = ExportFormat::Toml)]
    pub format: ExportFormat,
    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Toml,
    Json,
    Csv,
    /// Anki's plain-text notes format, with headers (File > Import in Anki)
    Anki,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The deck (created if it does not exist)
    #[arg(long, value_name = "NAME")]
    pub deck: String,
    /// The question side
    #[arg(long)]
    pub front: String,
    /// The answer side
    #[arg(long)]
    pub back: String,
    /// A tag (repeatable)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The card's numeric id or key
    #[arg(value_name = "ID")]
    pub id: String,
    /// New question side
    #[arg(long)]
    pub front: Option<String>,
    /// New answer side
    #[arg(long)]
    pub back: Option<String>,
    /// Replace the tags (repeatable)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Numeric ids or keys
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Give a deck a new name (its id and cards stay)
    Rename {
        /// The current name
        old: String,
        /// The new name
        new: String,
    },
    /// Delete a deck with its cards and their review history
    Delete {
        /// The deck's name
        name: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Bring back a built-in deck you deleted (fresh, without its old history)
    Restore {
        /// The built-in deck's name or id
        name: String,
    },
}
