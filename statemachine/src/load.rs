//! Loading and validating a definition: strict fields per state type, transitions that
//! resolve, and every unsupported feature rejected by name.

use crate::choice::{Choice, timestamp};
use crate::error::{LoadError, LoadErrorKind};
use crate::fields::{Fields, PathField};
use crate::model::*;
use crate::path::JsonPath;
use crate::retry::{Catcher, Retrier, parse_catch, parse_retry};
use crate::substitute::{Substitutions, substitute};
use crate::template::{Dynamic, Template};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Fields that belong to JSONata or variables; named so the error says why.
const JSONATA_FIELDS: &[&str] = &["Arguments", "Output", "Assign", "Items", "Condition"];

impl StateMachine {
    pub fn from_json(text: &str, subs: &Substitutions) -> Result<Self, LoadError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| LoadError::top(LoadErrorKind::Json(e.to_string())))?;
        StateMachine::from_value(v, subs)
    }

    pub fn from_value(v: Value, subs: &Substitutions) -> Result<Self, LoadError> {
        let v = substitute(v, subs)?;
        let mut f = Fields::new(None, "", &v)?;
        query_language(&mut f)?;
        let comment = f.opt_str("Comment")?;
        let version = f.opt_str("Version")?;
        if let Some(ver) = version
            && ver != "1.0"
        {
            return Err(f.err(
                "Version",
                LoadErrorKind::Unsupported(format!("version {ver}")),
            ));
        }
        let timeout_seconds = f.opt_u64("TimeoutSeconds")?;
        let graph = parse_graph(&mut f)?;
        f.finish()?;
        Ok(StateMachine {
            comment,
            graph,
            timeout_seconds,
        })
    }
}

fn query_language(f: &mut Fields) -> Result<(), LoadError> {
    match f.opt_str("QueryLanguage")?.as_deref() {
        None | Some("JSONPath") => Ok(()),
        Some(other) => Err(f.err(
            "QueryLanguage",
            LoadErrorKind::Unsupported(format!("QueryLanguage {other} (only JSONPath)")),
        )),
    }
}

