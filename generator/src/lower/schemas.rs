//! Component schemas -> named types; inline schemas -> `Ty`.
//!
//! Like VMware's own spec, every object and enum is expected to be a named component;
//! an inline one is refused with a hint, rather than given an invented name.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::refs::Doc;
use crate::error::{Error, Problems, Result};
use crate::model::{Constraints, Docs, Enum, Field, Struct, Ty, TypeDef, TypeKind, Variant};
use crate::names;
use crate::pointer::Pointer;

pub fn lower_types(doc: &Doc, problems: &mut Problems) -> BTreeMap<String, TypeDef> {
    let mut types = BTreeMap::new();
    for (name, schema) in doc.schemas() {
        let pointer = Pointer::schema(name);
        let Some((module, rust_name)) = problems.take(type_path(name, &pointer)) else {
            continue;
        };
        let lowered = match schema {
            // An alias must end at a schema: a cycle of aliases is no type at all.
            ReferenceOr::Reference { reference } => doc
                .schema(reference, &pointer)
                .and_then(|_| doc.schema_name(reference, &pointer))
                .map(|target| {
                    (
                        Docs::default(),
                        TypeKind::Alias(Ty::Named(target.to_owned())),
                    )
                }),
            ReferenceOr::Item(schema) => type_kind(doc, schema, &pointer, problems),
        };
        // A schema that cannot be taken stays as a placeholder, so the types that refer to
        // it report no echo of its problem; nothing is emitted while problems remain.
        let (docs, kind) = problems
            .take(lowered)
            .unwrap_or((Docs::default(), TypeKind::Alias(Ty::Json)));
        let extensions = match schema {
            ReferenceOr::Item(schema) => schema
                .schema_data
                .extensions
                .iter()
                .filter(|(k, _)| k.starts_with("x-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ReferenceOr::Reference { .. } => BTreeMap::new(),
        };
        types.insert(
            name.clone(),
            TypeDef {
                schema: name.clone(),
                pointer,
                module,
                name: rust_name,
                docs,
                kind,
                extensions,
            },
        );
    }
    mark_boxed(&mut types);
    refuse_recursive_aliases(&types, problems);
    types
}

/// An alias becomes a Rust `type`, and a `type` cannot contain itself, not even through a
/// list or a map (`Info: {type: array, items: {$ref: Info}}`): refused, with a hint.
fn refuse_recursive_aliases(types: &BTreeMap<String, TypeDef>, problems: &mut Problems) {
    // Alias -> the schema its type holds (itself, or in a list, set, map or option).
    let named_in: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Alias(ty) => Some((
                name.clone(),
                ty.named().map(str::to_owned).into_iter().collect(),
            )),
            _ => None,
        })
        .collect();
    for (name, targets) in &named_in {
        if targets.iter().any(|t| reaches(&named_in, t, name)) {
            problems.push(Error::unsupported(
                &types[name].pointer,
                "a schema that contains itself only through lists, maps or other aliases",
                "it would be a Rust `type` alias, which cannot be recursive; make it an object with a property holding the list",
            ));
        }
    }
}

/// `Vcenter.NamespaceManagement.SupportBundle.Location` ->
/// (`[vcenter, namespace_management, support_bundle]`, `Location`).
pub fn type_path(name: &str, at: &Pointer) -> Result<(Vec<String>, String)> {
    let mut segments: Vec<&str> = name.split('.').collect();
    let last = segments.pop().unwrap_or_default();
    if segments.iter().chain([&last]).any(|s| !names::is_usable(s)) {
        return Err(Error::invalid(
            at,
            format!("the schema name `{name}` has a part that cannot become a Rust name"),
        ));
    }
    if segments.is_empty() {
        // The crate root is hand-written (the runtime); a type there would not be emitted.
        return Err(Error::unsupported(
            at,
            format!("the schema name `{name}` without a service path"),
            "name it as VMware does, `<Service path>.<Name>` (`Vcenter.Namespaces.Instances.StorageSpec`)",
        ));
    }
    let rust = names::to_upper_camel(last);
    // Generated code names these prelude items bare (`Option<String>`, `Result<..>`,
    // `impl From<&str>`, `AsRef<str>`); a schema of the same name would shadow them in its
    // module.
    if [
        "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "From", "AsRef",
    ]
    .contains(&rust.as_str())
    {
        return Err(Error::unsupported(
            at,
            format!("a schema whose Rust name is `{rust}`"),
            "it would shadow Rust's own item of that name in the generated module",
        ));
    }
    Ok((segments.into_iter().map(names::to_snake).collect(), rust))
}

