//! Task handles against a local server, through hand-written task services: polling with
//! progress to a typed result, failure, deadline, cancel, statuses a newer server may add,
//! and another API's task service whose info writes `error` as a free-form object.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use vapi_runtime::codegen::{Call, Method, Services};
use vapi_runtime::{
    CallError, Client, ErrorType, Progress, StdError, TaskError, TaskStatus, WaitOptions,
};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

const TASK_PATH: &str = "/api/cis/tasks/obj-103";

/// The typed result of a depot extraction, as far as this test reads it.
#[derive(Debug, Deserialize, PartialEq)]
struct DepotExtractInfo {
    result: DepotResult,
    notifications: Notifications,
}

#[derive(Debug, Deserialize, PartialEq)]
struct DepotResult {
    depot: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Notifications {
    info: Vec<Value>,
}

fn client(server: &MockServer) -> Client {
    common::client_with(server, &common::CIS, "sid")
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
        "notifications": {"info": [{"id": "extract.info", "message": message("Extracted")}]},
        "result": {"depot": "depot-7"}
    })
}

/// Answers the task's info at `task_path` with `answers` in order, the last one for
/// every later poll.
async fn mount_sequence(server: &MockServer, task_path: &str, answers: Vec<Value>) {
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path(task_path))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer));
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
        TASK_PATH,
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
    let task = api.task::<DepotExtractInfo>("obj-103");
    assert_eq!(task.id(), "obj-103");
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
    assert_eq!(
        seen[0],
        Progress {
            status: TaskStatus::Pending,
            completed: None,
            total: None,
            message: None
        }
    );
    assert_eq!((seen[1].completed, seen[1].total), (Some(40), Some(100)));
    assert_eq!(seen[1].message.as_deref(), Some("Reading the host's image"));
    assert_eq!(result.result.depot, "depot-7");
    assert_eq!(result.notifications.info.len(), 1);

    assert_eq!(
        common::requests(&server).await,
        [
            format!("GET {TASK_PATH} sid"),
            format!("GET {TASK_PATH} sid"),
            format!("GET {TASK_PATH} sid")
        ]
    );
}

#[tokio::test]
async fn info_reads_the_whole_task_info() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        TASK_PATH,
        vec![info(
            "RUNNING",
            json!({"progress": {"total": 3, "completed": 1, "message": message("one of three")}}),
        )],
    )
    .await;
    let info = client(&server)
        .task::<Value>("obj-103")
        .info()
        .await
        .expect("info");
    assert_eq!(info.status, TaskStatus::Running);
    assert_eq!(info.cancelable, Some(true));
    assert_eq!(info.user.as_deref(), Some("VSPHERE.LOCAL\\Administrator"));
    assert_eq!(
        info.service.as_deref(),
        Some("com.vmware.esx.settings.depots.offline")
    );
    assert_eq!(
        info.description.as_ref().map(|d| d.text()),
        Some("Extract the depot from a host")
    );
    assert_eq!(
        info.start_time.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-22T22:00:00+00:00")
    );
    let progress = info.progress.expect("progress");
    assert_eq!((progress.completed, progress.total), (1, 3));
}

#[tokio::test]
async fn a_task_operation_answers_a_handle_then_waits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/esx/settings/depots/offline"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!("obj-103")))
        .mount(&server)
        .await;
    mount_sequence(
        &server,
        TASK_PATH,
        vec![info("SUCCEEDED", json!({"result": depot_extract_info()}))],
    )
    .await;
    let api = client(&server);
    let call = Call::new(
        "Esx.Settings.Depots.Offline_createFromHost$Task",
        Method::POST,
        "/esx/settings/depots/offline",
        "/esx/settings/depots/offline".into(),
    )
    .query("action", "createFromHost")
    .query("vmw-task", "true")
    .json(&json!({"auth_type": "EXISTING", "host": "host-21"}));
    let task = api
        .send::<StdError>(call)
        .await
        .expect("202")
        .task::<DepotExtractInfo, StdError>(&api)
        .expect("a task id");
    assert_eq!(task.id(), "obj-103");
    let info = task.wait_with(&fast(), |_| {}).await.expect("result");
    assert_eq!(info.result.depot, "depot-7");
    assert_eq!(
        common::requests(&server).await,
        [
            "POST /api/esx/settings/depots/offline?action=createFromHost&vmw-task=true sid"
                .to_owned(),
            format!("GET {TASK_PATH} sid")
        ]
    );
}

#[tokio::test]
async fn failed_task_gives_its_error() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        TASK_PATH,
        vec![
            info("RUNNING", json!({})),
            info("FAILED", json!({"error": {
                "error_type": "UNVERIFIED_PEER",
                "messages": [{"id": "com.vmware.esx.ssl", "default_message": "The host's certificate is not trusted.", "args": []}]
            }})),
        ],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>("obj-103");
    let err = task.wait_with(&fast(), |_| {}).await.expect_err("fails");
    let TaskError::Failed { id, error } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(id, "obj-103");
    let error = error.as_ref().expect("the task's std error");
    assert_eq!(error.error_type, Some(ErrorType::UnverifiedPeer));
    assert_eq!(
        err.to_string(),
        "task obj-103 failed: The host's certificate is not trusted."
    );
}

