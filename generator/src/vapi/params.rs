//! Parameters: how each value goes on the wire, and the names the method's arguments get.
//!
//! - A path or query value is one of: a string, an id, an enum, an integer, a boolean.
//! - A query parameter may also be a list or set of those, sent form-style and exploded, one
//!   pair per item (`?names=a&names=b`), or an object (VMware's `FilterSpec`s and
//!   `IterationSpec`s, `style: form, explode: true`), sent as one pair per set field
//!   (`?local=true&paired=false`), the field's items exploded the same way; an object field
//!   must hold such values, not another object.
//! - Two parameters, object fields or fixed query pairs that would send the same query key
//!   are a problem: the server would see one value twice.
//! - An argument named like one of the method's own names (`spec`, the request body, when
//!   there is one; `credentials`, the login's; `call`, the request being built) takes its
//!   location as a suffix: a query parameter `spec` beside a body becomes `spec_query`.

use std::collections::BTreeMap;

use crate::error::{Error, Problems};
use crate::model::{Auth, Model, Operation, ParamLocation, ParamShape, Ty, TypeKind};
use crate::names;
use crate::pointer::Pointer;

/// The argument of the request body.
pub const BODY: &str = "spec";
/// The argument of the login's credentials.
pub const CREDENTIALS: &str = "credentials";
/// The local the request is built in.
pub const CALL: &str = "call";

pub fn apply(model: &mut Model, problems: &mut Problems) {
    let kinds: BTreeMap<String, Kind> = model
        .types
        .iter()
        .map(|(name, def)| {
            let kind = match &def.kind {
                TypeKind::Enum(_) => Kind::Enum,
                TypeKind::Struct(s) => Kind::Struct(
                    s.fields
                        .iter()
                        .map(|f| (f.wire.clone(), f.ty.clone(), f.pointer.clone()))
                        .collect(),
                ),
                TypeKind::Alias(_) => Kind::Other,
            };
            (name.clone(), kind)
        })
        .collect();
    for op in model.operations.values_mut() {
        shapes(op, &kinds, problems);
        rename(op);
    }
}

enum Kind {
    Enum,
    /// Fields: wire name, type, place.
    Struct(Vec<(String, Ty, Pointer)>),
    Other,
}

/// Whether a value of this type has one text form for a path or query.
fn is_value(ty: &Ty, kinds: &BTreeMap<String, Kind>) -> bool {
    match ty {
        Ty::String | Ty::Id(_) | Ty::Bool | Ty::I32 | Ty::I64 => true,
        Ty::Named(name) => matches!(kinds.get(name), Some(Kind::Enum)),
        _ => false,
    }
}

fn shapes(op: &mut Operation, kinds: &BTreeMap<String, Kind>, problems: &mut Problems) {
    // Query key -> where it comes from, to find two that send the same key.
    let mut keys: BTreeMap<String, Pointer> = op
        .fixed_query
        .iter()
        .map(|(key, _)| {
            (
                key.clone(),
                Pointer::root().join("paths").join(&op.path_key),
            )
        })
        .collect();
    let mut claim = |key: &str, at: &Pointer, problems: &mut Problems| {
        if let Some(first) = keys.insert(key.to_owned(), at.clone()) {
            problems.push(Error::invalid(
                at,
                format!("sends the query key `{key}`, which {first} sends too"),
            ));
        }
    };
    for param in &mut op.params {
        let items = match &param.ty {
            Ty::List(item) | Ty::Set(item) => Some(item.as_ref()),
            _ => None,
        };
        param.shape = if is_value(&param.ty, kinds) {
            ParamShape::Value
        } else if param.location == ParamLocation::Query
            && items.is_some_and(|i| is_value(i, kinds))
        {
            ParamShape::Values
        } else if let (ParamLocation::Query, Ty::Named(name)) = (param.location, &param.ty) {
            let Some(Kind::Struct(fields)) = kinds.get(name) else {
                problems.push(unsupported(&param.pointer, &param.ty));
                continue;
            };
            for (wire, ty, at) in fields {
                let field_items = match ty {
                    Ty::List(item) | Ty::Set(item) => Some(item.as_ref()),
                    _ => None,
                };
                let plain = is_value(ty, kinds)
                    || matches!(ty, Ty::DateTime | Ty::F32 | Ty::F64)
                    || field_items.is_some_and(|i| is_value(i, kinds) || *i == Ty::DateTime);
                if !plain {
                    problems.push(Error::unsupported(
                        at,
                        format!("a field of {ty} in an object sent as query parameter `{}`", param.wire),
                        "form-style query objects hold strings, ids, enums, numbers, booleans, date-times and lists of them",
                    ));
                }
                claim(wire, at, problems);
            }
            ParamShape::Object
        } else {
            problems.push(unsupported(&param.pointer, &param.ty));
            continue;
        };
        if param.location == ParamLocation::Query && param.shape != ParamShape::Object {
            claim(&param.wire, &param.pointer, problems);
        }
    }
}

