//! Query parameters on the wire: fixed pairs, exploded lists (`query_values`) and form-style
//! objects (`query_form`), exactly as the server receives them.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::json;
use vapi_runtime::codegen::{path_value, Call, Method};
use vapi_runtime::{CallError, Client, InvalidRequest, StdError};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

/// A snapservice-style filter: `?local=true&paired=false`.
#[derive(Serialize)]
struct FilterSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    local: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paired: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    names: Option<BTreeSet<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_after: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
}

#[derive(Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    InSync,
}

impl FilterSpec {
    fn unset() -> Self {
        FilterSpec {
            local: None,
            paired: None,
            names: None,
            created_after: None,
            limit: None,
            status: None,
        }
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn list() -> Call<'static> {
    Call::new(
        "Snapservice.Clusters_list",
        Method::GET,
        "/snapservice/clusters",
        "/snapservice/clusters".into(),
    )
}

/// Sends `call` and answers the query string the server received.
async fn sent_query(server: &MockServer, client: &Client, call: Call<'_>) -> Option<String> {
    let answer = client.send::<StdError>(call).await.expect("answered");
    let list: Vec<String> = answer.json::<_, StdError>().expect("a list");
    assert!(list.is_empty());
    let requests = server.received_requests().await.expect("recording");
    let request = requests.last().expect("one request");
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/snapservice/clusters");
    assert!(request.body.is_empty(), "a GET has no body");
    assert!(
        request.headers.get("content-type").is_none(),
        "a GET has no content type"
    );
    request.url.query().map(str::to_owned)
}

#[tokio::test]
async fn a_form_object_sends_its_set_fields_in_order() {
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let filter = FilterSpec {
        local: Some(true),
        paired: Some(false),
        ..FilterSpec::unset()
    };
    let call = list().query_form(&filter).expect("form");
    assert_eq!(
        sent_query(&server, &client, call).await.as_deref(),
        Some("local=true&paired=false")
    );
}

#[tokio::test]
async fn lists_explode_and_values_are_written_as_in_json() {
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let filter = FilterSpec {
        names: Some(BTreeSet::from(["pg-1".to_owned(), "pg 2&x".to_owned()])),
        created_after: Some(
            Utc.with_ymd_and_hms(2026, 11, 22, 22, 0, 0)
                .single()
                .expect("date"),
        ),
        limit: Some(50),
        status: Some(Status::InSync),
        ..FilterSpec::unset()
    };
    let call = list()
        .query("action", "query")
        .query_form(&filter)
        .expect("form");
    assert_eq!(
        sent_query(&server, &client, call).await.as_deref(),
        Some("action=query&names=pg+2%26x&names=pg-1&created_after=2026-11-22T22%3A00%3A00Z&limit=50&status=IN_SYNC")
    );
}

#[tokio::test]
async fn an_unset_filter_sends_no_query() {
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let call = list().query_form(&FilterSpec::unset()).expect("form");
    assert_eq!(sent_query(&server, &client, call).await, None);
    let call = list().query_form(&None::<FilterSpec>).expect("form");
    assert_eq!(sent_query(&server, &client, call).await, None);
}

#[tokio::test]
async fn query_values_sends_one_pair_per_value() {
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let ids = ["vm-1".to_owned(), "vm/2".to_owned()];
    let call = list()
        .query_values("vms", ids.iter().map(String::as_str))
        .query_values("clusters", Vec::<String>::new())
        .query("limit", "2");
    assert_eq!(
        sent_query(&server, &client, call).await.as_deref(),
        Some("vms=vm-1&vms=vm%2F2&limit=2")
    );
}

/// An operation as generated code writes it: the refusal of the query comes out through
/// `?` before anything is sent.
async fn list_with<T: Serialize>(
    client: &Client,
    filter: &T,
) -> Result<Vec<String>, CallError<StdError>> {
    let path = format!("/snapservice/{}", path_value("what", "clusters")?);
    let call = Call::new(
        "Snapservice.Clusters_list",
        Method::GET,
        "/snapservice/{what}",
        path,
    )
    .query_form(filter)?;
    client.send::<StdError>(call).await?.json()
}

#[tokio::test]
async fn a_nested_object_is_refused_and_nothing_is_sent() {
    #[derive(Serialize)]
    struct Nested {
        local: bool,
        spec: FilterSpec,
    }
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let err = list_with(
        &client,
        &Nested {
            local: true,
            spec: FilterSpec::unset(),
        },
    )
    .await
    .expect_err("nested");
    let CallError::InvalidRequest(refusal) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        refusal,
        &InvalidRequest {
            field: "spec".into(),
            reason: "is an object; a form query holds only values and lists of values".into()
        }
    );
    assert!(common::requests(&server).await.is_empty());

    let all = list_with(&client, &json!({"local": true}))
        .await
        .expect("sent");
    assert!(all.is_empty());
    assert_eq!(
        common::requests(&server).await,
        ["GET /api/snapservice/clusters?local=true sid"]
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_and_nothing_is_sent() {
    let server = server().await;
    let client = common::client_with(&server, &common::SNAPSERVICE, "sid");
    let body = std::collections::BTreeMap::from([((1, 2), "a map with keys that are not strings")]);
    let call = Call::new(
        "Snapservice.Clusters_create",
        Method::POST,
        "/snapservice/clusters",
        "/snapservice/clusters".into(),
    )
    .json(&body);
    let err = client.send::<StdError>(call).await.expect_err("not JSON");
    assert!(
        matches!(&err, CallError::InvalidRequest(r) if r.field == "/snapservice/clusters"),
        "{err:?}"
    );
    assert!(common::requests(&server).await.is_empty());
}
