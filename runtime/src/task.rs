//! Tasks: a handle that waits for a task's result, reporting progress, through the task
//! service of the spec ([`crate::codegen::TaskService`]).

use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::services::missing;
use crate::{CallError, Client, LocalizableMessage, StdError, StdErrorBody};

/// A task the server runs for an operation, whose result decodes as `T` once it succeeds.
pub struct Task<T> {
    client: Client,
    id: String,
    result: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task").field("id", &self.id).finish()
    }
}

impl<T> Clone for Task<T> {
    fn clone(&self) -> Self {
        Task {
            client: self.client.clone(),
            id: self.id.clone(),
            result: PhantomData,
        }
    }
}

/// The status of a task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// `PENDING`: not started yet.
    Pending,
    /// `RUNNING`: under way.
    Running,
    /// `BLOCKED`: waiting for something else.
    Blocked,
    /// `SUCCEEDED`: done; the result is there.
    Succeeded,
    /// `FAILED`: done; the error is there.
    Failed,
    /// A status this version does not know, kept as sent; waiting goes on.
    Unknown(String),
}

impl TaskStatus {
    /// The value as it is written on the wire (`RUNNING`).
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Pending => "PENDING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Blocked => "BLOCKED",
            TaskStatus::Succeeded => "SUCCEEDED",
            TaskStatus::Failed => "FAILED",
            TaskStatus::Unknown(value) => value,
        }
    }
}

impl From<&str> for TaskStatus {
    fn from(value: &str) -> Self {
        match value {
            "PENDING" => TaskStatus::Pending,
            "RUNNING" => TaskStatus::Running,
            "BLOCKED" => TaskStatus::Blocked,
            "SUCCEEDED" => TaskStatus::Succeeded,
            "FAILED" => TaskStatus::Failed,
            other => TaskStatus::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(TaskStatus::from(value.as_str()))
    }
}

/// How far a task is, as it reports it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TaskProgress {
    /// The amount of work in all.
    #[serde(default)]
    pub total: i64,
    /// The work done so far.
    #[serde(default)]
    pub completed: i64,
    /// What the task is doing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<LocalizableMessage>,
}

/// A task's state, read from any VMware task service (`Cis.Task.Info`, snapservice's task
/// info, ...). Only `status` is required; a field that is missing, or written in a shape of
/// the server's own, reads as `None`, so that the status is never lost to a detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// The status.
    pub status: TaskStatus,
    /// How far it is, when it reports it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub progress: Option<TaskProgress>,
    /// The result, once it succeeded (decoded as `T` by [`Task::wait`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    /// The error, once it failed. The 9.x specs write it as a free-form object; any object
    /// reads as a standard error, its known fields filled.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<StdErrorBody>,
    /// What the task does.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<LocalizableMessage>,
    /// Whether it can be canceled.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub cancelable: Option<bool>,
    /// The service that runs it (`com.vmware.esx.settings.depots.offline`).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub service: Option<String>,
    /// The operation it runs (`create_from_host$task`).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub operation: Option<String>,
    /// The user who started it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    /// When it started.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<chrono::DateTime<chrono::Utc>>,
    /// When it ended.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<chrono::DateTime<chrono::Utc>>,
}

/// An optional field read as `None` when it does not decode as its type.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// How [`Task::wait`] polls: the first interval, growing by `backoff` up to `max_interval`,
/// until `deadline`; a poll that fails for a passing reason (see
/// [`CallError::is_transient`](crate::CallError::is_transient): a lost connection, a timeout, HTTP
/// 429, 502, 503 or 504) is repeated after the next interval, up to `retries` times in a
/// row. Polling only reads the task's state, so repeating it is safe.
///
/// [`Task::wait_with`] checks the options first ([`WaitOptions::check`]): an interval
/// under [`WaitOptions::MIN_INTERVAL`] or over [`WaitOptions::MAX_INTERVAL`], a
/// `max_interval` under `interval`, or a `backoff` that is not a finite number from 1 to
/// 10 is refused with [`TaskError::Options`] before anything is sent.
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// The first interval between two polls.
    pub interval: Duration,
    /// The longest interval between two polls.
    pub max_interval: Duration,
    /// How much each interval grows over the previous one.
    pub backoff: f64,
    /// How long to wait in all; `None` waits as long as the task runs. No poll outlives
    /// it: each poll's request timeout is cut to what is left.
    pub deadline: Option<Duration>,
    /// How many failed polls in a row are repeated when the failure is transient (3 by
    /// default; 0 ends the wait at the first failure).
    pub retries: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(10),
            backoff: 1.5,
            deadline: Some(Duration::from_secs(3600)),
            retries: 3,
        }
    }
}

