//! Rules the spec documents for a request, checked before anything is sent.
//!
//! The rules themselves are generated from a spec (`pattern`, `maxLength`,
//! `x-vapi-union`, `x-vapi-exclusive`); this is the error they give and the small helpers
//! they share (public under [`crate::codegen::check`]).

use std::fmt;

/// A request that breaks a documented rule; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The field, as a path from the request body: `spec.host_credential.ssl_certificate`.
    pub field: String,
    /// What the spec says about it.
    pub reason: String,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidRequest {}

/// A request body whose rules can be checked.
pub trait Check {
    /// Checks the value found at `path` (`spec` for the body itself).
    fn check(&self, path: &str) -> Result<(), InvalidRequest>;
}

/// Refuses the field `path.field` for `reason`.
pub fn fail(path: &str, field: &str, reason: impl Into<String>) -> Result<(), InvalidRequest> {
    Err(InvalidRequest {
        field: format!("{path}.{field}"),
        reason: reason.into(),
    })
}

/// `maxLength` / `minLength`, in characters as JSON Schema counts them.
pub fn length(
    path: &str,
    field: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), InvalidRequest> {
    let count = value.chars().count();
    if let Some(max) = max.filter(|max| count > *max) {
        return fail(
            path,
            field,
            format!("is {count} characters long; at most {max} are allowed"),
        );
    }
    if let Some(min) = min.filter(|min| count < *min) {
        return fail(
            path,
            field,
            format!("is {count} characters long; at least {min} are needed"),
        );
    }
    Ok(())
}

/// `pattern`: the regular expression of the spec, which must match. Each pattern is
/// compiled once per process; one that `regex` cannot compile refuses the value rather
/// than letting it through unchecked.
pub fn pattern(
    path: &str,
    field: &str,
    value: &str,
    pattern: &'static str,
) -> Result<(), InvalidRequest> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COMPILED: OnceLock<Mutex<HashMap<&'static str, regex::Regex>>> = OnceLock::new();
    let mut compiled = COMPILED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let re = match compiled.get(pattern) {
        Some(re) => re,
        None => match regex::Regex::new(pattern) {
            Ok(re) => compiled.entry(pattern).or_insert(re),
            // The generator checked the pattern compiles with `regex`; a failure here
            // would be our bug, and refusing says so more clearly than sending unchecked.
            Err(e) => {
                return fail(
                    path,
                    field,
                    format!("has a pattern the client cannot compile: {e}"),
                )
            }
        },
    };
    if re.is_match(value) {
        Ok(())
    } else {
        fail(path, field, format!("must match `{pattern}`"))
    }
}
