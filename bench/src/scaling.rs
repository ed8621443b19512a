//! Synthetic specs: the real operations and schemas replicated under renamed services, to see
//! how the pipeline's time grows with the size of the spec.
//!
//! Copy `i` (from 1; copy 0 is the spec itself) prefixes every dotted schema name, tag and
//! operationId with `Bench{i}.` and every path with `/bench{i}`, and rewrites the `$ref`s
//! to match. The standard errors (`Vapi.*`) are shared, as they are in VMware's spec: the
//! error family is one for the whole API. So are the session and task services (the
//! operations of the services `vapigen` finds for login and tasks, `Cis.Session` and
//! `Cis.Tasks`): an API has one of each, which the runtime uses, and the generator refuses
//! a spec with two.

use std::collections::HashSet;

use serde_yaml::{Mapping, Value};

use super::codegen::time_generate;
use super::stats::median;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];
const SCHEMA_REF: &str = "#/components/schemas/";

/// The operationIds every copy shares: those of the session and task services.
fn shared_operations(spec: &str) -> Result<HashSet<String>, String> {
    let model = vapigen::model_from_str(spec).map_err(|e| format!("spec: {e}"))?;
    let services: Vec<&str> = model
        .session
        .iter()
        .map(|s| s.service.as_str())
        .chain(model.tasks.iter().map(|t| t.service.as_str()))
        .collect();
    Ok(model
        .operations
        .values()
        .filter(|op| services.contains(&op.service.as_str()))
        .map(|op| op.operation_id.clone())
        .collect())
}

fn operation_id(op: &Value) -> Option<&str> {
    op.get("operationId").and_then(Value::as_str)
}

/// A spec made of `copies` copies of `spec`, and how many operations it has.
pub fn synthetic_spec(spec: &str, copies: usize) -> Result<(String, usize), String> {
    let shared_ops = if copies > 1 {
        shared_operations(spec)?
    } else {
        HashSet::new()
    };
    let mut doc: Value = serde_yaml::from_str(spec).map_err(|e| format!("spec: {e}"))?;
    let root = doc.as_mapping_mut().ok_or("the spec is not a mapping")?;

    let tags = root
        .get("tags")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    let mut all_tags = tags.clone();
    for i in 1..copies {
        for tag in &tags {
            let mut tag = tag.clone();
            if let Some(Value::String(name)) = tag.get_mut("name") {
                *name = format!("Bench{i}.{name}");
            }
            all_tags.push(tag);
        }
    }
    root.insert("tags".into(), Value::Sequence(all_tags));

    let paths = root
        .get("paths")
        .and_then(Value::as_mapping)
        .cloned()
        .ok_or("the spec has no paths")?;
    let mut operations = operations_in(&paths);
    let mut all_paths = paths.clone();
    for i in 1..copies {
        for (key, item) in &paths {
            let key = key.as_str().ok_or("a path key is not a string")?;
            let mut item = item.clone();
            if let Some(item) = item.as_mapping_mut() {
                for method in METHODS {
                    if item
                        .get(method)
                        .and_then(operation_id)
                        .is_some_and(|id| shared_ops.contains(id))
                    {
                        item.remove(method);
                    }
                }
                if !METHODS.iter().any(|m| item.contains_key(*m)) {
                    continue;
                }
            }
            rename_refs(&mut item, i);
            if let Some(item) = item.as_mapping_mut() {
                for method in METHODS {
                    if let Some(Value::Mapping(op)) = item.get_mut(method) {
                        rename_operation(op, i);
                        operations += 1;
                    }
                }
            }
            all_paths.insert(Value::String(format!("/bench{i}{key}")), item);
        }
    }
    root.insert("paths".into(), Value::Mapping(all_paths));

    let schemas = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
        .ok_or("the spec has no components/schemas")?;
    let originals: Vec<(String, Value)> = schemas
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
        .filter(|(name, _)| !shared(name))
        .collect();
    for i in 1..copies {
        for (name, schema) in &originals {
            let mut schema = schema.clone();
            rename_refs(&mut schema, i);
            schemas.insert(Value::String(format!("Bench{i}.{name}")), schema);
        }
    }
    let text = serde_yaml::to_string(&doc).map_err(|e| format!("synthetic spec: {e}"))?;
    Ok((text, operations))
}

/// The operations of a `paths` mapping.
fn operations_in(paths: &Mapping) -> usize {
    paths
        .values()
        .filter_map(Value::as_mapping)
        .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
        .sum()
}

