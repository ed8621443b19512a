//! vapigen: a generator of typed Rust clients for the vSphere Automation REST API.
//!
//! The pipeline, one module per step:
//! `load` (text -> OpenAPI) -> `lower` (OpenAPI -> `model`) -> `vapi` (VMware's conventions)
//! -> `emit` (model -> Rust tokens and files) -> `write` (format, compare, write).

pub mod emit;
pub mod error;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod pointer;
pub mod vapi;
pub mod write;

pub use error::{Error, Result};

use std::collections::BTreeMap;
use std::path::Path;

/// The generated crate, computed in memory: the model it came from and its files.
pub struct Generated {
    pub model: model::Model,
    /// File contents by path relative to `generated/`, formatted, notice included.
    pub files: BTreeMap<String, String>,
}

/// The whole pipeline on spec text and templates, without touching the disk.
pub fn generate_from_str(spec: &str, templates: &emit::Templates) -> Result<Generated> {
    let api = load::load_str(spec)?;
    let mut model = lower::lower(&api)?;
    vapi::normalize(&mut model)?;
    let files = write::render(emit::emit(&model, templates)?)?;
    Ok(Generated { model, files })
}

/// Reads every file under `dir` as a template, by path relative to `dir`.
pub fn read_templates(dir: &Path) -> Result<emit::Templates> {
    let mut files = BTreeMap::new();
    for path in write::files_under(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        files.insert(write::relative(&path, dir), text);
    }
    Ok(emit::Templates { files })
}

/// Where the pieces live in the workspace.
pub struct Layout {
    pub spec: std::path::PathBuf,
    pub templates: std::path::PathBuf,
    pub generated: std::path::PathBuf,
}

impl Layout {
    /// The standard layout under a workspace root: `spec/vsphere.yaml`, `templates/`, `generated/`.
    pub fn under(root: &Path) -> Self {
        Layout {
            spec: root.join("spec").join("vsphere.yaml"),
            templates: root.join("templates"),
            generated: root.join("generated"),
        }
    }
}

/// `cargo xtask codegen [--check]`: regenerates `generated/`, or reports what is stale.
pub fn codegen(layout: &Layout, check: bool) -> Result<write::Report> {
    let spec = std::fs::read_to_string(&layout.spec).map_err(|source| Error::Read {
        path: layout.spec.clone(),
        source,
    })?;
    let templates = read_templates(&layout.templates)?;
    let generated = generate_from_str(&spec, &templates)?;
    write::sync(&generated.files, &layout.generated, check)
}
