// vapigen: requires Cis.Session_create, Cis.Session_delete, Vcenter.NamespaceManagement.Supervisors.SupportBundles_create, Vcenter.NamespaceManagement.SupportBundle_create
//! Creates the support-bundle location of a Supervisor (vSphere 9.1) or of a cluster
//! (8.x and 9.0) and downloads the bundle with a progress bar, saving it under the server's
//! file name.
//!
//! `cargo run --example support_bundle -- --url https://vc.example.com --user administrator@vsphere.local --supervisor supervisor-1`
//! (9.1), or `--cluster domain-c8` (older vCenters).

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use vsphere_api::ids::{ClusterComputeResourceId, SupervisorId};
use vsphere_api::{BundleLocation, Client, TokenForm};

/// Downloads a Supervisor's (9.1) or a cluster's support bundle, with a progress bar.
#[derive(Parser)]
#[command(group(clap::ArgGroup::new("of").required(true).args(["supervisor", "cluster"])))]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// The Supervisor whose bundle to collect (e.g. supervisor-1): vSphere 9.1 and later.
    #[arg(long)]
    supervisor: Option<String>,
    /// The cluster whose Supervisor's bundle to collect (e.g. domain-c8): vCenters before
    /// 9.1, where the per-Supervisor operation does not exist.
    #[arg(long)]
    cluster: Option<String>,
    /// Where to save the bundle.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Present the token as a GET header (vSphere 7.0) instead of a POST body.
    #[arg(long)]
    get: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match args.connection.connect().await {
        Ok(client) => client,
        Err(e) => return common::fail(&e),
    };
    let location = match location(&client, &args).await {
        Ok(location) => location,
        Err(e) => return common::fail(&e),
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let form = if args.get {
        TokenForm::GetHeader
    } else {
        TokenForm::PostBody
    };
    let outcome = client
        .download_support_bundle_to_dir(location, form, &args.dir, |p| {
            if let Some(total) = p.total {
                bar.set_length(total);
            }
            bar.set_position(p.bytes);
        })
        .await;
    bar.finish_and_clear();
    let _ = client.logout().await;
    match outcome {
        Ok(done) => {
            let path = done
                .path
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            println!(
                "saved {path}: {} bytes, {} files in the archive",
                done.bytes, done.entries
            );
            ExitCode::SUCCESS
        }
        Err(e) => common::fail(&common::chain(&e)),
    }
}

/// Step 1: the bundle's location and one-time token, from the per-Supervisor operation of
/// 9.1 or the per-cluster one before it.
async fn location(client: &Client, args: &Args) -> Result<BundleLocation, String> {
    let namespace_management = client.vcenter().namespace_management();
    if let Some(supervisor) = &args.supervisor {
        let supervisor = SupervisorId::from(supervisor.as_str());
        namespace_management
            .supervisors()
            .support_bundles()
            .create(&supervisor)
            .await
            .map(BundleLocation::from)
            .map_err(|e| common::describe(&e))
    } else {
        let cluster = ClusterComputeResourceId::from(args.cluster.as_deref().unwrap_or_default());
        // Deprecated by VMware in 9.1; it is what 8.x and 9.0 offer.
        #[allow(deprecated)]
        let created = namespace_management.support_bundle().create(&cluster).await;
        created
            .map(BundleLocation::from)
            .map_err(|e| common::describe(&e))
    }
}
