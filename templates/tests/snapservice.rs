// vapigen: requires Snapservice.Sessions_create, Snapservice.Sites_list, Snapservice.ClusterPairs_create$Task, Snapservice.Tasks_get
//! A crate generated from VMware's own vSAN Data Protection spec (`../shared/corpus/`, CI
//! generates one per file) against a local server speaking its wire format: login through
//! the API's own session service (`/snapservice/sessions`), a list whose query holds an
//! exploded array and a form-style filter object, and a `$Task` operation waited for to its
//! typed result through the API's own task service (`/snapservice/tasks/{task}`).

use serde_json::json;
use vsphere_api::ids::{ClusterComputeResourceId, ClusterPairId, SiteId};
use vsphere_api::snapservice::cluster_pairs::{
    CreateSpec, LocalClusterMemberSpec, PeerClusterMemberSpec,
};
use vsphere_api::snapservice::sites::FilterSpec;
use vsphere_api::{Client, TaskStatus, WaitOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "snapservice-session-1";

/// A server that takes the login, lists sites, starts a cluster pairing and runs its task:
/// RUNNING twice, then SUCCEEDED with the new pair's id.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/snapservice/sessions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(SESSION))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/snapservice/sites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{
                "site": "site-2",
                "summary": {
                    "name": "remote",
                    "local": false,
                    "vcenter_info": {"name": "vc2", "host": "vc2.example.com", "port": 443, "vcenter": "vc-uuid-2"},
                    "pairing_summaries": [{
                        "site": "site-1",
                        "connection_state": {"connection_status": "CONNECTED"},
                        "paired_services": ["SS", "SOMETHING_NEWER"]
                    }],
                    "in_use": true
                }
            }]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/snapservice/cluster-pairs"))
        .respond_with(ResponseTemplate::new(202).set_body_json("task-7:snapservice"))
        .mount(&server)
        .await;
    let info = |status: &str, result: Option<&str>| {
        let mut info = json!({
            "status": status,
            "cancelable": false,
            "description": {"id": "snapservice.pair", "default_message": "Pairing clusters", "args": []},
            "operation": "create",
            "service": "com.vmware.snapservice.cluster_pairs",
            "progress": {"total": 100, "completed": if result.is_some() { 100 } else { 40 },
                         "message": {"id": "p", "default_message": "pairing", "args": []}},
        });
        if let Some(result) = result {
            info["result"] = json!(result);
        }
        info
    };
    Mock::given(method("GET"))
        .and(path("/api/snapservice/tasks/task-7:snapservice"))
        .respond_with(ResponseTemplate::new(200).set_body_json(info("RUNNING", None)))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/snapservice/tasks/task-7:snapservice"))
        .respond_with(ResponseTemplate::new(200).set_body_json(info("SUCCEEDED", Some("cp-9"))))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn login_list_and_task_through_the_apis_own_services() {
    let server = server().await;
    let client = Client::builder(server.uri()).build().expect("client");
    client
        .login("administrator@vsphere.local", "VMware1!")
        .await
        .expect("login");

    let filter = FilterSpec {
        local: Some(false),
        paired: Some(true),
    };
    let sites = [SiteId::from("site-1"), SiteId::from("site 2")];
    let listed = client
        .snapservice()
        .sites()
        .list(Some(&filter), Some(&sites))
        .await
        .expect("sites");
    assert_eq!(listed.items[0].site, SiteId::from("site-2"));
    assert_eq!(listed.items[0].summary.vcenter_info.port, Some(443));
    let pairing = &listed.items[0].summary.pairing_summaries[0];
    assert_eq!(pairing.paired_services.len(), 2);
    assert_eq!(pairing.paired_services[1].as_str(), "SOMETHING_NEWER");

    let spec = CreateSpec::new(
        LocalClusterMemberSpec::new(ClusterComputeResourceId::from("domain-c8")),
        PeerClusterMemberSpec::new(
            SiteId::from("site-2"),
            ClusterComputeResourceId::from("domain-c9"),
        ),
    );
    let task = client
        .snapservice()
        .cluster_pairs()
        .create(&spec)
        .await
        .expect("task started");
    assert_eq!(task.id(), "task-7:snapservice");
    let options = WaitOptions {
        interval: std::time::Duration::from_millis(10),
        ..WaitOptions::default()
    };
    let mut seen = Vec::new();
    let pair: ClusterPairId = task
        .wait_with(&options, |p| seen.push((p.status.clone(), p.completed)))
        .await
        .expect("the task's result");
    assert_eq!(pair, ClusterPairId::from("cp-9"));
    assert_eq!(
        seen,
        [
            (TaskStatus::Running, Some(40)),
            (TaskStatus::Running, Some(40)),
            (TaskStatus::Succeeded, Some(100)),
        ]
    );

    // Exactly these requests, in this order, each as the spec's wire format wants it.
    let requests = server.received_requests().await.expect("recorded");
    let seen: Vec<(String, String, Option<String>)> = requests
        .iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.url.path().to_owned(),
                r.url.query().map(str::to_owned),
            )
        })
        .collect();
    let expected = [
        ("POST", "/api/snapservice/sessions", None),
        (
            "GET",
            "/api/snapservice/sites",
            Some("local=false&paired=true&sites=site-1&sites=site+2"),
        ),
        (
            "POST",
            "/api/snapservice/cluster-pairs",
            Some("vmw-task=true"),
        ),
        ("GET", "/api/snapservice/tasks/task-7:snapservice", None),
        ("GET", "/api/snapservice/tasks/task-7:snapservice", None),
        ("GET", "/api/snapservice/tasks/task-7:snapservice", None),
    ];
    let expected: Vec<(String, String, Option<String>)> = expected
        .iter()
        .map(|(m, p, q)| (m.to_string(), p.to_string(), q.map(str::to_owned)))
        .collect();
    assert_eq!(seen, expected);
    // The login goes with HTTP basic and no session; every later call with the session.
    let basic = requests[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .expect("basic auth");
    assert_eq!(
        basic,
        "Basic YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZNd2FyZTEh"
    );
    assert!(requests[0].headers.get("vmware-api-session-id").is_none());
    for request in &requests[1..] {
        assert_eq!(
            request
                .headers
                .get("vmware-api-session-id")
                .and_then(|v| v.to_str().ok()),
            Some(SESSION),
            "{} {}",
            request.method,
            request.url
        );
    }
    let body: serde_json::Value = serde_json::from_slice(&requests[2].body).expect("json body");
    assert_eq!(
        body,
        json!({
            "local_cluster": {"cluster": "domain-c8"},
            "peer_cluster": {"site": "site-2", "cluster": "domain-c9"}
        })
    );
}

#[tokio::test]
async fn a_list_without_filters_sends_no_query() {
    let server = server().await;
    let client = Client::builder(server.uri()).build().expect("client");
    client.login("u", "p").await.expect("login");
    client
        .snapservice()
        .sites()
        .list(None, None)
        .await
        .expect("sites");
    // A filter with nothing set sends nothing either.
    client
        .snapservice()
        .sites()
        .list(Some(&FilterSpec::default()), Some(&[]))
        .await
        .expect("sites");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[1].url.query(), None);
    assert_eq!(requests[2].url.query(), None);
}
