//! `cargo xtask codegen [--check]`: the maintainer's entry point to the generator.
//! `cargo xtask bench [--quick]`: the benchmarks of the generator and the generated client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;

#[derive(Parser)]
#[command(about = "Tasks of the vapigen workspace")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate generated/ from spec/ and templates/.
    Codegen {
        /// Change nothing; fail, naming each stale file, when generated/ is not up to date.
        #[arg(long)]
        check: bool,
        /// The workspace to work in (spec/, templates/, generated/); this one by default.
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
    /// Measure the generator and the generated client; writes target/bench/summary.json
    /// (see BENCHMARKS.md).
    Bench {
        /// Fewer repetitions and smaller bundles (64 and 256 MiB): under 3 minutes.
        #[arg(long)]
        quick: bool,
    },
    /// One support-bundle download with the generated client; `bench` runs it as a child
    /// process to measure its peak memory.
    #[command(hide = true)]
    BenchDownloadChild {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Runs a program and prints its wall time and peak RSS; `bench` measures curl with it.
    #[command(hide = true)]
    BenchRssChild {
        /// Once the program has ended well, flush this file to disk (fsync) within the
        /// timing, as the client's download to a folder does.
        #[arg(long)]
        fsync: Option<PathBuf>,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
    },
    /// Prints the synthetic spec of about this many operations that `bench` times (to
    /// profile the generator on it: put it in a copy of the workspace and run codegen --root).
    #[command(hide = true)]
    BenchSpec {
        #[arg(long)]
        operations: usize,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::Codegen { check, root } => codegen(&root.unwrap_or_else(workspace_root), check),
        Task::Bench { quick } => bench::bench(&workspace_root(), quick),
        Task::BenchDownloadChild { url, token, out } => bench::download_child(&url, &token, &out),
        Task::BenchRssChild { fsync, command } => bench::rss_child(&command, fsync.as_deref()),
        Task::BenchSpec { operations } => bench::print_spec(&workspace_root(), operations),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

fn codegen(root: &Path, check: bool) -> ExitCode {
    let layout = vapigen::Layout::under(root);
    let report = match vapigen::codegen(&layout, check) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("generated/ was left as it was.");
            return ExitCode::FAILURE;
        }
    };
    let show = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    if check {
        if report.is_clean() {
            println!("generated/ is up to date");
            return ExitCode::SUCCESS;
        }
        for path in &report.changed {
            eprintln!("stale: {}", show(path));
        }
        for path in &report.extra {
            eprintln!("not generated any more: {}", show(path));
        }
        eprintln!("generated/ is stale; run `cargo xtask codegen`");
        return ExitCode::FAILURE;
    }
    for path in &report.changed {
        println!("wrote {}", show(path));
    }
    for path in &report.extra {
        println!("removed {}", show(path));
    }
    if report.is_clean() {
        println!("generated/ was already up to date");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    /// `cargo test` alone catches a stale generated/: this is check mode, as CI runs it.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = super::workspace_root();
        let report =
            vapigen::codegen(&vapigen::Layout::under(&root), true).expect("the spec generates");
        assert!(
            report.is_clean(),
            "generated/ is stale; run `cargo xtask codegen`:\n{report:#?}"
        );
    }
}
