// vapigen: requires Cis.Tasks_get, Cis.Tasks_cancel, Esx.Settings.Depots.Offline_createFromHost$Task
//! Task handles against a local server: polling with progress to a typed result, failure,
//! deadline, cancel, and statuses a newer vCenter may add.

use std::time::Duration;

use serde_json::{json, Value};
use vsphere_api::esx::settings::depots::offline::DepotExtractInfo;
use vsphere_api::ids::TaskId;
use vsphere_api::{Client, ErrorType, Progress, TaskError, TaskStatus, WaitOptions};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client")
}

fn fast() -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
        backoff: 2.0,
        deadline: Some(Duration::from_secs(20)),
        retries: 0,
    }
}

fn message(text: &str) -> Value {
    json!({"id": "com.vmware.esx.settings.depots", "default_message": text, "args": []})
}

fn info(status: &str, extra: Value) -> Value {
    let mut info = json!({
        "description": message("Extract the depot from a host"),
        "service": "com.vmware.esx.settings.depots.offline",
        "operation": "create_from_host$task",
        "status": status,
        "cancelable": true,
        "user": "VSPHERE.LOCAL\\Administrator",
        "start_time": "2026-11-22T22:00:00.000Z"
    });
    if let (Some(info), Some(extra)) = (info.as_object_mut(), extra.as_object()) {
        info.extend(extra.clone());
    }
    info
}

fn depot_extract_info() -> Value {
    json!({
        "notifications": {
            "info": [{
                "id": "com.vmware.vcIntegrity.lifecycle.Extract.Info",
                "time": "2026-11-22T22:01:00.000Z",
                "message": message("Extracted the image of esx-01"),
                "type": "INFO",
                "originator": "vLCM",
                "retriable": false
            }],
            "warnings": [],
            "errors": []
        },
        "software_spec": {
            "base_image": {"version": "9.0.0-0.0.24755229"},
            "add_on": {"name": "DEL-ESXi", "version": "900.A00"},
            "components": {"bnxtnet": "230.0.4.0-1OEM", "vmware-fdm": null},
            "solutions": {"com.vmware.vsan": {"version": "9.0", "components": [{"component": "vsan"}]}},
            "hardware_support": {"packages": {"com.dell.hsm": {"pkg": "DellFw", "version": "1.0"}}},
            "removed_components": ["lsi-msgpt3"],
            "alternative_images": {
                "gpu-hosts": {
                    "base_image": {"version": "9.0.0-0.0.24755229"},
                    "display_name": "GPU hosts",
                    "selection_criteria": {
                        "selection_type": "HOST_HARDWARE_SPEC",
                        "host_hardware_spec": {"vendor": "Dell", "models": ["R760xa"]}
                    }
                }
            }
        },
        "result": {"depot": "depot-7"}
    })
}

async fn mount_sequence(server: &MockServer, answers: Vec<Value>) {
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path("/api/cis/tasks/obj-103"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer));
        // Each answer once, in order; the last one for every later poll.
        let mock = if i < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.with_priority(1 + i as u8).mount(server).await;
    }
}

#[tokio::test]
async fn pending_running_succeeded_gives_the_typed_result() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        vec![
            info("PENDING", json!({})),
            info("RUNNING", json!({"progress": {"total": 100, "completed": 40, "message": message("Reading the host's image")}})),
            info("SUCCEEDED", json!({
                "progress": {"total": 100, "completed": 100, "message": message("Done")},
                "end_time": "2026-11-22T22:02:00.000Z",
                "result": depot_extract_info()
            })),
        ],
    )
    .await;
    let api = client(&server);
    let task = api.task::<DepotExtractInfo>(TaskId::from("obj-103"));
    let mut seen: Vec<Progress> = Vec::new();
    let result = task
        .wait_with(&fast(), |p| seen.push(p.clone()))
        .await
        .expect("succeeds");

    let statuses: Vec<TaskStatus> = seen.iter().map(|p| p.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            TaskStatus::Pending,
            TaskStatus::Running,
            TaskStatus::Succeeded
        ]
    );
    assert_eq!((seen[1].completed, seen[1].total), (Some(40), Some(100)));
    assert_eq!(seen[1].message.as_deref(), Some("Reading the host's image"));

    assert_eq!(result.result.depot.as_str(), "depot-7");
    assert_eq!(
        result.software_spec.base_image.version,
        "9.0.0-0.0.24755229"
    );
    let components = result
        .software_spec
        .components
        .as_ref()
        .expect("components");
    assert_eq!(components.len(), 2);
    assert!(
        components.values().any(Option::is_none),
        "a null version is kept as None"
    );
    let info = &result.notifications.info.as_ref().expect("info")[0];
    assert_eq!(info.time.to_rfc3339(), "2026-11-22T22:01:00+00:00");
    let alternative = &result
        .software_spec
        .alternative_images
        .as_ref()
        .expect("alternatives")
        .values()
        .next()
        .expect("one");
    assert_eq!(alternative.display_name, "GPU hosts");

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| r.headers.get("vmware-api-session-id").is_some()));
}

