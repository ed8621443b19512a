// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create, Vcenter.Namespaces.NamespaceSelfService_activateWithTemplate, Vcenter.Namespaces.ManagementServices.AccessGrants_create, Cis.Session_get, Cis.Tasks_cancel
//! The typed mocks, used the way a user's test would: no paths, no wire shapes.

#![allow(deprecated)]

use vsphere_api::cis::session::Info as SessionInfo;
use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::ConnectionSpec;
use vsphere_api::ids::{ClusterComputeResourceId, NamespaceId, SupervisorId, TaskId};
use vsphere_api::mock::MockVsphere;
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::vcenter::namespaces::management_services::access_grants::{
    workload_selector_create_spec::WorkloadType, CreateSpec, WorkloadSelectorCreateSpec,
};
use vsphere_api::{CallError, Client, ErrorType, OperationError};
use wiremock::MockServer;

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_five_operations() {
    let server = MockServer::start().await;
    let location = Location::new(
        "https://vc/wcp/support-bundle".into(),
        Token::new("tok".into(), "soon".into()),
    );
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .expect(1)
        .returns(location.clone())
        .await;
    server
        .mock_vcenter_namespaces_namespace_self_service_activate_with_template()
        .returns(())
        .await;
    server
        .mock_vcenter_namespace_management_software_supervisors_upgrades_jobs_create()
        .returns(TaskId::from("task-1"))
        .await;
    server
        .mock_esx_settings_depots_offline_create_from_host()
        .returns(TaskId::from("obj-103"))
        .await;
    server
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .returns(())
        .await;

    let api = client(&server);
    let cluster = ClusterComputeResourceId::from("domain-c8");
    assert_eq!(
        api.vcenter()
            .namespace_management()
            .support_bundle()
            .create(&cluster)
            .await
            .expect("location"),
        location
    );
    let spec = vsphere_api::vcenter::namespaces::namespace_self_service::ActivateTemplateSpec::new(
        "t".into(),
        Vec::new(),
        serde_json::Map::new(),
        Vec::new(),
    );
    api.vcenter()
        .namespaces()
        .namespace_self_service()
        .activate_with_template(&cluster, &spec)
        .await
        .expect("204");
    let upgrade = vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::CreateSpec::new("v2".into());
    let task = api
        .vcenter()
        .namespace_management()
        .software()
        .supervisors()
        .upgrades()
        .jobs()
        .create(&SupervisorId::from("s-1"), &upgrade)
        .await
        .expect("task id");
    assert_eq!(task.as_str(), "task-1");
    let mut connection = ConnectionSpec::new(AuthenticationType::Existing);
    connection.host = Some("host-1".into());
    let handle = api
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&connection)
        .await
        .expect("task");
    assert_eq!(handle.id(), "obj-103");
    let grant = CreateSpec::new(
        "g".into(),
        "svc".into(),
        WorkloadSelectorCreateSpec::new(WorkloadType::Any),
    );
    api.vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&NamespaceId::from("ns"), &grant)
        .await
        .expect("201");
}

#[tokio::test]
async fn failures_use_the_documented_status() {
    let server = MockServer::start().await;
    server
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .fails_with(ErrorType::AlreadyExists)
        .await;
    let grant = CreateSpec::new(
        "g".into(),
        "svc".into(),
        WorkloadSelectorCreateSpec::new(WorkloadType::Any),
    );
    let err = client(&server)
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&NamespaceId::from("ns"), &grant)
        .await
        .expect_err("mocked failure");
    let CallError::Api(e) = err else {
        panic!("typed")
    };
    assert!(e.is_already_exists());
    assert_eq!(e.status(), 400);

    server.reset().await;
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .fails_with_message(ErrorType::NotFound, "no cluster domain-c8")
        .await;
    let err = client(&server)
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&ClusterComputeResourceId::from("domain-c8"))
        .await
        .expect_err("404");
    // What was refused, then (the source) the server's kind, status and message.
    assert_eq!(
        err.to_string(),
        "the server refused `create` (POST /vcenter/namespace-management/clusters/{cluster}/support-bundle)"
    );
    assert_eq!(
        std::error::Error::source(&err).map(|s| s.to_string()),
        Some("NOT_FOUND (HTTP 404): no cluster domain-c8".to_owned())
    );
}

#[tokio::test]
async fn session_and_tasks() {
    let server = MockServer::start().await;
    server
        .mock_cis_session_create()
        .returns("sid-mocked".into())
        .await;
    server
        .mock_cis_session_get()
        .returns(serde_json::from_value::<SessionInfo>(serde_json::json!({
            "user": "admin", "created_time": "2026-11-22T22:00:00Z", "last_accessed_time": "2026-11-22T22:00:00Z"
        })).expect("info"))
        .await;
    server.mock_cis_session_delete().returns(()).await;
    let task_info = serde_json::from_value::<vsphere_api::cis::task::Info>(serde_json::json!({
        "description": {"id": "t", "default_message": "t", "args": []},
        "service": "s", "operation": "o", "status": "SUCCEEDED", "cancelable": false,
        "result": {"depot": "ignored"}
    }))
    .expect("info");
    server.mock_cis_tasks_get().returns(task_info).await;
    server
        .mock_cis_tasks_cancel()
        .fails_with(ErrorType::NotAllowedInCurrentState)
        .await;

    let api = Client::builder(server.uri()).build().expect("client");
    api.login("admin", "pw").await.expect("login");
    assert_eq!(api.cis().session().get().await.expect("info").user, "admin");
    let task = api.task::<serde_json::Value>(TaskId::from("t-1"));
    assert_eq!(
        task.wait().await.expect("result"),
        serde_json::json!({"depot": "ignored"})
    );
    // The handle cancels through the runtime: the standard error, of the mocked kind.
    assert!(task
        .cancel()
        .await
        .expect_err("too late")
        .api()
        .is_some_and(|e| e.error_type() == Some(&ErrorType::NotAllowedInCurrentState)));
    api.logout().await.expect("logout");
}
