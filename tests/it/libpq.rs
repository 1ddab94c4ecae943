//! libpq itself, as the reference for connection strings: loaded from the
//! machine (libpq5, the library psql uses) at run time.
//!
//! Two verdicts: `parse` is `PQconninfoParse` (syntax, and the fields a
//! string sets); `validate` is what libpq checks when it connects, before
//! any network traffic that matters: every host is replaced by 127.0.0.1
//! (or left empty, a Unix socket) and every valid port by a closed one, so
//! only loopback is ever a target, and a connection that gets as far as a
//! refused socket means libpq accepted the values.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::OnceLock;

#[repr(C)]
struct ConninfoOption {
    keyword: *const c_char,
    envvar: *const c_char,
    compiled: *const c_char,
    val: *const c_char,
    label: *const c_char,
    dispchar: *const c_char,
    dispsize: c_int,
}

type Parse = unsafe extern "C" fn(*const c_char, *mut *mut c_char) -> *mut ConninfoOption;
type Free = unsafe extern "C" fn(*mut ConninfoOption);
type FreeMem = unsafe extern "C" fn(*mut c_void);
type Version = unsafe extern "C" fn() -> c_int;
type Connect = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type Status = unsafe extern "C" fn(*const c_void) -> c_int;
type ErrorMessage = unsafe extern "C" fn(*const c_void) -> *const c_char;
type Finish = unsafe extern "C" fn(*mut c_void);

pub struct Libpq {
    _lib: libloading::Library,
    parse: Parse,
    free: Free,
    freemem: FreeMem,
    pub version: i32,
    connect: Connect,
    status: Status,
    error: ErrorMessage,
    finish: Finish,
}

/// The fields a string sets, by libpq keyword.
pub type Fields = BTreeMap<String, String>;

pub fn libpq() -> &'static Libpq {
    static LIB: OnceLock<Libpq> = OnceLock::new();
    LIB.get_or_init(|| {
        // SAFETY: loading libpq runs its (trivial) initialisers; every symbol
        // below is read with the signature libpq-fe.h declares.
        unsafe {
            let lib = libloading::Library::new("libpq.so.5").expect(
                "libpq.so.5 (Debian's libpq5, which psql uses): scripts/install-deps installs it",
            );
            let parse = *lib.get::<Parse>(b"PQconninfoParse\0").unwrap();
            let free = *lib.get::<Free>(b"PQconninfoFree\0").unwrap();
            let freemem = *lib.get::<FreeMem>(b"PQfreemem\0").unwrap();
            let version = (*lib.get::<Version>(b"PQlibVersion\0").unwrap())();
            let connect = *lib.get::<Connect>(b"PQconnectdb\0").unwrap();
            let status = *lib.get::<Status>(b"PQstatus\0").unwrap();
            let error = *lib.get::<ErrorMessage>(b"PQerrorMessage\0").unwrap();
            let finish = *lib.get::<Finish>(b"PQfinish\0").unwrap();
            Libpq {
                _lib: lib,
                parse,
                free,
                freemem,
                version,
                connect,
                status,
                error,
                finish,
            }
        }
    })
}

fn text(p: *const c_char) -> String {
    // SAFETY: libpq returns NUL-terminated strings (or null, checked by callers).
    String::from_utf8_lossy(unsafe { CStr::from_ptr(p) }.to_bytes()).into_owned()
}

impl Libpq {
    /// `PQconninfoParse`: the fields set, or libpq's error.
    pub fn parse(&self, s: &str) -> Result<Fields, String> {
        let Ok(c) = CString::new(s) else {
            return Err("a NUL byte".into());
        };
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: a valid C string in, an option array (freed below) or an
        // error message (freed below) out.
        unsafe {
            let opts = (self.parse)(c.as_ptr(), &mut err);
            if opts.is_null() {
                let m = if err.is_null() {
                    "(no message)".to_string()
                } else {
                    let m = text(err);
                    (self.freemem)(err.cast());
                    m
                };
                return Err(m.trim().to_string());
            }
            let mut out = Fields::new();
            let mut o = opts;
            while !(*o).keyword.is_null() {
                if !(*o).val.is_null() {
                    out.insert(text((*o).keyword), text((*o).val));
                }
                o = o.add(1);
            }
            (self.free)(opts);
            Ok(out)
        }
    }

