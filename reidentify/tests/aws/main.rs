//! `DynamoDbAuditLog` against moto (`PIIFLOW_MOTO_URL`, see `scripts/test-aws`) and
//! with aws-smithy-mocks for faults.
#![cfg(feature = "aws")]

mod audit_faults;
mod audit_moto;
#[path = "../support/paging.rs"]
mod paging;
