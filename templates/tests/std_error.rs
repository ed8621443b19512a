// vapigen: requires Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! Decoding of error answers beyond the documented pairs (those are in
//! `documented_errors.rs`) into a generated error enum: the bodies real servers, proxies
//! and old releases send. The standard error's own accessors, its bound on raw bodies and
//! the `/api` status map are the runtime's tests (`runtime/tests/std_error.rs`).

use vsphere_api::vcenter::namespaces::management_services::access_grants::CreateError;
use vsphere_api::{ErrorType, OperationError, StdError};

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
    assert_eq!(
        e.std_error().to_string(),
        "INVALID_ARGUMENT (HTTP 400): bad spec"
    );
}

#[test]
fn empty_body_is_decided_by_the_status() {
    let e = decode(404, "");
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(e.std_error().raw_body(), Some(""));
    assert!(e.messages().is_empty());
    assert_eq!(
        e.std_error().to_string(),
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
        e.std_error().to_string(),
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
