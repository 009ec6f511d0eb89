//! The alert's own expression, from the link Prometheus puts on every alert
//! (`generatorURL`: `…/graph?g0.expr=<PromQL>&g0.tab=1`), made fit to chart.

use crate::incident::Incident;

/// The title the Alertmanager source gives the generator link.
pub const LINK_TITLE: &str = "Prometheus expression";

/// The expression of the incident's generator link: the link titled as Alertmanager's
/// source titles it, else any link that carries a `g0.expr` (other sources keep the
/// generator URL among their links too).
pub fn from_incident(incident: &Incident) -> Option<String> {
    let titled = incident
        .links
        .iter()
        .filter(|l| l.title == LINK_TITLE)
        .find_map(|l| from_url(&l.url));
    titled.or_else(|| incident.links.iter().find_map(|l| from_url(&l.url)))
}

/// `g0.expr`, URL-decoded (`+` is a space, as in a form), if the URL has a non-empty one.
pub fn from_url(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(key, _)| key == "g0.expr")
        .map(|(_, value)| value.trim().to_string())
        .filter(|expr| !expr.is_empty())
}

/// What to chart for an alert expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Charted {
    pub query: String,
    /// The comparison the alert fires on, e.g. (">", 0.05).
    pub threshold: Option<(&'static str, f64)>,
}

/// `A > 0.05` charts only where the alert held (a comparison filters the series), so
/// before the firing there would be nothing to see. When the whole expression is one
/// top-level comparison with a number, chart its left side and keep the threshold to draw
/// across it. Anything else (`and`, `bool`, comparisons between series) is charted as is.
pub fn chartable(expr: &str) -> Charted {
    let as_is = Charted {
        query: expr.to_string(),
        threshold: None,
    };
    let Some((at, op)) = top_level_comparison(expr) else {
        return as_is;
    };
    let (left, right) = (expr[..at].trim(), expr[at + op.len()..].trim());
    match right.parse::<f64>() {
        Ok(value) if !left.is_empty() && value.is_finite() => Charted {
            query: left.to_string(),
            threshold: Some((op, value)),
        },
        _ => as_is,
    }
}

const COMPARISONS: [&str; 6] = [">=", "<=", "==", "!=", ">", "<"];

/// The one comparison outside brackets, strings and comments; `None` when there is none,
/// more than one, or a set operator (`and`/`or`/`unless`) at the top too.
fn top_level_comparison(expr: &str) -> Option<(usize, &'static str)> {
    let bytes = expr.as_bytes();
    let (mut depth, mut i) = (0i32, 0usize);
    let mut found = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => depth -= 1,
            _ if depth == 0 => {
                if let Some(op) = COMPARISONS.iter().find(|op| expr[i..].starts_with(**op)) {
                    if found.is_some() {
                        return None;
                    }
                    found = Some((i, *op));
                    i += op.len();
                    continue;
                }
                if starts_word(expr, i, &["and", "or", "unless"]) {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Past the closing quote of the string opening at `start` (backslash escapes; raw
/// backtick strings have none).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != quote {
        if bytes[i] == b'\\' && quote != b'`' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

/// Is one of `words` at `at`, as a whole word?
fn starts_word(text: &str, at: usize, words: &[&str]) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let before_ok = text[..at].chars().next_back().is_none_or(|c| !ident(c));
    before_ok
        && words.iter().any(|word| {
            text[at..].starts_with(word)
                && text[at + word.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !ident(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Link;

    #[test]
    fn the_expression_is_read_from_the_generator_url() {
        let url = "http://prometheus:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1";
        assert_eq!(
            from_url(url).as_deref(),
            Some(r#"sum(rate(http_requests_total{code=~"5.."}[5m])) > 0.05"#)
        );
        assert_eq!(
            from_url("http://p:9090/graph?g0.expr=up&g0.tab=1").as_deref(),
            Some("up")
        );
        assert_eq!(from_url("http://p:9090/graph?g0.tab=1"), None);
        assert_eq!(from_url("http://p:9090/graph?g0.expr="), None);
        assert_eq!(from_url("not a url"), None);
    }

    #[test]
    fn the_titled_link_wins_over_any_other() {
        let mut incident = crate::testing::incident("api", "Down");
        incident.links = vec![
            Link {
                title: "other".into(),
                url: "http://a/graph?g0.expr=a".into(),
            },
            Link {
                title: LINK_TITLE.into(),
                url: "http://b/graph?g0.expr=b".into(),
            },
        ];
        assert_eq!(from_incident(&incident).as_deref(), Some("b"));
        incident.links.remove(1);
        assert_eq!(from_incident(&incident).as_deref(), Some("a"));
        incident.links.clear();
        assert_eq!(from_incident(&incident), None);
    }

    #[test]
    fn a_threshold_comparison_is_split_off_to_chart_the_value_before_the_firing() {
        let split = chartable(r#"sum(rate(x{code=~"5..",a!="b"}[5m])) / sum(rate(x[5m])) > 0.05"#);
        assert_eq!(
            split.query,
            r#"sum(rate(x{code=~"5..",a!="b"}[5m])) / sum(rate(x[5m]))"#
        );
        assert_eq!(split.threshold, Some((">", 0.05)));
        assert_eq!(chartable("up == 0").threshold, Some(("==", 0.0)));
        assert_eq!(chartable("x <= 1e3").threshold, Some(("<=", 1000.0)));
        // Left as they are: nothing to split, or not safely.
        for expr in [
            "up",
            "a > b",
            "a > 1 and b > 2",
            "a > bool 1",
            "(a > 1)",
            r#"x{l=">"} "#,
            "x > 1 # 2 > 3",
        ] {
            let charted = chartable(expr);
            assert_eq!(charted.query, expr, "{expr}");
            assert_eq!(charted.threshold, None, "{expr}");
        }
    }
}
