//! Runtimes and threads. Work that is timed (each endpoint of a diagnosis)
//! runs on a thread and a runtime of its own, so that one endpoint's CPU
//! work (TLS set-up, SCRAM) never shows in the other's timings.

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    /// Connections driven by this thread's runtime and not yet closed.
    static OPEN: Cell<usize> = const { Cell::new(0) };
}

/// Drive a connection's I/O half on the current (single-threaded) runtime,
/// counted, so that the runtime lets it close before it goes (see `settle`).
pub fn spawn_connection(io: impl Future<Output = ()> + Send + 'static) {
    struct Closed;
    impl Drop for Closed {
        fn drop(&mut self) {
            OPEN.with(|o| o.set(o.get().saturating_sub(1)));
        }
    }
    OPEN.with(|o| o.set(o.get() + 1));
    let closed = Closed;
    tokio::spawn(async move {
        let _closed = closed;
        io.await;
    });
}

/// Let the connections whose client is gone close properly: a Terminate
/// message and a TLS close_notify, so the server logs a disconnection
/// rather than "could not receive data from client: Connection reset by
/// peer" for every run. Bounded: a connection still in use is left to the
/// runtime's drop.
pub async fn settle() {
    let deadline = Instant::now() + Duration::from_millis(100);
    let mut turns = 0;
    while OPEN.with(Cell::get) > 0 && Instant::now() < deadline {
        turns += 1;
        if turns <= 16 {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

/// Run a future to completion on a new single-threaded runtime, on the
/// calling thread; its connections are closed properly before it returns.
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(async {
            let out = f.await;
            settle().await;
            out
        })
}

/// Run two pieces of work on threads of their own and wait for both.
pub fn side_by_side<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = s.spawn(b);
        // A worker's panic was reported by the hook already: carry it on quietly.
        (
            a.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            b.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    })
}
