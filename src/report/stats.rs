//! Median and 90th percentile of durations, and when there are too few to say.

use serde::Serialize;

/// Fewer timed pages than this in a row of a table (an alert, a service) and its median
/// and p90 say "n/a": two pages make no trend.
pub const ENOUGH_FOR_A_ROW: usize = 3;

/// How long something took over a set of pages, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Durations {
    /// Pages the duration is known for.
    pub count: usize,
    pub median_seconds: Option<u64>,
    pub p90_seconds: Option<u64>,
}

impl Durations {
    /// Over every value given (the report's overall figures).
    pub fn of(values: &[u64]) -> Durations {
        Durations {
            count: values.len(),
            median_seconds: median(values),
            p90_seconds: p90(values),
        }
    }

    /// As `of`, but nothing with fewer than `ENOUGH_FOR_A_ROW` values.
    pub fn of_row(values: &[u64]) -> Durations {
        match values.len() >= ENOUGH_FOR_A_ROW {
            true => Durations::of(values),
            false => Durations {
                count: values.len(),
                median_seconds: None,
                p90_seconds: None,
            },
        }
    }
}

/// The middle value; with an even count, the mean of the two middle ones (rounded
/// down). `None` for no values.
pub fn median(values: &[u64]) -> Option<u64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The 90th percentile by nearest rank: the value at rank ⌈0.9 × n⌉ (from 1) of the
/// sorted values, so always one that occurred (of 10 values the 9th, of 3 the 3rd).
/// `None` for no values.
pub fn p90(values: &[u64]) -> Option<u64> {
    let sorted = sorted(values);
    let rank = (sorted.len() * 9).div_ceil(10);
    sorted.get(rank.checked_sub(1)?).copied()
}

fn sorted(values: &[u64]) -> Vec<u64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted
}

/// "45s", "4m05s", "1h20m", "2d03h": a duration as the report's tables show it.
pub fn format(seconds: u64) -> String {
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m{secs:02}s"),
        (0, h, m) => format!("{h}h{m:02}m"),
        (d, h, _) => format!("{d}d{h:02}h"),
    }
}

/// `format`, or "n/a" when it could not be told.
pub fn format_or_na(seconds: Option<u64>) -> String {
    seconds.map_or_else(|| "n/a".to_string(), format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_an_odd_count_is_the_middle_value() {
        assert_eq!(median(&[300, 10, 60]), Some(60));
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[40, 10, 20, 30]), Some(25));
    }

    #[test]
    fn one_value_is_its_own_median_and_p90() {
        assert_eq!(median(&[42]), Some(42));
        assert_eq!(p90(&[42]), Some(42));
    }

    #[test]
    fn no_values_have_no_median_or_p90() {
        assert_eq!(median(&[]), None);
        assert_eq!(p90(&[]), None);
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let ten: Vec<u64> = (1..=10).rev().collect();
        assert_eq!(p90(&ten), Some(9), "rank 9 of 10");
        let eleven: Vec<u64> = (1..=11).collect();
        assert_eq!(p90(&eleven), Some(10), "rank ceil(9.9) = 10 of 11");
        assert_eq!(p90(&[5, 1, 3]), Some(5), "rank ceil(2.7) = 3 of 3");
        assert_eq!(p90(&[7, 2]), Some(7), "rank ceil(1.8) = 2 of 2");
    }

    #[test]
    fn a_row_with_too_few_pages_says_nothing() {
        let few = Durations::of_row(&[10, 20]);
        assert_eq!(
            (few.count, few.median_seconds, few.p90_seconds),
            (2, None, None)
        );
        let enough = Durations::of_row(&[10, 20, 30]);
        assert_eq!(enough.median_seconds, Some(20));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(format(45), "45s");
        assert_eq!(format(245), "4m05s");
        assert_eq!(format(4800), "1h20m");
        assert_eq!(format(183_600), "2d03h");
        assert_eq!(format_or_na(None), "n/a");
    }
}
