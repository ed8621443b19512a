//! The table and `summary.json`.

use std::fmt::Write as _;
use std::process::Command;

use serde_json::{json, Map, Value};

use super::call::CallFigures;
use super::codegen::CodegenFigures;
use super::compile::CheckFigures;
use super::download::SizeFigures;
use super::scaling::ScaleFigures;

/// Goals of issue "Benchmarks".
pub const CALL_GOAL: f64 = 1.05;
pub const THROUGHPUT_GOAL: f64 = 0.8;
pub const RSS_GOAL_MIB: f64 = 32.0;

pub struct Machine {
    pub nproc: usize,
    pub cpu: String,
    pub rustc: String,
}

impl Machine {
    pub fn probe() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|text| {
                text.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            rustc,
        }
    }
}

pub struct Figures {
    pub quick: bool,
    pub machine: Machine,
    /// 1-minute load average when the bench started.
    pub load_start: f64,
    /// Share (%) of all CPUs other processes used during the bench.
    pub others_pct: f64,
    /// Share (%) of all CPUs the hypervisor took during the bench.
    pub steal_pct: f64,
    pub curl: String,
    pub codegen: CodegenFigures,
    pub scale: Vec<ScaleFigures>,
    pub check: CheckFigures,
    pub calls: Vec<CallFigures>,
    pub downloads: Vec<SizeFigures>,
    pub wall_s: f64,
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

impl Figures {
    /// Time of the ~5000-operation spec over time of the ~50-operation one (100 = linear),
    /// from wall-time medians.
    pub fn scale_ratio(&self) -> f64 {
        self.scale_ratio_by(|s| s.median_ms)
    }

    /// The same from CPU-time medians, which other processes on the machine do not inflate.
    pub fn scale_ratio_cpu(&self) -> f64 {
        self.scale_ratio_by(|s| s.cpu_median_ms)
    }

    fn scale_ratio_by(&self, time: impl Fn(&ScaleFigures) -> f64) -> f64 {
        match (self.scale.first(), self.scale.last()) {
            (Some(small), Some(large)) if time(small) > 0.0 => {
                // Scaled to exactly 100 times the operations, should rounding have changed it.
                let ops = large.operations as f64 / small.operations as f64;
                time(large) / time(small) * (100.0 / ops)
            }
            _ => 0.0,
        }
    }

    /// The worse of the operations' ratios.
    pub fn call_ratio(&self) -> f64 {
        self.calls
            .iter()
            .map(CallFigures::ratio)
            .fold(0.0, f64::max)
    }

    /// Client over curl at the larger size.
    pub fn download_ratio(&self) -> f64 {
        self.downloads.last().map_or(0.0, SizeFigures::ratio)
    }

    pub fn peak_rss(&self) -> f64 {
        self.downloads
            .iter()
            .map(|d| d.client_rss_mib)
            .fold(0.0, f64::max)
    }

