//! The bench's vCenter: a minimal keep-alive HTTP/1.1 server on 127.0.0.1 (hyper), on its
//! own one-thread runtime, with the few endpoints the benchmarks call.
//!
//! - `GET /api/session`: a `Cis.Session.Info`, when the session header is right.
//! - `POST /api/vcenter/namespaces/{ns}/management-services/access-grants`: reads the JSON
//!   body, answers 201.
//! - `POST /bundle/{payload bytes}`: the support-bundle download. The body must be
//!   `{"wcp-support-bundle-token": "..."}` with a token never seen before (each is spent
//!   by its first use, as on vCenter); the answer is a tar archive made on the fly
//!   ([`super::tar_stream`]) with `Content-Disposition` and `Content-Length`.

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::tar_stream::{archive_len, TarStream};

/// The session id the server accepts.
pub const SESSION: &str = "bench-session-6a1e0d2c";

/// The `Cis.Session.Info` the server answers.
pub const SESSION_INFO: &str = r#"{"user":"Administrator@vsphere.local","created_time":"2026-11-22T10:00:00.000Z","last_accessed_time":"2026-11-22T10:05:00.000Z"}"#;

/// The running server; stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

struct State {
    spent_tokens: Mutex<HashSet<String>>,
}

impl Server {
    pub fn start() -> std::io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bench-server")
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            spent_tokens: Mutex::new(HashSet::new()),
        });
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(handle(&state, request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Server {
            addr,
            runtime: Some(runtime),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The download URL of a bundle carrying `payload` bytes of data.
    pub fn bundle_url(&self, payload: u64) -> String {
        format!("{}/bundle/{payload}", self.base_url())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

type Answer = Response<http_body_util::combinators::BoxBody<Bytes, Infallible>>;

fn answer(status: StatusCode, content_type: Option<&str>, body: Bytes) -> Answer {
    let mut response = Response::builder().status(status);
    if let Some(content_type) = content_type {
        response = response.header(hyper::header::CONTENT_TYPE, content_type);
    }
    response
        .body(Full::new(body).boxed())
        .expect("a valid response")
}

fn error(status: StatusCode, error_type: &str) -> Answer {
    let body = format!(r#"{{"error_type":"{error_type}","messages":[]}}"#);
    answer(status, Some("application/json"), Bytes::from(body))
}

async fn handle(state: &State, request: Request<Incoming>) -> Answer {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let session_ok = request
        .headers()
        .get("vmware-api-session-id")
        .is_some_and(|v| v.as_bytes() == SESSION.as_bytes());
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::GET, ["api", "session"]) => {
            if !session_ok {
                return error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
            }
            answer(
                StatusCode::OK,
                Some("application/json"),
                Bytes::from_static(SESSION_INFO.as_bytes()),
            )
        }
        (
            Method::POST,
            ["api", "vcenter", "namespaces", _, "management-services", "access-grants"],
        ) => {
            if !session_ok {
                return error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
            }
            match request.into_body().collect().await.map(|b| b.to_bytes()) {
                Ok(body) if !body.is_empty() => answer(StatusCode::CREATED, None, Bytes::new()),
                _ => error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT"),
            }
        }
        (Method::POST, ["bundle", payload]) => {
            let Ok(payload) = payload.parse::<u64>() else {
                return error(StatusCode::NOT_FOUND, "NOT_FOUND");
            };
            let body = match request.into_body().collect().await {
                Ok(body) => body.to_bytes(),
                Err(_) => return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT"),
            };
            let token = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("wcp-support-bundle-token")
                        .and_then(|t| t.as_str())
                        .map(str::to_owned)
                });
            let fresh = match token {
                Some(token) => state
                    .spent_tokens
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(token),
                None => false,
            };
            if !fresh {
                return error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
            }
            Response::builder()
                .status(StatusCode::OK)
                .header(hyper::header::CONTENT_TYPE, "application/x-tar")
                .header(
                    hyper::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=wcp-support-bundle-bench-{payload}.tar"),
                )
                .body(TarBody::new(payload).boxed())
                .expect("a valid response")
        }
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND"),
    }
}

/// The archive as a response body of exact length (so it goes with `Content-Length`).
struct TarBody {
    chunks: TarStream,
    remaining: u64,
}

impl TarBody {
    fn new(payload: u64) -> Self {
        TarBody {
            chunks: TarStream::new(payload),
            remaining: archive_len(payload),
        }
    }
}

impl Body for TarBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        Poll::Ready(this.chunks.next().map(|chunk| {
            this.remaining -= chunk.len() as u64;
            Ok(Frame::data(chunk))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}
