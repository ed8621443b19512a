//! Step 4 of the pipeline: model -> the files of the generated crate.
//!
//! Each Rust module of the model becomes one file (`src/vcenter/namespaces.rs`); the
//! hand-written templates are carried over as they are. Nothing is formatted or written
//! here: `write` does that, after everything has been computed.

mod checks;
mod docs;
mod errors;
mod ids;
mod mocks;
mod services;
mod tests;
mod ty;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};
use crate::model::{Docs, Model, Operation, TypeDef};
use crate::names;
use crate::pointer::Pointer;
use ty::{ident, Scope};

/// The hand-written files the crate is made of, by path relative to `templates/`.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub files: BTreeMap<String, String>,
}

/// One file of the generated crate, before formatting.
pub enum Content {
    /// Emitted Rust, formatted by `write`.
    Rust(TokenStream),
    /// A template, carried over as it is.
    Text(String),
}

/// The modules of the runtime (`templates/src/`) and of the mocks, which the top-level
/// modules of the spec must not be named like.
const RUNTIME_MODULES: &[&str] = &[
    "call",
    "check",
    "client",
    "download",
    "error",
    "mock",
    "mocking",
    "secret",
    "tar_check",
    "task",
    "tls",
];

/// The module of the id newtypes, `crate::ids`.
const IDS_MODULE: &str = "ids";

/// The line in `templates/src/lib.rs` that the generated `pub mod` lines replace.
pub const MODULES_MARKER: &str = "// @generated-modules";

/// All files of the generated crate, by path relative to `generated/`.
pub fn emit(model: &Model, templates: &Templates) -> Result<BTreeMap<String, Content>> {
    let tree = ModuleTree::new(model);
    let mut files = BTreeMap::new();
    for (path, text) in &templates.files {
        files.insert(path.clone(), Content::Text(text.clone()));
    }
    let lib = templates
        .files
        .get("src/lib.rs")
        .ok_or_else(|| Error::Emit {
            file: "templates/src/lib.rs".to_owned(),
            message: "the template is missing".to_owned(),
        })?;
    let mut top = tree.children(&[]);
    if let Some(clash) = top
        .iter()
        .find(|m| RUNTIME_MODULES.contains(&names::unraw(m)))
    {
        // A spec problem, so it names the place in the spec (an `Emit` error has no pointer).
        return Err(Error::invalid(
            &top_module_pointer(model, clash),
            format!("a service or schema module named `{}` clashes with the runtime's module of that name", names::unraw(clash)),
        ));
    }
    if !model.ids.is_empty() {
        if top.iter().any(|m| m == IDS_MODULE) {
            // A spec problem, so it names the place in the spec (an `Emit` error, which has
            // no pointer, broke that promise; found by tests/robustness.rs).
            return Err(Error::invalid(
                &top_module_pointer(model, IDS_MODULE),
                format!(
                    "a service or schema module named `{IDS_MODULE}` clashes with the id types' module"
                ),
            ));
        }
        let ids: Vec<_> = model.ids.values().collect();
        files.insert(
            format!("src/{IDS_MODULE}.rs"),
            Content::Rust(ids::ids_file(&ids)),
        );
        top.push(IDS_MODULE.to_owned());
        top.sort();
    }
    files.insert("src/lib.rs".to_owned(), Content::Text(fill_lib(lib, &top)?));
    if !model.operations.is_empty() {
        files.insert(
            "src/mock.rs".to_owned(),
            Content::Rust(mocks::mock_file(model)),
        );
    }
    if model.operations.values().any(|op| !op.errors.is_empty()) {
        let crate_name = crate_name(templates)?;
        files.insert(
            "tests/documented_errors.rs".to_owned(),
            Content::Rust(tests::documented_errors_test(model, &crate_name)),
        );
    }
    for (module, node) in &tree.nodes {
        if module.is_empty() {
            continue;
        }
        let file = format!("src/{}.rs", names::join(module, "/"));
        files.insert(
            file,
            Content::Rust(module_file(
                model,
                &tree,
                module,
                node,
                &tree.children(module),
            )?),
        );
    }
    Ok(files)
}

/// The place in the spec that makes the top-level module `module`: the first schema in it,
/// else the tag of the first operation of a service in it.
fn top_module_pointer(model: &Model, module: &str) -> Pointer {
    let under = |path: &[String]| path.first().is_some_and(|m| m == module);
    if let Some(def) = model.types.values().find(|def| under(&def.module)) {
        return def.pointer.clone();
    }
    model
        .operations
        .values()
        .find(|op| {
            model
                .services
                .get(&op.service)
                .is_some_and(|s| under(&s.module))
        })
        .map_or_else(Pointer::root, |op| op.pointer.join("tags").join(0))
}

/// The package name of the generated crate, from `templates/Cargo.toml`.
fn crate_name(templates: &Templates) -> Result<String> {
    let manifest = templates
        .files
        .get("Cargo.toml")
        .map(String::as_str)
        .unwrap_or_default();
    manifest
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("name = ")
                .map(|n| n.trim_matches('"').to_owned())
        })
        .ok_or_else(|| Error::Emit {
            file: "templates/Cargo.toml".to_owned(),
            message: "no `name = \"...\"` line to name the crate by".to_owned(),
        })
}

