//! The intermediate model: what the emitter needs to know, in plain data.
//!
//! `lower` fills it from the OpenAPI document, `vapi` rewrites it to apply VMware's
//! conventions, `emit` turns it into Rust. Ordered maps and vectors in document order keep
//! the output independent of hashing. It serializes to YAML for the model snapshot, so a
//! reviewer sees how the spec was understood before looking at any Rust.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::pointer::Pointer;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Model {
    pub title: String,
    pub api_version: String,
    /// Vapi services (OpenAPI tags) by name: their module and docs.
    pub services: BTreeMap<String, Service>,
    /// Named types by schema name (`Vapi.Std.Errors.NotFound`).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations by operationId.
    pub operations: BTreeMap<String, Operation>,
    /// Id newtypes by the resource type they identify (filled by `vapi::identifiers`).
    pub ids: BTreeMap<String, IdType>,
    /// Spec schemas the runtime owns a type for, by schema name (filled by
    /// `vapi::std_types`): they are not emitted, references to them name the runtime's type.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub runtime_types: BTreeMap<String, RuntimeType>,
    /// The service the runtime logs in and out with (filled by `vapi::services`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionService>,
    /// The service the runtime polls tasks with (filled by `vapi::services`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<TaskService>,
    /// Success types that locate a support bundle to download (filled by `vapi::bundles`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bundle_locations: Vec<BundleLocation>,
    /// The crate's cargo features, one per top-level module of the spec, by name: each
    /// with the other features whose types its code names (filled by `vapi::features`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub features: BTreeMap<String, BTreeSet<String>>,
}

impl Model {
    /// The cargo feature that compiles a module: its top-level module's name, `r#` dropped.
    pub fn feature_of(module: &[String]) -> Option<&str> {
        module.first().map(|top| crate::names::unraw(top))
    }

    /// The cargo feature an operation is compiled under: its service's.
    pub fn feature_of_operation(&self, op: &Operation) -> Option<&str> {
        self.services
            .get(&op.service)
            .and_then(|service| Self::feature_of(&service.module))
    }

    /// `seed` and every named struct that holds one of its types in a field (directly, or in
    /// a list, set, map value or optional value), grown until nothing is added: the types a
    /// property of the seed (a secret, a rule to check) reaches.
    pub fn holders(&self, mut seed: BTreeSet<String>) -> BTreeSet<String> {
        loop {
            let more: Vec<&String> = self
                .types
                .iter()
                .filter(|(name, def)| {
                    !seed.contains(*name)
                        && matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.ty.named().is_some_and(|n| seed.contains(n))))
                })
                .map(|(name, _)| name)
                .collect();
            if more.is_empty() {
                return seed;
            }
            let more: Vec<String> = more.into_iter().cloned().collect();
            seed.extend(more);
        }
    }

    /// Calls `f` on every type the model holds: fields, aliases, parameters, bodies,
    /// responses, successes and task results. What a pass that rewrites types walks.
    pub fn visit_tys_mut(&mut self, f: &mut impl FnMut(&mut Ty)) {
        for def in self.types.values_mut() {
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|field| f(&mut field.ty)),
                TypeKind::Alias(ty) => f(ty),
                TypeKind::Enum(_) => {}
            }
        }
        for op in self.operations.values_mut() {
            op.params.iter_mut().for_each(|param| f(&mut param.ty));
            if let Some(body) = &mut op.body {
                f(&mut body.ty);
            }
            for response in &mut op.responses {
                if let Some(body) = &mut response.body {
                    f(body);
                }
            }
            if let Some(body) = op.success.as_mut().and_then(|s| s.body.as_mut()) {
                f(body);
            }
            if let Some(result) = &mut op.task_result {
                f(result);
            }
        }
    }
}

/// A type of the runtime (`vapi-runtime`) that stands for a spec schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RuntimeType {
    /// `Vapi.Std.Errors.Error` and its kinds (`Vapi.Std.Errors.NotFound`, ...).
    StdErrorBody,
    /// `Vapi.Std.Errors.Error.Type`.
    ErrorType,
    /// `Vapi.Std.LocalizableMessage`.
    LocalizableMessage,
    /// `Vapi.Std.Errors.ArgumentLocations`.
    ArgumentLocations,
    /// `Vapi.Std.Errors.FileLocations`.
    FileLocations,
    /// `Vapi.Std.Errors.TransientIndication`.
    TransientIndication,
}

