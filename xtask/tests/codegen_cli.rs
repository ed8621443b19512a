//! `cargo xtask codegen` as a maintainer runs it, on a scratch copy of the workspace.

use std::fs;
use std::path::Path;
use std::process::Command;

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// A scratch workspace with the real spec and templates and no generated/ at all: the
/// generator needs nothing of it to make it.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(WORKSPACE).join("templates"),
        &dir.path().join("templates"),
    );
    fs::create_dir_all(dir.path().join("spec")).expect("spec dir");
    fs::copy(
        Path::new(WORKSPACE).join("spec/vsphere.yaml"),
        dir.path().join("spec/vsphere.yaml"),
    )
    .expect("spec");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

fn xtask(root: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("runs xtask");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.display().to_string(), fs::read(&path).expect("read")));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn check_fails_naming_stale_files_then_write_then_nothing_to_do() {
    let dir = scratch();
    let root = dir.path();
    fs::create_dir_all(root.join("generated")).expect("generated dir");
    fs::write(
        root.join("generated/leftover.rs"),
        "// from an older spec\n",
    )
    .expect("write");

    let (ok, text) = xtask(root, &["--check"]);
    assert!(!ok, "check must fail on an empty generated/:\n{text}");
    assert!(text.contains("stale: generated/src/lib.rs"), "{text}");
    assert!(
        text.contains("not generated any more: generated/leftover.rs"),
        "{text}"
    );
    assert!(text.contains("run `cargo xtask codegen`"), "{text}");

    let (ok, text) = xtask(root, &[]);
    assert!(ok, "{text}");
    assert!(text.contains("wrote generated/src/lib.rs"), "{text}");
    assert!(!root.join("generated/leftover.rs").exists());
    let first = snapshot(&root.join("generated"));

    let (ok, text) = xtask(root, &[]);
    assert!(ok, "{text}");
    assert!(
        text.contains("generated/ was already up to date ("),
        "{text}"
    );
    assert_eq!(
        snapshot(&root.join("generated")),
        first,
        "a second run changes nothing"
    );

    let (ok, text) = xtask(root, &["--check"]);
    assert!(ok, "{text}");
}

#[test]
fn a_broken_spec_fails_with_its_pointer_and_leaves_generated_untouched() {
    let dir = scratch();
    let root = dir.path();
    let (ok, _) = xtask(root, &[]);
    assert!(ok);
    let before = snapshot(&root.join("generated"));

    let spec = fs::read_to_string(root.join("spec/vsphere.yaml")).expect("spec");
    let broken = spec.replacen(
        "$ref: '#/components/schemas/Vcenter.NamespaceManagement.SupportBundle.Location'",
        "$ref: '#/components/schemas/Vcenter.NamespaceManagement.SupportBundle.Nowhere'",
        1,
    );
    assert_ne!(
        broken, spec,
        "the spec still has the reference this test breaks"
    );
    fs::write(root.join("spec/vsphere.yaml"), broken).expect("write");

    let (ok, text) = xtask(root, &[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains(
            "error: 1 problem in the spec:\n  #/paths/~1vcenter~1namespace-management~1clusters~1{cluster}~1support-bundle/post/responses/201/content/application~1json/schema: \
             `$ref: #/components/schemas/Vcenter.NamespaceManagement.SupportBundle.Nowhere` points at nothing in the document"
        ),
        "{text}"
    );
    assert!(text.contains("generated/ was left as it was."), "{text}");
    assert_eq!(snapshot(&root.join("generated")), before);
}

/// `--spec FILE --out DIR`: a crate for any spec, anywhere, named after its folder, its
/// manifest pointing at this workspace's runtime.
#[test]
fn any_spec_into_any_folder() {
    let dir = scratch();
    let root = dir.path();
    let out = tempfile::tempdir().expect("out dir");
    let crate_dir = out.path().join("My API 2");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--spec")
        .arg(root.join("spec/vsphere.yaml"))
        .arg("--out")
        .arg(&crate_dir)
        .arg("--root")
        .arg(root)
        .output()
        .expect("runs xtask");
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"my-api-2\""), "{manifest}");
    let runtime = crate_dir
        .join(manifest_value(&manifest, "vapi-runtime = { path = \"").expect("runtime path"));
    assert_eq!(
        fs::canonicalize(runtime.parent().expect("parent")).ok(),
        fs::canonicalize(root).ok(),
        "the path leads to <root>/runtime"
    );
    assert!(crate_dir.join("src/lib.rs").exists());
}

fn manifest_value<'m>(manifest: &'m str, prefix: &str) -> Option<&'m str> {
    let start = manifest.find(prefix)? + prefix.len();
    let end = manifest[start..].find('"')? + start;
    Some(&manifest[start..end])
}
