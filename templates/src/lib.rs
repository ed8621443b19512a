//! Typed client for the vSphere Automation REST API (`https://{host}/api`).
//!
//! The modules follow VMware's Vapi service paths: the schema
//! `Vcenter.NamespaceManagement.SupportBundle.Location` is
//! [`vcenter::namespace_management::support_bundle::Location`]. Resource ids have a type
//! each ([`ids`]); each operation has its own error enum, whose variants are the
//! standard errors it documents ([`StdError`], [`ErrorType`]).

mod error;

pub use error::{ErrorType, OperationError, StdError, MAX_RAW_BODY};

// @generated-modules
