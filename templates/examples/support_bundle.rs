//! Creates the support-bundle location of a cluster and downloads the bundle with a
//! progress bar, saving it under the server's file name.
//!
//! `cargo run --example support_bundle -- --url https://vc.example.com --user administrator@vsphere.local --cluster domain-c8`

#![allow(deprecated)] // VMware deprecated the operation in 9.1; it is what 8.x and 9.0 offer.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use vsphere_api::ids::ClusterComputeResourceId;
use vsphere_api::TokenForm;

#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// The cluster whose Supervisor's bundle to collect (e.g. domain-c8).
    #[arg(long)]
    cluster: String,
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
    let cluster = ClusterComputeResourceId::from(args.cluster.as_str());
    let location = match client
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&cluster)
        .await
    {
        Ok(location) => location,
        Err(e) => return common::fail(&common::describe(&e)),
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
        Err(e) => common::fail(&e.to_string()),
    }
}
