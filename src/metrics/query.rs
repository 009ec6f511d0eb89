//! From a configured query to the PromQL sent: the incident's labels put into its
//! template, and the unit its values are in when the config does not say.

use std::collections::BTreeMap;

use super::Unit;
use crate::incident::Incident;

/// What a template may name: the incident's labels, plus `service`, `alertname` and
/// `team` from its fields (a source may keep those outside its labels).
pub fn template_labels(incident: &Incident) -> BTreeMap<String, String> {
    let mut labels = incident.labels.clone();
    labels
        .entry("service".into())
        .or_insert_with(|| incident.service.clone());
    if let Some(alert) = &incident.alert {
        labels
            .entry("alertname".into())
            .or_insert_with(|| alert.clone());
    }
    if let Some(team) = &incident.team {
        labels.entry("team".into()).or_insert_with(|| team.clone());
    }
    labels
}

/// A missing label's message names this many of those there are: enough to spot a typo,
/// short enough for a narrow pane.
const LABELS_NAMED: usize = 8;

/// `{{label}}` (spaces inside the braces allowed) replaced by the label's value, escaped
/// for a PromQL string (`\` and `"`), since templates put values inside label matchers.
/// A label the incident lacks is an error naming it and the labels there are.
pub fn expand(template: &str, labels: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err("`{{` with no `}}` after it".into());
        };
        let name = after[..close].trim();
        if !is_label_name(name) {
            return Err(format!("`{{{{{name}}}}}` is not a label name"));
        }
        let Some(value) = labels.get(name) else {
            let mut known: Vec<&str> = labels
                .keys()
                .map(String::as_str)
                .take(LABELS_NAMED)
                .collect();
            if labels.len() > LABELS_NAMED {
                known.push("…");
            }
            return Err(format!(
                "the incident has no label `{name}` (it has: {})",
                known.join(", ")
            ));
        };
        out.push_str(&escape(value));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A unit from what the query's name and text say, name first (it is the human's intent):
/// ratio → 0–1 as %, percent → %, latency/duration/`_seconds` → seconds, `_bytes` →
/// bytes (per second under `rate`), one rate divided by another → ratio, `rate(`/`irate(`
/// → per second. `increase(` is a count
/// over its range, not per second, so it stays unitless. Otherwise none.
pub fn infer_unit(name: &str, query: &str) -> Unit {
    name_hint(&spaced_words(name))
        .or_else(|| query_hint(&query.to_lowercase()))
        .unwrap_or(Unit::None)
}

/// Lower case, with CamelCase words apart, so an alert name reads like a query name:
/// "HighLatencyP99" → "high latency p99".
fn spaced_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_uppercase() && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
        previous = Some(c);
    }
    out
}

/// Does `word` start somewhere in `text` other than inside a longer word ("ratio" is not
/// in "duration")?
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphabetic())
    })
}

fn name_hint(name: &str) -> Option<Unit> {
    let has = |words: &[&str]| words.iter().any(|w| has_word(name, w));
    if has(&["ratio"]) {
        Some(Unit::Ratio)
    } else if has(&["percent", "%", "pct"]) {
        Some(Unit::Percent)
    } else if has(&["latency", "duration", "seconds"]) {
        Some(Unit::Seconds)
    } else if has(&["bytes"]) {
        Some(Unit::Bytes)
    } else {
        None
    }
}

fn query_hint(query: &str) -> Option<Unit> {
    let rate = query.contains("rate(");
    if has_word(query, "ratio") {
        Some(Unit::Ratio)
    } else if has_word(query, "percent") {
        Some(Unit::Percent)
    } else if query.contains("histogram_quantile") {
        // A quantile is in the buckets' unit.
        if query.contains("_bytes") {
            Some(Unit::Bytes)
        } else {
            Some(Unit::Seconds)
        }
    } else if rate && metric_suffix(query, "_bytes") {
        Some(Unit::BytesPerSecond)
    } else if metric_suffix(query, "_bytes") {
        Some(Unit::Bytes)
    } else if metric_suffix(query, "_seconds") && !rate {
        Some(Unit::Seconds)
    } else if query.contains("latency") || query.contains("_seconds_sum") {
        // rate(x_seconds_sum) / rate(x_seconds_count): the mean duration.
        Some(Unit::Seconds)
    } else if query.contains('/') && query.matches("rate(").count() >= 2 {
        // One rate over another: errors over requests.
        Some(Unit::Ratio)
    } else if rate {
        Some(Unit::PerSecond)
    } else {
        None
    }
}

