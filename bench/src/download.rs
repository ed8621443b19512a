//! The support-bundle download: the generated client in a child process (so its peak RSS is
//! its own) against `curl` fetching the same URL the same way (POST with the JSON token
//! body) to a file, in the same run, alternating which goes first.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use super::server::Server;
use super::stats::median;
use super::tar_stream::archive_len;

const MIB: f64 = 1024.0 * 1024.0;

/// What one size gave.
#[derive(Debug, Clone)]
pub struct SizeFigures {
    pub payload_mib: u64,
    pub archive_bytes: u64,
    pub runs: usize,
    pub client_mib_s: f64,
    pub curl_mib_s: f64,
    /// The client's own download time (no process start), median.
    pub client_inner_mib_s: f64,
    /// Peak RSS (VmHWM) of the client process, the largest of the runs.
    pub client_rss_mib: f64,
    /// Peak RSS of curl (`ru_maxrss`), the largest of the runs.
    pub curl_rss_mib: f64,
}

impl SizeFigures {
    pub fn ratio(&self) -> f64 {
        self.client_mib_s / self.curl_mib_s
    }
}

/// One child's outcome: wall time from spawn to exit, and what it printed.
struct Run {
    secs: f64,
    stdout: String,
}

/// Downloads bundles of each size `runs` times with each tool.
pub fn run(
    server: &Server,
    work: &Path,
    sizes_mib: &[u64],
    runs: usize,
) -> Result<Vec<SizeFigures>, String> {
    std::fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("current exe: {e}"))?;
    let mut token = 0u64;
    let mut next_token = || {
        token += 1;
        format!("bench-token-{}-{token}", std::process::id())
    };
    let mut figures = Vec::new();
    for &mib in sizes_mib {
        let payload = mib * 1024 * 1024;
        let expected = archive_len(payload);
        let url = server.bundle_url(payload);
        let client_file = work.join("client.tar");
        let curl_file = work.join("curl.tar");
        let (mut client_speed, mut curl_speed, mut inner_speed) = (vec![], vec![], vec![]);
        let (mut client_rss, mut curl_rss) = (0u64, 0u64);
        for i in 0..runs {
            for side in [i % 2, 1 - i % 2] {
                if side == 0 {
                    let mut child = Command::new(&exe);
                    child
                        .args(["download-child", "--url", &url, "--token"])
                        .arg(next_token())
                        .arg("--out")
                        .arg(&client_file);
                    let run = spawn(&mut child, "the client child")?;
                    let report = json_line(&run.stdout, "the client child")?;
                    let bytes = report["bytes"].as_u64().unwrap_or(0);
                    check_size(&client_file, expected, bytes)?;
                    let vmhwm = report["vmhwm_kib"]
                        .as_u64()
                        .ok_or("the client child did not tell its VmHWM")?;
                    client_rss = client_rss.max(vmhwm);
                    client_speed.push(expected as f64 / MIB / run.secs);
                    let inner = report["secs"].as_f64().unwrap_or(run.secs);
                    inner_speed.push(expected as f64 / MIB / inner);
                    remove(&client_file);
                } else {
                    // curl runs under `rss-child`, a small process, so that its peak RSS
                    // from wait4 is its own and not this big process's (a child spawned
                    // from here starts out sharing our memory, and the kernel counts that).
                    let body = format!(r#"{{"wcp-support-bundle-token":"{}"}}"#, next_token());
                    let mut curl = Command::new(&exe);
                    // The client's download to a folder ends with `sync_all`; curl's file
                    // is flushed to disk the same way, inside its timing.
                    curl.args(["rss-child", "--fsync"])
                        .arg(&curl_file)
                        .args(["curl", "-s", "-f", "-X", "POST", "-H"])
                        .arg("Content-Type: application/json")
                        .arg("--data-raw")
                        .arg(body)
                        .arg("-o")
                        .arg(&curl_file)
                        .arg(&url);
                    let run = spawn(&mut curl, "curl")?;
                    let report = json_line(&run.stdout, "rss-child curl")?;
                    let bytes = std::fs::metadata(&curl_file).map(|m| m.len()).unwrap_or(0);
                    check_size(&curl_file, expected, bytes)?;
                    curl_rss = curl_rss.max(report["max_rss_kib"].as_u64().unwrap_or(0));
                    let secs = report["secs"].as_f64().unwrap_or(run.secs);
                    curl_speed.push(expected as f64 / MIB / secs);
                    remove(&curl_file);
                }
            }
        }
        figures.push(SizeFigures {
            payload_mib: mib,
            archive_bytes: expected,
            runs,
            client_mib_s: median(&client_speed),
            curl_mib_s: median(&curl_speed),
            client_inner_mib_s: median(&inner_speed),
            client_rss_mib: client_rss as f64 / 1024.0,
            curl_rss_mib: curl_rss as f64 / 1024.0,
        });
    }
    Ok(figures)
}

fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

