//! Small specs, one per shape or failure, run through the whole pipeline.
//!
//! Shapes are snapshotted (all emitted Rust of the fixture in one snapshot); failures
//! assert the exact message, JSON pointer first.

use std::collections::BTreeMap;
use std::path::Path;

use vapigen::{CrateSettings, Templates};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn templates() -> Templates {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        "[package]\nname = \"{{name}}\"\n\n[dependencies]\nvapi-runtime = { path = \"{{runtime}}\" }\n\n[features]\n{{features}}\n"
            .to_owned(),
    );
    Templates { files }
}

fn settings() -> CrateSettings {
    CrateSettings {
        name: "fixture".to_owned(),
        runtime_path: "../runtime".to_owned(),
    }
}

fn generate(spec: &str) -> vapigen::Result<vapigen::Generated> {
    vapigen::generate_from_str(spec, &templates(), &settings())
}

/// Every emitted Rust file of a fixture's types and operations, in path order, each under a
/// `// ---- path` line (the crate root and client, the same for every spec, are left to the
/// real spec's snapshots).
fn emitted(name: &str) -> String {
    let generated =
        generate(&fixture(name)).unwrap_or_else(|e| panic!("{name} should generate: {e}"));
    generated
        .files
        .iter()
        .filter(|(path, _)| {
            path.ends_with(".rs") && !matches!(path.as_str(), "src/lib.rs" | "src/client.rs")
        })
        .map(|(path, text)| format!("// ---- {path}\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one problem a fixture has (its message, JSON pointer first).
fn error_of(name: &str) -> String {
    match errors_of(&fixture(name)).as_slice() {
        [one] => one.clone(),
        many => panic!("{name}: expected one problem, got {many:#?}"),
    }
}

fn errors_of(spec: &str) -> Vec<String> {
    match generate(spec) {
        Ok(_) => panic!("the spec should be refused"),
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
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
    assert_eq!(
        errors_of(spec),
        [
        "#/components/schemas/Top: the schema name `Top` without a service path is not supported: name it as VMware \
         does, `<Service path>.<Name>` (`Vcenter.Namespaces.Instances.StorageSpec`)"
        ]
    );
}

#[test]
fn every_problem_of_a_spec_in_one_run() {
    let spec = fixture("several_problems.yaml");
    let problems = errors_of(&spec);
    assert_eq!(
        problems,
        [
            "#/components/schemas/Vcenter.Things.FilterSpec/properties/inner: a field of `Vcenter.Things.Info` in an object sent as query parameter `filter` is not supported: form-style query objects hold strings, ids, enums, numbers, booleans, date-times and lists of them",
            "#/components/schemas/Vcenter.Things.Info/properties/--: the property name `--` cannot become a Rust name",
            "#/components/schemas/Vcenter.Things.Info/properties/label: `minLength` 9 is greater than `maxLength` 3: no value can be sent",
            "#/components/schemas/Vcenter.Things.Info/properties/name/pattern: the pattern does not compile: unclosed character class",
            "#/components/schemas/Vcenter.Things.Info/properties/owner: `$ref: #/components/schemas/Vcenter.Things.Nobody` points at nothing in the document",
            "#/paths/~1a~1{id}/get: the path names `{id}` but no path parameter `id` is declared",
            "#/paths/~1a~1{id}/get/responses/400/description: `Vapi.Std.Errors.NoSuchKind` is not one of the error kinds of #/components/schemas/Vapi.Std.Errors.Error.Type",
            "#/paths/~1b/post/tags: the operation has no tag; VMware tags each operation with its service (`Vcenter.Namespaces`)",
        ]
        .map(str::to_owned)
    );
    let all = match generate(&spec) {
        Ok(_) => panic!("refused"),
        Err(e) => e.to_string(),
    };
    assert!(
        all.starts_with("8 problems in the spec:\n  #/components/"),
        "{all}"
    );
}

#[test]
fn an_alias_cycle_is_refused() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A.B.One: {$ref: '#/components/schemas/A.B.Two'}\n    A.B.Two: {$ref: '#/components/schemas/A.B.One'}\n";
    assert_eq!(
        errors_of(spec),
        [
            "#/components/schemas/A.B.One: `$ref: #/components/schemas/A.B.One` is part of a cycle of references",
            "#/components/schemas/A.B.Two: `$ref: #/components/schemas/A.B.Two` is part of a cycle of references",
        ]
    );
}

#[test]
fn an_alias_that_contains_itself_through_a_list_or_map_is_refused() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A.B.Info: {type: array, items: {$ref: '#/components/schemas/A.B.Info'}}\n    A.B.Tree: {type: object, additionalProperties: {$ref: '#/components/schemas/A.B.Forest'}}\n    A.B.Forest: {type: array, items: {$ref: '#/components/schemas/A.B.Tree'}}\n    A.B.Node: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/A.B.Node'}}}}\n";
    let hint = "is not supported: it would be a Rust `type` alias, which cannot be recursive; make it an object with a property holding the list";
    assert_eq!(
        errors_of(spec),
        [
            format!("#/components/schemas/A.B.Forest: a schema that contains itself only through lists, maps or other aliases {hint}"),
            format!("#/components/schemas/A.B.Info: a schema that contains itself only through lists, maps or other aliases {hint}"),
            format!("#/components/schemas/A.B.Tree: a schema that contains itself only through lists, maps or other aliases {hint}"),
        ],
        "a struct that holds a list of itself (`Node`) is fine"
    );
}

#[test]
fn a_schema_named_like_a_prelude_trait_is_refused() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A.B.From: {type: object, properties: {x: {type: string}}}\n";
    assert_eq!(
        errors_of(spec),
        ["#/components/schemas/A.B.From: a schema whose Rust name is `From` is not supported: it would shadow Rust's own item of that name in the generated module"]
    );
}

#[test]
fn a_swagger_2_document_is_told_so() {
    let spec = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
    assert_eq!(
        errors_of(spec),
        ["#/swagger: a Swagger 2.0 document is not supported: convert it to OpenAPI 3.0 first (for example with `npx swagger2openapi`); VMware publishes its 7.0+ specs as OpenAPI 3.0"]
    );
}