/// Does a metric name in `query` end in `suffix`, alone or as a counter (`_total`,
/// `_sum`, `_count`)? `_bytes_bucket` and the like do not count.
fn metric_suffix(query: &str, suffix: &str) -> bool {
    query.match_indices(suffix).any(|(at, _)| {
        let after = &query[at + suffix.len()..];
        let word_end = |s: &str| {
            s.chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
        };
        word_end(after)
            || ["_total", "_sum", "_count"]
                .iter()
                .any(|t| after.strip_prefix(t).is_some_and(word_end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::labels;

    #[test]
    fn templates_take_the_incidents_labels() {
        let labels = labels(&[("service", "checkout-api"), ("instance", "a:8080")]);
        assert_eq!(
            expand(
                r#"up{service="{{service}}",instance="{{ instance }}"}"#,
                &labels
            )
            .unwrap(),
            r#"up{service="checkout-api",instance="a:8080"}"#
        );
        assert_eq!(expand("sum(up)", &labels).unwrap(), "sum(up)");
    }

    #[test]
    fn a_missing_label_is_named_with_the_ones_there_are() {
        let labels = labels(&[("service", "x"), ("alertname", "Down")]);
        let error = expand(r#"up{pod="{{pod}}"}"#, &labels).unwrap_err();
        assert_eq!(
            error,
            "the incident has no label `pod` (it has: alertname, service)"
        );
        assert!(
            expand("up{{service", &labels)
                .unwrap_err()
                .contains("no `}}`")
        );
        let many: BTreeMap<String, String> = (0..12)
            .map(|n| (format!("l{n:02}"), String::new()))
            .collect();
        assert!(
            expand("{{pod}}", &many)
                .unwrap_err()
                .ends_with("(it has: l00, l01, l02, l03, l04, l05, l06, l07, …)")
        );
        assert!(
            expand("{{ 9lives }}", &labels)
                .unwrap_err()
                .contains("not a label name")
        );
    }

    #[test]
    fn values_cannot_break_out_of_their_string() {
        let labels = labels(&[("service", r#"a"}) or vector(1) #\"#)]);
        assert_eq!(
            expand(r#"up{service="{{service}}"}"#, &labels).unwrap(),
            r#"up{service="a\"}) or vector(1) #\\"}"#
        );
    }

    #[test]
    fn the_incidents_fields_are_labels_too() {
        let mut incident = crate::testing::incident("checkout-api", "HighErrorRate");
        incident.team = Some("payments".into());
        incident.labels = labels(&[("instance", "a")]);
        let labels = template_labels(&incident);
        assert_eq!(labels["service"], "checkout-api");
        assert_eq!(labels["alertname"], "HighErrorRate");
        assert_eq!(labels["team"], "payments");
        assert_eq!(labels["instance"], "a");
    }

    #[test]
    fn units_are_inferred_from_name_then_query() {
        let cases = [
            (
                "p99 latency",
                "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))",
                Unit::Seconds,
            ),
            (
                "error rate",
                r#"sum(rate(http_requests_total{code=~"5.."}[5m]))"#,
                Unit::PerSecond,
            ),
            (
                "errors",
                "sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))",
                Unit::Ratio,
            ),
            (
                "error ratio",
                "sum(rate(a[5m])) / sum(rate(b[5m]))",
                Unit::Ratio,
            ),
            ("x", "job:errors:ratio_rate5m", Unit::Ratio),
            ("cpu %", "100 * rate(cpu[1m])", Unit::Percent),
            ("disk", "node_filesystem_avail_bytes", Unit::Bytes),
            (
                "traffic",
                "rate(node_network_receive_bytes_total[1m])",
                Unit::BytesPerSecond,
            ),
            ("gc", "go_gc_duration_seconds", Unit::Seconds),
            ("p50 duration", "x", Unit::Seconds),
            ("HighLatencyP99", "x", Unit::Seconds),
            ("DiskUsagePercent", "x", Unit::Percent),
            (
                "mean",
                "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
                Unit::Seconds,
            ),
            (
                "requests",
                "rate(http_request_duration_seconds_count[5m])",
                Unit::PerSecond,
            ),
            (
                "restarts",
                "increase(kube_pod_container_status_restarts_total[1h])",
                Unit::None,
            ),
            ("up", "up", Unit::None),
            (
                "sizes",
                "histogram_quantile(0.9, rate(response_size_bytes_bucket[5m]))",
                Unit::Bytes,
            ),
        ];
        for (name, query, unit) in cases {
            assert_eq!(infer_unit(name, query), unit, "{name}: {query}");
        }
    }
}