impl WaitOptions {
    /// The shortest interval between two polls: shorter would poll vCenter in a busy loop.
    pub const MIN_INTERVAL: Duration = Duration::from_millis(10);
    /// The longest interval between two polls.
    pub const MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);

    /// Why the options cannot be used, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        let in_range = |d: Duration| (Self::MIN_INTERVAL..=Self::MAX_INTERVAL).contains(&d);
        if !in_range(self.interval) {
            return Err(format!(
                "`interval` is {:?}; it must be from {:?} to {:?}",
                self.interval,
                Self::MIN_INTERVAL,
                Self::MAX_INTERVAL
            ));
        }
        if !in_range(self.max_interval) || self.max_interval < self.interval {
            return Err(format!(
                "`max_interval` is {:?}; it must be from `interval` ({:?}) to {:?}",
                self.max_interval,
                self.interval,
                Self::MAX_INTERVAL
            ));
        }
        if !(1.0..=10.0).contains(&self.backoff) {
            return Err(format!(
                "`backoff` is {}; it must be a number from 1 to 10",
                self.backoff
            ));
        }
        Ok(())
    }
}

/// What a poll saw: reported to the progress callback of [`Task::wait_with`].
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The task's status at this poll.
    pub status: TaskStatus,
    /// Work done so far, out of `total`, when the task reports it.
    pub completed: Option<i64>,
    /// The amount of work in all, when the task reports it.
    pub total: Option<i64>,
    /// The task's own description of what it is doing.
    pub message: Option<String>,
}

/// Why waiting for a task did not give its result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError {
    /// The [`WaitOptions`] cannot be used (see [`WaitOptions::check`]); nothing was sent.
    #[error("the wait options are not usable: {0}")]
    Options(String),
    /// The API has no task service to poll.
    #[error("this API has no task service to poll tasks with")]
    NoTaskService,
    /// The task's state could not be read.
    #[error("could not read the state of task {id}")]
    Poll {
        /// The task.
        id: String,
        /// Why its state could not be read.
        #[source]
        source: CallError<StdError>,
    },
    /// The task failed; its standard error, when the server gave one.
    #[error("task {id} failed{}", failure_text(.error))]
    Failed {
        /// The task.
        id: String,
        /// The task's standard error.
        error: Option<Box<StdErrorBody>>,
    },
    /// The deadline passed while the task was still running; the task goes on.
    #[error("task {id} was still {last} after {waited:?}")]
    DeadlinePassed {
        /// The task.
        id: String,
        /// How long it was waited for.
        waited: Duration,
        /// Its status at the last poll.
        last: TaskStatus,
    },
    /// The task succeeded, but its result is not what the spec says it is.
    #[error("the result of task {id} does not decode as the operation's result type")]
    Result {
        /// The task.
        id: String,
        /// Why the result did not decode.
        #[source]
        source: serde_json::Error,
    },
}

/// `: <first message>` of a failed task's error, or nothing.
/// The next interval: grown by the backoff, at most the longest (the options are checked,
/// so the product is finite).
fn grown(interval: Duration, options: &WaitOptions) -> Duration {
    Duration::try_from_secs_f64(interval.as_secs_f64() * options.backoff)
        .unwrap_or(options.max_interval)
        .min(options.max_interval)
}

fn failure_text(error: &Option<Box<StdErrorBody>>) -> String {
    error
        .as_ref()
        .and_then(|e| e.messages.first())
        .map(|m| format!(": {}", m.text()))
        .unwrap_or_default()
}

impl<T> Task<T> {
    /// A handle on the task `id`, polled through `client`'s task service.
    pub fn new(client: Client, id: impl Into<String>) -> Self {
        Task {
            client,
            id: id.into(),
            result: PhantomData,
        }
    }

    /// The task's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The task's state now: the task service's get operation (`GET /cis/tasks/{task}`).
    /// Refused without sending when the API has no task service.
    pub async fn info(&self) -> Result<TaskInfo, CallError<StdError>> {
        self.info_within(None).await
    }

    /// The task's state, the request bounded by `timeout` when given.
    async fn info_within(
        &self,
        timeout: Option<Duration>,
    ) -> Result<TaskInfo, CallError<StdError>> {
        let get = &self
            .client
            .services()
            .tasks
            .as_ref()
            .ok_or_else(|| missing("task", "task service"))?
            .get;
        let mut call = get.call(get.fill(&self.id)?);
        call.timeout = timeout;
        self.client.send::<StdError>(call).await?.json()
    }

    /// Asks the server to cancel the task: the task service's cancel operation
    /// (`POST /cis/tasks/{task}?action=cancel`). Refused without sending when the API has
    /// no such operation.
    pub async fn cancel(&self) -> Result<(), CallError<StdError>> {
        let cancel = self
            .client
            .services()
            .tasks
            .as_ref()
            .ok_or_else(|| missing("cancel", "task service"))?
            .cancel
            .as_ref()
            .ok_or_else(|| missing("cancel", "operation to cancel a task"))?;
        let call = cancel.call(cancel.fill(&self.id)?);
        self.client.send::<StdError>(call).await.map(|_| ())
    }
}

impl<T: DeserializeOwned> Task<T> {
    /// Waits for the result with the default [`WaitOptions`].
    pub async fn wait(&self) -> Result<T, TaskError> {
        self.wait_with(&WaitOptions::default(), |_| {}).await
    }

