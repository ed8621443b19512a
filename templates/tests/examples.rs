// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.NamespaceManagement.Supervisors.SupportBundles_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create, Vcenter.Namespaces.NamespaceSelfService_activateWithTemplate, Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! The examples, run as a user runs them, against a local server that speaks vCenter's
//! wire format (through the crate's own typed mocks).
//!
//! `cargo test` builds the examples before the tests; they are found beside this test's
//! own binary, in `target/<profile>/examples/`.
//!
//! "Try it without a vCenter", as the README says it: the commands of its shell blocks,
//! run from the README's own text. The fake vCenter is started as the README starts it
//! (on any free port instead of 8089, so tests never collide), the `export` line it prints
//! is checked against the README's, and every example command must succeed against it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use vsphere_api::ids::TaskId;
use vsphere_api::mock::MockVsphere;
use vsphere_api::vcenter::namespace_management::supervisors::support_bundles;
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::ErrorType;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const README: &str = include_str!("../README.md");

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo test`, which builds the examples",
        path.display()
    );
    path
}

/// Runs an example against `server` with the connection in the environment.
fn run(name: &str, server: &MockServer, args: &[&str]) -> Output {
    Command::new(example(name))
        .args(args)
        .env("VSPHERE_URL", server.uri())
        .env("VSPHERE_USER", "administrator@vsphere.local")
        .env("VSPHERE_PASSWORD", "VMware1!")
        .output()
        .expect("runs")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn vcenter() -> MockServer {
    let server = MockServer::start().await;
    server
        .mock_cis_session_create()
        .returns("sid-example".into())
        .await;
    server.mock_cis_session_delete().returns(()).await;
    server
}

fn tar() -> Vec<u8> {
    vsphere_api::mock::tar(&[("etcd.log", 5)])
}

#[tokio::test]
async fn support_bundle_saves_under_the_server_name() {
    let server = vcenter().await;
    let location = Location::new(
        format!("{}/wcp/support-bundle", server.uri()),
        Token::new("tok".into(), "soon".into()),
    );
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .returns(location)
        .await;
    Mock::given(method("POST"))
        .and(path("/wcp/support-bundle"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "content-disposition",
                    "attachment; filename=wcp-support-bundle-domain-c8.tar",
                )
                .set_body_bytes(tar()),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let output = run(
        "support_bundle",
        &server,
        &["--cluster", "domain-c8", "--dir", &dir_arg],
    );
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("wcp-support-bundle-domain-c8.tar: 2048 bytes, 1 files"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("wcp-support-bundle-domain-c8.tar")).expect("saved"),
        tar()
    );
}

#[tokio::test]
async fn support_bundle_of_a_supervisor_uses_the_9_1_operation() {
    let server = vcenter().await;
    let location = support_bundles::CreateResult::new(
        format!("{}/wcp/supervisor-support-bundle", server.uri()),
        support_bundles::Token::new(
            "tok-sv".into(),
            "2026-11-22T23:05:00Z".parse().expect("date-time"),
        ),
    );
    server
        .mock_vcenter_namespace_management_supervisors_support_bundles_create()
        .expect(1)
        .returns(location)
        .await;
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .expect(0)
        .returns(Location::new(
            "unused".into(),
            Token::new("unused".into(), "unused".into()),
        ))
        .await;
    Mock::given(method("POST"))
        .and(path("/wcp/supervisor-support-bundle"))
        .and(body_json(
            serde_json::json!({"wcp-support-bundle-token": "tok-sv"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header(
                    "content-disposition",
                    "attachment; filename=wcp-support-bundle-supervisor-1.tar",
                )
                .set_body_bytes(tar()),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let output = run(
        "support_bundle",
        &server,
        &["--supervisor", "supervisor-1", "--dir", &dir_arg],
    );
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("wcp-support-bundle-supervisor-1.tar: 2048 bytes, 1 files"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("wcp-support-bundle-supervisor-1.tar")).expect("saved"),
        tar()
    );

    let output = run("support_bundle", &server, &["--dir", &dir_arg]);
    let (_, stderr) = text(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("--supervisor"), "{stderr}");
}

#[tokio::test]
async fn depot_from_host_waits_and_summarizes() {
    let server = vcenter().await;
    server
        .mock_esx_settings_depots_offline_create_from_host()
        .returns(TaskId::from("obj-103"))
        .await;
    let info = serde_json::json!({
        "description": {"id": "t", "default_message": "Extracting", "args": []},
        "service": "com.vmware.esx.settings.depots.offline", "operation": "create_from_host$task",
        "status": "SUCCEEDED", "cancelable": false,
        "progress": {"total": 10, "completed": 10, "message": {"id": "t", "default_message": "Done", "args": []}},
        "result": {
            "notifications": {"warnings": [{"id": "w", "time": "2026-11-22T22:00:00Z", "message": {"id": "w", "default_message": "w", "args": []}}]},
            "software_spec": {"base_image": {"version": "9.0.0-0.0.24755229"}, "components": {"bnxtnet": "230.0"}},
            "result": {"depot": "depot-7"}
        }
    });
    server
        .mock_cis_tasks_get()
        .returns(serde_json::from_value(info).expect("task info"))
        .await;
    let output = run("depot_from_host", &server, &["--host-id", "host-21"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("depot depot-7"), "{stdout}");
    assert!(stdout.contains("base image 9.0.0-0.0.24755229"), "{stdout}");
    assert!(stdout.contains("1 components, 0 solutions"), "{stdout}");
    assert!(stdout.contains("0 info, 1 warnings, 0 errors"), "{stdout}");
}

#[tokio::test]
async fn upgrade_supervisor_prints_the_task() {
    let server = vcenter().await;
    server
        .mock_vcenter_namespace_management_software_supervisors_upgrades_jobs_create()
        .returns(TaskId::from("task-77"))
        .await;
    let output = run(
        "upgrade_supervisor",
        &server,
        &["--supervisor", "supervisor-1", "--version", "v1.30.1"],
    );
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim(), "upgrade started: task task-77");
}

#[tokio::test]
async fn activate_self_service_prints_the_typed_error_readably() {
    let server = vcenter().await;
    server
        .mock_vcenter_namespaces_namespace_self_service_activate_with_template()
        .fails_with_message(
            ErrorType::AlreadyExists,
            "Namespace Self Service is already activated on domain-c8.",
        )
        .await;
    let args = [
        "--cluster",
        "domain-c8",
        "--template",
        "dev",
        "--subject",
        "devs",
        "--group",
        "--storage-policy",
        "p-1",
    ];
    let output = run("activate_self_service", &server, &args);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stderr.trim(),
        "error: Namespace Self Service is already activated on domain-c8. (ALREADY_EXISTS, HTTP 400)"
    );
}

#[tokio::test]
async fn grant_access_succeeds_then_reports_a_refusal() {
    let server = vcenter().await;
    server
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .returns(())
        .await;
    let args = [
        "--namespace",
        "team-a",
        "--name",
        "argocd-vms",
        "--service",
        "argocd",
        "--workloads",
        "vm",
    ];
    let output = run("grant_access", &server, &args);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.trim(),
        "granted argocd-vms access to argocd in team-a"
    );

    let output = run(
        "grant_access",
        &server,
        &[
            "--namespace",
            "team-a",
            "--name",
            "Bad_Name",
            "--service",
            "argocd",
        ],
    );
    let (_, stderr) = text(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("`spec.access_grant` must match"),
        "{stderr}"
    );

    let refused = vcenter().await;
    refused
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .fails_with(ErrorType::Unauthorized)
        .await;
    let output = run(
        "grant_access",
        &refused,
        &[
            "--namespace",
            "team-a",
            "--name",
            "g",
            "--service",
            "argocd",
        ],
    );
    let (_, stderr) = text(&output);
    assert!(stderr.contains("(UNAUTHORIZED, HTTP 403)"), "{stderr}");
}

/// The lines of the README's shell blocks in its "Try it without a vCenter" section.
fn try_it_lines() -> Vec<&'static str> {
    let section = README
        .split("\n## ")
        .find(|s| s.starts_with("Try it without a vCenter"))
        .expect("the README has a \"Try it without a vCenter\" section");
    let mut lines = Vec::new();
    let mut in_shell = false;
    for line in section.lines() {
        match line.trim() {
            "```sh" => in_shell = true,
            "```" => in_shell = false,
            text if in_shell && !text.is_empty() => lines.push(text),
            _ => {}
        }
    }
    lines
}

