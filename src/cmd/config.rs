//! `alt-prep config [KEY [VALUE]]`.

use crate::cli::ConfigArgs;
use crate::ctx::Ctx;
use crate::settings::{KEYS, Settings};
use anyhow::{Result, anyhow};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ConfigArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let db = ctx.open_db()?;
    let mut settings = ctx.settings(&db)?;
    match (args.key, args.value) {
        (None, _) => {
            for (key, help) in KEYS {
                let value = settings.get(key).unwrap_or_default();
                writeln!(ctx.out, "{key} = {value}    # {help}")?;
            }
        }
        (Some(key), None) if args.reset => {
            settings.get(&key).ok_or_else(|| unknown(&key))?;
            db.delete_setting(&key)?;
            let value = Settings::default().get(&key).unwrap_or_default();
            writeln!(ctx.out, "{key} = {value}")?;
        }
        (Some(key), None) => {
            let value = settings.get(&key).ok_or_else(|| unknown(&key))?;
            writeln!(ctx.out, "{value}")?;
        }
        (Some(key), Some(value)) => {
            settings
                .set(&key, &value)
                .map_err(|e| anyhow!("could not set {key}: {e}"))?;
            let stored = settings.get(&key).unwrap_or_default();
            db.set_setting(&key, &stored)?;
            writeln!(ctx.out, "{key} = {stored}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn unknown(key: &str) -> anyhow::Error {
    let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    anyhow!(
        "unknown setting `{key}`; the settings are: {}",
        names.join(", ")
    )
}
