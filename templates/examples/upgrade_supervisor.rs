// vapigen: requires Cis.Session_create, Cis.Session_delete, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create
//! Starts the upgrade of a Supervisor and prints the id of the task doing it.
//!
//! `cargo run --example upgrade_supervisor -- --url https://vc.example.com --user administrator@vsphere.local --supervisor supervisor-1 --version v1.30.1`

mod common;

use std::process::ExitCode;

use clap::Parser;
use vsphere_api::ids::SupervisorId;
use vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::CreateSpec;

/// Starts the upgrade of a Supervisor to a Kubernetes version.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    #[arg(long)]
    supervisor: String,
    /// The Supervisor version to upgrade to.
    #[arg(long)]
    version: String,
    /// Go on despite precheck warnings.
    #[arg(long)]
    ignore_precheck_warnings: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = match args.connection.connect().await {
        Ok(client) => client,
        Err(e) => return common::fail(&e),
    };
    let mut spec = CreateSpec::new(args.version.as_str().into());
    spec.ignore_precheck_warnings = args.ignore_precheck_warnings.then_some(true);
    let supervisor = SupervisorId::from(args.supervisor.as_str());
    let jobs = client
        .vcenter()
        .namespace_management()
        .software()
        .supervisors()
        .upgrades()
        .jobs();
    let outcome = jobs.create(&supervisor, &spec).await;
    let _ = client.logout().await;
    match outcome {
        Ok(task) => {
            println!("upgrade started: task {task}");
            ExitCode::SUCCESS
        }
        Err(e) => common::fail(&common::describe(&e)),
    }
}
