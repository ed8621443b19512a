//! vapigen: a generator of typed Rust clients for the vSphere Automation REST API.
//!
//! The pipeline, one module per step:
//! `load` (text -> OpenAPI) -> `lower` (OpenAPI -> `model`) -> `vapi` (VMware's conventions)
//! -> `emit` (model -> Rust tokens and files) -> `write` (format, compare, write).
//!
//! What other code uses: [`codegen`] (what `cargo xtask codegen` runs) with its [`Layout`]
//! and [`Report`], [`generate_from_str`] and [`model_from_str`] (the pipeline in memory), the
//! [`model`] a reviewer reads in snapshots, and the [`Error`]s, each with its [`Pointer`].

mod emit;
mod error;
mod load;
mod lower;
pub mod model;
mod names;
mod pointer;
mod vapi;
mod write;

pub use error::{Error, Result};
pub use pointer::Pointer;
pub use write::Report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use emit::{CrateSettings, Templates};

/// The generated crate, computed in memory: the model it came from and its files.
pub struct Generated {
    pub model: model::Model,
    /// File contents by path relative to the crate's folder, formatted, notice included.
    pub files: BTreeMap<String, String>,
}

/// The whole pipeline on spec text and templates, without touching the disk. A spec with
/// problems gives them all, each with its JSON pointer (`Error::Spec`).
pub fn generate_from_str(
    spec: &str,
    templates: &Templates,
    settings: &CrateSettings,
) -> Result<Generated> {
    let model = model_from_str(spec)?;
    let mut files = BTreeMap::new();
    each_file(&model, templates, settings, |path, text| {
        files.insert(path.to_owned(), text);
        Ok(())
    })?;
    Ok(Generated { model, files })
}

/// Makes, formats and hands `sink` every file of the crate, one at a time, on as many threads
/// as the machine has: the crate is never held whole (a spec of thousands of operations
/// makes tens of thousands of files), and formatting, most of the work, runs in parallel.
fn each_file(
    model: &model::Model,
    templates: &Templates,
    settings: &CrateSettings,
    mut sink: impl FnMut(&str, String) -> Result<()>,
) -> Result<()> {
    let emitter = emit::Emitter::new(model, settings);
    let files = emitter.files(templates)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    // A bounded queue: files wait for the sink, not in memory.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(&str, Result<String>)>(threads * 2);
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let tx = tx.clone();
            let (files, emitter) = (&files, &emitter);
            scope.spawn(move || {
                for (path, file) in files.iter().skip(worker).step_by(threads) {
                    let text = write::render(path, emitter.make(file));
                    // The sink gave up (an error): stop making files.
                    if tx.send((path.as_str(), text)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // The receiver goes before the workers are joined, so none waits on a full queue.
        let rx = rx;
        for (path, text) in rx.iter() {
            sink(path, text?)?;
        }
        Ok(())
    })
}

/// Load, lower and normalize: the model a spec gives, or every problem it has.
pub fn model_from_str(spec: &str) -> Result<model::Model> {
    let api = load::load_str(spec)?;
    let mut problems = error::Problems::default();
    let mut model = lower::lower(&api, &mut problems);
    // The model holds what it needs; the document (hundreds of MiB for thousands of
    // operations) goes before the rest of the work.
    drop(api);
    vapi::normalize(&mut model, &mut problems);
    problems.into_result()?;
    Ok(model)
}

/// Reads every file under `dir` as a template, by path relative to `dir`.
pub fn read_templates(dir: &Path) -> Result<Templates> {
    let mut files = BTreeMap::new();
    for path in write::files_under(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        files.insert(write::relative(&path, dir), text);
    }
    Ok(Templates { files })
}

/// What to generate from what, and where.
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec: PathBuf,
    pub templates: PathBuf,
    /// The crate's folder.
    pub out: PathBuf,
    /// The crate's package name.
    pub crate_name: String,
    /// The runtime crate's folder, which the crate depends on.
    pub runtime: PathBuf,
}

/// The crate generated from the project's own spec.
pub const DEFAULT_CRATE: &str = "vsphere-api";

impl Layout {
    /// What the crate is called and where its runtime is, from where it is written.
    pub fn settings(&self) -> Result<CrateSettings> {
        Ok(CrateSettings {
            name: self.crate_name.clone(),
            runtime_path: write::relative_path(&self.out, &self.runtime)?,
        })
    }

    /// The standard layout under a workspace root: `spec/vsphere.yaml`, `templates/` ->
    /// `generated/` (package `vsphere-api`), on `runtime/`.
    pub fn under(root: &Path) -> Self {
        Layout {
            spec: root.join("spec").join("vsphere.yaml"),
            templates: root.join("templates"),
            out: root.join("generated"),
            crate_name: DEFAULT_CRATE.to_owned(),
            runtime: root.join("runtime"),
        }
    }

    /// The same layout writing into `out`, the package named after the folder
    /// ([`package_name_of`]): what `--out` without `--name` means.
    pub fn writing_to(self, out: PathBuf) -> Self {
        Layout {
            crate_name: package_name_of(&out),
            out,
            ..self
        }
    }
}

/// `cargo xtask codegen [--check]`: writes the crate, or reports what is stale.
pub fn codegen(layout: &Layout, check: bool) -> Result<write::Report> {
    check_package_name(&layout.crate_name)?;
    let templates = read_templates(&layout.templates)?;
    let settings = layout.settings()?;
    // The text is dropped once the model is made.
    let model = {
        let bytes = std::fs::read(&layout.spec).map_err(|source| Error::Read {
            path: layout.spec.clone(),
            source,
        })?;
        model_from_str(load::text_of(&bytes)?)?
    };
    // Each file is compared and staged as it comes; nothing is swapped in unless all came.
    let mut writer = write::Writer::new(&layout.out, check);
    each_file(&model, &templates, &settings, |path, text| {
        writer.add(path, &text)
    })?;
    writer.finish()
}

/// `target/corpus/Snap API_9` -> `snap-api-9`: a package name from a folder's name (what
/// `--out` without `--name` gives), made one cargo takes.
pub fn package_name_of(folder: &Path) -> String {
    let folder = folder
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut name = String::new();
    for c in folder.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("api-{name}")
    } else if names::is_keyword(&name.replace('-', "_")) {
        // Tests name the crate by its library name, which no keyword can be.
        format!("{name}-api")
    } else {
        name.to_owned()
    }
}

/// A name cargo takes for a package: ASCII letters, digits, `-` and `_`, a letter first, and
/// a library name (`-` as `_`) that is no Rust keyword (tests name the crate by it).
fn check_package_name(name: &str) -> Result<()> {
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !names::is_keyword(&name.replace('-', "_"));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{name}` is not a package name cargo takes: ASCII letters, digits, `-` and `_`, starting with a letter, and no Rust keyword"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_folders() {
        assert_eq!(
            package_name_of(Path::new("target/corpus/vsan-data-protection-9.1.0.0")),
            "vsan-data-protection-9-1-0-0"
        );
        assert_eq!(package_name_of(Path::new("/tmp/Snap API")), "snap-api");
        assert_eq!(package_name_of(Path::new("/tmp/9lives")), "api-9lives");
        assert_eq!(package_name_of(Path::new("/tmp/crate")), "crate-api");
        assert!(check_package_name("crate").is_err());
        assert!(check_package_name("my-api").is_ok());
    }
}
