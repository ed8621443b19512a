// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.NamespaceManagement.Supervisors.SupportBundles_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create, Vcenter.Namespaces.NamespaceSelfService_activateWithTemplate, Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! A fake vCenter on 127.0.0.1, to try the other examples without a real one: it logs in
//! one user, answers the operations, plays a task that progresses to its result, and
//! serves support bundles. Built from the crate's own typed mocks (`vsphere_api::mock`).
//!
//! `cargo run --example fake_vcenter`, then in another shell the `export` line it prints
//! and any example, e.g. `cargo run --example support_bundle -- --cluster domain-c8`.

// The per-cluster support bundle is deprecated in 9.1; older vCenters have only it.
#![allow(deprecated)]

use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use vsphere_api::ids::TaskId;
use vsphere_api::mock::{tar, MockServer, MockVsphere};
use vsphere_api::vcenter::namespace_management::supervisors::support_bundles;
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::ErrorType;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

/// Serves a fake vCenter on 127.0.0.1 for the other examples (Ctrl-C stops it).
#[derive(Parser)]
struct Args {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8089)]
    port: u16,
    /// Stop after this many seconds (for scripts); without it, serve until Ctrl-C.
    #[arg(long)]
    stop_after: Option<u64>,
}

const USER: &str = "administrator@vsphere.local";
const PASSWORD: &str = "VMware1!";
/// `USER:PASSWORD` in base64, as HTTP basic authentication sends it.
const BASIC: &str = "Basic YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZNd2FyZTEh";
/// The task `depot_from_host` starts.
const DEPOT_TASK: &str = "52a8bd2c-6b0c-4e6e-a2b0-000000000103:com.vmware.esx.settings.depots";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listener = match TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let server = MockServer::builder().listener(listener).start().await;
    serve(&server).await;
    let url = server.uri();
    let instructions = format!(
        "fake vCenter at {url} (user {USER}, password {PASSWORD}); Ctrl-C stops it.\n\
         In another shell:\n  \
         export VSPHERE_URL={url} VSPHERE_USER={USER} VSPHERE_PASSWORD='{PASSWORD}'\n  \
         cargo run -p vsphere-api --example support_bundle -- --cluster domain-c8\n"
    );
    // Whoever started the fake may stop reading its output; it serves on regardless.
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(instructions.as_bytes());
    let _ = stdout.flush();
    match args.stop_after {
        Some(seconds) => tokio::time::sleep(Duration::from_secs(seconds)).await,
        None => std::future::pending().await,
    }
    ExitCode::SUCCESS
}

/// Everything the examples call.
async fn serve(server: &MockServer) {
    // Login: the right credentials get a session; anything else is refused, as vCenter does.
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(201).set_body_json("fake-session-id"))
        .with_priority(1)
        .mount(server)
        .await;
    server
        .mock_cis_session_create()
        .fails_with_message(ErrorType::Unauthenticated, "Authentication required.")
        .await;
    server.mock_cis_session_delete().returns(()).await;

    // depot_from_host: a task that runs for three polls, then gives its result.
    server
        .mock_esx_settings_depots_offline_create_from_host()
        .returns(TaskId::from(DEPOT_TASK))
        .await;
    let result = serde_json::from_value::<
        vsphere_api::esx::settings::depots::offline::DepotExtractInfo,
    >(serde_json::json!({
        "notifications": {"info": [], "warnings": [], "errors": []},
        "software_spec": {
            "base_image": {"version": "9.0.0-0.0.24755229"},
            "components": {"bnxtnet": "230.0.4.0-1OEM"}
        },
        "result": {"depot": "depot-7"}
    }));
    if let Ok(result) = result {
        server
            .mock_task(&TaskId::from(DEPOT_TASK))
            .running(1, 20)
            .running(1, 60)
            .running(1, 90)
            .succeeds(result)
            .await;
    }

    // upgrade_supervisor, activate_self_service, grant_access.
    server
        .mock_vcenter_namespace_management_software_supervisors_upgrades_jobs_create()
        .returns(TaskId::from("task-upgrade-1"))
        .await;
    server
        .mock_vcenter_namespaces_namespace_self_service_activate_with_template()
        .returns(())
        .await;
    server
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .returns(())
        .await;

    // support_bundle: a cluster's (before 9.1) and a Supervisor's (9.1).
    let bundle = tar(&[
        ("wcp/etcd.log", 300_000),
        ("wcp/kube-apiserver.log", 120_000),
    ]);
    let url = server
        .mock_support_bundle_download("fake-token-cluster")
        .file_name("wcp-support-bundle-domain-c8.tar")
        .serves(bundle.clone())
        .await;
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .returns(Location::new(
            url,
            Token::new("fake-token-cluster".into(), "in 5 minutes".into()),
        ))
        .await;
    let url = server
        .mock_support_bundle_download("fake-token-supervisor")
        .file_name("wcp-support-bundle-supervisor-1.tar")
        .serves(bundle)
        .await;
    if let Ok(expiry) = "2099-01-01T00:00:00Z".parse() {
        server
            .mock_vcenter_namespace_management_supervisors_support_bundles_create()
            .returns(support_bundles::CreateResult::new(
                url,
                support_bundles::Token::new("fake-token-supervisor".into(), expiry),
            ))
            .await;
    }
}