/// How many operations a spec has, and how many each further copy adds (those of the
/// shared services left out).
fn operation_counts(spec: &str) -> Result<(usize, usize), String> {
    let (_, one) = synthetic_spec(spec, 1)?;
    let (_, two) = synthetic_spec(spec, 2)?;
    Ok((one, two - one))
}

/// Schemas every copy shares: the standard errors.
fn shared(name: &str) -> bool {
    name.starts_with("Vapi.")
}

/// The cargo feature of copy `i` (from 1): its top-level module, `bench{i}`, holds the whole
/// copy.
pub fn copy_feature(i: usize) -> String {
    format!("bench{i}")
}

fn rename_operation(op: &mut Mapping, i: usize) {
    if let Some(Value::String(id)) = op.get_mut("operationId") {
        *id = format!("Bench{i}.{id}");
    }
    if let Some(Value::Sequence(tags)) = op.get_mut("tags") {
        for tag in tags {
            if let Value::String(name) = tag {
                *name = format!("Bench{i}.{name}");
            }
        }
    }
}

/// Rewrites every `$ref` to a schema of copy `i`, anywhere under `value`.
fn rename_refs(value: &mut Value, i: usize) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                if key.as_str() == Some("$ref") {
                    if let Value::String(target) = child {
                        if let Some(name) = target.strip_prefix(SCHEMA_REF) {
                            if !shared(name) {
                                *target = format!("{SCHEMA_REF}Bench{i}.{name}");
                            }
                        }
                    }
                } else {
                    rename_refs(child, i);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| rename_refs(v, i)),
        Value::Tagged(tagged) => rename_refs(&mut tagged.value, i),
        _ => {}
    }
}

/// The synthetic spec of about `operations` operations (a whole number of copies).
pub fn synthetic_spec_of(spec: &str, operations: usize) -> Result<(String, usize), String> {
    let counts = operation_counts(spec)?;
    synthetic_spec(spec, copies_for(operations, counts))
}

/// The copies that make about `operations` operations: the spec's own (`first`), then
/// `per_copy` more with each copy.
fn copies_for(operations: usize, (first, per_copy): (usize, usize)) -> usize {
    let more = operations.saturating_sub(first) as f64 / per_copy.max(1) as f64;
    1 + more.round() as usize
}

/// The figures of one synthetic size.
#[derive(Debug, Clone)]
pub struct ScaleFigures {
    pub target_operations: usize,
    pub operations: usize,
    pub schemas_copies: usize,
    pub spec_bytes: usize,
    pub files: usize,
    pub runs: usize,
    pub median_ms: f64,
    pub cpu_median_ms: f64,
}

/// Times the pipeline on specs of about each size in `targets` (operations, timed runs),
/// smallest first, the runs of all sizes interleaved ([`schedule`]).
pub fn run(
    spec: &str,
    templates: &vapigen::Templates,
    settings: &vapigen::CrateSettings,
    targets: &[(usize, usize)],
) -> Result<Vec<ScaleFigures>, String> {
    let counts = operation_counts(spec)?;
    let mut specs = Vec::new();
    for &(target, _) in targets {
        let copies = copies_for(target, counts);
        let (text, operations) = synthetic_spec(spec, copies)?;
        specs.push((copies, text, operations));
    }
    let generate = |k: usize, runs: usize, warm_up: bool| {
        let (_, text, operations) = &specs[k];
        time_generate(text, templates, settings, runs, warm_up)
            .map_err(|e| format!("the synthetic spec of {operations} operations: {e}"))
    };
    // One untimed run of each size but the largest, which is its own warm-up.
    for k in 0..specs.len().saturating_sub(1) {
        generate(k, 0, true)?;
    }
    let counts: Vec<usize> = targets.iter().map(|(_, runs)| *runs).collect();
    let mut wall = vec![Vec::new(); specs.len()];
    let mut cpu = vec![Vec::new(); specs.len()];
    let mut files = vec![0; specs.len()];
    for k in schedule(&counts) {
        let samples = generate(k, 1, false)?;
        wall[k].extend(samples.wall_ms);
        cpu[k].extend(samples.cpu_ms);
        files[k] = samples.files;
    }
    Ok(targets
        .iter()
        .zip(&specs)
        .enumerate()
        .map(
            |(k, (&(target, _), (copies, text, operations)))| ScaleFigures {
                target_operations: target,
                operations: *operations,
                schemas_copies: *copies,
                spec_bytes: text.len(),
                files: files[k],
                runs: wall[k].len(),
                median_ms: median(&wall[k]),
                cpu_median_ms: median(&cpu[k]),
            },
        )
        .collect())
}

