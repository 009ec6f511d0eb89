//! Any Prometheus-compatible API (Prometheus, Thanos, Mimir, VictoriaMetrics) as the
//! metrics source: the service's configured queries and the alert's own expression, each
//! a `/api/v1/query_range` over the window, asked at the same time.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::join_all;

use super::answers::Answers;
use super::range_answer::{self, Matrix, Signal};
use super::{MetricsSource, Notice, Series, Unit, Window, alert_expr, query};
use crate::config::queries::ServiceQuery;
use crate::incident::Incident;
use crate::providers::ProviderError;

pub struct Settings {
    /// Base URL, with the API's path prefix if it has one.
    pub url: String,
    pub timeout: Duration,
    /// Connecting only; cut to `timeout` if longer.
    pub connect_timeout: Duration,
    /// Per service, its queries in the order configured.
    pub services: BTreeMap<String, Vec<ServiceQuery>>,
}

pub struct Prometheus {
    settings: Settings,
    http: reqwest::Client,
    answers: Answers,
}

/// One signal to chart for an incident, before it is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub name: String,
    /// The PromQL to send, or why the template could not be filled in.
    pub query: Result<String, String>,
    pub unit: Unit,
    pub threshold: Option<f64>,
}

/// Why one query has no answer.
enum Failure {
    /// Nothing answered: the same for every query, so said once for the source.
    Unreachable(String),
    /// The server answered, with an error or something unreadable.
    Answer(String),
}

