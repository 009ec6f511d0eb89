//! The alerts a Prometheus server can fire (`GET /api/v1/rules`), so lint can say which of
//! them no playbook covers. Every failure is a message for the report, never a panic.

use std::time::Duration;

use serde::Deserialize;

use super::lint::AlertRule;

/// A lint run in CI must not hang on a server that does not answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct RulesAnswer {
    status: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<RulesData>,
}

#[derive(Deserialize)]
struct RulesData {
    groups: Vec<RuleGroup>,
}

#[derive(Deserialize)]
struct RuleGroup {
    #[serde(default)]
    file: String,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
struct Rule {
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

/// Every alerting rule (recording rules are not alerts) of the server at `base_url`.
pub async fn fetch(base_url: &str) -> Result<Vec<AlertRule>, String> {
    let url = format!("{}/api/v1/rules?type=alert", base_url.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {}", describe(&e)))?;
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("cannot reach Prometheus at {base_url}: {}", describe(&e)))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| format!("Prometheus at {base_url}: {}", describe(&e)))?;
    if !status.is_success() {
        let excerpt: String = body.chars().take(200).collect();
        return Err(format!(
            "Prometheus at {base_url} answered {status} to {url}: {excerpt}"
        ));
    }
    parse(&body).map_err(|e| format!("Prometheus at {base_url}: {e}"))
}

fn parse(body: &str) -> Result<Vec<AlertRule>, String> {
    let answer: RulesAnswer =
        serde_json::from_str(body).map_err(|e| format!("not a rules answer: {e}"))?;
    if answer.status != "success" {
        return Err(format!(
            "the rules query failed: {}",
            answer.error.unwrap_or(answer.status)
        ));
    }
    let groups = answer.data.map(|d| d.groups).unwrap_or_default();
    Ok(groups
        .into_iter()
        .flat_map(|group| {
            let file = group.file;
            group
                .rules
                .into_iter()
                .filter(|rule| rule.kind == "alerting")
                .map(move |rule| AlertRule {
                    name: rule.name,
                    file: file.clone(),
                })
        })
        .collect())
}

/// reqwest's own message is "error sending request"; the cause ("Connection refused") is
/// in its sources, and that is what a user can act on.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerting_rules_are_read_and_recording_rules_skipped() {
        let body = r#"{"status":"success","data":{"groups":[{"name":"g","file":"/r.yml",
            "rules":[{"type":"alerting","name":"HighErrorRate","query":"x"},
                     {"type":"recording","name":"job:rate5m"}]}]}}"#;
        assert_eq!(
            parse(body).unwrap(),
            [AlertRule {
                name: "HighErrorRate".into(),
                file: "/r.yml".into()
            }]
        );
        let failed = r#"{"status":"error","errorType":"bad_data","error":"nope"}"#;
        assert!(parse(failed).unwrap_err().contains("nope"));
        assert!(parse("<html>").unwrap_err().contains("not a rules answer"));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_message_not_a_panic() {
        // A port that was free a moment ago: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let error = fetch(&url).await.unwrap_err();
        assert!(
            error.starts_with(&format!("cannot reach Prometheus at {url}")),
            "{error}"
        );
    }
}
