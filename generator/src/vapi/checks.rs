//! Rules checked before a request is sent.
//!
//! Standard keywords (`pattern`, `minLength`, `maxLength`) are read by `lower`; the rules
//! between fields that VMware states only in prose are written in our spec as extensions
//! of the object schema:
//!
//! ```yaml
//! x-vapi-union:            # the enum field `auth_type` decides which others are set
//!   discriminator: auth_type
//!   cases:
//!     USERNAME_PASSWORD: {required: [host_credential], forbidden: [host]}
//!     EXISTING: {required: [host], forbidden: [host_credential]}
//! x-vapi-exclusive:        # at most one of each group is set
//!   - [ssl_thumb_print, ssl_certificate]
//! ```
//!
//! Each is checked against the struct here (fields exist and are optional, values are
//! values of the enum, patterns compile), so a typo is a generator error with its pointer,
//! not a rule that silently never fires.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Problems, Result};
use crate::model::{Field, Model, Rule, Struct, Ty, TypeKind, UnionCase};
use crate::pointer::Pointer;

pub const UNION: &str = "x-vapi-union";
pub const EXCLUSIVE: &str = "x-vapi-exclusive";

pub fn apply(model: &mut Model, problems: &mut Problems) {
    let enums: BTreeMap<String, Vec<(String, String)>> = model
        .types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Enum(e) => Some((
                name.clone(),
                e.variants
                    .iter()
                    .map(|v| (v.wire.clone(), v.rust.clone()))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for def in model.types.values_mut() {
        let TypeKind::Struct(s) = &mut def.kind else {
            if def.extensions.contains_key(UNION) || def.extensions.contains_key(EXCLUSIVE) {
                problems.push(Error::invalid(
                    &def.pointer,
                    "rules between fields need an object schema",
                ));
            }
            continue;
        };
        for field in &s.fields {
            if let Some(pattern) = &field.constraints.pattern {
                if let Err(e) = regex::Regex::new(pattern) {
                    // regex draws the pattern with a caret over several lines; the last
                    // one says what is wrong.
                    let text = e.to_string();
                    let why = text.lines().last().unwrap_or_default();
                    problems.push(Error::invalid(
                        &field.pointer.join("pattern"),
                        format!(
                            "the pattern does not compile: {}",
                            why.trim_start_matches("error: ")
                        ),
                    ));
                }
            }
            if let (Some(min), Some(max)) =
                (field.constraints.min_length, field.constraints.max_length)
            {
                if min > max {
                    problems.push(Error::invalid(
                        &field.pointer,
                        format!("`minLength` {min} is greater than `maxLength` {max}: no value can be sent"),
                    ));
                }
            }
        }
        if let Some(value) = def.extensions.get(UNION) {
            if let Some(rule) = problems.take(union(value, s, &enums, &def.pointer.join(UNION))) {
                s.rules.push(rule);
            }
        }
        if let Some(value) = def.extensions.get(EXCLUSIVE) {
            if let Some(rules) = problems.take(exclusive(value, s, &def.pointer.join(EXCLUSIVE))) {
                s.rules.extend(rules);
            }
        }
    }
    mark_checked(model);
}

fn union(
    value: &Value,
    s: &Struct,
    enums: &BTreeMap<String, Vec<(String, String)>>,
    at: &Pointer,
) -> Result<Rule> {
    let discriminator = value
        .get("discriminator")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid(at, "needs `discriminator: <enum field>`"))?;
    let field = find_field(s, discriminator, &at.join("discriminator"))?;
    if !field.required {
        return Err(Error::invalid(
            &at.join("discriminator"),
            format!("`{discriminator}` is optional; a union needs a required discriminator"),
        ));
    }
    let values = match &field.ty {
        Ty::Named(name) => enums.get(name),
        _ => None,
    }
    .ok_or_else(|| {
        Error::invalid(
            &at.join("discriminator"),
            format!("`{discriminator}` is not an enum field"),
        )
    })?;
    let cases_value = value
        .get("cases")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            Error::invalid(
                at,
                "needs `cases: {<enum value>: {required: [...], forbidden: [...]}}`",
            )
        })?;
    let mut cases = Vec::new();
    for (wire, case) in cases_value {
        let case_at = at.join("cases").join(wire);
        let variant = values
            .iter()
            .find(|(w, _)| w == wire)
            .map(|(_, rust)| rust.clone())
            .ok_or_else(|| {
                Error::invalid(
                    &case_at,
                    format!("`{wire}` is not a value of `{discriminator}`"),
                )
            })?;
        let list =
            |key: &str| -> Result<Vec<String>> { names_list(case.get(key), s, &case_at.join(key)) };
        cases.push(UnionCase {
            wire: wire.clone(),
            variant,
            required: list("required")?,
            forbidden: list("forbidden")?,
        });
    }
    Ok(Rule::Union {
        discriminator: field.rust.clone(),
        cases,
    })
}

