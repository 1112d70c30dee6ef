//! Byte buffers handed back once a piece is written, for the next pieces to fill.
//!
//! A batch of JSONL lines and its anonymized copy are a few MB each. Freed, the allocator
//! gives such blocks back to the kernel, and the next piece's buffer is new memory again:
//! every page of it zeroed by the kernel on first touch, about a tenth of the faults of a
//! records run. Reused, a buffer keeps its pages. The pool keeps no more than `limit`
//! buffers (the pieces in flight), so memory stays what the pieces in flight take.

use std::sync::Mutex;

pub struct Buffers {
    free: Mutex<Vec<Vec<u8>>>,
    limit: usize,
}

impl Buffers {
    pub fn new(limit: usize) -> Self {
        Self {
            free: Mutex::new(Vec::with_capacity(limit)),
            limit,
        }
    }

    /// An empty buffer, with room already if one was given back.
    pub fn take(&self) -> Vec<u8> {
        self.lock().pop().unwrap_or_default()
    }

    /// An empty string, with room already if a buffer was given back.
    pub fn take_string(&self) -> String {
        // Empty bytes are valid UTF-8.
        String::from_utf8(self.take()).unwrap_or_default()
    }

    /// Keeps `buffer`'s memory for a later `take`; its contents are cleared first.
    pub fn give(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        let mut free = self.lock();
        if free.len() < self.limit && buffer.capacity() > 0 {
            free.push(buffer);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        // A list of empty buffers cannot be left half-updated.
        self.free.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back_empty_with_their_room_and_no_more_than_the_limit_are_kept() {
        let pool = Buffers::new(2);
        assert_eq!(pool.take().capacity(), 0, "nothing given back yet");
        for _ in 0..3 {
            let mut b = Vec::with_capacity(1000);
            b.extend_from_slice(b"secret bytes");
            pool.give(b);
        }
        let first = pool.take_string();
        assert!(first.is_empty() && first.capacity() >= 1000);
        let second = pool.take();
        assert!(second.is_empty() && second.capacity() >= 1000);
        assert_eq!(pool.take().capacity(), 0, "the third was dropped");
    }
}
