//! Reading a `/api/v1/query_range` answer, and turning its series into the pane's: each
//! series its own chart, named by the labels that tell it from the others.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Notice, Series, Unit};

/// A query giving more series than this charts the highest ones now; more charts than
/// that would push every other signal off the pane.
pub const MAX_SERIES_PER_QUERY: usize = 5;

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: serde_json::Value,
}

#[derive(Deserialize)]
struct MatrixSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    /// Absent for native histograms (`histograms`), which a line chart cannot show.
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// One series of an answer: its labels and its (unix seconds, value) points.
pub type LabelledPoints = (BTreeMap<String, String>, Vec<(f64, f64)>);

/// The series of a successful answer, with the server's warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    pub series: Vec<LabelledPoints>,
    pub warnings: Vec<String>,
}

/// The answer to one range query, or what went wrong in words for the pane. A body that
/// is not Prometheus JSON (a proxy's 502 page) is quoted, shortened.
pub fn parse(status: u16, body: &str) -> Result<Matrix, String> {
    let answer: Answer = match serde_json::from_str(body) {
        Ok(answer) => answer,
        Err(_) if !(200..300).contains(&status) => {
            return Err(format!("server answered {status}: {}", excerpt(body)));
        }
        Err(error) => return Err(format!("not a Prometheus answer ({error})")),
    };
    if answer.status != "success" {
        let kind = answer.error_type.unwrap_or_else(|| "error".into());
        let message = answer.error.unwrap_or_else(|| format!("status {status}"));
        return Err(format!("Prometheus: {kind}: {message}"));
    }
    let Some(data) = answer.data else {
        return Err("Prometheus answered success with no data".into());
    };
    if data.result_type != "matrix" {
        return Err(format!(
            "expected a range of values, got a {} (is this a range query?)",
            data.result_type
        ));
    }
    let raw: Vec<MatrixSeries> = serde_json::from_value(data.result)
        .map_err(|e| format!("unreadable series in the answer ({e})"))?;
    let series = raw
        .into_iter()
        .filter(|s| !s.values.is_empty())
        .map(|s| {
            let points = s
                .values
                .iter()
                // NaN and ±Inf are gaps, not values to scale a chart by.
                .filter_map(|(t, v)| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .map(|v| (*t, v))
                })
                .collect();
            (s.metric, points)
        })
        .collect();
    Ok(Matrix {
        series,
        warnings: answer.warnings,
    })
}

fn excerpt(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        short.push('…');
    }
    if short.is_empty() {
        "(no body)".into()
    } else {
        short
    }
}

/// What one configured signal looks like once answered.
pub struct Signal<'a> {
    pub name: &'a str,
    pub query: &'a str,
    pub unit: Unit,
    pub threshold: Option<f64>,
}

/// One chart per series. Several: named by the labels whose values differ between them,
/// the highest now first, at most `MAX_SERIES_PER_QUERY`, and a note saying how many were
/// left out. None: a note that the query matched nothing here.
pub fn into_series(signal: &Signal<'_>, matrix: Matrix) -> Vec<Series> {
    let chart = |name: String, points| Series {
        name,
        unit: signal.unit,
        points,
        query: Some(signal.query.to_string()),
        notice: None,
        threshold: signal.threshold,
    };
    let note = |text: String| Series {
        query: Some(signal.query.to_string()),
        ..Series::notice(signal.name, Notice::Info(text))
    };
    let mut out = Vec::new();
    let mut all = matrix.series;
    match all.len() {
        0 => out.push(note(
            "no data in this window: the query matches no series".into(),
        )),
        1 => {
            let (_, points) = all.remove(0);
            out.push(chart(signal.name.to_string(), points));
        }
        count => {
            let differing = differing_labels(&all);
            let latest = |points: &[(f64, f64)]| points.last().map_or(f64::NEG_INFINITY, |p| p.1);
            all.sort_by(|a, b| latest(&b.1).total_cmp(&latest(&a.1)));
            for (labels, points) in all.into_iter().take(MAX_SERIES_PER_QUERY) {
                let which: Vec<String> = differing
                    .iter()
                    .map(|key| format!("{key}={}", labels.get(key).map_or("", String::as_str)))
                    .collect();
                out.push(chart(
                    format!("{} · {}", signal.name, which.join(",")),
                    points,
                ));
            }
            if count > MAX_SERIES_PER_QUERY {
                out.push(note(format!(
                    "{} more series not charted (the {MAX_SERIES_PER_QUERY} highest now are); \
                     sum or topk in the query to choose",
                    count - MAX_SERIES_PER_QUERY
                )));
            }
        }
    }
    for warning in matrix.warnings {
        out.push(note(format!("Prometheus warns: {warning}")));
    }
    out
}