/// Reads StartAt + States from `f` and checks every transition and reachability.
fn parse_graph(f: &mut Fields) -> Result<Graph, LoadError> {
    let start_at = f.req_str("StartAt")?;
    let states_v = f
        .take("States")
        .ok_or_else(|| f.err("States", LoadErrorKind::MissingField))?;
    let Value::Object(states_map) = states_v else {
        return Err(f.err("States", LoadErrorKind::WrongType("object")));
    };
    let mut states = BTreeMap::new();
    for (name, sv) in &states_map {
        states.insert(name.clone(), parse_state(name, sv)?);
    }
    if !states.contains_key(&start_at) {
        return Err(f.err("StartAt", LoadErrorKind::UnknownNext(start_at)));
    }
    for s in states.values() {
        for (field, target) in targets(s) {
            if !states.contains_key(target) {
                return Err(LoadError::new(
                    Some(&s.name),
                    Some(&field),
                    LoadErrorKind::UnknownNext(target.to_owned()),
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![start_at.as_str()];
    while let Some(n) = todo.pop() {
        if seen.insert(n) {
            todo.extend(targets(&states[n]).into_iter().map(|(_, t)| t));
        }
    }
    if let Some(orphan) = states.keys().find(|k| !seen.contains(k.as_str())) {
        return Err(LoadError::new(
            Some(orphan),
            None,
            LoadErrorKind::InvalidValue("state is not reachable from StartAt".into()),
        ));
    }
    Ok(Graph { start_at, states })
}

fn targets(s: &State) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if let Transition::Next(n) = &s.transition {
        out.push(("Next".to_owned(), n.as_str()));
    }
    let catchers: &[Catcher] = match &s.kind {
        StateKind::Task(t) => &t.catch,
        StateKind::Map(m) => &m.catch,
        StateKind::Parallel(p) => &p.catch,
        StateKind::Choice(c) => {
            for (i, ch) in c.choices.iter().enumerate() {
                out.push((format!("Choices[{i}].Next"), ch.next.as_str()));
            }
            if let Some(d) = &c.default {
                out.push(("Default".to_owned(), d.as_str()));
            }
            &[]
        }
        _ => &[],
    };
    for (i, c) in catchers.iter().enumerate() {
        out.push((format!("Catch[{i}].Next"), c.next.as_str()));
    }
    out
}

fn parse_state(name: &str, v: &Value) -> Result<State, LoadError> {
    let mut f = Fields::new(Some(name), "", v)?;
    let ty = f.req_str("Type")?;
    query_language(&mut f)?;
    for field in JSONATA_FIELDS {
        f.reject(field, "JSONata and variables are not supported")?;
    }
    let comment = f.opt_str("Comment")?;
    let (input_path, output_path) = if ty == "Fail" {
        (PathField::Default, PathField::Default)
    } else {
        (f.path_field("InputPath")?, f.path_field("OutputPath")?)
    };
    let kind = match ty.as_str() {
        "Pass" => StateKind::Pass(PassState {
            parameters: f.opt_template("Parameters")?,
            result: f.take("Result"),
            result_path: f.path_field("ResultPath")?,
        }),
        "Task" => StateKind::Task(parse_task(&mut f)?),
        "Choice" => StateKind::Choice(parse_choice(name, &mut f)?),
        "Wait" => StateKind::Wait(parse_wait(&mut f)?),
        "Succeed" => StateKind::Succeed,
        "Fail" => StateKind::Fail(FailState {
            error: fail_field(&mut f, "Error", "ErrorPath")?,
            cause: fail_field(&mut f, "Cause", "CausePath")?,
        }),
        "Map" => StateKind::Map(parse_map(&mut f)?),
        "Parallel" => StateKind::Parallel(parse_parallel(&mut f)?),
        other => {
            return Err(f.err("Type", LoadErrorKind::UnknownStateType(other.to_owned())));
        }
    };
    let transition = parse_transition(&mut f, &kind)?;
    f.finish()?;
    Ok(State {
        name: name.to_owned(),
        comment,
        input_path,
        output_path,
        transition,
        kind,
    })
}

fn parse_transition(f: &mut Fields, kind: &StateKind) -> Result<Transition, LoadError> {
    let terminal = matches!(
        kind,
        StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_)
    );
    if terminal {
        for field in ["Next", "End"] {
            if f.has(field) {
                return Err(f.err(
                    field,
                    LoadErrorKind::InvalidValue(format!(
                        "{} states cannot have {field}",
                        kind.type_name()
                    )),
                ));
            }
        }
        return Ok(Transition::None);
    }
    let next = f.opt_str("Next")?;
    let end = f.opt_bool("End")?.unwrap_or(false);
    match (next, end) {
        (Some(n), false) => Ok(Transition::Next(n)),
        (None, true) => Ok(Transition::End),
        _ => Err(f.err("Next", LoadErrorKind::NextOrEnd)),
    }
}

fn retry_catch(f: &mut Fields) -> Result<(Vec<Retrier>, Vec<Catcher>), LoadError> {
    let state = f.state().unwrap_or_default().to_owned();
    let retry = match f.opt_array("Retry")? {
        Some(list) => parse_retry(&state, &list)?,
        None => Vec::new(),
    };
    let catch = match f.opt_array("Catch")? {
        Some(list) => parse_catch(&state, &list)?,
        None => Vec::new(),
    };
    Ok((retry, catch))
}

fn parse_task(f: &mut Fields) -> Result<TaskState, LoadError> {
    for (field, why) in [
        ("TimeoutSecondsPath", "dynamic timeouts"),
        ("HeartbeatSeconds", "heartbeats (no activity workers here)"),
        (
            "HeartbeatSecondsPath",
            "heartbeats (no activity workers here)",
        ),
        ("Credentials", "cross-account credentials"),
    ] {
        f.reject(field, why)?;
    }
    let resource_text = f.req_str("Resource")?;
    let parameters = f.opt_template("Parameters")?;
    let resource = if resource_text == LAMBDA_INVOKE {
        let Some(p) = &parameters else {
            return Err(f.err("Parameters", LoadErrorKind::MissingField));
        };
        let names = p.field_names();
        if !names.contains(&"FunctionName") {
            return Err(f.err("Parameters.FunctionName", LoadErrorKind::MissingField));
        }
        if let Some(bad) = names
            .iter()
            .find(|n| !["FunctionName", "Payload", "Qualifier"].contains(n))
        {
            return Err(f.err(
                &format!("Parameters.{bad}"),
                LoadErrorKind::Unsupported(
                    "lambda:invoke takes FunctionName, Payload, Qualifier here".into(),
                ),
            ));
        }
        Resource::LambdaInvoke
    } else if resource_text.starts_with("arn:aws:states:::") {
        return Err(f.err(
            "Resource",
            LoadErrorKind::Unsupported(format!(
                "service integration {resource_text} (only {LAMBDA_INVOKE} or a function ARN)"
            )),
        ));
    } else {
        Resource::Direct(resource_text)
    };
    let result_selector = f.opt_template("ResultSelector")?;
    let result_path = f.path_field("ResultPath")?;
    let timeout_seconds = f.opt_u64("TimeoutSeconds")?;
    if timeout_seconds == Some(0) {
        return Err(f.err(
            "TimeoutSeconds",
            LoadErrorKind::InvalidValue("must be positive".into()),
        ));
    }
    let (retry, catch) = retry_catch(f)?;
    Ok(TaskState {
        resource,
        parameters,
        result_selector,
        result_path,
        retry,
        catch,
        timeout_seconds,
    })
}

fn parse_choice(name: &str, f: &mut Fields) -> Result<ChoiceState, LoadError> {
    let list = f
        .opt_array("Choices")?
        .ok_or_else(|| f.err("Choices", LoadErrorKind::MissingField))?;
    if list.is_empty() {
        return Err(f.err(
            "Choices",
            LoadErrorKind::InvalidValue("needs at least one rule".into()),
        ));
    }
    let choices = list
        .iter()
        .enumerate()
        .map(|(i, v)| Choice::parse(name, i, v))
        .collect::<Result<_, _>>()?;
    Ok(ChoiceState {
        choices,
        default: f.opt_str("Default")?,
    })
}

fn parse_wait(f: &mut Fields) -> Result<WaitState, LoadError> {
    let mut found = Vec::new();
    if let Some(s) = f.opt_u64("Seconds")? {
        found.push(WaitState::Seconds(s));
    }
    if let Some(p) = f.opt_path("SecondsPath")? {
        found.push(WaitState::SecondsPath(p));
    }
    if let Some(t) = f.opt_str("Timestamp")? {
        let ts = timestamp(&t).ok_or_else(|| {
            f.err(
                "Timestamp",
                LoadErrorKind::InvalidValue(format!("{t:?} is not RFC 3339")),
            )
        })?;
        found.push(WaitState::Timestamp(ts));
    }
    if let Some(p) = f.opt_path("TimestampPath")? {
        found.push(WaitState::TimestampPath(p));
    }
    if found.len() != 1 {
        return Err(f.err(
            "Seconds",
            LoadErrorKind::InvalidValue(
                "needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath".into(),
            ),
        ));
    }
    Ok(found.remove(0))
}

fn fail_field(f: &mut Fields, lit: &str, path: &str) -> Result<Option<FailField>, LoadError> {
    let l = f.opt_str(lit)?;
    let p = f.opt_str(path)?;
    match (l, p) {
        (Some(_), Some(_)) => Err(f.err(
            path,
            LoadErrorKind::InvalidValue(format!("{lit} and {path} are mutually exclusive")),
        )),
        (Some(l), None) => Ok(Some(FailField::Literal(l))),
        (None, Some(p)) => Dynamic::parse(&p)
            .map(|d| Some(FailField::Dynamic(d)))
            .map_err(|reason| f.err(path, LoadErrorKind::BadPath { path: p, reason })),
        (None, None) => Ok(None),
    }
}

/// A Map's ItemProcessor or a Parallel branch, with the processor's child execution
/// type when its `ProcessorConfig.Mode` is DISTRIBUTED.
fn parse_sub_graph(
    f: &mut Fields,
    field: &str,
    v: &Value,
) -> Result<(Graph, Option<ChildExecutionType>), LoadError> {
    let mut sub = Fields::new(f.state(), &format!("{field}."), v)?;
    query_language(&mut sub)?;
    sub.opt_str("Comment")?;
    let mut distributed = None;
    if let Some(cfg) = sub.take("ProcessorConfig") {
        let mode = cfg.get("Mode").and_then(Value::as_str).unwrap_or("INLINE");
        let execution_type = cfg.get("ExecutionType").and_then(Value::as_str);
        let extra = cfg
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k != "Mode" && k != "ExecutionType"));
        let bad = |why: String| sub.err("ProcessorConfig", LoadErrorKind::InvalidValue(why));
        if extra {
            return Err(bad("takes Mode and ExecutionType only".into()));
        }
        match mode {
            "INLINE" => {}
            "DISTRIBUTED" if field == "ItemProcessor" => {
                distributed = Some(match execution_type {
                    Some("STANDARD") => ChildExecutionType::Standard,
                    Some("EXPRESS") => ChildExecutionType::Express,
                    other => {
                        return Err(bad(format!(
                            "DISTRIBUTED needs ExecutionType STANDARD or EXPRESS, not {other:?}"
                        )));
                    }
                });
            }
            other => return Err(bad(format!("Mode {other:?} (INLINE or DISTRIBUTED)"))),
        }
    }
    let graph = parse_graph(&mut sub)?;
    sub.finish()?;
    Ok((graph, distributed))
}

fn parse_map(f: &mut Fields) -> Result<MapState, LoadError> {
    for field in [
        "ItemBatcher",
        "ToleratedFailurePercentagePath",
        "ToleratedFailureCountPath",
        "MaxConcurrencyPath",
    ] {
        f.reject(
            field,
            "the …Path variants and ItemBatcher are not supported",
        )?;
    }
    let items_path = f.opt_path("ItemsPath")?.unwrap_or_else(JsonPath::root);
    let selector = f.opt_template("ItemSelector")?;
    let legacy = f.opt_template("Parameters")?;
    if selector.is_some() && legacy.is_some() {
        return Err(f.err(
            "Parameters",
            LoadErrorKind::InvalidValue("use ItemSelector or Parameters, not both".into()),
        ));
    }
    let processor_v = match (f.take("ItemProcessor"), f.take("Iterator")) {
        (Some(p), None) => ("ItemProcessor", p),
        (None, Some(i)) => ("Iterator", i),
        (Some(_), Some(_)) => {
            return Err(f.err(
                "Iterator",
                LoadErrorKind::InvalidValue("use ItemProcessor or Iterator, not both".into()),
            ));
        }
        (None, None) => return Err(f.err("ItemProcessor", LoadErrorKind::MissingField)),
    };
    let (processor, mode) = parse_sub_graph(f, processor_v.0, &processor_v.1)?;
    let distributed = match mode {
        Some(execution_type) => Some(Box::new(parse_distributed(f, execution_type)?)),
        None => {
            for field in [
                "ItemReader",
                "ResultWriter",
                "ToleratedFailurePercentage",
                "ToleratedFailureCount",
                "Label",
            ] {
                f.reject(
                    field,
                    "needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED",
                )?;
            }
            None
        }
    };
    let max_concurrency = f.opt_u64("MaxConcurrency")?.unwrap_or(0) as usize;
    let result_selector = f.opt_template("ResultSelector")?;
    let result_path = f.path_field("ResultPath")?;
    let (retry, catch) = retry_catch(f)?;
    Ok(MapState {
        items_path,
        item_selector: selector.or(legacy),
        processor,
        max_concurrency,
        result_selector,
        result_path,
        retry,
        catch,
        distributed,
    })
}

fn parse_distributed(
    f: &mut Fields,
    execution_type: ChildExecutionType,
) -> Result<DistributedMap, LoadError> {
    let label = f.opt_str("Label")?;
    if let Some(l) = &label
        && (l.len() > 40
            || l.chars()
                .any(|c| c.is_whitespace() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)))
    {
        return Err(f.err(
            "Label",
            LoadErrorKind::InvalidValue(
                "at most 40 characters, no whitespace or special characters".into(),
            ),
        ));
    }
    let item_reader = match f.take("ItemReader") {
        Some(v) => Some(parse_item_reader(f, &v)?),
        None => None,
    };
    let result_writer = match f.take("ResultWriter") {
        Some(v) => Some(parse_result_writer(f, &v)?),
        None => None,
    };
    let tolerated_failure_count = f.opt_u64("ToleratedFailureCount")?;
    let tolerated_failure_percentage = f.opt_f64("ToleratedFailurePercentage")?;
    if let Some(p) = tolerated_failure_percentage
        && !(0.0..=100.0).contains(&p)
    {
        return Err(f.err(
            "ToleratedFailurePercentage",
            LoadErrorKind::InvalidValue("must be between 0 and 100".into()),
        ));
    }
    Ok(DistributedMap {
        label,
        execution_type,
        item_reader,
        result_writer,
        tolerated_failure_count,
        tolerated_failure_percentage,
    })
}

