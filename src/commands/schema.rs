//! `diff` and `drift`: schemas read from the catalogs and compared. A
//! `migrations` source, and drift's expected schema, are built by replaying
//! the files on a scratch database that is dropped afterwards, also on an
//! error, SIGINT or SIGTERM.

use anyhow::{Context as _, Result};
use tokio_postgres::Client;

use super::migrate::{PROBLEMS, connect_direct, direct_endpoint, every_problem, load};
use crate::cli::{DiffArgs, DriftArgs, GlobalArgs, MigrationsDir, SchemaSource, ScratchArgs};
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, usage};
use crate::migrate::history::{self, Table};
use crate::migrate::{MigrationFile, State};
use crate::schema::compare::{self, Timeouts};
use crate::schema::scratch::{Scratch, guarded};
use crate::schema::{self, Schema};
use crate::settings::Settings;

mod report;
mod review;
mod write;

/// neonops' own tables, never part of a schema.
fn own_tables(settings: &Settings) -> Result<Vec<String>> {
    let t = Table::new(&settings.config.migrations.table).map_err(usage)?;
    Ok(history::own_tables(&t))
}

/// The runner's timeouts, for the script's session.
fn timeouts(settings: &Settings) -> Timeouts {
    let m = &settings.config.migrations;
    Timeouts {
        lock: m.lock_timeout.unwrap_or(history::DEFAULT_LOCK_TIMEOUT),
        statement: m
            .statement_timeout
            .unwrap_or(history::DEFAULT_STATEMENT_TIMEOUT),
    }
}

/// Make `n` scratch databases (none needs no server).
async fn scratches(settings: &Settings, args: &ScratchArgs, n: usize) -> Result<Vec<Scratch>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let server = super::scratch::choose(settings, args.scratch_url.as_deref())?;
    let mut out = Vec::new();
    for _ in 0..n {
        match server.create(settings).await {
            Ok(s) => out.push(s),
            Err(e) => {
                for s in &out {
                    let _ = s.drop_now().await;
                }
                return Err(e);
            }
        }
    }
    Ok(out)
}

/// The migration files, refused when any is misnamed or duplicated.
fn files(settings: &Settings, dir: &MigrationsDir) -> Result<Vec<MigrationFile>> {
    let loaded = load(settings, dir)?;
    let problems = loaded.all_problems();
    if !problems.is_empty() {
        return Err(crate::exit::problems("the migrations", problems));
    }
    Ok(loaded.files)
}

/// Replay `files` on `scratch` and read what they built.
async fn built(
    settings: &Settings,
    scratch: &Scratch,
    files: &[&MigrationFile],
    own: &[String],
) -> Result<Schema> {
    scratch.build(settings, files, own).await.map_err(|e| {
        // Exit 2, the replay's error (and the server's SQLSTATE) kept below.
        match e.downcast::<schema::replay::ReplayError>() {
            Ok(r) => schema::replay::NotReplayable(r).into(),
            Err(e) => e,
        }
    })
}

/// A URL source: its direct endpoint when it is a pooled one neonops knows.
async fn connect_url(settings: &Settings, raw: &str, flag: &str) -> Result<(Client, String)> {
    let url = DatabaseUrl::parse(raw).with_context(|| flag.to_string())?;
    let url = match url.to_direct(settings.poolers()) {
        Ok(d) if url.kind(settings.poolers()).is_pooled() => d,
        _ => url,
    };
    let spec = ConnectSpec::resolve(&url, &settings.pg_env)?;
    let c = crate::connect::connect(&spec, &settings.connect_options(&url))
        .await
        .with_context(|| format!("connecting to {flag}"))?;
    Ok((c.client, url.redacted()))
}

/// One side of a diff, read: the schema, what it is, and the session
/// (for a live database: the plan's review asks it for table sizes).
async fn source(
    settings: &Settings,
    src: &SchemaSource,
    flag: &str,
    all: &[MigrationFile],
    scratch: Option<&Scratch>,
    own: &[String],
) -> Result<(Schema, String, Option<Client>)> {
    match src {
        SchemaSource::Live => {
            let direct = direct_endpoint(settings)?;
            let c = connect_direct(settings, &direct).await?;
            let shown = direct.value.redacted();
            Ok((
                schema::read_described(&c, own, &shown).await?,
                shown,
                Some(c),
            ))
        }
        SchemaSource::Url(raw) => {
            let (c, shown) = connect_url(settings, raw, flag).await?;
            Ok((
                schema::read_described(&c, own, &shown).await?,
                shown,
                Some(c),
            ))
        }
        SchemaSource::Migrations(upto) => {
            if let Some(v) = upto {
                crate::migrate::files::check_version(all, *v, &format!("{flag} migrations@{v}"))
                    .map_err(usage)?;
            }
            let files: Vec<&MigrationFile> = all
                .iter()
                .filter(|f| upto.is_none_or(|v| f.version <= v))
                .collect();
            let scratch = scratch.expect("a scratch database for each migrations source");
            let n = match files.len() {
                1 => "1 file".to_string(),
                n => format!("{n} files"),
            };
            let shown = match upto {
                Some(v) => format!("the migrations up to V{v} ({n})"),
                None => format!("the migrations ({n})"),
            };
            Ok((built(settings, scratch, &files, own).await?, shown, None))
        }
    }
}

