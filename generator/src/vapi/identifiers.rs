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
//! takes its place (`com.vmware.vcenter.namespaces.Instance` -> `NamespaceId`). Resource
//! types that would get the same name each take one more segment from before, until the
//! names differ (`com.vmware.snapservice.vm.snapshot` -> `VmSnapshotId`,
//! `com.vmware.snapservice.protection_group.snapshot` -> `ProtectionGroupSnapshotId`; a type
//! with no segment left keeps its name). The names depend only on the set of resource types
//! in the spec, never on the order they are met in.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Problems, Result};
use crate::model::{Docs, IdType, Ty};
use crate::names;
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

/// The resource types found so far, with where each was first seen; `finish` names them.
#[derive(Default)]
pub struct Registry {
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
            *ty = self.keys_become_ids(ty, rt, at)?;
        }
        docs.cut(&ranges);
        Ok(())
    }

    /// The strings of `ty` become ids: a string, the items of a list or set, the values of
    /// a map, an optional value.
    fn values_become_ids(&mut self, ty: &Ty, rt: &str, at: &Pointer) -> Result<Ty> {
        Ok(match ty {
            Ty::String => self.id(rt, at),
            Ty::Id(existing) if existing == rt => ty.clone(),
            Ty::List(item) => Ty::List(Box::new(self.values_become_ids(item, rt, at)?)),
            Ty::Set(item) => Ty::Set(Box::new(self.values_become_ids(item, rt, at)?)),
            Ty::Nullable(item) => Ty::Nullable(Box::new(self.values_become_ids(item, rt, at)?)),
            Ty::Map { key, value } => Ty::Map {
                key: key.clone(),
                value: Box::new(self.values_become_ids(value, rt, at)?),
            },
            other => {
                return Err(Error::invalid(
                    at,
                    format!("an identifier phrase on {other}, which holds no strings"),
                ))
            }
        })
    }

    /// The keys of the map `ty` (perhaps optional) become ids.
    fn keys_become_ids(&mut self, ty: &Ty, rt: &str, at: &Pointer) -> Result<Ty> {
        Ok(match ty {
            Ty::Map { value, .. } => Ty::Map {
                key: Box::new(self.id(rt, at)),
                value: value.clone(),
            },
            Ty::Nullable(inner) => Ty::Nullable(Box::new(self.keys_become_ids(inner, rt, at)?)),
            other => {
                return Err(Error::invalid(
                    at,
                    format!("the phrase speaks of the keys of a map, but the value is {other}"),
                ))
            }
        })
    }

    fn id(&mut self, rt: &str, at: &Pointer) -> Ty {
        self.first_seen
            .entry(rt.to_owned())
            .or_insert_with(|| at.clone());
        Ty::Id(rt.to_owned())
    }

    /// Names every resource type found, by the rule in the module docs.
    pub fn finish(self, problems: &mut Problems) -> BTreeMap<String, IdType> {
        let names = id_names(self.first_seen.keys().map(String::as_str));
        let mut ids = BTreeMap::new();
        for (rt, name) in &names {
            let at = &self.first_seen[*rt];
            // The phrase allows digits after the first letter (`a.9`), and the segment that
            // names the type can start with one: `9Id` is no Rust name.
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                problems.push(Error::invalid(
                    at,
                    format!("the resource type `{rt}` gives the id type name `{name}`, which is not a Rust name"),
                ));
                continue;
            }
            // Types that differ in nothing but case and punctuation are left alike:
            // `vapi::namespaces` reports them.
            ids.insert(
                (*rt).to_owned(),
                IdType {
                    resource_type: (*rt).to_owned(),
                    name: name.clone(),
                    pointer: at.clone(),
                },
            );
        }
        ids
    }
}

