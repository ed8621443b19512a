//! Every Rust name the generated crate exposes is made here, and only here.
//!
//! A spec name is cut into words by heck, cased, and escaped when it lands on a Rust
//! keyword (prost-build's `ident.rs` is the model). The names derived from others (an
//! operation's error enum, a kind's predicate, an id type, a task variant, a mock method) are
//! made here too, so a reader finds every naming rule in one file; `vapi::namespaces` checks
//! where they land together. Names that cannot become identifiers at all (empty, only
//! punctuation) are refused by the caller with the pointer of the place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict keywords of Rust 2015, which `r#` escapes (but for the four of `NOT_RAW`).
const STRICT_2015: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
];

/// Keywords added by Rust 2018.
const STRICT_2018: &[&str] = &["async", "await", "dyn"];

/// Reserved for future use: no identifiers either.
const RESERVED: &[&str] = &[
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try",
];

/// Reserved by Rust 2024.
const RESERVED_2024: &[&str] = &["gen"];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// A field, module or method name: `wcp-support-bundle-token` -> `wcp_support_bundle_token`,
/// `NamespaceManagement` -> `namespace_management`, `createFromHost` -> `create_from_host`,
/// `type` -> `r#type`, `self` -> `self_`.
pub fn to_snake(name: &str) -> String {
    escape(clean(name).to_snake_case())
}

/// A type or variant name: `VMServiceSpec` -> `VmServiceSpec`, `USERNAME_PASSWORD` ->
/// `UsernamePassword`.
pub fn to_upper_camel(name: &str) -> String {
    escape(clean(name).to_upper_camel_case())
}

/// A method argument: a field name, but a keyword gets a trailing `_` (`type` -> `type_`):
/// an argument is also a local of the method's body, named in `format!` strings, where a
/// raw identifier cannot stand.
pub fn param_name(wire: &str) -> String {
    let name = to_snake(wire);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    }
}

/// An argument renamed because the method has a name of its own like it: `spec` of the
/// query -> `spec_query`.
pub fn located_param(name: &str, location: &str) -> String {
    format!("{}_{location}", unraw(name))
}

/// The variant that keeps an enum value the spec does not list: `Unknown`, or the first of
/// `Other`, `Unrecognized`, `UnknownValue` that no listed value took (a value called
/// `UNKNOWN` keeps its natural name).
pub fn fallback_variant(variants: &[&str]) -> String {
    ["Unknown", "Other", "Unrecognized", "UnknownValue"]
        .into_iter()
        .find(|name| !variants.contains(name))
        .unwrap_or("UnknownValue")
        .to_owned()
}

/// The accessor struct of each module on the way to a service.
pub const API: &str = "Api";

/// An operation's error enum, from its method name: `create` -> `CreateError`, `self_`
/// (an operation named `self`) -> `SelfError`: with the suffix, no keyword needs escaping.
pub fn error_enum(method: &str) -> String {
    let words = clean(unraw(method).trim_end_matches('_'));
    let name = format!("{}Error", words.to_upper_camel_case());
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// The predicate of an error kind: `NotFound` -> `is_not_found`.
pub fn predicate(kind: &str) -> String {
    format!("is_{}", clean(unraw(kind)).to_snake_case())
}

/// An id type from the last segments of its resource type: `[vm, snapshot]` ->
/// `VmSnapshotId` (`vapi::identifiers` chooses the segments).
pub fn id_type(segments: &[String]) -> String {
    format!("{}Id", to_upper_camel(&segments.join("_")))
}

/// The method of a `$Task` variant beside its plain operation: `create` -> `create_task`.
pub fn task_variant(method: &str) -> String {
    format!("{}_task", unraw(method))
}

/// The mock of a task's life, where the spec has a task service.
pub const MOCK_TASK: &str = "mock_task";

/// The mock of a support-bundle download, where the spec has a support-bundle location.
pub const MOCK_BUNDLE_DOWNLOAD: &str = "mock_support_bundle_download";

/// A typed mock: `mock_<service path>_<method>`, the operation id in snake case,
/// `("Vcenter.NamespaceManagement.SupportBundle", "create")` ->
/// `mock_vcenter_namespace_management_support_bundle_create`. The whole path, so a name
/// never changes when the spec gains a service (users' tests call these).
pub fn mock_method(service: &str, method: &str) -> String {
    // With the prefix, no word needs escaping: the plain snake-case words are joined.
    let words: Vec<String> = service
        .split('.')
        .chain([unraw(method).trim_end_matches('_')])
        .map(|s| clean(s).to_snake_case())
        .filter(|w| !w.is_empty())
        .collect();
    format!("mock_{}", words.join("_"))
}

/// The test of an operation's documented errors: its module path and method as plain
/// snake-case words, `(["vcenter", "r#type"], "_9")` -> `vcenter_type_9`; prefixed with
/// `op_` where the words alone would start with a digit or be a keyword.
pub fn errors_test(module: &[String], method: &str) -> String {
    let words: Vec<String> = module
        .iter()
        .map(|m| unraw(m))
        .chain([unraw(method)])
        .map(|s| clean(s).to_snake_case())
        .filter(|w| !w.is_empty())
        .collect();
    let name = words.join("_");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&name) {
        format!("op_{name}")
    } else {
        name
    }
}