impl RuntimeType {
    /// The type's name in the runtime crate.
    pub fn name(self) -> &'static str {
        match self {
            RuntimeType::StdErrorBody => "StdErrorBody",
            RuntimeType::ErrorType => "ErrorType",
            RuntimeType::LocalizableMessage => "LocalizableMessage",
            RuntimeType::ArgumentLocations => "ArgumentLocations",
            RuntimeType::FileLocations => "FileLocations",
            RuntimeType::TransientIndication => "TransientIndication",
        }
    }
}

/// The session service: `create` logs in (HTTP basic, answers the session id), `delete`
/// logs out.
#[derive(Debug, Clone, Serialize)]
pub struct SessionService {
    pub service: String,
    /// operationIds.
    pub create: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<String>,
}

/// The task service: `get` reads a task's info by its id, `cancel` asks to stop it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskService {
    pub service: String,
    /// The resource type of task ids (`com.vmware.cis.task`).
    pub id: String,
    /// operationIds.
    pub get: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel: Option<String>,
}

/// A struct that says where a support bundle is and the one-time token to fetch it with.
#[derive(Debug, Clone, Serialize)]
pub struct BundleLocation {
    /// The schema, `Vcenter.NamespaceManagement.SupportBundle.Location`.
    pub schema: String,
    /// Rust field names: the URL, the token struct, and the token inside it.
    pub url: String,
    pub token: String,
    pub token_value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub module: Vec<String>,
    pub docs: Docs,
    /// Its entry in `#/tags` (`#/tags/3`), or the tag of its first operation.
    pub pointer: Pointer,
}

/// Documentation carried over from the spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Docs {
    /// The description, as written (Markdown).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// "added in vSphere API x": the version, once `vapi::versions` has read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// "deprecated as of vSphere API x": the note for `#[deprecated]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

impl Docs {
    pub fn new(text: Option<&str>) -> Self {
        Docs {
            text: text.unwrap_or_default().trim().to_owned(),
            ..Docs::default()
        }
    }

    /// Removes `ranges` (phrases a convention has read; in order, not overlapping) from the
    /// text, with the spaces and blank lines that leaves behind.
    pub fn cut(&mut self, ranges: &[std::ops::Range<usize>]) {
        // Two phrases in one sentence widen to overlapping ranges: merge them first.
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        let mut sorted = ranges.to_vec();
        sorted.sort_by_key(|r| r.start);
        for range in sorted {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        for range in merged.iter().rev() {
            let end = range.end.min(self.text.len());
            if range.start < end
                && self.text.is_char_boundary(range.start)
                && self.text.is_char_boundary(end)
            {
                self.text.replace_range(range.start..end, "");
            }
        }
        let mut out: Vec<String> = Vec::new();
        for line in self.text.lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            out.push(line);
        }
        self.text = out.join("\n").trim().to_owned();
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// The schema name in the spec, `Vcenter.NamespaceManagement.SupportBundle.Location`.
    pub schema: String,
    pub pointer: Pointer,
    /// Rust module path, `["vcenter", "namespace_management", "support_bundle"]`.
    pub module: Vec<String>,
    /// Rust type name, `Location`.
    pub name: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Vendor extensions of the schema (`x-...`), for the conventions that read them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// A named schema that is not an object or enum (`type: string`, an array, a map).
    Alias(Ty),
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Rules between fields, checked before a request is sent (filled by `vapi::checks`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// The value, or one inside it, has something to check (filled by `vapi::checks`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub checked: bool,
    /// Which way its values travel (filled by `vapi::directions`).
    pub travels: Travels,
}

/// Which way a struct's values travel, and so which serde traits it derives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Travels {
    /// Sent only (a parameter, a body, or in one): `Serialize`.
    Sent,
    /// Received only (an answer, a task's result, or in one): `Deserialize`.
    Received,
    /// Both ways: both traits.
    #[default]
    Both,
    /// Neither: no operation names it. Neither trait, but under `serde-all`.
    Neither,
}

/// A documented rule between the fields of a struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// `x-vapi-union`: the value of an enum field says which other fields must and must not be set.
    Union {
        discriminator: String,
        cases: Vec<UnionCase>,
    },
    /// `x-vapi-exclusive`: at most one of these fields may be set.
    Exclusive(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionCase {
    /// The enum value (wire form) and its variant.
    pub wire: String,
    pub variant: String,
    pub required: Vec<String>,
    pub forbidden: Vec<String>,
}

/// The standard string keywords of a property, checked before sending.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Name on the wire (JSON property).
    pub wire: String,
    /// Rust field name (`r#type` for `type`).
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    /// Held behind a `Box` because the type contains itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
    /// A password, session id or token: its `Debug` is redacted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    pub docs: Docs,
    pub pointer: Pointer,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    pub variants: Vec<Variant>,
    /// The variant that keeps a value this version of the spec does not know.
    pub fallback: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub wire: String,
    pub rust: String,
    pub docs: Docs,
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    DateTime,
    /// Any JSON value (`{}` in the spec).
    Json,
    /// A free-form JSON object (`type: object` with nothing else).
    JsonObject,
    /// A component schema, by its spec name.
    Named(String),
    /// An identifier of a vSphere resource type (`ClusterComputeResource`).
    Id(String),
    List(Box<Ty>),
    /// `uniqueItems: true`.
    Set(Box<Ty>),
    /// `additionalProperties`; the key is `String` or an `Id`.
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
    },
    /// `nullable: true` where absence and null differ (a map value).
    Nullable(Box<Ty>),
    /// A type the runtime owns (filled by `vapi::std_types`).
    Runtime(RuntimeType),
}

