// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create
//! A user's test of a whole job, written with the typed mocks only (no paths, no wire
//! shapes, no raw wiremock): log in, start a task, see it RUNNING twice and then
//! SUCCEEDED with its typed result, download a support bundle, log out. Then the same
//! mocks play the failures a program must handle: a task that fails, a bundle cut short,
//! an answer for one id only, and an operation that succeeds on its second try.

// The per-cluster support bundle is deprecated in 9.1; it is the one every vCenter has.
#![allow(deprecated)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::{ConnectionSpec, DepotExtractInfo};
use vsphere_api::ids::{ClusterComputeResourceId, HostSystemId, TaskId};
use vsphere_api::mock::{tar, MockServer, MockVsphere};
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::{
    Client, DownloadError, ErrorType, OperationError, TaskError, TaskStatus, TokenForm, WaitOptions,
};

fn depot_extract_info() -> DepotExtractInfo {
    serde_json::from_value(serde_json::json!({
        "notifications": {"info": [], "warnings": [], "errors": []},
        "software_spec": {"base_image": {"version": "9.0.0-0.0.24755229"}},
        "result": {"depot": "depot-7"},
    }))
    .expect("a depot extract info")
}

fn quick() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        ..WaitOptions::default()
    }
}

fn from_host() -> ConnectionSpec {
    ConnectionSpec {
        host: Some(HostSystemId::from("host-12")),
        ..ConnectionSpec::new(AuthenticationType::Existing)
    }
}

#[tokio::test]
async fn login_task_bundle_logout_with_typed_mocks_only() {
    let server = MockServer::start().await;
    server
        .mock_cis_session_create()
        .expect(1)
        .returns("sid-1".into())
        .await;
    server.mock_cis_session_delete().expect(1).returns(()).await;
    server
        .mock_esx_settings_depots_offline_create_from_host()
        .returns(TaskId::from("task-42:com.vmware.esx"))
        .await;
    server
        .mock_task(&TaskId::from("task-42:com.vmware.esx"))
        .running(2, 40)
        .succeeds(depot_extract_info())
        .await;
    let url = server
        .mock_support_bundle_download("tok-1")
        .serves(tar(&[("wcp/etcd.log", 3000), ("wcp/kubelet.log", 700)]))
        .await;
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .returns(Location::new(
            url,
            Token::new("tok-1".into(), "soon".into()),
        ))
        .await;

    let client = Client::builder(server.uri()).build().expect("client");
    client
        .login("administrator@vsphere.local", "pw")
        .await
        .expect("login");

    let task = client
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&from_host())
        .await
        .expect("the task starts");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let polls = Arc::clone(&seen);
    let result = task
        .wait_with(&quick(), move |p| {
            polls
                .lock()
                .expect("lock")
                .push((p.status.clone(), p.completed))
        })
        .await
        .expect("the task's result");
    assert_eq!(result, depot_extract_info());
    assert_eq!(
        *seen.lock().expect("lock"),
        [
            (TaskStatus::Running, Some(40)),
            (TaskStatus::Running, Some(40)),
            (TaskStatus::Succeeded, None),
        ]
    );

    let location = client
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&ClusterComputeResourceId::from("domain-c8"))
        .await
        .expect("a location");
    let mut saved = Vec::new();
    let done = client
        .download_support_bundle(location, TokenForm::PostBody, &mut saved, |_| {})
        .await
        .expect("the bundle");
    assert_eq!(done.entries, 2);
    assert_eq!(
        saved,
        tar(&[("wcp/etcd.log", 3000), ("wcp/kubelet.log", 700)])
    );

    client.logout().await.expect("logout");
}

#[tokio::test]
async fn a_failing_task_and_a_cut_bundle_reach_the_program_as_typed_errors() {
    let server = MockServer::start().await;
    server
        .mock_task(&TaskId::from("task-7"))
        .running(1, 10)
        .fails_with(ErrorType::NotFound, "no host host-12")
        .await;
    let url = server
        .mock_support_bundle_download("tok-2")
        .serves(tar(&[("wcp/etcd.log", 3000)])[..1500].to_vec())
        .await;

    let client = Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client");
    let err = client
        .task::<DepotExtractInfo>(TaskId::from("task-7"))
        .wait_with(&quick(), |_| {})
        .await
        .expect_err("the task fails");
    let TaskError::Failed {
        error: Some(error), ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(error.error_type, Some(ErrorType::NotFound));
    assert_eq!(error.messages[0].default_message, "no host host-12");

    let location = Location::new(url, Token::new("tok-2".into(), "soon".into()));
    let err = client
        .download_support_bundle(location, TokenForm::PostBody, &mut Vec::new(), |_| {})
        .await
        .expect_err("cut short");
    assert!(matches!(err, DownloadError::Incomplete(_)), "{err:?}");
}

#[tokio::test]
async fn a_mock_for_one_id_and_answers_in_turn() {
    let server = MockServer::start().await;
    // Only task-1 is known; the first read of it is refused as busy, later ones succeed.
    let info: vsphere_api::cis::task::Info = serde_json::from_value(serde_json::json!({
        "description": {"id": "t", "default_message": "t", "args": []},
        "service": "s", "operation": "o", "status": "RUNNING", "cancelable": true,
    }))
    .expect("info");
    server
        .mock_cis_tasks_get()
        .at(["task-1:com.vmware"])
        .expect(3)
        .fails_with(ErrorType::ServiceUnavailable)
        .then_returns(info.clone())
        .await;

    let client = Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client");
    let tasks = client.cis().tasks();
    let first = tasks
        .get(&TaskId::from("task-1:com.vmware"))
        .await
        .expect_err("busy first");
    assert_eq!(
        first.api().and_then(|e| e.error_type()),
        Some(&ErrorType::ServiceUnavailable)
    );
    for _ in 0..2 {
        assert_eq!(
            tasks
                .get(&TaskId::from("task-1:com.vmware"))
                .await
                .expect("then the info"),
            info
        );
    }
    // Another id finds no mock: wiremock answers 404 with an empty body.
    let other = tasks
        .get(&TaskId::from("task-2"))
        .await
        .expect_err("not mocked");
    assert_eq!(other.api().map(|e| e.status()), Some(404));
}
