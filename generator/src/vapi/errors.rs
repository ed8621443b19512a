//! The Vapi standard errors: which kinds each operation documents, and at which status.
//!
//! A status answered by one kind names its schema (`401 -> Vapi.Std.Errors.Unauthenticated`);
//! a status shared by several names `Vapi.Std.Errors.Error` and lists the kinds in its
//! description, one paragraph each: `***Vapi.Std.Errors.AlreadyExists*** if ...`. Both
//! become `ErrorCase`s, one per kind, which the emitter turns into the variants of the
//! operation's error enum. The kinds are the values of the spec's own
//! `Vapi.Std.Errors.Error.Type` enum, so the list lives in one place: the spec.

use std::sync::LazyLock;

use regex::Regex;

use std::collections::BTreeMap;

use crate::error::{Error, Problems, Result};
use crate::model::{Docs, ErrorCase, Model, Operation, Status, Success, Ty, TypeKind};
use crate::names;
use crate::pointer::Pointer;

/// The schema whose enum lists the error kinds.
pub const ERROR_TYPE_SCHEMA: &str = "Vapi.Std.Errors.Error.Type";
const PREFIX: &str = "Vapi.Std.Errors.";

static GROUPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\*\*\*Vapi\.Std\.Errors\.([A-Za-z0-9_]*)\*\*\*").expect("valid regex")
});

/// A known error kind: `NotFound` with wire value `NOT_FOUND`.
struct Kind {
    name: String,
    wire: String,
}

pub fn apply(model: &mut Model, problems: &mut Problems) {
    let kinds = known_kinds(model);
    for op in model.operations.values_mut() {
        op.success = problems.take(success(op));
        let mut cases: Vec<ErrorCase> = Vec::new();
        for response in &op.responses {
            let status = match response.status {
                Status::Code(code) if code >= 300 => code,
                // `default` documents nothing specific: the fallback variant covers it.
                _ => continue,
            };
            let Some(kinds) = kinds.as_deref() else {
                problems.push(Error::invalid(
                    &response.pointer,
                    format!("errors need the kinds of #/components/schemas/{ERROR_TYPE_SCHEMA}, which the spec lacks"),
                ));
                continue;
            };
            let found = cases_of(
                kinds,
                status,
                &response.body,
                &response.docs.text,
                &response.pointer,
            );
            for case in problems.take(found).into_iter().flatten() {
                match cases.iter_mut().find(|c| c.kind == case.kind) {
                    // One kind documented at two statuses stays one variant, with both.
                    Some(existing) => {
                        existing.statuses.extend(case.statuses);
                        existing.docs.text =
                            format!("{}\n\n{}", existing.docs.text, case.docs.text);
                    }
                    None => cases.push(case),
                }
            }
        }
        op.kind_by_status = kind_by_status(&cases);
        op.errors = cases;
    }
}

/// The statuses at which exactly one kind is documented: there the status alone decides
/// when a body carries no `error_type`.
fn kind_by_status(cases: &[ErrorCase]) -> BTreeMap<u16, String> {
    let mut by_status: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for case in cases {
        for status in &case.statuses {
            by_status.entry(*status).or_default().push(&case.kind);
        }
    }
    by_status
        .into_iter()
        .filter_map(|(status, kinds)| match kinds.as_slice() {
            [only] => Some((status, (*only).to_owned())),
            _ => None,
        })
        .collect()
}

fn known_kinds(model: &Model) -> Option<Vec<Kind>> {
    let def = model.types.get(ERROR_TYPE_SCHEMA)?;
    let TypeKind::Enum(e) = &def.kind else {
        return None;
    };
    Some(
        e.variants
            .iter()
            .map(|v| Kind {
                name: v.rust.clone(),
                wire: v.wire.clone(),
            })
            .collect(),
    )
}

fn success(op: &Operation) -> Result<Success> {
    let mut successes = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, Status::Code(200..=299)));
    let Some(first) = successes.next() else {
        return Err(Error::invalid(
            &op.pointer.join("responses"),
            "the operation documents no success (2xx) response",
        ));
    };
    if let Some(second) = successes.next() {
        return Err(Error::unsupported(
            &second.pointer,
            "a second success status",
            "a Vapi operation answers one success status; list only that one",
        ));
    }
    let Status::Code(status) = first.status else {
        unreachable_default()
    };
    Ok(Success {
        status,
        body: first.body.clone(),
        // `vapi::secrets` adds the answers that hold a secret inside.
        secret: first.secret,
        docs: first.docs.clone(),
    })
}

/// The filter above only lets numeric statuses through.
fn unreachable_default() -> ! {
    unreachable!("a 2xx status is a code")
}

