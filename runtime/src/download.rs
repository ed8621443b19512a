//! Step 2 of the support bundle: downloading it with the one-time token.
//!
//! The bundle streams into a writer or a file, never into memory, and is checked as a tar
//! archive on the way: vCenter gives no other sign that it cut a stream short.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// How a bundle is downloaded: the token's form, and bounds on what a server may make the
/// download cost. `TokenForm` converts into the default options with that form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadOptions {
    /// How the token is presented.
    pub form: TokenForm,
    /// The most bytes the archive may have; `None` (the default) for no bound. A bundle
    /// larger than this fails with [`DownloadError::TooLarge`].
    pub max_bytes: Option<u64>,
    /// How long the whole download may take, request included; `None` (the default) for no
    /// bound. The wait for the answer and for each chunk is bounded anyway by the client's
    /// request timeout ([`DownloadError::Stalled`]), so a server that stops sending is
    /// noticed; this bounds one that trickles.
    pub deadline: Option<Duration>,
}

impl DownloadOptions {
    /// The token presented in `form`, no bounds.
    pub fn new(form: TokenForm) -> Self {
        DownloadOptions {
            form,
            ..DownloadOptions::default()
        }
    }

    /// Refuses an archive of more than `bytes` bytes.
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = Some(bytes);
        self
    }

    /// Gives up after `deadline` in all.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

