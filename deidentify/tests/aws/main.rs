//! Tests of the AWS adapters (feature `aws`): against moto server where
//! `PIIFLOW_MOTO_URL` is set (`scripts/test-aws`), and with aws-smithy-mocks for faults
//! moto cannot produce.
#![cfg(feature = "aws")]

mod common;
mod faults;
mod kms_moto;
mod vault_moto;
