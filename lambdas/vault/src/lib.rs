//! The vault of the functions that hold one (deidentify, reidentify, api), and the
//! keyring they read from `KEYRING_CIPHERTEXT`.

pub mod keyring_admin;
mod stores;

pub use stores::{keyring_from_parameter, open_put_only_vault, open_vault};