fn exclusive(value: &Value, s: &Struct, at: &Pointer) -> Result<Vec<Rule>> {
    let groups = value
        .as_array()
        .ok_or_else(|| Error::invalid(at, "needs a list of field lists"))?;
    groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let fields = names_list(Some(group), s, &at.join(i))?;
            if fields.len() < 2 {
                return Err(Error::invalid(
                    &at.join(i),
                    "a group of exclusive fields needs two or more",
                ));
            }
            Ok(Rule::Exclusive(fields))
        })
        .collect()
}

/// A list of wire names of optional fields -> their Rust names.
fn names_list(value: Option<&Value>, s: &Struct, at: &Pointer) -> Result<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items = value
        .as_array()
        .ok_or_else(|| Error::invalid(at, "needs a list of field names"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item
                .as_str()
                .ok_or_else(|| Error::invalid(&at.join(i), "a field name is a string"))?;
            let field = find_field(s, name, &at.join(i))?;
            if field.required {
                return Err(Error::invalid(
                    &at.join(i),
                    format!("`{name}` is always required; a rule about it says nothing"),
                ));
            }
            Ok(field.rust.clone())
        })
        .collect()
}

fn find_field<'s>(s: &'s Struct, wire: &str, at: &Pointer) -> Result<&'s Field> {
    s.fields
        .iter()
        .find(|f| f.wire == wire)
        .ok_or_else(|| Error::invalid(at, format!("there is no property `{wire}`")))
}

/// A struct is checked when it has rules or constraints, or holds a checked struct.
fn mark_checked(model: &mut Model) {
    let own: BTreeSet<String> = model
        .types
        .iter()
        .filter(|(_, def)| matches!(&def.kind, TypeKind::Struct(s) if !s.rules.is_empty() || s.fields.iter().any(|f| !f.constraints.is_empty())))
        .map(|(name, _)| name.clone())
        .collect();
    let checked = model.holders(own);
    for (name, def) in model.types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.checked = checked.contains(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, spec};
    use crate::model::{Rule, TypeKind};

    const OK: &str = "'204': {description: done}";
    const CONNECTION: &str = "    Esx.ConnectionSpec:
      type: object
      properties:
        auth_type: {$ref: '#/components/schemas/Esx.AuthType'}
        host: {type: string}
        host_credential: {type: string}
      required: [auth_type]
      x-vapi-union:
        discriminator: auth_type
        cases:
          EXISTING: {required: [host], forbidden: [host_credential]}
    Esx.AuthType:
      type: string
      enum: [USERNAME_PASSWORD, EXISTING]
";

    #[test]
    fn union_rule_is_read() {
        let model = normalize(&spec("/a", "A.B_run", OK, CONNECTION)).expect("normalizes");
        let TypeKind::Struct(s) = &model.types["Esx.ConnectionSpec"].kind else {
            panic!("struct")
        };
        assert!(s.checked);
        let Rule::Union {
            discriminator,
            cases,
        } = &s.rules[0]
        else {
            panic!("union")
        };
        assert_eq!(discriminator, "auth_type");
        assert_eq!(
            (cases[0].variant.as_str(), cases[0].required.as_slice()),
            ("Existing", ["host".to_owned()].as_slice())
        );
    }

    #[test]
    fn a_rule_naming_a_missing_field_is_an_error() {
        let text = spec(
            "/a",
            "A.B_run",
            OK,
            &CONNECTION.replace(
                "forbidden: [host_credential]",
                "forbidden: [host_credentials]",
            ),
        );
        assert_eq!(
            error_of(&text),
            "#/components/schemas/Esx.ConnectionSpec/x-vapi-union/cases/EXISTING/forbidden/0: there is no property `host_credentials`"
        );
    }

    #[test]
    fn a_case_that_is_not_an_enum_value_is_an_error() {
        let text = spec(
            "/a",
            "A.B_run",
            OK,
            &CONNECTION.replace("EXISTING: {", "EXISTNG: {"),
        );
        assert_eq!(
            error_of(&text),
            "#/components/schemas/Esx.ConnectionSpec/x-vapi-union/cases/EXISTNG: `EXISTNG` is not a value of `auth_type`"
        );
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_an_error() {
        let text = spec(
            "/a",
            "A.B_run",
            OK,
            r#"
            A.Grant:
              type: object
              properties:
                name: {type: string, pattern: '^[a-z'}
            "#,
        );
        assert!(
            error_of(&text).starts_with("#/components/schemas/A.Grant/properties/name/pattern: the pattern does not compile"),
            "{}",
            error_of(&text)
        );
    }
}
