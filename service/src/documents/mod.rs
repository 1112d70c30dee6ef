//! Documents by reference: the `DocumentStore` port, its file adapter, and chunk planning.

mod chunks;
mod store;

pub use chunks::{DEFAULT_CHUNK_BYTES, MAX_CHUNKS, plan_chunks};
pub use store::{DocRef, DocumentStore, FileDocumentStore, file_path, read_doc};
