//! Small specs, one per shape or failure, run through the whole pipeline.
//!
//! Shapes are snapshotted (all emitted Rust of the fixture in one snapshot); failures
//! assert the exact message, JSON pointer first.

use std::collections::BTreeMap;
use std::path::Path;

use vapigen::emit::Templates;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn templates() -> Templates {
    let mut files = BTreeMap::new();
    files.insert(
        "src/lib.rs".to_owned(),
        "//! Fixture crate.\n\n// @generated-modules\n".to_owned(),
    );
    Templates { files }
}

/// Every emitted Rust file of a fixture, in path order, each under a `// ---- path` line.
fn emitted(name: &str) -> String {
    let generated = vapigen::generate_from_str(&fixture(name), &templates())
        .unwrap_or_else(|e| panic!("{name} should generate: {e}"));
    generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, text)| format!("// ---- {path}\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn error_of(name: &str) -> String {
    match vapigen::generate_from_str(&fixture(name), &templates()) {
        Ok(_) => panic!("{name} should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn enum_with_unknown_value() {
    insta::assert_snapshot!(emitted("enum_unknown.yaml"));
}

#[test]
fn optional_fields_and_scalars() {
    insta::assert_snapshot!(emitted("optional_field.yaml"));
}

#[test]
fn maps() {
    insta::assert_snapshot!(emitted("map.yaml"));
}

#[test]
fn sets_and_lists() {
    insta::assert_snapshot!(emitted("set.yaml"));
}

#[test]
fn all_of_is_flattened() {
    insta::assert_snapshot!(emitted("all_of.yaml"));
}

#[test]
fn keyword_named_fields_and_self_reference() {
    insta::assert_snapshot!(emitted("keyword_field.yaml"));
}

#[test]
fn name_collision_names_both_schemas() {
    assert_eq!(
        error_of("name_collision.yaml"),
        "#/components/schemas/Vcenter.namespace_management.Location: `Vcenter.namespace_management.Location` and \
         `Vcenter.NamespaceManagement.Location` (at #/components/schemas/Vcenter.NamespaceManagement.Location) \
         both become the Rust name `vcenter::namespace_management::Location`"
    );
}

#[test]
fn invalid_yaml_names_line_and_place() {
    let message = error_of("invalid_yaml.yaml");
    assert!(
        message.starts_with(
            "#/paths/~1session/post/responses: the document is not valid YAML/JSON (line 6, column 49): "
        ),
        "{message}"
    );
}

#[test]
fn dangling_ref_names_the_referring_place() {
    assert_eq!(
        error_of("dangling_ref.yaml"),
        "#/paths/~1vcenter~1namespaces~1{namespace}~1access-grants/post/requestBody/content/application~1json/schema: \
         `$ref: #/components/schemas/Vcenter.Namespaces.AccessGrants.CreateSpec` points at nothing in the document"
    );
}

#[test]
fn duplicate_operation_id_names_both() {
    assert_eq!(
        error_of("duplicate_operation_id.yaml"),
        "#/paths/~1session~1again/post/operationId: operationId `Cis.Session_create` is used twice \
         (first at #/paths/~1session/post/operationId)"
    );
}

#[test]
fn unsupported_construct_says_what_and_why() {
    assert_eq!(
        error_of("unsupported_one_of.yaml"),
        "#/components/schemas/Vcenter.Namespaces.Choice/properties/value: `oneOf`, `anyOf` and `not` is not \
         supported: VMware's spec does not use them; model the value as a named object"
    );
}

#[test]
fn schema_name_without_a_service_path_is_refused() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Top:\n      type: object\n      properties:\n        a: {type: string}\n";
    let message = match vapigen::generate_from_str(spec, &templates()) {
        Ok(_) => panic!("refused"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        message,
        "#/components/schemas/Top: the schema name `Top` without a service path is not supported: name it as VMware \
         does, `<Service path>.<Name>` (`Vcenter.Namespaces.Instances.StorageSpec`)"
    );
}
