//! Who is on call, from a schedule's on-calls: each person, wherever they sit.

use super::wire::{OnCalls, Participant};
use crate::providers::OnCall;

/// One `OnCall` per person on call in `answer`. Escalations and teams on a schedule hold
/// their own participants: the people inside are listed, or the team or escalation by
/// name when Opsgenie names no one in it.
pub fn on_calls(source: &str, configured_name: &str, answer: OnCalls) -> Vec<OnCall> {
    let rota = answer
        .parent
        .and_then(|parent| parent.name)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| configured_name.to_string());
    let mut people = Vec::new();
    for participant in &answer.on_call_participants {
        collect(participant, &mut people);
    }
    people
        .into_iter()
        .map(|who| OnCall {
            source: source.to_string(),
            rota: rota.clone(),
            level: None,
            who,
            until: None,
            from: None,
        })
        .collect()
}

fn collect(participant: &Participant, people: &mut Vec<String>) {
    if participant.on_call_participants.is_empty() {
        let name = participant.name.as_deref().map(str::trim).unwrap_or("");
        if !name.is_empty() && !people.iter().any(|known| known == name) {
            people.push(name.to_string());
        }
        return;
    }
    for inner in &participant.on_call_participants {
        collect(inner, people);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::opsgenie::wire::OnCallAnswer;

    fn answer(json: &str) -> OnCalls {
        serde_json::from_str::<OnCallAnswer>(json)
            .unwrap()
            .data
            .unwrap()
    }

    #[test]
    fn people_inside_escalations_and_teams_are_listed_once() {
        let data = answer(
            r#"{"data":{"_parent":{"name":"ops"},"onCallParticipants":[
                {"name":"ann@example.com","type":"user"},
                {"name":"Eng escalation","type":"escalation","onCallParticipants":[
                    {"name":"bob@example.com","type":"user"},
                    {"name":"ann@example.com","type":"user"}]},
                {"name":"db team","type":"team","onCallParticipants":null}]}}"#,
        );
        let who: Vec<(String, String)> = on_calls("og", "configured", data)
            .into_iter()
            .map(|o| (o.rota, o.who))
            .collect();
        let expected = ["ann@example.com", "bob@example.com", "db team"]
            .map(|w| ("ops".to_string(), w.to_string()));
        assert_eq!(who, expected);
    }

    #[test]
    fn a_schedule_without_its_name_uses_the_configured_one() {
        let data = answer(r#"{"data":{"onCallParticipants":[{"name":"ann"}]}}"#);
        assert_eq!(on_calls("og", "ops", data)[0].rota, "ops");
        let nobody = answer(r#"{"data":{"_parent":null,"onCallParticipants":null}}"#);
        assert!(on_calls("og", "ops", nobody).is_empty());
    }
}