    pub fn table(&self) -> String {
        let mut t = String::new();
        let m = &self.machine;
        let _ = writeln!(
            t,
            "\nvapigen benchmarks{} — {} CPUs, {}, {}, release profile",
            if self.quick {
                " (--quick: fewer repetitions, smaller bundles)"
            } else {
                ""
            },
            m.nproc,
            m.cpu,
            m.rustc
        );
        let _ = writeln!(t, "reference download tool: {}", self.curl);
        let _ = writeln!(
            t,
            "machine load: 1-min load average {:.2} at the start; during the bench other \
             processes used {:.0}% of the CPUs and the hypervisor took {:.0}% (steal)\n",
            self.load_start, self.others_pct, self.steal_pct
        );
        let row = |t: &mut String, name: &str, value: String, goal: &str, note: String| {
            let _ = writeln!(t, "{name:<36} {value:>14}  {goal:<18} {note}");
        };
        row(
            &mut t,
            "figure",
            "value".into(),
            "goal",
            "reference / how".into(),
        );
        row(
            &mut t,
            &"-".repeat(36),
            "-".repeat(14),
            &"-".repeat(18),
            "-".repeat(40),
        );
        let c = &self.codegen;
        row(
            &mut t,
            "codegen_ms",
            format!("{:.1} ms", c.median_ms),
            "(none)",
            format!(
                "median of {} runs of generate_from_str (min {:.1}, CPU {:.1} ms), {} files",
                c.runs, c.min_ms, c.cpu_median_ms, c.files
            ),
        );
        for s in &self.scale {
            row(
                &mut t,
                &format!("  codegen, {} operations", s.operations),
                format!("{:.1} ms", s.median_ms),
                "",
                format!(
                    "median of {} (CPU {:.1} ms); {} copies, {:.1} MB of YAML, {} files",
                    s.runs,
                    s.cpu_median_ms,
                    s.schemas_copies,
                    s.spec_bytes as f64 / 1e6,
                    s.files
                ),
            );
        }
        let ratio = self.scale_ratio();
        row(
            &mut t,
            "scale_ratio_5000_50",
            format!("{ratio:.0}"),
            "100 = linear",
            format!(
                "time(5000 ops) / time(50 ops), wall medians; from CPU time: {:.0}",
                self.scale_ratio_cpu()
            ),
        );
        let k = &self.check;
        row(
            &mut t,
            "check_generated_s",
            format!("{:.2} s", k.median_s),
            "(none)",
            format!(
                "median of {} re-checks after touching lib.rs ({:.2}..{:.2} s); warm-up {:.1} s{}",
                k.runs,
                k.min_s,
                k.max_s,
                k.warm_up_s,
                if k.blocked > 0 {
                    format!("; {} left out (waited for a lock)", k.blocked)
                } else {
                    String::new()
                }
            ),
        );
        for call in &self.calls {
            row(
                &mut t,
                &format!("  call, {}", call.key),
                format!("{:.1} us", call.client_median_us),
                "",
                format!(
                    "reqwest by hand {:.1} us (ratio {:.3}); with the client's timeouts {:.1} us \
                     (ratio {:.3}); p90 {:.1} vs {:.1} us; {} calls each",
                    call.reqwest_median_us,
                    call.ratio(),
                    call.timed_median_us,
                    call.ratio_vs_timed(),
                    call.client_p90_us,
                    call.reqwest_p90_us,
                    call.iterations
                ),
            );
        }
        let call_ratio = self.call_ratio();
        row(
            &mut t,
            "call_overhead_ratio",
            format!("{call_ratio:.3}"),
            &format!("<= {CALL_GOAL} {}", verdict(call_ratio <= CALL_GOAL)),
            "the worse operation: client median / reqwest median".into(),
        );
        for d in &self.downloads {
            row(
                &mut t,
                &format!("  download, {} MiB", d.payload_mib),
                format!("{:.0} MiB/s", d.client_mib_s),
                "",
                format!(
                    "curl {:.0} MiB/s; ratio {:.2}; in-process {:.0} MiB/s; RSS {:.1} MiB (curl {:.1}); {} runs",
                    d.curl_mib_s,
                    d.ratio(),
                    d.client_inner_mib_s,
                    d.client_rss_mib,
                    d.curl_rss_mib,
                    d.runs
                ),
            );
        }
        let dl = self.download_ratio();
        let largest = self.downloads.last().map_or(0, |d| d.payload_mib);
        row(
            &mut t,
            "download_throughput_ratio_vs_curl",
            format!("{dl:.2}"),
            &format!(">= {THROUGHPUT_GOAL} {}", verdict(dl >= THROUGHPUT_GOAL)),
            format!("at {largest} MiB, child process wall time, median"),
        );
        let rss = self.peak_rss();
        let sizes: Vec<String> = self
            .downloads
            .iter()
            .map(|d| format!("{:.1} MiB at {} MiB", d.client_rss_mib, d.payload_mib))
            .collect();
        row(
            &mut t,
            "download_peak_rss_mib",
            format!("{rss:.1}"),
            &format!("< {RSS_GOAL_MIB} {}", verdict(rss < RSS_GOAL_MIB)),
            format!("VmHWM of the client process: {}", sizes.join(", ")),
        );
        let _ = writeln!(t, "\nwall time of the bench: {:.0} s", self.wall_s);
        t
    }