fn check_size(path: &Path, expected: u64, reported: u64) -> Result<(), String> {
    let on_disk = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if on_disk != expected || reported != expected {
        return Err(format!(
            "{} has {on_disk} bytes ({reported} reported); the archive has {expected}",
            path.display()
        ));
    }
    Ok(())
}

fn json_line(stdout: &str, what: &str) -> Result<serde_json::Value, String> {
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).map_err(|e| format!("{what} printed {stdout:?}: {e}"))
}

/// Runs a child to its end; wall time from spawn to exit.
fn spawn(command: &mut Command, what: &str) -> Result<Run, String> {
    let started = Instant::now();
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {what}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!("{what} failed ({})", output.status));
    }
    Ok(Run {
        secs,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

/// `vapigen-bench rss-child [--fsync FILE] PROGRAM ARGS...`: runs the program (its output to
/// /dev/null) and prints `{"secs", "max_rss_kib", "status"}`: wall time from spawn to exit
/// (and to the end of the fsync of FILE, when asked) and its peak RSS as `wait4` tells it.
/// This process is small, so the RSS is the program's own.
pub fn rss_child(command: &[String], fsync: Option<&Path>) -> ExitCode {
    let Some((program, args)) = command.split_first() else {
        eprintln!("rss-child: no program to run");
        return ExitCode::FAILURE;
    };
    let started = Instant::now();
    let child = match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("rss-child: could not start {program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not waited for yet; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if let (true, true, Some(path)) = (waited == pid, exited_ok, fsync) {
        if let Err(e) = std::fs::File::open(path).and_then(|f| f.sync_all()) {
            eprintln!("rss-child: fsync {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    if waited != pid {
        eprintln!(
            "rss-child: waiting for {program}: {}",
            std::io::Error::last_os_error()
        );
        return ExitCode::FAILURE;
    }
    println!(
        "{}",
        serde_json::json!({
            "secs": secs,
            "max_rss_kib": usage.ru_maxrss,
            "status": status,
        })
    );
    if exited_ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("rss-child: {program} failed (wait status {status})");
        ExitCode::FAILURE
    }
}

/// `vapigen-bench download-child`: downloads one bundle with the generated client into `out`
/// and prints `{"bytes", "entries", "secs", "vmhwm_kib", "file_name"}` as one JSON line.
pub fn child(url: &str, token: &str, out: &Path) -> ExitCode {
    match child_download(url, token, out) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("download-child: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(super) fn child_download(url: &str, token: &str, out: &Path) -> Result<String, String> {
    use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url}: {e}"))?;
    let origin = parsed.origin().ascii_serialization();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let (done, secs) = runtime.block_on(async {
        let client = vsphere_api::Client::builder(origin)
            .build()
            .map_err(|e| e.to_string())?;
        // The location as the support-bundle operation answers it; the download takes it
        // through `From<Location> for BundleLocation`, as users' code does.
        let location = Location::new(
            url.to_owned(),
            Token::new(token.to_owned(), "2099-01-01T00:00:00Z".to_owned()),
        );
        // The path users take: a temporary file in the folder, renamed when complete.
        let dir = out.parent().unwrap_or_else(|| Path::new("."));
        let started = Instant::now();
        let done = client
            .download_support_bundle_to_dir(location, vsphere_api::TokenForm::PostBody, dir, |_| {})
            .await
            .map_err(|e| e.to_string())?;
        let secs = started.elapsed().as_secs_f64();
        if let Some(saved) = &done.path {
            tokio::fs::rename(saved, out)
                .await
                .map_err(|e| format!("{}: {e}", saved.display()))?;
        }
        Ok::<_, String>((done, secs))
    })?;
    drop(runtime);
    Ok(serde_json::json!({
        "bytes": done.bytes,
        "entries": done.entries,
        "secs": secs,
        "vmhwm_kib": vmhwm_kib(),
        "file_name": done.file_name,
    })
    .to_string())
}

/// The peak resident set of this process (`VmHWM` in /proc/self/status), in KiB.
pub fn vmhwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Where the downloads go.
pub fn work_dir(target: &Path) -> PathBuf {
    target.join("download")
}

/// Makes sure `curl` is there: installs it with apt-get (as root) when it is missing.
pub fn ensure_curl() -> Result<String, String> {
    let version = || {
        Command::new("curl")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .map(str::to_owned)
            })
    };
    if let Some(v) = version() {
        return Ok(v);
    }
    eprintln!("bench: curl is missing (the download reference); running `apt-get install -y curl`");
    let install = |update: bool| {
        if update {
            let _ = Command::new("apt-get")
                .args(["update", "-q"])
                .stdout(Stdio::null())
                .status();
        }
        Command::new("apt-get")
            .args(["install", "-y", "-q", "curl"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install(false) {
        let _ = install(true);
    }
    version().ok_or_else(|| {
        "curl is needed as the download reference and could not be installed; \
         run `apt-get install -y curl` (as root) and try again"
            .to_owned()
    })
}
