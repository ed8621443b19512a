//! Step 2 of the support bundle: downloading it with the one-time token.
//!
//! The bundle streams into a writer or a file, never into memory, and is checked as a tar
//! archive on the way: vCenter gives no other sign that it cut a stream short.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::SESSION_HEADER;
use crate::tar_check::{TarCheck, TarError};
use crate::{Client, Secret};

/// The header that carries the token in the GET form.
pub const TOKEN_HEADER: &str = "wcp-support-bundle-token";

/// The name a bundle gets when the server does not send one.
pub const DEFAULT_FILE_NAME: &str = "wcp-support-bundle.tar";

/// Where a support bundle is and the one-time token that fetches it: what the spec's
/// support-bundle operation answers (a generated crate converts its own type with `From`).
/// Its `Debug` shows the URL and `<redacted>` for the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLocation {
    /// The download URL.
    pub url: String,
    /// The one-time token.
    pub token: Secret,
}

impl BundleLocation {
    /// A bundle's location.
    pub fn new(url: impl Into<String>, token: impl Into<Secret>) -> Self {
        BundleLocation {
            url: url.into(),
            token: token.into(),
        }
    }
}

/// How the token is presented. VMware's sources disagree: vSphere 9.1 and govmomi POST it
/// in a JSON body; vSphere 7.0 and older bindings GET with it in a header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenForm {
    /// `POST <url>` with `{"wcp-support-bundle-token": "<token>"}` (the default).
    #[default]
    PostBody,
    /// `GET <url>` with the `wcp-support-bundle-token` header.
    GetHeader,
}

/// Progress of a download: bytes so far, and the total when the server said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes received so far.
    pub bytes: u64,
    /// The bundle's size, when the server sent `Content-Length`.
    pub total: Option<u64>,
}

/// A complete download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// The file name from `Content-Disposition`, made safe; `None` when the server sent none.
    pub file_name: Option<String>,
    /// Bytes received.
    pub bytes: u64,
    /// Entries in the archive.
    pub entries: u64,
    /// Where the bundle was saved, for [`Client::download_support_bundle_to_dir`].
    pub path: Option<PathBuf>,
}