fn type_kind(
    doc: &Doc,
    schema: &Schema,
    at: &Pointer,
    problems: &mut Problems,
) -> Result<(Docs, TypeKind)> {
    let mut docs = schema_docs(schema);
    if let Some(composite) = Composite::of(schema) {
        let mut visiting = BTreeSet::new();
        return Ok((
            docs,
            TypeKind::Struct(composite.lower(doc, at, &mut visiting, problems)?),
        ));
    }
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
            if matches!(
                object.additional_properties,
                Some(AdditionalProperties::Schema(_))
            ) {
                return Err(Error::unsupported(
                    at,
                    "an object with both `properties` and `additionalProperties`",
                    "split the map into a property of its own",
                ));
            }
            TypeKind::Struct(object_struct(
                doc,
                &object.properties,
                &object.required,
                at,
                problems,
            )?)
        }
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            let (e, rest) = string_enum(&string.enumeration, &docs.text, at)?;
            docs.text = rest;
            TypeKind::Enum(e)
        }
        _ => TypeKind::Alias(ty_of_schema(doc, schema, at)?),
    };
    Ok((docs, kind))
}

/// An object made of `allOf` parts, with or without `type: object` and `properties` of its
/// own beside them: how VMware's generator writes the error kinds
/// (`type: object` + `allOf: [$ref: Vapi.Std.Errors.Error]`) and extended objects.
struct Composite<'s> {
    parts: &'s [ReferenceOr<Schema>],
    properties: Option<&'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
}

impl<'s> Composite<'s> {
    fn of(schema: &'s Schema) -> Option<Self> {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(Composite {
                parts: all_of,
                properties: None,
                required: &[],
            }),
            // openapiv3 reads `type` beside `allOf` as a schema of mixed kinds; an object
            // with nothing but properties beside its parts is still one object.
            SchemaKind::Any(any)
                if !any.all_of.is_empty()
                    && any.typ.as_deref().is_none_or(|t| t == "object")
                    && only_object_keywords(any) =>
            {
                Some(Composite {
                    parts: &any.all_of,
                    properties: Some(&any.properties),
                    required: &any.required,
                })
            }
            _ => None,
        }
    }

    /// `allOf: [$ref]` alone: how OpenAPI 3.0 gives a reference a description of its own.
    fn single_reference(&self) -> Option<&'s ReferenceOr<Schema>> {
        match self.parts {
            [only] if self.properties.is_none_or(|p| p.is_empty()) => Some(only),
            _ => None,
        }
    }

    /// One flattened struct: the fields of every part, in order, then its own properties.
    fn lower(
        &self,
        doc: &Doc,
        at: &Pointer,
        visiting: &mut BTreeSet<String>,
        problems: &mut Problems,
    ) -> Result<Struct> {
        let mut out = Struct::default();
        for (i, part) in self.parts.iter().enumerate() {
            let part_at = at.join("allOf").join(i);
            let (schema, schema_at) = match part {
                ReferenceOr::Item(schema) => (schema, part_at.clone()),
                ReferenceOr::Reference { reference } => {
                    let name = doc.schema_name(reference, &part_at)?;
                    if !visiting.insert(name.to_owned()) {
                        return Err(Error::invalid(
                            &part_at,
                            format!("`allOf` includes `{name}` within itself"),
                        ));
                    }
                    (doc.schema(reference, &part_at)?, Pointer::schema(name))
                }
            };
            let fields = match (&schema.schema_kind, Composite::of(schema)) {
                (_, Some(inner)) => inner.lower(doc, &schema_at, visiting, problems)?.fields,
                (SchemaKind::Type(Type::Object(object)), None) => {
                    object_struct(
                        doc,
                        &object.properties,
                        &object.required,
                        &schema_at,
                        problems,
                    )?
                    .fields
                }
                _ => {
                    return Err(Error::unsupported(
                        &part_at,
                        "an `allOf` part that is not an object",
                        "every part of an `allOf` must be an object schema",
                    ))
                }
            };
            out.fields.extend(fields);
        }
        if let Some(properties) = self.properties.filter(|p| !p.is_empty()) {
            out.fields
                .extend(object_struct(doc, properties, self.required, at, problems)?.fields);
        }
        Ok(out)
    }
}

