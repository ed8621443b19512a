// vapigen: requires Cis.Session_create, Cis.Session_delete, Vcenter.Namespaces.NamespaceSelfService_activateWithTemplate
//! Activates namespace self-service on a cluster with a template, for a user or group.
//!
//! `cargo run --example activate_self_service -- --url https://vc.example.com --user administrator@vsphere.local --cluster domain-c8 --template dev --subject devs --group --storage-policy <policy-id>`

#![allow(deprecated)] // VMware deprecated the operation in 9.1; it is what 8.x and 9.0 offer.

mod common;

use std::process::ExitCode;

use clap::Parser;
use vsphere_api::ids::{ClusterComputeResourceId, NamespaceTemplateId, SpsStorageProfileId};
use vsphere_api::vcenter::namespace_management::namespace_templates::{
    subject::SubjectType, Subject,
};
use vsphere_api::vcenter::namespaces::instances::StorageSpec;
use vsphere_api::vcenter::namespaces::namespace_self_service::ActivateTemplateSpec;

/// Activates Namespace Self Service on a cluster from a template.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    #[arg(long)]
    cluster: String,
    #[arg(long)]
    template: String,
    /// The user or group allowed to create namespaces.
    #[arg(long)]
    subject: String,
    #[arg(long, default_value = "vsphere.local")]
    domain: String,
    /// The subject is a group, not a user.
    #[arg(long)]
    group: bool,
    /// Storage policy id for the namespaces.
    #[arg(long)]
    storage_policy: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match args.connection.connect().await {
        Ok(client) => client,
        Err(e) => return common::fail(&e),
    };
    let kind = if args.group {
        SubjectType::Group
    } else {
        SubjectType::User
    };
    let spec = ActivateTemplateSpec::new(
        NamespaceTemplateId::from(args.template.as_str()),
        vec![Subject::new(
            kind,
            args.subject.clone(),
            args.domain.clone(),
        )],
        serde_json::Map::new(),
        vec![StorageSpec::new(SpsStorageProfileId::from(
            args.storage_policy.as_str(),
        ))],
    );
    let cluster = ClusterComputeResourceId::from(args.cluster.as_str());
    let outcome = client
        .vcenter()
        .namespaces()
        .namespace_self_service()
        .activate_with_template(&cluster, &spec)
        .await;
    let _ = client.logout().await;
    match outcome {
        Ok(()) => {
            println!("namespace self-service is active on {cluster}");
            ExitCode::SUCCESS
        }
        Err(e) => common::fail(&common::describe(&e)),
    }
}
