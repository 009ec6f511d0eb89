//! The report as markdown for the retro: a summary, tables, and text charts.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset, Utc};

use super::chart::bars;
use super::stats::{Durations, format, format_or_na};
use super::{Report, Row, SourceNote, count};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let offset = FixedOffset::east_opt(report.utc_offset_seconds)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is an offset"));
    let day = |at: DateTime<Utc>| at.with_timezone(&offset).format("%Y-%m-%d %H:%M");
    let _ = writeln!(
        out,
        "# Alert hygiene report\n\n{} to {} (UTC{}), {}.\n",
        day(report.since),
        day(report.until),
        offset,
        span_words(report),
    );
    sources(&mut out, &report.sources);
    summary(&mut out, report);
    per_alert(&mut out, report);
    per_service(&mut out, report);
    not_actionable(&mut out, report);
    to_look_at(&mut out, report);
    silences(&mut out, report);
    hours(&mut out, report);
    failed(&mut out, report, offset);
    out
}

fn span_words(report: &Report) -> String {
    let hours = (report.until - report.since).num_hours();
    match hours {
        h if h % 24 == 0 => format!("{} days", h / 24),
        h => format!("{h} hours"),
    }
}

fn sources(out: &mut String, notes: &[SourceNote]) {
    out.push_str("## Sources\n\n");
    for note in notes {
        let name = escape(&note.name);
        let told = match (&note.error, note.kind.as_str()) {
            (Some(error), _) => format!("failed ({}): not counted", escape(error)),
            (None, "journal") => format!(
                "{}acted on from pagerdeck",
                count(note.pages, "page", "pages")
            ),
            (None, _) if note.silences > 0 => format!(
                "{}, {}",
                count(note.pages, "page", "pages").trim_end(),
                count(note.silences, "silence", "silences").trim_end()
            ),
            (None, _) => count(note.pages, "page", "pages").trim_end().to_string(),
        };
        let kind = match note.kind == note.name {
            true => String::new(),
            false => format!(" ({})", note.kind),
        };
        let _ = writeln!(out, "- **{name}**{kind}: {told}");
        for unknown in &note.unknown {
            let _ = writeln!(out, "  - not known: {}", escape(unknown));
        }
    }
    out.push('\n');
}

fn summary(out: &mut String, report: &Report) {
    let percent = |part: usize| match report.pages {
        0 => String::new(),
        whole => format!(" ({:.0}%)", part as f64 * 100.0 / whole as f64),
    };
    out.push_str("## Summary\n\n| | |\n|---|---|\n");
    let _ = writeln!(out, "| Pages | {} |", report.pages);
    let _ = writeln!(
        out,
        "| Acknowledged | {}{} |",
        report.acknowledged,
        percent(report.acknowledged)
    );
    let _ = writeln!(
        out,
        "| Resolved | {}{} |",
        report.resolved,
        percent(report.resolved)
    );
    let _ = writeln!(
        out,
        "| Time to acknowledge | {} |",
        durations(&report.time_to_acknowledge)
    );
    let _ = writeln!(
        out,
        "| Time to resolve | {} |",
        durations(&report.time_to_resolve)
    );
    let _ = writeln!(
        out,
        "| Escalation rate | {} ({} of {}) |",
        rate(report.escalation_rate),
        report.escalated,
        report.pages
    );
    let marked: usize = report.not_actionable.iter().map(|n| n.times).sum();
    let _ = writeln!(out, "| Marked not actionable | {marked} |");
    let _ = writeln!(
        out,
        "| Alerts with no playbook | {} |\n",
        report.no_playbook.len()
    );
    out.push_str("Medians and p90s are of the pages whose time is known; p90 is the nearest rank (the value at rank ⌈0.9 × n⌉ of the sorted times). A row with fewer than 3 says n/a.\n\n");
}

fn durations(d: &Durations) -> String {
    match d.count {
        0 => "n/a".into(),
        n => format!(
            "median {}, p90 {} (of {n})",
            format_or_na(d.median_seconds),
            format_or_na(d.p90_seconds)
        ),
    }
}

fn rate(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".into(), |r| format!("{:.0}%", r * 100.0))
}

fn per_alert(out: &mut String, report: &Report) {
    out.push_str("## Pages per alert\n\n");
    if report.by_alert.is_empty() {
        out.push_str("No pages in the span.\n\n");
        return;
    }
    let chart: Vec<(String, usize)> = report
        .by_alert
        .iter()
        .map(|row| {
            let alert = row.alert.as_deref().unwrap_or("");
            (format!("{alert} ({})", row.service), row.pages)
        })
        .collect();
    out.push_str(&bars(&chart));
    out.push_str("\n| Alert | Service | Pages | Acked | Ack median | Ack p90 | Resolve median | Resolve p90 | Escalated | Not actionable | Playbook |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for row in &report.by_alert {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(row.alert.as_deref().unwrap_or("")),
            escape(&row.service),
            row.pages,
            row.acknowledged,
            times(row),
            row.not_actionable,
            if row.playbook { "yes" } else { "**none**" },
        );
    }
    out.push('\n');
}