    /// What libpq checks when it connects: `Ok` when it got as far as
    /// trying a (loopback, closed) address with every value it would use.
    pub fn validate(&self, fields: &Fields) -> Result<(), String> {
        // Integers are read only when used (keepalives on TCP, connect_timeout
        // once a server answers): check each as libpq reads keepalives_idle.
        for key in [
            "connect_timeout",
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
        ] {
            if let Some(v) = fields.get(key) {
                let probe: Fields = [
                    ("host", "127.0.0.1"),
                    ("port", "1"),
                    ("keepalives_idle", v.as_str()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
                // Only the reading of the number: the kernel may refuse the
                // value itself (a keepalive time of 0), which is not parsing.
                if let Err(e) = self.connect_verdict(&probe)
                    && e.contains("invalid integer value")
                {
                    return Err(format!("{key}: {e}"));
                }
            }
        }
        let mut f = fields.clone();
        // Only loopback: every host becomes 127.0.0.1 (an empty one stays a
        // Unix socket), every hostaddr too; a valid port becomes 1 (closed).
        let hosts = |v: &str| {
            v.split(',')
                .map(|h| if h.is_empty() { "" } else { "127.0.0.1" })
                .collect::<Vec<_>>()
                .join(",")
        };
        if let Some(h) = f.get_mut("host") {
            *h = hosts(h);
        }
        if let Some(h) = f.get_mut("hostaddr") {
            *h = numeric_to_loopback(h);
        }
        // Every port that could be used becomes 1 (closed), the default too.
        let port = f.get("port").cloned().unwrap_or_default();
        let port = port
            .split(',')
            .map(|x| match x.trim().parse::<u32>() {
                Ok(n) if (1..=65535).contains(&n) => "1".to_string(),
                _ if x.is_empty() => "1".to_string(),
                _ => x.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",");
        f.insert("port".into(), port);
        // Never a password file of the machine's. Integers were checked
        // above (their values may be refused by the kernel, not by libpq).
        f.insert("passfile".into(), "/nonexistent/neonops-test-pgpass".into());
        for key in [
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
        ] {
            f.remove(key);
        }
        f.insert("connect_timeout".into(), "5".into());
        self.connect_verdict(&f)
    }

    fn connect_verdict(&self, f: &Fields) -> Result<(), String> {
        // A key=value string (not the keyword arrays, which drop empty values).
        let conninfo: String = f
            .iter()
            .map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
            .collect::<Vec<_>>()
            .join(" ");
        let Ok(c) = CString::new(conninfo) else {
            return Err("a NUL byte".into());
        };
        // SAFETY: a C string in; the connection is finished below.
        unsafe {
            let conn = (self.connect)(c.as_ptr());
            let status = (self.status)(conn);
            let message = text((self.error)(conn));
            (self.finish)(conn);
            if status == 0 {
                return Ok(()); // CONNECTION_OK: cannot happen on a closed port
            }
            // Reached the network (a refused port, a missing socket) with no
            // value found invalid on the way, for any host of the list.
            let reached = message.contains("Connection refused")
                || message.contains("No such file or directory");
            let refused_value = [
                "invalid",
                "could not parse network address",
                "could not match",
            ]
            .iter()
            .any(|m| message.contains(m));
            if reached && !refused_value {
                Ok(())
            } else {
                Err(message.trim().to_string())
            }
        }
    }
}

/// Each entry that libpq would take as an address (getaddrinfo with
/// AI_NUMERICHOST, as libpq calls it: no DNS) becomes 127.0.0.1; anything
/// else stays, for libpq to reject without connecting.
fn numeric_to_loopback(list: &str) -> String {
    list.split(',')
        .map(|a| {
            if !a.is_empty() && numeric(a) {
                "127.0.0.1".to_string()
            } else {
                a.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn numeric(a: &str) -> bool {
    let Ok(c) = CString::new(a) else {
        return false;
    };
    // SAFETY: a zeroed addrinfo is a valid hints struct; the result is freed.
    unsafe {
        let mut hints: libc::addrinfo = std::mem::zeroed();
        hints.ai_flags = libc::AI_NUMERICHOST;
        hints.ai_family = libc::AF_UNSPEC;
        hints.ai_socktype = libc::SOCK_STREAM;
        let mut res: *mut libc::addrinfo = std::ptr::null_mut();
        let rc = libc::getaddrinfo(c.as_ptr(), std::ptr::null(), &hints, &mut res);
        if rc == 0 {
            libc::freeaddrinfo(res);
        }
        rc == 0
    }
}
