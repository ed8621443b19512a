//! Every Rust name the crate exposes, checked in one place for clashes.
//!
//! Names are made in `names`; the stages before keep whatever they made, and this pass looks
//! at where the names land together and reports each clash with the places in the spec that
//! make both, never a silent rename:
//! - two schemas on one Rust path, two properties on one field, two enum values on one
//!   variant, two operations on one method, two arguments of one method, two resource types
//!   on one id type;
//! - a top-level module named like a module of the crate itself (`ids`, `mock`, `client`), like a file
//!   cargo treats specially (`lib`, `main`, `bin`), or like a method of the client (`login`:
//!   `client.login()` would stop reaching the login);
//! - in a module on the way to a service: a schema named like its accessor struct (`Api`);
//! - in a service: an operation's error enum named like a schema of the module
//!   (`CreateError`), an operation named like a child service's accessor or `new`.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Problems};
use crate::model::{Model, TypeKind};
use crate::names;
use crate::pointer::Pointer;

/// Modules of the generated crate's root that the generator makes itself.
pub const IDS_MODULE: &str = "ids";
pub const MOCK_MODULE: &str = "mock";
/// The crate's client (private, re-exported at the root).
pub const CLIENT_MODULE: &str = "client";

/// Cargo features of the crate that are not a top-level module's (`vapi::features`).
pub const FEATURES: &[&str] = &["default", MOCK_MODULE];

/// Top-level module names that would land on a file cargo reads specially.
const CARGO_FILES: &[&str] = &["lib", "main", "bin"];

/// The methods of the runtime's client, which the generated client reaches through `Deref`:
/// a top-level service accessor of one of these names would shadow it.
pub const CLIENT_METHODS: &[&str] = &[
    "api_url",
    "builder",
    "clone",
    "download_support_bundle",
    "download_support_bundle_to_dir",
    "has_session",
    "login",
    "logout",
    "send",
    "send_once",
    "services",
    "session_id",
    "set_session_id",
    "task",
];

pub fn check(model: &Model, problems: &mut Problems) {
    same_names(model, problems);
    let tree = Tree::new(model);
    for (top, at) in &tree.top_level {
        let name = names::unraw(top);
        let clash = if [IDS_MODULE, MOCK_MODULE, CLIENT_MODULE].contains(&name) {
            Some("a module the generator makes itself")
        } else if CARGO_FILES.contains(&name) {
            Some("a file cargo reads as the crate root or a binary")
        } else if FEATURES.contains(&name) {
            Some("a cargo feature of the crate, which its own feature would be")
        } else if tree.services.contains(&vec![top.clone()]) || tree.on_service_path(top) {
            CLIENT_METHODS
                .contains(&name)
                .then_some("a method of the client, which its accessor would hide")
        } else {
            None
        };
        if let Some(what) = clash {
            problems.push(Error::invalid(
                at,
                format!("a top-level service or schema module named `{name}` clashes with {what}"),
            ));
        }
    }
    for def in model.types.values() {
        if tree.on_service_path_module(&def.module) && names::unraw(&def.name) == names::API {
            problems.push(Error::unsupported(
                &def.pointer,
                format!("a schema named `{}` in a service's module", names::API),
                "the module's operation accessor has that name",
            ));
        }
    }
    // (module, type name) -> the type: each operation looks its error enum's name up once.
    let types: BTreeMap<(&[String], &str), &crate::model::TypeDef> = model
        .types
        .values()
        .map(|def| ((def.module.as_slice(), names::unraw(&def.name)), def))
        .collect();
    for op in model.operations.values() {
        let Some(service) = model.services.get(&op.service) else {
            continue;
        };
        let error = names::error_enum(&op.method_name);
        if let Some(def) = types.get(&(service.module.as_slice(), error.as_str())) {
            problems.push(Error::NameCollision {
                pointer: op.pointer.join("operationId"),
                name: op.operation_id.clone(),
                other: def.schema.clone(),
                other_pointer: def.pointer.clone(),
                rust: error,
            });
        }
        let method = names::unraw(&op.method_name);
        let accessors = tree.service_children(&service.module);
        if method == "new" || accessors.iter().any(|c| names::unraw(c) == method) {
            problems.push(Error::unsupported(
                &op.pointer.join("operationId"),
                format!("an operation named `{method}` in this service"),
                "the service's accessor already has a method of that name",
            ));
        }
    }
}