#[tokio::test]
async fn deadline_passes_while_the_task_runs() {
    let server = MockServer::start().await;
    mount_sequence(&server, TASK_PATH, vec![info("RUNNING", json!({}))]).await;
    let task = client(&server).task::<DepotExtractInfo>("obj-103");
    let options = WaitOptions {
        deadline: Some(Duration::from_millis(60)),
        ..fast()
    };
    let err = task
        .wait_with(&options, |_| {})
        .await
        .expect_err("deadline");
    let TaskError::DeadlinePassed { id, last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((id.as_str(), last), ("obj-103", &TaskStatus::Running));
    // No timing is asserted: on a loaded machine one poll may take longer than the deadline.
    assert!(!common::requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_status_never_seen_before_keeps_the_wait_going() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        TASK_PATH,
        vec![
            info("PAUSED_FOR_MAINTENANCE", json!({})),
            info("SUCCEEDED", json!({"result": depot_extract_info()})),
        ],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>("obj-103");
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
        TASK_PATH,
        vec![info("SUCCEEDED", json!({"result": {"depot": 7}}))],
    )
    .await;
    let task = client(&server).task::<DepotExtractInfo>("obj-103");
    let err = task
        .wait_with(&fast(), |_| {})
        .await
        .expect_err("bad result");
    assert!(
        matches!(err, TaskError::Result { ref id, .. } if id == "obj-103"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_poll_that_fails_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(common::std_error("NOT_FOUND", "No such task.")),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .task::<Value>("obj-103")
        .wait_with(&fast(), |_| {})
        .await
        .expect_err("404");
    let TaskError::Poll { id, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(id, "obj-103");
    assert_eq!(
        source.api().and_then(|e| e.error_type()),
        Some(&ErrorType::NotFound)
    );
}

#[tokio::test]
async fn the_task_id_is_one_percent_encoded_path_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "RUNNING"})))
        .mount(&server)
        .await;
    let api = client(&server);
    let info = api.task::<Value>("obj 103/x?y").info().await.expect("info");
    assert_eq!(info.status, TaskStatus::Running);
    let err = api
        .task::<Value>("..")
        .info()
        .await
        .expect_err("dot segment");
    assert!(
        matches!(err, CallError::InvalidRequest(ref r) if r.field == "task"),
        "{err:?}"
    );
    assert_eq!(
        common::requests(&server).await,
        ["GET /api/cis/tasks/obj%20103%2Fx%3Fy sid"]
    );
}

#[tokio::test]
async fn cancel() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TASK_PATH))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let task = client(&server).task::<DepotExtractInfo>("obj-103");
    task.cancel().await.expect("canceled");
    assert_eq!(
        common::requests(&server).await,
        [format!("POST {TASK_PATH}?action=cancel sid")]
    );

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(common::std_error(
            "NOT_ALLOWED_IN_CURRENT_STATE",
            "The task already finished.",
        )))
        .mount(&server)
        .await;
    let err = task.cancel().await.expect_err("too late");
    assert_eq!(
        err.api().and_then(|e| e.error_type()),
        Some(&ErrorType::NotAllowedInCurrentState),
        "{err:?}"
    );
}

#[tokio::test]
async fn another_apis_task_service_with_a_free_form_error() {
    let server = MockServer::start().await;
    let snap_task = "/api/snapservice/tasks/snap-task-1";
    mount_sequence(
        &server,
        snap_task,
        vec![
            json!({"status": "RUNNING", "progress": {"total": 2, "completed": 1}}),
            json!({
                "status": "FAILED",
                "error": {
                    "error_type": "RESOURCE_BUSY",
                    "messages": [{"id": "snap.busy", "default_message": "The protection group is busy."}],
                    "vendor_code": 42
                }
            }),
        ],
    )
    .await;
    let api = common::client_with(&server, &common::SNAPSERVICE, "snap-sid");
    let task = api.task::<Value>("snap-task-1");
    let mut seen = Vec::new();
    let err = task
        .wait_with(&fast(), |p| seen.push((p.status.clone(), p.completed)))
        .await
        .expect_err("fails");
    assert_eq!(
        seen,
        [(TaskStatus::Running, Some(1)), (TaskStatus::Failed, None)]
    );
    let TaskError::Failed { error, .. } = &err else {
        panic!("{err:?}")
    };
    let error = error.as_ref().expect("error");
    assert_eq!(error.error_type, Some(ErrorType::ResourceBusy));
    assert_eq!(
        err.to_string(),
        "task snap-task-1 failed: The protection group is busy."
    );
    assert_eq!(
        common::requests(&server).await,
        [
            format!("GET {snap_task} snap-sid"),
            format!("GET {snap_task} snap-sid")
        ]
    );

    // This service has no cancel: refused, nothing sent.
    let err = task.cancel().await.expect_err("no cancel");
    assert!(
        matches!(err, CallError::InvalidRequest(ref r) if r.field == "cancel"),
        "{err:?}"
    );
    assert_eq!(common::requests(&server).await.len(), 2);
}

#[tokio::test]
async fn without_a_task_service_nothing_is_polled() {
    let server = MockServer::start().await;
    let api = common::client_with(&server, &Services::NONE, "sid");
    let task = api.task::<Value>("obj-103");
    let err = task.wait().await.expect_err("no service");
    assert!(matches!(err, TaskError::NoTaskService), "{err:?}");
    let err = task.info().await.expect_err("no service");
    assert!(
        matches!(err, CallError::InvalidRequest(ref r) if r.field == "task" && r.reason == "this API has no task service"),
        "{err:?}"
    );
    assert!(task.cancel().await.is_err());
    assert!(common::requests(&server).await.is_empty());
}
