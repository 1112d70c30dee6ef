//! End-to-end tests of the `piiflow` binary: one test binary, modules per concern.

mod bad_input;
mod common;
mod eval;
mod golden;
mod home_modes;
mod orchestration;
mod parallel;
mod roundtrip;
mod streaming;
