// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create, Vcenter.Namespaces.NamespaceSelfService_activateWithTemplate, Vcenter.Namespaces.ManagementServices.AccessGrants_create, Cis.Session_get
//! Every operation against a local HTTP server speaking vCenter's wire format: the exact
//! request sent, the value decoded, and the typed error of every documented status.

// Two of the five operations are deprecated by VMware and tested all the same.
#![allow(deprecated)]

use std::future::Future;

use serde_json::{json, Value};
use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::{ConnectionSpec, HostCredentials};
use vsphere_api::ids::{
    AccessGrantId, ClusterComputeResourceId, HostSystemId, ManagementServiceId, NamespaceId, NamespaceTemplateId,
    SpsStorageProfileId, SupervisorId, TaskId,
};
use vsphere_api::vcenter::namespace_management::namespace_templates::subject::SubjectType;
use vsphere_api::vcenter::namespace_management::namespace_templates::Subject;
use vsphere_api::vcenter::namespaces::instances::StorageSpec;
use vsphere_api::vcenter::namespaces::management_services::access_grants::workload_selector_create_spec::WorkloadType;
use vsphere_api::vcenter::namespaces::management_services::access_grants::{self, WorkloadSelectorCreateSpec};
use vsphere_api::vcenter::namespaces::namespace_self_service::ActivateTemplateSpec;
use vsphere_api::{Client, CallError, ErrorType, OperationError};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SESSION: &str = "6a2f9b1e-session";
/// An id with a space, a slash and a question mark: it must stay one path segment.
const AWKWARD: &str = "domain c8/x?y";
const AWKWARD_ENCODED: &str = "domain%20c8%2Fx%3Fy";

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id(SESSION)
        .build()
        .expect("client")
}

fn std_error(kind: &str, message: &str) -> Value {
    json!({"error_type": kind, "messages": [{"id": "vapi.test", "default_message": message, "args": []}]})
}

/// The one request the server received, with its exact query string.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

fn assert_common_headers(request: &Request, with_body: bool) {
    assert_eq!(
        request
            .headers
            .get("accept")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("application/json")
    );
    assert_eq!(
        request
            .headers
            .get("vmware-api-session-id")
            .map(|v| v.to_str().unwrap_or_default()),
        Some(SESSION)
    );
    let content_type = request
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default());
    assert_eq!(
        content_type,
        Some("application/json"),
        "every call but GET says its body is JSON"
    );
    if !with_body {
        assert!(
            request.body.is_empty(),
            "no body: {:?}",
            String::from_utf8_lossy(&request.body)
        );
    }
}

/// For each documented (status, kind) of an operation: the server answers it, the call
/// gives the operation's error with that kind, status and message.
async fn documented_errors<T, E, F, Fut>(server: &MockServer, documented: &[(u16, &str)], call: F)
where
    T: std::fmt::Debug,
    E: OperationError + std::fmt::Debug + 'static,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, CallError<E>>>,
{
    assert!(!documented.is_empty());
    for (status, kind) in documented {
        server.reset().await;
        let message = format!("{kind} at {status}");
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(*status).set_body_json(std_error(kind, &message)))
            .mount(server)
            .await;
        let outcome = call(client(server)).await;
        let Err(CallError::Api(e)) = outcome else {
            panic!("{status} {kind}: expected the service's error, got {outcome:?}")
        };
        assert_eq!(e.std_error().status(), *status);
        assert_eq!(
            e.std_error().error_type().map(ErrorType::as_str),
            Some(*kind),
            "{e:?}"
        );
        assert_eq!(e.std_error().message(), Some(message.as_str()));
    }
}

#[tokio::test]
async fn support_bundle_create() {
    let server = MockServer::start().await;
    let location = json!({
        "url": "https://vc.example.com/wcp/support-bundle",
        "wcp_support_bundle_token": {"token": "tok-1", "expiry": "2026-11-22T23:05:00.000Z"}
    });
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/vcenter/namespace-management/clusters/{AWKWARD_ENCODED}/support-bundle"
        )))
        .respond_with(ResponseTemplate::new(201).set_body_json(&location))
        .mount(&server)
        .await;
    let cluster = ClusterComputeResourceId::from(AWKWARD);
    let got = client(&server)
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&cluster)
        .await
        .expect("201");
    assert_eq!(got.url, "https://vc.example.com/wcp/support-bundle");
    assert_eq!(got.wcp_support_bundle_token.token, "tok-1");
    assert_eq!(
        got.wcp_support_bundle_token.expiry,
        "2026-11-22T23:05:00.000Z"
    );
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_common_headers(&request, false);

    use vsphere_api::vcenter::namespace_management::support_bundle::CreateError;
    documented_errors(&server, CreateError::DOCUMENTED, |c| async move {
        let cluster = ClusterComputeResourceId::from("domain-c8");
        c.vcenter()
            .namespace_management()
            .support_bundle()
            .create(&cluster)
            .await
    })
    .await;
}