impl Ty {
    /// The named type this holds, directly or in a list, set, map value or optional value.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(name) => Some(name),
            Ty::List(item) | Ty::Set(item) | Ty::Nullable(item) => item.named(),
            Ty::Map { value, .. } => value.named(),
            _ => None,
        }
    }
}

/// Types as a reader of the spec names them, for messages: "a list of strings",
/// "`Vcenter.Namespaces.Instances.StorageSpec`".
impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::Bool => f.write_str("a boolean"),
            Ty::I32 => f.write_str("a 32-bit integer"),
            Ty::I64 => f.write_str("an integer"),
            Ty::F32 | Ty::F64 => f.write_str("a number"),
            Ty::String => f.write_str("a string"),
            Ty::DateTime => f.write_str("a date-time string"),
            Ty::Json => f.write_str("any JSON value"),
            Ty::JsonObject => f.write_str("a free-form object"),
            Ty::Named(name) => write!(f, "`{name}`"),
            Ty::Id(resource_type) => write!(f, "an identifier of `{resource_type}`"),
            Ty::List(item) => write!(f, "a list of {}", Plural(item)),
            Ty::Set(item) => write!(f, "a set of {}", Plural(item)),
            Ty::Map { key, value } => write!(f, "a map from {} to {}", Plural(key), Plural(value)),
            Ty::Nullable(inner) => write!(f, "{inner} or null"),
            Ty::Runtime(runtime) => write!(f, "the runtime's `{}`", runtime.name()),
        }
    }
}

/// "strings", "`X` values": the items of a list or map in a message.
struct Plural<'a>(&'a Ty);

impl std::fmt::Display for Plural<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Ty::Bool => f.write_str("booleans"),
            Ty::I32 | Ty::I64 => f.write_str("integers"),
            Ty::F32 | Ty::F64 => f.write_str("numbers"),
            Ty::String => f.write_str("strings"),
            Ty::DateTime => f.write_str("date-time strings"),
            Ty::Json => f.write_str("JSON values"),
            Ty::JsonObject => f.write_str("free-form objects"),
            Ty::Id(resource_type) => write!(f, "identifiers of `{resource_type}`"),
            other => write!(f, "{other} values"),
        }
    }
}

/// A typed identifier: one newtype per vSphere resource type.
#[derive(Debug, Clone, Serialize)]
pub struct IdType {
    /// `ClusterComputeResource`, `com.vmware.cis.task`.
    pub resource_type: String,
    /// `ClusterComputeResourceId`, `TaskId`.
    pub name: String,
    /// Where the spec first names the resource type.
    pub pointer: Pointer,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub operation_id: String,
    pub pointer: Pointer,
    /// The Vapi service (OpenAPI tag), `Esx.Settings.Depots.Offline`.
    pub service: String,
    /// Rust method name, `create_from_host`.
    pub method_name: String,
    /// `GET`, `POST`, ...
    pub http_method: String,
    /// The path key as written in the spec, query included.
    pub path_key: String,
    /// The path without its query, parsed: `/esx/settings/depots/offline`.
    pub path: PathTemplate,
    /// Query pairs every call sends, from the path key (`action=createFromHost`).
    pub fixed_query: Vec<(String, String)>,
    /// A `$Task` variant: answers with a task id at once, the work goes on in a task.
    pub task: bool,
    pub auth: Auth,
    pub docs: Docs,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Vendor extensions of the operation (`x-...`), for the conventions that read them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
    /// What a successful call gives (filled by `vapi::errors`).
    pub success: Option<Success>,
    /// The documented error kinds (filled by `vapi::errors`).
    pub errors: Vec<ErrorCase>,
    /// The statuses at which exactly one kind is documented: there the status alone says
    /// the kind when a body carries no `error_type` (filled by `vapi::errors`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub kind_by_status: BTreeMap<u16, String>,
    /// What the task this operation starts yields once it succeeds (filled by
    /// `vapi::tasks` for every task operation; `Json` where the spec does not say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_result: Option<Ty>,
}

