//! The typed state machine a definition loads into. Construction goes through `load.rs`,
//! which validates everything these types cannot express.

use crate::choice::Choice;
use crate::fields::PathField;
use crate::path::JsonPath;
use crate::retry::{Catcher, Retrier};
use crate::template::{Dynamic, Template};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub graph: Graph,
    pub timeout_seconds: Option<u64>,
}

/// A StartAt plus its States: the top level, a Map's processor or a Parallel branch.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub start_at: String,
    pub states: BTreeMap<String, State>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub name: String,
    pub comment: Option<String>,
    pub input_path: PathField,
    pub output_path: PathField,
    pub transition: Transition,
    pub kind: StateKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    Next(String),
    End,
    /// Choice picks its own next state; Succeed and Fail end the branch.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Pass(PassState),
    Task(TaskState),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed,
    Fail(FailState),
    Map(MapState),
    Parallel(ParallelState),
}

impl StateKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Map(_) => "Map",
            StateKind::Parallel(_) => "Parallel",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PassState {
    pub parameters: Option<Template>,
    pub result: Option<Value>,
    pub result_path: PathField,
}

/// The `arn:aws:states:::lambda:invoke` optimized integration, or any other Resource string
/// (a Lambda ARN or a local name) invoked directly with the effective input.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    LambdaInvoke,
    Direct(String),
}

pub const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

#[derive(Debug, Clone, PartialEq)]
pub struct TaskState {
    pub resource: Resource,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: PathField,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub timeout_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceState {
    pub choices: Vec<Choice>,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaitState {
    Seconds(u64),
    SecondsPath(JsonPath),
    Timestamp(OffsetDateTime),
    TimestampPath(JsonPath),
}

/// Fail's Error/Cause: a literal, or a path/intrinsic from ErrorPath/CausePath.
#[derive(Debug, Clone, PartialEq)]
pub enum FailField {
    Literal(String),
    Dynamic(Dynamic),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FailState {
    pub error: Option<FailField>,
    pub cause: Option<FailField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapState {
    pub items_path: JsonPath,
    pub item_selector: Option<Template>,
    pub processor: Graph,
    /// 0 means unbounded, as in ASL.
    pub max_concurrency: usize,
    pub result_selector: Option<Template>,
    pub result_path: PathField,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    /// `ProcessorConfig.Mode: DISTRIBUTED`: each item a child execution.
    pub distributed: Option<Box<DistributedMap>>,
}

/// What a Distributed Map adds to a Map: where its items come from, where the children's
/// results go, and how many children may fail before the Map Run does.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributedMap {
    pub label: Option<String>,
    pub execution_type: ChildExecutionType,
    pub item_reader: Option<ItemReader>,
    pub result_writer: Option<ResultWriter>,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildExecutionType {
    Standard,
    Express,
}

pub const S3_LIST_OBJECTS_V2: &str = "arn:aws:states:::s3:listObjectsV2";
pub const S3_GET_OBJECT: &str = "arn:aws:states:::s3:getObject";
pub const S3_PUT_OBJECT: &str = "arn:aws:states:::s3:putObject";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemSource {
    /// `s3:listObjectsV2`: one item per object under `Bucket`/`Prefix`.
    ListObjects,
    /// `s3:getObject` with `ReaderConfig.InputType: JSON`: the items of a JSON array.
    JsonArray,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemReader {
    pub source: ItemSource,
    /// `Bucket` and `Prefix` (ListObjects) or `Bucket` and `Key` (JsonArray).
    pub parameters: Template,
    pub max_items: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultWriter {
    /// `Bucket` and `Prefix`.
    pub parameters: Template,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParallelState {
    pub branches: Vec<Graph>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: PathField,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl StateMachine {
    /// Task targets named statically in the definition (Lambda FunctionName or Resource),
    /// so a local runner can check at start-up that every one has a handler.
    pub fn task_targets(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.graph.collect_targets(&mut out);
        out.sort();
        out.dedup();
        out
    }
}

impl Graph {
    fn collect_targets(&self, out: &mut Vec<String>) {
        for s in self.states.values() {
            match &s.kind {
                StateKind::Task(t) => match &t.resource {
                    Resource::Direct(r) => out.push(r.clone()),
                    Resource::LambdaInvoke => {
                        if let Some(Value::String(f)) = t
                            .parameters
                            .as_ref()
                            .and_then(|p| p.static_field("FunctionName"))
                        {
                            out.push(f.clone());
                        }
                    }
                },
                StateKind::Map(m) => m.processor.collect_targets(out),
                StateKind::Parallel(p) => p.branches.iter().for_each(|b| b.collect_targets(out)),
                _ => {}
            }
        }
    }
}