fn minimal_template_spec() -> ActivateTemplateSpec {
    ActivateTemplateSpec::new(
        NamespaceTemplateId::from("tmpl-1"),
        vec![Subject::new(
            SubjectType::User,
            "devops".into(),
            "vsphere.local".into(),
        )],
        serde_json::Map::new(),
        vec![StorageSpec::new(SpsStorageProfileId::from("policy-1"))],
    )
}

#[tokio::test]
async fn namespace_self_service_activate_with_template() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/vcenter/namespaces/namespace-self-service/{AWKWARD_ENCODED}"
        )))
        .and(query_param("action", "activateWithTemplate"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let cluster = ClusterComputeResourceId::from(AWKWARD);
    let api = client(&server);

    // Required fields only: unset optionals are omitted, never null.
    api.vcenter()
        .namespaces()
        .namespace_self_service()
        .activate_with_template(&cluster, &minimal_template_spec())
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("action=activateWithTemplate"));
    assert_common_headers(&request, true);
    assert_eq!(
        request.body_json::<Value>().expect("json"),
        json!({
            "template": "tmpl-1",
            "permissions": [{"subject_type": "USER", "subject": "devops", "domain": "vsphere.local"}],
            "resource_spec": {},
            "storage_specs": [{"policy": "policy-1"}]
        })
    );

    // Every optional set, explicit zero and false included.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut spec = minimal_template_spec();
    spec.resource_spec.insert("memory_limit".into(), json!(0));
    spec.storage_specs[0].limit = Some(0);
    spec.networks = Some(vec![ClusterComputeResourceId::from("network-1")]);
    let mut library =
        vsphere_api::vcenter::namespaces::instances::ContentLibrarySpec::new("lib-1".into());
    library.writable = Some(false);
    library.allow_import = Some(false);
    spec.content_libraries = Some(vec![library]);
    api.vcenter()
        .namespaces()
        .namespace_self_service()
        .activate_with_template(&cluster, &spec)
        .await
        .expect("204");
    assert_eq!(
        only_request(&server)
            .await
            .body_json::<Value>()
            .expect("json"),
        json!({
            "template": "tmpl-1",
            "permissions": [{"subject_type": "USER", "subject": "devops", "domain": "vsphere.local"}],
            "resource_spec": {"memory_limit": 0},
            "storage_specs": [{"policy": "policy-1", "limit": 0}],
            "networks": ["network-1"],
            "content_libraries": [{"content_library": "lib-1", "writable": false, "allow_import": false}]
        })
    );

    use vsphere_api::vcenter::namespaces::namespace_self_service::ActivateWithTemplateError;
    documented_errors(
        &server,
        ActivateWithTemplateError::DOCUMENTED,
        |c| async move {
            let cluster = ClusterComputeResourceId::from("domain-c8");
            c.vcenter()
                .namespaces()
                .namespace_self_service()
                .activate_with_template(&cluster, &minimal_template_spec())
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn supervisor_upgrade_job_create() {
    use vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::{
        CreateError, CreateSpec,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/vcenter/namespace-management/software/supervisors/upgrades/jobs/{AWKWARD_ENCODED}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-42:com.vmware.vcenter")))
        .mount(&server)
        .await;
    let supervisor = SupervisorId::from(AWKWARD);
    let api = client(&server);
    let jobs = || {
        api.vcenter()
            .namespace_management()
            .software()
            .supervisors()
            .upgrades()
            .jobs()
    };

    let task: TaskId = jobs()
        .create(&supervisor, &CreateSpec::new("v1.30.1".into()))
        .await
        .expect("200");
    assert_eq!(task, TaskId::from("task-42:com.vmware.vcenter"));
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        None,
        "no vmw-task query: this one is not a $Task variant"
    );
    assert_common_headers(&request, true);
    assert_eq!(
        request.body_json::<Value>().expect("json"),
        json!({"desired_version": "v1.30.1"})
    );

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-43")))
        .mount(&server)
        .await;
    let mut spec = CreateSpec::new("v1.30.1".into());
    spec.ignore_precheck_warnings = Some(false);
    jobs().create(&supervisor, &spec).await.expect("200");
    assert_eq!(
        only_request(&server)
            .await
            .body_json::<Value>()
            .expect("json"),
        json!({"desired_version": "v1.30.1", "ignore_precheck_warnings": false})
    );

    documented_errors(&server, CreateError::DOCUMENTED, |c| async move {
        let supervisor = SupervisorId::from("supervisor-1");
        let spec = CreateSpec::new("v1.30.1".into());
        c.vcenter()
            .namespace_management()
            .software()
            .supervisors()
            .upgrades()
            .jobs()
            .create(&supervisor, &spec)
            .await
    })
    .await;
}

fn password_spec() -> ConnectionSpec {
    let mut credentials = HostCredentials::new(
        "esx-01.example.com".into(),
        "root".into(),
        "esx-Pa55".into(),
    );
    credentials.port = Some(443);
    let mut spec = ConnectionSpec::new(AuthenticationType::UsernamePassword);
    spec.host_credential = Some(credentials);
    spec
}

#[tokio::test]
async fn depots_offline_create_from_host_task() {
    use vsphere_api::esx::settings::depots::offline::CreateFromHostError;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/esx/settings/depots/offline"))
        .and(query_param("action", "createFromHost"))
        .and(query_param("vmw-task", "true"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!("obj-103")))
        .mount(&server)
        .await;
    let api = client(&server);
    let task = api
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&password_spec())
        .await
        .expect("202");
    assert_eq!(task.id(), "obj-103");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("action=createFromHost&vmw-task=true")
    );
    assert_common_headers(&request, true);
    assert_eq!(
        request.body_json::<Value>().expect("json"),
        json!({
            "auth_type": "USERNAME_PASSWORD",
            "host_credential": {"host_name": "esx-01.example.com", "user_name": "root", "password": "esx-Pa55", "port": 443}
        })
    );

    // EXISTING: the host id only.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!("obj-104")))
        .mount(&server)
        .await;
    let mut existing = ConnectionSpec::new(AuthenticationType::Existing);
    existing.host = Some(HostSystemId::from("host-21"));
    api.esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&existing)
        .await
        .expect("202");
    assert_eq!(
        only_request(&server)
            .await
            .body_json::<Value>()
            .expect("json"),
        json!({"auth_type": "EXISTING", "host": "host-21"})
    );

    documented_errors(&server, CreateFromHostError::DOCUMENTED, |c| async move {
        c.esx()
            .settings()
            .depots()
            .offline()
            .create_from_host(&password_spec())
            .await
    })
    .await;
}

