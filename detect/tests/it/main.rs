//! Integration tests of the detect crate, built as one binary.

#[path = "../support/corpus.rs"]
mod corpus;
#[path = "../support/labelled.rs"]
mod labelled;

mod accuracy;
mod breadth;
mod custom;
mod escaped;
mod false_positives;
mod phones;
mod properties;
mod read_back;
mod recognizers;
mod records;
mod structured;
mod unicode;
