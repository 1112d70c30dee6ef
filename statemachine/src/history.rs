//! Execution history in the shape of Step Functions' GetExecutionHistory: numbered events,
//! each pointing at the event that caused it.

use crate::clock::Clock;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

macro_rules! event_types {
    ($($v:ident),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum EventType { $($v),* }

        impl EventType {
            pub fn as_str(&self) -> &'static str {
                match self { $(EventType::$v => stringify!($v)),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $(stringify!($v) => Some(EventType::$v),)* _ => None }
            }
        }
    };
}

event_types!(
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    PassStateEntered,
    PassStateExited,
    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    WaitStateEntered,
    WaitStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    MapStateEntered,
    MapStateExited,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
    ParallelStateEntered,
    ParallelStateExited,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
);

impl EventType {
    pub fn entered(state_type: &str) -> Self {
        match state_type {
            "Pass" => EventType::PassStateEntered,
            "Task" => EventType::TaskStateEntered,
            "Choice" => EventType::ChoiceStateEntered,
            "Wait" => EventType::WaitStateEntered,
            "Succeed" => EventType::SucceedStateEntered,
            "Fail" => EventType::FailStateEntered,
            "Map" => EventType::MapStateEntered,
            _ => EventType::ParallelStateEntered,
        }
    }

    /// Fail states never exit.
    pub fn exited(state_type: &str) -> Option<Self> {
        Some(match state_type {
            "Pass" => EventType::PassStateExited,
            "Task" => EventType::TaskStateExited,
            "Choice" => EventType::ChoiceStateExited,
            "Wait" => EventType::WaitStateExited,
            "Succeed" => EventType::SucceedStateExited,
            "Map" => EventType::MapStateExited,
            "Parallel" => EventType::ParallelStateExited,
            _ => return None,
        })
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub timestamp: OffsetDateTime,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Event-specific fields (`name`, `input`, `output`, `error`, `cause`, `resource`, ...).
    pub details: Value,
}

/// Collects events while an execution runs; shared by concurrent Map/Parallel branches.
pub struct History {
    clock: Arc<dyn Clock>,
    events: Mutex<Vec<HistoryEvent>>,
}

impl History {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        History {
            clock,
            events: Mutex::new(Vec::new()),
        }
    }

    /// Appends an event caused by `previous` and returns its id.
    pub fn record(&self, event_type: EventType, previous: u64, details: Value) -> u64 {
        let mut events = self.events.lock().expect("history lock");
        let id = events.len() as u64 + 1;
        events.push(HistoryEvent {
            id,
            previous_event_id: previous,
            timestamp: self.clock.now(),
            event_type,
            details,
        });
        id
    }

    pub fn events(&self) -> Vec<HistoryEvent> {
        self.events.lock().expect("history lock").clone()
    }
}

/// One line per event, like the console's table view.
pub fn render_text(events: &[HistoryEvent]) -> String {
    let mut out = String::new();
    for e in events {
        let ts = e
            .timestamp
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let name = e.details.get("name").and_then(Value::as_str).unwrap_or("");
        let _ = write!(
            out,
            "{:>4} {:>4}  {ts}  {:<24} {name}",
            e.id,
            e.previous_event_id,
            e.event_type.as_str()
        );
        for key in ["error", "cause"] {
            if let Some(v) = e.details.get(key).and_then(Value::as_str) {
                let _ = write!(out, "  {key}={v}");
            }
        }
        out.push('\n');
    }
    out
}

pub fn render_json(events: &[HistoryEvent]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "events": events }))
        .expect("history serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use serde_json::json;

    #[test]
    fn ids_are_sequential_and_renderings_carry_them() {
        let h = History::new(Arc::new(FakeClock::default()));
        let a = h.record(EventType::ExecutionStarted, 0, json!({"input": {}}));
        let b = h.record(
            EventType::TaskFailed,
            a,
            json!({"name": "Detect", "error": "Pii.Throttled", "cause": "slow down"}),
        );
        assert_eq!((a, b), (1, 2));
        let text = render_text(&h.events());
        assert!(text.contains("TaskFailed"), "{text}");
        assert!(text.contains("error=Pii.Throttled"), "{text}");
        let v: Value = serde_json::from_str(&render_json(&h.events())).unwrap();
        assert_eq!(v["events"][1]["previousEventId"], json!(1));
        assert_eq!(v["events"][1]["type"], json!("TaskFailed"));
    }

    #[test]
    fn event_type_round_trips_through_its_name() {
        for t in [EventType::MapIterationFailed, EventType::ExecutionSucceeded] {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
    }
}
