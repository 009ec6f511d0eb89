//! Reading a config file into `Config`, with errors that point at file, line and key.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::config::Config;

/// A config problem a user can fix: which file, which line, which key, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Parse TOML text into any serde type, naming the key path and line of the first error.
pub fn parse_toml<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, ConfigError> {
    let deserializer =
        toml::de::Deserializer::parse(text).map_err(|e| from_toml(&e, text, file, None))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let key = e.path().to_string();
        let key = (key != "." && !key.is_empty()).then_some(key);
        from_toml(e.inner(), text, file, key)
    })
}

fn from_toml(error: &toml::de::Error, text: &str, file: &Path, key: Option<String>) -> ConfigError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    ConfigError {
        file: file.to_path_buf(),
        line,
        key,
        message: error.message().trim().to_string(),
    }
}

/// Read the config. `Ok(None)` when there is no file and none was asked for.
pub fn load(path: &Path, required: bool) -> Result<Option<Config>, ConfigError> {
    let (text, mode) = match read(path) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: None,
                key: None,
                message: format!("cannot read it: {e}"),
            });
        }
    };
    let config = parse(&text, path)?;
    tokens::check_inline(&config, &text, path, mode)?;
    Ok(Some(config))
}

/// A config file's text, read and checked as `load` does (`path` names it in errors);
/// an inline token's file mode is `load`'s to check.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let config: Config = parse_toml(text, path)?;
    validate(&config, text, path)?;
    Ok(config)
}

/// The file's text and its permission bits, from the one file opened: checking the path
/// again after reading could see another file.
fn read(path: &Path) -> std::io::Result<(String, Option<u32>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mode = permission_bits(&file.metadata()?);
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok((text, mode))
}

#[cfg(unix)]
fn permission_bits(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(metadata.permissions().mode())
}

#[cfg(not(unix))]
fn permission_bits(_: &std::fs::Metadata) -> Option<u32> {
    None
}

fn validate(config: &Config, text: &str, path: &Path) -> Result<(), ConfigError> {
    // First, so a secret pasted where a name belongs is refused before anything echoes it.
    tokens::check_ways(config, text, path)?;
    let mut seen = std::collections::HashSet::new();
    for (index, source) in config.sources.iter().enumerate() {
        let problem = if source.name.is_empty()
            || source
                .name
                .contains(|c: char| c == ':' || c.is_whitespace() || crate::sanitize::is_unsafe(c))
        {
            Some(
                "a source name must be non-empty, with no spaces, `:` or control characters (it prefixes incident keys)",
            )
        } else if !seen.insert(source.name.as_str()) {
            Some("another source already has this name")
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: line_of(text, &format!("\"{}\"", source.name)),
                key: Some(format!("sources[{index}].name")),
                message: message.into(),
            });
        }
    }
    timeouts::check(config, text, path)?;
    // Checked here, not only when a source of that kind is built, so a wrong route is
    // said at start with its line even before such a source exists.
    let escalation = &config.escalation;
    let problems = [
        (
            "pagerduty",
            escalation.pagerduty.as_ref().map(|r| {
                r.way()
                    .map(drop)
                    .map_err(|reason| format!("[escalation] pagerduty: {reason}"))
            }),
        ),
        (
            "alertmanager",
            escalation
                .alertmanager
                .as_ref()
                .map(|r| r.target().map(drop)),
        ),
    ];
    for (kind, problem) in problems {
        if let Some(Err(message)) = problem {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(kind))
                .map(|i| i + 1);
            return Err(ConfigError {
                file: path.to_path_buf(),
                line,
                key: Some(format!("escalation.{kind}")),
                message,
            });
        }
    }
    Ok(())
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

mod timeouts;
mod tokens;

