//! `cargo xtask bench --peer progenitor`: vapigen beside progenitor (`cargo-progenitor`
//! 0.15.1, installed into `target/progenitor/` when missing), both run alternately on the
//! same files, in separate processes, so wall time and peak RSS are each tool's own.
//!
//! The files are the synthetic specs of the scaling step (copies of spec/vsphere.yaml) at
//! 10, 50, 500 and 5,000 operations, written as JSON, with every error response's body
//! collapsed to `Vapi.Std.Errors.Error`: progenitor panics on operations whose error
//! responses have different types. Then, for the crates both generated: `cargo check`
//! after a touch of `src/lib.rs` (50 and 500 operations) and `cargo build` after a touch
//! (500), alternately, in one target directory of their own where both crates'
//! dependencies are built once, untimed. And ours alone: `cargo build` after a touch with
//! one top-level service's feature (one copy of the spec) against the whole crate,
//! alternately, at 500 operations; at 5,000 with the feature alone (the whole crate does
//! not build in this machine's 24 GiB).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

use crate::compile::touch;
use crate::stats::{loadavg, median};
use crate::{call, codegen, scaling, server, stats};

const PROGENITOR_VERSION: &str = "0.15.1";

struct Plan {
    sizes: Vec<usize>,
    codegen_runs: usize,
    check_sizes: Vec<usize>,
    build_sizes: Vec<usize>,
    /// The sizes whose crate is built with one service's feature, and whether whole too
    /// (rustc building the whole 5,000-operation crate needs more than this machine's
    /// 24 GiB: it was killed by the kernel).
    feature_sizes: Vec<(usize, bool)>,
    compile_runs: usize,
    call_iterations: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                sizes: vec![10, 50],
                codegen_runs: 3,
                check_sizes: vec![50],
                build_sizes: vec![],
                feature_sizes: vec![(50, true)],
                compile_runs: 3,
                call_iterations: 5_000,
            }
        } else {
            Plan {
                sizes: vec![10, 50, 500, 5000],
                codegen_runs: 3,
                check_sizes: vec![50, 500],
                build_sizes: vec![500],
                feature_sizes: vec![(500, true), (5000, false)],
                compile_runs: 3,
                call_iterations: 20_000,
            }
        }
    }
}

/// One tool's run: wall seconds and peak RSS in MiB.
#[derive(Debug, Clone, Copy)]
struct Run {
    secs: f64,
    rss_mib: f64,
}

/// The figures of one size or one compile, ours and progenitor's medians.
#[derive(Debug, Clone)]
struct Pair {
    what: String,
    ours: f64,
    theirs: f64,
    unit: &'static str,
}

impl Pair {
    fn ratio(&self) -> f64 {
        self.ours / self.theirs
    }
}

fn step(what: &str) {
    eprintln!("bench --peer progenitor: {what}");
}

pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let plan = Plan::new(quick);
    let started = Instant::now();
    let load_start = loadavg();
    let cpu_start = stats::CpuTimes::now();
    let own_start = stats::own_cpu_s();
    let dir = root.join("target").join("bench").join("peer");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let progenitor = ensure_progenitor(root)?;

    step("the collapsed synthetic specs");
    let inputs = codegen::Inputs::read(root)?;
    let mut specs = Vec::new();
    for &size in &plan.sizes {
        let (yaml, operations) = scaling::synthetic_spec_of(&inputs.spec, size)?;
        let path = dir.join(format!("spec-{size}.json"));
        std::fs::write(&path, collapsed(&yaml)?).map_err(|e| format!("{}: {e}", path.display()))?;
        specs.push((size, operations, path));
    }
    drop(inputs);

    step(&format!(
        "codegen: {} runs of each tool on each size, alternately",
        plan.codegen_runs
    ));
    let me = std::env::current_exe().map_err(|e| format!("the bench's own path: {e}"))?;
    let mut time_pairs = Vec::new();
    let mut rss_pairs = Vec::new();
    for (size, operations, spec) in &specs {
        let ours_dir = dir.join(format!("ours-{size}"));
        let theirs_dir = dir.join(format!("progenitor-{size}"));
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..plan.codegen_runs {
            ours.push(measured(
                &me,
                &me,
                &[
                    "codegen-child".as_ref(),
                    "--spec".as_ref(),
                    spec.as_os_str(),
                    "--out".as_ref(),
                    ours_dir.as_os_str(),
                ],
            )?);
            // progenitor refuses to write into a folder that exists.
            remove(&theirs_dir)?;
            theirs.push(measured(
                &me,
                &progenitor,
                &[
                    "progenitor".as_ref(),
                    "-i".as_ref(),
                    spec.as_os_str(),
                    "-o".as_ref(),
                    theirs_dir.as_os_str(),
                    "-n".as_ref(),
                    format!("progenitor-{size}").as_ref(),
                    "-v".as_ref(),
                    "0.1.0".as_ref(),
                ],
            )?);
        }
        let what = format!("{size} ({operations} operations)");
        time_pairs.push((
            *size,
            Pair {
                what: what.clone(),
                ours: median(&ours.iter().map(|r| r.secs).collect::<Vec<_>>()),
                theirs: median(&theirs.iter().map(|r| r.secs).collect::<Vec<_>>()),
                unit: "s",
            },
        ));
        rss_pairs.push((
            *size,
            Pair {
                what,
                ours: median(&ours.iter().map(|r| r.rss_mib).collect::<Vec<_>>()),
                theirs: median(&theirs.iter().map(|r| r.rss_mib).collect::<Vec<_>>()),
                unit: "MiB",
            },
        ));
    }

    let target = dir.join("target");
    let mut check_pairs = Vec::new();
    for size in &plan.check_sizes {
        step(&format!(
            "cargo check after a touch, {size} operations, {} runs each",
            plan.compile_runs
        ));
        check_pairs.push((
            *size,
            compile_pair(&dir, &target, *size, "check", plan.compile_runs)?,
        ));
    }
    let mut build_pairs = Vec::new();
    for size in &plan.build_sizes {
        step(&format!(
            "cargo build after a touch, {size} operations, {} runs each",
            plan.compile_runs
        ));
        build_pairs.push((
            *size,
            compile_pair(&dir, &target, *size, "build", plan.compile_runs)?,
        ));
    }

    let feature = scaling::copy_feature(1);
    let mut feature_builds = Vec::new();
    for &(size, whole) in &plan.feature_sizes {
        step(&format!(
            "cargo build after a touch, {size} operations, with feature `{feature}` alone{}, {} runs each",
            if whole { " and whole" } else { "" },
            plan.compile_runs
        ));
        feature_builds.push(feature_build(
            &dir,
            &target,
            size,
            &feature,
            whole,
            plan.compile_runs,
        )?);
    }

    step("one call on loopback, generated client vs hand-written reqwest");
    let server = server::Server::start().map_err(|e| format!("bench server: {e}"))?;
    let calls = call::run(&server, plan.call_iterations)?;
    drop(server);
    let call_ratio = calls
        .iter()
        .map(call::CallFigures::ratio)
        .fold(0.0, f64::max);

    let (others_pct, steal_pct) =
        cpu_start.shares(&stats::CpuTimes::now(), stats::own_cpu_s() - own_start);
    let mut table = String::new();
    table.push_str(&format!(
        "vapigen vs progenitor {PROGENITOR_VERSION} (medians; load {load_start:.2} at start, \
         other processes {others_pct:.0} % of the CPU, steal {steal_pct:.0} %, {:.0} s in all)\n",
        started.elapsed().as_secs_f64()
    ));
    table.push_str(&format!(
        "{:<44} {:>14} {:>14} {:>8}\n",
        "measure", "vapigen", "progenitor", "ratio"
    ));
    let rows = time_pairs
        .iter()
        .map(|(_, p)| ("codegen wall", p))
        .chain(rss_pairs.iter().map(|(_, p)| ("codegen peak RSS", p)))
        .chain(
            check_pairs
                .iter()
                .map(|(_, p)| ("cargo check after a touch", p)),
        )
        .chain(
            build_pairs
                .iter()
                .map(|(_, p)| ("cargo build after a touch", p)),
        );
    for (measure, pair) in rows {
        table.push_str(&format!(
            "{:<44} {:>10.2} {:<3} {:>10.2} {:<3} {:>8.2}\n",
            format!("{measure}, {}", pair.what),
            pair.ours,
            pair.unit,
            pair.theirs,
            pair.unit,
            pair.ratio()
        ));
    }
    for build in &feature_builds {
        let shown =
            |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:.digits$}"));
        table.push_str(&format!(
            "{:<44} {:>10.2} s   {:>10} s   {:>8}  (one service / the whole crate, ours)\n",
            format!(
                "cargo build, `{}` alone, {} operations",
                build.feature, build.size
            ),
            build.feature_s,
            shown(build.whole_s, 2),
            shown(build.fraction(), 3),
        ));
    }
    for c in &calls {
        table.push_str(&format!(
            "{:<44} {:>10.1} us  {:>10.1} us  {:>8.3}  (vs hand-written reqwest)\n",
            format!("one call, {}", c.key),
            c.client_median_us,
            c.reqwest_median_us,
            c.ratio()
        ));
    }
    println!("{table}");

    let mut summary = json!({});
    for (size, p) in &time_pairs {
        summary[format!("codegen_time_ratio_vs_progenitor_{size}")] = json!(p.ratio());
    }
    for (size, p) in &rss_pairs {
        summary[format!("codegen_rss_ratio_vs_progenitor_{size}")] = json!(p.ratio());
    }
    for (size, p) in &check_pairs {
        summary[format!("check_ratio_vs_progenitor_{size}")] = json!(p.ratio());
    }
    for (size, p) in &build_pairs {
        summary[format!("build_ratio_vs_progenitor_{size}")] = json!(p.ratio());
    }
    for build in &feature_builds {
        summary[format!("feature_build_fraction_{}", build.size)] = json!(build.fraction());
        summary[format!("feature_build_s_{}", build.size)] = json!(build.feature_s);
    }
    summary["call_overhead_ratio"] = json!(call_ratio);
    summary["peer_load_start"] = json!(load_start);
    summary["peer_others_cpu_pct"] = json!(others_pct);
    let path = root.join("target").join("bench").join("summary.json");
    merge_into(&path, summary)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// `target/progenitor/bin/cargo-progenitor`, installed from crates.io when missing.