fn cases_of(
    kinds: &[Kind],
    status: u16,
    body: &Option<Ty>,
    text: &str,
    at: &Pointer,
) -> Result<Vec<ErrorCase>> {
    let schema = match body {
        Some(Ty::Named(schema)) if schema.starts_with(PREFIX) => schema,
        _ => return Err(Error::unsupported(
            at,
            "an error response whose body is not a `Vapi.Std.Errors` schema",
            "vSphere answers errors with a standard error; `$ref` the matching `Vapi.Std.Errors.X`",
        )),
    };
    let markers: Vec<_> = GROUPED.captures_iter(text).collect();
    if markers.is_empty() {
        let name = &schema[PREFIX.len()..];
        let kind = find_kind(kinds, name, at)?;
        return Ok(vec![case(kind, status, text, at)]);
    }
    let mut cases = Vec::new();
    for (i, caps) in markers.iter().enumerate() {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let end = markers
            .get(i + 1)
            .and_then(|c| c.get(0))
            .map_or(text.len(), |m| m.start());
        let kind = find_kind(kinds, &caps[1], &at.join("description"))?;
        cases.push(case(kind, status, text[whole.end..end].trim(), at));
    }
    Ok(cases)
}

fn find_kind<'k>(kinds: &'k [Kind], name: &str, at: &Pointer) -> Result<&'k Kind> {
    kinds.iter().find(|k| k.name == name).ok_or_else(|| {
        Error::invalid(
            at,
            format!("`Vapi.Std.Errors.{name}` is not one of the error kinds of #/components/schemas/{ERROR_TYPE_SCHEMA}"),
        )
    })
}

fn case(kind: &Kind, status: u16, text: &str, at: &Pointer) -> ErrorCase {
    ErrorCase {
        kind: names::unraw(&kind.name).to_owned(),
        wire: kind.wire.clone(),
        statuses: vec![status],
        docs: Docs::new(Some(text)),
        pointer: at.clone(),
        // `vapi::std_types` says, once it has compared the kinds with the runtime's.
        known_to_runtime: false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, indent, normalize, spec};

    /// The operation's responses: `204`, then `more`.
    fn responses(more: &str) -> String {
        format!("'204': {{description: done}}\n{}", indent(more, 0))
    }

    fn cases(more: &str) -> Vec<(u16, String, String)> {
        let model = normalize(&spec("/a", "A.B_run", &responses(more), "")).expect("normalizes");
        let op = &model.operations["A.B_run"];
        op.errors
            .iter()
            .map(|c| (c.statuses[0], c.kind.clone(), c.docs.text.clone()))
            .collect()
    }

    #[test]
    fn single_schema_status() {
        let found = cases(
            r#"
            '404':
              description: if the thing is not there.
              content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.NotFound'}}}
            "#,
        );
        assert_eq!(
            found,
            [(
                404,
                "NotFound".to_owned(),
                "if the thing is not there.".to_owned()
            )]
        );
    }

    #[test]
    fn grouped_status_gives_one_case_per_paragraph() {
        let found = cases(
            r#"
            '400':
              description: |-
                ***Vapi.Std.Errors.AlreadyExists*** if it exists.

                ***Vapi.Std.Errors.InvalidArgument*** if the spec is wrong.
              content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.Error'}}}
            "#,
        );
        assert_eq!(
            found,
            [
                (400, "AlreadyExists".to_owned(), "if it exists.".to_owned()),
                (
                    400,
                    "InvalidArgument".to_owned(),
                    "if the spec is wrong.".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn unknown_kind_in_grouped_description_is_an_error() {
        let more = r#"
            '400':
              description: "***Vapi.Std.Errors.NoSuchKind*** if never."
              content: {application/json: {schema: {$ref: '#/components/schemas/Vapi.Std.Errors.Error'}}}
            "#;
        assert_eq!(
            error_of(&spec("/a", "A.B_run", &responses(more), "")),
            "#/paths/~1a/post/responses/400/description: `Vapi.Std.Errors.NoSuchKind` is not one of the error kinds of #/components/schemas/Vapi.Std.Errors.Error.Type"
        );
    }

    #[test]
    fn error_status_with_a_foreign_schema_is_refused() {
        let more = r#"
            '500':
              description: oops
              content: {application/json: {schema: {type: string}}}
            "#;
        let message = error_of(&spec("/a", "A.B_run", &responses(more), ""));
        assert!(message.starts_with("#/paths/~1a/post/responses/500: an error response whose body is not a `Vapi.Std.Errors` schema is not supported"), "{message}");
    }

    #[test]
    fn two_success_statuses_are_refused() {
        let message = error_of(&spec(
            "/a",
            "A.B_run",
            &responses("'200': {description: also}"),
            "",
        ));
        assert!(
            message.starts_with(
                "#/paths/~1a/post/responses/200: a second success status is not supported"
            ),
            "{message}"
        );
    }
}
