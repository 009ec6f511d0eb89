//! A real Alertmanager for tests (the Debian package `prometheus-alertmanager`): on a free
//! loopback port, out of any cluster (`--cluster.listen-address=`), killed when dropped.

use std::process::{Child, Command, Stdio};

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