impl Prometheus {
    pub fn new(settings: Settings) -> Result<Prometheus, String> {
        let parsed = reqwest::Url::parse(&settings.url)
            .map_err(|e| format!("[metrics] url `{}` is not a URL: {e}", settings.url))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "[metrics] url `{}` must start with http:// or https://",
                settings.url
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout.min(settings.timeout))
            .user_agent(concat!("pagerdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("[metrics]: cannot set up HTTP: {e}"))?;
        Ok(Prometheus {
            settings,
            http,
            answers: Answers::default(),
        })
    }

    pub fn url(&self) -> &str {
        &self.settings.url
    }

    /// What the pane charts for `incident`: its service's queries with the incident's
    /// labels filled in, then the expression of the alert that fired.
    pub fn plan(&self, incident: &Incident) -> Vec<Planned> {
        let labels = query::template_labels(incident);
        let configured = self
            .settings
            .services
            .get(&incident.service)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut planned: Vec<Planned> = configured
            .iter()
            .map(|q| Planned {
                name: q.name.clone(),
                query: query::expand(&q.query, &labels),
                unit: q
                    .unit
                    .unwrap_or_else(|| query::infer_unit(&q.name, &q.query)),
                threshold: None,
            })
            .collect();
        if let Some(expr) = alert_expr::from_incident(incident) {
            let charted = alert_expr::chartable(&expr);
            let alert = incident.alert.as_deref().unwrap_or("expression");
            let name = match charted.threshold {
                Some((op, value)) => format!("alert {alert} (fires {op} {value})"),
                None => format!("alert {alert}"),
            };
            planned.push(Planned {
                unit: query::infer_unit(alert, &charted.query),
                query: Ok(charted.query),
                name,
                threshold: charted.threshold.map(|(_, value)| value),
            });
        }
        planned
    }

    /// One range query. `start` is moved back so the window is a whole number of steps:
    /// the last point then falls on `end`, and the current value is now, not up to a
    /// step ago.
    async fn range(&self, promql: &str, window: Window, step: u64) -> Result<Matrix, Failure> {
        let step = step.max(1);
        let end = window.end.timestamp();
        let steps = window.seconds().div_ceil(step);
        let start = end - i64::try_from(steps * step).unwrap_or(0);
        if let Some(kept) = self.answers.get(promql, steps * step, step, end) {
            return Ok(kept);
        }
        let url = format!(
            "{}/api/v1/query_range",
            self.settings.url.trim_end_matches('/')
        );
        let form = [
            ("query", promql.to_string()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("step", step.to_string()),
        ];
        // POST, as a form: long queries do not fit every proxy's URL limit.
        let response = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| Failure::Unreachable(self.transport_reason(&e)))?;
        let status = response.status().as_u16();
        // Capped like a provider's page: a runaway query must not fill memory.
        let body = read_capped(response, &url).await?;
        let matrix = range_answer::parse(status, &body).map_err(Failure::Answer)?;
        self.answers
            .insert(promql, steps * step, step, end, &matrix);
        Ok(matrix)
    }

    fn transport_reason(&self, error: &reqwest::Error) -> String {
        let what = if error.is_timeout() {
            format!("no answer within {}s", self.settings.timeout.as_secs())
        } else {
            // reqwest says "error sending request"; the cause is what a human can act on.
            let mut cause: &dyn std::error::Error = error;
            while let Some(next) = cause.source() {
                cause = next;
            }
            cause.to_string()
        };
        format!("Prometheus at {}: {what}", self.settings.url)
    }
}

/// The answer's text, at most `body::PAGE_LIMIT` of it: a chart's answer is a few
/// thousand points per series, far below the cap, so more is a runaway query.
async fn read_capped(response: reqwest::Response, url: &str) -> Result<String, Failure> {
    use crate::providers::http::body;
    match body::read(response, url, body::PAGE_LIMIT).await {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(ProviderError::Decode { reason, .. }) => Err(Failure::Answer(reason)),
        Err(other) => Err(Failure::Answer(format!("the answer broke off: {other}"))),
    }
}

impl MetricsSource for Prometheus {
    async fn series_for(
        &self,
        incident: &Incident,
        window: Window,
        step_seconds: u64,
    ) -> Result<Vec<Series>, ProviderError> {
        let planned = self.plan(incident);
        if planned.is_empty() {
            let service = &incident.service;
            return Ok(vec![Series::notice(
                service.as_str(),
                Notice::Info(format!(
                    "nothing to chart for {service}: add [services.{service}.queries] to the \
                     config (alerts from Prometheus also chart their own expression)"
                )),
            )]);
        }
        let answers = join_all(planned.iter().map(|signal| async {
            match &signal.query {
                Ok(promql) => Some(self.range(promql, window, step_seconds).await),
                Err(_) => None,
            }
        }))
        .await;
        let asked: Vec<&Result<Matrix, Failure>> = answers.iter().flatten().collect();
        let unreachable = asked.iter().find_map(|a| match a {
            Err(Failure::Unreachable(reason)) => Some(reason.clone()),
            _ => None,
        });
        if let Some(reason) = unreachable
            && asked
                .iter()
                .all(|a| matches!(a, Err(Failure::Unreachable(_))))
        {
            return Err(ProviderError::Http(reason));
        }
        let mut all = Vec::new();
        for (signal, answer) in planned.iter().zip(answers) {
            let problem = |text: String| Series {
                query: signal.query.clone().ok(),
                ..Series::notice(signal.name.as_str(), Notice::Problem(text))
            };
            match (&signal.query, answer) {
                (Err(template), _) => all.push(problem(template.clone())),
                (Ok(promql), Some(Ok(matrix))) => {
                    let shape = Signal {
                        name: &signal.name,
                        query: promql,
                        unit: signal.unit,
                        threshold: signal.threshold,
                    };
                    all.extend(range_answer::into_series(&shape, matrix));
                }
                (Ok(_), Some(Err(Failure::Answer(text) | Failure::Unreachable(text)))) => {
                    all.push(problem(text));
                }
                (Ok(_), None) => {}
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Link;

    fn source(services: &[(&str, &[(&str, &str)])]) -> Prometheus {
        let services = services
            .iter()
            .map(|(service, queries)| {
                let queries = queries
                    .iter()
                    .map(|(name, q)| ServiceQuery {
                        name: name.to_string(),
                        query: q.to_string(),
                        unit: None,
                    })
                    .collect();
                (service.to_string(), queries)
            })
            .collect();
        Prometheus::new(Settings {
            url: "http://127.0.0.1:9090".into(),
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            services,
        })
        .unwrap()
    }

    #[test]
    fn the_plan_is_the_services_queries_in_order_then_the_alerts_expression() {
        let prometheus = source(&[(
            "checkout-api",
            &[
                ("errors", r#"sum(rate(e{service="{{service}}"}[5m]))"#),
                (
                    "p99 latency",
                    r#"histogram_quantile(0.99, x{pod="{{pod}}"})"#,
                ),
            ],
        )]);
        let mut incident = crate::testing::incident("checkout-api", "HighErrorRate");
        incident.links.push(Link {
            title: alert_expr::LINK_TITLE.into(),
            url: "http://p:9090/graph?g0.expr=job%3Aerrors%3Aratio+%3E+0.05&g0.tab=1".into(),
        });
        let plan = prometheus.plan(&incident);
        let names: Vec<&str> = plan.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "errors",
                "p99 latency",
                "alert HighErrorRate (fires > 0.05)"
            ]
        );
        assert_eq!(
            plan[0].query.as_deref(),
            Ok(r#"sum(rate(e{service="checkout-api"}[5m]))"#)
        );
        assert_eq!(plan[0].unit, Unit::PerSecond);
        assert!(
            plan[1]
                .query
                .as_ref()
                .unwrap_err()
                .contains("no label `pod`")
        );
        assert_eq!(plan[1].unit, Unit::Seconds);
        assert_eq!(plan[2].query.as_deref(), Ok("job:errors:ratio"));
        assert_eq!((plan[2].unit, plan[2].threshold), (Unit::Ratio, Some(0.05)));
        assert!(
            prometheus
                .plan(&crate::testing::incident("other", "X"))
                .is_empty()
        );
    }

    #[test]
    fn a_url_that_is_not_http_is_refused_at_start() {
        let bad = |url: &str| {
            Prometheus::new(Settings {
                url: url.into(),
                timeout: Duration::from_secs(1),
                connect_timeout: Duration::from_secs(1),
                services: BTreeMap::new(),
            })
            .err()
            .unwrap()
        };
        assert!(
            bad("prometheus:9090").contains("http://"),
            "{}",
            bad("prometheus:9090")
        );
        assert!(bad("not a url").contains("is not a URL"));
    }
}
