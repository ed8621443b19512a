//! JSON pointers (RFC 6901) into the spec, in the `#/a/b` fragment form.
//!
//! Every error the generator reports names the place in the document it concerns, so
//! the pointer is built alongside the walk instead of being reconstructed afterwards.

use std::fmt;

use serde::Serialize;

/// A JSON pointer such as `#/paths/~1session/post/responses/401`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// This pointer with one more segment, escaped as RFC 6901 asks (`~` -> `~0`, `/` -> `~1`).
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, segment))
    }

    /// The pointer of a component schema: `#/components/schemas/<name>`.
    pub fn schema(name: &str) -> Self {
        Self::root().join("components").join("schemas").join(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slash_and_tilde() {
        let p = Pointer::root().join("paths").join("/a~b/{c}").join("post");
        assert_eq!(p.as_str(), "#/paths/~1a~0b~1{c}/post");
    }
}
