//! A small fluent harness: runs the real `neonops` binary, with a clean
//! environment, against the sandbox's real servers (started here if needed).

use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The longest a single run of neonops may take in a test.
const RUN_LIMIT: Duration = Duration::from_secs(180);

use neonops::sandbox::State;
use serde::de::DeserializeOwned;

/// The binary cargo built for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_neonops");

/// The binary under test: `BIN`, or `NEONOPS_TEST_BIN` (another build, e.g.
/// an earlier commit's, to see a new test fail on the code it guards).
pub fn bin() -> &'static str {
    static B: OnceLock<String> = OnceLock::new();
    B.get_or_init(|| std::env::var("NEONOPS_TEST_BIN").unwrap_or_else(|_| BIN.to_string()))
}

/// The whole reliability campaign (`scripts/reliability`), not CI's share of it.
pub fn campaign_full() -> bool {
    std::env::var("NEONOPS_CAMPAIGN").is_ok_and(|v| v == "full")
}

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
        let out = Command::new(bin())
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

/// A CA the sandbox's certificates do not chain to: (its directory, its PEM file).
pub fn other_ca() -> (tempfile::TempDir, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = p.self_signed(&key).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other-ca.crt");
    std::fs::write(&path, cert.pem()).unwrap();
    (dir, path.display().to_string())
}

/// A connection through neonops' own connection layer, with the sandbox's
/// pins and password file.
pub async fn connect_lib(url: &str) -> neonops::connect::Connected {
    let s = sandbox();
    let url = neonops::endpoint::DatabaseUrl::parse(url).unwrap();
    let env =
        neonops::endpoint::PgEnv::empty().with_var("PGPASSFILE", &s.passfile.display().to_string());
    let spec = neonops::endpoint::ConnectSpec::resolve(&url, &env).unwrap();
    let opts = neonops::connect::ConnectOptions {
        resolve: s.resolve_rules(),
        ..Default::default()
    };
    neonops::connect::connect(&spec, &opts).await.unwrap()
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

    pub fn pooled_url(&self) -> String {
        let s = sandbox();
        s.url_with(&s.pooled_host, &s.role, &self.name)
    }

    /// Rows of a query (as text), run as the application role in this
    /// database (on a thread of its own, so tests inside a runtime can call it).
    pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let state = sandbox();
        let url = state.url_with(&state.direct_host, &state.role, &self.name);
        let sql = sql.to_string();
        std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    block_on(async {
                        let c = state.connect(&url).await.expect("connect");
                        c.simple_query(&sql)
                            .await
                            .unwrap_or_else(|e| {
                                panic!(
                                    "{sql}: {e}: {}",
                                    e.as_db_error().map(|d| d.message()).unwrap_or_default()
                                )
                            })
                            .into_iter()
                            .filter_map(|m| match m {
                                tokio_postgres::SimpleQueryMessage::Row(r) => Some(
                                    (0..r.len()).map(|i| r.get(i).map(str::to_string)).collect(),
                                ),
                                _ => None,
                            })
                            .collect()
                    })
                })
                .join()
                .expect("query thread")
        })
    }

    /// The first column of a query.
    pub fn column(&self, sql: &str) -> Vec<String> {
        self.query(sql)
            .into_iter()
            .map(|r| r[0].clone().unwrap_or_default())
            .collect()
    }

    pub fn exec(&self, sql: &str) {
        self.query(sql);
    }

    /// Run a script as users do: `psql -X -v ON_ERROR_STOP=1 -f`, as the
    /// application role; panics with psql's output when it fails.
    pub fn psql_script(&self, script: &str) {
        if let Err(e) = psql(&self.direct_url(), script) {
            panic!("psql -f failed: {e}\n--- script:\n{script}");
        }
    }

    pub fn history(&self) -> Vec<String> {
        if self.column("SELECT to_regclass('refinery_schema_history')::text")[0].is_empty() {
            return Vec::new();
        }
        self.column("SELECT version::text FROM refinery_schema_history ORDER BY version")
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
        let mut cmd = Command::new(bin());
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

    pub fn arg_path(self, p: &Path) -> Self {
        self.args([p])
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

    /// The sandbox, with DATABASE_URL pointing at this database's pooled endpoint.
    pub fn db(self, db: &TestDb) -> Self {
        self.sandbox().env("DATABASE_URL", db.pooled_url())
    }

    pub fn spawn(mut self) -> std::process::Child {
        self.cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn neonops")
    }

    /// Run on a pseudo-terminal (util-linux `script`): stdout and stderr
    /// are both the terminal, so they come back together in `stdout`.
    pub fn run_on_terminal(self) -> Run {
        let quote = |a: &OsStr| format!("'{}'", a.to_string_lossy().replace('\'', "'\\''"));
        let line = std::iter::once(self.cmd.get_program())
            .chain(self.cmd.get_args())
            .map(quote)
            .collect::<Vec<_>>()
            .join(" ");
        let mut c = Command::new("script");
        c.args(["-qefc", &line, "/dev/null"])
            .env_clear()
            .env("TERM", "xterm")
            .stdin(std::process::Stdio::null());
        for (k, v) in self.cmd.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        if let Some(d) = self.cmd.get_current_dir() {
            c.current_dir(d);
        }
        let out = c.output().expect("run script(1)");
        Run::from_output(out, &format!("(on a terminal) {}", self.shown.join(" ")))
    }

    /// Run it to the end, or kill it after `RUN_LIMIT`: a run that hangs
    /// fails its test with what it printed instead of holding up the suite.
    pub fn run(mut self) -> Run {
        use std::process::Stdio;
        self.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = spawn(&mut self.cmd);
        fn drain(mut p: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                let _ = p.read_to_end(&mut v);
                v
            })
        }
        let stdout = drain(child.stdout.take().expect("piped"));
        let stderr = drain(child.stderr.take().expect("piped"));
        let pid = child.id() as libc::pid_t;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(child.wait()));
        let (status, killed) = match rx.recv_timeout(RUN_LIMIT) {
            Ok(s) => (s, false),
            Err(_) => {
                // SAFETY: kill(2) on the child's pid, which is not reaped yet.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                (rx.recv().expect("waited"), true)
            }
        };
        let mut stderr = String::from_utf8_lossy(&stderr.join().expect("read")).into_owned();
        if killed {
            stderr.push_str(&format!("\n[test harness] killed after {RUN_LIMIT:?}\n"));
        }
        Run {
            code: status.expect("wait").code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout.join().expect("read")).into_owned(),
            stderr,
            shown: self.shown.join(" "),
        }
    }
}

