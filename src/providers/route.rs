//! A playbook's own route to level two for its services (its front matter's
//! `escalation`), used instead of `[escalation]` for the incident's source kind, and
//! carried in the escalation's journal line so the record says which way it went.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::pagerduty::EscalationRoute;
use super::paging::DEFAULT_EVENTS_URL;
use crate::config::{OpsgenieRoute, PagerdutyRoute};

/// `escalation` in a playbook's front matter: level two's name (`escalation = "Payments
/// L2"`), or a table with the name and, per source kind, the route its services' incidents
/// take, in the same words as `[escalation]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookLevelTwo {
    pub name: Option<String>,
    pub pagerduty: Option<PagerdutyRoute>,
    pub opsgenie: Option<OpsgenieRoute>,
    pub alertmanager: Option<EventsRoute>,
}

/// An Alertmanager incident's page to level two from a playbook: Events API v2 only. A
/// webhook's URL is a secret, and a playbook lives in a shared repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsRoute {
    /// The variable holding the integration key (read when the page is sent).
    pub events_routing_key_env: String,
    pub events_url: Option<String>,
}

/// The route one escalation takes when a playbook chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "route", rename_all = "snake_case")]
pub enum RouteOverride {
    Pagerduty(PagerdutyRoute),
    Opsgenie(OpsgenieRoute),
    Alertmanager(EventsRoute),
}

impl PlaybookLevelTwo {
    /// The playbook's route for a source of `kind`, if it names one.
    pub fn route_for(&self, kind: &str) -> Option<RouteOverride> {
        match kind {
            "pagerduty" => self.pagerduty.clone().map(RouteOverride::Pagerduty),
            "opsgenie" => self.opsgenie.clone().map(RouteOverride::Opsgenie),
            "alertmanager" => self.alertmanager.clone().map(RouteOverride::Alertmanager),
            _ => None,
        }
    }

    /// What is wrong with the routes, in front matter words (checked when the playbook is
    /// read, so a bad route is found before the night it is needed).
    pub fn check(&self) -> Result<(), String> {
        if let Some(route) = &self.pagerduty {
            EscalationRoute::from_config(route)
                .map_err(|reason| format!("escalation.pagerduty: {reason}"))?;
        }
        if self
            .opsgenie
            .as_ref()
            .is_some_and(|r| r.escalation.trim().is_empty())
        {
            return Err("escalation.opsgenie: the escalation's name is empty".into());
        }
        if let Some(route) = &self.alertmanager {
            if route.events_routing_key_env.trim().is_empty() {
                return Err("escalation.alertmanager: the variable's name is empty".into());
            }
            if let Some(url) = &route.events_url
                && !url.starts_with("https://")
                && !url.starts_with("http://")
            {
                return Err(
                    "escalation.alertmanager: events_url must start with https:// (or http://)"
                        .into(),
                );
            }
        }
        Ok(())
    }
}

impl RouteOverride {
    /// The route in the escalation panel's words, as the source would say its own.
    pub fn describe(&self) -> String {
        match self {
            RouteOverride::Pagerduty(route) => match EscalationRoute::from_config(route) {
                Ok(route) => route.describe(),
                Err(reason) => format!("PagerDuty: {reason}"),
            },
            RouteOverride::Opsgenie(route) => super::opsgenie::route_words(&route.escalation),
            RouteOverride::Alertmanager(route) => {
                let url = route.events_url.as_deref().unwrap_or(DEFAULT_EVENTS_URL);
                format!(
                    "{} (key from ${})",
                    super::paging::events_route_words(url),
                    route.events_routing_key_env
                )
            }
        }
    }
}

impl EventsRoute {
    /// The integration key from its variable, now: a playbook's route is read when used.
    pub fn routing_key(&self) -> Result<super::token::Secret, String> {
        let variable = &self.events_routing_key_env;
        let key = std::env::var(variable).map_err(|_| {
            format!("the playbook's level-two route reads ${variable}, which is not set")
        })?;
        match key.trim() {
            "" => Err(format!(
                "the playbook's level-two route reads ${variable}, which is empty"
            )),
            key => Ok(super::token::Secret::new(key)),
        }
    }
}

/// Front matter's `escalation` is a name or a table; each keeps its own error messages.
impl<'de> Deserialize<'de> for NameOrRoutes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = NameOrRoutes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "level two's name, or a table with name, pagerduty, opsgenie, alertmanager",
                )
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<NameOrRoutes, E> {
                Ok(NameOrRoutes(PlaybookLevelTwo {
                    name: Some(name.to_string()),
                    ..PlaybookLevelTwo::default()
                }))
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<NameOrRoutes, M::Error> {
                PlaybookLevelTwo::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(NameOrRoutes)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// How front matter reads `escalation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameOrRoutes(pub PlaybookLevelTwo);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PagerdutyMode;

    #[derive(Deserialize)]
    struct Front {
        escalation: NameOrRoutes,
    }

    fn read(toml: &str) -> Result<PlaybookLevelTwo, String> {
        toml::from_str::<Front>(toml)
            .map(|front| front.escalation.0)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn a_name_or_a_table_of_routes() {
        assert_eq!(
            read("escalation = \"Payments L2\"")
                .unwrap()
                .name
                .as_deref(),
            Some("Payments L2")
        );
        let routes = read(
            "[escalation]\nname = \"Payments L2\"\npagerduty = { escalation_policy_id = \"PPAY2\", mode = \"responder_request\" }\nopsgenie = { escalation = \"Payments escalation\" }\nalertmanager = { events_routing_key_env = \"PAY_L2_KEY\" }\n",
        )
        .unwrap();
        assert_eq!(
            routes.route_for("pagerduty"),
            Some(RouteOverride::Pagerduty(PagerdutyRoute {
                escalation_policy_id: Some("PPAY2".into()),
                escalation_level: None,
                mode: PagerdutyMode::ResponderRequest,
            }))
        );
        assert_eq!(
            routes.route_for("opsgenie").map(|r| r.describe()),
            Some("Opsgenie: escalation \"Payments escalation\", the hand-over as its note".into())
        );
        assert!(routes.route_for("demo").is_none());
        assert!(routes.check().is_ok());
        // A misspelt key is named, as in the config.
        let wrong = read("[escalation]\npagerdutty = { escalation_level = 2 }\n").unwrap_err();
        assert!(wrong.contains("pagerdutty"), "{wrong}");
    }

    #[test]
    fn a_webhook_or_a_bad_route_in_a_playbook_is_refused_with_why() {
        let webhook = read(
            "[escalation]\nalertmanager = { webhook_url = \"https://hooks.example.com/s3cr3t\" }\n",
        )
        .unwrap_err();
        assert!(webhook.contains("webhook_url"), "{webhook}");
        let both = read(
            "[escalation]\npagerduty = { escalation_policy_id = \"P1\", escalation_level = 2 }\n",
        )
        .unwrap();
        let problem = both.check().unwrap_err();
        assert!(problem.starts_with("escalation.pagerduty: "), "{problem}");
    }

    #[test]
    fn the_override_is_journaled_with_its_kind() {
        let route = RouteOverride::Alertmanager(EventsRoute {
            events_routing_key_env: "PAY_L2_KEY".into(),
            events_url: None,
        });
        let json = serde_json::to_string(&route).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"alertmanager","route":{"events_routing_key_env":"PAY_L2_KEY","events_url":null}}"#
        );
        assert_eq!(serde_json::from_str::<RouteOverride>(&json).unwrap(), route);
    }
}
