//! A shim: parse, build the context, run, map the error to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = alt_prep::cli::Cli::parse();
    match alt_prep::run(cli) {
        Ok(code) => code,
        Err(err) if alt_prep::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Messages quote file names and deck text: escaped, like everything printed.
            eprintln!(
                "alt-prep: {}",
                alt_prep::text::safe(&alt_prep::error_chain(&err))
            );
            ExitCode::FAILURE
        }
    }
}