/// Whether a schema of mixed kinds has only keywords an object may have.
fn only_object_keywords(any: &openapiv3::AnySchema) -> bool {
    any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
        && any.enumeration.is_empty()
        && any.items.is_none()
        && any.pattern.is_none()
        && any.format.is_none()
        && any.additional_properties.is_none()
}

fn schema_docs(schema: &Schema) -> Docs {
    let mut docs = Docs::new(schema.schema_data.description.as_deref());
    if schema.schema_data.deprecated {
        docs.deprecated = Some(String::new());
    }
    docs
}

/// The fields of an object. A property that cannot be taken is recorded and left out.
fn object_struct(
    doc: &Doc,
    properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    at: &Pointer,
    problems: &mut Problems,
) -> Result<Struct> {
    for (i, name) in required.iter().enumerate() {
        if !properties.contains_key(name) {
            return Err(Error::invalid(
                &at.join("required").join(i),
                format!("`{name}` is required but is not among the properties"),
            ));
        }
    }
    let mut fields = Vec::with_capacity(properties.len());
    for (wire, schema) in properties {
        let pointer = at.join("properties").join(wire);
        if !names::is_usable(wire) {
            problems.push(Error::invalid(
                &pointer,
                format!("the property name `{wire}` cannot become a Rust name"),
            ));
            continue;
        }
        let lowered = match schema {
            ReferenceOr::Reference { reference } => ty_of_ref(doc, reference, &pointer)
                .map(|ty| (ty, false, false, Docs::default(), Constraints::default())),
            ReferenceOr::Item(s) => ty_of_schema(doc, s, &pointer).map(|ty| {
                (
                    ty,
                    s.schema_data.nullable,
                    is_secret(s),
                    schema_docs(s),
                    string_constraints(s),
                )
            }),
        };
        let Some((ty, nullable, secret, docs, constraints)) = problems.take(lowered) else {
            continue;
        };
        // An optional field is already an `Option`; `nullable` adds nothing to it.
        let ty = match ty {
            Ty::Nullable(inner) => *inner,
            ty => ty,
        };
        fields.push(Field {
            rust: names::to_snake(wire),
            wire: wire.clone(),
            ty,
            required: required.contains(wire) && !nullable,
            boxed: false,
            secret,
            constraints,
            docs,
            pointer,
        });
    }
    Ok(Struct {
        fields,
        ..Struct::default()
    })
}

/// A string enum, with per-value docs read from the description's bullets
/// (``* `VALUE`: text``, as VMware writes them). Returns the description without them.
fn string_enum(
    values: &[Option<String>],
    description: &str,
    at: &Pointer,
) -> Result<(Enum, String)> {
    let (value_docs, rest) = enum_value_docs(description);
    let mut variants: Vec<Variant> = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let pointer = at.join("enum").join(i);
        let Some(wire) = value else {
            return Err(Error::unsupported(
                &pointer,
                "a `null` enum value",
                "use `nullable: true`",
            ));
        };
        if !names::is_usable(wire) {
            return Err(Error::invalid(
                &pointer,
                format!("the enum value `{wire}` cannot become a Rust name"),
            ));
        }
        let rust = names::to_upper_camel(wire);
        let text = value_docs.get(wire).map(String::as_str);
        variants.push(Variant {
            wire: wire.clone(),
            rust,
            docs: Docs::new(text),
        });
    }
    let taken: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
    let fallback = names::fallback_variant(&taken);
    Ok((Enum { variants, fallback }, rest))
}

