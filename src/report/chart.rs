//! Small text bar charts for the markdown: `█` per cell and `▌` for a half, scaled to
//! the widest value, a label column and the count, within 80 columns.

use unicode_width::UnicodeWidthStr;

/// Columns of the longest bar.
const BAR_WIDTH: usize = 40;
/// Labels are cut to this many columns (the count follows the bar).
const LABEL_WIDTH: usize = 30;

/// One line per (label, value), as a fenced block so the bars line up.
pub fn bars(rows: &[(String, usize)]) -> String {
    let widest = rows.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let label_width = rows
        .iter()
        .map(|(label, _)| fit(label).width())
        .max()
        .unwrap_or(0);
    let mut out = String::from("```text\n");
    for (label, value) in rows {
        let label = fit(label);
        let pad = label_width - label.width();
        let bar = bar(*value, widest);
        out.push_str(&format!("{label}{:pad$}  {bar} {value}\n", ""));
    }
    out.push_str("```\n");
    out
}

/// `value` in half cells of `BAR_WIDTH` for `widest`; anything above zero shows.
pub fn bar(value: usize, widest: usize) -> String {
    if value == 0 || widest == 0 {
        return String::new();
    }
    let halves = (value * BAR_WIDTH * 2).div_ceil(widest).max(1);
    let mut bar = "█".repeat(halves / 2);
    if halves % 2 == 1 {
        bar.push('▌');
    }
    bar
}

/// A label cut to `LABEL_WIDTH` columns (with `…`), and no backtick to end the fence.
fn fit(label: &str) -> String {
    let label = label.replace('`', "'");
    if label.width() <= LABEL_WIDTH {
        return label;
    }
    let mut cut = String::new();
    for c in label.chars() {
        if cut.width() + c.to_string().width() > LABEL_WIDTH - 1 {
            break;
        }
        cut.push(c);
    }
    cut + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_value_fills_the_bar_and_others_scale() {
        assert_eq!(bar(10, 10), "█".repeat(BAR_WIDTH));
        assert_eq!(bar(5, 10), "█".repeat(BAR_WIDTH / 2));
        assert_eq!(bar(1, 80), "▌", "a small value still shows");
        assert_eq!(bar(0, 10), "");
    }

    #[test]
    fn every_line_fits_80_columns() {
        let long = "x".repeat(200);
        let chart = bars(&[(long, 1234), ("short".into(), 3)]);
        for line in chart.lines() {
            assert!(line.width() <= 80, "{line:?} is {} wide", line.width());
        }
        assert!(chart.contains('…'));
    }

    #[test]
    fn a_backtick_in_a_label_cannot_end_the_fence() {
        let chart = bars(&[("```evil".into(), 1)]);
        assert_eq!(chart.matches("```").count(), 2);
    }
}
