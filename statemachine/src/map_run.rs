//! Map Runs: the item counts of each Distributed Map an execution started, as
//! `DescribeMapRun` reports them, kept while the executor runs.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// `DescribeMapRun`'s `itemCounts`, with the Map Run it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunCounts {
    pub map_run_arn: String,
    pub total: u64,
    pub pending: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub results_written: u64,
}

#[derive(Debug)]
pub(crate) struct MapRunProgress {
    map_run_arn: String,
    total: u64,
    running: AtomicU64,
    succeeded: AtomicU64,
    failed: AtomicU64,
    results_written: AtomicU64,
}

impl MapRunProgress {
    pub(crate) fn started(&self) {
        self.running.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn finished(&self, ok: bool) {
        self.running.fetch_sub(1, Ordering::SeqCst);
        let counter = if ok { &self.succeeded } else { &self.failed };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn results_written(&self, n: u64) {
        self.results_written.store(n, Ordering::SeqCst);
    }

    pub(crate) fn counts(&self) -> MapRunCounts {
        let running = self.running.load(Ordering::SeqCst);
        let succeeded = self.succeeded.load(Ordering::SeqCst);
        let failed = self.failed.load(Ordering::SeqCst);
        MapRunCounts {
            map_run_arn: self.map_run_arn.clone(),
            total: self.total,
            pending: self.total.saturating_sub(running + succeeded + failed),
            running,
            succeeded,
            failed,
            results_written: self.results_written.load(Ordering::SeqCst),
        }
    }
}

/// Map Runs by the id of the execution that started them.
#[derive(Debug, Clone, Default)]
pub struct MapRuns {
    runs: Arc<Mutex<HashMap<String, Vec<Arc<MapRunProgress>>>>>,
}

impl MapRuns {
    pub(crate) fn start(
        &self,
        execution_id: &str,
        map_run_arn: String,
        total: u64,
    ) -> Arc<MapRunProgress> {
        let progress = Arc::new(MapRunProgress {
            map_run_arn,
            total,
            running: AtomicU64::new(0),
            succeeded: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            results_written: AtomicU64::new(0),
        });
        self.runs
            .lock()
            .expect("map runs lock")
            .entry(execution_id.to_owned())
            .or_default()
            .push(progress.clone());
        progress
    }

    /// The counts of every Map Run the execution started, in the order they started.
    pub fn for_execution(&self, execution_id: &str) -> Vec<MapRunCounts> {
        self.runs
            .lock()
            .expect("map runs lock")
            .get(execution_id)
            .map(|runs| runs.iter().map(|r| r.counts()).collect())
            .unwrap_or_default()
    }
}
