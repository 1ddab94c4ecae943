//! Completions and the man page, generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    crate::output::raw(|out| {
        clap_complete::generate(shell, &mut cmd, "neonops", out);
        Ok(())
    })
}

pub fn man() -> std::io::Result<()> {
    crate::output::raw(|out| clap_mangen::Man::new(Cli::command()).render(out))
}
