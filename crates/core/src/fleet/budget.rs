//! Each server's connection budget: what is free for the fleet, read from
//! the server (and read again when it says "too many clients"), so a fleet
//! run never causes the error `doctor` diagnoses.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tokio::sync::{Semaphore, SemaphorePermit};

/// What the server said, and what the fleet may use.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    pub max_connections: u32,
    /// superuser_reserved_connections (+ reserved_connections, 16+).
    pub reserved: u32,
    /// Client sessions open when read (the fleet's own control session included).
    pub in_use: u32,
    pub headroom: u32,
}

/// max_connections, the reserved slots and the client sessions, in one row.
pub const LIMITS_SQL: &str = "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true)::int, 0), (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int";

impl Limits {
    /// Slots free for the fleet after the headroom.
    pub fn free(&self) -> u32 {
        self.max_connections
            .saturating_sub(self.reserved)
            .saturating_sub(self.in_use)
            .saturating_sub(self.headroom)
    }
}

/// The default headroom: 10 % of max_connections, at least 3.
pub fn default_headroom(max_connections: u32) -> u32 {
    (max_connections / 10).max(3)
}

/// The fleet's connections to one server: never more at once than the budget.
#[derive(Debug)]
pub struct Budget {
    sem: Semaphore,
    /// The current cap (permits in circulation).
    cap: AtomicUsize,
    held: AtomicUsize,
    peak: AtomicUsize,
    pub limits: Mutex<Limits>,
    /// Times the server said "too many clients" and the budget was read again.
    pub rereads: AtomicUsize,
}

/// One connection slot, given back when dropped.
pub struct Slot<'a> {
    _permit: SemaphorePermit<'a>,
    budget: &'a Budget,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.budget.held.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Budget {
    /// `cap` slots: the lesser of what is free and the concurrency asked for.
    pub fn new(limits: Limits, cap: usize) -> Budget {
        Budget {
            sem: Semaphore::new(cap),
            cap: AtomicUsize::new(cap),
            held: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            limits: Mutex::new(limits),
            rereads: AtomicUsize::new(0),
        }
    }

    pub fn cap(&self) -> usize {
        self.cap.load(Ordering::SeqCst)
    }

    /// The most connections the fleet held on this server at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    fn taken<'a>(&'a self, permit: SemaphorePermit<'a>) -> Slot<'a> {
        let now = self.held.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Slot {
            _permit: permit,
            budget: self,
        }
    }

    /// Wait for a slot.
    pub async fn slot(&self) -> Slot<'_> {
        let p = self
            .sem
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.taken(p)
    }

    /// A slot if one is free now (for a second connection that is only
    /// useful, never needed).
    pub fn try_slot(&self) -> Option<Slot<'_>> {
        self.sem.try_acquire().ok().map(|p| self.taken(p))
    }

    /// The server refused a connection for want of slots: shrink the cap
    /// to what the server now has free (the sessions the fleet holds stay
    /// counted), never below one.
    pub fn reread(&self, now: Limits) {
        self.rereads.fetch_add(1, Ordering::SeqCst);
        let held = self.held.load(Ordering::SeqCst);
        let want = (held + now.free() as usize).max(1);
        let cap = self.cap();
        if want < cap {
            let gone = self.sem.forget_permits(cap - want);
            self.cap.fetch_sub(gone, Ordering::SeqCst);
        }
        *self.limits.lock().expect("not poisoned") = now;
    }

    /// The server refused without a fresh reading: one slot fewer.
    pub fn shrink(&self) {
        self.rereads.fetch_add(1, Ordering::SeqCst);
        if self.cap() > 1 {
            let gone = self.sem.forget_permits(1);
            self.cap.fetch_sub(gone, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(in_use: u32) -> Limits {
        Limits {
            max_connections: 50,
            reserved: 7,
            in_use,
            headroom: 5,
        }
    }

    #[test]
    fn the_cap_follows_what_is_free() {
        assert_eq!(limits(3).free(), 35);
        assert_eq!(limits(60).free(), 0);
        assert_eq!(default_headroom(104), 10);
        assert_eq!(default_headroom(20), 3);
        let b = Budget::new(limits(3), 35);
        crate::runtime::block_on(async {
            let s1 = b.slot().await;
            let _s2 = b.slot().await;
            assert_eq!(b.peak(), 2);
            drop(s1);
            // Another client took 30 slots: the cap shrinks to what is free
            // plus the one the fleet holds.
            b.reread(limits(34));
            assert_eq!(b.cap(), 1 + 4);
            b.reread(limits(60));
            assert_eq!(b.cap(), 1);
            assert!(b.try_slot().is_none());
            assert_eq!(b.rereads.load(Ordering::SeqCst), 2);
        });
    }
}