#[tokio::test]
async fn create_from_host_rules_are_checked_before_sending() {
    let server = MockServer::start().await;
    let api = client(&server);
    let offline = api.esx().settings().depots().offline();

    let missing = ConnectionSpec::new(AuthenticationType::UsernamePassword);
    let Err(CallError::InvalidRequest(e)) = offline.create_from_host(&missing).await else {
        panic!("refused")
    };
    assert_eq!(
        e.to_string(),
        "`spec.host_credential` is required when `auth_type` is `USERNAME_PASSWORD`"
    );

    let mut both = password_spec();
    both.host = Some(HostSystemId::from("host-21"));
    let Err(CallError::InvalidRequest(e)) = offline.create_from_host(&both).await else {
        panic!("refused")
    };
    assert_eq!(e.field, "spec.host");

    let mut existing = ConnectionSpec::new(AuthenticationType::Existing);
    existing.host_credential = password_spec().host_credential;
    let Err(CallError::InvalidRequest(e)) = offline.create_from_host(&existing).await else {
        panic!("refused")
    };
    assert_eq!(
        e.to_string(),
        "`spec.host` is required when `auth_type` is `EXISTING`"
    );

    let mut pinned = password_spec();
    if let Some(credentials) = pinned.host_credential.as_mut() {
        #[allow(deprecated)]
        {
            credentials.ssl_thumb_print = Some("AA:BB".into());
        }
        credentials.ssl_certificate = Some("-----BEGIN CERTIFICATE-----".into());
    }
    let Err(CallError::InvalidRequest(e)) = offline.create_from_host(&pinned).await else {
        panic!("refused")
    };
    assert_eq!(e.field, "spec.host_credential.ssl_certificate");

    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "no request was made"
    );
}

