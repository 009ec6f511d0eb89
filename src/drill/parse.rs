//! Reading a scenario file: `[drill]`, `[[expect]]`, and the night in the demo's own
//! format (`[[services]]`, `[[incidents]]`, `[[oncall]]`). Every problem is
//! `file:line: what`, so a team fixes its file without guessing.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::Scenario;
use super::expect::{self, ExpectEntry};
use crate::playbook::Playbook;
use crate::providers::demo::{DemoIncident, DemoOnCall, DemoService, DemoWorld, parse_offset};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    drill: Header,
    #[serde(default)]
    expect: Vec<ExpectEntry>,
    services: Vec<DemoService>,
    incidents: Vec<DemoIncident>,
    #[serde(default)]
    oncall: Vec<DemoOnCall>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    description: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(deserialize_with = "seconds")]
    duration: i64,
    #[serde(default = "three_minutes", deserialize_with = "seconds")]
    level_two_takes: i64,
    #[serde(default)]
    speed: Option<Spanned<f64>>,
    #[serde(default)]
    playbooks: Vec<Spanned<String>>,
}

const DEFAULT_SPEED: f64 = 10.0;
/// Past this a drill is over before anyone can read it.
const MAX_SPEED: f64 = 600.0;

fn three_minutes() -> i64 {
    180
}

/// "30m", "1h30m" as seconds, not zero.
pub(super) fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let text = String::deserialize(deserializer)?;
    let duration = humantime::parse_duration(&text).map_err(|e| {
        D::Error::custom(format!(
            "`{text}` is not a duration ({e}); write e.g. \"5m\""
        ))
    })?;
    match i64::try_from(duration.as_secs()) {
        Ok(0) => Err(D::Error::custom("a duration of zero; use at least 1s")),
        Ok(seconds) => Ok(seconds),
        Err(_) => Err(D::Error::custom(format!("`{text}` is too long"))),
    }
}

/// Where a scenario's playbooks are looked for: next to the scenario file, among the
/// bundled drill playbooks, then in the configured `[playbooks] dirs` (read once).
pub struct Finder {
    playbook_dirs: Vec<PathBuf>,
    real: OnceCell<Vec<Playbook>>,
}

impl Finder {
    pub fn new(playbook_dirs: &[PathBuf]) -> Self {
        Self {
            playbook_dirs: playbook_dirs.to_vec(),
            real: OnceCell::new(),
        }
    }