/// Label names whose values are not the same on every series (a missing label counts as
/// a value), in name order.
fn differing_labels(all: &[LabelledPoints]) -> Vec<String> {
    let mut names: Vec<String> = all
        .iter()
        .flat_map(|(labels, _)| labels.keys().cloned())
        .collect();
    names.sort_unstable();
    names.dedup();
    names.retain(|name| {
        let first = all[0].0.get(name);
        all.iter().any(|(labels, _)| labels.get(name) != first)
    });
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::labels;

    const SIGNAL: Signal<'static> = Signal {
        name: "errors",
        query: "sum by (code) (rate(x[5m]))",
        unit: Unit::PerSecond,
        threshold: None,
    };

    #[test]
    fn a_matrix_is_read_and_gaps_are_dropped() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"a"},"values":[[1435781430.781,"1"],[1435781445.781,"NaN"],[1435781460.781,"+Inf"],[1435781475.781,"0"]]},
            {"metric":{"job":"h"},"histograms":[[1,{"count":"1"}]]}]},
            "warnings":["too many samples"]}"#;
        let matrix = parse(200, body).unwrap();
        assert_eq!(matrix.series.len(), 1, "the native histogram is skipped");
        assert_eq!(
            matrix.series[0].1,
            [(1435781430.781, 1.0), (1435781475.781, 0.0)]
        );
        assert_eq!(matrix.warnings, ["too many samples"]);
    }

    #[test]
    fn errors_say_what_prometheus_or_the_proxy_said() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""}"#;
        assert_eq!(
            parse(400, body).unwrap_err(),
            r#"Prometheus: bad_data: 1:5: parse error: unexpected "}""#
        );
        assert_eq!(
            parse(502, "<html>\n<h1>502 Bad Gateway</h1></html>").unwrap_err(),
            "server answered 502: <html> <h1>502 Bad Gateway</h1></html>"
        );
        assert!(parse(200, "{}").is_err());
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert!(parse(200, vector).unwrap_err().contains("got a vector"));
    }

    #[test]
    fn several_series_are_named_by_what_differs_highest_first() {
        let series = (0..7)
            .map(|n| {
                let code = format!("50{n}");
                (
                    labels(&[("job", "api"), ("code", &code)]),
                    vec![(1.0, 0.0), (2.0, f64::from(n))],
                )
            })
            .collect();
        let shown = into_series(
            &SIGNAL,
            Matrix {
                series,
                warnings: vec![],
            },
        );
        let names: Vec<&str> = shown.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "errors · code=506",
                "errors · code=505",
                "errors · code=504",
                "errors · code=503",
                "errors · code=502",
                "errors"
            ]
        );
        assert!(
            matches!(&shown[5].notice, Some(Notice::Info(text)) if text.starts_with("2 more series"))
        );
        assert!(
            shown
                .iter()
                .all(|s| s.query.as_deref() == Some(SIGNAL.query))
        );
    }

    #[test]
    fn one_series_keeps_the_signals_name_and_none_says_so() {
        let one = Matrix {
            series: vec![(labels(&[("job", "api")]), vec![(1.0, 2.0)])],
            warnings: vec![],
        };
        let shown = into_series(&SIGNAL, one);
        assert_eq!(
            (shown[0].name.as_str(), shown[0].unit),
            ("errors", Unit::PerSecond)
        );
        let none = into_series(&SIGNAL, Matrix::default());
        assert!(matches!(&none[0].notice, Some(Notice::Info(t)) if t.starts_with("no data")));
    }
}
