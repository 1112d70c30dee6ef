//! The two shipped definitions, embedded so the CLI runs them without locating files.

use crate::error::LoadError;
use crate::model::StateMachine;
use crate::substitute::Substitutions;

pub const DOCUMENTS_ASL: &str = include_str!("../documents.asl.json");
pub const RECORDS_ASL: &str = include_str!("../records.asl.json");

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_definitions_load_and_name_the_three_functions() {
        for m in [
            documents_machine(&local_substitutions()).unwrap(),
            records_machine(&local_substitutions()).unwrap(),
        ] {
            assert_eq!(m.task_targets(), vec!["deidentify", "detect", "mask"]);
        }
    }

    #[test]
    fn placeholders_must_all_be_substituted() {
        assert!(documents_machine(&Substitutions::new()).is_err());
    }
}