/// The order of the timed runs, as indices of the sizes (smallest first in `counts`): the
/// runs of the larger sizes spread evenly, with a run of the smallest before, between and
/// after them. Each size is then timed across the same stretch of time, so a slow spell of
/// a shared machine weighs on all sizes alike instead of on one.
pub fn schedule(counts: &[usize]) -> Vec<usize> {
    let mut larger: Vec<(f64, usize)> = counts
        .iter()
        .enumerate()
        .skip(1)
        .flat_map(|(k, &n)| (0..n).map(move |j| ((j as f64 + 0.5) / n as f64, k)))
        .collect();
    larger.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let smallest = counts.first().copied().unwrap_or(0);
    let mut order = Vec::new();
    let mut small_left = smallest.max(if smallest > 0 { larger.len() + 1 } else { 0 });
    for (_, k) in larger {
        if small_left > 0 {
            order.push(0);
            small_left -= 1;
        }
        order.push(k);
    }
    order.extend(std::iter::repeat_n(0, small_left));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_interleaved_with_the_smallest_around_each() {
        assert_eq!(schedule(&[5, 3, 1]), vec![0, 1, 0, 1, 0, 2, 0, 1, 0]);
        let full = schedule(&[9, 5, 3]);
        assert_eq!(full.iter().filter(|k| **k == 0).count(), 9);
        assert_eq!(full.iter().filter(|k| **k == 1).count(), 5);
        assert_eq!(full.iter().filter(|k| **k == 2).count(), 3);
        assert!(full.windows(2).all(|w| w[0] == 0 || w[1] == 0), "{full:?}");
        assert_eq!(schedule(&[2]), vec![0, 0]);
    }

    #[test]
    fn copies_for_a_size_count_the_shared_operations_once() {
        // 12 operations, 5 of them shared: 12, 19, 26, ... operations.
        assert_eq!(copies_for(50, (12, 7)), 6);
        assert_eq!(copies_for(5, (12, 7)), 1);
        assert_eq!(copies_for(5000, (12, 7)), 714);
        assert_eq!(copies_for(10, (10, 0)), 1);
    }

    #[test]
    fn copies_rename_everything_and_still_generate() {
        let root = crate::workspace_root();
        let inputs = super::super::codegen::Inputs::read(&root).expect("inputs");
        let (one, first) = synthetic_spec(&inputs.spec, 1).expect("one copy");
        let (text, operations) = synthetic_spec(&inputs.spec, 3).expect("three copies");
        let shared = shared_operations(&inputs.spec).expect("shared");
        assert!(shared.contains("Cis.Session_create"), "{shared:?}");
        assert!(shared.contains("Cis.Tasks_get"), "{shared:?}");
        assert_eq!(operations, first + 2 * (first - shared.len()));
        assert_eq!(
            operation_counts(&inputs.spec).expect("counts"),
            (first, first - shared.len())
        );
        let grants = "Vcenter.Namespaces.ManagementServices.AccessGrants";
        assert!(
            text.contains(&format!("operationId: Bench2.{grants}_create")),
            "renamed ids"
        );
        assert!(
            text.contains(
                "/bench2/vcenter/namespaces/{namespace}/management-services/access-grants:"
            ),
            "renamed paths"
        );
        assert!(
            text.contains(&format!("#/components/schemas/Bench2.{grants}.CreateSpec")),
            "renamed refs"
        );
        assert!(
            !text.contains("Bench2.Cis.Session_"),
            "the session service is shared"
        );
        assert!(
            !text.contains("/bench2/cis/tasks/"),
            "the task service is shared"
        );
        let base = vapigen::generate_from_str(&one, &inputs.templates, &inputs.settings)
            .expect("one generates");
        let generated = vapigen::generate_from_str(&text, &inputs.templates, &inputs.settings)
            .expect("three generate");
        assert!(generated.files.len() > base.files.len());
        assert!(generated.files.contains_key("src/bench2.rs"), "{:?}", {
            generated.files.keys().take(50).collect::<Vec<_>>()
        });
        // The peer bench builds one copy by its feature.
        let model = vapigen::model_from_str(&text).expect("three lower");
        assert!(
            model.features.contains_key(&copy_feature(2)),
            "{:?}",
            model.features.keys().collect::<Vec<_>>()
        );
    }
}
