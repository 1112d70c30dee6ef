//! Work spread over threads with the answers kept in input order.
//!
//! The reader hands numbered pieces of input to `workers` threads, which `stage` them in
//! parallel (detect, mask, tokens, sealing); one committer thread `commit`s them one at a
//! time in input order (the vault write) while the workers stage the next pieces, and the
//! workers `finish` them in parallel; the caller's thread `sink`s the results in input
//! order. A vault filled this way holds what a run on one thread would leave, and the
//! output is the same bytes.
//!
//! Memory is bounded by construction: at most `in_flight` pieces exist between the reader
//! and the sink (a piece takes a permit before it is read and gives it back once it is
//! written), whatever the speed of each stage.

use std::collections::{BTreeMap, VecDeque};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Condvar, Mutex, MutexGuard};

use anyhow::Result;

/// `--jobs`, or one worker per core available.
pub fn jobs_or_cores(jobs: Option<u16>) -> usize {
    jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

/// Pieces held at once between the reader and the writer: one per worker, one being read
/// and one being written, so memory is a few pieces (a few MB each) per core.
pub fn in_flight(workers: usize) -> usize {
    workers + 2
}

/// The stages of one run: `stage` and `finish` run on the workers, `commit` on the
/// committer, one piece at a time in input order.
pub struct Stages<Stage, Commit, Finish> {
    pub stage: Stage,
    pub commit: Commit,
    pub finish: Finish,
}

/// Runs `input` through `stages` on `workers` threads (at least one) and a committer,
/// with at most `in_flight` pieces held at once, calling `sink` in input order. Stops at
/// the first error in input order and returns it; pieces after it are neither committed
/// nor sunk.
pub fn run<In, Staged, Committed, Out, Stage, Commit, Finish>(
    input: impl Iterator<Item = Result<In>> + Send,
    workers: usize,
    in_flight: usize,
    stages: Stages<Stage, Commit, Finish>,
    mut sink: impl FnMut(Out) -> Result<()>,
) -> Result<()>
where
    In: Send,
    Staged: Send,
    Committed: Send,
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
    let (done_tx, done_rx) = sync_channel::<(u64, Result<Out>)>(in_flight);
    let board = Board::default();

    std::thread::scope(|scope| {
        let (board, stages) = (&board, &stages);
        scope.spawn(move || read(input, &permit_rx, board));
        let committer_done = done_tx.clone();
        scope.spawn(move || commit(board, &stages.commit, &committer_done));
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            scope.spawn(move || work(board, stages, &done_tx));
        }
        drop(done_tx);
        let outcome = write(&done_rx, &permit_tx, &mut sink);
        // On an error, the others stop: the reader at its next permit or piece, the
        // workers and the committer at once.
        board.stop();
        drop(permit_tx);
        drop(done_rx);
        outcome
    })
}

/// [`run`]'s contract on the calling thread alone, for a single worker on a single core,
/// where the threads of `run` would only take turns on it: each piece is staged,
/// committed, finished and sunk before the next is read, and the first error stops the
/// run.
pub fn run_here<In, Staged, Committed, Out>(
    input: impl Iterator<Item = Result<In>>,
    stages: Stages<
        impl Fn(In) -> Result<Staged>,
        impl Fn(Staged) -> Result<Committed>,
        impl Fn(Committed) -> Result<Out>,
    >,
    mut sink: impl FnMut(Out) -> Result<()>,
) -> Result<()> {
    for piece in input {
        let staged = (stages.stage)(piece?)?;
        sink((stages.finish)((stages.commit)(staged)?)?)?;
    }
    Ok(())
}

/// Where the threads leave pieces for each other.
struct Board<In, Staged, Committed> {
    state: Mutex<State<In, Staged, Committed>>,
    /// A piece to stage or finish, or the end.
    for_workers: Condvar,
    /// The next piece in order is staged, or the end.
    for_committer: Condvar,
}

struct State<In, Staged, Committed> {
    to_stage: VecDeque<(u64, In)>,
    to_finish: VecDeque<(u64, Committed)>,
    staged: BTreeMap<u64, Result<Staged>>,
    /// How many pieces the reader handed over, once it is done.
    total: Option<u64>,
    /// The committer has committed the last piece, or stopped at an error.
    commits_done: bool,
    /// The sink is done: everyone stops.
    stopped: bool,
}

impl<In, Staged, Committed> Default for Board<In, Staged, Committed> {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                to_stage: VecDeque::new(),
                to_finish: VecDeque::new(),
                staged: BTreeMap::new(),
                total: None,
                commits_done: false,
                stopped: false,
            }),
            for_workers: Condvar::new(),
            for_committer: Condvar::new(),
        }
    }
}

impl<In, Staged, Committed> Board<In, Staged, Committed> {
    fn lock(&self) -> MutexGuard<'_, State<In, Staged, Committed>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.for_workers.notify_all();
        self.for_committer.notify_all();
    }
}

fn read<In, Staged, Committed>(
    input: impl Iterator<Item = Result<In>>,
    permits: &Receiver<()>,
    board: &Board<In, Staged, Committed>,
) {
    let mut total = 0;
    for (seq, piece) in (0u64..).zip(input) {
        if permits.recv().is_err() {
            return;
        }
        let mut state = board.lock();
        if state.stopped {
            return;
        }
        total = seq + 1;
        match piece {
            Ok(piece) => {
                state.to_stage.push_back((seq, piece));
                drop(state);
                board.for_workers.notify_one();
            }
            // An unreadable piece fails in its turn, after the pieces before it.
            Err(e) => {
                state.staged.insert(seq, Err(e));
                break;
            }
        }
    }
    board.lock().total = Some(total);
    board.for_committer.notify_all();
}

