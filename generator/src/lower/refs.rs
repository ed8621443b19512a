//! `$ref` resolution against `#/components/...`.
//!
//! References are resolved where they are used, so a dangling one is reported at the
//! place that names it.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::error::{Error, Result};
use crate::pointer::Pointer;

/// The parts of the document that references point into.
pub struct Doc<'a> {
    pub api: &'a OpenAPI,
    empty: IndexMap<String, ReferenceOr<Schema>>,
}

impl<'a> Doc<'a> {
    pub fn new(api: &'a OpenAPI) -> Self {
        Doc {
            api,
            empty: IndexMap::new(),
        }
    }

    pub fn schemas(&self) -> &IndexMap<String, ReferenceOr<Schema>> {
        self.api
            .components
            .as_ref()
            .map_or(&self.empty, |c| &c.schemas)
    }

    /// `#/components/schemas/X` -> `X`, checking that `X` exists.
    pub fn schema_name<'r>(&self, reference: &'r str, at: &Pointer) -> Result<&'r str> {
        let name = component_name(reference, "schemas", at)?;
        if self.schemas().contains_key(name) {
            Ok(name)
        } else {
            Err(dangling(reference, at))
        }
    }

    /// The schema a `$ref` names, following references between components.
    pub fn schema(&self, reference: &str, at: &Pointer) -> Result<&'a Schema> {
        let mut reference = reference.to_owned();
        // A chain of aliases longer than the number of schemas is a cycle.
        for _ in 0..=self.schemas().len() {
            let name = self.schema_name(&reference, at)?;
            let schemas = self.api.components.as_ref().map(|c| &c.schemas);
            match schemas.and_then(|s| s.get(name)) {
                Some(ReferenceOr::Item(schema)) => return Ok(schema),
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => return Err(dangling(&reference, at)),
            }
        }
        Err(Error::invalid(
            at,
            format!("`$ref: {reference}` is part of a cycle of references"),
        ))
    }

    /// Resolves a reference to `#/components/<section>/X` in one of the other sections.
    pub fn resolve<'t, T>(
        &self,
        item: &'t ReferenceOr<T>,
        section: &str,
        map: Option<&'t IndexMap<String, ReferenceOr<T>>>,
        at: &Pointer,
    ) -> Result<&'t T> {
        match item {
            ReferenceOr::Item(t) => Ok(t),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, section, at)?;
                match map.and_then(|m| m.get(name)) {
                    Some(ReferenceOr::Item(t)) => Ok(t),
                    Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                        at,
                        format!("`$ref: {reference}`, a reference to a reference"),
                        "point at the component that holds the definition",
                    )),
                    None => Err(dangling(reference, at)),
                }
            }
        }
    }
}

fn component_name<'r>(reference: &'r str, section: &str, at: &Pointer) -> Result<&'r str> {
    let prefix = format!("#/components/{section}/");
    reference.strip_prefix(prefix.as_str()).ok_or_else(|| {
        Error::unsupported(
            at,
            format!("`$ref: {reference}`"),
            format!("only references within this document, to `{prefix}...`, can be followed here"),
        )
    })
}

fn dangling(reference: &str, at: &Pointer) -> Error {
    Error::DanglingRef {
        pointer: at.clone(),
        target: reference.to_owned(),
    }
}
