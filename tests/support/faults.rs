//! A fault-injecting HTTP/1.1 server on loopback, switchable at run time: healthy (a
//! given body per path), or one of the ways a server fails a client. Raw tokio: each
//! fault is a few bytes on a socket, exactly as a broken server or proxy sends them.
//! Every answer closes its connection, so a switch holds from the next request on.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server answers.
#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)] // Each test file uses some of the faults.
pub enum Fault {
    /// The body configured for the path, as JSON.
    Healthy,
    /// The body, after a wait (a slow server that does answer).
    Slow(Duration),
    /// Reads the request and never answers (nor closes).
    Hang,
    /// This status, with an HTML error page as a proxy sends it.
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    RateLimited(u64),
    /// 200 with text that is not JSON.
    Malformed,
    /// 200 whose Content-Length promises more than is sent, then the connection closes.
    Truncated,
    /// 200 with no body at all.
    Empty,
    /// 200 with `bytes` of JSON-looking text and no Content-Length: only reading it
    /// tells its size.
    Huge(usize),
    /// 200 announcing `bytes` in its Content-Length (then sending only part of it).
    Announced(usize),
    /// Accepts, then closes without a byte.
    Close,
    /// Nothing listens on the port: connection refused.
    Down,
}

#[derive(Default)]
struct Shared {
    fault: Option<Fault>,
    /// The fault for one method only ("PUT"), over `fault`.
    by_method: HashMap<String, Fault>,
    bodies: Vec<(String, String)>,
    requests: Vec<String>,
}

pub struct FaultServer {
    pub url: String,
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    listener: Mutex<Option<JoinHandle<()>>>,
}

impl FaultServer {
    /// A healthy server answering `GET <path>` with the body of the longest matching
    /// path prefix in `bodies`.
    pub async fn start(bodies: &[(&str, String)]) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut sorted: Vec<(String, String)> = bodies
            .iter()
            .map(|(path, body)| (path.to_string(), body.clone()))
            .collect();
        sorted.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
        let shared = Arc::new(Mutex::new(Shared {
            fault: Some(Fault::Healthy),
            bodies: sorted,
            ..Shared::default()
        }));
        let server = FaultServer {
            url: format!("http://{addr}"),
            addr,
            shared,
            listener: Mutex::new(None),
        };
        server.listen(listener);
        server
    }

    /// From the next request on, answer every method with `fault`.
    pub async fn set(&self, fault: Fault) {
        let down = fault == Fault::Down;
        {
            let mut shared = self.shared.lock().unwrap();
            shared.fault = Some(fault);
            shared.by_method.clear();
        }
        let mut running = self.listener.lock().unwrap().take();
        match (down, running.take()) {
            (true, Some(task)) => {
                task.abort();
                let _ = task.await;
            }
            (false, None) => {
                // Back on the same port, as a restarted server is.
                let listener = bind_again(self.addr).await;
                self.listen(listener);
            }
            (false, Some(task)) => *self.listener.lock().unwrap() = Some(task),
            (true, None) => {}
        }
    }

    /// Answer `method` with `fault`, other methods as before.
    pub fn set_for(&self, method: &str, fault: Fault) {
        let mut shared = self.shared.lock().unwrap();
        shared.by_method.insert(method.to_string(), fault);
    }

    /// The request lines seen ("GET /incidents?…"), in order.
    pub fn requests(&self) -> Vec<String> {
        self.shared.lock().unwrap().requests.clone()
    }

    /// The same port over https: a TLS client meets a plain-HTTP server.
    pub fn https_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    fn listen(&self, listener: TcpListener) {
        let shared = Arc::clone(&self.shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&shared)));
            }
        });
        *self.listener.lock().unwrap() = Some(task);
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        if let Some(task) = self.listener.lock().unwrap().take() {
            task.abort();
        }
    }
}

