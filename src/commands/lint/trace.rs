//! `lint --trace`: where the trace runs. A scratch database in the local
//! sandbox (made and dropped as `diff`'s are, on Ctrl-C too), brought to
//! the version before the traced files, or the scratch
//! database of `--trace-url` (never a protected environment's, nor the
//! configured target's without `--trace-on-target`).

use anyhow::{Context as _, Result, bail};
use tokio_postgres::Client;

use crate::cli::LintArgs;
use crate::exit::usage;
use crate::lint::trace::{Trace, trace_files};
use crate::lint::{Analysis, LintFile};
use crate::schema::scratch::guarded;
use crate::settings::Settings;

/// `lint --trace`: a fresh database in the local sandbox (brought to the
/// version before the files), or the scratch database of `--trace-url`.
pub async fn run(
    settings: &Settings,
    args: &LintArgs,
    files: &[LintFile<'_>],
    analysis: &Analysis,
) -> Result<Trace> {
    if let Some(url) = &args.trace_url {
        let url = crate::endpoint::DatabaseUrl::parse(url).context("--trace-url")?;
        if let Ok(eps) = settings.endpoints() {
            let same = |u: &crate::endpoint::DatabaseUrl| {
                u.hosts().first().map(|h| h.name.clone())
                    == url.hosts().first().map(|h| h.name.clone())
                    && u.keyword("dbname") == url.keyword("dbname")
            };
            let is_target = eps
                .pooled
                .iter()
                .chain(eps.direct.iter())
                .any(|e| same(&e.value));
            if is_target && settings.protected {
                bail!(usage(
                    "--trace-url names the database of a protected environment: trace on a scratch database (a Neon branch) instead"
                ));
            }
            if is_target && !args.trace_on_target {
                bail!(usage(
                    "--trace-url names the configured database: tracing applies the migrations there; name a scratch database (a Neon branch), or pass --trace-on-target if this one is scratch"
                ));
            }
        }
        let spec = crate::endpoint::ConnectSpec::resolve(&url, &settings.pg_env)?;
        // Tracing reads its own session's locks: proven a session of its own.
        let (c, _) =
            crate::connect::proof::connect_proven(&spec, &settings.connect_options(&url)).await?;
        return trace_files(&c.client, files, analysis, &settings.lint(), url.redacted()).await;
    }
    let server =
        crate::commands::scratch::sandbox("--trace-url (a scratch database: a Neon branch, say)")?;
    let scratch = server.create(settings).await?;
    let work = async {
        let c = scratch.connect(settings).await?;
        bring_to_version(&c, settings, args, files).await?;
        trace_files(
            &c,
            files,
            analysis,
            &settings.lint(),
            format!(
                "the sandbox's scratch database {} (dropped afterwards)",
                scratch.name
            ),
        )
        .await
    };
    guarded(std::slice::from_ref(&scratch), work).await
}

/// Apply, on the trace database, the migrations before the traced ones.
async fn bring_to_version(
    c: &Client,
    settings: &Settings,
    args: &LintArgs,
    traced: &[LintFile<'_>],
) -> Result<()> {
    if !args.files.is_empty() {
        return Ok(());
    }
    let dir = args
        .dir
        .dir
        .clone()
        .unwrap_or_else(|| settings.config.migrations.dir.clone());
    let Ok(loaded) = crate::migrate::files::load(&dir) else {
        return Ok(());
    };
    let all = loaded.files;
    let first = traced
        .iter()
        .filter_map(|t| all.iter().find(|f| f.path.display().to_string() == t.name))
        .map(|f| f.version)
        .min();
    let Some(first) = first else { return Ok(()) };
    let before: Vec<&crate::migrate::MigrationFile> =
        all.iter().filter(|f| f.version < first).collect();
    crate::schema::replay::replay(c, &before)
        .await
        .context("bringing the trace database to the version before the traced files")?;
    Ok(())
}
