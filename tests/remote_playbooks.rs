//! Web playbooks: fetched over real HTTP, cached on disk, and the cached copy shown with
//! the reason when the server is gone.

use pagerdeck::playbook::remote::fetch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PLAYBOOK: &str =
    "+++\nalerts = [\"ReplicationLag\"]\n+++\n# db\n## ReplicationLag\n- [ ] check the replica\n";

#[tokio::test]
async fn a_fetched_playbook_is_cached_and_the_copy_serves_when_the_server_fails() {
    let server = MockServer::start().await;
    let cache = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/acme/runbooks/db.md", server.uri());
    Mock::given(method("GET"))
        .and(path("/acme/runbooks/db.md"))
        .respond_with(ResponseTemplate::new(200).set_body_string(PLAYBOOK))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let first = fetch(&client, &url, cache.path()).await.unwrap();
    assert_eq!((first.body.as_str(), first.offline), (PLAYBOOK, None));
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        1,
        "one cached copy"
    );

    // The server now fails: the cached copy comes back, saying why it is old.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let second = fetch(&client, &url, cache.path()).await.unwrap();
    assert_eq!(second.body, PLAYBOOK);
    let why = second.offline.expect("marked as an old copy");
    assert!(why.contains("503"), "{why}");
    assert!(second.at <= chrono::Utc::now());
}

/// A server that answers one request with `body`, then is gone (its port refuses).
fn serve_once(body: &'static str) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "http://{}/runbooks/cache.md",
        listener.local_addr().expect("its address")
    );
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("one request");
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).expect("the request");
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("answer");
        stream.write_all(body.as_bytes()).expect("answer");
    });
    (url, server)
}

#[tokio::test]
async fn when_the_server_is_gone_the_cached_copy_says_it_cannot_connect() {
    let cache = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let (url, server) = serve_once(PLAYBOOK);
    let first = fetch(&client, &url, cache.path()).await.unwrap();
    assert_eq!(first.offline, None);
    server.join().unwrap();
    let again = fetch(&client, &url, cache.path()).await.unwrap();
    assert_eq!(again.body, PLAYBOOK);
    assert_eq!(again.offline.as_deref(), Some("cannot connect"));
}

#[tokio::test]
async fn without_a_cached_copy_a_failure_is_an_error_that_says_what_happened() {
    let server = MockServer::start().await;
    let cache = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    Mock::given(method("GET"))
        .and(path("/missing.md"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let error = fetch(
        &client,
        &format!("{}/missing.md", server.uri()),
        cache.path(),
    )
    .await
    .unwrap_err();
    assert!(error.contains("404"), "{error}");
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        0,
        "nothing cached"
    );
    // A full disk (here: a cache dir that is a file) loses the copy, not the playbook.
    Mock::given(method("GET"))
        .and(path("/ok.md"))
        .respond_with(ResponseTemplate::new(200).set_body_string("# ok"))
        .mount(&server)
        .await;
    let not_a_dir = cache.path().join("file");
    std::fs::write(&not_a_dir, "").unwrap();
    let fetched = fetch(&client, &format!("{}/ok.md", server.uri()), &not_a_dir)
        .await
        .unwrap();
    assert_eq!(fetched.body, "# ok");
}
