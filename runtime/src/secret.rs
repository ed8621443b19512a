//! Secrets: values that must never reach a log.

use std::fmt;

/// A password, session id or token. Its `Debug` prints `<redacted>` and it has no
/// `Display`: the value comes out only through [`Secret::expose`], where the code that
/// sends it asks for it by name.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value as a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// A user name and password, for the session service's login (HTTP basic authentication).
/// Its `Debug` shows the user and `<redacted>` for the password.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user name, `administrator@vsphere.local`.
    pub user: String,
    /// The password.
    pub password: Secret,
}

impl Credentials {
    /// Credentials of a user.
    pub fn new(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials {
            user: user.into(),
            password: password.into(),
        }
    }
}
