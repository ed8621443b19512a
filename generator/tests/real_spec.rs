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
