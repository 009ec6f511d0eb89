//! Which incident a command-line argument names: the full key (`prod:HighErrorRate/api`),
//! SOURCE/ID (`demo/INC-1042`), or just the ID when only one source has it.

use crate::incident::Incident;

pub fn find<'a, I>(incidents: I, argument: &str) -> Result<&'a Incident, String>
where
    I: IntoIterator<Item = &'a Incident>,
    I::IntoIter: Clone,
{
    let incidents = incidents.into_iter();
    let argument = argument.trim();
    let exact = |i: &&Incident| {
        i.key.to_string() == argument || format!("{}/{}", i.key.source, i.key.id) == argument
    };
    if let Some(incident) = incidents.clone().find(exact) {
        return Ok(incident);
    }
    let found: Vec<&Incident> = incidents.filter(|i| i.key.id == argument).collect();
    match found[..] {
        [incident] => Ok(incident),
        [] => Err(format!(
            "no active incident {argument}: `pagerdeck incidents` lists them"
        )),
        _ => {
            let keys: Vec<String> = found.iter().map(|i| i.key.to_string()).collect();
            Err(format!(
                "{argument} is in more than one source ({}): give SOURCE:ID",
                keys.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::IncidentKey;

    fn at(source: &str, id: &str) -> Incident {
        Incident {
            key: IncidentKey::new(source, id),
            source: source.into(),
            ..crate::testing::incident("api", "HighErrorRate")
        }
    }

    #[test]
    fn an_incident_is_found_by_key_source_and_id_or_id_alone() {
        let incidents = [
            at("prod", "HighErrorRate/checkout-api"),
            at("demo", "INC-1042"),
            at("eu", "INC-1042"),
        ];
        let key = |argument| find(&incidents, argument).map(|i| i.key.to_string());
        assert_eq!(
            key("prod:HighErrorRate/checkout-api").unwrap(),
            "prod:HighErrorRate/checkout-api"
        );
        // An Alertmanager id holds a slash; it is still an id, not SOURCE/ID.
        assert_eq!(
            key("HighErrorRate/checkout-api").unwrap(),
            "prod:HighErrorRate/checkout-api"
        );
        assert_eq!(
            key("prod/HighErrorRate/checkout-api").unwrap(),
            "prod:HighErrorRate/checkout-api"
        );
        assert_eq!(key("demo/INC-1042").unwrap(), "demo:INC-1042");
        assert!(
            key("INC-1042")
                .unwrap_err()
                .contains("more than one source")
        );
        assert!(key("INC-9").unwrap_err().contains("pagerdeck incidents"));
    }
}
