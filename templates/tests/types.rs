// vapigen: requires Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create
//! The wire behaviour of the generated types: what a vCenter sends and expects.

use serde_json::json;
use vsphere_api::cis::task::{Info, Status};
use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::{ConnectionSpec, HostCredentials};
use vsphere_api::ids::{ClusterComputeResourceId, HostSystemId, TaskId};
use vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::CreateSpec;
use vsphere_api::vcenter::namespace_management::support_bundle::Location;

#[test]
fn unset_optionals_are_omitted_and_false_is_sent() {
    let spec = CreateSpec::new("v1.30".into());
    assert_eq!(
        serde_json::to_value(&spec).expect("json"),
        json!({"desired_version": "v1.30"})
    );
    let spec = CreateSpec {
        ignore_precheck_warnings: Some(false),
        ..spec
    };
    assert_eq!(
        serde_json::to_value(&spec).expect("json"),
        json!({"desired_version": "v1.30", "ignore_precheck_warnings": false})
    );
}

#[test]
fn unknown_enum_values_round_trip() {
    let status: Status = serde_json::from_value(json!("PAUSED")).expect("decodes");
    assert_eq!(status, Status::Unknown("PAUSED".into()));
    assert_eq!(
        serde_json::to_value(&status).expect("json"),
        json!("PAUSED")
    );
    let known: Status = serde_json::from_value(json!("RUNNING")).expect("decodes");
    assert_eq!(known, Status::Running);
    assert_eq!(known.to_string(), "RUNNING");
}

#[test]
fn unknown_fields_are_tolerated_and_required_ones_enforced() {
    let info = json!({
        "description": {"id": "t", "default_message": "Extracting", "args": []},
        "service": "com.vmware.esx.settings.depots.offline",
        "operation": "create_from_host$task",
        "status": "RUNNING",
        "cancelable": true,
        "a_field_from_vsphere_10": {"x": 1}
    });
    let info: Info = serde_json::from_value(info.clone()).expect("tolerates unknown fields");
    assert_eq!(info.status, Status::Running);
    assert!(info.progress.is_none());
    let missing =
        json!({"service": "s", "operation": "o", "status": "RUNNING", "cancelable": true});
    let err = serde_json::from_value::<Info>(missing).expect_err("description is required");
    assert!(err.to_string().contains("description"), "{err}");
}

#[test]
fn ids_are_transparent_strings() {
    let id = ClusterComputeResourceId::from("domain-c8");
    assert_eq!(serde_json::to_value(&id).expect("json"), json!("domain-c8"));
    assert_eq!(id.as_str(), "domain-c8");
    assert_eq!(id.to_string(), "domain-c8");
    assert_eq!(
        ClusterComputeResourceId::RESOURCE_TYPE,
        "ClusterComputeResource"
    );
    assert_eq!(TaskId::RESOURCE_TYPE, "com.vmware.cis.task");
    let host: HostSystemId = serde_json::from_value(json!("host-21")).expect("decodes");
    assert_eq!(host, HostSystemId::new("host-21"));
}

#[test]
fn secrets_never_reach_debug_output() {
    let mut credentials = HostCredentials::new(
        "esx-01.example.com".into(),
        "root".into(),
        "s3cr3t-Pa55".into(),
    );
    credentials.port = Some(443);
    let mut spec = ConnectionSpec::new(AuthenticationType::UsernamePassword);
    spec.host_credential = Some(credentials);
    let debug = format!("{spec:?} {spec:#?}");
    assert!(!debug.contains("s3cr3t-Pa55"), "{debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("esx-01.example.com"),
        "{debug}"
    );
    // The secret is still sent: redaction is for logs, not for the wire.
    let wire = serde_json::to_value(&spec).expect("json");
    assert_eq!(wire["host_credential"]["password"], "s3cr3t-Pa55");

    let location: Location = serde_json::from_value(json!({
        "url": "https://vc/wcp/support-bundle",
        "wcp_support_bundle_token": {"token": "one-time-Tok3n", "expiry": "2026-11-22T23:00:00Z"}
    }))
    .expect("decodes");
    let debug = format!("{location:?}");
    assert!(!debug.contains("one-time-Tok3n"), "{debug}");
}
