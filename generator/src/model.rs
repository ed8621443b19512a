//! The intermediate model: what the emitter needs to know, in plain data.
//!
//! `lower` fills it from the OpenAPI document, `vapi` rewrites it to apply VMware's
//! conventions, `emit` turns it into Rust. Ordered maps and vectors in document order keep
//! the output independent of hashing. It serializes to YAML for the model snapshot, so a
//! reviewer sees how the spec was understood before looking at any Rust.

use std::collections::BTreeMap;

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
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub module: Vec<String>,
    pub docs: Docs,
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
}

/// A typed identifier: one newtype per vSphere resource type.
#[derive(Debug, Clone, Serialize)]
pub struct IdType {
    /// `ClusterComputeResource`, `com.vmware.cis.task`.
    pub resource_type: String,
    /// `ClusterComputeResourceId`, `TaskId`.
    pub name: String,
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
    /// The path template without its query, `/esx/settings/depots/offline`.
    pub path: String,
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
    /// The result type of the task this operation starts, when the spec says it
    /// (`x-vapi-task-result`; filled by `vapi::tasks`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_result: Option<Ty>,
}

/// The documented success of an operation.
#[derive(Debug, Clone, Serialize)]
pub struct Success {
    pub status: u16,
    /// The decoded body, `None` for an answer without one.
    pub body: Option<Ty>,
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
    Header,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: Ty,
    pub docs: Docs,
    pub pointer: Pointer,
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
