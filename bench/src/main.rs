//! `cargo xtask bench [--quick]` runs this: the figures of issue "Benchmarks", each against
//! its reference measured in the same run, as medians. Prints a table and writes
//! `target/bench/summary.json`. BENCHMARKS.md records the figures and how to read them.
//!
//! A package of its own, and a workspace of its own, because it uses the generated crate:
//! `xtask` must build when `generated/` does not (it is what regenerates it). It measures in
//! the release profile (`cargo xtask bench` builds it so; a debug build refuses). The child
//! processes it measures are this binary too (`download-child`, `rss-child`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod call;
mod codegen;
mod compile;
mod download;
mod peer;
mod report;
mod scaling;
mod server;
mod stats;
mod tar_stream;

#[derive(Parser)]
#[command(about = "Measure the generator and the generated client (see BENCHMARKS.md)")]
struct Cli {
    /// Fewer repetitions and smaller bundles (64 and 256 MiB): under 3 minutes.
    #[arg(long)]
    quick: bool,
    /// Measure beside another generator instead (`progenitor`: cargo-progenitor 0.15.1,
    /// installed into target/progenitor/ when missing).
    #[arg(long, value_parser = ["progenitor"])]
    peer: Option<String>,
    #[command(subcommand)]
    process: Option<Process>,
}

/// The processes the bench starts to measure one thing each.
#[derive(Subcommand)]
enum Process {
    /// One support-bundle download with the generated client; the bench runs it as a child
    /// process to measure its peak memory.
    #[command(hide = true)]
    DownloadChild {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Runs a program and prints its wall time and peak RSS; the bench measures curl with it.
    #[command(hide = true)]
    RssChild {
        /// Once the program has ended well, flush this file to disk (fsync) within the
        /// timing, as the client's download to a folder does.
        #[arg(long)]
        fsync: Option<PathBuf>,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
    },
    /// Generates a crate from a spec, as `cargo xtask codegen --spec --out` does; the peer
    /// bench runs it as a child process to measure its peak memory.
    #[command(hide = true)]
    CodegenChild {
        #[arg(long)]
        spec: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Prints the synthetic spec of about this many operations that the bench times (to
    /// profile the generator on it: `cargo xtask codegen --spec FILE --out target/DIR`).
    #[command(hide = true)]
    Spec {
        #[arg(long)]
        operations: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    match cli.process {
        None if cli.peer.is_some() => bench::peer(&root, cli.quick),
        None => bench::bench(&root, cli.quick),
        Some(Process::CodegenChild { spec, out }) => peer::codegen_child(&root, &spec, &out),
        Some(Process::DownloadChild { url, token, out }) => download::child(&url, &token, &out),
        Some(Process::RssChild { fsync, command }) => {
            download::rss_child(&command, fsync.as_deref())
        }
        Some(Process::Spec { operations }) => bench::print_spec(&root, operations),
    }
}

/// The main workspace's root (spec/, templates/, generated/, target/): bench/'s parent.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}