impl Operation {
    /// The types a call sends: its parameters and its body.
    pub fn sent(&self) -> impl Iterator<Item = &Ty> {
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.iter().map(|b| &b.ty))
    }

    /// The types a call receives: its answers and its task's result.
    pub fn received(&self) -> impl Iterator<Item = &Ty> {
        self.responses
            .iter()
            .filter_map(|r| r.body.as_ref())
            .chain(self.success.iter().filter_map(|s| s.body.as_ref()))
            .chain(self.task_result.iter())
    }
}

/// A path template, parsed once: literal text and `{name}` values in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathTemplate {
    pub parts: Vec<PathPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Text(String),
    /// The wire name of a path parameter.
    Param(String),
}

impl PathTemplate {
    /// Parses `/a/{b}/c`; an unclosed `{` or an empty `{}` is an error message.
    pub fn parse(path: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                return Err(format!("the path `{path}` has an unclosed `{{`"));
            };
            if open > 0 {
                parts.push(PathPart::Text(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            if name.is_empty() || name.contains('{') {
                return Err(format!("the path `{path}` has an empty or nested `{{}}`"));
            }
            parts.push(PathPart::Param(name.to_owned()));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("the path `{path}` has a `}}` without its `{{`"));
        }
        if !rest.is_empty() {
            parts.push(PathPart::Text(rest.to_owned()));
        }
        Ok(PathTemplate { parts })
    }

    /// The wire names of the path's values, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Text(_) => None,
        })
    }
}

/// As the spec writes it, `/a/{b}/c`: how it reads in docs, logs and the model snapshot.
impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in &self.parts {
            match part {
                PathPart::Text(text) => f.write_str(text)?,
                PathPart::Param(name) => write!(f, "{{{name}}}")?,
            }
        }
        Ok(())
    }
}

impl Serialize for PathTemplate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The documented success of an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Success {
    pub status: u16,
    /// The decoded body, `None` for an answer without one.
    pub body: Option<Ty>,
    /// The answer is, or holds, a secret (a session id, a support-bundle token): it is
    /// withheld from decode errors (filled by `vapi::secrets`).
    pub secret: bool,
    pub docs: Docs,
}

/// One documented error kind of an operation: a variant of its error enum.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorCase {
    /// The Vapi kind, `NotFound`.
    pub kind: String,
    /// The `error_type` wire value, `NOT_FOUND`.
    pub wire: String,
    /// The statuses it is documented at, in the order of the spec.
    pub statuses: Vec<u16>,
    /// When the service answers with it, from the spec.
    pub docs: Docs,
    pub pointer: Pointer,
    /// The runtime's `ErrorType` has a variant for it; else it is matched by its wire
    /// value (a kind newer than the runtime).
    pub known_to_runtime: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// `api_key_auth`: the `vmware-api-session-id` header.
    Session,
    /// `basic_auth`: user name and password, to create a session.
    Basic,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub wire: String,
    /// The argument's name in the method (`vapi::params` renames one that clashes).
    pub rust: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: Ty,
    /// How the value goes on the wire (filled by `vapi::params`).
    pub shape: ParamShape,
    pub docs: Docs,
    pub pointer: Pointer,
}

/// How a parameter's value is written into the path or the query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamShape {
    /// One value as text: a string, id, enum, integer or boolean.
    #[default]
    Value,
    /// A list or set, one query pair per item (`?names=a&names=b`: form, exploded).
    Values,
    /// An object, one query pair per set field (`?local=true&paired=false`: form, exploded).
    Object,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub ty: Ty,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Code(u16),
    /// The `default` response: any status not listed.
    Default,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: Status,
    pub pointer: Pointer,
    pub docs: Docs,
    /// The JSON body, when the response has one.
    pub body: Option<Ty>,
    /// The body is a secret (the session id of `POST /session`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}
