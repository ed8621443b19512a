// vapigen: requires Cis.Tasks_get, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! `vsphere_api::Error`: one function calls three different operations (each with its own
//! error enum), a task wait and a download, with `?` into one type, and the caller still
//! gets the typed kind, the status and the operation's own error back out of it.

// The per-cluster support bundle is deprecated in 9.1; it is the one every vCenter has.
#![allow(deprecated)]

use vsphere_api::cis::task::Status;
use vsphere_api::ids::{ClusterComputeResourceId, NamespaceId, TaskId};
use vsphere_api::mock::MockVsphere;
use vsphere_api::vcenter::namespaces::management_services::access_grants::{
    workload_selector_create_spec::WorkloadType, CreateError as GrantError, CreateSpec,
    WorkloadSelectorCreateSpec,
};
use vsphere_api::{Client, Error, ErrorType, TokenForm};
use wiremock::MockServer;

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client")
}

/// What a user's program looks like: three operations, one error type.
async fn grant_after_bundle(client: &Client) -> Result<Status, Error> {
    let task = client.cis().tasks().get(&TaskId::from("task-1")).await?;
    client
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&ClusterComputeResourceId::from("domain-c8"))
        .await?;
    let grant = CreateSpec::new(
        "g".into(),
        "svc".into(),
        WorkloadSelectorCreateSpec::new(WorkloadType::Any),
    );
    client
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&NamespaceId::from("ns"), &grant)
        .await?;
    Ok(task.status)
}

#[tokio::test]
async fn three_operations_one_error_type_and_the_kind_comes_back_out() {
    let server = MockServer::start().await;
    let running = serde_json::from_value(serde_json::json!({
        "cancelable": false,
        "description": {"id": "t", "default_message": "t", "args": []},
        "operation": "create",
        "service": "com.vmware.esx.settings.depots.offline",
        "status": "RUNNING",
    }))
    .expect("task info");
    server.mock_cis_tasks_get().returns(running).await;
    server
        .mock_vcenter_namespace_management_support_bundle_create()
        .returns(
            vsphere_api::vcenter::namespace_management::support_bundle::Location::new(
                "https://vc/wcp/support-bundle".into(),
                vsphere_api::vcenter::namespace_management::support_bundle::Token::new(
                    "tok".into(),
                    "soon".into(),
                ),
            ),
        )
        .await;
    server
        .mock_vcenter_namespaces_management_services_access_grants_create()
        .fails_with_message(ErrorType::NotFound, "no namespace ns")
        .await;

    let err = grant_after_bundle(&client(&server))
        .await
        .expect_err("the third call is refused");
    // The kind, status and messages, without knowing which operation failed.
    assert_eq!(err.error_type(), Some(&ErrorType::NotFound));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.messages()[0].default_message, "no namespace ns");
    assert!(!err.is_transient());
    // The operation's own enum, back by its type.
    let grant_error = err
        .refusal()
        .and_then(|r| r.downcast_ref::<GrantError>())
        .expect("the access grant's error");
    assert!(
        matches!(grant_error, GrantError::NotFound(_)),
        "{grant_error:?}"
    );
    // Another operation's enum is not what it holds.
    assert!(err
        .refusal()
        .and_then(|r| r.downcast_ref::<vsphere_api::cis::tasks::GetError>())
        .is_none());
    // The chain says what was refused, then the server's words, each once.
    let chain: Vec<String> =
        std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        chain,
        [
            "the server refused `create` (POST /vcenter/namespaces/{namespace}/management-services/access-grants)",
            "NOT_FOUND (HTTP 404): no namespace ns",
        ]
    );
}

#[tokio::test]
async fn a_transport_failure_and_a_download_failure_convert_too() {
    // Nothing listens on port 9 of the loopback: the call fails before any answer.
    let client = Client::builder("http://127.0.0.1:9")
        .session_id("sid")
        .build()
        .expect("client");
    let err: Error = client
        .cis()
        .tasks()
        .get(&TaskId::from("task-1"))
        .await
        .map_err(Error::from)
        .expect_err("refused");
    assert!(matches!(err, Error::Call(_)), "{err:?}");
    assert!(err.is_transient());
    assert_eq!(err.error_type(), None);

    async fn download(client: &Client) -> Result<u64, Error> {
        let location = vsphere_api::vcenter::namespace_management::support_bundle::Location::new(
            "ftp://127.0.0.1/bundle".into(),
            vsphere_api::vcenter::namespace_management::support_bundle::Token::new(
                "tok".into(),
                "soon".into(),
            ),
        );
        let mut sink = Vec::new();
        let done = client
            .download_support_bundle(location, TokenForm::PostBody, &mut sink, |_| {})
            .await?;
        Ok(done.bytes)
    }
    let err = download(&client).await.expect_err("not an http URL");
    assert!(matches!(err, Error::Download(_)), "{err:?}");
}