#[cfg(test)]
mod escalation_tests;

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = parse_toml(text, Path::new("/tmp/c.toml"))?;
        validate(&config, text, Path::new("/tmp/c.toml"))?;
        Ok(config)
    }

    #[test]
    fn the_example_config_parses() {
        let config = parse(crate::config::EXAMPLE).unwrap();
        assert_eq!(config.me.name.as_deref(), Some("Ana Ops"));
        assert_eq!(config.sources.len(), 1);
        assert!(config.is_demo());
    }

    #[test]
    fn an_unknown_key_names_file_line_and_key() {
        let error = parse("theme = \"dark\"\n\n[me]\nname = \"x\"\nnmae = \"y\"\n").unwrap_err();
        assert_eq!(error.line, Some(5));
        assert_eq!(error.key.as_deref(), Some("me.nmae"));
        assert!(error.message.contains("unknown field"), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("/tmp/c.toml, line 5, key `me.nmae`: ")
        );
    }

    #[test]
    fn a_bad_value_deep_in_a_list_names_its_path() {
        let text = "[[sources]]\nname = \"a\"\nkind = \"demo\"\n\n[[sources]]\nname = \"b\"\nkind = \"pagerdutyy\"\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.key.as_deref(), Some("sources[1].kind"));
        assert_eq!(error.line, Some(7));
        let error = parse("[[sources]]\nname = \"a\"\nkind = \"demo\"\npoll_interval = \"soon\"\n")
            .unwrap_err();
        assert_eq!(error.key.as_deref(), Some("sources[0].poll_interval"));
        assert!(error.message.contains("not a duration"), "{error}");
    }

    #[test]
    fn broken_toml_and_duplicate_names_are_caught() {
        let error = parse("theme = \n").unwrap_err();
        assert_eq!(error.line, Some(1));
        let error = parse("[[sources]]\nname = \"a\"\nkind = \"demo\"\n[[sources]]\nname = \"a\"\nkind = \"demo\"\n").unwrap_err();
        assert_eq!(error.key.as_deref(), Some("sources[1].name"));
    }

    #[test]
    fn playbook_folders_resolve_home_and_the_config_folder() {
        let config = parse("[playbooks]\ndirs = [\"~/pb\", \"team\", \"/abs/pb\"]\n[services.api]\nteam = \"pay\"\n").unwrap();
        let dirs = config.playbook_dirs(Some(Path::new("/etc/pagerdeck")));
        let home = directories::BaseDirs::new()
            .unwrap()
            .home_dir()
            .to_path_buf();
        assert_eq!(
            dirs,
            vec![
                home.join("pb"),
                Path::new("/etc/pagerdeck/team").to_path_buf(),
                Path::new("/abs/pb").to_path_buf()
            ]
        );
        assert_eq!(config.services["api"].team.as_deref(), Some("pay"));
    }

    #[test]
    fn the_examples_alertmanager_source_parses_when_uncommented() {
        let start = crate::config::EXAMPLE.find("# [[sources]]").unwrap();
        let block: String = crate::config::EXAMPLE[start..]
            .lines()
            .take_while(|l| l.starts_with("# "))
            .map(|l| format!("{}\n", &l[2..]))
            .collect();
        let config = parse(&block).unwrap();
        let source = &config.sources[0];
        assert_eq!(source.kind, crate::config::SourceKind::Alertmanager);
        assert_eq!(source.urls, ["http://127.0.0.1:9093"]);
        assert_eq!(source.group_by, ["alertname", "service"]);
        assert_eq!(source.severity_label, "severity");
        assert_eq!(source.severities["P1"], crate::incident::Severity::Critical);
        assert_eq!(source.severities["P4"], crate::incident::Severity::Info);
        let error = parse(
            "[[sources]]\nname = \"p\"\nkind = \"alertmanager\"\nseverities = { P1 = \"severe\" }\n",
        )
        .unwrap_err();
        assert!(error.message.contains("severe"), "{}", error.message);
        // Defaults, and a source without urls is refused with what to add.
        let bare = parse("[[sources]]\nname = \"p\"\nkind = \"alertmanager\"\n").unwrap();
        assert_eq!(bare.sources[0].service_label, "service");
        let error = crate::sources::build(&bare.sources[0], &bare, "me", chrono::Utc::now())
            .err()
            .unwrap();
        assert!(error.contains("needs urls"), "{error}");
    }

    /// The commented block that starts at `marker` in the example, uncommented.
    pub(super) fn example_block(marker: &str) -> String {
        let start = crate::config::EXAMPLE.find(marker).unwrap();
        crate::config::EXAMPLE[start..]
            .lines()
            .take_while(|l| l.starts_with("# "))
            .map(|l| format!("{}\n", &l[2..]))
            .collect()
    }

    #[test]
    fn the_examples_pagerduty_and_opsgenie_sources_parse_and_name_a_missing_token() {
        let pd = example_block("# name = \"pd\"");
        let og = example_block("# name = \"og\"");
        let routes = example_block("# pagerduty = {").replace(
            "Opsgenie: escalate the alert to this escalation (its name).\n",
            "",
        );
        let text = format!("[escalation]\n{routes}\n[[sources]]\n{pd}\n[[sources]]\n{og}");
        let config = parse(&text).unwrap();
        let (pd, og) = (&config.sources[0], &config.sources[1]);
        assert_eq!(pd.kind, crate::config::SourceKind::Pagerduty);
        assert_eq!(pd.token_env.as_deref(), Some("PAGERDUTY_TOKEN"));
        assert_eq!(pd.urgencies, ["high"]);
        assert_eq!(og.kind, crate::config::SourceKind::Opsgenie);
        assert_eq!(og.schedules, ["payments_schedule"]);
        let route = config.escalation.pagerduty.as_ref().unwrap();
        assert_eq!(route.escalation_policy_id.as_deref(), Some("PENGCAP"));
        assert_eq!(
            config.escalation.opsgenie.as_ref().unwrap().escalation,
            "Eng Cap escalation"
        );
        // Without the variable, building says which one to set.
        let mut unset = pd.clone();
        unset.token_env = Some("PAGERDECK_TEST_UNSET_TOKEN".into());
        let error = crate::sources::build(&unset, &config, "me", chrono::Utc::now())
            .err()
            .unwrap();
        assert!(
            error.contains("PAGERDECK_TEST_UNSET_TOKEN (token_env) is not set"),
            "{error}"
        );
        let mut none = og.clone();
        none.token_env = None;
        let error = crate::sources::build(&none, &config, "me", chrono::Utc::now())
            .err()
            .unwrap();
        assert!(error.contains("needs a token"), "{error}");
        let mut by_command = og.clone();
        by_command.token_env = None;
        by_command.token_cmd = Some("echo og-key".into());
        assert!(crate::sources::build(&by_command, &config, "me", chrono::Utc::now()).is_ok());
    }

    #[test]
    fn the_examples_metrics_section_parses_when_uncommented() {
        let uncommented = crate::config::EXAMPLE
            .replace("# [metrics]", "[metrics]")
            .replace("# kind = \"prometheus\"", "kind = \"prometheus\"")
            .replace("# url = ", "url = ")
            .replace("# timeout = ", "timeout = ");
        let config = parse(&uncommented).unwrap();
        let queries = &config.services["checkout-api"].queries.0;
        let names: Vec<&str> = queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["error rate", "p99 latency"]);
        assert_eq!(queries[1].unit, Some(crate::metrics::Unit::Seconds));
        let metrics = config.metrics.unwrap();
        assert_eq!(metrics.url, "http://prometheus.internal:9090");
        assert_eq!(metrics.timeout, std::time::Duration::from_secs(15));
        assert_eq!(metrics.kind, crate::config::MetricsKind::Prometheus);
        let error = parse("[metrics]\nurl = \"http://p\"\nkindd = \"x\"\n").unwrap_err();
        assert_eq!(error.key.as_deref(), Some("metrics.kindd"));
        assert_eq!(
            parse("[metrics]\nurl = \"http://p\"\n")
                .unwrap()
                .metrics
                .unwrap()
                .kind,
            crate::config::MetricsKind::Prometheus
        );
    }

    #[test]
    fn a_missing_optional_file_is_not_an_error_but_a_named_one_is() {
        let missing = Path::new("/nonexistent/pagerdeck/config.toml");
        assert_eq!(load(missing, false).unwrap(), None);
        let error = load(missing, true).unwrap_err();
        assert!(error.message.contains("cannot read"));
    }
}
