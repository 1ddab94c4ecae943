//! The one retry pause: exponential, capped, with "equal jitter" (half of
//! the pause fixed, half random), so that runners retrying together
//! spread out but never retry at once. Every retry loop (a connection, the
//! migration lock, a lock timeout, a fleet's slots, the Neon API) takes its
//! pauses from here; what is retried and for how long stays with the loop.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    /// Pauses from `first`, doubling, never above `max`.
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            next: first.min(max),
            max,
        }
    }

    /// The next pause: between half and all of the current step, which
    /// then doubles (up to the cap).
    pub fn pause(&mut self) -> Duration {
        let step = self.next;
        self.next = (self.next * 2).min(self.max);
        step.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap_within_half_and_all_of_each_step() {
        let ms = Duration::from_millis;
        let mut b = Backoff::new(ms(100), ms(500));
        for step in [100, 200, 400, 500, 500] {
            let p = b.pause();
            assert!(
                p >= ms(step) / 2 && p <= ms(step),
                "{p:?} for a step of {step} ms"
            );
        }
        // A first pause above the cap is the cap.
        assert!(Backoff::new(ms(900), ms(300)).pause() <= ms(300));
    }

    #[test]
    fn pauses_are_spread_not_all_equal() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..20 {
            seen.insert(Backoff::new(Duration::from_secs(1), Duration::from_secs(1)).pause());
        }
        assert!(seen.len() > 10, "{seen:?}");
    }
}
