//! Level two's answer to an escalation, read from the incident's responders: a responder
//! request made through an escalation policy that someone joined or declined.

use super::wire;
use crate::incident::LevelTwoAnswer;

/// The answer of the newest request made through an escalation policy. One request to a
/// policy reaches everyone on call at its level, so all responders asked at that moment
/// count together: anyone who joined has it; it is declined only once nobody is still
/// pending; otherwise (pending, cancelled) there is no answer yet.
pub fn level_two_answer(responders: &[wire::Responder]) -> Option<LevelTwoAnswer> {
    let through_policy: Vec<&wire::Responder> = responders
        .iter()
        .filter(|r| r.escalation_policy_requests.iter().any(names_something))
        .collect();
    let newest = through_policy.iter().map(|r| r.requested_at).max()?;
    let asked: Vec<&wire::Responder> = through_policy
        .into_iter()
        .filter(|r| r.requested_at == newest)
        .collect();
    let in_state = |state: &str| asked.iter().find(|r| r.state == state);
    if let Some(joined) = in_state("joined") {
        return Some(LevelTwoAnswer::Taken { by: who(joined) });
    }
    if in_state("pending").is_some() {
        return None;
    }
    in_state("declined").map(|declined| LevelTwoAnswer::Declined { by: who(declined) })
}

/// An entry of `escalation_policy_requests`: a name, or a reference object.
fn names_something(entry: &serde_json::Value) -> bool {
    match entry {
        serde_json::Value::String(name) => !name.trim().is_empty(),
        serde_json::Value::Object(fields) => !fields.is_empty(),
        _ => false,
    }
}

/// A responder without a readable user is still an answer: it came from level two.
fn who(responder: &wire::Responder) -> String {
    responder
        .user
        .as_ref()
        .and_then(wire::Reference::label)
        .unwrap_or_else(|| "level two".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer_of(responders: &str) -> Option<LevelTwoAnswer> {
        let responders: Vec<wire::Responder> = serde_json::from_str(responders).unwrap();
        level_two_answer(&responders)
    }

    fn responder(state: &str, who: &str, at: &str) -> String {
        format!(
            r#"{{"state":"{state}","user":{{"id":"P{who}","type":"user_reference","summary":"{who}"}},
                "requested_at":"{at}","escalation_policy_requests":["Eng Cap (EP)"]}}"#
        )
    }

    fn taken(by: &str) -> Option<LevelTwoAnswer> {
        Some(LevelTwoAnswer::Taken { by: by.into() })
    }

    fn declined(by: &str) -> Option<LevelTwoAnswer> {
        Some(LevelTwoAnswer::Declined { by: by.into() })
    }

    const EARLY: &str = "2026-11-22T03:10:00Z";
    const LATE: &str = "2026-11-22T03:40:00Z";

    #[test]
    fn a_responder_who_joined_has_it_and_one_who_declined_says_no() {
        let joined = responder("joined", "Kai", EARLY);
        assert_eq!(answer_of(&format!("[{joined}]")), taken("Kai"));
        let refused = responder("declined", "Kai", EARLY);
        assert_eq!(answer_of(&format!("[{refused}]")), declined("Kai"));
    }

    #[test]
    fn pending_cancelled_or_no_responders_is_no_answer_yet() {
        for state in ["pending", "user_cancelled", "something_new"] {
            let one = responder(state, "Kai", EARLY);
            assert_eq!(answer_of(&format!("[{one}]")), None, "{state}");
        }
        assert_eq!(answer_of("[]"), None);
    }

    #[test]
    fn the_newest_request_wins() {
        let old_yes = responder("joined", "Kai", EARLY);
        let new_no = responder("declined", "Mo", LATE);
        assert_eq!(answer_of(&format!("[{new_no},{old_yes}]")), declined("Mo"));
        let old_no = responder("declined", "Kai", EARLY);
        let new_yes = responder("joined", "Mo", "2026-11-22T03:40:00+00:00");
        assert_eq!(answer_of(&format!("[{old_no},{new_yes}]")), taken("Mo"));
        // A request with a time is newer than one without.
        let untimed = r#"{"state":"declined","escalation_policy_requests":["Eng Cap"]}"#;
        assert_eq!(answer_of(&format!("[{new_yes},{untimed}]")), taken("Mo"));
    }

    #[test]
    fn among_those_asked_at_once_a_join_wins_and_a_pending_one_holds_off_a_decline() {
        let joined = responder("joined", "Kai", LATE);
        let refused = responder("declined", "Mo", LATE);
        let waiting = responder("pending", "Lu", LATE);
        assert_eq!(answer_of(&format!("[{refused},{joined}]")), taken("Kai"));
        assert_eq!(answer_of(&format!("[{refused},{waiting}]")), None);
        let cancelled = responder("user_cancelled", "Lu", LATE);
        assert_eq!(
            answer_of(&format!("[{cancelled},{refused}]")),
            declined("Mo")
        );
    }

    #[test]
    fn a_responder_asked_directly_is_not_level_twos_answer() {
        let direct = r#"{"state":"joined","user":{"id":"PD","summary":"Dee"},
            "requested_at":"2026-11-22T03:50:00Z"}"#;
        let empty = r#"{"state":"joined","user":{"id":"PE","summary":"Eve"},
            "requested_at":"2026-11-22T03:50:00Z","escalation_policy_requests":["", null, {}]}"#;
        let via_policy = responder("declined", "Mo", EARLY);
        assert_eq!(
            answer_of(&format!("[{direct},{empty},{via_policy}]")),
            declined("Mo")
        );
        assert_eq!(answer_of(&format!("[{direct}]")), None);
    }

    #[test]
    fn missing_fields_still_give_an_answer_where_one_can_be_read() {
        let no_user = r#"{"state":"joined","user":null,"escalation_policy_requests":["Eng Cap"]}"#;
        assert_eq!(answer_of(&format!("[{no_user}]")), taken("level two"));
        let blank_user = r#"{"state":"declined","user":{"id":"PB","summary":null},
            "escalation_policy_requests":[{"id":"PEP","type":"escalation_policy_reference"}]}"#;
        assert_eq!(answer_of(&format!("[{blank_user}]")), declined("PB"));
        let bare = r#"{"escalation_policy_requests":["Eng Cap"]}"#;
        assert_eq!(answer_of(&format!("[{bare}]")), None, "no state: no answer");
    }
}
