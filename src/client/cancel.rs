//! Cancelling calls: a token the caller keeps and cancels; [`crate::AirflowClient`] checks it
//! before every request and sleep, and stops waiting on the one in flight.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

/// A cancellation token: clone it, hand a clone to [`crate::AirflowClient::with_cancel`], and
/// call [`CancelToken::cancel`] from anywhere (another task, a signal handler's task, a UI).
/// Every call through that client then ends with `CANCELLED` at once and sends nothing more.
///
/// # Examples
/// ```
/// let token = airflow_trigger::CancelToken::new();
/// let for_the_ui = token.clone();
/// assert!(!token.is_cancelled());
/// for_the_ui.cancel();
/// assert!(token.is_cancelled());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    /// The tasks waiting on something the token interrupts, by race.
    wakers: Mutex<Vec<(u64, Waker)>>,
    next_race: std::sync::atomic::AtomicU64,
}

/// Takes a finished race's waker out, so a long-lived token does not gather them.
struct Registration<'a> {
    token: &'a CancelToken,
    race: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.token.wakers().retain(|(race, _)| *race != self.race);
    }
}

impl CancelToken {
    /// A token not yet cancelled.
    ///
    /// # Examples
    /// ```
    /// assert!(!airflow_trigger::CancelToken::new().is_cancelled());
    /// ```
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels every call that holds this token (or a clone); cancelling again does nothing.
    ///
    /// # Examples
    /// ```
    /// let token = airflow_trigger::CancelToken::new();
    /// token.cancel();
    /// token.cancel();
    /// assert!(token.is_cancelled());
    /// ```
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        let wakers = std::mem::take(&mut *self.wakers());
        for (_, waker) in wakers {
            waker.wake();
        }
    }

    /// Whether [`CancelToken::cancel`] was called.
    ///
    /// # Examples
    /// See [`CancelToken`].
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    fn wakers(&self) -> std::sync::MutexGuard<'_, Vec<(u64, Waker)>> {
        // Every update is one push or one take: a poisoned lock holds nothing half-written.
        self.inner.wakers.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `future`'s output, or `None` as soon as the token is cancelled (the future is dropped:
    /// a request in flight is abandoned). An output that is ready wins over a cancel: an answer
    /// that arrived is not thrown away.
    pub(crate) async fn race<F: Future>(&self, future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        let registration = Registration { token: self, race: self.inner.next_race.fetch_add(1, Ordering::Relaxed) };
        std::future::poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            {
                let mut wakers = self.wakers();
                match wakers.iter_mut().find(|(race, _)| *race == registration.race) {
                    Some((_, waker)) if waker.will_wake(cx.waker()) => {}
                    Some((_, waker)) => *waker = cx.waker().clone(),
                    None => wakers.push((registration.race, cx.waker().clone())),
                }
            }
            // A cancel between the first check and the registration would otherwise be missed.
            if self.is_cancelled() {
                Poll::Ready(None)
            } else {
                Poll::Pending
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::{Context, Wake};

    struct Count(std::sync::atomic::AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_cancel_wakes_the_waiting_task_and_ends_the_race() {
        let token = CancelToken::new();
        let count = Arc::new(Count(0.into()));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let mut race = Box::pin(token.race(std::future::pending::<()>()));
        assert!(race.as_mut().poll(&mut cx).is_pending());
        assert!(race.as_mut().poll(&mut cx).is_pending());
        assert_eq!(token.wakers().len(), 1, "one waker per race, not one per poll");
        let mut other = Box::pin(token.race(std::future::pending::<()>()));
        assert!(other.as_mut().poll(&mut cx).is_pending());
        assert_eq!(token.wakers().len(), 2);
        drop(other);
        assert_eq!(token.wakers().len(), 1, "a race that is over takes its waker out");
        token.clone().cancel();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(race.as_mut().poll(&mut cx), Poll::Ready(None));
        // A race that ends first is not cancelled after the fact, and a ready output wins.
        let token = CancelToken::new();
        let mut done = Box::pin(token.race(async { 7 }));
        assert_eq!(done.as_mut().poll(&mut cx), Poll::Ready(Some(7)));
        token.cancel();
        assert_eq!(Box::pin(token.race(async { 8 })).as_mut().poll(&mut cx), Poll::Ready(Some(8)));
        assert_eq!(Box::pin(token.race(std::future::pending::<()>())).as_mut().poll(&mut cx), Poll::Ready(None));
    }
}
