//! Decoding of error answers: the documented ones and the bodies real servers, proxies and
//! old releases send. The operation's error enum is written here by hand, as a generated
//! crate writes one.

use serde_json::json;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::{CallError, Client, ErrorType, OperationError, StdError, MAX_RAW_BODY};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The errors of an access-grant `create`: two kinds share 400, one each at 401 and 404.
#[derive(Debug, Clone, PartialEq)]
enum CreateError {
    AlreadyExists(StdError),
    InvalidArgument(StdError),
    Unauthenticated(StdError),
    NotFound(StdError),
    Undocumented(StdError),
}

impl OperationError for CreateError {
    fn from_std(mut error: StdError) -> Self {
        // 400 documents two kinds, so a bare 400 is left to the `/api` status map.
        let documented = match error.status() {
            401 => Some(ErrorType::Unauthenticated),
            404 => Some(ErrorType::NotFound),
            _ => None,
        };
        error.infer_error_type(documented);
        match error.error_type() {
            Some(ErrorType::AlreadyExists) => CreateError::AlreadyExists(error),
            Some(ErrorType::InvalidArgument) => CreateError::InvalidArgument(error),
            Some(ErrorType::Unauthenticated) => CreateError::Unauthenticated(error),
            Some(ErrorType::NotFound) => CreateError::NotFound(error),
            _ => CreateError::Undocumented(error),
        }
    }

    fn std_error(&self) -> &StdError {
        match self {
            CreateError::AlreadyExists(e)
            | CreateError::InvalidArgument(e)
            | CreateError::Unauthenticated(e)
            | CreateError::NotFound(e)
            | CreateError::Undocumented(e) => e,
        }
    }
}

impl std::fmt::Display for CreateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.std_error().fmt(f)
    }
}

impl std::error::Error for CreateError {}

fn decode(status: u16, body: &str) -> CreateError {
    CreateError::from_std(StdError::from_response(status, body.as_bytes()))
}

