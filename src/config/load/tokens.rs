//! How each source gets its token, checked at load so a mistake is said with its file and
//! line: one way only, a variable's name that is a name, and a token written in the config
//! only when nobody but the file's owner can read the file.

use std::path::Path;

use super::ConfigError;
use crate::config::Config;

/// Permission bits that let someone other than the owner near the file.
const NOT_OWNER_BITS: u32 = 0o077;

/// One way to get each token, and `*_env` keys naming variables rather than holding a
/// pasted secret (said without repeating the value: it may be the token).
pub(super) fn check_ways(config: &Config, text: &str, path: &Path) -> Result<(), ConfigError> {
    for (index, source) in config.sources.iter().enumerate() {
        let ways = [
            source.token.is_some(),
            source.token_env.is_some(),
            source.token_cmd.is_some(),
        ];
        if ways.iter().filter(|set| **set).count() > 1 {
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: line_in_source(text, index, "token")
                    .or_else(|| line_in_source(text, index, "token_env")),
                key: Some(format!("sources[{index}].token")),
                message: "set one of token, token_env or token_cmd, not several".into(),
            });
        }
        if let Some(variable) = &source.token_env {
            not_a_name(variable, "token_env").map_or(Ok(()), |message| {
                Err(ConfigError {
                    file: path.to_path_buf(),
                    line: line_in_source(text, index, "token_env"),
                    key: Some(format!("sources[{index}].token_env")),
                    message,
                })
            })?;
        }
    }
    if let Some(route) = &config.escalation.alertmanager {
        let variables = [
            ("events_routing_key_env", &route.events_routing_key_env),
            ("api_token_env", &route.api_token_env),
        ];
        for (key, variable) in variables {
            let Some(message) = variable.as_deref().and_then(|v| not_a_name(v, key)) else {
                continue;
            };
            return Err(ConfigError {
                file: path.to_path_buf(),
                line: text.lines().position(|l| l.contains(key)).map(|i| i + 1),
                key: Some(format!("escalation.alertmanager.{key}")),
                message,
            });
        }
    }
    Ok(())
}

