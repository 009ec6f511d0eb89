//! Who is on call on a schedule: each person, wherever they sit, from its on-calls; who
//! comes on next, from its next-on-calls. Neither answer carries a time: when the next
//! change is comes from the timeline (`shifts`).

use chrono::{DateTime, Utc};

use super::wire::{NextOnCalls, OnCalls, Participant, ScheduleMeta};
use crate::providers::OnCall;

/// One `OnCall` per person on call in `answer`. Escalations and teams on a schedule hold
/// their own participants: the people inside are listed, or the team or escalation by
/// name when Opsgenie names no one in it.
pub fn on_calls(source: &str, configured_name: &str, answer: OnCalls) -> Vec<OnCall> {
    let rota = rota(answer.parent.as_ref(), configured_name);
    let mut people = Vec::new();
    for participant in &answer.on_call_participants {
        collect(participant, &mut people);
    }
    people
        .into_iter()
        .map(|who| row(source, &rota, who))
        .collect()
}

/// The people on call now (`now`), with what the next change at `change` tells: whoever
/// is not among the people on after it is on call until then, and whoever comes on is
/// next from then. Without the time or without who comes on, the people now are all there
/// is: no end or start is guessed.
pub fn roster(
    source: &str,
    configured_name: &str,
    now: OnCalls,
    next: Option<&NextOnCalls>,
    change: Option<DateTime<Utc>>,
) -> Vec<OnCall> {
    let rota = rota(now.parent.as_ref(), configured_name);
    let mut people = on_calls(source, configured_name, now);
    let (Some(at), Some(coming)) = (change, next.and_then(coming_on)) else {
        return people;
    };
    for person in &mut people {
        if !coming.contains(&person.who) {
            person.until = Some(at);
        }
    }
    let newcomers: Vec<OnCall> = coming
        .into_iter()
        .filter(|who| !people.iter().any(|person| &person.who == who))
        .map(|who| OnCall {
            from: Some(at),
            ..row(source, &rota, who)
        })
        .collect();
    people.extend(newcomers);
    people
}

/// Who is on call right after the next change, by name; `None` when Opsgenie does not
/// say (an empty list says nobody is).
fn coming_on(next: &NextOnCalls) -> Option<Vec<String>> {
    if let Some(recipients) = &next.exact_next_on_call_recipients {
        let mut people = Vec::new();
        for recipient in recipients {
            collect(recipient, &mut people);
        }
        return Some(people);
    }
    let names = next.exact_next_on_call_participants.as_ref()?;
    let mut people: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !people.iter().any(|known| known == name) {
            people.push(name.to_string());
        }
    }
    Some(people)
}

/// The schedule's own name, else the one configured.
fn rota(parent: Option<&ScheduleMeta>, configured_name: &str) -> String {
    parent
        .and_then(|parent| parent.name.as_deref())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or(configured_name)
        .to_string()
}