/// Spawn, again on "text file busy": tests write executable scripts, and a
/// process forked by another test while one is open for writing holds it
/// until its exec (Linux' fork/exec race), failing an exec of it meanwhile.
pub fn spawn(cmd: &mut Command) -> std::process::Child {
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            r => return r.unwrap_or_else(|e| panic!("run {:?}: {e}", cmd.get_program())),
        }
    }
}

/// A directory of migration files.
pub struct Migrations {
    pub dir: tempfile::TempDir,
}

impl Migrations {
    pub fn new(files: &[(&str, &str)]) -> Migrations {
        let m = Migrations {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        for (name, sql) in files {
            m.write(name, sql);
        }
        m
    }

    pub fn write(&self, name: &str, sql: &str) {
        std::fs::write(self.dir.path().join(name), sql).expect("write migration");
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.dir.path().join(name)).expect("remove migration");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn arg(&self) -> String {
        self.dir.path().display().to_string()
    }
}

impl Run {
    pub fn from_output(out: std::process::Output, shown: &str) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            shown: shown.to_string(),
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

/// Copy bytes both ways between two streams until either side closes.
pub fn pipe<A, B>(a: A, b: B)
where
    A: Read + Write + TryCloneStream + Send + 'static,
    B: Read + Write + TryCloneStream + Send + 'static,
{
    let (mut a2, mut b2) = (a.clone_stream(), b.clone_stream());
    let (mut a, mut b) = (a, b);
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = a.read(&mut buf) {
            if n == 0 || b.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        b.close_write();
    });
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = b2.read(&mut buf) {
            if n == 0 || a2.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        a2.close_write();
    });
}

/// TCP and Unix streams alike, for `pipe`.
pub trait TryCloneStream: Sized {
    fn clone_stream(&self) -> Self;
    fn close_write(&self);
}