/// Per-value docs from an enum's description, and the description without them.
///
/// VMware 9.x writes the values under "Possible values:", a bullet each
/// (``  - `VALUE`: text``), a value's text running on over further lines and paragraphs
/// (its "This constant was added in ..." among them) up to the next bullet; two blank lines
/// end the list. Without that heading, each ``* `VALUE`: text`` line is one value's docs.
fn enum_value_docs(description: &str) -> (BTreeMap<String, String>, String) {
    const HEADING: &str = "Possible values:";
    let Some(start) = description.find(HEADING) else {
        return single_line_bullets(description);
    };
    let body = start + HEADING.len();
    let end = description[body..]
        .find("\n\n\n")
        .map_or(description.len(), |e| body + e);
    let mut docs: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in description[body..end].lines() {
        if let Some((value, text)) = bullet(line) {
            docs.insert(value.to_owned(), text.to_owned());
            current = Some(value.to_owned());
        } else if let Some(text) = current.as_ref().and_then(|v| docs.get_mut(v)) {
            text.push('\n');
            text.push_str(line.trim());
        }
    }
    let rest = format!("{}\n\n{}", &description[..start], &description[end..]);
    (docs, rest.trim().to_owned())
}

fn single_line_bullets(description: &str) -> (BTreeMap<String, String>, String) {
    let mut docs = BTreeMap::new();
    let mut rest = Vec::new();
    for line in description.lines() {
        match bullet(line) {
            Some((value, text)) => {
                docs.insert(value.to_owned(), text.to_owned());
            }
            None => rest.push(line),
        }
    }
    (docs, rest.join("\n").trim().to_owned())
}

/// ``* `VALUE`: text`` or ``- `VALUE`: text`` -> (`VALUE`, `text`).
fn bullet(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    let line = line
        .strip_prefix("* `")
        .or_else(|| line.strip_prefix("- `"))?;
    let (value, text) = line.split_once('`')?;
    Some((value, text.trim_start().strip_prefix(':')?.trim()))
}

fn string_constraints(schema: &Schema) -> Constraints {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Constraints {
            pattern: s.pattern.clone(),
            min_length: s.min_length,
            max_length: s.max_length,
        },
        _ => Constraints::default(),
    }
}

fn is_secret(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s)) if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Password))
    )
}

/// Whether a property schema marks its value as a secret (`format: password`).
pub fn ref_or_secret(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if is_secret(s))
}

pub fn ty_of_ref(doc: &Doc, reference: &str, at: &Pointer) -> Result<Ty> {
    Ok(Ty::Named(doc.schema_name(reference, at)?.to_owned()))
}

pub fn ty_of(doc: &Doc, schema: &ReferenceOr<Schema>, at: &Pointer) -> Result<Ty> {
    match schema {
        ReferenceOr::Reference { reference } => ty_of_ref(doc, reference, at),
        ReferenceOr::Item(schema) => ty_of_schema(doc, schema, at),
    }
}

fn ty_of_boxed(doc: &Doc, schema: &ReferenceOr<Box<Schema>>, at: &Pointer) -> Result<Ty> {
    match schema {
        ReferenceOr::Reference { reference } => ty_of_ref(doc, reference, at),
        ReferenceOr::Item(schema) => ty_of_schema(doc, schema, at),
    }
}

