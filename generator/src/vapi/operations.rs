//! VMware's operation naming and path keys.
//!
//! - operationId `<Service>_<operation>`, task variants ending in `$Task`
//!   (`Esx.Settings.Depots.Offline_createFromHost$Task`) -> method `create_from_host`;
//! - a query in the path key (`?action=createFromHost&vmw-task=true`) -> the path plus
//!   fixed query pairs that every call sends and the caller never sees;
//! - `vmw-task=true` with `$Task` -> a task operation (one without the other is an error).

use std::collections::BTreeSet;

use crate::error::{Error, Problems, Result};
use crate::model::{Model, Operation};
use crate::names;
use crate::pointer::Pointer;

const TASK_SUFFIX: &str = "$Task";

pub fn apply(model: &mut Model, problems: &mut Problems) {
    for op in model.operations.values_mut() {
        problems.take(fixed_query(op));
        problems.take(mark_task(op));
        problems.take(name_from_operation_id(op));
    }
    disambiguate_task_variants(model);
}

/// The query of the path key (`?action=createFromHost&vmw-task=true`) -> fixed pairs; the
/// path before it was parsed by `lower`.
fn fixed_query(op: &mut Operation) -> Result<()> {
    let Some((_, query)) = op.path_key.split_once('?') else {
        return Ok(());
    };
    let path_at = Pointer::root().join("paths").join(&op.path_key);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() && !pairs.iter().any(|(k, _)| k == key) => {
                pairs.push((key.to_owned(), value.to_owned()));
            }
            _ => {
                return Err(Error::invalid(
                    &path_at,
                    format!("the fixed query `{pair}` of the path key needs a unique `name=value`"),
                ))
            }
        }
    }
    op.fixed_query = pairs;
    Ok(())
}

fn mark_task(op: &mut Operation) -> Result<()> {
    let by_query = op
        .fixed_query
        .iter()
        .any(|(k, v)| k == "vmw-task" && v == "true");
    let by_id = op.operation_id.ends_with(TASK_SUFFIX);
    if by_query != by_id {
        return Err(Error::invalid(
            &op.pointer.join("operationId"),
            format!(
                "`{}` and its path disagree on being a task: VMware pairs the `$Task` suffix with `vmw-task=true`",
                op.operation_id
            ),
        ));
    }
    op.task = by_query;
    Ok(())
}

fn name_from_operation_id(op: &mut Operation) -> Result<()> {
    let at = op.pointer.join("operationId");
    let id = op
        .operation_id
        .strip_suffix(TASK_SUFFIX)
        .unwrap_or(&op.operation_id);
    let Some((service, name)) = id.rsplit_once('_') else {
        return Err(Error::invalid(
            &at,
            format!(
                "`{}` is not of the form `<Service>_<operation>`",
                op.operation_id
            ),
        ));
    };
    if service != op.service {
        return Err(Error::invalid(
            &at,
            format!(
                "`{}` does not start with its tag `{}`",
                op.operation_id, op.service
            ),
        ));
    }
    if !names::is_usable(name) {
        return Err(Error::invalid(
            &at,
            format!("`{name}` cannot become a Rust method name"),
        ));
    }
    op.method_name = names::to_snake(name);
    Ok(())
}

/// `$Task` leaves the method name, unless the service also has the plain operation: then
/// the task variant is `<name>_task`. Any other clash is reported by `vapi::namespaces`.
fn disambiguate_task_variants(model: &mut Model) {
    let plain: BTreeSet<(String, String)> = model
        .operations
        .values()
        .filter(|op| !op.task)
        .map(|op| (op.service.clone(), op.method_name.clone()))
        .collect();
    for op in model.operations.values_mut() {
        if op.task && plain.contains(&(op.service.clone(), op.method_name.clone())) {
            op.method_name = names::task_variant(&op.method_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, spec};

    const OK: &str = r#"
        '202':
          description: 'The response will be an identifier for the resource type: `com.vmware.cis.task`.'
          content: {application/json: {schema: {type: string}}}
        "#;

    #[test]
    fn fixed_query_and_task_variant() {
        let model = normalize(&spec(
            "/esx/depots?action=createFromHost&vmw-task=true",
            "Esx.Depots_createFromHost$Task",
            OK,
            "",
        ))
        .expect("normalizes");
        let op = &model.operations["Esx.Depots_createFromHost$Task"];
        assert_eq!(op.path.to_string(), "/esx/depots");
        assert_eq!(
            op.fixed_query,
            [
                ("action".to_owned(), "createFromHost".to_owned()),
                ("vmw-task".to_owned(), "true".to_owned())
            ]
        );
        assert!(op.task);
        assert_eq!(op.method_name, "create_from_host");
    }

    #[test]
    fn task_suffix_without_vmw_task_is_an_error() {
        assert_eq!(
            error_of(&spec("/esx/depots?action=createFromHost", "Esx.Depots_createFromHost$Task", OK, "")),
            "#/paths/~1esx~1depots?action=createFromHost/post/operationId: `Esx.Depots_createFromHost$Task` and its path disagree on being a task: VMware pairs the `$Task` suffix with `vmw-task=true`"
        );
    }

    #[test]
    fn malformed_fixed_query_is_an_error() {
        assert_eq!(
            error_of(&spec("/a?action", "A.B_run", OK, "")),
            "#/paths/~1a?action: the fixed query `action` of the path key needs a unique `name=value`"
        );
    }

    #[test]
    fn operation_id_must_start_with_its_tag() {
        let text = spec("/a", "A.B_run", OK, "").replace("tags: [A.B]", "tags: [Other]");
        assert_eq!(
            error_of(&text),
            "#/paths/~1a/post/operationId: `A.B_run` does not start with its tag `Other`"
        );
    }
}
