//! `playbook schema NAME`: the JSON Schema of `playbook.yaml`, a checklist
//! file, `roles.yaml`, `release-notes.yaml` or a release run file, from the
//! serde types that read them.

use std::io::Write;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::Args;

use super::Error;

#[derive(Args)]
pub struct SchemaArgs {
    /// Which file's schema.
    #[arg(value_parser = PossibleValuesParser::new(playbook::schema::NAMES))]
    name: String,
}

pub fn run(args: &SchemaArgs) -> Result<ExitCode, Error> {
    let schema = playbook::schema::schema(&args.name).ok_or_else(|| {
        Error::Usage(format!(
            "no schema called `{}`; the schemas are {}",
            args.name,
            playbook::schema::NAMES.join(", ")
        ))
    })?;
    std::io::stdout()
        .write_all(schema.as_bytes())
        .map_err(|err| Error::Io(anyhow::Error::new(err).context("cannot write the schema")))?;
    Ok(ExitCode::SUCCESS)
}
