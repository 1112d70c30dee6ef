//! Work spread over threads with the answers kept in input order.
//!
//! The reader hands numbered pieces of input to `workers` threads, which `stage` them in
//! parallel (detect, mask, tokens, sealing), then `commit` them one at a time in input
//! order (the vault write), then `finish` them in parallel; the caller's thread `sink`s
//! the results in input order. A vault filled this way holds what a run on one thread
//! would leave, and the output is the same bytes.
//!
//! Memory is bounded by construction: at most `in_flight` pieces exist between the reader
//! and the sink (a piece takes a permit before it is read and gives it back once it is
//! written), whatever the speed of each stage.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Condvar, Mutex};

use anyhow::{Result, anyhow};

/// The stages of one run; each runs on the worker threads except `sink`.
pub struct Stages<Stage, Commit, Finish> {
    pub stage: Stage,
    pub commit: Commit,
    pub finish: Finish,
}

/// Runs `input` through `stages` on `workers` threads (at least one) with at most
/// `in_flight` pieces held at once, calling `sink` in input order. Stops at the first
/// error in input order and returns it; pieces after it are neither committed nor sunk.
pub fn run<In, Staged, Committed, Out, Stage, Commit, Finish>(
    input: impl Iterator<Item = Result<In>> + Send,
    workers: usize,
    in_flight: usize,
    stages: Stages<Stage, Commit, Finish>,
    mut sink: impl FnMut(Out) -> Result<()>,
) -> Result<()>
where
    In: Send,
    Out: Send,
    Stage: Fn(In) -> Result<Staged> + Sync,
    Commit: Fn(Staged) -> Result<Committed> + Sync,
    Finish: Fn(Committed) -> Result<Out> + Sync,
{
    let workers = workers.max(1);
    let in_flight = in_flight.max(workers);
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        permit_tx
            .send(())
            .expect("the channel holds in_flight permits");
    }
    let (work_tx, work_rx) = sync_channel::<(u64, Result<In>)>(in_flight);
    let (done_tx, done_rx) = sync_channel::<(u64, Result<Out>)>(in_flight);
    let work_rx = Mutex::new(work_rx);
    let turn = Turn::default();

    std::thread::scope(|scope| {
        scope.spawn(move || read(input, &permit_rx, &work_tx));
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (work_rx, turn, stages) = (&work_rx, &turn, &stages);
            scope.spawn(move || work(work_rx, turn, stages, &done_tx));
        }
        drop(done_tx);
        let outcome = write(&done_rx, &permit_tx, &mut sink);
        // On an error, the others stop: the reader at its next permit or send, the
        // workers at their next send, and any waiting for a turn now.
        turn.abort();
        drop(permit_tx);
        drop(done_rx);
        outcome
    })
}

fn read<In>(
    input: impl Iterator<Item = Result<In>>,
    permits: &Receiver<()>,
    work: &SyncSender<(u64, Result<In>)>,
) {
    for (seq, piece) in (0u64..).zip(input) {
        let failed = piece.is_err();
        if permits.recv().is_err() || work.send((seq, piece)).is_err() || failed {
            return;
        }
    }
}

fn work<In, Staged, Committed, Out, Stage, Commit, Finish>(
    work: &Mutex<Receiver<(u64, Result<In>)>>,
    turn: &Turn,
    stages: &Stages<Stage, Commit, Finish>,
    done: &SyncSender<(u64, Result<Out>)>,
) where
    Stage: Fn(In) -> Result<Staged>,
    Commit: Fn(Staged) -> Result<Committed>,
    Finish: Fn(Committed) -> Result<Out>,
{
    loop {
        // The lock is held only to take the next piece.
        let next = work.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok((seq, piece)) = next else { return };
        let staged = piece.and_then(|p| (stages.stage)(p));
        let committed = turn.take(seq, |go| match (go, staged) {
            (true, Ok(s)) => (stages.commit)(s),
            (false, _) => Err(anyhow!("stopped after an earlier error")),
            (true, Err(e)) => Err(e),
        });
        let out = committed.and_then(|c| (stages.finish)(c));
        if done.send((seq, out)).is_err() {
            return;
        }
    }
}

