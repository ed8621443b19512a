//! Decoding of error answers beyond the documented pairs (those are in
//! `documented_errors.rs`): the bodies real servers, proxies and old releases send.

use vsphere_api::vcenter::namespaces::management_services::access_grants::CreateError;
use vsphere_api::{ErrorType, OperationError, StdError, MAX_RAW_BODY};

fn decode(status: u16, body: &str) -> CreateError {
    CreateError::from_std(StdError::from_response(status, body.as_bytes()))
}

#[test]
fn unknown_error_type_is_kept_in_the_fallback() {
    let e = decode(400, r#"{"error_type": "QUOTA_EXCEEDED", "messages": []}"#);
    assert!(matches!(e, CreateError::Undocumented(_)), "{e:?}");
    assert_eq!(
        e.error_type(),
        Some(&ErrorType::Unknown("QUOTA_EXCEEDED".into()))
    );
    assert!(e.std_error().error_type_was_sent());
}

#[test]
fn documented_kind_at_another_status_still_picks_its_variant() {
    // The discriminator wins over the status.
    let e = decode(500, r#"{"error_type": "NOT_FOUND", "messages": []}"#);
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(e.status(), 500);
}

#[test]
fn missing_error_type_at_a_shared_status_uses_the_api_status_map() {
    let e = decode(
        400,
        r#"{"messages": [{"id": "a", "default_message": "bad spec", "args": []}]}"#,
    );
    assert!(e.is_invalid_argument(), "{e:?}");
    assert!(!e.std_error().error_type_was_sent());
    assert_eq!(e.to_string(), "INVALID_ARGUMENT (HTTP 400): bad spec");
}

#[test]
fn empty_body_is_decided_by_the_status() {
    let e = decode(404, "");
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(e.std_error().raw_body(), Some(""));
    assert!(e.messages().is_empty());
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
    assert_eq!(e.error_type(), None);
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
        e.is_invalid_argument(),
        "the status decides when the body cannot be read: {e:?}"
    );
    assert_eq!(e.std_error().raw_body(), Some(body));
}

#[test]
fn wrong_shape_keeps_a_readable_error_type() {
    let body = r#"{"error_type": "ALREADY_EXISTS", "messages": "not a list"}"#;
    let e = decode(400, body);
    assert!(e.is_already_exists(), "{e:?}");
    assert_eq!(e.std_error().raw_body(), Some(body));
}

#[test]
fn rest_style_wrapped_error_is_unwrapped() {
    let body = r#"{"type": "com.vmware.vapi.std.errors.already_exists",
                   "value": {"messages": [{"id": "a", "default_message": "exists", "args": []}]}}"#;
    let e = decode(400, body);
    assert!(e.is_already_exists(), "{e:?}");
    assert_eq!(e.std_error().message(), Some("exists"));
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
    assert_eq!(std.challenge(), Some("Basic realm=\"vCenter\""));
    assert_eq!(
        std.message(),
        Some("localized text"),
        "the localized text is preferred"
    );
    assert!(std.transient_indication().is_none());

    let transient =
        StdError::from_response(503, br#"{"messages": [], "data": {"is_transient": true}}"#);
    assert_eq!(
        transient.transient_indication().map(|t| t.is_transient),
        Some(true)
    );
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
