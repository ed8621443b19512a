//! "identifier for the resource type: X" -> one id newtype per resource type.
//!
//! VMware marks ids only in prose: "The parameter must be an identifier for the resource
//! type: `ClusterComputeResource`.", "...the property must contain identifiers for the
//! resource type: `X`" (a list or set), "...the key in the property must be an identifier
//! ..." (a map's keys), "The response will be an identifier for the resource type: `X`."
//! The sentence leaves the docs: the type now says it.
//!
//! Naming rule (documented in the README): the last dot-separated segment of the resource
//! type in UpperCamelCase plus `Id` (`ClusterComputeResource` -> `ClusterComputeResourceId`,
//! `com.vmware.cis.task` -> `TaskId`); when that segment is generic (`Instance`, `Info`,
//! `Resource`, `Element`, `Item`, `Entity`, `Object`), the segment before it, singular,
//! takes its place (`com.vmware.vcenter.namespaces.Instance` -> `NamespaceId`). Two resource
//! types that get the same name are an error naming both.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use heck::ToUpperCamelCase;
use regex::Regex;

use crate::error::{Error, Result};
use crate::model::{Docs, IdType, Ty};
use crate::pointer::Pointer;

static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<key>key in the )?(?:parameter|property|response|field|result)(?: map)? (?:must|will) (?:be an identifier|contain identifiers) for the resource type(?::\s*`?(?P<rt>[A-Za-z](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)?`?)?",
    )
    .expect("valid regex")
});

const GENERIC: &[&str] = &[
    "Instance", "Info", "Resource", "Element", "Item", "Entity", "Object",
];

/// The id newtypes found so far, by resource type, with where each was first seen.
#[derive(Default)]
pub struct Registry {
    pub ids: BTreeMap<String, IdType>,
    first_seen: BTreeMap<String, Pointer>,
}

impl Registry {
    /// Reads the identifier phrase of `docs` (if any), rewrites `ty` to hold ids and
    /// removes the phrase from the docs.
    pub fn apply(&mut self, docs: &mut Docs, ty: &mut Ty, at: &Pointer) -> Result<()> {
        let mut value_type: Option<String> = None;
        let mut key_type: Option<String> = None;
        let mut ranges = Vec::new();
        for caps in PHRASE.captures_iter(&docs.text) {
            let Some(rt) = caps.name("rt") else {
                return Err(Error::invalid(
                    at,
                    format!(
                        "the identifier phrase `{}` names no resource type",
                        &caps[0]
                    ),
                ));
            };
            let slot = if caps.name("key").is_some() {
                &mut key_type
            } else {
                &mut value_type
            };
            match slot {
                Some(existing) if existing != rt.as_str() => {
                    return Err(Error::invalid(
                        at,
                        format!(
                            "the identifier phrases name two resource types, `{existing}` and `{}`",
                            rt.as_str()
                        ),
                    ))
                }
                _ => *slot = Some(rt.as_str().to_owned()),
            }
            ranges.push(sentence_around(
                &docs.text,
                caps.get(0).map_or(0..0, |m| m.range()),
            ));
        }
        if value_type.is_none() && key_type.is_none() {
            return Ok(());
        }
        if let Some(rt) = &value_type {
            *ty = self.values_become_ids(ty, rt, at)?;
        }
        if let Some(rt) = &key_type {
            let Ty::Map { value, .. } = ty else {
                return Err(Error::invalid(
                    at,
                    "the phrase speaks of the keys of a map, but the value is not a map",
                ));
            };
            *ty = Ty::Map {
                key: Box::new(self.id(rt, at)?),
                value: value.clone(),
            };
        }
        docs.cut(&ranges);
        Ok(())
    }

    fn values_become_ids(&mut self, ty: &Ty, rt: &str, at: &Pointer) -> Result<Ty> {
        Ok(match ty {
            Ty::String => self.id(rt, at)?,
            Ty::Id(existing) if existing == rt => ty.clone(),
            Ty::List(item) => Ty::List(Box::new(self.values_become_ids(item, rt, at)?)),
            Ty::Set(item) => Ty::Set(Box::new(self.values_become_ids(item, rt, at)?)),
            Ty::Nullable(item) => Ty::Nullable(Box::new(self.values_become_ids(item, rt, at)?)),
            other => {
                return Err(Error::invalid(
                    at,
                    format!(
                        "an identifier phrase on a value that is not a string (it is {other:?})"
                    ),
                ))
            }
        })
    }

    fn id(&mut self, rt: &str, at: &Pointer) -> Result<Ty> {
        if !self.ids.contains_key(rt) {
            let name = id_name(rt);
            // The phrase allows digits after the first letter (`a.9`), and the segment that
            // names the type can start with one: `9Id` is no Rust name, and the emitter's
            // `format_ident!` panicked on it (found by tests/robustness.rs).
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(Error::invalid(
                    at,
                    format!("the resource type `{rt}` gives the id type name `{name}`, which is not a Rust name"),
                ));
            }
            if let Some(other) = self.ids.values().find(|id| id.name == name) {
                return Err(Error::NameCollision {
                    pointer: at.clone(),
                    name: rt.to_owned(),
                    other: other.resource_type.clone(),
                    other_pointer: self.first_seen[&other.resource_type].clone(),
                    rust: name,
                });
            }
            self.ids.insert(
                rt.to_owned(),
                IdType {
                    resource_type: rt.to_owned(),
                    name,
                },
            );
            self.first_seen.insert(rt.to_owned(), at.clone());
        }
        Ok(Ty::Id(rt.to_owned()))
    }
}