impl From<TokenForm> for DownloadOptions {
    fn from(form: TokenForm) -> Self {
        DownloadOptions::new(form)
    }
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
#[non_exhaustive]
pub struct Downloaded {
    /// The file name from `Content-Disposition`, made safe; `None` when the server sent none.
    pub file_name: Option<String>,
    /// Bytes received.
    pub bytes: u64,
    /// Entries in the archive.
    pub entries: u64,
    /// Where the bundle was saved, for [`Client::download_support_bundle_to_dir`].
    pub path: Option<PathBuf>,
    /// The server sent bytes after the end of the archive; they were neither read on nor
    /// saved (the archive itself is complete).
    pub trailing_data: bool,
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
    /// The location's URL does not parse (it is not repeated: it may carry credentials).
    #[error("the download URL is not usable: {reason}")]
    Url {
        /// What is wrong with it.
        reason: String,
    },
    /// The location's URL is `http://` off the loopback, and the client was not built with
    /// [`crate::ClientBuilder::dangerously_allow_http`]: the one-time token would cross the
    /// network in clear text. Nothing was sent, and the token is not spent.
    #[error("the download URL is http://: the support-bundle token would cross the network unencrypted; nothing was sent")]
    InsecureUrl,
    /// Another non-success status.
    #[error("the server answered the download with HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The body (at most [`crate::MAX_RAW_BODY`] bytes).
        body: String,
    },
    /// The connection failed or timed out.
    #[error("the download failed")]
    Transport(#[source] reqwest::Error),
    /// The stream ended before the archive did, or is not a tar archive.
    #[error("the bundle is not a complete tar archive; the server cut the stream short or sent something else")]
    Incomplete(#[source] TarError),
    /// The archive grew past [`DownloadOptions::max_bytes`].
    #[error("the bundle is larger than the {limit} bytes allowed")]
    TooLarge {
        /// The bound.
        limit: u64,
    },
    /// The server sent nothing for the client's request timeout: no answer to the request,
    /// or no next chunk of the bundle.
    #[error("the server sent nothing for {idle:?}")]
    Stalled {
        /// The client's request timeout.
        idle: Duration,
    },
    /// The download took longer than [`DownloadOptions::deadline`].
    #[error("the download did not finish within {deadline:?}")]
    DeadlinePassed {
        /// The bound.
        deadline: Duration,
    },
    /// Writing the bundle failed.
    #[error("could not write the bundle")]
    Io(#[source] std::io::Error),
    /// The bundle is complete but could not be given its name; it is kept under the
    /// temporary name `path`, since the server will not send it again.
    #[error("the bundle is complete but could not be named; it was kept as {}", path.display())]
    NotPlaced {
        /// Where the complete bundle is.
        path: PathBuf,
        /// Why it could not be renamed.
        #[source]
        source: std::io::Error,
    },
}

impl Client {
    /// Downloads the bundle of `location` into `out`, checking it is a complete tar
    /// archive, and stopping at its end: bytes a server sends after the archive are not
    /// written ([`Downloaded::trailing_data`] says there were some). The token is spent by
    /// the first attempt, whatever its outcome. `options` is a [`TokenForm`] or
    /// [`DownloadOptions`] with bounds on size and time.
    pub async fn download_support_bundle<W: AsyncWrite + Unpin>(
        &self,
        location: impl Into<BundleLocation>,
        options: impl Into<DownloadOptions>,
        out: &mut W,
        progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded, DownloadError> {
        let options = options.into();
        let download = self.download_into(location.into(), &options, out, progress);
        match options.deadline {
            Some(deadline) => tokio::time::timeout(deadline, download)
                .await
                .unwrap_or(Err(DownloadError::DeadlinePassed { deadline })),
            None => download.await,
        }
    }

    async fn download_into<W: AsyncWrite + Unpin>(
        &self,
        location: BundleLocation,
        options: &DownloadOptions,
        out: &mut W,
        mut progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded, DownloadError> {
        let response = self.request_bundle(location, options.form).await?;
        let file_name = response
            .headers()
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(file_name_of);
        let total = response.content_length();
        let mut tar = TarCheck::default();
        let mut bytes = 0u64;
        let mut trailing_data = false;
        let mut stream = response.bytes_stream();
        let idle = self.request_timeout();
        // The shared HTTP client has no read timeout (a timer re-armed on every read of every
        // call, which the calls' own deadline makes useless): the download bounds each chunk.
        while let Some(chunk) = tokio::time::timeout(idle, stream.next())
            .await
            .map_err(|_| DownloadError::Stalled { idle })?
        {
            let chunk = chunk.map_err(DownloadError::Transport)?;
            let taken = tar.feed(&chunk).map_err(DownloadError::Incomplete)?;
            if let Some(limit) = options.max_bytes {
                if bytes + taken as u64 > limit {
                    return Err(DownloadError::TooLarge { limit });
                }
            }
            out.write_all(&chunk[..taken])
                .await
                .map_err(DownloadError::Io)?;
            bytes += taken as u64;
            progress(DownloadProgress { bytes, total });
            if taken < chunk.len() {
                trailing_data = true;
                tracing::warn!(
                    archive_bytes = bytes,
                    "the server sent bytes after the end of the bundle's archive; they were not read"
                );
            }
            if tar.is_closed() {
                // The archive and its padding are over: whatever else the server would send
                // is not part of it, and is not read (the connection is dropped).
                break;
            }
        }
        tar.finish().map_err(DownloadError::Incomplete)?;
        out.flush().await.map_err(DownloadError::Io)?;
        Ok(Downloaded {
            file_name,
            bytes,
            entries: tar.entries(),
            path: None,
            trailing_data,
        })
    }

    /// Downloads the bundle into `dir`, under the server's file name. The bytes go to a
    /// temporary file first, renamed only once the archive is complete: an incomplete
    /// bundle never sits under the final name, and a complete one is never deleted (when
    /// its name cannot be used, it gets [`DEFAULT_FILE_NAME`], and failing that stays under
    /// the temporary name: [`DownloadError::NotPlaced`]).
    pub async fn download_support_bundle_to_dir(
        &self,
        location: impl Into<BundleLocation>,
        options: impl Into<DownloadOptions>,
        dir: &Path,
        progress: impl FnMut(DownloadProgress),
    ) -> Result<Downloaded, DownloadError> {
        let (partial, file) = create_partial(dir).await.map_err(DownloadError::Io)?;
        // tokio writes files on a blocking thread, one hand-off per write: network-sized
        // chunks (a few KiB) made the download a third slower than curl. A 1 MiB buffer
        // makes each hand-off worth it (measured by `cargo xtask bench`).
        let mut file = tokio::io::BufWriter::with_capacity(1 << 20, file);
        let outcome = self
            .download_support_bundle(location, options, &mut file, progress)
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
        let mut done = match outcome {
            Ok(done) => done,
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(e);
            }
        };
        let name = done.file_name.as_deref().unwrap_or(DEFAULT_FILE_NAME);
        let placed = match place(&partial, dir, name).await {
            Err(e)
                if name != DEFAULT_FILE_NAME && e.kind() != std::io::ErrorKind::AlreadyExists =>
            {
                tracing::warn!(error = %e, "the server's file name could not be used; the bundle gets the default name");
                place(&partial, dir, DEFAULT_FILE_NAME).await
            }
            other => other,
        };
        match placed {
            Ok(path) => {
                done.path = Some(path);
                Ok(done)
            }
            // The archive is complete and the token spent: keep the bytes where they are.
            Err(source) => Err(DownloadError::NotPlaced {
                path: partial,
                source,
            }),
        }
    }

    async fn request_bundle(
        &self,
        location: BundleLocation,
        form: TokenForm,
    ) -> Result<reqwest::Response, DownloadError> {
        let mut url = url::Url::parse(&location.url).map_err(|e| DownloadError::Url {
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
            return Err(DownloadError::Url {
                reason: "it needs the https:// scheme and a host".to_owned(),
            });
        }
        // A user name or password in a server-sent URL (simulators hand out such URLs) is
        // never turned into credentials: reqwest would send it as `Authorization: Basic`.
        if !url.username().is_empty() || url.password().is_some() {
            tracing::warn!(
                "the download URL carries a user name or password; they were removed and are not sent"
            );
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        if !self.may_send_secrets_to(&url) {
            return Err(DownloadError::InsecureUrl);
        }
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
        let idle = self.request_timeout();
        let response = tokio::time::timeout(idle, request.send())
            .await
            .map_err(|_| DownloadError::Stalled { idle })?
            .map_err(DownloadError::Transport)?;
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

/// The longest file name a bundle is saved under, in bytes: file systems allow 255, and a
/// `-N` suffix may be added when the name is taken.
const MAX_FILE_NAME: usize = 200;

/// `attachment; filename=wcp-support-bundle-domain-c8-2026.tar` -> the file name, read as
/// RFC 6266 says (`filename*=UTF-8''...` preferred over `filename`, quoted values with `;`
/// or `\"` in them), then reduced to a plain name (no directories, no control characters,
/// no leading dots) that cannot point outside the folder, and shortened to
/// 200 bytes with its extension kept.
pub fn file_name_of(disposition: &str) -> Option<String> {
    let params = disposition_params(disposition);
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    };
    let value = param("filename*")
        .and_then(|v| extended_value(v))
        .or_else(|| param("filename").cloned())?;
    let base = value.rsplit(['/', '\\']).next().unwrap_or_default();
    let safe: String = base.chars().filter(|c| !c.is_control()).collect();
    let safe = safe.trim().trim_start_matches('.');
    (!safe.is_empty()).then(|| shortened(safe, MAX_FILE_NAME))
}

/// The parameters after the disposition type: `(name, value)`, quoted values unquoted.
fn disposition_params(disposition: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = match disposition.split_once(';') {
        Some((_, rest)) => rest,
        None => return params,
    };
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some((name, after)) = rest.split_once('=') else {
            return params;
        };
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            // A quoted string: `;` is plain text inside.
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    // Only `\"` and `\\` are read as escapes, as browsers do: a Windows
                    // path's `\` stays, and its directories are dropped below.
                    '\\' if quoted[i + 1..].starts_with(['"', '\\']) => {
                        value.extend(chars.next().map(|(_, c)| c))
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim_end().to_owned(), &after[end..])
        };
        params.push((name.trim().to_owned(), value));
        match next.find(';') {
            Some(at) => rest = &next[at + 1..],
            None => return params,
        }
    }
}

/// An RFC 8187 value, `UTF-8'en'na%C3%AFve.tar` -> `naïve.tar`; `None` for another charset
/// or bytes that are not UTF-8 (the plain `filename` is used then).
fn extended_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

/// `name` cut to at most `max` bytes on a character boundary, its extension (when short)
/// kept: `aaaa...aaaa.tar`.
fn shortened(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let extension = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() < 16 => &name[stem.len()..],
        _ => "",
    };
    let mut cut = max - extension.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{extension}", &name[..cut])
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

    #[test]
    fn content_disposition_is_read_as_rfc_6266_says() {
        let cases = [
            // filename* is preferred, percent-decoded UTF-8.
            (
                "attachment; filename=\"plain.tar\"; filename*=UTF-8''na%C3%AFve%20b.tar",
                Some("naïve b.tar"),
            ),
            (
                "attachment; filename*=iso-8859-1'en'%E9t%E9.tar",
                Some("été.tar"),
            ),
            // A charset that is not understood: the plain name.
            (
                "attachment; filename*=koi8-r''%C1.tar; filename=a.tar",
                Some("a.tar"),
            ),
            // `;` and escaped quotes inside a quoted value, spaces around the parameters.
            (
                "attachment;   filename = \"a;b \\\"c\\\".tar\" ; size=3",
                Some("a;b \"c\".tar"),
            ),
            ("attachment;filename=x.tar;", Some("x.tar")),
            (
                "attachment; FILENAME=\"  .hidden.tar  \"",
                Some("hidden.tar"),
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(file_name_of(header).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn a_long_file_name_is_shortened_with_its_extension_kept() {
        let long = format!("attachment; filename={}.tar", "é".repeat(300));
        let name = file_name_of(&long).expect("a name");
        assert!(name.len() <= super::MAX_FILE_NAME, "{}", name.len());
        assert!(name.ends_with("é.tar"), "{name}");
    }
}