/// The four time cells and the escalations of a row.
fn times(row: &Row) -> String {
    let (ack, resolve) = (&row.time_to_acknowledge, &row.time_to_resolve);
    format!(
        "{} | {} | {} | {} | {}",
        format_or_na(ack.median_seconds),
        format_or_na(ack.p90_seconds),
        format_or_na(resolve.median_seconds),
        format_or_na(resolve.p90_seconds),
        row.escalated,
    )
}

fn per_service(out: &mut String, report: &Report) {
    if report.by_service.is_empty() {
        return;
    }
    out.push_str("## Pages per service\n\n");
    let chart: Vec<(String, usize)> = report
        .by_service
        .iter()
        .map(|row| (row.service.clone(), row.pages))
        .collect();
    out.push_str(&bars(&chart));
    out.push_str("\n| Service | Pages | Acked | Ack median | Ack p90 | Resolve median | Resolve p90 | Escalated | Escalation rate |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for row in &report.by_service {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(&row.service),
            row.pages,
            row.acknowledged,
            times(row),
            rate(row.escalation_rate),
        );
    }
    out.push('\n');
}

fn not_actionable(out: &mut String, report: &Report) {
    out.push_str("## Marked not actionable\n\n");
    if report.not_actionable.is_empty() {
        out.push_str("No page was marked not actionable (`!`).\n\n");
        return;
    }
    out.push_str("| Alert | Service | Times | Reasons |\n|---|---|--:|---|\n");
    for row in &report.not_actionable {
        let reasons: Vec<String> = row.reasons.iter().map(|r| escape(r)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&row.alert),
            escape(&row.service),
            row.times,
            reasons.join("; ")
        );
    }
    out.push('\n');
}

fn to_look_at(out: &mut String, report: &Report) {
    out.push_str(&format!(
        "## Paged often, never acknowledged\n\nAlerts with {} pages or more and no acknowledgement: noise, or pages nobody saw.\n\n",
        super::OFTEN
    ));
    list(out, &report.never_acknowledged, "None.");
    out.push_str("## Alerts with no playbook\n\n");
    list(
        out,
        &report.no_playbook,
        "Every alert that paged has a playbook.",
    );
}

fn list(out: &mut String, alerts: &[super::Often], none: &str) {
    if alerts.is_empty() {
        let _ = writeln!(out, "{none}\n");
        return;
    }
    for alert in alerts {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            escape(&alert.alert),
            escape(&alert.service),
            count(alert.pages, "page", "pages").trim_end()
        );
    }
    out.push('\n');
}

fn silences(out: &mut String, report: &Report) {
    out.push_str("## Silences\n\n");
    if report.silences.is_empty() {
        out.push_str("No silence was made in the span (only Alertmanager sources have them).\n\n");
        return;
    }
    out.push_str("| Alert | Service | Times | Silenced for | By people | By pagerdeck |\n|---|---|--:|--:|--:|--:|\n");
    for row in &report.silences {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(row.alert.as_deref().unwrap_or("(any)")),
            escape(row.service.as_deref().unwrap_or("(any)")),
            row.times,
            format(row.total_seconds),
            row.by_people,
            row.by_pagerdeck,
        );
    }
    out.push('\n');
}

fn hours(out: &mut String, report: &Report) {
    if report.pages == 0 {
        return;
    }
    out.push_str("## Noisiest hours\n\nPages by the hour they fired (local time).\n\n");
    let by_hour: Vec<(String, usize)> = report
        .pages_by_hour
        .iter()
        .enumerate()
        .map(|(hour, n)| (format!("{hour:02}:00"), *n))
        .collect();
    out.push_str(&bars(&by_hour));
    out.push_str("\nBy weekday:\n\n");
    let by_day: Vec<(String, usize)> = WEEKDAYS
        .iter()
        .zip(&report.pages_by_weekday)
        .map(|(day, n)| (day.to_string(), *n))
        .collect();
    out.push_str(&bars(&by_day));
    out.push('\n');
}

fn failed(out: &mut String, report: &Report, offset: FixedOffset) {
    out.push_str("## Actions that failed\n\n");
    if report.failed_actions.is_empty() {
        out.push_str("None.\n");
        return;
    }
    out.push_str("| When | Incident | Action | Reason |\n|---|---|---|---|\n");
    for failed in &report.failed_actions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            failed.at.with_timezone(&offset).format("%Y-%m-%d %H:%M"),
            escape(&failed.key.to_string()),
            escape(&failed.action),
            escape(&failed.reason),
        );
    }
}

/// Text from a source, safe in a markdown table or list: no control characters (the
/// gathering took them out, this again for the key), and nothing that would start
/// markup (`|` would split a cell, `*`/`_` embolden, `<` open HTML, `[` a link).
pub fn escape(text: &str) -> String {
    let text = crate::sanitize::line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_cannot_split_a_cell_nor_a_tag_open() {
        assert_eq!(escape("a|b <script>"), "a\\|b \\<script\\>");
        assert_eq!(escape("bell\u{7}\u{1b}[31m"), "bell\\[31m");
    }
}
