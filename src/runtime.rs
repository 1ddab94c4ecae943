//! Runtimes and threads. Work that is timed (each endpoint of a diagnosis)
//! runs on a thread and a runtime of its own, so that one endpoint's CPU
//! work (TLS set-up, SCRAM) never shows in the other's timings.

/// Run a future to completion on a new single-threaded runtime, on the
/// calling thread.
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
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
