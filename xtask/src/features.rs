//! `cargo xtask features`: each top-level service's cargo feature of a generated crate
//! compiles alone, warning-free, so a user who turns the default features off and picks
//! one gets a crate that builds.
//!
//! The default build (all features) is what clippy, doc and the tests already check. Here:
//! the crate with no feature at all, then each feature alone, and with the mocks (`mock`),
//! whose methods are each under their service's feature and which make received structs
//! `Serialize`. `--all-targets` would bring the crate's
//! own tests, which turn every feature on through its dev-dependency on itself: the library
//! is what a user compiles.

use std::path::Path;
use std::process::Command;

/// Runs clippy on the crate in `krate` once per feature set; the sets that fail.
pub fn check_each(krate: &Path, features: &[String], target: &Path) -> Vec<String> {
    let sets = std::iter::once(String::new()).chain(
        features
            .iter()
            .flat_map(|f| [f.clone(), format!("{f},mock")]),
    );
    let mut failed = Vec::new();
    for set in sets {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["clippy", "--no-default-features", "--features", &set])
            .args(["--", "-D", "warnings"])
            .current_dir(krate)
            .env("CARGO_TARGET_DIR", target);
        let shown = if set.is_empty() { "(none)" } else { &set };
        eprintln!("features: {}: {shown}", krate.display());
        if !command.status().is_ok_and(|s| s.success()) {
            failed.push(shown.to_owned());
        }
    }
    failed
}

/// The top-level services' features of the crate generated from `spec`.
pub fn of_spec(spec: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let model = vapigen::model_from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    Ok(model.features.into_keys().collect())
}
