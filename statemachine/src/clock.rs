//! Time and randomness behind traits, so Retry backoff and Wait states are recorded instead of
//! slept in tests, and jitter is deterministic there.

use async_trait::async_trait;
use std::sync::Mutex;
use std::time::Duration;
use time::OffsetDateTime;

#[async_trait]
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;

    /// Retry backoff and Wait states.
    async fn sleep(&self, duration: Duration);

    /// Completes when a task's TimeoutSeconds elapses. It runs on tokio's timer by default so
    /// that a fake clock, which returns from `sleep` at once, does not time out every task;
    /// tests drive timeouts with tokio's paused time instead.
    async fn deadline(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Wall-clock time; sleeps on tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealClock;

#[async_trait]
impl Clock for RealClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Virtual time: `sleep` records the duration, advances `now` and returns at once.
#[derive(Debug)]
pub struct FakeClock {
    inner: Mutex<FakeInner>,
}

#[derive(Debug)]
struct FakeInner {
    now: OffsetDateTime,
    sleeps: Vec<Duration>,
}

impl FakeClock {
    pub fn new(start: OffsetDateTime) -> Self {
        FakeClock {
            inner: Mutex::new(FakeInner {
                now: start,
                sleeps: Vec::new(),
            }),
        }
    }

    /// Every `sleep` so far, in call order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.inner.lock().expect("fake clock lock").sleeps.clone()
    }

    pub fn advance(&self, d: Duration) {
        self.inner.lock().expect("fake clock lock").now += d;
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::new(OffsetDateTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600))
    }
}

#[async_trait]
impl Clock for FakeClock {
    fn now(&self) -> OffsetDateTime {
        self.inner.lock().expect("fake clock lock").now
    }

    async fn sleep(&self, duration: Duration) {
        {
            let mut g = self.inner.lock().expect("fake clock lock");
            g.sleeps.push(duration);
            g.now += duration;
        }
        // Still a suspension point, so concurrent branches interleave as they would.
        tokio::task::yield_now().await;
    }
}

/// Source of the `[0, 1)` numbers FULL jitter scales delays by.
pub trait Random: Send + Sync {
    fn unit(&self) -> f64;
}

/// Random numbers from the OS (through UUID v4 generation, already a dependency).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    fn unit(&self) -> f64 {
        let bits = uuid::Uuid::new_v4().as_u64_pair().0 >> 11;
        bits as f64 / (1u64 << 53) as f64
    }
}

/// Always the same number: makes jittered delays exact in tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedRandom(pub f64);

impl Random for FixedRandom {
    fn unit(&self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fake_clock_records_and_advances() {
        let c = FakeClock::default();
        let t0 = c.now();
        c.sleep(Duration::from_secs(3)).await;
        c.sleep(Duration::from_millis(500)).await;
        assert_eq!(
            c.sleeps(),
            vec![Duration::from_secs(3), Duration::from_millis(500)]
        );
        assert_eq!(c.now() - t0, time::Duration::milliseconds(3500));
    }

    #[test]
    fn os_random_stays_in_unit_interval() {
        for _ in 0..100 {
            let u = OsRandom.unit();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }
}
