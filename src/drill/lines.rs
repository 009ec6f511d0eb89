//! The debrief as plain lines: one verdict per judged point, `✔` right, `✖` wrong, `~`
//! half right. Texts from the scenario and its playbooks are sanitized.

use super::debrief::{
    AcknowledgeVerdict, Debrief, EscalationVerdict, IncidentDebrief, StepVerdict,
};
use super::score::{
    ACKNOWLEDGE_POINTS, ESCALATION_POINTS, NOT_ACTIONABLE_POINTS, RESOLVE_POINTS, STEPS_POINTS,
};
use crate::sanitize;

/// Verdict lines fit this many columns; `--json` has the texts whole.
const LINE: usize = 80;
/// A step's text is never cut shorter than this, however long the verdict before it.
const STEP_TEXT_MIN: usize = 32;
/// A user's reason, quoted in its verdict.
const REASON: usize = 48;

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
        // Two lines, so the screen at 80 columns shows them whole.
        lines.push(format!(
            "Points per incident: acknowledge {ACKNOWLEDGE_POINTS}, steps {STEPS_POINTS} (half for one out of order),"
        ));
        lines.push(format!(
            "escalation {ESCALATION_POINTS}, not actionable {NOT_ACTIONABLE_POINTS} (noise only), resolve {RESOLVE_POINTS} (when asked)."
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
    let head = format!(
        "{id} ({}/{} points): ",
        incident.points, incident.max_points
    );
    let room = LINE.saturating_sub(head.chars().count()).max(STEP_TEXT_MIN);
    let mut lines = vec![format!(
        "{head}{}",
        sanitize::line_within(&incident.title, room)
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
        let (mark, head) = match (step.verdict, step.done_before) {
            (StepVerdict::Followed, _) => ("✔", format!("step {} done: ", step.number)),
            (StepVerdict::OutOfOrder, Some(before)) => (
                "~",
                format!(
                    "step {} out of order (done before step {before}): ",
                    step.number
                ),
            ),
            (StepVerdict::OutOfOrder, None) => {
                ("~", format!("step {} out of order: ", step.number))
            }
            (StepVerdict::Skipped, _) => ("✖", format!("step {} skipped: ", step.number)),
        };
        // The step's text fills the rest of an 80-column line, never less than a few words.
        let room = LINE
            .saturating_sub(4 + head.chars().count())
            .max(STEP_TEXT_MIN);
        say(
            mark,
            format!("{head}{}", sanitize::line_within(&step.text, room)),
        );
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
        .map(|r| format!(": \"{}\"", sanitize::line_within(r, REASON)))
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
    let missed: Vec<_> = incident
        .steps
        .iter()
        .filter(|s| s.verdict == StepVerdict::Skipped)
        .collect();
    if !missed.is_empty() {
        lines.push("  The playbook lines missed, to read again:".into());
        for step in missed {
            let text = sanitize::line(&step.text);
            let head = format!("    {}. ", step.number);
            lines.extend(wrap(&text, &head, LINE));
        }
    }
    lines
}

/// `text` in lines of at most `width` columns, the first after `head`, the others
/// indented under it.
fn wrap(text: &str, head: &str, width: usize) -> Vec<String> {
    let indent = " ".repeat(head.chars().count());
    let mut lines = Vec::new();
    let mut line = head.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
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
    fn drill_missed_lines_wrap_under_their_number() {
        let wrapped = super::wrap("one two three four five six", "  1. ", 14);
        assert_eq!(
            wrapped,
            ["  1. one two", "     three", "     four five", "     six"]
        );
    }

    #[test]
    fn drill_durations_read_as_a_person_says_them() {
        let shown: Vec<String> = [0, 45, 60, 192, 300, 3900, -5]
            .into_iter()
            .map(super::duration)
            .collect();
        assert_eq!(shown, ["0s", "45s", "1m", "3m12s", "5m", "1h05m", "0s"]);
    }
}