fn row(source: &str, rota: &str, who: String) -> OnCall {
    OnCall {
        source: source.to_string(),
        rota: rota.to_string(),
        level: None,
        who,
        until: None,
        from: None,
    }
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
    use crate::providers::opsgenie::map::time;
    use crate::providers::opsgenie::wire::{NextOnCallAnswer, OnCallAnswer};

    fn answer(json: &str) -> OnCalls {
        serde_json::from_str::<OnCallAnswer>(json)
            .unwrap()
            .data
            .unwrap()
    }

    fn next(json: &str) -> NextOnCalls {
        let answer: NextOnCallAnswer = serde_json::from_str(json).unwrap();
        answer.data.unwrap()
    }

    /// 09:00 UTC on a Monday.
    fn now() -> DateTime<Utc> {
        at("2030-01-07T09:00:00Z")
    }

    fn at(text: &str) -> DateTime<Utc> {
        time(Some(text)).unwrap()
    }

    /// (who, until, from) of each row.
    type Row = (String, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

    fn rows(people: Vec<OnCall>) -> Vec<Row> {
        people
            .into_iter()
            .map(|p| (p.who, p.until, p.from))
            .collect()
    }

    fn row_of(who: &str, until: Option<&str>, from: Option<&str>) -> Row {
        (who.to_string(), until.map(at), from.map(at))
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

    #[test]
    fn who_leaves_is_on_until_the_change_and_who_comes_on_is_next_from_it() {
        let now_on = answer(
            r#"{"data":{"_parent":{"name":"ops"},"onCallParticipants":[
                {"name":"ann@example.com","type":"user"},
                {"name":"bob@example.com","type":"user"}]}}"#,
        );
        let coming = next(
            r#"{"data":{"exactNextOnCallRecipients":[
                {"name":"ann@example.com","type":"user"},
                {"name":"Eng escalation","type":"escalation","onCallParticipants":[
                    {"name":"carl@example.com","type":"user"}]}],
                "nextOnCallRecipients":[{"name":"dan@example.com","type":"user"}]}}"#,
        );
        let change = at("2030-01-07T17:00:00Z");
        let people = roster("og", "configured", now_on, Some(&coming), Some(change));
        assert!(people.iter().all(|p| p.rota == "ops" && p.level.is_none()));
        assert!(!people[2].now(now()) && people[2].now(change));
        assert_eq!(
            rows(people),
            [
                // Ann is on after the change too: her end is not known.
                row_of("ann@example.com", None, None),
                row_of("bob@example.com", Some("2030-01-07T17:00:00Z"), None),
                row_of("carl@example.com", None, Some("2030-01-07T17:00:00Z")),
            ]
        );
    }

    #[test]
    fn the_flat_list_of_names_says_who_comes_on_when_there_is_no_other() {
        let now_on = answer(r#"{"data":{"onCallParticipants":[{"name":"ann"}]}}"#);
        let coming = next(r#"{"data":{"exactNextOnCallParticipants":[" bob ","","bob"]}}"#);
        let change = at("2030-01-07T17:00:00Z");
        let people = roster("og", "ops", now_on, Some(&coming), Some(change));
        assert_eq!(people[1].rota, "ops");
        assert_eq!(
            rows(people),
            [
                row_of("ann", Some("2030-01-07T17:00:00Z"), None),
                row_of("bob", None, Some("2030-01-07T17:00:00Z")),
            ]
        );
    }

    #[test]
    fn without_who_comes_on_or_when_no_end_or_start_is_guessed() {
        let now_on = || answer(r#"{"data":{"onCallParticipants":[{"name":"ann"}]}}"#);
        let change = Some(at("2030-01-07T17:00:00Z"));
        let only_ann = [row_of("ann", None, None)];
        // Only the lists that are not "exact": who they hold is not said to be on at the change.
        let vague = next(r#"{"data":{"nextOnCallRecipients":[{"name":"bob"}]}}"#);
        assert_eq!(
            rows(roster("og", "ops", now_on(), Some(&vague), change)),
            only_ann
        );
        let null = next(r#"{"data":{"exactNextOnCallRecipients":null}}"#);
        assert_eq!(
            rows(roster("og", "ops", now_on(), Some(&null), change)),
            only_ann
        );
        assert_eq!(rows(roster("og", "ops", now_on(), None, change)), only_ann);
        let bob = next(r#"{"data":{"exactNextOnCallRecipients":[{"name":"bob"}]}}"#);
        assert_eq!(
            rows(roster("og", "ops", now_on(), Some(&bob), None)),
            only_ann
        );
        // An empty list does say something: nobody is on after the change.
        let nobody = next(r#"{"data":{"exactNextOnCallRecipients":[]}}"#);
        assert_eq!(
            rows(roster("og", "ops", now_on(), Some(&nobody), change)),
            [row_of("ann", Some("2030-01-07T17:00:00Z"), None)]
        );
    }
}