impl TryCloneStream for std::net::TcpStream {
    fn clone_stream(&self) -> Self {
        self.try_clone().expect("clone a TCP stream")
    }
    fn close_write(&self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

impl TryCloneStream for std::os::unix::net::UnixStream {
    fn clone_stream(&self) -> Self {
        self.try_clone().expect("clone a Unix stream")
    }
    fn close_write(&self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

/// A loopback TCP port that leads to a Unix socket (a local server reached
/// over TCP without TLS, as a CI service container is).
pub fn tcp_to_socket(socket: PathBuf) -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for client in l.incoming().flatten() {
            if let Ok(server) = std::os::unix::net::UnixStream::connect(&socket) {
                pipe(client, server);
            }
        }
    });
    port
}

/// A TCP proxy on loopback that can cut every connection through it at once
/// (both sides closed), as a network fault or a failover would.
pub struct FaultProxy {
    pub port: u16,
    conns: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl FaultProxy {
    pub fn start(upstream: std::net::SocketAddr) -> FaultProxy {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("address").port();
        let conns: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>> =
            std::sync::Arc::default();
        let kept = conns.clone();
        std::thread::spawn(move || {
            for client in l.incoming().flatten() {
                let Ok(server) = std::net::TcpStream::connect(upstream) else {
                    continue;
                };
                {
                    let mut k = kept.lock().expect("not poisoned");
                    k.push(client.try_clone().expect("clone"));
                    k.push(server.try_clone().expect("clone"));
                }
                pipe(client, server);
            }
        });
        FaultProxy { port, conns }
    }

    /// Cut every connection made so far; returns how many were open.
    pub fn cut(&self) -> usize {
        let mut k = self.conns.lock().expect("not poisoned");
        let n = k.len() / 2;
        for s in k.drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
        n
    }
}

/// Append one line of campaign figures to $NEONOPS_CAMPAIGN_REPORT (for
/// `scripts/reliability`), and say it on stderr.
pub fn campaign_report(name: &str, figures: serde_json::Value) {
    eprintln!("campaign {name}: {figures}");
    if let Some(path) = std::env::var_os("NEONOPS_CAMPAIGN_REPORT") {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("campaign report file");
        writeln!(
            f,
            "{}",
            serde_json::json!({ "name": name, "figures": figures })
        )
        .expect("write the campaign report");
    }
}

/// `short` in CI, `full` for the reliability campaign.
pub fn scale(short: usize, full: usize) -> usize {
    if campaign_full() { full } else { short }
}

/// A sandbox of a test's own, brought down however the test ends (a failed
/// assertion included: it would otherwise leave PostgreSQL and PgBouncer
/// running).
pub struct SandboxDown(pub PathBuf);

impl Drop for SandboxDown {
    fn drop(&mut self) {
        let _ = Command::new(bin())
            .args(["sandbox", "down", "--dir"])
            .arg(&self.0)
            .output();
    }
}

/// bench/latency_proxy.py on a free loopback port in front of the sandbox's
/// direct endpoint, adding `rtt_ms` per round trip; accepting when `start`
/// returns (it waits for the proxy's "listening" line, not for a guess of
/// how long Python takes to start). Killed when dropped.
pub struct LatencyProxy {
    pub port: u16,
    child: std::process::Child,
}

impl LatencyProxy {
    pub fn start(rtt_ms: u32, stats: &Path) -> LatencyProxy {
        Self::start_on(free_port(), rtt_ms, stats)
    }

    pub fn start_on(port: u16, rtt_ms: u32, stats: &Path) -> LatencyProxy {
        use std::io::BufRead;
        let mut child = Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/bench/latency_proxy.py"
            ))
            .args([
                port.to_string(),
                "127.0.0.3".into(),
                sandbox().port.to_string(),
                rtt_ms.to_string(),
            ])
            .arg(stats)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs bench/latency_proxy.py");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the proxy's first line");
        assert_eq!(line.trim(), "listening", "the latency proxy did not start");
        LatencyProxy { port, child }
    }
}

impl Drop for LatencyProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// `psql -X -q -v ON_ERROR_STOP=1 -f` with the script, on `url` (with the
/// sandbox's password file); psql's stderr when it fails.
pub fn psql(url: &str, script: &str) -> Result<(), String> {
    let psql = format!(
        "{}/psql",
        std::env::var("NEONOPS_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into())
    );
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), script).expect("write the script");
    let out = Command::new(&psql)
        .arg(url)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(file.path())
        .env("PGPASSFILE", &sandbox().passfile)
        .output()
        .expect("psql");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
