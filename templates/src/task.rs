//! vCenter tasks: a handle that waits for a task's result, reporting progress.

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use crate::cis::task::{Info, Status};
use crate::cis::tasks::{CancelError, GetError};
use crate::ids::TaskId;
use crate::{Client, Error};

/// A task vCenter runs for an operation, whose result decodes as `T` once it succeeds.
pub struct Task<T> {
    client: Client,
    id: TaskId,
    result: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("id", &self.id).finish()
    }
}

/// How [`Task::wait`] polls: the first interval, growing by `backoff` up to `max_interval`,
/// until `deadline`.
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// The first interval between two polls.
    pub interval: Duration,
    /// The longest interval between two polls.
    pub max_interval: Duration,
    /// How much each interval grows over the previous one.
    pub backoff: f64,
    /// How long to wait in all; `None` waits as long as the task runs.
    pub deadline: Option<Duration>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(10),
            backoff: 1.5,
            deadline: Some(Duration::from_secs(3600)),
        }
    }
}

/// What a poll saw: reported to the progress callback of [`Task::wait_with`].
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The task's status at this poll.
    pub status: Status,
    /// Work done so far, out of `total`, when the task reports it.
    pub completed: Option<i64>,
    /// The amount of work in all, when the task reports it.
    pub total: Option<i64>,
    /// The task's own description of what it is doing.
    pub message: Option<String>,
}

/// Why waiting for a task did not give its result.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// The task's state could not be read.
    #[error("could not read the state of task {id}: {source}")]
    Poll {
        /// The task.
        id: TaskId,
        /// Why its state could not be read.
        #[source]
        source: Error<GetError>,
    },
    /// The task failed; its standard error, when vCenter gave one.
    #[error("task {id} failed{}", .error.as_ref().and_then(|e| e.messages.first()).map(|m| format!(": {}", m.default_message)).unwrap_or_default())]
    Failed {
        /// The task.
        id: TaskId,
        /// The task's standard error.
        error: Option<Box<crate::vapi::std::errors::Error>>,
    },
    /// The deadline passed while the task was still running; the task goes on.
    #[error("task {id} was still {last} after {waited:?}")]
    DeadlinePassed {
        /// The task.
        id: TaskId,
        /// How long it was waited for.
        waited: Duration,
        /// Its status at the last poll.
        last: Status,
    },
    /// The task succeeded, but its result is not what the spec says it is.
    #[error("the result of task {id} does not decode: {source}")]
    Result {
        /// The task.
        id: TaskId,
        /// Why the result did not decode.
        #[source]
        source: serde_json::Error,
    },
}

impl<T: DeserializeOwned> Task<T> {
    /// A handle on the task `id`, polled through `client`.
    pub fn new(client: Client, id: TaskId) -> Self {
        Task {
            client,
            id,
            result: PhantomData,
        }
    }

    /// The task's id.
    pub fn id(&self) -> &TaskId {
        &self.id
    }

    /// The task's state now: `GET /cis/tasks/{task}`.
    pub async fn info(&self) -> Result<Info, Error<GetError>> {
        self.client.cis().tasks().get(&self.id).await
    }

    /// Asks vCenter to cancel the task: `POST /cis/tasks/{task}?action=cancel`.
    pub async fn cancel(&self) -> Result<(), Error<CancelError>> {
        self.client.cis().tasks().cancel(&self.id).await
    }

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
        let started = Instant::now();
        let mut interval = options.interval;
        loop {
            let info = self.info().await.map_err(|source| TaskError::Poll {
                id: self.id.clone(),
                source,
            })?;
            progress(&Progress {
                status: info.status.clone(),
                completed: info.progress.as_ref().map(|p| p.completed),
                total: info.progress.as_ref().map(|p| p.total),
                message: info
                    .progress
                    .as_ref()
                    .map(|p| p.message.default_message.clone()),
            });
            match info.status {
                Status::Succeeded => {
                    let result = info.result.unwrap_or(serde_json::Value::Null);
                    return serde_json::from_value(result).map_err(|source| TaskError::Result {
                        id: self.id.clone(),
                        source,
                    });
                }
                Status::Failed => {
                    return Err(TaskError::Failed {
                        id: self.id.clone(),
                        error: info.error.map(Box::new),
                    })
                }
                // PENDING, RUNNING, BLOCKED, and any status a newer vCenter adds: still going.
                _ => {}
            }
            let waited = started.elapsed();
            if let Some(deadline) = options.deadline {
                if waited + interval > deadline {
                    return Err(TaskError::DeadlinePassed {
                        id: self.id.clone(),
                        waited,
                        last: info.status,
                    });
                }
            }
            tokio::time::sleep(interval).await;
            interval = interval
                .mul_f64(options.backoff.max(1.0))
                .min(options.max_interval);
        }
    }
}

impl Client {
    /// A handle on a task by its id, such as the one a Supervisor upgrade job returns.
    pub fn task<T: DeserializeOwned>(&self, id: TaskId) -> Task<T> {
        Task::new(self.clone(), id)
    }
}