/// The newtype name of a resource type, by the rule in the module docs.
pub fn id_name(resource_type: &str) -> String {
    let segments: Vec<&str> = resource_type.split('.').filter(|s| !s.is_empty()).collect();
    let last = segments.last().copied().unwrap_or("Resource");
    let base = if GENERIC.contains(&last) && segments.len() > 1 {
        let previous = segments[segments.len() - 2];
        previous.strip_suffix('s').unwrap_or(previous).to_owned()
    } else {
        last.to_owned()
    };
    format!("{}Id", base.to_upper_camel_case())
}

/// Widens a phrase's range to its whole sentence: back to the previous sentence end and
/// forward past the closing period (resource types have dots, so sentence splitting on
/// `.` alone would cut them).
fn sentence_around(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let before = &text[..range.start];
    let start = [
        before.rfind(". ").map(|i| i + 2),
        before.rfind('\n').map(|i| i + 1),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0);
    let end = if text[range.end..].starts_with('.') {
        range.end + 1
    } else {
        range.end
    };
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, ty: Ty) -> Result<(Registry, Docs, Ty)> {
        let mut registry = Registry::default();
        let mut docs = Docs::new(Some(text));
        let mut ty = ty;
        registry.apply(&mut docs, &mut ty, &Pointer::root().join("x"))?;
        Ok((registry, docs, ty))
    }

    #[test]
    fn names_by_rule() {
        assert_eq!(
            id_name("ClusterComputeResource"),
            "ClusterComputeResourceId"
        );
        assert_eq!(id_name("com.vmware.cis.task"), "TaskId");
        assert_eq!(
            id_name("com.vmware.vcenter.namespaces.Instance"),
            "NamespaceId"
        );
        assert_eq!(
            id_name("com.vmware.vcenter.namespace_management.supervisor.Supervisor"),
            "SupervisorId"
        );
        assert_eq!(
            id_name("com.vmware.esx.settings.alternative_image"),
            "AlternativeImageId"
        );
        assert_eq!(id_name("HostSystem"), "HostSystemId");
    }

    #[test]
    fn parameter_phrase() {
        let (reg, docs, ty) = apply(
            "Identifier of the cluster.\n\nThe parameter must be an identifier for the resource type: `ClusterComputeResource`.",
            Ty::String,
        )
        .expect("applies");
        assert_eq!(ty, Ty::Id("ClusterComputeResource".into()));
        assert_eq!(docs.text, "Identifier of the cluster.");
        assert_eq!(
            reg.ids["ClusterComputeResource"].name,
            "ClusterComputeResourceId"
        );
    }

    #[test]
    fn property_phrase_with_dotted_type_and_list() {
        let (_, docs, ty) = apply(
            "Networks. When clients pass a value of this schema as a parameter, the property must contain identifiers for the resource type: `com.vmware.vcenter.Network`. When operations return a value of this schema as a response, the property will contain identifiers for the resource type: `com.vmware.vcenter.Network`.",
            Ty::Set(Box::new(Ty::String)),
        )
        .expect("applies");
        assert_eq!(
            ty,
            Ty::Set(Box::new(Ty::Id("com.vmware.vcenter.Network".into())))
        );
        assert_eq!(docs.text, "Networks.");
    }

    #[test]
    fn map_key_phrase() {
        let (_, _, ty) = apply(
            "Components. When clients pass a value of this schema as a parameter, the key in the property must be an identifier for the resource type: `com.vmware.esx.settings.component`.",
            Ty::Map { key: Box::new(Ty::String), value: Box::new(Ty::String) },
        )
        .expect("applies");
        assert_eq!(
            ty,
            Ty::Map {
                key: Box::new(Ty::Id("com.vmware.esx.settings.component".into())),
                value: Box::new(Ty::String)
            }
        );
    }

    #[test]
    fn seed_spelling_without_backticks() {
        let (_, _, ty) = apply(
            "the field must be an identifier for the resource type: HostSystem. When operations return ...",
            Ty::String,
        )
        .expect("applies");
        assert_eq!(ty, Ty::Id("HostSystem".into()));
    }

    #[test]
    fn phrase_without_type_is_an_error() {
        let err = apply(
            "The parameter must be an identifier for the resource type.",
            Ty::String,
        )
        .err()
        .expect("fails");
        assert_eq!(
            err.to_string(),
            "#/x: the identifier phrase `parameter must be an identifier for the resource type` names no resource type"
        );
    }

    #[test]
    fn phrase_on_a_number_is_an_error() {
        let err = apply(
            "The parameter must be an identifier for the resource type: `X`.",
            Ty::I64,
        )
        .err()
        .expect("fails");
        assert_eq!(
            err.to_string(),
            "#/x: an identifier phrase on a value that is not a string (it is I64)"
        );
    }

    #[test]
    fn resource_type_ending_in_a_number_is_an_error() {
        let err = apply(
            "The parameter must be an identifier for the resource type: `a.9`.",
            Ty::String,
        )
        .err()
        .expect("fails");
        assert_eq!(
            err.to_string(),
            "#/x: the resource type `a.9` gives the id type name `9Id`, which is not a Rust name"
        );
    }

    #[test]
    fn two_types_one_name_is_an_error() {
        let mut registry = Registry::default();
        let mut ty = Ty::String;
        let text = "The parameter must be an identifier for the resource type: `com.vmware.content.Library`.";
        registry
            .apply(
                &mut Docs::new(Some(text)),
                &mut ty,
                &Pointer::root().join("a"),
            )
            .expect("first");
        let mut ty = Ty::String;
        let text = "The parameter must be an identifier for the resource type: `Library`.";
        let err = registry
            .apply(
                &mut Docs::new(Some(text)),
                &mut ty,
                &Pointer::root().join("b"),
            )
            .expect_err("clash");
        assert_eq!(
            err.to_string(),
            "#/b: `Library` and `com.vmware.content.Library` (at #/a) both become the Rust name `LibraryId`"
        );
    }
}