    /// Polls until the task succeeds, fails or the deadline passes, calling `progress` after
    /// each poll.
    pub async fn wait_with(
        &self,
        options: &WaitOptions,
        mut progress: impl FnMut(&Progress),
    ) -> Result<T, TaskError> {
        options.check().map_err(TaskError::Options)?;
        if self.client.services().tasks.is_none() {
            return Err(TaskError::NoTaskService);
        }
        let started = Instant::now();
        let mut interval = options.interval;
        let mut failures = 0;
        // What the last answered poll said, for a deadline that passes during a poll.
        let mut last = TaskStatus::Unknown("(no poll was answered)".to_owned());
        loop {
            let left = options
                .deadline
                .map(|deadline| deadline.saturating_sub(started.elapsed()));
            let info = match self.info_within(left).await {
                Ok(info) => {
                    failures = 0;
                    last = info.status.clone();
                    info
                }
                Err(source) => {
                    let waited = started.elapsed();
                    let out_of_time = options.deadline.is_some_and(|deadline| {
                        waited
                            .checked_add(interval)
                            .is_none_or(|next| next > deadline)
                    });
                    if out_of_time && source.is_timeout() {
                        return Err(TaskError::DeadlinePassed {
                            id: self.id.clone(),
                            waited,
                            last,
                        });
                    }
                    if !source.is_transient() || failures >= options.retries || out_of_time {
                        return Err(TaskError::Poll {
                            id: self.id.clone(),
                            source,
                        });
                    }
                    failures += 1;
                    tracing::debug!(task = %self.id, error = %source, failures, "a poll failed; trying again");
                    tokio::time::sleep(interval).await;
                    interval = grown(interval, options);
                    continue;
                }
            };
            progress(&Progress {
                status: info.status.clone(),
                completed: info.progress.as_ref().map(|p| p.completed),
                total: info.progress.as_ref().map(|p| p.total),
                message: info
                    .progress
                    .as_ref()
                    .and_then(|p| p.message.as_ref())
                    .map(|m| m.text().to_owned()),
            });
            match info.status {
                TaskStatus::Succeeded => {
                    let result = info.result.unwrap_or(serde_json::Value::Null);
                    return serde_json::from_value(result).map_err(|source| TaskError::Result {
                        id: self.id.clone(),
                        source,
                    });
                }
                TaskStatus::Failed => {
                    return Err(TaskError::Failed {
                        id: self.id.clone(),
                        error: info.error.map(Box::new),
                    })
                }
                // PENDING, RUNNING, BLOCKED, and any status a newer server adds: still going.
                _ => {}
            }
            let waited = started.elapsed();
            if let Some(deadline) = options.deadline {
                if waited
                    .checked_add(interval)
                    .is_none_or(|next| next > deadline)
                {
                    return Err(TaskError::DeadlinePassed {
                        id: self.id.clone(),
                        waited,
                        last: info.status,
                    });
                }
            }
            tokio::time::sleep(interval).await;
            interval = grown(interval, options);
        }
    }
}

impl Client {
    /// A handle on a task by its id, such as the one a Supervisor upgrade job returns.
    pub fn task<T: DeserializeOwned>(&self, id: impl Into<String>) -> Task<T> {
        Task::new(self.clone(), id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_kept() {
        for status in [
            "PENDING",
            "RUNNING",
            "BLOCKED",
            "SUCCEEDED",
            "FAILED",
            "PAUSED",
        ] {
            let decoded: TaskStatus = serde_json::from_value(json!(status)).expect("decodes");
            assert_eq!(decoded.as_str(), status);
            assert_eq!(
                serde_json::to_value(&decoded).expect("encodes"),
                json!(status)
            );
        }
        assert_eq!(
            TaskStatus::from("PAUSED"),
            TaskStatus::Unknown("PAUSED".into())
        );
    }

    #[test]
    fn an_info_decodes_with_only_a_status_and_odd_fields_read_as_none() {
        let info: TaskInfo = serde_json::from_value(json!({
            "status": "RUNNING",
            "progress": {"total": 10, "completed": 3},
            "cancelable": "sometimes",
            "start_time": "yesterday",
            "end_time": "2026-11-22T22:02:00.000Z",
            "extra": {"ignored": true}
        }))
        .expect("decodes");
        assert_eq!(info.status, TaskStatus::Running);
        assert_eq!(
            info.progress,
            Some(TaskProgress {
                total: 10,
                completed: 3,
                message: None
            })
        );
        assert_eq!(info.cancelable, None);
        assert_eq!(info.start_time, None);
        assert_eq!(
            info.end_time.map(|t| t.to_rfc3339()),
            Some("2026-11-22T22:02:00+00:00".into())
        );
        assert!(serde_json::from_value::<TaskInfo>(json!({"progress": {}})).is_err());
    }

    #[test]
    fn a_free_form_error_object_reads_as_a_standard_error() {
        let info: TaskInfo = serde_json::from_value(json!({
            "status": "FAILED",
            "error": {
                "error_type": "NOT_FOUND",
                "messages": [{"id": "snap.gone", "default_message": "The group is gone."}],
                "vendor_detail": 7
            }
        }))
        .expect("decodes");
        let error = info.error.expect("error");
        assert_eq!(error.error_type, Some(crate::ErrorType::NotFound));
        assert_eq!(error.messages[0].text(), "The group is gone.");
    }
}
