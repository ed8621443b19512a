//! `cargo xtask corpus`: VMware's own published specs, each generated into a crate that must
//! build, pass clippy, document and test like `generated/` does.
//!
//! The specs stay where they are kept (`../shared/corpus/` by default): they are VMware's
//! files, never copied into the project. Each becomes `target/corpus/<file stem>/`, a
//! workspace of its own (the main one excludes `target/`) sharing one target folder, so
//! their common dependencies build once.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// One check of a generated crate: a cargo command in its folder.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: Option<(&'static str, &'static str)>,
}

/// What `generated/` passes in CI, each corpus crate passes too.
const STEPS: [Step; 3] = [
    Step {
        name: "clippy",
        args: &[
            "clippy",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        env: None,
    },
    Step {
        name: "doc",
        args: &["doc", "--no-deps", "--all-features"],
        env: Some(("RUSTDOCFLAGS", "-D warnings")),
    },
    Step {
        name: "test",
        args: &["test", "--all-features"],
        env: None,
    },
];

/// Where the corpus is kept, beside the project.
pub const DEFAULT_DIR: &str = "../shared/corpus";

pub fn run(root: &Path, dir: &Path) -> ExitCode {
    let dir = if dir.is_absolute() {
        dir.to_owned()
    } else {
        root.join(dir)
    };
    let mut specs: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect(),
        Err(e) => {
            eprintln!("error: the corpus folder {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    specs.sort();
    if specs.is_empty() {
        eprintln!("error: no .yaml, .yml or .json spec in {}", dir.display());
        return ExitCode::FAILURE;
    }
    let target = root.join("target").join("corpus-build");
    let mut failed = Vec::new();
    for spec in &specs {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = root.join("target").join("corpus").join(&stem);
        let mut layout = vapigen::Layout::under(root).writing_to(out.clone());
        layout.spec = spec.clone();
        eprintln!("corpus: {stem} -> {}", out.display());
        if let Err(e) = vapigen::codegen(&layout, false) {
            eprintln!("corpus: {stem}: does not generate:\n{e}");
            failed.push(stem);
            continue;
        }
        // The workspace's versions of the dependencies, so CI builds what was reviewed
        // (cargo adds what the crate needs beyond them).
        let lock = out.join("Cargo.lock");
        if !lock.exists() {
            if let Err(e) = std::fs::copy(root.join("Cargo.lock"), &lock) {
                eprintln!("corpus: {stem}: could not copy Cargo.lock: {e}");
            }
        }
        let mut passed = true;
        for step in STEPS {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut command = Command::new(cargo);
            command
                .args(step.args)
                .current_dir(&out)
                .env("CARGO_TARGET_DIR", &target);
            if let Some((key, value)) = step.env {
                command.env(key, value);
            }
            eprintln!("corpus: {stem}: cargo {}", step.args.join(" "));
            match command.status() {
                Ok(status) if status.success() => {}
                _ => {
                    eprintln!("corpus: {stem}: `cargo {}` failed", step.name);
                    failed.push(format!("{stem} ({})", step.name));
                    passed = false;
                    break;
                }
            }
        }
        if passed {
            match crate::features::of_spec(spec) {
                Ok(features) => {
                    for set in crate::features::check_each(&out, &features, &target) {
                        failed.push(format!("{stem} (features {set})"));
                    }
                }
                Err(e) => failed.push(format!("{stem} (features: {e})")),
            }
        }
    }
    if failed.is_empty() {
        println!(
            "corpus: all {} specs generate, pass clippy, doc and their tests, with each feature too",
            specs.len()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("corpus: failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}