/// Commits the staged pieces in input order and hands them back to the workers; an
/// error (of staging or committing) goes to the sink in its turn and ends the commits.
fn commit<In, Staged, Committed, Out>(
    board: &Board<In, Staged, Committed>,
    commit: &impl Fn(Staged) -> Result<Committed>,
    done: &SyncSender<(u64, Result<Out>)>,
) {
    let mut next = 0u64;
    loop {
        let mut state = board.lock();
        let staged = loop {
            if state.stopped || state.total == Some(next) {
                state.commits_done = true;
                drop(state);
                board.for_workers.notify_all();
                return;
            }
            if let Some(staged) = state.staged.remove(&next) {
                break staged;
            }
            state = board
                .for_committer
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        };
        drop(state);
        match staged.and_then(commit) {
            Ok(committed) => {
                board.lock().to_finish.push_back((next, committed));
                board.for_workers.notify_one();
            }
            Err(e) => {
                let _ = done.send((next, Err(e)));
                board.lock().commits_done = true;
                board.for_workers.notify_all();
                return;
            }
        }
        next += 1;
    }
}

enum Job<In, Committed> {
    Stage(u64, In),
    Finish(u64, Committed),
}

fn work<In, Staged, Committed, Out, Stage, Commit, Finish>(
    board: &Board<In, Staged, Committed>,
    stages: &Stages<Stage, Commit, Finish>,
    done: &SyncSender<(u64, Result<Out>)>,
) where
    Stage: Fn(In) -> Result<Staged>,
    Finish: Fn(Committed) -> Result<Out>,
{
    loop {
        let job = {
            let mut state = board.lock();
            loop {
                if state.stopped {
                    return;
                }
                // Finishing first: the sink waits for those pieces, and they hold permits.
                if let Some((seq, committed)) = state.to_finish.pop_front() {
                    break Job::Finish(seq, committed);
                }
                if state.commits_done {
                    return;
                }
                if let Some((seq, piece)) = state.to_stage.pop_front() {
                    break Job::Stage(seq, piece);
                }
                state = board
                    .for_workers
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
            }
        };
        match job {
            Job::Stage(seq, piece) => {
                let staged = (stages.stage)(piece);
                board.lock().staged.insert(seq, staged);
                board.for_committer.notify_one();
            }
            Job::Finish(seq, committed) => {
                if done.send((seq, (stages.finish)(committed))).is_err() {
                    return;
                }
            }
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use anyhow::anyhow;

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

    /// `run` on `Some(workers)` (with twice as many pieces in flight), else `run_here`.
    fn run_on(
        workers: Option<usize>,
        input: impl Iterator<Item = Result<u64>> + Send,
        stages: Stages<Step<'_>, Step<'_>, Step<'_>>,
        sink: impl FnMut(u64) -> Result<()>,
    ) -> Result<()> {
        match workers {
            Some(workers) => run(input, workers, 2 * workers, stages, sink),
            None => run_here(input, stages, sink),
        }
    }

    #[test]
    fn output_and_commits_keep_input_order_on_any_number_of_workers() {
        for workers in [Some(1), Some(2), Some(3), Some(8), None] {
            let committed = Mutex::new(Vec::new());
            let mut out = Vec::new();
            run_on(workers, (0..500u64).map(Ok), stages(&committed), |n| {
                out.push(n);
                Ok(())
            })
            .unwrap();
            let expected: Vec<u64> = (0..500).map(|n| n * 2 + 1).collect();
            assert_eq!(out, expected, "{workers:?} workers");
            assert_eq!(*committed.lock().unwrap(), (0..500).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_error_in_input_order_stops_the_run_and_later_pieces_do_not_commit() {
        for workers in [Some(3), Some(2), None] {
            let committed = Mutex::new(Vec::new());
            let mut out = Vec::new();
            let input = (0..300u64).map(|n| if n == 100 { 1_000_000 } else { n });
            let err = run_on(workers, input.map(Ok), stages(&committed), |n| {
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
            let err = run_on(workers, input, stages(&committed), |_| Ok(())).unwrap_err();
            assert_eq!(err.to_string(), "unreadable");
            assert_eq!(*committed.lock().unwrap(), (0..7).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_failed_commit_stops_the_run_after_the_pieces_before_it() {
        for workers in [1, 3] {
            let committed = Mutex::new(Vec::new());
            let mut out = Vec::new();
            let stages = Stages {
                stage: |n: u64| Ok(n),
                commit: |n: u64| {
                    if n == 50 {
                        return Err(anyhow!("vault full at {n}"));
                    }
                    committed.lock().unwrap().push(n);
                    Ok(n)
                },
                finish: Ok,
            };
            let err = run((0..200u64).map(Ok), workers, 4, stages, |n| {
                out.push(n);
                Ok(())
            })
            .unwrap_err();
            assert_eq!(err.to_string(), "vault full at 50");
            assert_eq!(out, (0..50).collect::<Vec<_>>());
            assert_eq!(*committed.lock().unwrap(), (0..50).collect::<Vec<_>>());
        }
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
