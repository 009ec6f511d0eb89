//! API tokens: read from an environment variable, a command's output or the config file
//! itself, once, at start; kept in a type that never prints itself.

use std::fmt;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A token. `Debug` and `Display` print a placeholder, so it cannot reach a log or an
/// error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The token itself: only for building the request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// `token = "…"` in the config. A value of the wrong type is refused without repeating
/// it: serde's own message would quote it, and it may be the token.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer)
            .map(Secret)
            .map_err(|_: D::Error| serde::de::Error::custom("a token is a string: token = \"…\""))
    }
}

/// How long `token_cmd` may take (a password manager may ask to unlock).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// Where a token comes from, as written in the source's config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    Env(String),
    Command(String),
    /// `token = "…"`: loading checked that only the file's owner can read the file.
    Inline(Secret),
}

impl TokenOrigin {
    /// `token`, `token_env` or `token_cmd`: exactly one of them.
    pub fn from_config(
        source: &str,
        inline: Option<&Secret>,
        env: Option<&str>,
        command: Option<&str>,
    ) -> Result<TokenOrigin, String> {
        match (inline, env, command) {
            (Some(token), None, None) => Ok(TokenOrigin::Inline(token.clone())),
            (None, Some(env), None) => Ok(TokenOrigin::Env(env.to_string())),
            (None, None, Some(command)) => Ok(TokenOrigin::Command(command.to_string())),
            (None, None, None) => Err(format!(
                "source {source}: needs a token: token_env = \"NAME_OF_VARIABLE\" or token_cmd = \"pass show …\""
            )),
            _ => Err(format!(
                "source {source}: set one of token, token_env or token_cmd, not several"
            )),
        }
    }

    /// What a person should check when the token is refused.
    pub fn describe(&self) -> String {
        match self {
            TokenOrigin::Env(name) => name.clone(),
            TokenOrigin::Command(command) => format!("the output of token_cmd `{command}`"),
            TokenOrigin::Inline(_) => "the token written in the config file".to_string(),
        }
    }

    /// Read the token. The command's stderr is dropped (it may echo secrets); only
    /// whether it failed is said.
    pub fn read(&self, source: &str) -> Result<Secret, String> {
        let token = match self {
            TokenOrigin::Env(name) => std::env::var(name).map_err(|_| {
                format!("source {source}: the environment variable {name} (token_env) is not set")
            })?,
            TokenOrigin::Command(command) => run(source, command)?,
            TokenOrigin::Inline(token) => token.expose().to_string(),
        };
        let token = token.trim();
        if token.is_empty() {
            return Err(format!(
                "source {source}: the token from {} is empty",
                self.describe()
            ));
        }
        Ok(Secret::new(token))
    }
}

fn run(source: &str, command: &str) -> Result<String, String> {
    let failed = |why: String| format!("source {source}: token_cmd `{command}` {why}");
    let mut child = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("could not start: {e}")))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed("has no output".into()))?;
    // Read on a thread so a command that fills the pipe cannot block the timeout.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > COMMAND_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "did not finish within {}s",
                    COMMAND_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(failed(format!("could not be waited for: {e}"))),
        }
    };
    if !status.success() {
        return Err(failed(format!("failed ({status})")));
    }
    reader
        .join()
        .map_err(|_| failed("output could not be read".into()))?
        .map_err(|e| failed(format!("output could not be read: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_itself() {
        let secret = Secret::new("u+sekrit");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.expose(), "u+sekrit");
    }

    #[test]
    fn exactly_one_origin_is_asked_for() {
        assert!(
            TokenOrigin::from_config("pd", None, None, None)
                .unwrap_err()
                .contains("token_env")
        );
        assert!(
            TokenOrigin::from_config("pd", None, Some("A"), Some("b"))
                .unwrap_err()
                .contains("not several")
        );
        let inline = Secret::new("u+inline");
        assert!(
            TokenOrigin::from_config("pd", Some(&inline), Some("A"), None)
                .unwrap_err()
                .contains("not several")
        );
        assert_eq!(
            TokenOrigin::from_config("pd", None, Some("A"), None).unwrap(),
            TokenOrigin::Env("A".into())
        );
        let origin = TokenOrigin::from_config("pd", Some(&inline), None, None).unwrap();
        assert_eq!(origin.read("pd").unwrap().expose(), "u+inline");
        assert!(!format!("{origin:?}").contains("u+inline"));
        // As in "token rejected for pd: check the token written in the config file".
        assert_eq!(origin.describe(), "the token written in the config file");
    }

    #[test]
    fn a_command_gives_its_trimmed_output_and_hides_its_stderr() {
        let origin = TokenOrigin::Command("echo secret-from-cmd; echo noisy >&2".into());
        assert_eq!(origin.read("pd").unwrap().expose(), "secret-from-cmd");
        // What it says on stderr may be the secret itself: never repeated.
        let error = TokenOrigin::Command("echo sekrit-$((40 + 2)) >&2; exit 3".into())
            .read("pd")
            .unwrap_err();
        assert!(error.contains("failed (exit status: 3)"), "{error}");
        assert!(!error.contains("sekrit-42"), "{error}");
        let error = TokenOrigin::Command("true".into()).read("pd").unwrap_err();
        assert!(error.contains("empty"), "{error}");
    }

    #[test]
    fn a_missing_variable_is_named() {
        let origin = TokenOrigin::Env("PAGERDECK_TEST_NO_SUCH_TOKEN".into());
        let error = origin.read("pd").unwrap_err();
        assert!(error.contains("PAGERDECK_TEST_NO_SUCH_TOKEN"), "{error}");
    }
}