/// The text of a name without its `r#` prefix, as it reads in prose and on the wire.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A module path as text, `r#` prefixes dropped: `vcenter::namespaces` with `"::"`, a file
/// path with `"/"`, a test name with `"_"`.
pub fn join(module: &[String], separator: &str) -> String {
    module
        .iter()
        .map(|m| unraw(m))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Whether the cleaned name has anything left to make an identifier from.
pub fn is_usable(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphanumeric())
}

/// Keeps letters, digits and `_`; every other character separates words.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
}

/// Whether `name` is a Rust keyword of any edition, or reserved.
pub fn is_keyword(name: &str) -> bool {
    [STRICT_2015, STRICT_2018, RESERVED, RESERVED_2024, NOT_RAW]
        .iter()
        .any(|words| words.contains(&name))
}

fn escape(mut name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    let keyword = [STRICT_2015, STRICT_2018, RESERVED, RESERVED_2024]
        .iter()
        .any(|words| words.contains(&name.as_str()));
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
        name
    } else if keyword {
        format!("r#{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_escaped() {
        assert_eq!(to_snake("type"), "r#type");
        assert_eq!(to_snake("match"), "r#match");
        assert_eq!(to_snake("self"), "self_");
        assert_eq!(to_snake("crate"), "crate_");
        assert_eq!(to_upper_camel("Self"), "Self_");
        assert_eq!(to_snake("async"), "r#async");
    }

    #[test]
    fn vapi_names_are_cased() {
        assert_eq!(to_snake("NamespaceManagement"), "namespace_management");
        assert_eq!(to_upper_camel("VMServiceSpec"), "VmServiceSpec");
        assert_eq!(to_upper_camel("DynamicID"), "DynamicId");
        assert_eq!(to_upper_camel("USERNAME_PASSWORD"), "UsernamePassword");
        assert_eq!(
            to_snake("wcp-support-bundle-token"),
            "wcp_support_bundle_token"
        );
        assert_eq!(to_snake("createFromHost"), "create_from_host");
        assert_eq!(to_snake("activateWithTemplate"), "activate_with_template");
    }

    #[test]
    fn derived_names() {
        assert_eq!(error_enum("create_from_host"), "CreateFromHostError");
        assert_eq!(error_enum("r#type"), "TypeError");
        assert_eq!(error_enum("self_"), "SelfError");
        assert_eq!(error_enum("_9"), "_9Error");
        assert_eq!(predicate("NotFound"), "is_not_found");
        assert_eq!(id_type(&["vm".into(), "snapshot".into()]), "VmSnapshotId");
        assert_eq!(task_variant("create"), "create_task");
        assert_eq!(
            mock_method("Vcenter.NamespaceManagement.SupportBundle", "create"),
            "mock_vcenter_namespace_management_support_bundle_create"
        );
        assert_eq!(mock_method("Cis.Tasks", "r#type"), "mock_cis_tasks_type");
        assert_eq!(param_name("type"), "type_");
    }

    #[test]
    fn digits_and_punctuation() {
        assert_eq!(to_upper_camel("9_1"), "_91");
        assert_eq!(to_snake("2fa"), "_2fa");
        assert!(!is_usable("--"));
        assert_eq!(unraw("r#type"), "type");
    }
}