/// What spec name makes a Rust name, and where.
struct Named<'m> {
    name: &'m str,
    pointer: Pointer,
}

/// Reports every Rust name in `named` that more than one spec name lands on: each one after
/// the first, naming the first.
fn report_same(named: Vec<(String, Named)>, problems: &mut Problems) {
    let mut first: BTreeMap<String, Named> = BTreeMap::new();
    for (rust, here) in named {
        match first.get(&rust) {
            Some(other) if other.name != here.name || other.pointer != here.pointer => {
                problems.push(Error::NameCollision {
                    pointer: here.pointer,
                    name: here.name.to_owned(),
                    other: other.name.to_owned(),
                    other_pointer: other.pointer.clone(),
                    rust,
                });
            }
            Some(_) => {}
            None => {
                first.insert(rust, here);
            }
        }
    }
}

/// Two spec names on one Rust name, in each namespace the crate has.
fn same_names(model: &Model, problems: &mut Problems) {
    let types = model.types.values().map(|def| {
        let path = names::join(&[def.module.clone(), vec![def.name.clone()]].concat(), "::");
        let here = Named {
            name: &def.schema,
            pointer: def.pointer.clone(),
        };
        (path, here)
    });
    report_same(types.collect(), problems);
    for def in model.types.values() {
        match &def.kind {
            TypeKind::Struct(s) => {
                let fields = s.fields.iter().map(|f| {
                    let here = Named {
                        name: &f.wire,
                        pointer: f.pointer.clone(),
                    };
                    (f.rust.clone(), here)
                });
                report_same(fields.collect(), problems);
            }
            TypeKind::Enum(e) => {
                let values = e.variants.iter().enumerate().map(|(i, v)| {
                    let here = Named {
                        name: &v.wire,
                        pointer: def.pointer.join("enum").join(i),
                    };
                    (v.rust.clone(), here)
                });
                report_same(values.collect(), problems);
            }
            TypeKind::Alias(_) => {}
        }
    }
    let methods = model.operations.values().map(|op| {
        let here = Named {
            name: &op.operation_id,
            pointer: op.pointer.join("operationId"),
        };
        (format!("{}::{}", op.service, op.method_name), here)
    });
    report_same(methods.collect(), problems);
    // The mock trait's methods: the task and download helpers first (where the spec has
    // them), then every operation's, in one namespace.
    let task_mock = model.tasks.as_ref().and_then(|tasks| {
        let get = model.operations.get(&tasks.get)?;
        let here = Named {
            name: "the task mock (of the task service)",
            pointer: get.pointer.join("operationId"),
        };
        Some((names::MOCK_TASK.to_owned(), here))
    });
    let bundle_mock = model.bundle_locations.first().and_then(|location| {
        let def = model.types.get(&location.schema)?;
        let here = Named {
            name: "the support-bundle download mock",
            pointer: def.pointer.clone(),
        };
        Some((names::MOCK_BUNDLE_DOWNLOAD.to_owned(), here))
    });
    let mocks = model.operations.values().map(|op| {
        let here = Named {
            name: &op.operation_id,
            pointer: op.pointer.join("operationId"),
        };
        (names::mock_method(&op.service, &op.method_name), here)
    });
    report_same(
        task_mock
            .into_iter()
            .chain(bundle_mock)
            .chain(mocks)
            .collect(),
        problems,
    );
    for op in &model.operations.values().collect::<Vec<_>>() {
        let args = op.params.iter().map(|p| {
            let here = Named {
                name: &p.wire,
                pointer: p.pointer.clone(),
            };
            (p.rust.clone(), here)
        });
        report_same(args.collect(), problems);
    }
    let ids = model.ids.values().map(|id| {
        let here = Named {
            name: &id.resource_type,
            pointer: id.pointer.clone(),
        };
        (id.name.clone(), here)
    });
    report_same(ids.collect(), problems);
}

/// The modules the crate has, as far as names go.
struct Tree {
    /// Top-level module -> the place in the spec that first makes it.
    top_level: BTreeMap<String, Pointer>,
    services: BTreeSet<Vec<String>>,
    /// Every prefix of a service's module path.
    service_paths: BTreeSet<Vec<String>>,
    /// Each module's children on the way to a service: each has an accessor.
    service_children: BTreeMap<Vec<String>, Vec<String>>,
}

