pub mod anonymize;
pub mod detect;
pub mod eval;
pub mod keys;
pub mod reidentify;
pub mod run;
pub mod serve;
pub mod token;
