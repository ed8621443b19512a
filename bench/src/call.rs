//! The cost of one call through the generated client against a hand-written `reqwest`
//! request doing the same call (same method, URL, headers, body and JSON decode) on the same
//! local keep-alive server, interleaved call by call (the order rotates) so drift hits all
//! alike.
//!
//! A third side, the same hand-written request on a `reqwest` client with the generated
//! client's timeouts (connect 30 s, read 300 s, whole request 300 s), tells how much of the
//! overhead is the timers rather than the generated code.

use std::time::{Duration, Instant};

use vsphere_api::ids::{AccessGrantId, ManagementServiceId, NamespaceId};
use vsphere_api::vcenter::namespaces::management_services::access_grants::{
    workload_selector_create_spec::WorkloadType, CreateSpec, WorkloadSelectorCreateSpec,
};

use super::server::{Server, SESSION};
use super::stats::{median, quantile};

/// The figures of one operation.
#[derive(Debug, Clone)]
pub struct CallFigures {
    /// `session_get` (`cis().session().get()`) or `access_grants_create`
    /// (`vcenter().namespaces().management_services().access_grants().create()`).
    pub key: &'static str,
    pub iterations: usize,
    pub client_median_us: f64,
    pub reqwest_median_us: f64,
    /// The hand-written request on a client with the generated client's timeouts.
    pub timed_median_us: f64,
    pub client_p90_us: f64,
    pub reqwest_p90_us: f64,
}

impl CallFigures {
    pub fn ratio(&self) -> f64 {
        self.client_median_us / self.reqwest_median_us
    }

    pub fn ratio_vs_timed(&self) -> f64 {
        self.client_median_us / self.timed_median_us
    }
}

/// The generated client's default timeouts (`vapi_runtime::ClientBuilder`): connect, read,
/// whole request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// The `User-Agent` the generated client sends by default (the runtime's name and
/// version). The bench gives it to the generated client too, so that both sides send the
/// same header even when the runtime's version moves on.
const USER_AGENT: &str = "vapi-runtime/0.1.0";

/// Runs both operations, `iterations` calls per side each (after a warm-up).
pub fn run(server: &Server, iterations: usize) -> Result<Vec<CallFigures>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    runtime.block_on(async {
        let base = server.base_url();
        let client = vsphere_api::Client::builder(base.as_str())
            .user_agent(USER_AGENT)
            .session_id(SESSION)
            .build()
            .map_err(|e| format!("generated client: {e}"))?;
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("reqwest client: {e}"))?;
        let baseline = Baseline {
            http,
            base: base.clone(),
            request_timeout: None,
        };
        let timed_http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| format!("reqwest client: {e}"))?;
        let timed = Baseline {
            http: timed_http,
            base,
            request_timeout: Some(REQUEST_TIMEOUT),
        };
        let spec = grant_spec();
        let namespace = NamespaceId::from("team-a");

        let session_get = measure(
            "cis().session().get()",
            "session_get",
            iterations,
            || async {
                client
                    .cis()
                    .session()
                    .get()
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            },
            || baseline.session_get(),
            || timed.session_get(),
        )
        .await?;
        let create = measure(
            "vcenter().namespaces().management_services().access_grants().create()",
            "access_grants_create",
            iterations,
            || async {
                client
                    .vcenter()
                    .namespaces()
                    .management_services()
                    .access_grants()
                    .create(&namespace, &spec)
                    .await
                    .map_err(|e| e.to_string())
            },
            || baseline.access_grants_create(&namespace, &spec),
            || timed.access_grants_create(&namespace, &spec),
        )
        .await?;
        Ok(vec![session_get, create])
    })
}

pub fn grant_spec() -> CreateSpec {
    let mut spec = CreateSpec::new(
        AccessGrantId::from("argocd-vms"),
        ManagementServiceId::from("argocd"),
        WorkloadSelectorCreateSpec::new(WorkloadType::VirtualMachine),
    );
    spec.description = Some("VMs of team-a reach Argo CD".to_owned());
    spec
}

/// The same calls, written by hand with `reqwest`.
pub struct Baseline {
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// A whole-request timeout on each request, as the generated client sets.
    pub request_timeout: Option<Duration>,
}

impl Baseline {
    fn with_timeout(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.request_timeout {
            Some(timeout) => request.timeout(timeout),
            None => request,
        }
    }

    pub async fn session_get(&self) -> Result<(), String> {
        let response = self
            .with_timeout(self.http.get(format!("{}/api/session", self.base)))
            .header(reqwest::header::ACCEPT, "application/json")
            .header("vmware-api-session-id", SESSION)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let info: vsphere_api::cis::session::Info =
            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        drop(info);
        Ok(())
    }

    pub async fn access_grants_create(
        &self,
        namespace: &NamespaceId,
        spec: &CreateSpec,
    ) -> Result<(), String> {
        let body = serde_json::to_vec(spec).map_err(|e| e.to_string())?;
        let url = format!(
            "{}/api/vcenter/namespaces/{}/management-services/access-grants",
            self.base,
            namespace.as_str()
        );
        let response = self
            .with_timeout(self.http.post(url))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("vmware-api-session-id", SESSION)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        response.bytes().await.map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Times the three sides call by call, the order rotating through all six permutations,
/// after a warm-up of each.
async fn measure<A, AF, B, BF, C, CF>(
    operation: &'static str,
    key: &'static str,
    iterations: usize,
    client: A,
    baseline: B,
    timed: C,
) -> Result<CallFigures, String>
where
    A: Fn() -> AF,
    AF: std::future::Future<Output = Result<(), String>>,
    B: Fn() -> BF,
    BF: std::future::Future<Output = Result<(), String>>,
    C: Fn() -> CF,
    CF: std::future::Future<Output = Result<(), String>>,
{
    const ORDERS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [2, 1, 0],
        [1, 2, 0],
        [0, 2, 1],
        [2, 0, 1],
        [1, 0, 2],
    ];
    let one = |side: usize| {
        let (client, baseline, timed) = (&client, &baseline, &timed);
        async move {
            let outcome = match side {
                0 => client().await,
                1 => baseline().await,
                _ => timed().await,
            };
            outcome.map_err(|e| {
                let who = ["generated client", "reqwest", "reqwest with timeouts"][side];
                format!("{operation} ({who}): {e}")
            })
        }
    };
    for i in 0..(iterations / 10).max(50) {
        for side in ORDERS[i % 6] {
            one(side).await?;
        }
    }
    let mut samples: [Vec<f64>; 3] = std::array::from_fn(|_| Vec::with_capacity(iterations));
    for i in 0..iterations {
        for side in ORDERS[i % 6] {
            let started = Instant::now();
            one(side).await?;
            samples[side].push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    Ok(CallFigures {
        key,
        iterations,
        client_median_us: median(&samples[0]),
        reqwest_median_us: median(&samples[1]),
        timed_median_us: median(&samples[2]),
        client_p90_us: quantile(&samples[0], 0.9),
        reqwest_p90_us: quantile(&samples[1], 0.9),
    })
}