fn unsupported(at: &Pointer, ty: &Ty) -> Error {
    Error::unsupported(
        at,
        format!("a parameter of {ty}"),
        "path values are strings, ids, enums, integers or booleans; a query may also take lists of them and form-style objects",
    )
}

/// Gives an argument that clashes with one of the method's own names its location as a
/// suffix.
fn rename(op: &mut Operation) {
    let mut taken: Vec<&str> = vec![CALL];
    if op.body.is_some() {
        taken.push(BODY);
    }
    if op.auth == Auth::Basic {
        taken.push(CREDENTIALS);
    }
    for param in &mut op.params {
        if taken.contains(&param.rust.as_str()) {
            let location = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
            };
            param.rust = names::located_param(&param.rust, location);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, with_paths};
    use crate::model::ParamShape;

    const FILTER: &str = r#"    Snap.Sites.FilterSpec:
      type: object
      properties:
        local: {type: boolean}
        since: {type: string, format: date-time}
        names: {type: array, items: {type: string}}
"#;

    fn list(params: &str, schemas: &str) -> String {
        with_paths(
            &format!(
                r#"  /snap/sites:
    post:
      tags: [Snap.Sites]
      operationId: Snap.Sites_list
      parameters:
{params}      requestBody:
        content: {{application/json: {{schema: {{type: string}}}}}}
      responses:
        '204': {{description: done}}
"#
            ),
            schemas,
        )
    }

    #[test]
    fn lists_and_objects_in_the_query() {
        let text = list(
            r#"        - name: filter
          in: query
          style: form
          explode: true
          schema: {$ref: '#/components/schemas/Snap.Sites.FilterSpec'}
        - name: sites
          in: query
          description: 'the property must contain identifiers for the resource type: `com.vmware.snap.site`.'
          schema: {type: array, uniqueItems: true, items: {type: string}}
        - name: spec
          in: query
          schema: {type: string}
"#,
            FILTER,
        );
        let model = normalize(&text).expect("normalizes");
        let params = &model.operations["Snap.Sites_list"].params;
        let shapes: Vec<(&str, &str, ParamShape)> = params
            .iter()
            .map(|p| (p.wire.as_str(), p.rust.as_str(), p.shape))
            .collect();
        assert_eq!(
            shapes,
            [
                ("filter", "filter", ParamShape::Object),
                ("sites", "sites", ParamShape::Values),
                // Beside the body (`spec`), the query's `spec` takes its location as a suffix.
                ("spec", "spec_query", ParamShape::Value),
            ]
        );
    }

    #[test]
    fn a_query_key_sent_twice_is_an_error() {
        let text = list(
            r#"        - name: filter
          in: query
          schema: {$ref: '#/components/schemas/Snap.Sites.FilterSpec'}
        - name: local
          in: query
          schema: {type: boolean}
"#,
            FILTER,
        );
        assert_eq!(
            error_of(&text),
            "#/paths/~1snap~1sites/post/parameters/1: sends the query key `local`, which #/components/schemas/Snap.Sites.FilterSpec/properties/local sends too"
        );
    }

    #[test]
    fn an_object_in_a_path_is_an_error() {
        let text = with_paths(
            r#"  /snap/sites/{site}:
    get:
      tags: [Snap.Sites]
      operationId: Snap.Sites_get
      parameters:
        - {name: site, in: path, required: true, schema: {$ref: '#/components/schemas/Snap.Sites.FilterSpec'}}
      responses:
        '204': {description: done}
"#,
            FILTER,
        );
        assert!(
            error_of(&text).starts_with("#/paths/~1snap~1sites~1{site}/get/parameters/0: a parameter of `Snap.Sites.FilterSpec` is not supported"),
            "{}",
            error_of(&text)
        );
    }
}
