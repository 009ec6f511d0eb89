//! `[services.NAME.queries]`: what the metrics pane charts for a service, in the order
//! written. A query is a PromQL string, or a table with an explicit unit:
//! `"p99" = { query = "…", unit = "seconds" }`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::metrics::Unit;

/// One chart of a service: its name (the key), the PromQL template, and its unit when
/// the config says (otherwise it is inferred from the name and the query).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceQuery {
    pub name: String,
    pub query: String,
    pub unit: Option<Unit>,
}

/// The service's queries in the order the file lists them (toml's `preserve_order`
/// hands the table's keys over in that order; a map type here would sort them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queries(pub Vec<ServiceQuery>);

impl<'de> Deserialize<'de> for Queries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(QueriesVisitor)
    }
}

struct QueriesVisitor;

impl<'de> Visitor<'de> for QueriesVisitor {
    type Value = Queries;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of name = \"PromQL\" or name = { query = \"PromQL\", unit = \"…\" }")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Queries, A::Error> {
        let mut queries = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let Spec { query, unit } = map.next_value()?;
            if query.trim().is_empty() {
                return Err(de::Error::custom(format!("the query `{name}` is empty")));
            }
            queries.push(ServiceQuery { name, query, unit });
        }
        Ok(Queries(queries))
    }
}

/// The value of one query: a string, or a table.
struct Spec {
    query: String,
    unit: Option<Unit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecTable {
    query: String,
    #[serde(default)]
    unit: Option<Unit>,
}

impl<'de> Deserialize<'de> for Spec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SpecVisitor)
    }
}

struct SpecVisitor;

impl<'de> Visitor<'de> for SpecVisitor {
    type Value = Spec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PromQL string, or a table { query = \"…\", unit = \"seconds\" }")
    }

    fn visit_str<E: de::Error>(self, query: &str) -> Result<Spec, E> {
        Ok(Spec {
            query: query.to_string(),
            unit: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Spec, A::Error> {
        let table = SpecTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Spec {
            query: table.query,
            unit: table.unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;
    use crate::config::load::parse_toml;
    use crate::metrics::Unit;

    fn parse(text: &str) -> Result<Config, crate::config::load::ConfigError> {
        parse_toml(text, Path::new("/tmp/c.toml"))
    }

    #[test]
    fn queries_keep_the_order_written_and_take_a_unit() {
        let config = parse(
            r#"
[services.api]
team = "pay"
[services.api.queries]
"zeta errors" = 'sum(rate(e{service="{{service}}"}[5m]))'
"alpha p99" = { query = "histogram_quantile(0.99, x)", unit = "seconds" }
"mid" = "up"
"#,
        )
        .unwrap();
        let queries = &config.services["api"].queries.0;
        let names: Vec<&str> = queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["zeta errors", "alpha p99", "mid"]);
        assert_eq!(
            queries[0].query,
            r#"sum(rate(e{service="{{service}}"}[5m]))"#
        );
        assert_eq!(queries[0].unit, None);
        assert_eq!(queries[1].unit, Some(Unit::Seconds));
        assert_eq!(config.services["api"].team.as_deref(), Some("pay"));
    }

    #[test]
    fn a_bad_query_names_its_key_and_line() {
        let error = parse(
            "[services.api.queries]\nok = \"up\"\nlat = { query = \"x\", unit = \"furlongs\" }\n",
        )
        .unwrap_err();
        assert_eq!(error.key.as_deref(), Some("services.api.queries.lat.unit"));
        assert_eq!(error.line, Some(3));
        let error = parse("[services.api.queries]\nlat = { qurey = \"x\" }\n").unwrap_err();
        assert!(error.message.contains("unknown field"), "{error}");
        let error = parse("[services.api.queries]\nlat = 3\n").unwrap_err();
        assert!(error.message.contains("PromQL string"), "{error}");
        let error = parse("[services.api.queries]\nlat = \" \"\n").unwrap_err();
        assert!(error.message.contains("is empty"), "{error}");
    }
}