/// Sinks the pieces in order; a permit goes back for each piece written.
fn write<Out>(
    done: &Receiver<(u64, Result<Out>)>,
    permits: &SyncSender<()>,
    sink: &mut impl FnMut(Out) -> Result<()>,
) -> Result<()> {
    let mut waiting = BTreeMap::new();
    let mut next = 0u64;
    while let Ok((seq, out)) = done.recv() {
        waiting.insert(seq, out);
        while let Some(out) = waiting.remove(&next) {
            sink(out?)?;
            next += 1;
            // The reader may have stopped already (end of input).
            let _ = permits.try_send(());
        }
    }
    Ok(())
}

/// Lets pieces commit one at a time in sequence order. After a failure or an abort, the
/// rest are told not to go.
#[derive(Default)]
struct Turn {
    state: Mutex<TurnState>,
    changed: Condvar,
}

#[derive(Default)]
struct TurnState {
    next: u64,
    stopped: bool,
}

impl Turn {
    /// Waits for `seq`'s turn, runs `f(go)` (`go` false once stopped) and passes the turn
    /// on; an error stops the pieces after it.
    fn take<T>(&self, seq: u64, f: impl FnOnce(bool) -> Result<T>) -> Result<T> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while !state.stopped && state.next != seq {
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        let go = !state.stopped;
        // Committing under the lock: the commit is the one step that must not overlap.
        let out = f(go);
        if out.is_err() {
            state.stopped = true;
        }
        state.next = seq + 1;
        drop(state);
        self.changed.notify_all();
        out
    }

    fn abort(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).stopped = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    type Step<'a> = Box<dyn Fn(u64) -> Result<u64> + Sync + 'a>;

    fn stages(committed: &Mutex<Vec<u64>>) -> Stages<Step<'_>, Step<'_>, Step<'_>> {
        Stages {
            stage: Box::new(|n: u64| {
                // Uneven work, so pieces finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                if n == 1_000_000 {
                    Err(anyhow!("bad piece {n}"))
                } else {
                    Ok(n * 2)
                }
            }),
            commit: Box::new(move |n: u64| {
                committed.lock().unwrap().push(n / 2);
                Ok(n)
            }),
            finish: Box::new(|n: u64| Ok(n + 1)),
        }
    }

    #[test]
    fn output_and_commits_keep_input_order_on_any_number_of_workers() {
        for workers in [1, 2, 3, 8] {
            let committed = Mutex::new(Vec::new());
            let mut out = Vec::new();
            run((0..500u64).map(Ok), workers, 4, stages(&committed), |n| {
                out.push(n);
                Ok(())
            })
            .unwrap();
            let expected: Vec<u64> = (0..500).map(|n| n * 2 + 1).collect();
            assert_eq!(out, expected, "{workers} workers");
            assert_eq!(*committed.lock().unwrap(), (0..500).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_error_in_input_order_stops_the_run_and_later_pieces_do_not_commit() {
        let committed = Mutex::new(Vec::new());
        let mut out = Vec::new();
        let input = (0..300u64).map(|n| if n == 100 { 1_000_000 } else { n });
        let err = run(input.map(Ok), 3, 6, stages(&committed), |n| {
            out.push(n);
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "bad piece 1000000");
        assert_eq!(out, (0..100).map(|n| n * 2 + 1).collect::<Vec<_>>());
        assert_eq!(*committed.lock().unwrap(), (0..100).collect::<Vec<_>>());

        let committed = Mutex::new(Vec::new());
        let input = (0..50u64).map(|n| {
            if n == 7 {
                Err(anyhow!("unreadable"))
            } else {
                Ok(n)
            }
        });
        let err = run(input, 2, 4, stages(&committed), |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "unreadable");
        assert_eq!(*committed.lock().unwrap(), (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_than_in_flight_pieces_are_held_at_once() {
        let held = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let stages = Stages {
            stage: |n: u64| {
                let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                Ok(n)
            },
            commit: Ok,
            finish: Ok,
        };
        run((0..2_000u64).map(Ok), 4, 5, stages, |_| {
            // The sink is slow: without the bound, the reader and workers would run ahead.
            std::thread::sleep(std::time::Duration::from_micros(50));
            held.fetch_sub(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
        assert!(peak.load(Ordering::SeqCst) <= 5, "peak {peak:?}");
        assert!(
            peak.load(Ordering::SeqCst) >= 2,
            "work ran in parallel: {peak:?}"
        );
    }
}
