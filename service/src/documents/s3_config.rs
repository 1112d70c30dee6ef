//! What an `S3DocumentStore` may read and where it writes; plain data, so configuration
//! can be read without the S3 client.

/// Where documents passed by reference are read and written (the Lambda functions read it
/// from `DOCUMENT_BUCKET`, `OUTPUT_PREFIX`, `WORK_PREFIX`, `PIIFLOW_FILE_DOCUMENTS` and
/// `CHUNK_BYTES`).
#[derive(Debug, Clone, Default)]
pub struct S3StoreConfig {
    /// The only bucket `s3://` references may name (unset: any).
    pub bucket: Option<String>,
    /// Where this store writes derived documents (`work/`, `results/`).
    pub output_prefix: String,
    /// The only keys `delete` may remove.
    pub work_prefix: String,
    /// Enables `file://` references, writing stages here.
    pub file_dir: Option<std::path::PathBuf>,
    /// Larger documents run as a Map over chunks of about this size (0 = never).
    pub chunk_bytes: u64,
}
