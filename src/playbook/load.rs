//! Reading the configured playbook folders (typically each team's git checkout).

use std::path::{Path, PathBuf};

use super::Playbook;

/// What could not be read, for the status line, the log and `playbook lint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub message: String,
}

/// Every `*.md` under `dirs` (hidden folders such as `.git` skipped). A file whose front
/// matter is broken is still loaded, without metadata, and reported.
pub fn load_dirs(dirs: &[PathBuf]) -> (Vec<Playbook>, Vec<Problem>) {
    let mut playbooks = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let label = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files = Vec::new();
        if let Err(message) = walk(dir, &mut files) {
            problems.push(Problem {
                file: dir.clone(),
                message,
            });
            continue;
        }
        files.sort();
        for file in files {
            let relative = file
                .strip_prefix(dir)
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            let shown = if label.is_empty() {
                relative
            } else {
                format!("{label}/{relative}")
            };
            let text = match std::fs::read(&file) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    problems.push(Problem {
                        file,
                        message: format!("cannot read it: {e}"),
                    });
                    continue;
                }
            };
            let (playbook, problem) = Playbook::parse_lenient(&shown, &text);
            if let Some(message) = problem {
                problems.push(Problem {
                    file: file.clone(),
                    message,
                });
            }
            playbooks.push(Playbook {
                file: Some(file),
                ..playbook
            });
        }
    }
    (playbooks, problems)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read playbook folder: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && !hidden {
            // A sub-folder that cannot be read is skipped; the folder itself was readable.
            let _ = walk(&path, out);
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_read_recursively_and_problems_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("payments-playbooks");
        std::fs::create_dir_all(root.join("checkout")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(
            root.join("README.md"),
            "---\nteam: payments\n---\n# Payments\n",
        )
        .unwrap();
        std::fs::write(
            root.join("checkout/errors.md"),
            "+++\nservices = [\"checkout-api\"]\n+++\n# Errors\n",
        )
        .unwrap();
        std::fs::write(
            root.join("checkout/broken.md"),
            "---\nteam: [\n---\n# Broken\n",
        )
        .unwrap();
        std::fs::write(root.join(".git/ignored.md"), "# not a playbook").unwrap();
        std::fs::write(root.join("notes.txt"), "not markdown").unwrap();
        let missing = dir.path().join("nope");
        let (playbooks, problems) = load_dirs(&[root.clone(), missing.clone()]);
        let paths: Vec<_> = playbooks.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "payments-playbooks/README.md",
                "payments-playbooks/checkout/broken.md",
                "payments-playbooks/checkout/errors.md"
            ]
        );
        assert_eq!(playbooks[0].team.as_deref(), Some("payments"));
        assert_eq!(playbooks[2].services, ["checkout-api"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].file.ends_with("broken.md") && problems[0].message.contains("YAML"));
        assert_eq!(problems[1].file, missing);
    }
}
