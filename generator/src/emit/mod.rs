//! Step 4 of the pipeline: model -> the files of the generated crate.
//!
//! Each Rust module of the model becomes one file (`src/vcenter/namespaces.rs`); the crate's
//! root and client are made here too, and the hand-written templates carried over
//! (`templates`). Emitting is rendering only: every decision was made by `lower` and `vapi`
//! and shows in the model. Nothing is formatted or written here: `write` does that, after
//! everything has been computed.

mod checks;
mod crate_root;
mod docs;
mod documented_errors;
mod errors;
mod ids;
mod mocks;
mod runtime;
mod scope;
mod services;
mod templates;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::model::{Docs, Model, Operation, TypeDef, TypeKind};
use crate::names;
use crate::vapi::namespaces::{CLIENT_MODULE, IDS_MODULE, MOCK_MODULE};
use scope::{ident, Scope};

/// The hand-written files the crate is made of, by path relative to `templates/`.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub files: BTreeMap<String, String>,
}

/// What the generated crate is called and where the runtime it depends on is.
#[derive(Debug, Clone)]
pub struct CrateSettings {
    /// The package name, `vsphere-api`.
    pub name: String,
    /// The path from the crate's folder to the runtime's, as the manifest writes it
    /// (`../runtime`).
    pub runtime_path: String,
}

/// One file of the generated crate, before formatting.
pub enum Content {
    /// Emitted Rust, formatted by `write`.
    Rust(TokenStream),
    /// Emitted Rust in parts (the file's head, then one item each), formatted one part at a
    /// time: a file of thousands of items is never parsed whole, which for a large spec
    /// would hold hundreds of MiB of syntax tree.
    Parts(Vec<TokenStream>),
    /// Text carried or written as it is.
    Text(String),
}

/// The generated crate's files, each made when asked for (`make`), so a caller can format
/// and write one file at a time, on several threads, instead of holding the whole crate.
pub struct Emitter<'m> {
    model: &'m Model,
    settings: &'m CrateSettings,
    tree: ModuleTree<'m>,
}

/// One file of the crate, not yet made.
pub enum File<'m> {
    /// Text already complete: a carried template, the crate root.
    Text(String),
    /// A module of the spec (`src/vcenter/namespaces.rs`).
    Module(&'m [String]),
    Ids,
    Mock,
    Client,
    DocumentedErrors,
}

impl<'m> Emitter<'m> {
    pub fn new(model: &'m Model, settings: &'m CrateSettings) -> Self {
        Emitter {
            model,
            settings,
            tree: ModuleTree::new(model),
        }
    }

    /// Every file of the crate, by path relative to its folder.
    pub fn files(&self, templates: &Templates) -> Result<Vec<(String, File<'_>)>> {
        let model = self.model;
        let mut files: Vec<(String, File)> = templates::carried(model, templates, self.settings)?
            .into_iter()
            .map(|(path, text)| (path, File::Text(text)))
            .collect();
        let readme = files.iter().any(|(path, _)| path == "README.md");
        let mut top = self.tree.children(&[]);
        if !model.ids.is_empty() {
            files.push((format!("src/{IDS_MODULE}.rs"), File::Ids));
            top.push(IDS_MODULE.to_owned());
            top.sort();
        }
        let mock = !model.operations.is_empty();
        if mock {
            files.push((format!("src/{MOCK_MODULE}.rs"), File::Mock));
        }
        let lib = crate_root::lib_file(model, &top, readme, mock);
        files.push(("src/lib.rs".to_owned(), File::Text(lib)));
        files.push((format!("src/{CLIENT_MODULE}.rs"), File::Client));
        if model.operations.values().any(|op| !op.errors.is_empty()) {
            files.push((
                "tests/documented_errors.rs".to_owned(),
                File::DocumentedErrors,
            ));
        }
        for module in self.tree.nodes.keys().filter(|m| !m.is_empty()) {
            let path = format!("src/{}.rs", names::join(module, "/"));
            files.push((path, File::Module(module)));
        }
        Ok(files)
    }

    /// The contents of one file.
    pub fn make(&self, file: &File) -> Content {
        let model = self.model;
        match file {
            File::Text(text) => Content::Text(text.clone()),
            File::Module(module) => {
                let node = &self.tree.nodes[*module];
                let children = self.tree.children(module);
                Content::Rust(module_file(model, &self.tree, module, node, &children))
            }
            File::Ids => {
                let ids: Vec<_> = model.ids.values().collect();
                Content::Rust(ids::ids_file(&ids))
            }
            File::Mock => Content::Rust(mocks::mock_file(model)),
            File::Client => Content::Rust(crate_root::client_file(model)),
            File::DocumentedErrors => Content::Parts(documented_errors::documented_errors_test(
                model,
                &self.settings.name,
            )),
        }
    }
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
) -> TokenStream {
    let docs = node.docs.map(docs::inner_doc_attrs).unwrap_or_else(|| {
        let path = names::join(module, "::");
        let line = format!(" Types of `{path}`.");
        quote!(#![doc = #line])
    });
    let service_children = tree.service_children(module);
    let children = children.iter().map(|c| ident(c));
    let scope = Scope { model, module };
    let items = node.types.iter().map(|def| types::type_item(&scope, def));
    let errors = node
        .operations
        .iter()
        .filter(|op| !op.errors.is_empty())
        .map(|op| errors::error_enum(op));
    let api = node
        .on_service_path
        .then(|| services::api_items(&scope, &service_children, &node.operations));
    // The spec's deprecated items are named here by their own impls, fields and methods;
    // those are no uses to warn about. Users still get the warnings where they use them.
    let allow = touches_deprecated(model, node).then(|| quote!(#![allow(deprecated)]));
    quote! {
        #docs
        #allow
        #(pub mod #children;)*
        #api
        #(#items)*
        #(#errors)*
    }
}

/// Whether a module's code names something the spec deprecates: a deprecated type, field or
/// value of its own, or a deprecated type in a field, parameter, body or answer.
fn touches_deprecated(model: &Model, node: &Node) -> bool {
    let deprecated = |ty: &crate::model::Ty| {
        ty.named()
            .and_then(|name| model.types.get(name))
            .is_some_and(|def| def.docs.deprecated.is_some())
    };
    let types = node.types.iter().any(|def| {
        def.docs.deprecated.is_some()
            || match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| f.docs.deprecated.is_some() || deprecated(&f.ty)),
                TypeKind::Enum(e) => e.variants.iter().any(|v| v.docs.deprecated.is_some()),
                TypeKind::Alias(ty) => deprecated(ty),
            }
    });
    let operations = node.operations.iter().any(|op| {
        op.params.iter().any(|p| deprecated(&p.ty))
            || op.body.as_ref().is_some_and(|b| deprecated(&b.ty))
            || op
                .success
                .as_ref()
                .and_then(|s| s.body.as_ref())
                .is_some_and(deprecated)
            || op.task_result.as_ref().is_some_and(deprecated)
    });
    types || operations
}