fn grant(name: &str) -> access_grants::CreateSpec {
    access_grants::CreateSpec::new(
        AccessGrantId::from(name),
        ManagementServiceId::from("svc-argocd"),
        WorkloadSelectorCreateSpec::new(WorkloadType::VirtualMachine),
    )
}

#[tokio::test]
async fn management_service_access_grant_create() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/vcenter/namespaces/{AWKWARD_ENCODED}/management-services/access-grants"
        )))
        .and(body_json(json!({
            "access_grant": "grant-1",
            "management_service": "svc-argocd",
            "workload_selector": {"type": "VIRTUAL_MACHINE"}
        })))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let namespace = NamespaceId::from(AWKWARD);
    let api = client(&server);
    let grants = || {
        api.vcenter()
            .namespaces()
            .management_services()
            .access_grants()
    };
    grants()
        .create(&namespace, &grant("grant-1"))
        .await
        .expect("201");
    assert_common_headers(&only_request(&server).await, true);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let mut full = grant("grant-2");
    full.description = Some("Argo CD for the VMs".into());
    full.managed_by = Some("argocd-operator".into());
    full.enabled = Some(false);
    grants().create(&namespace, &full).await.expect("201");
    assert_eq!(
        only_request(&server)
            .await
            .body_json::<Value>()
            .expect("json"),
        json!({
            "access_grant": "grant-2",
            "description": "Argo CD for the VMs",
            "managed_by": "argocd-operator",
            "management_service": "svc-argocd",
            "workload_selector": {"type": "VIRTUAL_MACHINE"},
            "enabled": false
        })
    );

    documented_errors(
        &server,
        access_grants::CreateError::DOCUMENTED,
        |c| async move {
            let namespace = NamespaceId::from("ns-1");
            c.vcenter()
                .namespaces()
                .management_services()
                .access_grants()
                .create(&namespace, &grant("grant-3"))
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn access_grant_name_must_be_an_rfc_1123_label() {
    let server = MockServer::start().await;
    let api = client(&server);
    let namespace = NamespaceId::from("ns-1");
    let grants = api
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants();
    for bad in ["-grant", "grant-", "Grant", "grant_1", "", &"a".repeat(64)] {
        let Err(CallError::InvalidRequest(e)) = grants.create(&namespace, &grant(bad)).await else {
            panic!("{bad:?} refused")
        };
        assert_eq!(e.field, "spec.access_grant", "{bad:?}");
    }
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "no request was made"
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    for good in ["a", "grant-1", "0-x-9", &"a".repeat(63)] {
        grants
            .create(&namespace, &grant(good))
            .await
            .unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

#[tokio::test]
async fn login_use_and_logout() {
    let server = MockServer::start().await;
    // base64("administrator@vsphere.local:VMware1!")
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .and(header(
            "authorization",
            "Basic YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZNd2FyZTEh",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("sid-from-login")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/session"))
        .and(header("vmware-api-session-id", "sid-from-login"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "user": "VSPHERE.LOCAL\\Administrator",
            "created_time": "2026-11-22T22:00:00.000Z",
            "last_accessed_time": "2026-11-22T22:01:00.000Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/session"))
        .and(header("vmware-api-session-id", "sid-from-login"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    // The URL may carry the /api suffix or not.
    let api = Client::builder(format!("{}/api/", server.uri()))
        .build()
        .expect("client");
    assert!(!api.has_session());
    api.login("administrator@vsphere.local", "VMware1!")
        .await
        .expect("login");
    assert!(api.has_session());
    assert_eq!(format!("{:?}", api.session_id()), "Some(<redacted>)");
    let info = api.cis().session().get().await.expect("session info");
    assert_eq!(info.user, "VSPHERE.LOCAL\\Administrator");
    assert_eq!(info.created_time.to_rfc3339(), "2026-11-22T22:00:00+00:00");
    api.logout().await.expect("logout");
    assert!(!api.has_session());

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3);
    assert!(
        requests[0].headers.get("vmware-api-session-id").is_none(),
        "login sends no session"
    );
    assert!(requests[0].body.is_empty(), "login has no body");
    let user_agent = requests[0]
        .headers
        .get("user-agent")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    // The runtime's name and version: `vapi-runtime/0.1.0`.
    assert!(
        user_agent
            .as_deref()
            .and_then(|ua| ua.strip_prefix("vapi-runtime/"))
            .is_some_and(|version| !version.is_empty()),
        "{user_agent:?}"
    );
    assert!(
        requests[1].headers.get("content-type").is_none(),
        "a GET says nothing of a body"
    );
}

#[tokio::test]
async fn wrong_password_gives_unauthenticated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error_type": "UNAUTHENTICATED",
            "messages": [{"id": "vapi.security.authentication.invalid", "default_message": "Authentication required.", "args": []}],
            "challenge": "Basic realm=\"VAPI endpoint\",SIGN realm=\"d3f3c1e4\",service=\"VAPI endpoint\""
        })))
        .mount(&server)
        .await;
    let api = Client::builder(server.uri()).build().expect("client");
    let err = api
        .login("administrator@vsphere.local", "wrong")
        .await
        .expect_err("refused");
    let CallError::Api(e) = &err else {
        panic!("{err:?}")
    };
    // The login is the runtime's: its error is the standard error, of the kind sent.
    assert_eq!(e.status(), 401);
    assert_eq!(e.error_type(), Some(&ErrorType::Unauthenticated));
    assert!(e
        .std_error()
        .challenge()
        .is_some_and(|c| c.starts_with("Basic realm")));
    assert!(!api.has_session());
    assert!(
        !format!("{err:?} {err}").contains("wrong"),
        "the password is not in the error"
    );
}

#[tokio::test]
async fn a_call_without_login_gets_the_typed_unauthenticated_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(std_error("UNAUTHENTICATED", "Authentication required.")),
        )
        .mount(&server)
        .await;
    let api = Client::builder(server.uri()).build().expect("client");
    let namespace = NamespaceId::from("ns-1");
    let err = api
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&namespace, &grant("grant-1"))
        .await
        .expect_err("401");
    let CallError::Api(e) = err else {
        panic!("typed")
    };
    assert!(matches!(e, access_grants::CreateError::Unauthenticated(_)));
    assert_eq!(
        e.std_error().to_string(),
        "UNAUTHENTICATED (HTTP 401): Authentication required."
    );
    let request = only_request(&server).await;
    assert!(request.headers.get("vmware-api-session-id").is_none());
}

