//! A real Alertmanager for tests (the Debian package `prometheus-alertmanager`): on a free
//! loopback port, out of any cluster (`--cluster.listen-address=`), killed when dropped.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use pagerdeck::providers::Source as _;
use pagerdeck::providers::alertmanager::{Alertmanager as Source, Settings};
use serde_json::json;

use crate::prometheus::{binary, free_port, http_get, wait_until};

pub struct Alertmanager {
    child: Child,
    /// "http://127.0.0.1:PORT"
    pub url: String,
    _folder: tempfile::TempDir,
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Alertmanager {
    pub fn start() -> Alertmanager {
        let binary = binary("prometheus-alertmanager", "prometheus-alertmanager");
        let folder = tempfile::tempdir().unwrap();
        let config = folder.path().join("alertmanager.yml");
        // One receiver that sends nowhere: the tests read alerts through the API.
        std::fs::write(
            &config,
            "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n",
        )
        .unwrap();
        let log = folder.path().join("alertmanager.log");
        let log_file = std::fs::File::create(&log).unwrap();
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.path={}",
                folder.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap();
        let mut server = Alertmanager {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _folder: folder,
        };
        wait_until("alertmanager /-/ready", &mut server.child, &log, || {
            http_get(port, "/-/ready").is_some_and(|(status, _)| status == 200)
        });
        server
    }

    /// Post alerts as Prometheus would (`POST /api/v2/alerts`).
    pub async fn post_alerts(&self, alerts: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v2/alerts", self.url))
            .json(&alerts)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{:?}",
            response.text().await
        );
    }
}

/// The source under test: one cluster, acting as Ana Ops.
pub fn source(urls: Vec<String>) -> Source {
    Source::new(Settings {
        timeout: Duration::from_secs(5),
        ..Settings::new("prod", urls, "Ana Ops")
    })
    .unwrap()
}

pub fn alerts() -> serde_json::Value {
    let starts = chrono::Utc::now() - chrono::TimeDelta::minutes(9);
    json!([
        {"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "critical", "instance": "a:8080", "team": "payments"},
         "annotations": {"summary": "checkout-api 5xx above 5%", "runbook_url": "https://github.com/acme/playbooks/blob/main/payments/checkout-api.md#higherrorrate"},
         "startsAt": starts, "generatorURL": "http://prometheus:9090/graph?g0.expr=up"},
        {"labels": {"alertname": "HighErrorRate", "service": "checkout-api", "severity": "warning", "instance": "b:8080", "team": "payments"},
         "annotations": {"summary": "checkout-api 5xx above 5%"},
         "startsAt": starts + chrono::TimeDelta::minutes(2), "generatorURL": "http://prometheus:9090/graph?g0.expr=up"},
        {"labels": {"alertname": "DiskAlmostFull", "service": "ledger-db", "severity": "warning"},
         "annotations": {"description": "disk 95% full"},
         "startsAt": starts}
    ])
}

pub async fn incidents_until(source: &Source, count: usize) -> Vec<pagerdeck::incident::Incident> {
    for _ in 0..50 {
        let incidents = source.incidents().await.unwrap();
        if incidents.len() >= count {
            return incidents;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("Alertmanager never reported {count} incidents");
}

/// Every silence the server holds, as its API returns them.
pub async fn silences(url: &str) -> Vec<serde_json::Value> {
    reqwest::get(format!("{url}/api/v2/silences"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// What `amtool silence query` lists (active silences only, as amtool shows by default).
pub fn amtool_silences(url: &str) -> String {
    let amtool = Command::new(crate::prometheus::binary(
        "amtool",
        "prometheus-alertmanager",
    ))
    .args(["silence", "query", "-o", "json", "--alertmanager.url", url])
    .output()
    .unwrap();
    assert!(amtool.status.success(), "amtool: {amtool:?}");
    String::from_utf8_lossy(&amtool.stdout).into_owned()
}

/// Poll until the incident `key` has `status`, and return it.
pub async fn until_status(
    source: &Source,
    key: &pagerdeck::incident::IncidentKey,
    status: pagerdeck::incident::Status,
) -> pagerdeck::incident::Incident {
    for _ in 0..50 {
        let found = source
            .incidents()
            .await
            .unwrap()
            .into_iter()
            .find(|i| &i.key == key);
        if let Some(incident) = found.filter(|i| i.status == status) {
            return incident;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{key} never became {}", status.name());
}

/// A server holding `alerts()`, the source reading it, and its two incidents.
pub async fn with_alerts() -> (Alertmanager, Source, Vec<pagerdeck::incident::Incident>) {
    let server = Alertmanager::start();
    server.post_alerts(alerts()).await;
    let source = source(vec![server.url.clone()]);
    let incidents = incidents_until(&source, 2).await;
    (server, source, incidents)
}
