//! The Vapi standard types, which the runtime owns: `Vapi.Std.Errors.Error` and its kinds,
//! `Vapi.Std.Errors.Error.Type`, `Vapi.Std.LocalizableMessage`, and the error data types
//! `ArgumentLocations`, `FileLocations`, `TransientIndication`.
//!
//! The runtime decodes every error answer and task info into its own types, so that it
//! compiles without any generated code. The spec's schemas of those names are not emitted:
//! references to them name the runtime's type (`::vapi_runtime::StdErrorBody`). Each is
//! compared with what the runtime reads first: a field the runtime reads must have the type
//! it reads it as, or the spec and the runtime would disagree on the wire; the problem names
//! the field's place. Fields the runtime does not read are allowed (its decoding skips
//! them), so a spec that grows a field still generates.
//!
//! The error kinds are the spec's own (`vapi::errors` reads them from `Error.Type`); a kind
//! the runtime's `ErrorType` has no variant for (one newer than the runtime) is matched by
//! its wire value instead.

use crate::error::{Error, Problems};
use crate::model::{Model, RuntimeType, Ty, TypeKind};
use crate::pointer::Pointer;

/// The wire values of the runtime's `ErrorType` variants, in the order of its `ALL`
/// (a test of the workspace keeps the two equal).
pub const RUNTIME_KINDS: &[&str] = &[
    "ERROR",
    "ALREADY_EXISTS",
    "ALREADY_IN_DESIRED_STATE",
    "CANCELED",
    "CONCURRENT_CHANGE",
    "FEATURE_IN_USE",
    "INTERNAL_SERVER_ERROR",
    "INVALID_ARGUMENT",
    "INVALID_ELEMENT_CONFIGURATION",
    "INVALID_ELEMENT_TYPE",
    "INVALID_REQUEST",
    "NOT_ALLOWED_IN_CURRENT_STATE",
    "NOT_FOUND",
    "OPERATION_NOT_FOUND",
    "RESOURCE_BUSY",
    "RESOURCE_IN_USE",
    "RESOURCE_INACCESSIBLE",
    "SERVICE_UNAVAILABLE",
    "TIMED_OUT",
    "UNABLE_TO_ALLOCATE_RESOURCE",
    "UNAUTHENTICATED",
    "UNAUTHORIZED",
    "UNEXPECTED_INPUT",
    "UNSUPPORTED",
    "UNVERIFIED_PEER",
];

const ERRORS: &str = "Vapi.Std.Errors.";
const ERROR_TYPE: &str = "Vapi.Std.Errors.Error.Type";
const MESSAGE: &str = "Vapi.Std.LocalizableMessage";

/// How the runtime reads a field.
#[derive(Clone, Copy)]
enum Reads {
    Text,
    Flag,
    TextList,
    /// Any JSON value.
    Anything,
    /// A list of `LocalizableMessage`.
    Messages,
    /// An error kind: the enum, or its wire text.
    Kind,
}

impl Reads {
    fn accepts(self, ty: &Ty) -> bool {
        let ty = match ty {
            Ty::Nullable(inner) => inner,
            ty => ty,
        };
        match self {
            Reads::Text => *ty == Ty::String,
            Reads::Flag => *ty == Ty::Bool,
            Reads::TextList => matches!(ty, Ty::List(item) | Ty::Set(item) if **item == Ty::String),
            Reads::Anything => true,
            Reads::Messages => {
                matches!(ty, Ty::List(item) if is(item, MESSAGE, RuntimeType::LocalizableMessage))
            }
            Reads::Kind => *ty == Ty::String || is(ty, ERROR_TYPE, RuntimeType::ErrorType),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Reads::Text => "a string",
            Reads::Flag => "a boolean",
            Reads::TextList => "a list of strings",
            Reads::Anything => "any value",
            Reads::Messages => "a list of `Vapi.Std.LocalizableMessage`",
            Reads::Kind => "`Vapi.Std.Errors.Error.Type` (or its wire string)",
        }
    }
}

fn is(ty: &Ty, schema: &str, runtime: RuntimeType) -> bool {
    matches!(ty, Ty::Named(name) if name == schema) || *ty == Ty::Runtime(runtime)
}

/// The fields the runtime reads of each type it owns.
fn reads(runtime: RuntimeType) -> &'static [(&'static str, Reads)] {
    match runtime {
        RuntimeType::StdErrorBody => &[
            ("error_type", Reads::Kind),
            ("messages", Reads::Messages),
            ("data", Reads::Anything),
            ("challenge", Reads::Text),
        ],
        RuntimeType::LocalizableMessage => &[
            ("id", Reads::Text),
            ("default_message", Reads::Text),
            ("args", Reads::TextList),
            ("params", Reads::Anything),
            ("localized", Reads::Text),
        ],
        RuntimeType::ArgumentLocations | RuntimeType::FileLocations => {
            &[("primary", Reads::Text), ("secondary", Reads::TextList)]
        }
        RuntimeType::TransientIndication => &[("is_transient", Reads::Flag)],
        RuntimeType::ErrorType => &[],
    }
}

/// The runtime type a schema stands for, if any.
fn runtime_type_of(schema: &str) -> Option<RuntimeType> {
    Some(match schema {
        ERROR_TYPE => RuntimeType::ErrorType,
        MESSAGE => RuntimeType::LocalizableMessage,
        "Vapi.Std.Errors.ArgumentLocations" => RuntimeType::ArgumentLocations,
        "Vapi.Std.Errors.FileLocations" => RuntimeType::FileLocations,
        "Vapi.Std.Errors.TransientIndication" => RuntimeType::TransientIndication,
        // The error itself and its kinds (`Vapi.Std.Errors.NotFound`: the error, perhaps
        // with a field of its own such as `challenge`).
        _ if schema.starts_with(ERRORS) && !schema[ERRORS.len()..].contains('.') => {
            RuntimeType::StdErrorBody
        }
        _ => return None,
    })
}

