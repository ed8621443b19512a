//! `cargo xtask codegen [--check] [--spec FILE --out DIR [--name NAME]]`: the maintainer's
//! entry point to the generator. `cargo xtask bench [--quick]`: the benchmarks (package
//! `vapigen-bench`, which needs the generated crate; `--peer progenitor` beside progenitor; xtask itself never does, so it builds
//! and regenerates `generated/` even when that is broken or gone).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::{Parser, Subcommand};

mod corpus;
mod features;

#[derive(Parser)]
#[command(about = "Tasks of the vapigen workspace")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate a crate from a spec: generated/ from spec/vsphere.yaml by default.
    Codegen {
        /// Change nothing; fail, naming each stale file, when the crate is not up to date.
        #[arg(long)]
        check: bool,
        /// The OpenAPI document (YAML or JSON) in VMware's dialect; spec/vsphere.yaml by
        /// default.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// The folder of the crate to write; generated/ by default.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The crate's package name; with --out, the folder's name by default
        /// (`vsphere-api` for generated/).
        #[arg(long)]
        name: Option<String>,
        /// The workspace to work in (spec/, templates/, runtime/, generated/); this one by
        /// default.
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Generate a crate from each of VMware's published specs (../shared/corpus/) into
    /// target/corpus/, and check each builds, passes clippy and doc, and passes its tests.
    Corpus {
        /// The folder of specs.
        #[arg(long, default_value = corpus::DEFAULT_DIR)]
        dir: PathBuf,
    },
    /// Check that generated/ compiles warning-free with no feature, and with each
    /// top-level service's feature alone (with and without `mock`).
    Features,
    /// Measure the generator and the generated client; writes target/bench/summary.json
    /// (see BENCHMARKS.md). Runs `cargo run --release --manifest-path bench/Cargo.toml`.
    Bench {
        /// Fewer repetitions and smaller bundles (64 and 256 MiB): under 3 minutes.
        #[arg(long)]
        quick: bool,
        /// Measure beside another generator instead: `progenitor` (cargo-progenitor 0.15.1,
        /// installed into target/progenitor/ when missing; not in CI).
        #[arg(long, value_parser = ["progenitor"])]
        peer: Option<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::Codegen {
            check,
            spec,
            out,
            name,
            root,
        } => {
            let root = root.unwrap_or_else(workspace_root);
            let mut layout = vapigen::Layout::under(&root);
            if let Some(out) = out {
                layout = layout.writing_to(out);
            }
            if let Some(spec) = spec {
                layout.spec = spec;
            }
            if let Some(name) = name {
                layout.crate_name = name;
            }
            codegen(&root, &layout, check)
        }
        Task::Corpus { dir } => corpus::run(&workspace_root(), &dir),
        Task::Features => check_features(&workspace_root()),
        Task::Bench { quick, peer } => bench(&workspace_root(), quick, peer.as_deref()),
    }
}

fn check_features(root: &Path) -> ExitCode {
    let layout = vapigen::Layout::under(root);
    let features = match features::of_spec(&layout.spec) {
        Ok(features) => features,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let failed = features::check_each(&layout.out, &features, &root.join("target"));
    if failed.is_empty() {
        println!(
            "features: none, and each of {} alone, with and without mock: clippy clean",
            features.join(", ")
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("features: failed: {}", failed.join("; "));
        ExitCode::FAILURE
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

fn codegen(root: &Path, layout: &vapigen::Layout, check: bool) -> ExitCode {
    let show = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let out = format!("{}/", show(&layout.out).trim_end_matches('/'));
    let started = Instant::now();
    eprintln!(
        "{} {out} ({}) from {} ...",
        if check { "checking" } else { "generating" },
        layout.crate_name,
        show(&layout.spec)
    );
    let report = match vapigen::codegen(layout, check) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("{out} was left as it was.");
            return ExitCode::FAILURE;
        }
    };
    let took = format!("{:.1} s", started.elapsed().as_secs_f64());
    if check {
        if report.is_clean() {
            println!("{out} is up to date ({took})");
            return ExitCode::SUCCESS;
        }
        for path in &report.changed {
            eprintln!("stale: {}", show(path));
        }
        for path in &report.extra {
            eprintln!("not generated any more: {}", show(path));
        }
        eprintln!("{out} is stale; run `cargo xtask codegen`");
        return ExitCode::FAILURE;
    }
    for path in &report.changed {
        println!("wrote {}", show(path));
    }
    for path in &report.extra {
        println!("removed {}", show(path));
    }
    if report.is_clean() {
        println!("{out} was already up to date ({took})");
    } else {
        println!(
            "{out}: {} written, {} removed ({took})",
            report.changed.len(),
            report.extra.len()
        );
    }
    ExitCode::SUCCESS
}

/// The benchmarks live in their own package, which depends on the generated crate.
fn bench(root: &Path, quick: bool, peer: Option<&str>) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("bench").join("Cargo.toml"))
        .arg("--");
    // bench/ is a workspace of its own; the main one's target folder has its dependencies
    // built already.
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", root.join("target"));
    }
    if quick {
        command.arg("--quick");
    }
    if let Some(peer) = peer {
        command.args(["--peer", peer]);
    }
    eprintln!("bench: cargo run --release --manifest-path bench/Cargo.toml (the first build takes a few minutes)");
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: could not run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a stale generated/: this is check mode, as CI runs it.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = workspace_root();
        let report =
            vapigen::codegen(&vapigen::Layout::under(&root), true).expect("the spec generates");
        assert!(
            report.is_clean(),
            "generated/ is stale; run `cargo xtask codegen`:\n{report:#?}"
        );
    }
}