/// Why `variable` cannot be an environment variable's name, if it cannot. An empty one is
/// left to the checks that say what to write there.
fn not_a_name(variable: &str, key: &str) -> Option<String> {
    let is_name = variable.is_empty()
        || (!variable.starts_with(|c: char| c.is_ascii_digit())
            && variable
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'));
    (!is_name).then(|| {
        format!(
            "{key} is the name of the environment variable holding the secret (letters, digits and _), not the secret itself: put the secret in that variable and its name here"
        )
    })
}

/// A token written in the config is allowed only when the file's permission bits (`mode`,
/// of the file as it was read) give nothing to group or others; `None` when they are not
/// known (not Unix), which allows none.
pub(super) fn check_inline(
    config: &Config,
    text: &str,
    path: &Path,
    mode: Option<u32>,
) -> Result<(), ConfigError> {
    let Some(index) = config.sources.iter().position(|s| s.token.is_some()) else {
        return Ok(());
    };
    let file = path.display();
    let message = match mode {
        Some(mode) if mode & NOT_OWNER_BITS == 0 => return Ok(()),
        Some(mode) => format!(
            "a token written in the config needs a file only its owner can read, and this one is mode {:04o}: run `chmod 600 {file}`, or read the token with token_env = \"VARIABLE\" or token_cmd = \"pass show …\" instead",
            mode & 0o7777
        ),
        None => "a token written in the config needs a file whose permissions can be checked (Unix): read the token with token_env = \"VARIABLE\" or token_cmd = \"pass show …\" instead".into(),
    };
    Err(ConfigError {
        file: path.to_path_buf(),
        line: line_in_source(text, index, "token"),
        key: Some(format!("sources[{index}].token")),
        message,
    })
}

/// The line of `key = …` inside the `index`-th `[[sources]]` table, as written (`None`
/// for other ways of writing it, such as inline tables).
fn line_in_source(text: &str, index: usize, key: &str) -> Option<usize> {
    let mut tables_seen = 0;
    let mut inside = false;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('[') {
            let is_source = line.starts_with("[[sources]]");
            if is_source {
                tables_seen += 1;
            }
            inside = is_source && tables_seen == index + 1;
            continue;
        }
        let assigns_key = line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if inside && assigns_key {
            return Some(number + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::super::load;
    use super::super::tests::{example_block, parse};

    const INLINE: &str = "theme = \"dark\"\n\n[[sources]]\nname = \"a\"\nkind = \"demo\"\n\n[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken = \"u+inline-Zk3\"\n";

    fn written(text: &str, mode: u32) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    #[test]
    fn an_inline_token_is_read_from_a_file_only_its_owner_can_read() {
        for mode in [0o600, 0o400] {
            let (_dir, path) = written(INLINE, mode);
            let config = load(&path, true).unwrap().unwrap();
            let token = config.sources[1].token.as_ref().unwrap();
            assert_eq!(token.expose(), "u+inline-Zk3");
            assert!(!format!("{config:?}").contains("u+inline-Zk3"));
        }
    }

    #[test]
    fn an_inline_token_in_a_file_others_can_read_is_refused_with_the_fix() {
        for mode in [0o644, 0o640, 0o604, 0o610] {
            let (_dir, path) = written(INLINE, mode);
            let error = load(&path, true).unwrap_err();
            assert_eq!(error.line, Some(10), "{error}");
            assert_eq!(error.key.as_deref(), Some("sources[1].token"));
            let said = error.to_string();
            assert!(said.starts_with(&path.display().to_string()), "{said}");
            assert!(said.contains(&format!("mode {mode:04o}")), "{said}");
            assert!(
                said.contains(&format!("chmod 600 {}", path.display())),
                "{said}"
            );
            assert!(
                said.contains("token_env") && said.contains("token_cmd"),
                "{said}"
            );
            assert!(!said.contains("u+inline-Zk3"), "{said}");
        }
        // Without an inline token, the same file is fine whatever its mode.
        let (_dir, path) = written("[[sources]]\nname = \"a\"\nkind = \"demo\"\n", 0o644);
        assert!(load(&path, true).is_ok());
    }

    #[test]
    fn the_examples_inline_token_loads_only_from_a_private_file() {
        let pd = example_block("# name = \"pd\"");
        assert!(
            pd.contains("token = \"u+…\""),
            "the example documents it: {pd}"
        );
        let inline = format!("[[sources]]\n{pd}")
            .replace("token_env = \"PAGERDUTY_TOKEN\"", "token = \"u+example\"");
        let (_dir, path) = written(&inline, 0o600);
        let config = load(&path, true).unwrap().unwrap();
        assert_eq!(
            config.sources[0].token.as_ref().unwrap().expose(),
            "u+example"
        );
        let (_dir, path) = written(&inline, 0o644);
        assert!(load(&path, true).unwrap_err().message.contains("chmod 600"));
    }

    #[test]
    fn one_way_to_the_token_and_a_variable_name_that_is_a_name() {
        let both = "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_env = \"PD\"\ntoken = \"u+x\"\n";
        let error = parse(both).unwrap_err();
        assert_eq!(error.line, Some(5));
        assert!(error.message.contains("not several"), "{error}");
        let pasted =
            "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_env = \"u+pasted-T0ken\"\n";
        let error = parse(pasted).unwrap_err();
        assert_eq!(error.line, Some(4));
        assert_eq!(error.key.as_deref(), Some("sources[0].token_env"));
        assert!(!error.to_string().contains("pasted-T0ken"), "{error}");
        let routed = "[escalation]\nalertmanager = { events_routing_key_env = \"R0UT1NG-key\" }\n";
        let error = parse(routed).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(!error.to_string().contains("R0UT1NG"), "{error}");
        assert!(
            parse("[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_env = \"PD_TOKEN_2\"\n")
                .is_ok()
        );
        let typed = parse("[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken = 12345678\n")
            .unwrap_err();
        assert!(!typed.to_string().contains("12345678"), "{typed}");
    }
}