fn parse_item_reader(f: &mut Fields, v: &Value) -> Result<ItemReader, LoadError> {
    let mut sub = Fields::new(f.state(), "ItemReader.", v)?;
    let resource = sub.req_str("Resource")?;
    let parameters = sub
        .opt_template("Parameters")?
        .ok_or_else(|| sub.err("Parameters", LoadErrorKind::MissingField))?;
    let (input_type, max_items) = match sub.take("ReaderConfig") {
        None => (None, None),
        Some(cfg) => {
            let mut rc = Fields::new(f.state(), "ItemReader.ReaderConfig.", &cfg)?;
            let input_type = rc.opt_str("InputType")?;
            let max_items = rc.opt_u64("MaxItems")?;
            rc.finish()?;
            (input_type, max_items)
        }
    };
    let (source, needs) = match (resource.as_str(), input_type.as_deref()) {
        (S3_LIST_OBJECTS_V2, None) => (ItemSource::ListObjects, ["Bucket", "Prefix"]),
        (S3_GET_OBJECT, Some("JSON")) => (ItemSource::JsonArray, ["Bucket", "Key"]),
        _ => {
            return Err(sub.err(
                "Resource",
                LoadErrorKind::Unsupported(format!(
                    "item reader {resource} with InputType {input_type:?} (only {S3_LIST_OBJECTS_V2}, or {S3_GET_OBJECT} with InputType JSON)"
                )),
            ));
        }
    };
    check_s3_parameters(&sub, &parameters, &needs)?;
    sub.finish()?;
    Ok(ItemReader {
        source,
        parameters,
        max_items,
    })
}

