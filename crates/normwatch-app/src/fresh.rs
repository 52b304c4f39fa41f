//! Reading the store revision once for many concurrent requests, and never a stale one.
//!
//! Every request validates its kept answer against the store revision, and on PostgreSQL
//! that read is a round trip to the server: one per request would make the round trip, not
//! the answer, the cost of a request. A [`SharedReads`] lets concurrent callers share one
//! read, under one rule that keeps them exactly as fresh as reading alone: a caller only
//! accepts a read that **started after it arrived**. Whatever was committed before a request
//! came in (by this process, another server or the CLI) is in the revision it gets.
//!
//! A caller that arrives while a read is running waits for it to end, then for the next one
//! (which some waiter starts), so it waits at most two reads; under load one read answers
//! every request that arrived while the previous one ran.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

/// Reads of one value shared by the callers that arrive while one runs.
pub(crate) struct SharedReads<T> {
    state: Mutex<Reads>,
    finished: watch::Sender<Finished<T>>,
}

/// How many reads have started and whether one runs now.
#[derive(Default)]
struct Reads {
    started: u64,
    running: bool,
}

/// The last read that ended: its number (the first read is 1) and its value, `None` when it
/// failed (each waiter then reads alone, to get its own error).
#[derive(Clone)]
struct Finished<T> {
    number: u64,
    value: Option<T>,
}

impl<T: Clone> Default for SharedReads<T> {
    fn default() -> Self {
        SharedReads {
            state: Mutex::new(Reads::default()),
            finished: watch::Sender::new(Finished { number: 0, value: None }),
        }
    }
}

impl<T: Clone> SharedReads<T> {
    /// The value as `read` gives it now, possibly from a read another caller started after
    /// this call began.
    pub async fn get<E, F, Fut>(&self, read: F) -> Result<T, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut finished = self.finished.subscribe();
        let needed = self.lock().started + 1;
        loop {
            {
                let last = finished.borrow_and_update();
                if last.number >= needed {
                    match &last.value {
                        Some(value) => return Ok(value.clone()),
                        None => break,
                    }
                }
            }
            if let Some(mut leading) = self.lead() {
                let result = read().await;
                leading.publish(result.as_ref().ok().cloned());
                return result;
            }
            // The sender lives in `self`: it cannot be dropped while we borrow it.
            if finished.changed().await.is_err() {
                break;
            }
        }
        read().await
    }

    fn lock(&self) -> MutexGuard<'_, Reads> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts the next read when none runs.
    fn lead(&self) -> Option<Leading<'_, T>> {
        let mut state = self.lock();
        if state.running {
            return None;
        }
        state.running = true;
        state.started += 1;
        Some(Leading { reads: self, number: state.started, published: false })
    }
}

/// The running read. Dropped before it publishes (its caller went away), it lets the next
/// waiter start a read.
struct Leading<'a, T: Clone> {
    reads: &'a SharedReads<T>,
    number: u64,
    published: bool,
}

impl<T: Clone> Leading<'_, T> {
    fn publish(&mut self, value: Option<T>) {
        self.reads.lock().running = false;
        self.published = true;
        self.reads.finished.send_replace(Finished { number: self.number, value });
    }
}

impl<T: Clone> Drop for Leading<'_, T> {
    fn drop(&mut self) {
        if !self.published {
            self.reads.lock().running = false;
            // Wake the waiters: the last number is unchanged, so one of them reads.
            self.reads.finished.send_modify(|_| {});
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use tokio::sync::Notify;

    use super::*;

    /// A value to read, a count of reads, and a gate that holds each read until it opens.
    #[derive(Default)]
    struct Source {
        value: AtomicU64,
        reads: AtomicU64,
        gate: Notify,
    }

    impl Source {
        /// Reads the value when the read starts, then waits at the gate.
        async fn read(&self) -> Result<u64, String> {
            let value = self.value.load(Ordering::SeqCst);
            self.reads.fetch_add(1, Ordering::SeqCst);
            self.gate.notified().await;
            Ok(value)
        }
    }

    /// A caller of `shared` reading `source`, in a task of its own.
    fn call(shared: &Arc<SharedReads<u64>>, source: &Arc<Source>) -> tokio::task::JoinHandle<Result<u64, String>> {
        let (shared, source) = (shared.clone(), source.clone());
        tokio::spawn(async move { shared.get(|| source.read()).await })
    }

    async fn until_reads(source: &Source, n: u64) {
        while source.reads.load(Ordering::SeqCst) < n {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_never_takes_a_read_that_started_before_it_arrived() {
        let shared = Arc::new(SharedReads::<u64>::default());
        let source = Arc::new(Source::default());
        let first = call(&shared, &source);
        until_reads(&source, 1).await;
        // A write commits while the first read runs; then a second caller arrives.
        source.value.store(7, Ordering::SeqCst);
        let second = call(&shared, &source);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(source.reads.load(Ordering::SeqCst), 1, "the second caller waits for the running read");
        source.gate.notify_one();
        assert_eq!(first.await.unwrap(), Ok(0));
        until_reads(&source, 2).await;
        source.gate.notify_one();
        assert_eq!(second.await.unwrap(), Ok(7), "the second caller sees the write committed before it arrived");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_that_arrive_during_a_read_share_the_next_one() {
        let shared = Arc::new(SharedReads::<u64>::default());
        let source = Arc::new(Source::default());
        let first = call(&shared, &source);
        until_reads(&source, 1).await;
        source.value.store(3, Ordering::SeqCst);
        let waiters: Vec<_> = (0..20).map(|_| call(&shared, &source)).collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        source.gate.notify_one();
        assert_eq!(first.await.unwrap(), Ok(0));
        until_reads(&source, 2).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        source.gate.notify_one();
        for waiter in waiters {
            assert_eq!(waiter.await.unwrap(), Ok(3));
        }
        assert_eq!(source.reads.load(Ordering::SeqCst), 2, "twenty callers, one read");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reader_that_goes_away_lets_the_next_caller_read() {
        let shared = Arc::new(SharedReads::<u64>::default());
        let source = Arc::new(Source::default());
        let first = call(&shared, &source);
        until_reads(&source, 1).await;
        let second = call(&shared, &source);
        tokio::time::sleep(Duration::from_millis(20)).await;
        first.abort();
        until_reads(&source, 2).await;
        source.gate.notify_one();
        assert_eq!(second.await.unwrap(), Ok(0), "the second caller read alone once the first went away");
    }

    #[tokio::test]
    async fn a_failed_read_is_not_shared_as_a_value() {
        let shared = SharedReads::<u64>::default();
        assert_eq!(shared.get(|| async { Err::<u64, _>("down") }).await, Err("down"));
        assert_eq!(shared.get(|| async { Ok::<_, &str>(4) }).await, Ok(4));
    }
}
