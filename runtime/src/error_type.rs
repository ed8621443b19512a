//! The kind of a standard error: the `error_type` discriminator of `Vapi.Std.Errors.Error`.
//!
//! Every VMware Automation API shares these 25 kinds, so the runtime owns them; a spec's
//! `Vapi.Std.Errors.Error.Type` schema is mapped onto this type, not generated again.

use std::fmt;

/// The kind of a standard error (`NOT_FOUND`, ...), as the `error_type` field names it.
/// A kind this version does not know is kept, as sent, in [`ErrorType::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorType {
    /// `ERROR`: an error no other kind describes.
    Error,
    /// `ALREADY_EXISTS`: the entity to create exists already.
    AlreadyExists,
    /// `ALREADY_IN_DESIRED_STATE`: the change had no effect; the state is the one asked for.
    AlreadyInDesiredState,
    /// `CANCELED`: the operation canceled itself, as asked.
    Canceled,
    /// `CONCURRENT_CHANGE`: the resource changed since it was read.
    ConcurrentChange,
    /// `FEATURE_IN_USE`: a feature in use prevents the action.
    FeatureInUse,
    /// `INTERNAL_SERVER_ERROR`: the server failed on its own.
    InternalServerError,
    /// `INVALID_ARGUMENT`: a parameter or property was not acceptable.
    InvalidArgument,
    /// `INVALID_ELEMENT_CONFIGURATION`: an element's configuration is not valid.
    InvalidElementConfiguration,
    /// `INVALID_ELEMENT_TYPE`: an element is not of the type expected.
    InvalidElementType,
    /// `INVALID_REQUEST`: the request is malformed.
    InvalidRequest,
    /// `NOT_ALLOWED_IN_CURRENT_STATE`: the resource's state does not allow the operation.
    NotAllowedInCurrentState,
    /// `NOT_FOUND`: a resource the operation names does not exist.
    NotFound,
    /// `OPERATION_NOT_FOUND`: the operation does not exist.
    OperationNotFound,
    /// `RESOURCE_BUSY`: the resource is busy; trying later may succeed.
    ResourceBusy,
    /// `RESOURCE_IN_USE`: the resource is in use.
    ResourceInUse,
    /// `RESOURCE_INACCESSIBLE`: the resource cannot be reached.
    ResourceInaccessible,
    /// `SERVICE_UNAVAILABLE`: the service is not available.
    ServiceUnavailable,
    /// `TIMED_OUT`: the operation did not finish in time.
    TimedOut,
    /// `UNABLE_TO_ALLOCATE_RESOURCE`: a resource could not be allocated.
    UnableToAllocateResource,
    /// `UNAUTHENTICATED`: no valid session or credentials.
    Unauthenticated,
    /// `UNAUTHORIZED`: the user may not do this.
    Unauthorized,
    /// `UNEXPECTED_INPUT`: the request carried input the operation does not take.
    UnexpectedInput,
    /// `UNSUPPORTED`: the operation is not supported here.
    Unsupported,
    /// `UNVERIFIED_PEER`: a peer (a host, a server) could not be verified.
    UnverifiedPeer,
    /// A kind this version of the runtime does not know, kept as the server sent it.
    Unknown(String),
}

/// The kinds a bare status stands for on `/api`, when the body names none. Their statuses
/// come from [`ErrorType::default_status`], so each number is written once; no two of these
/// share a status (a unit test checks it).
const IMPLIED_BY_STATUS: [ErrorType; 7] = [
    ErrorType::InvalidArgument,
    ErrorType::Unauthenticated,
    ErrorType::Unauthorized,
    ErrorType::NotFound,
    ErrorType::ConcurrentChange,
    ErrorType::Error,
    ErrorType::ServiceUnavailable,
];