fn parse_result_writer(f: &mut Fields, v: &Value) -> Result<ResultWriter, LoadError> {
    let mut sub = Fields::new(f.state(), "ResultWriter.", v)?;
    sub.reject(
        "WriterConfig",
        "only the default NONE transformation in JSON files",
    )?;
    let resource = sub.req_str("Resource")?;
    if resource != S3_PUT_OBJECT {
        return Err(sub.err(
            "Resource",
            LoadErrorKind::Unsupported(format!("result writer {resource} (only {S3_PUT_OBJECT})")),
        ));
    }
    let parameters = sub
        .opt_template("Parameters")?
        .ok_or_else(|| sub.err("Parameters", LoadErrorKind::MissingField))?;
    check_s3_parameters(&sub, &parameters, &["Bucket", "Prefix"])?;
    sub.finish()?;
    Ok(ResultWriter { parameters })
}

fn check_s3_parameters(sub: &Fields, t: &Template, allowed: &[&str]) -> Result<(), LoadError> {
    let names = t.field_names();
    if let Some(bad) = names.iter().find(|n| !allowed.contains(n)) {
        return Err(sub.err(
            &format!("Parameters.{bad}"),
            LoadErrorKind::Unsupported(format!("takes {} here", allowed.join(", "))),
        ));
    }
    if !names.contains(&"Bucket") {
        return Err(sub.err("Parameters.Bucket", LoadErrorKind::MissingField));
    }
    Ok(())
}

