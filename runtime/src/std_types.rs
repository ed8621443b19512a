//! The `Vapi.Std` types every VMware Automation API shares: the localizable message and the
//! data a standard error may carry. A spec's schemas of these names are mapped onto these
//! types, not generated again.
//!
//! Decoding is tolerant: unknown fields are ignored and lists a server leaves out are empty,
//! because these come inside errors, and an error must never fail to decode.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A message in the server's default language, with what is needed to localize it
/// (`Vapi.Std.LocalizableMessage`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LocalizableMessage {
    /// The identifier of the message template (`com.vmware.vapi.std.errors.not_found`).
    #[serde(default)]
    pub id: String,
    /// The message in `en_US`, its arguments filled in.
    #[serde(default)]
    pub default_message: String,
    /// Positional arguments of the template.
    #[serde(default)]
    pub args: Vec<String>,
    /// Named arguments of the template (`Vapi.Std.LocalizationParam`, kept as JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, serde_json::Value>>,
    /// The message in the language the client asked for, when the server localized it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localized: Option<String>,
}

impl LocalizableMessage {
    /// A message with this id and text, without arguments.
    pub fn new(id: impl Into<String>, default_message: impl Into<String>) -> Self {
        LocalizableMessage {
            id: id.into(),
            default_message: default_message.into(),
            ..LocalizableMessage::default()
        }
    }

    /// The text to show: the localized one when the server localized it, else the default.
    pub fn text(&self) -> &str {
        self.localized.as_deref().unwrap_or(&self.default_message)
    }
}

/// Which inputs of the operation caused an error (`Vapi.Std.Errors.ArgumentLocations`),
/// read from a standard error's `data`. `primary` is required, so that data of another
/// shape does not read as this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgumentLocations {
    /// The input that triggered the error (`spec.access_grant`).
    pub primary: String,
    /// Other inputs that made the primary one trigger it (possibly none).
    #[serde(default)]
    pub secondary: Vec<String>,
}

/// Which files caused an error (`Vapi.Std.Errors.FileLocations`), read from a standard
/// error's `data`. `primary` is required, as for [`ArgumentLocations`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLocations {
    /// The file that triggered the error.
    pub primary: String,
    /// Other files that made the primary one trigger it (possibly none).
    #[serde(default)]
    pub secondary: Vec<String>,
}

/// Whether an error is transient (`Vapi.Std.Errors.TransientIndication`), read from a
/// standard error's `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransientIndication {
    /// Trying again may succeed.
    pub is_transient: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_message_decodes_from_a_partial_body_and_omits_unset_fields() {
        let message: LocalizableMessage =
            serde_json::from_value(json!({"default_message": "gone", "extra": 1}))
                .expect("decodes");
        assert_eq!(message, LocalizableMessage::new("", "gone"));
        assert_eq!(
            serde_json::to_value(&message).expect("encodes"),
            json!({"id": "", "default_message": "gone", "args": []})
        );
    }

    #[test]
    fn the_text_prefers_the_localized_one() {
        let mut message = LocalizableMessage::new("a", "default");
        assert_eq!(message.text(), "default");
        message.localized = Some("lokalisiert".into());
        assert_eq!(message.text(), "lokalisiert");
    }

    #[test]
    fn error_data_of_another_shape_does_not_read_as_locations() {
        let transient = json!({"is_transient": true});
        assert!(serde_json::from_value::<ArgumentLocations>(transient.clone()).is_err());
        assert!(serde_json::from_value::<FileLocations>(transient.clone()).is_err());
        assert_eq!(
            serde_json::from_value::<TransientIndication>(transient).expect("decodes"),
            TransientIndication { is_transient: true }
        );
        let locations: ArgumentLocations =
            serde_json::from_value(json!({"primary": "spec.name"})).expect("decodes");
        assert!(locations.secondary.is_empty());
    }
}