/// Why a bundle was not downloaded whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// HTTP 401: the token is spent, expired or not for this URL.
    #[error("the support-bundle token was rejected (HTTP 401): it is spent, expired or not for this URL")]
    TokenRejected,
    /// This client already sent this token once.
    #[error("this support-bundle token was already used by this client; create a new location")]
    TokenSpent,
    /// The location's URL does not parse.
    #[error("the download URL `{0}` is not usable")]
    Url(String),
    /// Another non-success status.
    #[error("the server answered the download with HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The body (at most [`crate::MAX_RAW_BODY`] bytes).
        body: String,
    },
    /// The connection failed or timed out.
    #[error("the download failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The stream ended before the archive did, or is not a tar archive.
    #[error("the bundle is not a complete tar archive ({0}); the server cut the stream short")]
    Incomplete(#[source] TarError),
    /// Writing the bundle failed.
    #[error("could not write the bundle: {0}")]
    Io(#[source] std::io::Error),
}

impl Client {
    /// Downloads the bundle of `location` into `out`, checking it is a complete tar
    /// archive. The token is spent by the first attempt, whatever its outcome.
    pub async fn download_support_bundle<W: AsyncWrite + Unpin>(
        &self,
        location: impl Into<BundleLocation>,
        form: TokenForm,
        out: &mut W,
        mut progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded, DownloadError> {
        let response = self.request_bundle(location.into(), form).await?;
        let file_name = response
            .headers()
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(file_name_of);
        let total = response.content_length();
        let mut tar = TarCheck::default();
        let mut bytes = 0u64;
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(DownloadError::Transport)?;
            tar.feed(&chunk).map_err(DownloadError::Incomplete)?;
            out.write_all(&chunk).await.map_err(DownloadError::Io)?;
            bytes += chunk.len() as u64;
            progress(DownloadProgress { bytes, total });
        }
        tar.finish().map_err(DownloadError::Incomplete)?;
        out.flush().await.map_err(DownloadError::Io)?;
        Ok(Downloaded {
            file_name,
            bytes,
            entries: tar.entries(),
            path: None,
        })
    }

    /// Downloads the bundle into `dir`, under the server's file name. The bytes go to a
    /// temporary file first, renamed only once the archive is complete: an incomplete
    /// bundle never sits under the final name.
    pub async fn download_support_bundle_to_dir(
        &self,
        location: impl Into<BundleLocation>,
        form: TokenForm,
        dir: &Path,
        progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded, DownloadError> {
        let (partial, file) = create_partial(dir).await.map_err(DownloadError::Io)?;
        // tokio writes files on a blocking thread, one hand-off per write: network-sized
        // chunks (a few KiB) made the download a third slower than curl. A 1 MiB buffer
        // makes each hand-off worth it (measured by `cargo xtask bench`).
        let mut file = tokio::io::BufWriter::with_capacity(1 << 20, file);
        let outcome = self
            .download_support_bundle(location, form, &mut file, progress)
            .await;
        let file = file.into_inner();
        let outcome = match outcome {
            Ok(done) => file
                .sync_all()
                .await
                .map(|_| done)
                .map_err(DownloadError::Io),
            Err(e) => Err(e),
        };
        drop(file);
        match outcome {
            Ok(mut done) => {
                let name = done
                    .file_name
                    .clone()
                    .unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned());
                match place(&partial, dir, &name).await {
                    Ok(path) => {
                        done.path = Some(path);
                        Ok(done)
                    }
                    Err(e) => {
                        let _ = tokio::fs::remove_file(&partial).await;
                        Err(DownloadError::Io(e))
                    }
                }
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }

    async fn request_bundle(
        &self,
        location: BundleLocation,
        form: TokenForm,
    ) -> Result<reqwest::Response, DownloadError> {
        let url =
            url::Url::parse(&location.url).map_err(|_| DownloadError::Url(location.url.clone()))?;
        let token = location.token.expose();
        if !self.spend_token(token) {
            return Err(DownloadError::TokenSpent);
        }
        let mut request = match form {
            TokenForm::PostBody => self
                .http()
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::json!({ TOKEN_HEADER: token }).to_string()),
            TokenForm::GetHeader => self.http().get(url.clone()).header(TOKEN_HEADER, token),
        };
        // The session goes only to the vCenter the client talks to, never to another host.
        if self.same_origin(&url) {
            if let Some(id) = self.session_id() {
                request = request.header(SESSION_HEADER, id.expose());
            }
        }
        let response = request.send().await.map_err(DownloadError::Transport)?;
        match response.status().as_u16() {
            200..=299 => Ok(response),
            401 => Err(DownloadError::TokenRejected),
            status => {
                let body = crate::client::read_bounded(response, crate::MAX_RAW_BODY)
                    .await
                    .unwrap_or_default();
                Err(DownloadError::Status {
                    status,
                    body: crate::error::raw_text(&body),
                })
            }
        }
    }

    /// Marks a token as used; false when it already was. Only a hash of it is kept.
    fn spend_token(&self, token: &str) -> bool {
        let mut hasher = DefaultHasher::new();
        token.hash(&mut hasher);
        self.spent_tokens().insert(hasher.finish())
    }
}

/// A new temporary file in `dir`, unique to this download (two downloads at once never
/// share one).
async fn create_partial(dir: &Path) -> std::io::Result<(PathBuf, tokio::fs::File)> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(
            ".wcp-support-bundle-{}-{n}.part",
            std::process::id()
        ));
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Moves the complete bundle to `dir/name`, or to `name-2`, `name-3`, ... when a file of
/// that name is there already: an earlier bundle is never overwritten.
async fn place(partial: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    for n in 1..=1000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem}-{n}{extension}"))
        };
        // A hard link fails when the target exists, so two downloads cannot both claim it.
        match tokio::fs::hard_link(partial, &candidate).await {
            Ok(()) => {
                tokio::fs::remove_file(partial).await?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{name}: 1000 bundles of that name already"),
    ))
}

/// `attachment; filename=wcp-support-bundle-domain-c8-2026.tar` -> the file name, reduced to
/// a plain name (no directories, no leading dots) so it cannot point outside the folder.
pub fn file_name_of(disposition: &str) -> Option<String> {
    let value = disposition.split(';').map(str::trim).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("filename")
            .then(|| value.trim().trim_matches('"'))
    })?;
    let base = value.rsplit(['/', '\\']).next().unwrap_or_default();
    let safe: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned();
    (!safe.is_empty()).then_some(safe)
}

#[cfg(test)]
mod tests {
    use super::file_name_of;

    #[test]
    fn content_disposition_file_names() {
        assert_eq!(
            file_name_of("attachment; filename=wcp-support-bundle-domain-c8-20261122.tar")
                .as_deref(),
            Some("wcp-support-bundle-domain-c8-20261122.tar")
        );
        assert_eq!(
            file_name_of("attachment; filename=\"b.tar\"").as_deref(),
            Some("b.tar")
        );
        assert_eq!(
            file_name_of("attachment; filename=../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(file_name_of("attachment; filename=..").as_deref(), None);
        assert_eq!(file_name_of("inline").as_deref(), None);
    }
}
