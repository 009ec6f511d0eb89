//! A real Prometheus for tests (the Debian package): started on a free loopback port with
//! its config, rules and data in a temp folder, killed when the guard is dropped. Tests
//! of other servers (Alertmanager) can follow the same pattern: `free_port`, `http_get`
//! and `wait_until` do not depend on Prometheus.
#![allow(dead_code)] // Shared by several test crates; each uses part of it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Time a server gets to start on a busy 2-core machine.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running Prometheus; dropping it kills the process.
pub struct Prometheus {
    child: Child,
    /// "http://127.0.0.1:PORT"
    pub url: String,
    /// Where `rules` was written, as Prometheus reports the file of its rule groups.
    pub rules_file: PathBuf,
    /// Config, rules, data and log; removed after the process is killed.
    _folder: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The installed binary; a missing one fails the test with how to install it, since a
/// skipped test would pass CI without testing anything.
pub fn binary(name: &str, package: &str) -> PathBuf {
    let candidates = [PathBuf::from("/usr/bin").join(name)];
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join(name));
    candidates
        .into_iter()
        .chain(on_path)
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            panic!("{name} is not installed: apt-get install {package} (scripts/test.sh does it)")
        })
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A plain HTTP/1.0 GET on loopback: the status code and body, `None` while nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Some((status, body.to_string()))
}

/// Poll `ready` until it holds; panics with `what` (and the server's log) on timeout.
pub fn wait_until(what: &str, child: &mut Child, log: &std::path::Path, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while !ready() {
        let log_text = || std::fs::read_to_string(log).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what}: the server exited ({status}):\n{}", log_text());
        }
        if start.elapsed() > START_TIMEOUT {
            panic!("{what}: not ready after {START_TIMEOUT:?}:\n{}", log_text());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Prometheus {
    /// Start Prometheus with `rules` (a rules file's YAML) loaded, and wait until it
    /// answers `/-/ready` and serves those rules.
    pub fn start(rules: &str) -> Prometheus {
        let mut server = Self::launch(rules, |_| String::new(), &[]);
        server.wait_for_rules();
        server
    }

    /// Start Prometheus evaluating `rules` and sending what fires to `alertmanager`
    /// (a URL), re-sending every second so a test alert arrives within seconds.
    pub fn start_alerting(rules: &str, alertmanager: &str) -> Prometheus {
        let target = alertmanager.trim_start_matches("http://").to_string();
        let alerting = move |_| {
            format!(
                "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [\"{target}\"]\n"
            )
        };
        let mut server = Self::launch(rules, alerting, &["--rules.alert.resend-delay=1s"]);
        server.wait_for_rules();
        server
    }

    fn wait_for_rules(&mut self) {
        let port = self.port();
        self.wait_for("prometheus rules loaded", || {
            http_get(port, "/api/v1/rules").is_some_and(|(_, body)| body.contains("\"alerting\""))
        });
    }

    /// Start Prometheus scraping itself every second (job `prometheus`, instance
    /// `127.0.0.1:PORT`), and wait until `up` has a few samples, so a `rate()` over a
    /// minute has data to answer with.
    pub fn start_scraping_itself() -> Prometheus {
        let mut server = Self::launch(
            "groups: []\n",
            |port| {
                format!(
                    "scrape_configs:\n  - job_name: prometheus\n    scrape_interval: 1s\n    \
                 static_configs:\n      - targets: [\"127.0.0.1:{port}\"]\n"
                )
            },
            &[],
        );
        let port = server.port();
        server.wait_for("prometheus has scraped itself 3 times", || {
            samples(port, "count_over_time(up[1m])") >= 3.0
        });
        server
    }

    fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap()
    }

    fn wait_for(&mut self, what: &str, ready: impl Fn() -> bool) {
        let log = self._folder.path().join("prometheus.log");
        wait_until(what, &mut self.child, &log, ready);
    }

    /// Run the binary with `rules`, the rest of its config (`extra(port)`: scraping,
    /// alerting) and `args`, and wait until it answers `/-/ready`.
    fn launch(rules: &str, extra: impl Fn(u16) -> String, args: &[&str]) -> Prometheus {
        let binary = binary("prometheus", "prometheus");
        let folder = tempfile::tempdir().unwrap();
        let rules_file = folder.path().join("rules.yml");
        std::fs::write(&rules_file, rules).unwrap();
        let port = free_port();
        let config = folder.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  evaluation_interval: 1s\nrule_files:\n  - {}\n{}",
                rules_file.display(),
                extra(port)
            ),
        )
        .unwrap();
        let log = folder.path().join("prometheus.log");
        let log_file = std::fs::File::create(&log).unwrap();
        let child = Command::new(binary)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                folder.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap();
        // The guard first, so a server that never gets ready is still killed.
        let mut server = Prometheus {
            child,
            url: format!("http://127.0.0.1:{port}"),
            rules_file,
            _folder: folder,
        };
        wait_until("prometheus /-/ready", &mut server.child, &log, || {
            http_get(port, "/-/ready").is_some_and(|(status, _)| status == 200)
        });
        server
    }
}

/// The value of an instant query that gives one number (0 while there is none).
fn samples(port: u16, query: &str) -> f64 {
    let path = format!(
        "/api/v1/query?query={}",
        query.replace('[', "%5B").replace(']', "%5D")
    );
    let Some((200, body)) = http_get(port, &path) else {
        return 0.0;
    };
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    answer["data"]["result"][0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}
