//! The sandbox's processes: the account they run as, the server binaries,
//! and stopping (or restarting) what `up` started, by its own pid files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use tracing::debug;

use super::{State, load_state};
use neonops_core::error::usage;

/// The unprivileged account the servers run as.
pub(super) struct RunAs {
    pub(super) name: String,
    pub(super) uid: nix::unistd::Uid,
    pub(super) gid: nix::unistd::Gid,
    /// true when we are root and must switch to `uid`.
    pub(super) switch: bool,
}

pub(super) fn run_as() -> Result<RunAs> {
    let me = nix::unistd::getuid();
    if !me.is_root() {
        let name = nix::unistd::User::from_uid(me)?
            .map(|u| u.name)
            .unwrap_or_default();
        return Ok(RunAs {
            name,
            uid: me,
            gid: nix::unistd::getgid(),
            switch: false,
        });
    }
    for name in ["postgres", "nobody"] {
        if let Some(u) = nix::unistd::User::from_name(name)? {
            return Ok(RunAs {
                name: u.name,
                uid: u.uid,
                gid: u.gid,
                switch: true,
            });
        }
    }
    bail!(
        "running as root, and neither a postgres nor a nobody account exists to run the servers as (initdb refuses root): create one with `useradd --system postgres`"
    )
}

impl RunAs {
    pub(super) fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        if self.switch {
            use std::os::unix::process::CommandExt;
            c.uid(self.uid.as_raw()).gid(self.gid.as_raw());
        }
        c.env_remove("PGPASSWORD").env_remove("PGPASSFILE");
        c
    }

    pub(super) fn own(&self, path: &Path) -> Result<()> {
        if self.switch {
            nix::unistd::chown(path, Some(self.uid), Some(self.gid))
                .with_context(|| format!("chown {}", path.display()))?;
        }
        Ok(())
    }
}

pub(super) struct Binaries {
    pub(super) initdb: PathBuf,
    pub(super) pg_ctl: PathBuf,
    pub(super) pgbouncer: PathBuf,
}

/// PostgreSQL 15's binaries: `NEONOPS_PG_BIN`, else Debian's place.
pub(super) fn pg_bin() -> PathBuf {
    std::env::var_os("NEONOPS_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"))
}

pub(super) fn find_binaries() -> Result<Binaries> {
    let pg_bin = pg_bin();
    let initdb = pg_bin.join("initdb");
    let pg_ctl = pg_bin.join("pg_ctl");
    if !initdb.is_file() || !pg_ctl.is_file() {
        bail!(usage(format!(
            "PostgreSQL 15 server binaries not found in {} (set NEONOPS_PG_BIN to their directory): install them with `apt-get install -y postgresql-15`",
            pg_bin.display()
        )));
    }
    let pgbouncer = [
        "/usr/sbin/pgbouncer",
        "/usr/bin/pgbouncer",
        "/usr/local/bin/pgbouncer",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .ok_or_else(|| usage("pgbouncer not found: install it with `apt-get install -y pgbouncer`"))?;
    Ok(Binaries {
        initdb,
        pg_ctl,
        pgbouncer,
    })
}

pub(super) fn check_output(mut c: Command, what: &str) -> Result<()> {
    debug!(?c, "running");
    let out = c.output().with_context(|| format!("starting {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
    Ok(())
}

/// The pid in a pid file, if that process is alive and is the program we
/// started (a stale pid file may name a pid the system has reused since).
pub(super) fn pid_alive(pidfile: &Path, program: &str) -> Option<i32> {
    let pid: i32 = fs::read_to_string(pidfile)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(argv0)
        .ends_with(program)
        .then_some(pid)
}

const POSTGRES_PID: &str = "pgdata/postmaster.pid";
const PGBOUNCER_PID: &str = "pgbouncer/pgbouncer.pid";
/// The control-plane stand-in's pid (`neonops sandbox serve-api`).
pub(super) const API_PID: &str = "api.pid";

pub fn is_running(state: &State) -> bool {
    pid_alive(&state.dir.join(POSTGRES_PID), "postgres").is_some()
        && pid_alive(&state.dir.join(PGBOUNCER_PID), "pgbouncer").is_some()
}

/// Stop what `up` started (by its own pid files) and remove the directory.
pub fn down(dir: &Path, keep: bool) -> Result<bool> {
    let Some(state) = load_state(dir)? else {
        // A half-made sandbox (no state yet) may still have a server running.
        if dir.join(POSTGRES_PID).exists() || dir.join(PGBOUNCER_PID).exists() {
            stop_processes(dir)?;
            if !keep {
                fs::remove_dir_all(dir)?;
            }
            return Ok(true);
        }
        return Ok(false);
    };
    stop_processes(&state.dir)?;
    if let Some(hosts) = &state.hosts_file {
        super::hosts::unregister(hosts, &state.dir)
            .with_context(|| format!("removing the sandbox's names from {}", hosts.display()))?;
    }
    if !keep {
        fs::remove_dir_all(&state.dir)
            .with_context(|| format!("removing {}", state.dir.display()))?;
    }
    Ok(true)
}

pub(super) fn stop_processes(dir: &Path) -> Result<()> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    for (pidfile, program, sig) in [
        (dir.join(API_PID), "neonops", Signal::SIGTERM),
        (dir.join(PGBOUNCER_PID), "pgbouncer", Signal::SIGTERM),
        // SIGINT: PostgreSQL's fast shutdown.
        (dir.join(POSTGRES_PID), "postgres", Signal::SIGINT),
    ] {
        if let Some(pid) = pid_alive(&pidfile, program) {
            let pid = Pid::from_raw(pid);
            kill(pid, sig).with_context(|| format!("stopping pid {pid}"))?;
            for _ in 0..300 {
                if kill(pid, None).is_err() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            if kill(pid, None).is_ok() {
                let _ = kill(pid, Signal::SIGKILL);
            }
        }
    }
    Ok(())
}

/// Restart PostgreSQL (fast: sessions are terminated; immediate: as a crash).
pub fn restart_postgres(state: &State, immediate: bool) -> Result<()> {
    let bins = find_binaries()?;
    let who = run_as()?;
    let mut c = who.command(&bins.pg_ctl);
    c.current_dir(&state.dir)
        .arg("-D")
        .arg(state.dir.join("pgdata"))
        .arg("-l")
        .arg(state.dir.join("postgres.log"))
        .args(["-w", "-t", "60", "-m"])
        .arg(if immediate { "immediate" } else { "fast" })
        .arg("restart");
    check_output(c, "pg_ctl restart")
        .with_context(|| format!("see {}", state.dir.join("postgres.log").display()))
}
