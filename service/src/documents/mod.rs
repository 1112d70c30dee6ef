//! Documents by reference: the `DocumentStore` port, its file adapter and its S3 adapter
//! (feature `aws`) side by side, and chunk planning.

mod chunks;
mod roots;
mod s3_config;
#[cfg(feature = "aws")]
mod s3_store;
mod store;

pub use chunks::{DEFAULT_CHUNK_BYTES, MAX_CHUNKS, plan_chunks};
pub use roots::DocumentRoots;
pub use s3_config::S3StoreConfig;
#[cfg(feature = "aws")]
pub use s3_store::{MAX_DOCUMENT_BYTES, S3DocumentStore};
pub use store::{DocRef, DocumentStore, FileDocumentStore, file_path, read_doc};