/// A URL whose server takes no connection: its listen queue is full and never
/// accepted from, so the kernel drops new connection attempts, as a firewall that drops
/// packets does. Keep the guard while it is used.
pub async fn unaccepting_url() -> (String, impl Sized) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    // Fill the queue: these connect, and no one after them does.
    let mut queued = Vec::new();
    for _ in 0..4 {
        let attempt = tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(addr));
        match attempt.await {
            Ok(Ok(stream)) => queued.push(stream),
            _ => break,
        }
    }
    (format!("http://{addr}"), (listener, queued))
}

/// A host name that never resolves (RFC 2606 reserves `.invalid`).
pub const UNRESOLVABLE_URL: &str = "http://pagerdeck-faults.invalid";

async fn bind_again(addr: SocketAddr) -> TcpListener {
    for _ in 0..100 {
        if let Ok(listener) = TcpListener::bind(addr).await {
            return listener;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("cannot listen on {addr} again");
}

async fn answer(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let Some((method, target)) = read_request(&mut stream).await else {
        return;
    };
    let (fault, body) = {
        let mut shared = shared.lock().unwrap();
        shared.requests.push(format!("{method} {target}"));
        let fault = shared
            .by_method
            .get(&method)
            .cloned()
            .or_else(|| shared.fault.clone())
            .unwrap_or(Fault::Healthy);
        let path = target.split('?').next().unwrap_or_default();
        let body = shared
            .bodies
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(_, body)| body.clone())
            .unwrap_or_else(|| "{}".into());
        (fault, body)
    };
    let _ = send(&mut stream, fault, body).await;
}

async fn send(stream: &mut TcpStream, fault: Fault, body: String) -> std::io::Result<()> {
    match fault {
        Fault::Healthy => write(stream, "200 OK", &[], body.as_bytes()).await,
        Fault::Slow(wait) => {
            tokio::time::sleep(wait).await;
            write(stream, "200 OK", &[], body.as_bytes()).await
        }
        Fault::Hang => {
            std::future::pending::<()>().await;
            Ok(())
        }
        Fault::Status(code) => {
            let page = format!("<html><body><h1>{code} from the fault server</h1></body></html>");
            write(stream, &format!("{code} Fault"), &[], page.as_bytes()).await
        }
        Fault::RateLimited(seconds) => {
            let header = format!("Retry-After: {seconds}");
            let said = br#"{"message":"slow down"}"#;
            write(stream, "429 Too Many Requests", &[&header], said).await
        }
        Fault::Malformed => {
            let page = b"<html><body>Sign in to the proxy</body></html>";
            write(stream, "200 OK", &[], page).await
        }
        Fault::Truncated => {
            let half = &body.as_bytes()[..body.len() / 2];
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(half).await?;
            stream.shutdown().await
        }
        Fault::Empty => write(stream, "200 OK", &[], b"").await,
        Fault::Huge(bytes) => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
            stream.write_all(head.as_bytes()).await?;
            // `[` then many short strings: JSON-like all the way, never finished.
            stream.write_all(b"[").await?;
            let chunk =
                "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",".repeat(1024);
            let mut sent = 1;
            while sent < bytes {
                stream.write_all(chunk.as_bytes()).await?;
                sent += chunk.len();
            }
            stream.shutdown().await
        }
        Fault::Announced(bytes) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n["
            );
            stream.write_all(head.as_bytes()).await?;
            stream.shutdown().await
        }
        Fault::Close | Fault::Down => stream.shutdown().await,
    }
}

async fn write(
    stream: &mut TcpStream,
    status: &str,
    headers: &[&str],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

/// The method and target of one request, its body read and dropped.
async fn read_request(stream: &mut TcpStream) -> Option<(String, String)> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    let end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        seen.extend_from_slice(&buffer[..read]);
        // A TLS hello to this plain-HTTP port: answered in plain HTTP, as a web server
        // does, which no TLS client accepts.
        if seen[0] == 0x16 {
            let plain = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(plain).await;
            return None;
        }
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if seen.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&seen[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = seen.len() - end;
    while body < length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        body += read;
    }
    let mut first = head.lines().next()?.split(' ');
    Some((first.next()?.to_string(), first.next()?.to_string()))
}