/// `cargo run -p vsphere-api --example NAME -- ARGS` -> (NAME, ARGS).
fn example_command(line: &str) -> Option<(&str, Vec<&str>)> {
    let rest = line.strip_prefix("cargo run -p vsphere-api --example ")?;
    let mut words = rest.split_whitespace();
    let name = words.next()?;
    let args = words.skip_while(|w| *w == "--").collect();
    Some((name, args))
}

/// `export A=x B='y'` -> [(A, x), (B, y)].
fn exports(line: &str) -> Vec<(String, String)> {
    line.trim_start_matches("export ")
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect()
}

/// Kills the fake when the test ends, passed or not.
struct Fake(Child);

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_readme_commands_run_every_example_against_the_fake_vcenter() {
    let lines = try_it_lines();
    let (fake, fake_args) = example_command(lines[0]).expect("the first command starts the fake");
    assert_eq!(fake, "fake_vcenter");
    assert!(fake_args.is_empty(), "{fake_args:?}");
    let readme_env = exports(
        lines
            .iter()
            .find(|l| l.starts_with("export "))
            .expect("an export line"),
    );

    let mut child = Command::new(example(fake))
        .args(["--port", "0", "--stop-after", "300"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the fake starts");
    let stdout = child.stdout.take().expect("stdout");
    let _fake = Fake(child);
    let mut lines_out = BufReader::new(stdout).lines().map_while(Result::ok);
    let printed = lines_out
        .find(|l| l.trim_start().starts_with("export "))
        .expect("the fake prints an export line");
    // Read the rest of what it prints, as a terminal would.
    std::thread::spawn(move || lines_out.for_each(drop));
    let env = exports(printed.trim());
    let url = &env.iter().find(|(k, _)| k == "VSPHERE_URL").expect("url").1;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    // What the fake prints is what the README shows, but for the port.
    let without_url = |env: &[(String, String)]| -> Vec<(String, String)> {
        env.iter()
            .filter(|(k, _)| k != "VSPHERE_URL")
            .cloned()
            .collect()
    };
    assert_eq!(without_url(&env), without_url(&readme_env));

    let commands: Vec<_> = lines
        .iter()
        .skip(1)
        .filter_map(|l| example_command(l))
        .collect();
    assert!(commands.len() >= 6, "{commands:?}");
    let dir = tempfile::tempdir().expect("dir");
    for (name, args) in &commands {
        let output = Command::new(example(name))
            .args(args)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .current_dir(dir.path())
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "`{name} {}` failed:\n{stdout}\n{stderr}",
            args.join(" ")
        );
    }
    // The two bundles were saved under the server's names.
    for file in [
        "wcp-support-bundle-domain-c8.tar",
        "wcp-support-bundle-supervisor-1.tar",
    ] {
        assert!(dir.path().join(file).exists(), "{file} was not saved");
    }

    // A wrong password is refused as vCenter refuses it.
    let (name, args) = &commands[0];
    let output = Command::new(example(name))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("VSPHERE_PASSWORD", "wrong")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("UNAUTHENTICATED"), "{stderr}");
}
