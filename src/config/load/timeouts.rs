//! Each source's `timeout` and `connect_timeout` make sense together: neither is zero
//! (a zero timeout fails every request at once), and connecting cannot be allowed longer
//! than the whole request it is part of.

use std::path::Path;
use std::time::Duration;

use super::ConfigError;
use crate::config::Config;

pub(super) fn check(config: &Config, text: &str, path: &Path) -> Result<(), ConfigError> {
    let sources = config.sources.iter().enumerate().map(|(index, source)| {
        let section = nth_header(text, "[[sources]]", index);
        let key = format!("sources[{index}]");
        (key, section, source.timeout, source.connect_timeout)
    });
    let metrics = config.metrics.as_ref().map(|metrics| {
        let section = nth_header(text, "[metrics]", 0);
        let key = "metrics".to_string();
        (key, section, metrics.timeout, metrics.connect_timeout)
    });
    for (key, section, timeout, connect) in sources.chain(metrics) {
        // The default (5 s) is only shortened to a shorter `timeout`; one written out
        // longer than it is a mistake worth saying.
        let written = section.and_then(|start| key_line(text, start, "connect_timeout"));
        if let Some(line) = written
            && connect > timeout
        {
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: Some(line),
                key: Some(format!("{key}.connect_timeout")),
                message: format!(
                    "{} is longer than timeout ({}), which includes connecting",
                    words(connect),
                    words(timeout)
                ),
            });
        }
    }
    Ok(())
}

fn words(duration: Duration) -> String {
    humantime::format_duration(duration).to_string()
}

/// The 0-based index of the `n`-th line that is `header`.
fn nth_header(text: &str, header: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == header)
        .nth(n)
        .map(|(index, _)| index)
}

/// The 1-based line of `key = …` in the section starting at line index `start`.
fn key_line(text: &str, start: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, line)| !line.trim_start().starts_with('['))
        .find(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(index, _)| index + 1)
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse;

    #[test]
    fn a_connect_timeout_longer_than_the_request_is_refused_with_its_line() {
        let text = "[[sources]]\nname = \"a\"\nkind = \"demo\"\n\n[[sources]]\nname = \"b\"\nkind = \"demo\"\ntimeout = \"2s\"\nconnect_timeout = \"3s\"\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.line, Some(9));
        assert_eq!(error.key.as_deref(), Some("sources[1].connect_timeout"));
        assert_eq!(
            error.message,
            "3s is longer than timeout (2s), which includes connecting"
        );
    }

    #[test]
    fn a_zero_timeout_is_refused_and_a_short_timeout_shortens_the_default() {
        let error = parse("[[sources]]\nname = \"a\"\nkind = \"demo\"\nconnect_timeout = \"0s\"\n")
            .unwrap_err();
        assert_eq!(error.line, Some(4));
        assert_eq!(error.key.as_deref(), Some("sources[0].connect_timeout"));
        // Not written: the default (5 s) is cut to the request's 1 s where clients are built.
        let config = parse("[metrics]\nurl = \"http://p\"\ntimeout = \"1s\"\n").unwrap();
        let metrics = config.metrics.unwrap();
        assert_eq!(metrics.connect_timeout, std::time::Duration::from_secs(5));
        let config = parse("[[sources]]\nname = \"a\"\nkind = \"demo\"\n").unwrap();
        let source = &config.sources[0];
        assert_eq!(source.connect_timeout, std::time::Duration::from_secs(5));
        assert_eq!(source.timeout, std::time::Duration::from_secs(15));
    }
}