fn fill_lib(template: &str, children: &[String]) -> Result<String> {
    if !template.contains(MODULES_MARKER) {
        return Err(Error::Emit {
            file: "templates/src/lib.rs".to_owned(),
            message: format!("the template has no `{MODULES_MARKER}` line to put the modules at"),
        });
    }
    // The generated modules are formatted by prettyplease when they are made; rustfmt
    // would lay them out differently, so `cargo fmt` is told to leave them alone.
    let mods = children
        .iter()
        .map(|m| format!("#[rustfmt::skip]\npub mod {m};"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(template.replacen(MODULES_MARKER, &mods, 1))
}

#[derive(Default)]
struct Node<'a> {
    docs: Option<&'a Docs>,
    types: Vec<&'a TypeDef>,
    operations: Vec<&'a Operation>,
    /// The module is a service or holds one: it gets an `Api` accessor.
    on_service_path: bool,
}

/// Every module the crate has: each prefix of a type's or a service's module path.
struct ModuleTree<'a> {
    nodes: BTreeMap<Vec<String>, Node<'a>>,
    /// Each module's children, found once: scanning every node per module made emitting
    /// quadratic in the number of modules.
    children: BTreeMap<Vec<String>, BTreeSet<String>>,
}

impl<'a> ModuleTree<'a> {
    fn new(model: &'a Model) -> Self {
        let mut nodes: BTreeMap<Vec<String>, Node> = BTreeMap::new();
        let add_path = |nodes: &mut BTreeMap<Vec<String>, Node>, module: &[String]| {
            for len in 0..=module.len() {
                nodes.entry(module[..len].to_vec()).or_default();
            }
        };
        for def in model.types.values() {
            add_path(&mut nodes, &def.module);
            if let Some(node) = nodes.get_mut(&def.module) {
                node.types.push(def);
            }
        }
        for service in model.services.values() {
            add_path(&mut nodes, &service.module);
            if let Some(node) = nodes.get_mut(&service.module) {
                if !service.docs.text.is_empty() {
                    node.docs = Some(&service.docs);
                }
            }
        }
        for op in model.operations.values() {
            if let Some(node) = model
                .services
                .get(&op.service)
                .and_then(|s| nodes.get_mut(&s.module))
            {
                node.operations.push(op);
            }
        }
        for service in model.services.values() {
            for len in 1..=service.module.len() {
                if let Some(node) = nodes.get_mut(&service.module[..len]) {
                    node.on_service_path = true;
                }
            }
        }
        let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        for path in nodes.keys() {
            if let Some((last, parent)) = path.split_last() {
                children
                    .entry(parent.to_vec())
                    .or_default()
                    .insert(last.clone());
            }
        }
        ModuleTree { nodes, children }
    }

    /// The children of `module` that are services or hold one.
    fn service_children(&self, module: &[String]) -> Vec<String> {
        self.children(module)
            .into_iter()
            .filter(|c| {
                let mut path = module.to_vec();
                path.push(c.clone());
                self.nodes.get(&path).is_some_and(|n| n.on_service_path)
            })
            .collect()
    }

    fn children(&self, module: &[String]) -> Vec<String> {
        self.children
            .get(module)
            .map(|c| c.iter().cloned().collect())
            .unwrap_or_default()
    }
}

fn module_file(
    model: &Model,
    tree: &ModuleTree,
    module: &[String],
    node: &Node,
    children: &[String],
) -> Result<TokenStream> {
    let docs = node.docs.map(docs::inner_doc_attrs).unwrap_or_else(|| {
        let path = names::join(module, "::");
        let line = format!(" Types of `{path}`.");
        quote!(#![doc = #line])
    });
    let service_children = tree.service_children(module);
    let children = children.iter().map(|c| ident(c));
    let scope = Scope { model, module };
    let items = node.types.iter().map(|def| types::type_item(&scope, def));
    check_operation_names(node)?;
    let errors = node
        .operations
        .iter()
        .filter(|op| !op.errors.is_empty())
        .map(|op| errors::error_enum(op));
    let api = if node.on_service_path {
        Some(services::api_items(
            &scope,
            &service_children,
            &node.operations,
        )?)
    } else {
        None
    };
    Ok(quote! {
        #docs
        #(pub mod #children;)*
        #api
        #(#items)*
        #(#errors)*
    })
}

/// The names made for operations must not land on a schema's type in the same module.
fn check_operation_names(node: &Node) -> Result<()> {
    if node.on_service_path {
        if let Some(def) = node
            .types
            .iter()
            .find(|def| names::unraw(&def.name) == services::API)
        {
            return Err(Error::unsupported(
                &def.pointer,
                format!("a schema named `{}` in a service's module", services::API),
                "the module's operation accessor has that name",
            ));
        }
    }
    for op in &node.operations {
        let name = errors::error_enum_name(op);
        if let Some(def) = node
            .types
            .iter()
            .find(|def| names::unraw(&def.name) == name)
        {
            return Err(Error::NameCollision {
                pointer: op.pointer.join("operationId"),
                name: op.operation_id.clone(),
                other: def.schema.clone(),
                other_pointer: def.pointer.clone(),
                rust: name,
            });
        }
    }
    Ok(())
}
