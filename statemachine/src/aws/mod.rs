//! AWS Step Functions behind the [`Orchestrator`](crate::Orchestrator) seam (feature `aws`).

mod machines;
mod sfn_orchestrator;

pub use machines::{MachineKind, deploy_state_machine};
pub use sfn_orchestrator::SfnOrchestrator;