fn parse_parallel(f: &mut Fields) -> Result<ParallelState, LoadError> {
    let list = f
        .opt_array("Branches")?
        .ok_or_else(|| f.err("Branches", LoadErrorKind::MissingField))?;
    if list.is_empty() {
        return Err(f.err(
            "Branches",
            LoadErrorKind::InvalidValue("needs at least one branch".into()),
        ));
    }
    let branches = list
        .iter()
        .enumerate()
        .map(|(i, b)| parse_sub_graph(f, &format!("Branches[{i}]"), b).map(|(g, _)| g))
        .collect::<Result<_, _>>()?;
    let parameters: Option<Template> = f.opt_template("Parameters")?;
    let result_selector = f.opt_template("ResultSelector")?;
    let result_path = f.path_field("ResultPath")?;
    let (retry, catch) = retry_catch(f)?;
    Ok(ParallelState {
        branches,
        parameters,
        result_selector,
        result_path,
        retry,
        catch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(v: Value) -> Result<StateMachine, LoadError> {
        StateMachine::from_value(v, &Substitutions::new())
    }

    #[test]
    fn minimal_pass_machine_loads() {
        let m =
            load(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})).unwrap();
        assert_eq!(m.graph.start_at, "A");
        assert_eq!(m.graph.states["A"].transition, Transition::End);
    }

    #[test]
    fn unreachable_state_is_rejected() {
        let e = load(json!({"StartAt": "A", "States": {
            "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}))
        .unwrap_err();
        assert_eq!(e.state.as_deref(), Some("B"));
    }

    #[test]
    fn next_and_end_together_is_rejected() {
        let e = load(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "A", "End": true}}}))
        .unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::NextOrEnd);
    }

    #[test]
    fn other_service_integrations_are_rejected() {
        let e = load(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}))
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("Resource"));
        assert!(matches!(e.kind, LoadErrorKind::Unsupported(_)));
    }

    #[test]
    fn unknown_field_inside_map_processor_names_the_path() {
        let e = load(json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Reslt": 1}}}}}}))
        .unwrap_err();
        assert_eq!(e.state.as_deref(), Some("P"));
        assert_eq!(e.field.as_deref(), Some("Reslt"));
    }
}