/// The newtype name of every resource type, by the rule in the module docs.
pub fn id_names<'r>(resource_types: impl Iterator<Item = &'r str>) -> BTreeMap<&'r str, String> {
    let segments: BTreeMap<&str, Vec<String>> =
        resource_types.map(|rt| (rt, significant(rt))).collect();
    let mut depth: BTreeMap<&str, usize> = segments.keys().map(|rt| (*rt, 1)).collect();
    loop {
        let names: BTreeMap<&str, String> = segments
            .iter()
            .map(|(rt, segs)| (*rt, name_of(segs, depth[rt])))
            .collect();
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (rt, name) in &names {
            groups.entry(name.as_str()).or_default().push(rt);
        }
        let mut deepened = false;
        for group in groups.values().filter(|g| g.len() > 1) {
            for rt in group {
                if depth[rt] < segments[rt].len() {
                    *depth.entry(rt).or_default() += 1;
                    deepened = true;
                }
            }
        }
        if !deepened {
            return names;
        }
    }
}

/// The segments a name is made from, last first in importance: a generic last segment
/// gives its place to the one before it, made singular.
fn significant(resource_type: &str) -> Vec<String> {
    let mut segments: Vec<String> = resource_type
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.len() > 1
        && segments
            .last()
            .is_some_and(|l| GENERIC.contains(&l.as_str()))
    {
        segments.pop();
        if let Some(last) = segments.last_mut() {
            if let Some(singular) = last.strip_suffix('s') {
                *last = singular.to_owned();
            }
        }
    }
    if segments.is_empty() {
        segments.push("Resource".to_owned());
    }
    segments
}

fn name_of(segments: &[String], depth: usize) -> String {
    names::id_type(&segments[segments.len().saturating_sub(depth)..])
}

/// The name of one resource type alone (no others to tell it from).
#[cfg(test)]
fn id_name(resource_type: &str) -> String {
    name_of(&significant(resource_type), 1)
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

    fn apply(text: &str, ty: Ty) -> Result<(BTreeMap<String, IdType>, Docs, Ty)> {
        let mut registry = Registry::default();
        let mut docs = Docs::new(Some(text));
        let mut ty = ty;
        registry.apply(&mut docs, &mut ty, &Pointer::root().join("x"))?;
        let mut problems = Problems::default();
        let ids = registry.finish(&mut problems);
        problems.into_result()?;
        Ok((ids, docs, ty))
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
            reg["ClusterComputeResource"].name,
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
        .expect_err("fails");
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
        .expect_err("fails");
        assert_eq!(
            err.to_string(),
            "#/x: an identifier phrase on an integer, which holds no strings"
        );
    }

    #[test]
    fn resource_type_ending_in_a_number_is_an_error() {
        let err = apply(
            "The parameter must be an identifier for the resource type: `a.9`.",
            Ty::String,
        )
        .expect_err("fails");
        assert_eq!(
            err.to_string(),
            "1 problem in the spec:\n  #/x: the resource type `a.9` gives the id type name `_9Id`, which is not a Rust name"
        );
    }

    #[test]
    fn names_that_clash_take_the_segment_before() {
        let names = id_names(
            [
                "com.vmware.snapservice.vm.snapshot",
                "com.vmware.snapservice.protection_group.snapshot",
                "com.vmware.snapservice.site",
            ]
            .into_iter(),
        );
        assert_eq!(names["com.vmware.snapservice.vm.snapshot"], "VmSnapshotId");
        assert_eq!(
            names["com.vmware.snapservice.protection_group.snapshot"],
            "ProtectionGroupSnapshotId"
        );
        assert_eq!(names["com.vmware.snapservice.site"], "SiteId");
    }

    #[test]
    fn a_type_with_no_segment_left_keeps_its_name() {
        let names = id_names(["Library", "com.vmware.content.Library"].into_iter());
        assert_eq!(names["Library"], "LibraryId");
        assert_eq!(names["com.vmware.content.Library"], "ContentLibraryId");
    }

    #[test]
    fn map_values_and_optional_maps() {
        let (_, _, ty) = apply(
            "Hosts. When clients pass a value of this schema as a parameter, the property must contain identifiers for the resource type: `HostSystem`.",
            Ty::Map { key: Box::new(Ty::String), value: Box::new(Ty::Nullable(Box::new(Ty::String))) },
        )
        .expect("applies");
        assert_eq!(
            ty,
            Ty::Map {
                key: Box::new(Ty::String),
                value: Box::new(Ty::Nullable(Box::new(Ty::Id("HostSystem".into()))))
            }
        );
    }
}