    /// Every value is a number; the six figures of the issue come first.
    pub fn summary_json(&self) -> String {
        let mut s = Map::new();
        let mut put = |k: String, v: f64| {
            s.insert(k, json!(round(v)));
        };
        put("codegen_ms".into(), self.codegen.median_ms);
        put("scale_ratio_5000_50".into(), self.scale_ratio());
        put("check_generated_s".into(), self.check.median_s);
        put("call_overhead_ratio".into(), self.call_ratio());
        put(
            "download_throughput_ratio_vs_curl".into(),
            self.download_ratio(),
        );
        put("download_peak_rss_mib".into(), self.peak_rss());

        put("quick".into(), if self.quick { 1.0 } else { 0.0 });
        put("nproc".into(), self.machine.nproc as f64);
        put("wall_s".into(), self.wall_s);
        put("load_1m_start".into(), self.load_start);
        put("cpu_other_processes_pct".into(), self.others_pct);
        put("cpu_steal_pct".into(), self.steal_pct);
        put("codegen_runs".into(), self.codegen.runs as f64);
        put("codegen_min_ms".into(), self.codegen.min_ms);
        put("codegen_cpu_ms".into(), self.codegen.cpu_median_ms);
        put("codegen_files".into(), self.codegen.files as f64);
        put("scale_ratio_5000_50_cpu".into(), self.scale_ratio_cpu());
        for sc in &self.scale {
            let n = sc.target_operations;
            put(format!("scale_ms_{n}"), sc.median_ms);
            put(format!("scale_cpu_ms_{n}"), sc.cpu_median_ms);
            put(format!("scale_operations_{n}"), sc.operations as f64);
            put(format!("scale_runs_{n}"), sc.runs as f64);
        }
        put("check_generated_runs".into(), self.check.runs as f64);
        put("check_generated_warm_up_s".into(), self.check.warm_up_s);
        put("check_generated_blocked".into(), self.check.blocked as f64);
        for c in &self.calls {
            put(format!("call_overhead_ratio_{}", c.key), c.ratio());
            put(format!("call_{}_client_us", c.key), c.client_median_us);
            put(format!("call_{}_reqwest_us", c.key), c.reqwest_median_us);
            put(
                format!("call_overhead_ratio_{}_vs_reqwest_with_timeouts", c.key),
                c.ratio_vs_timed(),
            );
            put(
                format!("call_{}_reqwest_with_timeouts_us", c.key),
                c.timed_median_us,
            );
            put(format!("call_{}_iterations", c.key), c.iterations as f64);
        }
        if let (Some(small), Some(large)) = (self.downloads.first(), self.downloads.last()) {
            put("download_small_mib".into(), small.payload_mib as f64);
            put("download_large_mib".into(), large.payload_mib as f64);
            put("download_runs".into(), large.runs as f64);
        }
        for d in &self.downloads {
            let n = d.payload_mib;
            put(
                format!("download_{n}mib_archive_bytes"),
                d.archive_bytes as f64,
            );
            put(format!("download_{n}mib_client_mib_s"), d.client_mib_s);
            put(format!("download_{n}mib_curl_mib_s"), d.curl_mib_s);
            put(format!("download_{n}mib_ratio_vs_curl"), d.ratio());
            put(
                format!("download_{n}mib_client_inner_mib_s"),
                d.client_inner_mib_s,
            );
            put(format!("download_{n}mib_client_rss_mib"), d.client_rss_mib);
            put(format!("download_{n}mib_curl_rss_mib"), d.curl_rss_mib);
        }
        let mut text = serde_json::to_string_pretty(&Value::Object(s)).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Four significant decimals are plenty, and keep the file readable.
fn round(v: f64) -> f64 {
    if v.is_finite() {
        (v * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}