fn ensure_progenitor(root: &Path) -> Result<PathBuf, String> {
    let prefix = root.join("target").join("progenitor");
    let bin = prefix.join("bin").join("cargo-progenitor");
    if bin.exists() {
        return Ok(bin);
    }
    step(&format!(
        "installing cargo-progenitor {PROGENITOR_VERSION} into {} (a few minutes, once)",
        prefix.display()
    ));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "install",
            "--locked",
            "--version",
            PROGENITOR_VERSION,
            "--root",
        ])
        .arg(&prefix)
        .arg("cargo-progenitor")
        .status()
        .map_err(|e| format!("could not run cargo install: {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!(
            "cargo install cargo-progenitor {PROGENITOR_VERSION} failed ({status})"
        ));
    }
    Ok(bin)
}

/// The spec as JSON, every error response's body the standard error itself.
fn collapsed(yaml: &str) -> Result<String, String> {
    let mut spec: Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let body = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Vapi.Std.Errors.Error"}}});
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                for (status, response) in responses.iter_mut() {
                    if status.starts_with('2') {
                        continue;
                    }
                    if let Some(response) = response.as_object_mut() {
                        response.insert("content".into(), body.clone());
                    }
                }
            }
        }
    }
    serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())
}

/// Runs `program args` under `me`'s (the bench's) `rss-child`, which reports its wall time
/// and peak RSS.
fn measured(me: &Path, program: &Path, args: &[&std::ffi::OsStr]) -> Result<Run, String> {
    let output = Command::new(me)
        .arg("rss-child")
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run {}: {e}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} {:?} failed:\n{}",
            program.display(),
            args,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("rss-child printed no figures: {e}"))?;
    Ok(Run {
        secs: line["secs"].as_f64().unwrap_or(f64::NAN),
        rss_mib: line["max_rss_kib"].as_f64().unwrap_or(f64::NAN) / 1024.0,
    })
}