pub fn apply(model: &mut Model, problems: &mut Problems) {
    let mut mapped = std::collections::BTreeMap::new();
    for (name, def) in &model.types {
        let Some(runtime) = runtime_type_of(name) else {
            continue;
        };
        let agrees = match (&def.kind, runtime) {
            (TypeKind::Enum(_), RuntimeType::ErrorType) => true,
            (TypeKind::Struct(s), runtime) if runtime != RuntimeType::ErrorType => {
                let before = problems.len();
                // A kind's fields from `Vapi.Std.Errors.Error` are checked there, once.
                let own_prefix = format!("{}/", def.pointer);
                let own = s
                    .fields
                    .iter()
                    .filter(|f| f.pointer.as_str().starts_with(&own_prefix));
                for field in own {
                    let read = reads(runtime).iter().find(|(wire, _)| *wire == field.wire);
                    if let Some((_, how)) = read.filter(|(_, how)| !how.accepts(&field.ty)) {
                        problems.push(Error::invalid(
                            &field.pointer,
                            format!(
                                "the runtime reads `{}` of `{name}` as {}, but the spec says it is {}",
                                field.wire,
                                how.describe(),
                                field.ty
                            ),
                        ));
                    }
                }
                problems.len() == before
            }
            _ => {
                problems.push(shape_problem(&def.pointer, name, runtime));
                false
            }
        };
        if agrees {
            mapped.insert(name.clone(), runtime);
        }
    }
    for name in mapped.keys() {
        model.types.remove(name);
    }
    model.visit_tys_mut(&mut |ty| replace(ty, &mapped));
    for op in model.operations.values_mut() {
        for case in &mut op.errors {
            case.known_to_runtime = RUNTIME_KINDS.contains(&case.wire.as_str());
        }
    }
    model.runtime_types = mapped;
}

fn shape_problem(at: &Pointer, name: &str, runtime: RuntimeType) -> Error {
    let expected = match runtime {
        RuntimeType::ErrorType => "a string enum",
        _ => "an object",
    };
    Error::invalid(
        at,
        format!(
            "the runtime's `{}` stands for `{name}`, which must be {expected}",
            runtime.name()
        ),
    )
}

fn replace(ty: &mut Ty, mapped: &std::collections::BTreeMap<String, RuntimeType>) {
    match ty {
        Ty::Named(name) => {
            if let Some(runtime) = mapped.get(name.as_str()) {
                *ty = Ty::Runtime(*runtime);
            }
        }
        Ty::List(inner) | Ty::Set(inner) | Ty::Nullable(inner) => replace(inner, mapped),
        Ty::Map { key, value } => {
            replace(key, mapped);
            replace(value, mapped);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, indent, normalize, spec};
    use crate::model::{RuntimeType, Ty};

    const NOT_FOUND: &str = r#"
        '404':
          description: if it is not there.
          content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.NotFound'}}}
        "#;
    const OK: &str = "'204': {description: done}";

    #[test]
    fn the_standard_types_become_the_runtimes() {
        let model = normalize(&spec(
            "/a",
            "A.B_run",
            &format!("{OK}\n{}", indent(NOT_FOUND, 0)),
            "",
        ))
        .expect("normalizes");
        assert_eq!(
            model.runtime_types["Vapi.Std.Errors.NotFound"],
            RuntimeType::StdErrorBody
        );
        assert_eq!(
            model.runtime_types["Vapi.Std.Errors.Error.Type"],
            RuntimeType::ErrorType
        );
        assert!(!model.types.contains_key("Vapi.Std.LocalizableMessage"));
        let op = &model.operations["A.B_run"];
        assert_eq!(
            op.responses[1].body,
            Some(Ty::Runtime(RuntimeType::StdErrorBody))
        );
        assert!(op.errors[0].known_to_runtime);
    }

    #[test]
    fn a_kind_newer_than_the_runtime_is_matched_by_its_wire_value() {
        let too_many = r#"
        '429':
          description: "***Vapi.Std.Errors.TooManyRequests*** if slow down."
          content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.Error'}}}
        "#;
        let text = spec(
            "/a",
            "A.B_run",
            &format!("{OK}\n{}", indent(too_many, 0)),
            "",
        )
        .replace("enum: [ERROR,", "enum: [TOO_MANY_REQUESTS, ERROR,");
        let model = normalize(&text).expect("normalizes");
        let case = &model.operations["A.B_run"].errors[0];
        assert_eq!(
            (case.wire.as_str(), case.known_to_runtime),
            ("TOO_MANY_REQUESTS", false)
        );
    }

    #[test]
    fn a_field_the_runtime_reads_otherwise_is_an_error() {
        let text = spec("/a", "A.B_run", OK, "").replace(
            "messages: {type: array, items: {$ref: '#/components/schemas/Vapi.Std.LocalizableMessage'}}",
            "messages: {type: string}",
        );
        assert_eq!(
            error_of(&text),
            "#/components/schemas/Vapi.Std.Errors.Error/properties/messages: the runtime reads `messages` of `Vapi.Std.Errors.Error` as a list of `Vapi.Std.LocalizableMessage`, but the spec says it is a string"
        );
    }
}
