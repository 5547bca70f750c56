//! Group commit for public submissions. On SQLite every transaction waits for the one writer,
//! and on both databases a transaction costs round trips whatever it holds; under a flood of
//! meldingen most of the time would go to that. So submissions go to one writer task: what
//! arrives while it writes one transaction waits and is written together in the next one (at
//! most [`MAX_BATCH`]). Alone, a submission is written at once, as before.
//!
//! A caller gets its reference only after the commit. When a batch fails, its submissions are
//! written one by one, so one that cannot be stored fails alone and the others are kept.

use crate::ports::{NewSubmission, Store, StoreError, StoreResult};
use gastvrij_domain::audit::Change;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// At most this many submissions in one transaction.
pub const MAX_BATCH: usize = 64;

struct Pending {
    new: NewSubmission,
    change: Change,
    done: oneshot::Sender<StoreResult<String>>,
}

/// The writer of public submissions; cheap to clone.
#[derive(Clone)]
pub struct SubmissionWriter {
    queue: mpsc::Sender<Pending>,
}

impl SubmissionWriter {
    /// Start the writer task on the current tokio runtime; it stops when every handle is dropped.
    pub fn start(store: Arc<dyn Store>) -> Self {
        let (queue, mut arrived) = mpsc::channel::<Pending>(MAX_BATCH * 16);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while arrived.recv_many(&mut batch, MAX_BATCH).await > 0 {
                write(store.as_ref(), std::mem::take(&mut batch)).await;
            }
        });
        Self { queue }
    }

    /// Store one submission (with the others that are waiting); returns its reference once
    /// committed.
    pub async fn write(&self, new: NewSubmission, change: Change) -> StoreResult<String> {
        let (done, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the submission writer has stopped; restart the server".into());
        self.queue.send(Pending { new, change, done }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write(store: &dyn Store, batch: Vec<Pending>) {
    let pairs: Vec<(&NewSubmission, &Change)> = batch.iter().map(|p| (&p.new, &p.change)).collect();
    match store.insert_submissions(&pairs).await {
        Ok(references) => {
            let mut references = references.into_iter();
            for pending in batch {
                let reference = references.next().ok_or_else(|| {
                    StoreError::Other(anyhow::anyhow!("the store returned fewer references than it stored submissions"))
                });
                let _ = pending.done.send(reference);
            }
        }
        Err(e) if batch.len() == 1 => {
            let _ = batch.into_iter().next().map(|p| p.done.send(Err(e)));
        }
        Err(_) => {
            // Find the one that cannot be stored: the rest is written as if it came alone.
            for pending in batch {
                let result = store.insert_submission(&pending.new, &pending.change).await;
                let _ = pending.done.send(result);
            }
        }
    }
}