fn remove(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// `cargo <what>` of both crates of `size` operations after a touch, alternately, after one
/// untimed run of each (which builds their dependencies).
fn compile_pair(
    dir: &Path,
    target: &Path,
    size: usize,
    what: &'static str,
    runs: usize,
) -> Result<Pair, String> {
    let crates = [
        dir.join(format!("ours-{size}")),
        dir.join(format!("progenitor-{size}")),
    ];
    for krate in &crates {
        standalone(krate)?;
        compile(krate, target, what)?;
    }
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (k, krate) in crates.iter().enumerate() {
            touch(&krate.join("src").join("lib.rs"))?;
            times[k].push(compile(krate, target, what)?);
        }
    }
    Ok(Pair {
        what: format!("{size} operations"),
        ours: median(&times[0]),
        theirs: median(&times[1]),
        unit: "s",
    })
}

/// Our crate built with one top-level service's feature, and whole.
struct FeatureBuild {
    size: usize,
    feature: String,
    feature_s: f64,
    /// Not measured where the whole crate does not build on this machine.
    whole_s: Option<f64>,
}

impl FeatureBuild {
    fn fraction(&self) -> Option<f64> {
        self.whole_s.map(|whole| self.feature_s / whole)
    }
}

/// `cargo build` of our crate of `size` operations after a touch, with `feature` alone and,
/// when `whole`, with the default features (all), alternately, after one untimed run of
/// each.
fn feature_build(
    dir: &Path,
    target: &Path,
    size: usize,
    feature: &str,
    whole: bool,
    runs: usize,
) -> Result<FeatureBuild, String> {
    let krate = dir.join(format!("ours-{size}"));
    standalone(&krate)?;
    let alone = ["--no-default-features", "--features", feature];
    compile_with(&krate, target, "build", &alone)?;
    if whole {
        compile_with(&krate, target, "build", &[])?;
    }
    let (mut feature_s, mut whole_s) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        touch(&krate.join("src").join("lib.rs"))?;
        feature_s.push(compile_with(&krate, target, "build", &alone)?);
        if whole {
            touch(&krate.join("src").join("lib.rs"))?;
            whole_s.push(compile_with(&krate, target, "build", &[])?);
        }
    }
    Ok(FeatureBuild {
        size,
        feature: feature.to_owned(),
        feature_s: median(&feature_s),
        whole_s: whole.then(|| median(&whole_s)),
    })
}

/// A generated crate under target/ is no member of the main workspace: it gets a
/// `[workspace]` of its own, once.
fn standalone(krate: &Path) -> Result<(), String> {
    let manifest = krate.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if text.contains("\n[workspace]") {
        return Ok(());
    }
    std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
        .map_err(|e| format!("{}: {e}", manifest.display()))
}

fn compile(krate: &Path, target: &Path, what: &str) -> Result<f64, String> {
    compile_with(krate, target, what, &[])
}

fn compile_with(krate: &Path, target: &Path, what: &str, args: &[&str]) -> Result<f64, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .arg(what)
        .args(args)
        .arg("--manifest-path")
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "cargo {what} of {} failed:\n{}",
            krate.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(secs)
}

/// Adds `figures` to the summary file's object (made when missing), keeping its other keys.
fn merge_into(path: &Path, figures: Value) -> Result<(), String> {
    let mut summary: Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    if let (Some(summary), Value::Object(figures)) = (summary.as_object_mut(), figures) {
        summary.extend(figures);
    }
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `vapigen-bench codegen-child --spec F --out D`: what `cargo xtask codegen --spec F --out D`
/// does, in a process of its own so its peak memory is its own.
pub fn codegen_child(root: &Path, spec: &Path, out: &Path) -> std::process::ExitCode {
    let mut layout = vapigen::Layout::under(root).writing_to(out.to_owned());
    layout.spec = spec.to_owned();
    match vapigen::codegen(&layout, false) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_collapsed_and_successes_kept() {
        let yaml = r#"
openapi: 3.0.3
paths:
  /a:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.NotFound'}}}}
"#;
        let json: Value = serde_json::from_str(&collapsed(yaml).expect("collapses")).expect("json");
        let responses = &json["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Vapi.Std.Errors.Error"
        );
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["type"],
            "string"
        );
    }

    #[test]
    fn figures_are_merged_into_the_summary() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("summary.json");
        std::fs::write(&path, r#"{"codegen_ms": 1.0}"#).expect("write");
        merge_into(&path, json!({"check_ratio_vs_progenitor_50": 0.5})).expect("merge");
        let merged: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        assert_eq!(merged["codegen_ms"], 1.0);
        assert_eq!(merged["check_ratio_vs_progenitor_50"], 0.5);
    }
}
