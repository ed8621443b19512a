//! The bench itself: what is measured, in which order, and where the figures go.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::{call, codegen, compile, download, report, scaling, server, stats};

/// How much of everything to do.
struct Plan {
    quick: bool,
    codegen_runs: usize,
    /// (operations, timed runs)
    scale: [(usize, usize); 3],
    check_runs: usize,
    call_iterations: usize,
    /// Bundle payload sizes, small then large, in MiB.
    download_mib: [u64; 2],
    download_runs: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                quick,
                codegen_runs: 7,
                scale: [(50, 5), (500, 3), (5000, 1)],
                check_runs: 3,
                call_iterations: 5_000,
                download_mib: [64, 256],
                download_runs: 5,
            }
        } else {
            Plan {
                quick,
                codegen_runs: 21,
                scale: [(50, 9), (500, 5), (5000, 3)],
                check_runs: 5,
                call_iterations: 20_000,
                download_mib: [256, 1024],
                download_runs: 7,
            }
        }
    }
}

/// Environment variable that keeps the bench in the profile it was built with.
const IN_PLACE: &str = "VAPIGEN_BENCH_IN_PLACE";

pub fn bench(root: &Path, quick: bool) -> ExitCode {
    // `cargo xtask bench` builds this in the release profile; a debug build measures the
    // wrong thing, so it says how to run it instead.
    if cfg!(debug_assertions) && std::env::var_os(IN_PLACE).is_none() {
        eprintln!(
            "error: this is a debug build; run `cargo xtask bench{}` (release), or set {IN_PLACE}=1 to measure it anyway",
            if quick { " --quick" } else { "" }
        );
        return ExitCode::FAILURE;
    }
    let started = Instant::now();
    match run(root, &Plan::new(quick), started) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `vapigen-bench --peer progenitor`: beside progenitor (see `peer`).
pub fn peer(root: &Path, quick: bool) -> ExitCode {
    if cfg!(debug_assertions) && std::env::var_os(IN_PLACE).is_none() {
        eprintln!(
            "error: this is a debug build; run `cargo xtask bench --peer progenitor{}` (release)",
            if quick { " --quick" } else { "" }
        );
        return ExitCode::FAILURE;
    }
    match crate::peer::run(root, quick) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `vapigen-bench spec --operations N`: the synthetic spec the scaling step generates.
pub fn print_spec(root: &Path, operations: usize) -> ExitCode {
    let spec = codegen::Inputs::read(root)
        .and_then(|inputs| scaling::synthetic_spec_of(&inputs.spec, operations));
    match spec {
        Ok((text, _)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

fn run(root: &Path, plan: &Plan, started: Instant) -> Result<(), String> {
    let target = root.join("target").join("bench");
    std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    let machine = report::Machine::probe();
    let load_start = stats::loadavg();
    let cpu_start = stats::CpuTimes::now();
    let own_start = stats::own_cpu_s();
    let curl = download::ensure_curl()?;

    step(&format!(
        "codegen: {} runs of generate_from_str on spec/vsphere.yaml",
        plan.codegen_runs
    ));
    let inputs = codegen::Inputs::read(root)?;
    let codegen = codegen::run(&inputs, plan.codegen_runs)?;

    step("scaling: synthetic specs of ~50, ~500 and ~5000 operations, runs interleaved");
    let scale = scaling::run(
        &inputs.spec,
        &inputs.templates,
        &inputs.settings,
        &plan.scale,
    )?;
    drop(inputs);

    step(&format!(
        "check: cargo check -p vsphere-api in the main workspace, warm-up then {} touched \
         re-checks",
        plan.check_runs
    ));
    let check = compile::run(root, plan.check_runs)?;

    let server = server::Server::start().map_err(|e| format!("bench server: {e}"))?;
    step(&format!(
        "call: {} calls per side per operation, generated client vs reqwest",
        plan.call_iterations
    ));
    let calls = call::run(&server, plan.call_iterations)?;

    step(&format!(
        "download: {} and {} MiB bundles, {} runs each of the client and curl",
        plan.download_mib[0], plan.download_mib[1], plan.download_runs
    ));
    let downloads = download::run(
        &server,
        &download::work_dir(&target),
        &plan.download_mib,
        plan.download_runs,
    )?;
    drop(server);

    let (others_pct, steal_pct) =
        cpu_start.shares(&stats::CpuTimes::now(), stats::own_cpu_s() - own_start);
    let figures = report::Figures {
        quick: plan.quick,
        machine,
        load_start,
        others_pct,
        steal_pct,
        curl,
        codegen,
        scale,
        check,
        calls,
        downloads,
        wall_s: started.elapsed().as_secs_f64(),
    };
    println!("{}", figures.table());
    let summary = target.join("summary.json");
    std::fs::write(&summary, figures.summary_json())
        .map_err(|e| format!("{}: {e}", summary.display()))?;
    println!("wrote {}", summary.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tar_stream;

    #[test]
    fn the_server_answers_both_clients_and_each_token_works_once() {
        let server = server::Server::start().expect("server");
        let calls = call::run(&server, 20).expect("calls");
        assert_eq!(calls.len(), 2);
        assert!(calls.iter().all(|c| c.client_median_us > 0.0));

        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("bundle.tar");
        let payload = 3 * 1024 * 1024 + 5;
        let url = server.bundle_url(payload);
        let line = download::child_download(&url, "token-1", &out).expect("download");
        let report: serde_json::Value = serde_json::from_str(&line).expect("json");
        let expected = tar_stream::archive_len(payload);
        assert_eq!(report["bytes"].as_u64(), Some(expected));
        assert_eq!(report["entries"].as_u64(), Some(1));
        assert!(report["vmhwm_kib"].as_u64().is_some());
        assert_eq!(
            report["file_name"].as_str(),
            Some(format!("wcp-support-bundle-bench-{payload}.tar").as_str())
        );
        assert_eq!(std::fs::metadata(&out).expect("file").len(), expected);
        let again = download::child_download(&url, "token-1", &out).expect_err("spent");
        assert!(again.contains("rejected"), "{again}");
    }

    #[test]
    fn the_summary_has_the_six_figures_as_numbers() {
        let figures = report::Figures {
            quick: true,
            machine: report::Machine {
                nproc: 2,
                cpu: "cpu".into(),
                rustc: "rustc".into(),
            },
            load_start: 0.5,
            others_pct: 1.0,
            steal_pct: 0.0,
            curl: "curl".into(),
            codegen: codegen::CodegenFigures {
                runs: 1,
                median_ms: 10.0,
                min_ms: 9.0,
                cpu_median_ms: 9.5,
                files: 3,
            },
            scale: vec![],
            check: compile::CheckFigures {
                warm_up_s: 1.0,
                runs: 1,
                median_s: 1.0,
                min_s: 1.0,
                max_s: 1.0,
                blocked: 0,
            },
            calls: vec![],
            downloads: vec![],
            wall_s: 1.0,
        };
        let json: serde_json::Value =
            serde_json::from_str(&figures.summary_json()).expect("valid json");
        for key in [
            "codegen_ms",
            "scale_ratio_5000_50",
            "check_generated_s",
            "call_overhead_ratio",
            "download_throughput_ratio_vs_curl",
            "download_peak_rss_mib",
        ] {
            assert!(json[key].is_number(), "{key}");
        }
        assert!(figures.table().contains("codegen_ms"));
    }
}