/// The shape of an inline schema.
pub fn ty_of_schema(doc: &Doc, schema: &Schema, at: &Pointer) -> Result<Ty> {
    let ty = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            if !s.enumeration.is_empty() {
                return Err(Error::unsupported(
                    at,
                    "an inline enum",
                    "declare it under #/components/schemas and `$ref` it, as VMware does",
                ));
            }
            match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => {
                    return Err(Error::unsupported(
                        at,
                        "`format: binary`",
                        "JSON bodies carry no raw bytes",
                    ))
                }
                _ => Ty::String,
            }
        }
        SchemaKind::Type(Type::Integer(i)) => match i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Ty::I32,
            _ => Ty::I64,
        },
        SchemaKind::Type(Type::Number(n)) => match n.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Ty::F32,
            _ => Ty::F64,
        },
        SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
        SchemaKind::Type(Type::Array(array)) => {
            let items_at = at.join("items");
            let Some(items) = &array.items else {
                return Err(Error::invalid(at, "an array without `items`"));
            };
            let item = ty_of_boxed(doc, items, &items_at)?;
            if array.unique_items {
                check_orderable(doc, &item, &items_at)?;
                Ty::Set(Box::new(item))
            } else {
                Ty::List(Box::new(item))
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            if !object.properties.is_empty() {
                return Err(Error::unsupported(
                    at,
                    "an inline object with properties",
                    "declare it under #/components/schemas and `$ref` it, as VMware does",
                ));
            }
            match &object.additional_properties {
                Some(AdditionalProperties::Schema(value)) => Ty::Map {
                    key: Box::new(Ty::String),
                    value: Box::new(ty_of(doc, value, &at.join("additionalProperties"))?),
                },
                _ => Ty::JsonObject,
            }
        }
        SchemaKind::AllOf { .. } => {
            match Composite::of(schema).and_then(|c| c.single_reference()) {
                // `allOf: [$ref]` is how a description is attached to a reference in OpenAPI 3.0.
                Some(only) => ty_of(doc, only, &at.join("allOf").join(0))?,
                None => return Err(inline_all_of(at)),
            }
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
            return Err(Error::unsupported(
                at,
                "`oneOf`, `anyOf` and `not`",
                "VMware's spec does not use them; model the value as a named object",
            ))
        }
        SchemaKind::Any(any) => {
            if let Some(composite) = Composite::of(schema) {
                match composite.single_reference() {
                    Some(only) => ty_of(doc, only, &at.join("allOf").join(0))?,
                    None => return Err(inline_all_of(at)),
                }
            } else if *any != openapiv3::AnySchema::default() {
                return Err(Error::unsupported(
                    at,
                    "a schema that mixes keywords of several types",
                    "give it one `type` with the keywords of that type",
                ));
            } else {
                Ty::Json
            }
        }
    };
    Ok(if schema.schema_data.nullable {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    })
}

fn inline_all_of(at: &Pointer) -> Error {
    Error::unsupported(
        at,
        "an inline `allOf`",
        "declare it under #/components/schemas, where it becomes one flattened struct",
    )
}

/// Sets become `BTreeSet`s, so their items must have an order: strings, numbers, enums.
fn check_orderable(doc: &Doc, item: &Ty, at: &Pointer) -> Result<()> {
    let ok = match item {
        Ty::String | Ty::I32 | Ty::I64 | Ty::Bool | Ty::Id(_) => true,
        Ty::Named(name) => matches!(
            doc.schema(&format!("#/components/schemas/{name}"), at)?
                .schema_kind,
            SchemaKind::Type(Type::String(_) | Type::Integer(_))
        ),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::unsupported(
            at,
            "a set (`uniqueItems: true`) of objects or numbers with fractions",
            "sets hold strings, integers or enums; use a plain array",
        ))
    }
}

/// A struct that contains itself without indirection would have infinite size: such
/// fields are boxed. `Vec`, `BTreeMap` and `BTreeSet` are indirection already.
fn mark_boxed(types: &mut BTreeMap<String, TypeDef>) {
    let direct: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| direct_target(&f.ty))
                    .collect(),
                TypeKind::Alias(ty) => direct_target(ty).into_iter().collect(),
                TypeKind::Enum(_) => Vec::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    for (name, def) in types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                if let Some(target) = direct_target(&field.ty) {
                    field.boxed = reaches(&direct, &target, name);
                }
            }
        }
    }
}

fn direct_target(ty: &Ty) -> Option<String> {
    match ty {
        Ty::Named(name) => Some(name.clone()),
        Ty::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

fn reaches(direct: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            stack.extend(direct.get(&node).into_iter().flatten().cloned());
        }
    }
    false
}