/// `neonops diff --from SRC --to SRC`.
pub async fn diff(g: &GlobalArgs, args: DiffArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let own = own_tables(&settings)?;
    let sides = [&args.from, &args.to];
    let replays = sides
        .iter()
        .filter(|s| matches!(s, SchemaSource::Migrations(_)))
        .count();
    let all = if replays > 0 || args.write.is_some() {
        files(&settings, &args.dir)?
    } else {
        Vec::new()
    };
    let scratches = scratches(&settings, &args.scratch, replays).await?;
    let mut next = scratches.iter();
    let from_scratch = matches!(args.from, SchemaSource::Migrations(_))
        .then(|| next.next())
        .flatten();
    let to_scratch = matches!(args.to, SchemaSource::Migrations(_))
        .then(|| next.next())
        .flatten();
    // Both sides at once: each read is one round trip, on its own session.
    let work = async {
        tokio::try_join!(
            source(&settings, &args.from, "--from", &all, from_scratch, &own),
            source(&settings, &args.to, "--to", &all, to_scratch, &own),
        )
    };
    let ((from, from_shown, client), (to, to_shown, _)) = guarded(&scratches, work).await?;
    let mut diffs = compare::compare(&from, &to);
    let notes = review::review(&settings, client.as_ref(), &mut diffs).await;
    let planned = compare::plan(&diffs);
    compare::check_parses(&planned)?;
    let written = match &args.write {
        Some(name) => write::files(
            &settings,
            &args.dir,
            &all,
            name,
            &diffs,
            args.allow_data_loss,
        )?,
        None => Vec::new(),
    };
    let r = report::DiffReport {
        ok: true,
        from: from_shown,
        to: to_shown,
        // A kind neonops does not model, counted differently: not equal.
        equal: diffs.is_empty() && report::unmodelled_drift(&from, &to).is_empty(),
        differences: &diffs,
        statements: &planned,
        objects: report::Counts::of(&from, &to),
        not_compared: report::not_compared(&from, &to),
        written: &written,
        notes,
    };
    let script = compare::script(&diffs, Some(timeouts(&settings)));
    settings
        .printer
        .report(&r, || report::diff_text(&r, &script));
    Ok(if args.exit_code && !r.equal {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// `neonops drift`: the live schema against what its applied migrations
/// build on a scratch database.
pub async fn drift(g: &GlobalArgs, args: DriftArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let own = own_tables(&settings)?;
    let loaded = load(&settings, &args.dir)?;
    let direct = direct_endpoint(&settings)?;
    let table = Table::new(&settings.config.migrations.table).map_err(usage)?;
    let client = connect_direct(&settings, &direct).await?;
    // The history must agree with the files: drift is about the schema.
    let (out, problems) = every_problem(&client, &loaded, table).await?;
    if !problems.is_empty() {
        return Err(crate::exit::problems(PROBLEMS, problems));
    }
    let applied: Vec<&MigrationFile> = out
        .comparison
        .entries
        .iter()
        .filter(|e| e.state == State::Applied)
        .filter_map(|e| loaded.files.iter().find(|f| f.version == e.version))
        .collect();
    let shown = direct.value.redacted();
    let live = schema::read_described(&client, &own, &shown).await?;
    let scratches = scratches(&settings, &args.scratch, 1).await?;
    let expected = guarded(&scratches, built(&settings, &scratches[0], &applied, &own)).await?;
    let diffs = compare::compare(&expected, &live);
    compare::check_parses(&compare::plan(&diffs))?;
    let unmodelled = report::unmodelled_drift(&expected, &live);
    let r = report::DriftReport {
        ok: diffs.is_empty() && unmodelled.is_empty(),
        database: shown,
        applied: applied.len(),
        differences: diffs.iter().map(report::Drifted::from).collect(),
        not_compared: report::not_compared(&expected, &live),
        unmodelled,
        objects: live
            .counts()
            .into_iter()
            .map(|(k, n)| (k.label(), n))
            .collect(),
    };
    let script = compare::script(&diffs, None);
    settings
        .printer
        .report(&r, || report::drift_text(&r, &script));
    Ok(if r.ok { Exit::Success } else { Exit::Failure })
}
