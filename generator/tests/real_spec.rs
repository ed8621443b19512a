//! The real spec, `spec/vsphere.yaml`: one snapshot per emitted file, plus the lowered model.
//!
//! A change to the generator or the spec shows up here as a reviewable diff
//! (`cargo insta review`); CI (`CI=true`) fails on any unreviewed change.

use std::path::Path;

fn generated() -> vapigen::Generated {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let layout = vapigen::Layout::under(root);
    let spec = std::fs::read_to_string(&layout.spec).expect("spec/vsphere.yaml");
    let templates = vapigen::read_templates(&layout.templates).expect("templates/");
    let settings = layout.settings().expect("settings");
    vapigen::generate_from_str(&spec, &templates, &settings).expect("the real spec generates")
}

#[test]
fn every_emitted_file() {
    let generated = generated();
    for (path, text) in &generated.files {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn lowered_model() {
    insta::assert_yaml_snapshot!("model", generated().model);
}

#[test]
fn generating_twice_gives_identical_files() {
    assert_eq!(generated().files, generated().files);
}

/// A file the generator stops emitting must not leave its snapshot behind, unreviewed.
#[test]
fn no_snapshot_outlives_its_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut expected: Vec<String> = generated()
        .files
        .keys()
        .map(|path| format!("real_spec__{}.snap", path.replace(['/', '.'], "_")))
        .collect();
    expected.push("real_spec__model.snap".to_owned());
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("snapshots")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.starts_with("real_spec__") && name.ends_with(".snap"))
        .collect();
    found.sort();
    assert_eq!(
        found, expected,
        "remove the snapshots of files that are no longer generated"
    );
}

/// Users' tests call the typed mocks by name: a spec that gains a service whose name ends
/// like an existing one (`Vcenter.Elsewhere.AccessGrants` beside
/// `Vcenter.Namespaces.ManagementServices.AccessGrants`) keeps every existing
/// mock method's name.
#[test]
fn mock_names_stay_when_a_service_is_added() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let layout = vapigen::Layout::under(root);
    let text = std::fs::read_to_string(&layout.spec).expect("spec/vsphere.yaml");
    let mut spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let paths = spec["paths"].as_mapping_mut().expect("paths");
    let mut item = paths
        .get("/vcenter/namespaces/{namespace}/management-services/access-grants")
        .expect("the access grants")
        .clone();
    let post = &mut item["post"];
    post["tags"] = serde_yaml::Value::Sequence(vec!["Vcenter.Elsewhere.AccessGrants".into()]);
    post["operationId"] = "Vcenter.Elsewhere.AccessGrants_create".into();
    paths.insert("/vcenter/elsewhere/{namespace}/access-grants".into(), item);
    let grown = serde_yaml::to_string(&spec).expect("YAML");

    let templates = vapigen::read_templates(&layout.templates).expect("templates/");
    let settings = layout.settings().expect("settings");
    let mocks = |spec: &str| -> Vec<String> {
        let generated = vapigen::generate_from_str(spec, &templates, &settings).expect("generates");
        generated.files["src/mock.rs"]
            .lines()
            .filter_map(|l| l.trim().strip_prefix("fn mock_"))
            .map(|l| l.split('(').next().unwrap_or_default().to_owned())
            .collect()
    };
    let before = mocks(&text);
    let after = mocks(&grown);
    assert!(!before.is_empty());
    for name in &before {
        assert!(after.contains(name), "`mock_{name}` was renamed: {after:?}");
    }
    assert!(
        after
            .iter()
            .any(|n| n == "vcenter_elsewhere_access_grants_create"),
        "{after:?}"
    );
}

/// Generated code reads like hand-written Rust: no path broken over lines by a macro that
/// prettyplease cannot format (`crate\n::call::path_value(..)` inside `format!`), no
/// type-suffixed literal (`201u16`, `63usize`).
#[test]
fn generated_code_reads_like_hand_written_rust() {
    let suffixed = regex::Regex::new(r"\b[0-9]+(u8|u16|u32|u64|usize|i32|i64)\b").expect("regex");
    for (path, text) in &generated().files {
        if !path.ends_with(".rs") || path.starts_with("tests/") || path.starts_with("examples/") {
            continue;
        }
        assert!(
            !text.contains("crate\n"),
            "{path}: a path broken after `crate`"
        );
        if let Some(found) = suffixed.find(text) {
            panic!("{path}: a suffixed literal `{}`", found.as_str());
        }
    }
}
