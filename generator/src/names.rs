//! Identifier hygiene, in one place: every Rust name the generator makes comes from here.
//!
//! A spec name is cut into words by heck, cased, and escaped when it lands on a Rust
//! keyword. Names that cannot become identifiers at all (empty, only punctuation) are
//! refused by the caller with the pointer of the place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that `r#` can escape (all strict and reserved keywords but the four below).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// `wcp_support_bundle_token`, `type` -> `r#type`, `self` -> `self_`.
pub fn field_name(wire: &str) -> String {
    escape(clean(wire).to_snake_case())
}

/// A method argument: a field name, but a keyword gets a trailing `_` (`type` -> `type_`):
/// an argument is also a local of the method's body, named in `format!` strings, where a
/// raw identifier cannot stand.
pub fn param_name(wire: &str) -> String {
    let name = field_name(wire);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    }
}

/// A module name: `NamespaceManagement` -> `namespace_management`.
pub fn module_name(segment: &str) -> String {
    escape(clean(segment).to_snake_case())
}

/// A method name: `createFromHost` -> `create_from_host`.
pub fn method_name(operation: &str) -> String {
    escape(clean(operation).to_snake_case())
}

/// A type or variant name: `VMServiceSpec` -> `VmServiceSpec`, `USERNAME_PASSWORD` -> `UsernamePassword`.
pub fn type_name(name: &str) -> String {
    escape(clean(name).to_upper_camel_case())
}

/// The accessor struct of each module on the way to a service.
pub const API: &str = "Api";

/// An operation's error enum, from its method name: `create` -> `CreateError`.
pub fn error_enum(method: &str) -> String {
    format!("{}Error", type_name(unraw(method)))
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

fn escape(mut name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
        name
    } else if KEYWORDS.contains(&name.as_str()) {
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
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("match"), "r#match");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(module_name("crate"), "crate_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(method_name("async"), "r#async");
    }

    #[test]
    fn vapi_names_are_cased() {
        assert_eq!(module_name("NamespaceManagement"), "namespace_management");
        assert_eq!(type_name("VMServiceSpec"), "VmServiceSpec");
        assert_eq!(type_name("DynamicID"), "DynamicId");
        assert_eq!(type_name("USERNAME_PASSWORD"), "UsernamePassword");
        assert_eq!(
            field_name("wcp-support-bundle-token"),
            "wcp_support_bundle_token"
        );
        assert_eq!(method_name("createFromHost"), "create_from_host");
        assert_eq!(
            method_name("activateWithTemplate"),
            "activate_with_template"
        );
    }

    #[test]
    fn digits_and_punctuation() {
        assert_eq!(type_name("9_1"), "_91");
        assert_eq!(field_name("2fa"), "_2fa");
        assert!(!is_usable("--"));
        assert_eq!(unraw("r#type"), "type");
    }
}
