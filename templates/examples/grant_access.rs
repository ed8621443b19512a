// vapigen: requires Cis.Session_create, Cis.Session_delete, Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! Grants a namespace's workloads access to a management service.
//!
//! `cargo run --example grant_access -- --url https://vc.example.com --user administrator@vsphere.local --namespace team-a --name argocd-vms --service argocd`

mod common;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use vsphere_api::ids::{AccessGrantId, ManagementServiceId, NamespaceId};
use vsphere_api::vcenter::namespaces::management_services::access_grants::{
    workload_selector_create_spec::WorkloadType, CreateSpec, WorkloadSelectorCreateSpec,
};

#[derive(Clone, Copy, ValueEnum)]
enum Workloads {
    Vm,
    Pod,
    Any,
}

/// Grants workloads of a namespace access to a management service.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    #[arg(long)]
    namespace: String,
    /// The grant's name: an RFC 1123 label (a-z, 0-9, '-').
    #[arg(long)]
    name: String,
    /// The management service to grant access to.
    #[arg(long)]
    service: String,
    #[arg(long, value_enum, default_value = "any")]
    workloads: Workloads,
    #[arg(long)]
    description: Option<String>,
    /// Create the grant disabled.
    #[arg(long)]
    disabled: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match args.connection.connect().await {
        Ok(client) => client,
        Err(e) => return common::fail(&e),
    };
    let workloads = match args.workloads {
        Workloads::Vm => WorkloadType::VirtualMachine,
        Workloads::Pod => WorkloadType::VspherePod,
        Workloads::Any => WorkloadType::Any,
    };
    let mut spec = CreateSpec::new(
        AccessGrantId::from(args.name.as_str()),
        ManagementServiceId::from(args.service.as_str()),
        WorkloadSelectorCreateSpec::new(workloads),
    );
    spec.description = args.description.clone();
    spec.enabled = args.disabled.then_some(false);
    let namespace = NamespaceId::from(args.namespace.as_str());
    let outcome = client
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&namespace, &spec)
        .await;
    let _ = client.logout().await;
    match outcome {
        Ok(()) => {
            println!(
                "granted {} access to {} in {namespace}",
                args.name, args.service
            );
            ExitCode::SUCCESS
        }
        Err(e) => common::fail(&common::describe(&e)),
    }
}