impl ErrorType {
    /// The 25 known kinds, in the order of the spec's `Vapi.Std.Errors.Error.Type`.
    pub const ALL: &'static [ErrorType] = &[
        ErrorType::Error,
        ErrorType::AlreadyExists,
        ErrorType::AlreadyInDesiredState,
        ErrorType::Canceled,
        ErrorType::ConcurrentChange,
        ErrorType::FeatureInUse,
        ErrorType::InternalServerError,
        ErrorType::InvalidArgument,
        ErrorType::InvalidElementConfiguration,
        ErrorType::InvalidElementType,
        ErrorType::InvalidRequest,
        ErrorType::NotAllowedInCurrentState,
        ErrorType::NotFound,
        ErrorType::OperationNotFound,
        ErrorType::ResourceBusy,
        ErrorType::ResourceInUse,
        ErrorType::ResourceInaccessible,
        ErrorType::ServiceUnavailable,
        ErrorType::TimedOut,
        ErrorType::UnableToAllocateResource,
        ErrorType::Unauthenticated,
        ErrorType::Unauthorized,
        ErrorType::UnexpectedInput,
        ErrorType::Unsupported,
        ErrorType::UnverifiedPeer,
    ];

    /// The value as it is written on the wire (`NOT_FOUND`); the one place the wire names
    /// are written.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorType::Error => "ERROR",
            ErrorType::AlreadyExists => "ALREADY_EXISTS",
            ErrorType::AlreadyInDesiredState => "ALREADY_IN_DESIRED_STATE",
            ErrorType::Canceled => "CANCELED",
            ErrorType::ConcurrentChange => "CONCURRENT_CHANGE",
            ErrorType::FeatureInUse => "FEATURE_IN_USE",
            ErrorType::InternalServerError => "INTERNAL_SERVER_ERROR",
            ErrorType::InvalidArgument => "INVALID_ARGUMENT",
            ErrorType::InvalidElementConfiguration => "INVALID_ELEMENT_CONFIGURATION",
            ErrorType::InvalidElementType => "INVALID_ELEMENT_TYPE",
            ErrorType::InvalidRequest => "INVALID_REQUEST",
            ErrorType::NotAllowedInCurrentState => "NOT_ALLOWED_IN_CURRENT_STATE",
            ErrorType::NotFound => "NOT_FOUND",
            ErrorType::OperationNotFound => "OPERATION_NOT_FOUND",
            ErrorType::ResourceBusy => "RESOURCE_BUSY",
            ErrorType::ResourceInUse => "RESOURCE_IN_USE",
            ErrorType::ResourceInaccessible => "RESOURCE_INACCESSIBLE",
            ErrorType::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorType::TimedOut => "TIMED_OUT",
            ErrorType::UnableToAllocateResource => "UNABLE_TO_ALLOCATE_RESOURCE",
            ErrorType::Unauthenticated => "UNAUTHENTICATED",
            ErrorType::Unauthorized => "UNAUTHORIZED",
            ErrorType::UnexpectedInput => "UNEXPECTED_INPUT",
            ErrorType::Unsupported => "UNSUPPORTED",
            ErrorType::UnverifiedPeer => "UNVERIFIED_PEER",
            ErrorType::Unknown(value) => value,
        }
    }

    /// The status vCenter answers this kind with on `/api`; 500 for a kind this version
    /// does not know. The one table of statuses: the match names every kind, so a new kind
    /// does not compile without its status.
    pub fn default_status(&self) -> u16 {
        match self {
            ErrorType::InvalidArgument
            | ErrorType::AlreadyExists
            | ErrorType::AlreadyInDesiredState
            | ErrorType::FeatureInUse
            | ErrorType::InvalidElementConfiguration
            | ErrorType::InvalidElementType
            | ErrorType::InvalidRequest
            | ErrorType::NotAllowedInCurrentState
            | ErrorType::ResourceInUse
            | ErrorType::UnexpectedInput
            | ErrorType::Unsupported
            | ErrorType::UnverifiedPeer => 400,
            ErrorType::Unauthenticated => 401,
            ErrorType::Unauthorized => 403,
            ErrorType::NotFound | ErrorType::OperationNotFound => 404,
            ErrorType::ConcurrentChange => 409,
            ErrorType::Error
            | ErrorType::Canceled
            | ErrorType::InternalServerError
            | ErrorType::ResourceBusy
            | ErrorType::ResourceInaccessible
            | ErrorType::TimedOut
            | ErrorType::UnableToAllocateResource
            | ErrorType::Unknown(_) => 500,
            ErrorType::ServiceUnavailable => 503,
        }
    }

    /// The kind an `/api` status implies when the body does not say (400 `INVALID_ARGUMENT`,
    /// 401 `UNAUTHENTICATED`, 403 `UNAUTHORIZED`, 404 `NOT_FOUND`, 409 `CONCURRENT_CHANGE`,
    /// 500 `ERROR`, 503 `SERVICE_UNAVAILABLE`); `None` for any other status.
    pub fn for_status(status: u16) -> Option<Self> {
        IMPLIED_BY_STATUS
            .iter()
            .find(|kind| kind.default_status() == status)
            .cloned()
    }
}

impl From<&str> for ErrorType {
    fn from(value: &str) -> Self {
        ErrorType::ALL
            .iter()
            .find(|kind| kind.as_str() == value)
            .cloned()
            .unwrap_or_else(|| ErrorType::Unknown(value.to_owned()))
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(ErrorType::from(value.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn all_holds_the_25_kinds_once_each_and_their_wire_names_round_trip() {
        let names: BTreeSet<&str> = ErrorType::ALL.iter().map(ErrorType::as_str).collect();
        assert_eq!(names.len(), 25);
        for kind in ErrorType::ALL {
            assert_eq!(&ErrorType::from(kind.as_str()), kind);
            let json = serde_json::to_string(kind).expect("serializes");
            assert_eq!(json, format!("\"{kind}\""));
            let back: ErrorType = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(&back, kind);
        }
    }

    #[test]
    fn an_unknown_kind_is_kept_and_sent_back_as_it_came() {
        let kind: ErrorType = serde_json::from_str("\"QUOTA_EXCEEDED\"").expect("decodes");
        assert_eq!(kind, ErrorType::Unknown("QUOTA_EXCEEDED".into()));
        assert_eq!(
            serde_json::to_string(&kind).expect("encodes"),
            "\"QUOTA_EXCEEDED\""
        );
        assert_eq!(kind.default_status(), 500);
    }

    #[test]
    fn the_status_table_round_trips() {
        // Each kind a status implies answers with that status...
        let statuses: BTreeSet<u16> = IMPLIED_BY_STATUS
            .iter()
            .map(ErrorType::default_status)
            .collect();
        assert_eq!(
            statuses.len(),
            IMPLIED_BY_STATUS.len(),
            "two implied kinds share a status"
        );
        for status in &statuses {
            let kind = ErrorType::for_status(*status).expect("implied");
            assert_eq!(kind.default_status(), *status, "{kind}");
        }
        // ...and every known kind's status implies a kind of that same status, so a mock
        // answering a kind at its default status decodes to a kind of the same family.
        for kind in ErrorType::ALL {
            let status = kind.default_status();
            let implied = ErrorType::for_status(status)
                .unwrap_or_else(|| ErrorType::Unknown(format!("none for {status}")));
            assert_eq!(implied.default_status(), status, "{kind}");
        }
        for status in [200, 418, 502, 504] {
            assert_eq!(ErrorType::for_status(status), None, "{status}");
        }
    }
}