impl Tree {
    fn new(model: &Model) -> Self {
        let mut top_level = BTreeMap::new();
        for def in model.types.values() {
            if let Some(top) = def.module.first() {
                top_level
                    .entry(top.clone())
                    .or_insert_with(|| def.pointer.clone());
            }
        }
        for op in model.operations.values() {
            if let Some(top) = model
                .services
                .get(&op.service)
                .and_then(|s| s.module.first())
            {
                top_level
                    .entry(top.clone())
                    .or_insert_with(|| op.pointer.join("tags").join(0));
            }
        }
        let services: BTreeSet<Vec<String>> =
            model.services.values().map(|s| s.module.clone()).collect();
        let service_paths: BTreeSet<Vec<String>> = services
            .iter()
            .flat_map(|m| (1..=m.len()).map(move |len| m[..len].to_vec()))
            .collect();
        let mut service_children: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for path in &service_paths {
            if let Some((last, parent)) = path.split_last() {
                service_children
                    .entry(parent.to_vec())
                    .or_default()
                    .push(last.clone());
            }
        }
        Tree {
            top_level,
            services,
            service_paths,
            service_children,
        }
    }

    fn on_service_path(&self, top: &str) -> bool {
        self.service_paths.contains(&vec![top.to_owned()])
    }

    fn on_service_path_module(&self, module: &[String]) -> bool {
        self.service_paths.contains(module)
    }

    /// The children of `module` that are services or hold one: each has an accessor.
    fn service_children(&self, module: &[String]) -> &[String] {
        self.service_children.get(module).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, errors_of, spec};

    const OK: &str = "'204': {description: done}";

    #[test]
    fn a_top_level_service_named_like_a_client_method_is_an_error() {
        assert_eq!(
            error_of(&spec("/login", "Login.Things_run", OK, "")),
            "#/paths/~1login/post/tags/0: a top-level service or schema module named `login` clashes with a method of the client, which its accessor would hide"
        );
    }

    #[test]
    fn a_top_level_module_on_a_cargo_file_is_an_error() {
        assert_eq!(
            error_of(&spec("/x", "Lib.Things_run", OK, "")),
            "#/paths/~1x/post/tags/0: a top-level service or schema module named `lib` clashes with a file cargo reads as the crate root or a binary"
        );
        assert_eq!(
            error_of(&spec("/x", "Ids.Things_run", OK, "")),
            "#/paths/~1x/post/tags/0: a top-level service or schema module named `ids` clashes with a module the generator makes itself"
        );
        assert_eq!(
            error_of(&spec("/x", "Default.Things_run", OK, "")),
            "#/paths/~1x/post/tags/0: a top-level service or schema module named `default` clashes with a cargo feature of the crate, which its own feature would be"
        );
    }

    #[test]
    fn two_values_on_one_variant_and_two_types_on_one_id_name_both_places() {
        let schemas = r#"    A.Things.Mode:
      type: string
      enum: [FAST_MODE, fast-mode]
    A.Things.Info:
      type: object
      properties:
        first: {type: string, description: 'The property must be an identifier for the resource type: `a.Thing`.'}
        second: {type: string, description: 'The property must be an identifier for the resource type: `A.thing`.'}
"#;
        let problems = errors_of(&spec("/x", "A.Things_run", OK, schemas));
        assert_eq!(
            problems,
            [
                "#/components/schemas/A.Things.Info/properties/first: `a.Thing` and `A.thing` (at #/components/schemas/A.Things.Info/properties/second) both become the Rust name `AThingId`",
                "#/components/schemas/A.Things.Mode/enum/1: `fast-mode` and `FAST_MODE` (at #/components/schemas/A.Things.Mode/enum/0) both become the Rust name `FastMode`",
            ]
        );
    }

    #[test]
    fn an_error_enum_named_like_a_schema_is_an_error() {
        let schemas = r#"
            A.Things.RunError:
              type: object
              properties:
                x: {type: string}
            "#;
        assert_eq!(
            error_of(&spec("/x", "A.Things_run", OK, schemas)),
            "#/paths/~1x/post/operationId: `A.Things_run` and `A.Things.RunError` (at #/components/schemas/A.Things.RunError) both become the Rust name `RunError`"
        );
    }
}
