//! Retry and Catch: parsing, error-name matching and backoff arithmetic.

use crate::error::{
    LoadError, LoadErrorKind, STATES_ALL, STATES_RUNTIME, STATES_TASK_FAILED, STATES_TIMEOUT,
};
use crate::fields::{Fields, PathField};
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    None,
    Full,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: PathField,
}

/// Does `pattern` (an ErrorEquals entry) match the error name `error`?
///
/// `States.Runtime` is never matched: Step Functions treats it as terminal even for
/// `States.ALL`.
pub fn error_matches(pattern: &str, error: &str) -> bool {
    if error == STATES_RUNTIME {
        return false;
    }
    match pattern {
        STATES_ALL => true,
        STATES_TASK_FAILED => error != STATES_TIMEOUT,
        p => p == error,
    }
}

fn any_matches(list: &[String], error: &str) -> bool {
    list.iter().any(|p| error_matches(p, error))
}

impl Retrier {
    pub fn matches(&self, error: &str) -> bool {
        any_matches(&self.error_equals, error)
    }

    /// Delay before retry number `attempt` (0-based), before jitter.
    pub fn base_delay(&self, attempt: u32) -> Duration {
        let secs = self.interval_seconds as f64 * self.backoff_rate.powi(attempt as i32);
        let capped = match self.max_delay_seconds {
            Some(max) => secs.min(max as f64),
            None => secs,
        };
        Duration::from_secs_f64(capped.min(31_622_400.0))
    }

    /// Applies the jitter strategy; `unit` is a random number in `[0, 1)`.
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let base = self.base_delay(attempt);
        match self.jitter {
            Jitter::None => base,
            Jitter::Full => base.mul_f64(unit.clamp(0.0, 1.0)),
        }
    }
}

impl Catcher {
    pub fn matches(&self, error: &str) -> bool {
        any_matches(&self.error_equals, error)
    }
}

fn error_equals(f: &mut Fields, is_last: bool) -> Result<Vec<String>, LoadError> {
    let list = f
        .opt_array("ErrorEquals")?
        .ok_or_else(|| f.err("ErrorEquals", LoadErrorKind::MissingField))?;
    if list.is_empty() {
        return Err(f.err(
            "ErrorEquals",
            LoadErrorKind::InvalidValue("needs at least one error name".into()),
        ));
    }
    let names = list
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s),
            _ => Err(f.err("ErrorEquals", LoadErrorKind::WrongType("array of strings"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if names.iter().any(|n| n == STATES_ALL) && (names.len() > 1 || !is_last) {
        return Err(f.err(
            "ErrorEquals",
            LoadErrorKind::InvalidValue(
                "States.ALL must appear alone and in the last entry".into(),
            ),
        ));
    }
    Ok(names)
}

pub(crate) fn parse_retry(state: &str, list: &[Value]) -> Result<Vec<Retrier>, LoadError> {
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            let mut f = Fields::new(Some(state), &format!("Retry[{i}]."), v)?;
            let error_equals = error_equals(&mut f, i + 1 == list.len())?;
            f.opt_str("Comment")?;
            let interval_seconds = f.opt_u64("IntervalSeconds")?.unwrap_or(1);
            if interval_seconds == 0 {
                return Err(f.err(
                    "IntervalSeconds",
                    LoadErrorKind::InvalidValue("must be at least 1".into()),
                ));
            }
            let max_attempts = f.opt_u64("MaxAttempts")?.unwrap_or(3);
            let backoff_rate = f.opt_f64("BackoffRate")?.unwrap_or(2.0);
            if backoff_rate < 1.0 {
                return Err(f.err(
                    "BackoffRate",
                    LoadErrorKind::InvalidValue("must be at least 1.0".into()),
                ));
            }
            let max_delay_seconds = f.opt_u64("MaxDelaySeconds")?;
            if max_delay_seconds == Some(0) {
                return Err(f.err(
                    "MaxDelaySeconds",
                    LoadErrorKind::InvalidValue("must be positive".into()),
                ));
            }
            let jitter = match f.opt_str("JitterStrategy")?.as_deref() {
                None | Some("NONE") => Jitter::None,
                Some("FULL") => Jitter::Full,
                Some(other) => {
                    return Err(f.err(
                        "JitterStrategy",
                        LoadErrorKind::InvalidValue(format!("{other:?} is not FULL or NONE")),
                    ));
                }
            };
            f.finish()?;
            Ok(Retrier {
                error_equals,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter,
            })
        })
        .collect()
}

pub(crate) fn parse_catch(state: &str, list: &[Value]) -> Result<Vec<Catcher>, LoadError> {
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            let mut f = Fields::new(Some(state), &format!("Catch[{i}]."), v)?;
            let error_equals = error_equals(&mut f, i + 1 == list.len())?;
            f.opt_str("Comment")?;
            let next = f.req_str("Next")?;
            let result_path = f.path_field("ResultPath")?;
            f.finish()?;
            Ok(Catcher {
                error_equals,
                next,
                result_path,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn task_failed_matches_all_but_timeout_and_runtime_is_never_matched() {
        assert!(error_matches("States.TaskFailed", "Pii.Throttled"));
        assert!(!error_matches("States.TaskFailed", "States.Timeout"));
        assert!(error_matches("States.ALL", "States.Timeout"));
        assert!(!error_matches("States.ALL", "States.Runtime"));
        assert!(!error_matches("Pii.Throttled", "Pii.Other"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = parse_retry(
            "S",
            &[json!({"ErrorEquals": ["X"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 10})],
        )
        .unwrap()
        .remove(0);
        let secs: Vec<u64> = (0..4).map(|a| r.base_delay(a).as_secs()).collect();
        assert_eq!(secs, vec![2, 6, 10, 10]);
    }

    #[test]
    fn full_jitter_scales_by_the_random_unit() {
        let r = parse_retry(
            "S",
            &[json!({"ErrorEquals": ["X"], "JitterStrategy": "FULL"})],
        )
        .unwrap()
        .remove(0);
        assert_eq!(r.delay(1, 0.25), Duration::from_millis(500));
    }

    #[test]
    fn states_all_must_be_alone_and_last() {
        let e = parse_retry(
            "S",
            &[
                json!({"ErrorEquals": ["States.ALL"]}),
                json!({"ErrorEquals": ["X"]}),
            ],
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("Retry[0].ErrorEquals"));
        assert!(
            parse_catch(
                "S",
                &[json!({"ErrorEquals": ["States.ALL", "X"], "Next": "N"})]
            )
            .is_err()
        );
    }
}