    /// (the path it is shown and tracked under, its markdown), or where it was looked for.
    fn find(&self, wanted: &str, next_to: Option<&Path>) -> Result<(String, String), String> {
        if let Some(dir) = next_to {
            let file = dir.join(wanted);
            if file.is_file() {
                return std::fs::read(&file)
                    .map(|bytes| {
                        (
                            wanted.to_string(),
                            String::from_utf8_lossy(&bytes).into_owned(),
                        )
                    })
                    .map_err(|e| format!("playbook {}: cannot read it: {e}", file.display()));
            }
        }
        if let Some(text) = super::bundled::playbook(wanted) {
            return Ok((wanted.to_string(), text.to_string()));
        }
        let real = self
            .real
            .get_or_init(|| crate::playbook::load::load_dirs(&self.playbook_dirs).0);
        let found = real
            .iter()
            .find(|p| p.path == wanted || p.file.as_deref().is_some_and(|f| f.ends_with(wanted)));
        if let Some(playbook) = found {
            let file = playbook
                .file
                .as_deref()
                .unwrap_or(Path::new(&playbook.path));
            return std::fs::read(file)
                .map(|bytes| {
                    (
                        playbook.path.clone(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    )
                })
                .map_err(|e| format!("playbook {}: cannot read it: {e}", file.display()));
        }
        let mut places = Vec::new();
        if let Some(dir) = next_to {
            places.push(format!("next to the scenario ({})", dir.display()));
        }
        places.push("among the bundled drill playbooks".into());
        places.push(match self.playbook_dirs.len() {
            0 => "in [playbooks] dirs (none configured)".into(),
            _ => "in [playbooks] dirs".into(),
        });
        Err(format!(
            "playbook `{}` not found: looked {}",
            crate::sanitize::line(wanted),
            places.join(", ")
        ))
    }
}

/// A scenario's name: its file's stem.
pub fn name_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn read_file(file: &Path, finder: &Finder) -> Result<Scenario, String> {
    let bytes =
        std::fs::read(file).map_err(|e| format!("{}: cannot read it: {e}", file.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", file.display()))?;
    let shown = file.display().to_string();
    let mut scenario = parse(&name_of(file), &text, &shown, file.parent(), finder)?;
    scenario.file = Some(file.to_path_buf());
    Ok(scenario)
}

/// `next_to`: the folder a team's scenario file is in (its playbooks may be relative to it).
pub fn parse(
    name: &str,
    text: &str,
    shown: &str,
    next_to: Option<&Path>,
    finder: &Finder,
) -> Result<Scenario, String> {
    let at = |line: Option<usize>, what: &str| match line {
        Some(line) => format!("{shown}:{line}: {what}"),
        None => format!("{shown}: {what}"),
    };
    if name.is_empty()
        || name.contains(|c: char| c.is_whitespace() || crate::sanitize::is_unsafe(c))
    {
        return Err(at(
            None,
            "a scenario's file name is its name: no spaces or control characters",
        ));
    }
    let file: ScenarioFile =
        crate::config::load::parse_toml(text, Path::new(shown)).map_err(|e| {
            // A `Spanned` value's inner field is an implementation detail, not a key.
            let key = e
                .key
                .as_deref()
                .map(|k| k.replace(".$__serde_spanned_private_value", ""));
            let what = match key {
                Some(key) => format!("`{key}`: {}", e.message),
                None => e.message.clone(),
            };
            at(e.line, &what)
        })?;
    let line_in_file = |path: &[Step<'_>]| line_of(text, path);
    let speed = match file.drill.speed {
        Some(speed) if !(speed.get_ref() > &0.0 && speed.get_ref() <= &MAX_SPEED) => {
            return Err(at(
                Some(line_at(text, speed.span().start)),
                &format!("`drill.speed` must be above 0 and at most {MAX_SPEED}"),
            ));
        }
        Some(speed) => speed.into_inner(),
        None => DEFAULT_SPEED,
    };
    let world = DemoWorld {
        services: file.services,
        incidents: file.incidents,
        oncall: file.oncall,
    };
    check_world(&world).map_err(|(path, what)| at(line_in_file(&path), &what))?;
    let mut playbooks = Vec::new();
    for wanted in &file.drill.playbooks {
        let found = finder
            .find(wanted.get_ref(), next_to)
            .map_err(|why| at(Some(line_at(text, wanted.span().start)), &why))?;
        playbooks.push(found);
    }
    let library = super::scenario::library_of(&playbooks);
    let expect = expect::build(file.expect, &world, &library)
        .map_err(|(offset, what)| at(offset.map(|o| line_at(text, o)), &what))?;
    check_timeline(&expect, &world, file.drill.duration)
        .map_err(|(path, what)| at(path.and_then(|p| line_in_file(&p)), &what))?;
    Ok(Scenario {
        name: name.to_string(),
        description: file.drill.description,
        kind: file.drill.kind.unwrap_or_else(|| "drill".into()),
        world,
        playbooks,
        level_two_takes_seconds: file.drill.level_two_takes,
        duration_seconds: file.drill.duration,
        speed,
        expect,
        file: None,
        replaces_bundled: false,
    })
}

/// One step of a path into the file: a key or an array index.
pub(super) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

type Problem = (Vec<Step<'static>>, String);

/// What the demo's loader checks, said at the key that is wrong.
fn check_world(world: &DemoWorld) -> Result<(), Problem> {
    use Step::{Index, Key};
    for (s, service) in world.services.iter().enumerate() {
        for (g, signal) in service.signals.iter().enumerate() {
            let here = |key| {
                vec![
                    Key("services"),
                    Index(s),
                    Key("signals"),
                    Index(g),
                    Key(key),
                ]
            };
            parse_offset(&signal.at).map_err(|e| (here("at"), e))?;
            if let Some(length) = &signal.length {
                parse_offset(length).map_err(|e| (here("length"), e))?;
            }
        }
    }
    let mut ids = std::collections::HashSet::new();
    for (i, incident) in world.incidents.iter().enumerate() {
        let here = |key| vec![Key("incidents"), Index(i), Key(key)];
        parse_offset(&incident.opened).map_err(|e| (here("opened"), e))?;
        if !world.services.iter().any(|s| s.name == incident.service) {
            return Err((
                here("service"),
                format!(
                    "incident {} names service `{}`, which no [[services]] entry has",
                    incident.id, incident.service
                ),
            ));
        }
        if !ids.insert(incident.id.as_str()) {
            return Err((
                here("id"),
                format!("two incidents are called {}", incident.id),
            ));
        }
    }
    Ok(())
}

/// Every expected incident fires while the drill runs.
fn check_timeline(
    expect: &[super::expect::Expectation],
    world: &DemoWorld,
    duration: i64,
) -> Result<(), (Option<Vec<Step<'static>>>, String)> {
    let Some(late) = expect.iter().find(|e| e.opened_offset_seconds >= duration) else {
        return Ok(());
    };
    let index = world.incidents.iter().position(|i| i.id == late.incident);
    let path = index.map(|i| vec![Step::Key("incidents"), Step::Index(i), Step::Key("opened")]);
    Err((
        path,
        format!(
            "{} fires after the drill is over (`drill.duration` is {}): nobody could respond",
            late.incident,
            super::lines::duration(duration)
        ),
    ))
}

/// The line of the value at `path`, if the file has one there.
fn line_of(text: &str, path: &[Step<'_>]) -> Option<usize> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut table = Some(root.get_ref());
    let mut array: Option<&[Spanned<toml::de::DeValue<'_>>]> = None;
    for step in path {
        let value = match step {
            Step::Key(key) => table?.iter().find(|(k, _)| k.get_ref() == key)?.1,
            Step::Index(index) => array?.get(*index)?,
        };
        span = value.span();
        table = value.get_ref().as_table();
        array = value.get_ref().as_array().map(|a| a.as_ref());
    }
    Some(line_at(text, span.start))
}

/// The 1-based line of byte `offset`.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
