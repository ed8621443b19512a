//! VMware's own published specs (`../shared/corpus/`, the vSAN Data Protection API 9.0 and
//! 9.1): each generates unmodified, with what a reviewer checks in its lowered model.
//!
//! The specs are read where they are kept, never copied into the project (they are
//! VMware's files); `VAPIGEN_CORPUS` points elsewhere. The model snapshots leave out the
//! prose (descriptions, the title): they show how the spec was understood (types, ids,
//! operations, errors, tasks, services), not VMware's text. `cargo xtask corpus` goes on to
//! build, lint, document and test the crate of each.

use std::path::PathBuf;

use vapigen::model::{Model, Ty};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("VAPIGEN_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

fn model_of(file: &str) -> Model {
    let path = corpus_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the corpus is kept beside the project in ../shared/corpus (set VAPIGEN_CORPUS to its folder)",
            path.display()
        )
    });
    vapigen::model_from_str(&text).unwrap_or_else(|e| panic!("{file} should generate: {e}"))
}

/// The model without prose: `docs` keep only their versions and deprecation, the title goes.
fn without_prose(model: &Model) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.shift_remove("title");
                if let Some(serde_json::Value::Object(docs)) = map.get_mut("docs") {
                    docs.shift_remove("text");
                }
                map.retain(|key, value| {
                    !(key == "docs" && value.as_object().is_some_and(|d| d.is_empty()))
                });
                map.values_mut().for_each(walk);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(model).expect("the model serializes");
    walk(&mut value);
    value
}

/// What "generates" means for a corpus file, beyond not failing.
fn check(model: &Model, operations: usize) {
    assert_eq!(
        model.operations.len(),
        operations,
        "every operation generated"
    );
    for op in model.operations.values() {
        let documents_errors = op
            .responses
            .iter()
            .any(|r| matches!(r.status, vapigen::model::Status::Code(code) if code >= 400));
        assert_eq!(
            !op.errors.is_empty(),
            documents_errors,
            "{}: an error enum exactly when errors are documented",
            op.operation_id
        );
        if op.task {
            assert!(
                op.task_result.is_some(),
                "{} is typed by its result",
                op.operation_id
            );
        }
    }
    let session = model
        .session
        .as_ref()
        .expect("the session service is found");
    assert_eq!(session.service, "Snapservice.Sessions");
    let tasks = model.tasks.as_ref().expect("the task service is found");
    assert_eq!(
        (tasks.service.as_str(), tasks.id.as_str()),
        ("Snapservice.Tasks", "com.vmware.snapservice.task")
    );
    let pair = &model.operations["Snapservice.ClusterPairs_create$Task"];
    assert_eq!(
        pair.task_result,
        Some(Ty::Id("com.vmware.snapservice.cluster_pair".into()))
    );
    // Two resource types whose last segment is `snapshot`: the segment before takes part.
    let names: Vec<&str> = model.ids.values().map(|id| id.name.as_str()).collect();
    assert!(names.contains(&"VmSnapshotId"), "{names:?}");
    assert!(names.contains(&"ProtectionGroupSnapshotId"), "{names:?}");
    // The error kinds are the runtime's; no std error schema is emitted.
    assert!(model
        .types
        .keys()
        .all(|name| !name.starts_with("Vapi.Std.Errors.")));
}

#[test]
fn vsan_data_protection_9_1() {
    let model = model_of("vsan-data-protection-9.1.0.0.yaml");
    check(&model, 65);
    let tasks = model.operations.values().filter(|op| op.task).count();
    assert_eq!(tasks, 26, "the $Task operations");
    insta::assert_yaml_snapshot!("vsan_data_protection_9_1_model", without_prose(&model));
}

#[test]
fn vsan_data_protection_9_0() {
    let model = model_of("vsan-data-protection-9.0.0.0.yaml");
    check(&model, 48);
    insta::assert_yaml_snapshot!("vsan_data_protection_9_0_model", without_prose(&model));
}