#[tokio::test]
async fn create_from_host_then_wait() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/esx/settings/depots/offline"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!("obj-103")))
        .mount(&server)
        .await;
    mount_sequence(
        &server,
        vec![info("SUCCEEDED", json!({"result": depot_extract_info()}))],
    )
    .await;
    use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
    use vsphere_api::esx::settings::depots::offline::ConnectionSpec;
    let mut spec = ConnectionSpec::new(AuthenticationType::Existing);
    spec.host = Some("host-21".into());
    let api = client(&server);
    let task = api
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&spec)
        .await
        .expect("202");
    let info: DepotExtractInfo = task.wait_with(&fast(), |_| {}).await.expect("result");
    assert_eq!(info.result.depot.as_str(), "depot-7");
}

#[tokio::test]
async fn failed_task_gives_its_error() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        vec![
            info("RUNNING", json!({})),
            info("FAILED", json!({"error": {
                "error_type": "UNVERIFIED_PEER",
                "messages": [{"id": "com.vmware.esx.ssl", "default_message": "The host's certificate is not trusted.", "args": []}]
            }})),
        ],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>(TaskId::from("obj-103"));
    let err = task.wait_with(&fast(), |_| {}).await.expect_err("fails");
    let TaskError::Failed { id, error } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(id.as_str(), "obj-103");
    let error = error.as_ref().expect("the task's std error");
    assert_eq!(
        error.error_type.as_ref().map(|t| t.as_str()),
        Some("UNVERIFIED_PEER")
    );
    assert_eq!(
        err.to_string(),
        "task obj-103 failed: The host's certificate is not trusted."
    );
}

#[tokio::test]
async fn deadline_passes_while_the_task_runs() {
    let server = MockServer::start().await;
    mount_sequence(&server, vec![info("RUNNING", json!({}))]).await;
    let task = client(&server).task::<DepotExtractInfo>(TaskId::from("obj-103"));
    let options = WaitOptions {
        deadline: Some(Duration::from_millis(60)),
        ..fast()
    };
    let err = task
        .wait_with(&options, |_| {})
        .await
        .expect_err("deadline");
    let TaskError::DeadlinePassed { last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last, &TaskStatus::Running);
    // No timing is asserted: on a loaded machine one poll may take longer than the deadline.
    assert!(!server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn a_status_never_seen_before_keeps_the_wait_going() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        vec![
            info("PAUSED_FOR_MAINTENANCE", json!({})),
            info("SUCCEEDED", json!({"result": depot_extract_info()})),
        ],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>(TaskId::from("obj-103"));
    let mut statuses = Vec::new();
    task.wait_with(&fast(), |p| statuses.push(p.status.clone()))
        .await
        .expect("succeeds");
    assert_eq!(
        statuses,
        [
            TaskStatus::Unknown("PAUSED_FOR_MAINTENANCE".into()),
            TaskStatus::Succeeded
        ]
    );
}

#[tokio::test]
async fn a_result_of_the_wrong_shape_is_a_typed_error() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        vec![info("SUCCEEDED", json!({"result": {"depot": 7}}))],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>(TaskId::from("obj-103"));
    let err = task
        .wait_with(&fast(), |_| {})
        .await
        .expect_err("bad result");
    assert!(matches!(err, TaskError::Result { .. }), "{err:?}");
}

#[tokio::test]
async fn cancel() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/cis/tasks/obj-103"))
        .and(query_param("action", "cancel"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let task = client(&server).task::<DepotExtractInfo>(TaskId::from("obj-103"));
    task.cancel().await.expect("canceled");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests[0].url.query(), Some("action=cancel"));

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error_type": "NOT_ALLOWED_IN_CURRENT_STATE",
            "messages": [{"id": "cis.task.done", "default_message": "The task already finished.", "args": []}]
        })))
        .mount(&server)
        .await;
    // The handle cancels through the runtime: the standard error, of the kind sent.
    let err = task.cancel().await.expect_err("too late");
    assert!(
        err.api()
            .is_some_and(|e| e.status() == 400
                && e.error_type() == Some(&ErrorType::NotAllowedInCurrentState)),
        "{err:?}"
    );
}
