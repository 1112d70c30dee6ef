//! The shipped definitions, embedded so the CLI runs them without locating files.

use crate::error::LoadError;
use crate::model::StateMachine;
use crate::substitute::Substitutions;

pub const DOCUMENTS_ASL: &str = include_str!("../documents.asl.json");
pub const RECORDS_ASL: &str = include_str!("../records.asl.json");
pub const JOBS_ASL: &str = include_str!("../jobs.asl.json");

/// Local handler names the placeholders map to when running in-process.
pub const DETECT_FUNCTION: &str = "detect";
pub const MASK_FUNCTION: &str = "mask";
pub const DEIDENTIFY_FUNCTION: &str = "deidentify";

/// `${DetectFunctionArn}` → `detect`, and so on: register handlers under these names.
pub fn local_substitutions() -> Substitutions {
    Substitutions::from([
        ("DetectFunctionArn".to_owned(), DETECT_FUNCTION.to_owned()),
        ("MaskFunctionArn".to_owned(), MASK_FUNCTION.to_owned()),
        (
            "DeidentifyFunctionArn".to_owned(),
            DEIDENTIFY_FUNCTION.to_owned(),
        ),
    ])
}

pub fn documents_machine(subs: &Substitutions) -> Result<StateMachine, LoadError> {
    StateMachine::from_json(DOCUMENTS_ASL, subs)
}

pub fn records_machine(subs: &Substitutions) -> Result<StateMachine, LoadError> {
    StateMachine::from_json(RECORDS_ASL, subs)
}

pub fn jobs_machine(subs: &Substitutions) -> Result<StateMachine, LoadError> {
    StateMachine::from_json(JOBS_ASL, subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn shipped_definitions_load_and_name_the_three_functions() {
        for m in [
            documents_machine(&local_substitutions()).unwrap(),
            records_machine(&local_substitutions()).unwrap(),
            jobs_machine(&local_substitutions()).unwrap(),
        ] {
            assert_eq!(m.task_targets(), vec!["deidentify", "detect", "mask"]);
        }
    }

    /// Renames every state of a graph (and every transition to one) by dropping `prefix`.
    fn strip_prefix(v: &Value, prefix: &str) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| {
                        let x = match (k.as_str(), x) {
                            ("Next" | "Default" | "StartAt", Value::String(s)) => {
                                Value::String(s.strip_prefix(prefix).unwrap_or(s).to_owned())
                            }
                            ("States", Value::Object(states)) => Value::Object(
                                states
                                    .iter()
                                    .map(|(n, s)| {
                                        (
                                            n.strip_prefix(prefix).unwrap_or(n).to_owned(),
                                            strip_prefix(s, prefix),
                                        )
                                    })
                                    .collect(),
                            ),
                            _ => strip_prefix(x, prefix),
                        };
                        (k.clone(), x)
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(|x| strip_prefix(x, prefix)).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn each_job_child_runs_the_documents_flow_unchanged() {
        let docs: Value = serde_json::from_str(DOCUMENTS_ASL).unwrap();
        let jobs: Value = serde_json::from_str(JOBS_ASL).unwrap();
        for (map, prefix) in [("PrefixDocuments", ""), ("ManifestDocuments", "Manifest")] {
            let processor = strip_prefix(&jobs["States"][map]["ItemProcessor"], prefix);
            assert_eq!(processor["StartAt"], docs["StartAt"], "{map}");
            assert_eq!(processor["States"], docs["States"], "{map}");
            assert_eq!(processor["ProcessorConfig"]["Mode"], "DISTRIBUTED", "{map}");
        }
    }

    #[test]
    fn placeholders_must_all_be_substituted() {
        assert!(documents_machine(&Substitutions::new()).is_err());
    }
}
