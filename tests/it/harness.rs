//! A small fluent harness: runs the real `neonops` binary, with a clean
//! environment, against the sandbox's real servers (started here if needed).

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use neonops::sandbox::State;
use serde::de::DeserializeOwned;

pub const BIN: &str = env!("CARGO_BIN_EXE_neonops");

/// A password no output may ever contain.
pub const SECRET: &str = "Zq9-sEcReT-pW";

pub fn sandbox_dir() -> PathBuf {
    std::env::var_os("NEONOPS_TEST_SANDBOX_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("neonops-test-{}", nix_uid())))
}

fn nix_uid() -> u32 {
    nix::unistd::getuid().as_raw()
}

/// The sandbox, started by the real binary if it is not running. Tests
/// never skip: if it cannot start, they fail with its error.
pub fn sandbox() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = sandbox_dir();
        // Other test processes may be starting it too.
        let lock = File::create(dir.with_extension("lock")).expect("lock file");
        lock.lock().expect("lock");
        let out = Command::new(BIN)
            .args(["sandbox", "up", "--dir"])
            .arg(&dir)
            .env("NEONOPS_NO_DOTENV", "1")
            .output()
            .expect("run neonops sandbox up");
        assert!(
            out.status.success(),
            "neonops sandbox up failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        neonops::sandbox::load_state(&dir)
            .expect("state")
            .expect("state written")
    })
}

pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// A database of its own for one test, dropped afterwards.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new(tag: &str) -> TestDb {
        let state = sandbox();
        let name = format!("t_{tag}");
        block_on(async {
            let admin = state.connect_admin("postgres").await.expect("admin");
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop");
            admin
                .batch_execute(&format!("CREATE DATABASE {name} OWNER {}", state.role))
                .await
                .expect("create");
        });
        TestDb { name }
    }

    pub fn direct_url(&self) -> String {
        let s = sandbox();
        s.url_with(&s.direct_host, &s.role, &self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let state = sandbox();
        let name = self.name.clone();
        block_on(async move {
            if let Ok(admin) = state.connect_admin("postgres").await {
                let _ = admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        });
    }
}

/// One run of the binary, built fluently.
pub struct Neonops {
    cmd: Command,
    shown: Vec<String>,
    _home: tempfile::TempDir,
}

impl Neonops {
    pub fn new() -> Neonops {
        let home = tempfile::tempdir().expect("tempdir");
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("NEONOPS_NO_DOTENV", "1")
            .current_dir(home.path());
        Neonops {
            cmd,
            shown: Vec::new(),
            _home: home,
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self.shown.push(a.as_ref().to_string_lossy().into_owned());
            self.cmd.arg(a);
        }
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn cwd(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// The sandbox's name pins and password file.
    pub fn sandbox(self) -> Self {
        let s = sandbox();
        self.env("NEONOPS_RESOLVE", s.resolve())
            .env("PGPASSFILE", &s.passfile)
    }

    pub fn run(mut self) -> Run {
        let out = self.cmd.output().expect("run neonops");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            shown: self.shown.join(" "),
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    shown: String,
}

impl Run {
    fn context(&self) -> String {
        format!(
            "neonops {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.shown, self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub fn code(&self, want: i32) -> &Self {
        assert_eq!(self.code, want, "{}", self.context());
        assert!(!self.stderr.contains("panicked"), "{}", self.context());
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, s: &str) -> &Self {
        assert!(
            self.stdout.contains(s),
            "stdout lacks {s:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, s: &str) -> &Self {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, s: &str) -> &Self {
        assert!(
            !self.stdout.contains(s) && !self.stderr.contains(s),
            "output contains {s:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not the expected JSON: {e}\n{}", self.context()))
    }

    pub fn stdout_trimmed(&self) -> &str {
        self.stdout.trim_end()
    }
}
