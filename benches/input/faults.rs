//! Loopback servers that misbehave, for the input-latency bench: one that accepts and
//! never answers, one that answers every request with 50 MB of alerts, ones that answer
//! an error (503, 429, not JSON), and a port that nothing listens on. Plain std threads: the bench needs no more, and it stays apart
//! from the tests' own fault server.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A server's port and how many requests it has taken (accepted or answered).
#[derive(Clone)]
pub struct Server {
    pub port: u16,
    pub count: Arc<AtomicUsize>,
}

impl Server {
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// Accepts every connection and holds it open, reading nothing, writing nothing.
pub fn silent() -> io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let server = Server {
        port: listener.local_addr()?.port(),
        count: Arc::default(),
    };
    let (count, held) = (Arc::clone(&server.count), Mutex::new(Vec::new()));
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            held.lock().unwrap_or_else(|e| e.into_inner()).push(stream);
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    Ok(server)
}

/// Answers every request with `bytes` of well-formed Alertmanager alerts (a real
/// Alertmanager holding that many would answer the same).
pub fn huge(bytes: usize) -> io::Result<Server> {
    serving("200 OK", "", alerts(bytes))
}

/// Answers every request with `status`, the extra `headers` (each ending in CRLF) and
/// `body`.
pub fn canned(status: &'static str, headers: &'static str, body: &[u8]) -> io::Result<Server> {
    serving(status, headers, body.to_vec())
}

fn serving(status: &'static str, headers: &'static str, body: Vec<u8>) -> io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let server = Server {
        port: listener.local_addr()?.port(),
        count: Arc::default(),
    };
    let body: Arc<[u8]> = body.into();
    let count = Arc::clone(&server.count);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (body, count) = (Arc::clone(&body), Arc::clone(&count));
            thread::spawn(move || {
                if answer(stream, status, headers, &body).is_ok() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    Ok(server)
}

/// A loopback port nothing listens on: connections to it are refused at once.
pub fn dead_port() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Read one request's head, then send the answer and close.
fn answer(mut stream: TcpStream, status: &str, headers: &str, body: &[u8]) -> io::Result<()> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&chunk[..read]);
    }
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

/// A JSON array of alerts of about `bytes`: 100 alert names over 1,000 services, so the
/// default grouping makes 1,000 incidents, each alert with a long description.
fn alerts(bytes: usize) -> Vec<u8> {
    let padding = "x".repeat(600);
    let mut out = Vec::with_capacity(bytes + 2048);
    out.push(b'[');
    let mut i = 0usize;
    while out.len() < bytes {
        if i > 0 {
            out.push(b',');
        }
        let severity = if i.is_multiple_of(7) {
            "critical"
        } else {
            "warning"
        };
        let alert = format!(
            concat!(
                r#"{{"labels":{{"alertname":"Alert{name}","service":"svc-{service}","instance":"host-{i}:9100","severity":"{severity}"}},"#,
                r#""annotations":{{"summary":"svc-{service} is unhappy on host-{i}","description":"{padding}"}},"#,
                r#""startsAt":"2026-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","fingerprint":"{i:016x}","#,
                r#""generatorURL":"http://prometheus:9090/graph","status":{{"state":"active","silencedBy":[],"inhibitedBy":[]}},"#,
                r#""receivers":[{{"name":"nowhere"}}],"updatedAt":"2026-01-01T00:00:00Z"}}"#
            ),
            name = i % 100,
            service = i % 1000,
            i = i,
            severity = severity,
            padding = padding,
        );
        out.extend_from_slice(alert.as_bytes());
        i += 1;
    }
    out.push(b']');
    out
}
