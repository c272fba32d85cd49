//! `alt-prep completions SHELL`.

use crate::cli::{Cli, CompletionsArgs};
use crate::ctx::Ctx;
use anyhow::Result;
use clap::CommandFactory;
use std::process::ExitCode;

pub fn run(args: CompletionsArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    clap_complete::generate(args.shell, &mut Cli::command(), "alt-prep", &mut ctx.out);
    Ok(ExitCode::SUCCESS)
}
