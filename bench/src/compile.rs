//! `cargo check -p vsphere-api` of the generated crate, its dependencies (the runtime among
//! them) already built: one warm-up check, then `touch generated/src/lib.rs` (mtime only)
//! and check again.
//!
//! The checks are of the main workspace (`--manifest-path <root>/Cargo.toml`, with its
//! Cargo.lock), not of bench/'s, and run in its target directory, where `cargo clippy`,
//! `cargo test` and the like have already checked the dependencies, as on a developer's
//! machine.
//! A check that had to wait for another cargo's lock on it (cargo says "Blocking waiting for
//! file lock") is not counted, and is done again.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use super::stats::median;

#[derive(Debug, Clone)]
pub struct CheckFigures {
    pub warm_up_s: f64,
    pub runs: usize,
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
    /// Checks left out because they waited for another cargo's lock.
    pub blocked: usize,
}

/// Outcome of one `cargo check` of the main workspace's generated crate: how long, and
/// whether it waited for a lock.
fn check(root: &Path) -> Result<(f64, bool), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["check", "-p", "vsphere-api", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("cargo check -p vsphere-api failed:\n{stderr}"));
    }
    Ok((secs, stderr.contains("Blocking waiting for file lock")))
}

pub fn run(root: &Path, runs: usize) -> Result<CheckFigures, String> {
    let lib = root.join("generated").join("src").join("lib.rs");
    let (warm_up_s, _) = check(root)?;
    let mut samples = Vec::with_capacity(runs);
    let mut blocked = 0;
    while samples.len() < runs && blocked < 3 * runs {
        touch(&lib)?;
        match check(root)? {
            (_, true) => blocked += 1,
            (secs, false) => samples.push(secs),
        }
    }
    if samples.is_empty() {
        return Err("every cargo check waited for another cargo's lock on target/".into());
    }
    Ok(CheckFigures {
        warm_up_s,
        runs: samples.len(),
        median_s: median(&samples),
        min_s: samples.iter().copied().fold(f64::INFINITY, f64::min),
        max_s: samples.iter().copied().fold(0.0, f64::max),
        blocked,
    })
}

/// Sets the modification time to now; the contents stay as they are.
pub fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touch {}: {e}", path.display()))
}