#[test]
fn unknown_error_type_is_kept_in_the_fallback() {
    let e = decode(400, r#"{"error_type": "QUOTA_EXCEEDED", "messages": []}"#);
    assert!(matches!(e, CreateError::Undocumented(_)), "{e:?}");
    assert_eq!(
        e.std_error().error_type(),
        Some(&ErrorType::Unknown("QUOTA_EXCEEDED".into()))
    );
    assert!(e.std_error().error_type_was_sent());
}

#[test]
fn documented_kind_at_another_status_still_picks_its_variant() {
    // The discriminator wins over the status.
    let e = decode(500, r#"{"error_type": "NOT_FOUND", "messages": []}"#);
    assert!(matches!(e, CreateError::NotFound(_)), "{e:?}");
    assert_eq!(e.std_error().status(), 500);
}

#[test]
fn missing_error_type_takes_the_kind_documented_for_the_status() {
    let e = decode(404, r#"{"messages": []}"#);
    assert!(matches!(e, CreateError::NotFound(_)), "{e:?}");
    assert!(!e.std_error().error_type_was_sent());
}

#[test]
fn missing_error_type_at_a_shared_status_uses_the_api_status_map() {
    let e = decode(
        400,
        r#"{"messages": [{"id": "a", "default_message": "bad spec", "args": []}]}"#,
    );
    assert!(matches!(e, CreateError::InvalidArgument(_)), "{e:?}");
    assert!(!e.std_error().error_type_was_sent());
    assert_eq!(e.to_string(), "INVALID_ARGUMENT (HTTP 400): bad spec");
}

#[test]
fn empty_body_is_decided_by_the_status() {
    let e = decode(404, "");
    assert!(matches!(e, CreateError::NotFound(_)), "{e:?}");
    assert_eq!(e.std_error().raw_body(), Some(""));
    assert!(e.std_error().messages().is_empty());
    assert_eq!(
        e.to_string(),
        "NOT_FOUND (HTTP 404): no error details were sent"
    );
}

#[test]
fn html_from_a_proxy_is_kept_raw() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let e = decode(502, page);
    assert!(matches!(e, CreateError::Undocumented(_)), "{e:?}");
    assert_eq!(e.std_error().error_type(), None);
    assert_eq!(e.std_error().raw_body(), Some(page));
    assert_eq!(
        e.to_string(),
        "HTTP 502: the answer was not a standard error"
    );
}

#[test]
fn truncated_json_is_kept_raw_with_its_status() {
    let body = r#"{"error_type": "ALREADY_EXISTS", "messages": [{"id": "x", "default_mes"#;
    let e = decode(400, body);
    assert!(
        matches!(e, CreateError::InvalidArgument(_)),
        "the status decides when the body cannot be read: {e:?}"
    );
    assert_eq!(e.std_error().raw_body(), Some(body));
}

#[test]
fn wrong_shape_keeps_a_readable_error_type() {
    let body = r#"{"error_type": "ALREADY_EXISTS", "messages": "not a list"}"#;
    let e = decode(400, body);
    assert!(matches!(e, CreateError::AlreadyExists(_)), "{e:?}");
    assert_eq!(e.std_error().raw_body(), Some(body));
}

#[test]
fn rest_style_wrapped_error_is_unwrapped() {
    let body = r#"{"type": "com.vmware.vapi.std.errors.already_exists",
                   "value": {"messages": [{"id": "a", "default_message": "exists", "args": []}]}}"#;
    let e = decode(400, body);
    assert!(matches!(e, CreateError::AlreadyExists(_)), "{e:?}");
    assert_eq!(e.std_error().message(), Some("exists"));
    assert!(e.std_error().raw_body().is_none());
}

#[test]
fn data_accessors_and_challenge() {
    let body = r#"{"error_type": "INVALID_ARGUMENT",
                   "messages": [{"id": "a", "default_message": "d", "localized": "localized text", "args": ["x"]}],
                   "data": {"primary": "spec.access_grant", "secondary": ["spec.enabled"]},
                   "challenge": "Basic realm=\"vCenter\""}"#;
    let e = decode(400, body);
    let std = e.std_error();
    let locations = std.argument_locations().expect("argument locations");
    assert_eq!(locations.primary, "spec.access_grant");
    assert_eq!(locations.secondary, ["spec.enabled"]);
    let files = std.file_locations().expect("same shape as file locations");
    assert_eq!(files.primary, "spec.access_grant");
    assert_eq!(std.challenge(), Some("Basic realm=\"vCenter\""));
    assert_eq!(
        std.message(),
        Some("localized text"),
        "the localized text is preferred"
    );
    assert_eq!(std.messages()[0].args, ["x"]);
    assert!(std.transient_indication().is_none());

    let transient =
        StdError::from_response(503, br#"{"messages": [], "data": {"is_transient": true}}"#);
    assert_eq!(
        transient.transient_indication().map(|t| t.is_transient),
        Some(true)
    );
    assert!(transient.argument_locations().is_none());
}

#[test]
fn a_huge_body_is_kept_bounded() {
    let body = "x".repeat(MAX_RAW_BODY * 4);
    let e = decode(500, &body);
    assert_eq!(e.std_error().raw_body().map(str::len), Some(MAX_RAW_BODY));
}

#[test]
fn status_map_of_the_api() {
    let cases = [
        (400, Some(ErrorType::InvalidArgument)),
        (401, Some(ErrorType::Unauthenticated)),
        (403, Some(ErrorType::Unauthorized)),
        (404, Some(ErrorType::NotFound)),
        (409, Some(ErrorType::ConcurrentChange)),
        (500, Some(ErrorType::Error)),
        (503, Some(ErrorType::ServiceUnavailable)),
        (502, None),
        (418, None),
    ];
    for (status, kind) in cases {
        assert_eq!(ErrorType::for_status(status), kind, "status {status}");
    }
}

#[test]
fn every_known_kind_has_a_status_that_implies_its_family() {
    assert_eq!(ErrorType::ALL.len(), 25);
    for kind in ErrorType::ALL {
        let status = kind.default_status();
        let implied = ErrorType::for_status(status).expect("every default status implies a kind");
        assert_eq!(implied.default_status(), status, "{kind}");
        assert_eq!(&ErrorType::from(kind.as_str()), kind);
    }
    assert_eq!(ErrorType::Unknown("NEW_KIND".into()).default_status(), 500);
}

#[test]
fn a_bare_std_error_infers_its_kind_from_the_status() {
    let e = StdError::from_std(StdError::from_response(409, b""));
    assert_eq!(e.error_type(), Some(&ErrorType::ConcurrentChange));
    let made = StdError::new(404, ErrorType::NotFound, Vec::new());
    assert_eq!(made.body().error_type, Some(ErrorType::NotFound));
}

#[tokio::test]
async fn an_error_answer_of_a_call_decodes_into_the_operation_enum() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/vcenter/namespaces/team-a/access-grants"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error_type": "ALREADY_EXISTS",
            "messages": [{"id": "grant.exists", "default_message": "The grant exists.", "args": ["argocd-vms"]}]
        })))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client");
    let call = Call::new(
        "Vcenter.Namespaces.AccessGrants_create",
        Method::POST,
        "/vcenter/namespaces/{namespace}/access-grants",
        "/vcenter/namespaces/team-a/access-grants".into(),
    )
    .json(&json!({"access_grant": "argocd-vms"}));
    let err = client.send::<CreateError>(call).await.expect_err("refused");
    let CallError::Api(CreateError::AlreadyExists(std)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(std.status(), 400);
    assert_eq!(std.message(), Some("The grant exists."));
    assert_eq!(
        err.to_string(),
        "ALREADY_EXISTS (HTTP 400): The grant exists."
    );

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.query(), None);
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(
        request.headers.get("accept").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(
        request
            .headers
            .get("vmware-api-session-id")
            .map(|v| v.as_bytes()),
        Some(&b"sid"[..])
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).expect("json"),
        json!({"access_grant": "argocd-vms"})
    );
}
