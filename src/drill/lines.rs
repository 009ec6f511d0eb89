//! The debrief as plain lines: one verdict per judged point, `✔` right, `✖` wrong, `~`
//! half right. Texts from the scenario and its playbooks are sanitized.

use super::debrief::{
    AcknowledgeVerdict, Debrief, EscalationVerdict, IncidentDebrief, StepVerdict,
};
use super::score::{
    ACKNOWLEDGE_POINTS, ESCALATION_POINTS, NOT_ACTIONABLE_POINTS, RESOLVE_POINTS, STEPS_POINTS,
};
use crate::sanitize;

/// Step texts are cut here on the screen; `--json` has them whole.
const STEP_TEXT: usize = 64;

impl Debrief {
    /// The debrief as plain lines, for the screen (and the terminal after it).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "Drill {} ({}): {}/100",
                sanitize::line(&self.scenario),
                sanitize::line(&self.kind),
                self.score
            ),
            sanitize::line(&self.description).into_owned(),
            format!(
                "{} simulated at {}× speed; {} of {} points.",
                duration(self.lasted_seconds),
                trim_speed(self.speed),
                self.points,
                self.max_points
            ),
        ];
        for incident in &self.incidents {
            lines.push(String::new());
            lines.extend(incident_lines(incident));
        }
        lines.push(String::new());
        lines.push(format!(
            "Points per incident: acknowledge {ACKNOWLEDGE_POINTS}, steps {STEPS_POINTS} (shared; half for one out of order), escalation {ESCALATION_POINTS}, not actionable {NOT_ACTIONABLE_POINTS} (noise only), resolve {RESOLVE_POINTS} (if asked)."
        ));
        if let Some(progress) = &self.progress {
            lines.push(format!("Progress: {}", sanitize::line(progress)));
        }
        lines
    }
}

fn incident_lines(incident: &IncidentDebrief) -> Vec<String> {
    let id = sanitize::line(&incident.incident);
    let title = sanitize::line(&incident.title);
    if !incident.fired {
        return vec![format!(
            "– {id} {title}: it had not fired when the drill ended"
        )];
    }
    let mut lines = vec![format!(
        "{id} {title} ({}/{} points)",
        incident.points, incident.max_points
    )];
    let mut say = |mark: &str, text: String| lines.push(format!("  {mark} {text}"));

    let ack = &incident.acknowledge;
    let within = ack.within_seconds.map(duration).unwrap_or_default();
    match (ack.verdict, ack.after_seconds) {
        (AcknowledgeVerdict::InTime, Some(after)) => {
            say(
                "✔",
                format!("acknowledged in {} (within {within})", duration(after)),
            );
        }
        (AcknowledgeVerdict::Late, Some(after)) => {
            say(
                "✖",
                format!(
                    "acknowledged in {}: late, the aim is within {within}",
                    duration(after)
                ),
            );
        }
        (AcknowledgeVerdict::Never, _) => {
            say(
                "✖",
                format!("never acknowledged (the aim is within {within})"),
            );
        }
        _ => {}
    }

    for step in &incident.steps {
        let text = sanitize::line_within(&step.text, STEP_TEXT);
        match (step.verdict, step.done_before) {
            (StepVerdict::Followed, _) => say("✔", format!("step {} done: {text}", step.number)),
            (StepVerdict::OutOfOrder, Some(before)) => say(
                "~",
                format!(
                    "step {} out of order (done before step {before}): {text}",
                    step.number
                ),
            ),
            (StepVerdict::OutOfOrder, None) => {
                say("~", format!("step {} out of order: {text}", step.number));
            }
            (StepVerdict::Skipped, _) => say("✖", format!("step {} skipped: {text}", step.number)),
        }
    }

    let escalation = &incident.escalation;
    let after = escalation.after_seconds.map(duration).unwrap_or_default();
    let by = escalation
        .within_seconds
        .map(|w| format!(" within {}", duration(w)))
        .unwrap_or_default();
    match escalation.verdict {
        EscalationVerdict::Right => say(
            "✔",
            format!("escalated to Eng Cap after {after}{}", in_time(&by)),
        ),
        EscalationVerdict::Late => say(
            "✖",
            format!("escalated after {after}: too late, it needed Eng Cap{by}"),
        ),
        EscalationVerdict::Missed => {
            say("✖", format!("not escalated: this one needed Eng Cap{by}"))
        }
        EscalationVerdict::Wrong => say(
            "✖",
            format!("escalated after {after}, but this one did not need Eng Cap"),
        ),
        EscalationVerdict::NotNeeded => say(
            "✔",
            "not escalated: right, this one did not need Eng Cap".into(),
        ),
    }

    let noise = &incident.not_actionable;
    let reason = noise
        .reason
        .as_deref()
        .map(|r| format!(": \"{}\"", sanitize::line_within(r, STEP_TEXT)))
        .unwrap_or_default();
    match (noise.expected, noise.marked) {
        (true, true) => say("✔", format!("marked not actionable{reason}")),
        (true, false) => say(
            "✖",
            "not marked not actionable (`!`): its playbook calls this page noise".into(),
        ),
        (false, true) => say(
            "✖",
            format!("marked not actionable{reason}, but it was a real incident"),
        ),
        (false, false) => {}
    }

    if let Some(resolve) = &incident.resolve {
        match resolve.after_seconds {
            Some(after) => say("✔", format!("resolved after {}", duration(after))),
            None => say("✖", "not resolved by the end of the drill".into()),
        }
    }
    lines
}

fn in_time(by: &str) -> String {
    if by.is_empty() {
        String::new()
    } else {
        format!(" ({})", by.trim_start())
    }
}

fn trim_speed(speed: f64) -> String {
    let text = format!("{speed:.1}");
    text.trim_end_matches(".0").to_string()
}

/// "45s", "3m12s", "5m", "1h05m".
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn drill_durations_read_as_a_person_says_them() {
        let shown: Vec<String> = [0, 45, 60, 192, 300, 3900, -5]
            .into_iter()
            .map(super::duration)
            .collect();
        assert_eq!(shown, ["0s", "45s", "1m", "3m12s", "5m", "1h05m", "0s"]);
    }
}
