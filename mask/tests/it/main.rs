//! Integration tests of the masking operators.

mod properties;
