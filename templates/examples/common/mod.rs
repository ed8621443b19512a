// vapigen: requires Cis.Session_create
//! What every example shares: where the vCenter is, how to trust it, how to log in, and
//! how to print an error a person can act on.

use std::path::PathBuf;
use std::process::ExitCode;

use vsphere_api::{Client, OperationError};

/// Where the vCenter is and how to log in (flags, or the environment).
#[derive(clap::Args, Debug)]
pub struct Connection {
    /// vCenter URL, e.g. https://vc.example.com (the /api suffix is optional).
    #[arg(long, env = "VSPHERE_URL")]
    pub url: String,
    /// User name, e.g. administrator@vsphere.local.
    #[arg(long, env = "VSPHERE_USER")]
    pub user: String,
    /// Password (prefer the environment variable over the flag).
    #[arg(long, env = "VSPHERE_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// A CA certificate to trust (PEM), such as the vCenter's VMCA root.
    #[arg(long, env = "VSPHERE_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// Trust exactly the certificate with this SHA-256 fingerprint.
    #[arg(long, env = "VSPHERE_THUMBPRINT")]
    pub thumbprint: Option<String>,
}

impl Connection {
    /// A client logged in to the vCenter.
    pub async fn connect(&self) -> Result<Client, String> {
        let mut builder = Client::builder(&self.url);
        if let Some(path) = &self.ca_file {
            let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            builder = builder.add_root_certificate(pem);
        }
        if let Some(pin) = &self.thumbprint {
            builder = builder.pin_certificate_sha256(pin.clone());
        }
        let client = builder.build().map_err(|e| chain(&e))?;
        client
            .login(&self.user, self.password.as_str())
            .await
            .map_err(|e| describe(&e))?;
        Ok(client)
    }
}

/// An error as a person reads it: the first message, the error type and the status.
pub fn describe<E: OperationError + 'static>(error: &vsphere_api::CallError<E>) -> String {
    match error {
        vsphere_api::CallError::Api(e) => {
            let std = e.std_error();
            let kind = std
                .error_type()
                .map_or("unknown error".to_owned(), |t| t.to_string());
            let message = std.message().unwrap_or("vCenter sent no message");
            format!("{message} ({kind}, HTTP {})", std.status())
        }
        other => chain(other),
    }
}

/// An error and its causes on one line, `what failed: why: why that`, as `anyhow` prints
/// an error with `{:#}`: each error says what failed, and its source says why.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

/// Prints the error and ends the example with a failure.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