#[tokio::test]
async fn a_success_that_does_not_decode_keeps_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"user": 7})))
        .mount(&server)
        .await;
    let err = client(&server)
        .cis()
        .session()
        .get()
        .await
        .expect_err("bad");
    let CallError::Decode { status, body, .. } = err else {
        panic!("decode error: {err:?}")
    };
    assert_eq!((status, body.as_str()), (200, r#"{"user":7}"#));

    // An answer that holds a secret (the support-bundle token) is withheld instead.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"url": 7, "wcp_support_bundle_token": {"token": "t0k"}})),
        )
        .mount(&server)
        .await;
    let cluster = ClusterComputeResourceId::from("domain-c8");
    let err = client(&server)
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&cluster)
        .await
        .expect_err("bad");
    assert!(
        matches!(&err, CallError::Decode { body, .. } if body == "<redacted>"),
        "{err:?}"
    );
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused() {
    let server = MockServer::start().await;
    let api = client(&server);
    for bad in ["", ".", ".."] {
        let err = api
            .cis()
            .tasks()
            .get(&TaskId::from(bad))
            .await
            .expect_err("refused");
        let CallError::InvalidRequest(e) = err else {
            panic!("{bad:?}: {err:?}")
        };
        assert_eq!(e.field, "task", "{bad:?}");
    }
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[test]
fn client_configuration_errors() {
    let err = Client::builder("https://admin:s3cret@vc.example.com")
        .build()
        .expect_err("userinfo");
    assert!(!err.to_string().contains("s3cret"), "{err}");
    let own = reqwest::Client::new();
    let err = Client::builder("https://vc.example.com")
        .dangerously_use_http_client(own)
        .pin_certificate_sha256("00".repeat(32))
        .build()
        .expect_err("pin with an own client");
    assert!(
        matches!(
            err,
            vsphere_api::BuildError::IgnoredByOwnClient {
                setting: "pin_certificate_sha256"
            }
        ),
        "{err:?}"
    );
    assert!(Client::builder("not a url").build().is_err());
}
