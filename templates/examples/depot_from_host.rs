// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task
//! Extracts the software specification of an ESX host into an offline depot, waiting for
//! the task with a progress bar, and prints what was extracted.
//!
//! `cargo run --example depot_from_host -- --url https://vc.example.com --user administrator@vsphere.local --host-id host-21`

mod common;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::{
    ConnectionSpec, DepotExtractInfo, HostCredentials,
};
use vsphere_api::ids::HostSystemId;
use vsphere_api::WaitOptions;

/// Imports a host's current software specification into the offline depot and waits for the task.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// A host in the vCenter inventory (e.g. host-21): connect with a service ticket.
    #[arg(long, conflicts_with = "host_name")]
    host_id: Option<String>,
    /// A host outside the inventory, reached with its own credentials.
    #[arg(long, requires = "host_user")]
    host_name: Option<String>,
    #[arg(long)]
    host_user: Option<String>,
    #[arg(long, env = "ESX_PASSWORD", hide_env_values = true)]
    host_password: Option<String>,
    /// The host certificate's PEM, to verify it.
    #[arg(long)]
    host_certificate: Option<String>,
    /// How long to wait for the task, in seconds.
    #[arg(long, default_value_t = 1800)]
    timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let spec = match (&args.host_id, &args.host_name) {
        (Some(id), _) => {
            let mut spec = ConnectionSpec::new(AuthenticationType::Existing);
            spec.host = Some(HostSystemId::from(id.as_str()));
            spec
        }
        (None, Some(name)) => {
            let mut credentials = HostCredentials::new(
                name.clone(),
                args.host_user.clone().unwrap_or_default(),
                args.host_password.clone().unwrap_or_default(),
            );
            credentials.ssl_certificate = args.host_certificate.clone();
            let mut spec = ConnectionSpec::new(AuthenticationType::UsernamePassword);
            spec.host_credential = Some(credentials);
            spec
        }
        (None, None) => return common::fail("give --host-id, or --host-name with --host-user"),
    };
    let client = match args.connection.connect().await {
        Ok(client) => client,
        Err(e) => return common::fail(&e),
    };
    let task = match client
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&spec)
        .await
    {
        Ok(task) => task,
        Err(e) => return common::fail(&common::describe(&e)),
    };
    let bar = ProgressBar::new(100);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(format!("task {}", task.id()));
    let options = WaitOptions {
        deadline: Some(Duration::from_secs(args.timeout)),
        ..WaitOptions::default()
    };
    let outcome = task
        .wait_with(&options, |p| {
            if let (Some(done), Some(total)) = (p.completed, p.total) {
                bar.set_length(total.max(1) as u64);
                bar.set_position(done.max(0) as u64);
            }
            bar.set_message(p.message.clone().unwrap_or_else(|| p.status.to_string()));
        })
        .await;
    bar.finish_and_clear();
    let _ = client.logout().await;
    match outcome {
        Ok(info) => {
            print!("{}", summary(&info));
            ExitCode::SUCCESS
        }
        Err(e) => common::fail(&common::chain(&e)),
    }
}

/// A readable summary of what the depot got.
fn summary(info: &DepotExtractInfo) -> String {
    let spec = &info.software_spec;
    let mut out = format!(
        "depot {}\n  base image {}\n",
        info.result.depot, spec.base_image.version
    );
    if let Some(add_on) = &spec.add_on {
        out.push_str(&format!("  add-on {} {}\n", add_on.name, add_on.version));
    }
    out.push_str(&format!(
        "  {} components, {} solutions\n",
        spec.components.as_ref().map_or(0, |c| c.len()),
        spec.solutions.as_ref().map_or(0, |s| s.len())
    ));
    let notes = &info.notifications;
    let count = |list: &Option<Vec<_>>| list.as_ref().map_or(0, Vec::len);
    out.push_str(&format!(
        "  notifications: {} info, {} warnings, {} errors\n",
        count(&notes.info),
        count(&notes.warnings),
        count(&notes.errors)
    ));
    out
}
