//! The validating mock for contract tests: Stoplight Prism (`prism mock --errors`) on one
//! of the official API specs in ../shared/specs, on a free loopback port.
//!
//! One mock per spec and test binary, shared by its tests (Prism takes ~3 s and ~200 MB to
//! start). A watchdog shell stops it when the test process ends, since a static is never
//! dropped.
#![allow(dead_code)] // Shared by several test crates; each uses part of it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const PRISM_VERSION: &str = "5.14.2";

pub struct Prism {
    /// "http://127.0.0.1:PORT"
    pub url: String,
    pub log: PathBuf,
}

/// The folder of official specs, beside the project.
pub fn specs_dir() -> PathBuf {
    let dir = std::env::var_os("PAGERDECK_SPECS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "the API specs are not at {}: contract tests need ../shared/specs beside the project (or PAGERDECK_SPECS)",
        dir.display()
    );
    dir
}

/// The mock for `spec` (a file name in ../shared/specs), started on first use. It
/// checks requests and its own answers (`--errors`).
pub fn shared(spec: &str) -> &'static Prism {
    shared_with(spec, true)
}

/// A mock for `spec` that checks requests only: for operations whose spec example
/// breaks the spec's own schema, where `--errors` answers every request with a 500.
pub fn shared_requests_only(spec: &str) -> &'static Prism {
    shared_with(spec, false)
}

/// The mocks started so far: spec, whether answers are checked, the mock.
type Started = Vec<(String, bool, &'static Prism)>;

fn shared_with(spec: &str, check_answers: bool) -> &'static Prism {
    static MOCKS: OnceLock<Mutex<Started>> = OnceLock::new();
    let mocks = MOCKS.get_or_init(|| Mutex::new(Vec::new()));
    let mut mocks = mocks.lock().unwrap_or_else(|e| e.into_inner());
    let found = mocks
        .iter()
        .find(|(name, checks, _)| name == spec && *checks == check_answers);
    if let Some((_, _, prism)) = found {
        return prism;
    }
    let prism: &'static Prism = Box::leak(Box::new(start(spec, check_answers)));
    mocks.push((spec.to_string(), check_answers, prism));
    prism
}

fn start(spec: &str, check_answers: bool) -> Prism {
    let spec_path = specs_dir().join(spec);
    assert!(spec_path.is_file(), "no spec {}", spec_path.display());
    let prism = which("prism").unwrap_or_else(|| {
        panic!(
            "prism is not installed: npm install -g @stoplight/prism-cli@{PRISM_VERSION} (scripts/test.sh does it)"
        )
    });
    let port = free_port();
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{port}.log"));
    // The watchdog: `sh` waits for the test process (its parent) to go, then stops Prism.
    let errors = if check_answers { "--errors" } else { "" };
    let script = format!(
        "'{}' mock -h 127.0.0.1 -p {port} {errors} '{}' >'{}' 2>&1 & mock=$!; \
         while kill -0 $PPID 2>/dev/null && kill -0 $mock 2>/dev/null; do sleep 1; done; kill $mock 2>/dev/null",
        prism.display(),
        spec_path.display(),
        log.display()
    );
    let mut watchdog = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh runs");
    // Reaped when it ends (with the test process, or when Prism dies).
    std::thread::spawn(move || watchdog.wait());
    let started = Instant::now();
    while !answers(port) {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "prism did not start on {spec} within 90 s:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Prism {
        url: format!("http://127.0.0.1:{port}"),
        log,
    }
}

impl Prism {
    /// The last lines of Prism's log: its validation report for what was just sent.
    pub fn report(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if write!(stream, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut first = [0u8; 12];
    stream.read(&mut first).is_ok_and(|n| n > 0)
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}
