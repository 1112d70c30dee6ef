//! `S3DocumentStore`: the `DocumentStore` for `s3://bucket/key` references (feature `aws`),
//! beside its file twin, which it hands `file://` references to when a local directory is
//! configured (tests, `cargo lambda watch`).
//!
//! Layout (infra/README.md): inputs under `DOCUMENT_PREFIX`, masked intermediates under
//! `work/` (a lifecycle rule expires them), results under `results/`. Each function writes
//! only under its own `OUTPUT_PREFIX`, which is all its IAM role allows.

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use deidentify::VaultError;

use super::{DocRef, DocumentStore, FileDocumentStore, S3StoreConfig, read_doc};
use crate::EngineError;

/// Larger objects are refused before they are read into memory (Lambda has at most 10 GB,
/// and the engine holds a few copies of the text).
pub const MAX_DOCUMENT_BYTES: i64 = 64 * 1024 * 1024;

/// The joined result goes up in parts of at least this size (S3 wants 5 MiB but for the
/// last part).
const UPLOAD_PART_BYTES: usize = 8 * 1024 * 1024;

pub struct S3DocumentStore {
    s3: Option<Client>,
    config: S3StoreConfig,
    files: Option<FileDocumentStore>,
}

impl S3DocumentStore {
    /// `s3: None` refuses `s3://` references (tests without network).
    pub fn new(s3: Option<Client>, config: S3StoreConfig) -> Self {
        let files = config.file_dir.clone().map(FileDocumentStore::new);
        Self { s3, config, files }
    }

    fn files(&self) -> Result<&FileDocumentStore, EngineError> {
        self.files.as_ref().ok_or_else(|| {
            invalid("file:// references are not enabled in this function (PIIFLOW_FILE_DOCUMENTS)")
        })
    }

    /// The file twin for a `file://` reference, `None` for the rest (S3's).
    fn file_store(&self, reference: &str) -> Result<Option<&FileDocumentStore>, EngineError> {
        if reference.starts_with("file://") {
            self.files().map(Some)
        } else {
            Ok(None)
        }
    }

    fn client(&self) -> Result<&Client, EngineError> {
        self.s3
            .as_ref()
            .ok_or_else(|| invalid("s3:// references are not enabled here"))
    }

    fn object<'r>(&self, reference: &'r str) -> Result<S3Object<'r>, EngineError> {
        let obj = S3Object::parse(reference)?;
        match &self.config.bucket {
            Some(b) if b != obj.bucket => Err(invalid(
                "the reference names a bucket other than this stack's DOCUMENT_BUCKET",
            )),
            _ => Ok(obj),
        }
    }

    async fn read_s3(&self, reference: &str) -> Result<String, EngineError> {
        utf8(self.get_s3(reference, None).await?)
    }

    /// The object, or bytes `begin..end` of it.
    async fn get_s3(
        &self,
        reference: &str,
        range: Option<(u64, u64)>,
    ) -> Result<Vec<u8>, EngineError> {
        let obj = self.object(reference)?;
        let mut request = self.client()?.get_object().bucket(obj.bucket).key(obj.key);
        if let Some((begin, end)) = range {
            if begin >= end {
                return Ok(Vec::new());
            }
            request = request.range(format!("bytes={begin}-{}", end - 1));
        }
        let out = request
            .send()
            .await
            .map_err(|e| s3_error("GetObject", &e))?;
        if out.content_length().unwrap_or(0) > MAX_DOCUMENT_BYTES {
            return Err(invalid(&format!(
                "the document is larger than {MAX_DOCUMENT_BYTES} bytes"
            )));
        }
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|_| unavailable("reading the S3 object body failed"))?
            .into_bytes();
        if let Some((begin, end)) = range
            && bytes.len() as u64 != end - begin
        {
            return Err(invalid("the range lies outside the document"));
        }
        Ok(bytes.to_vec())
    }

    async fn len_s3(&self, reference: &str) -> Result<u64, EngineError> {
        let obj = self.object(reference)?;
        let out = self
            .client()?
            .head_object()
            .bucket(obj.bucket)
            .key(obj.key)
            .send()
            .await
            .map_err(|e| s3_error("HeadObject", &e))?;
        Ok(out.content_length().unwrap_or(0).max(0) as u64)
    }

    async fn write_s3(
        &self,
        reference: &str,
        prefix: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError> {
        let obj = self.object(reference)?;
        let key = stage_key(prefix, reference, obj.key, stage);
        self.client()?
            .put_object()
            .bucket(obj.bucket)
            .key(&key)
            .content_type("text/plain; charset=utf-8")
            .body(ByteStream::from(text.as_bytes().to_vec()))
            .send()
            .await
            .map_err(|e| s3_error("PutObject", &e))?;
        Ok(format!("s3://{}/{key}", obj.bucket))
    }

    /// A multipart upload fed part by part, so the joined document is never in memory.
    async fn concat_s3(
        &self,
        reference: &str,
        stage: &str,
        parts: &[DocRef],
    ) -> Result<String, EngineError> {
        let obj = self.object(reference)?;
        let key = stage_key(&self.config.output_prefix, reference, obj.key, stage);
        let client = self.client()?;
        let upload = client
            .create_multipart_upload()
            .bucket(obj.bucket)
            .key(&key)
            .content_type("text/plain; charset=utf-8")
            .send()
            .await
            .map_err(|e| s3_error("CreateMultipartUpload", &e))?;
        let upload_id = upload
            .upload_id()
            .ok_or_else(|| unavailable("S3 CreateMultipartUpload returned no upload id"))?
            .to_string();
        let result = self
            .upload_parts(client, obj.bucket, &key, &upload_id, parts)
            .await;
        match result {
            Ok(completed) => {
                client
                    .complete_multipart_upload()
                    .bucket(obj.bucket)
                    .key(&key)
                    .upload_id(&upload_id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(completed))
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| s3_error("CompleteMultipartUpload", &e))?;
                Ok(format!("s3://{}/{key}", obj.bucket))
            }
            Err(e) => {
                let abort = client
                    .abort_multipart_upload()
                    .bucket(obj.bucket)
                    .key(&key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
                if let Err(a) = abort {
                    tracing::warn!(error = %code_of(&a), "could not abort a multipart upload");
                }
                Err(e)
            }
        }
    }

    async fn upload_parts(
        &self,
        client: &Client,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[DocRef],
    ) -> Result<Vec<CompletedPart>, EngineError> {
        let mut completed = Vec::new();
        let mut buffer: Vec<u8> = Vec::new();
        let mut flush = async |buffer: Vec<u8>| -> Result<(), EngineError> {
            let number = completed.len() as i32 + 1;
            let out = client
                .upload_part()
                .bucket(bucket)
                .key(key)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(buffer))
                .send()
                .await
                .map_err(|e| s3_error("UploadPart", &e))?;
            completed.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(out.e_tag().map(str::to_string))
                    .build(),
            );
            Ok(())
        };
        for part in parts {
            buffer.extend_from_slice(read_doc(self, part).await?.as_bytes());
            if buffer.len() >= UPLOAD_PART_BYTES {
                flush(std::mem::take(&mut buffer)).await?;
            }
        }
        // S3 needs at least one part; only the last may be under 5 MiB.
        if !buffer.is_empty() || parts.is_empty() {
            flush(buffer).await?;
        }
        Ok(completed)
    }

    async fn delete_s3(&self, reference: &str) -> Result<(), EngineError> {
        let obj = self.object(reference)?;
        if !obj.key.starts_with(&self.config.work_prefix) {
            return Err(invalid(
                "refusing to delete an object outside the work prefix",
            ));
        }
        let result = self
            .client()?
            .delete_object()
            .bucket(obj.bucket)
            .key(obj.key)
            .send()
            .await;
        // The result is already written when this runs; failing the step now would make
        // Step Functions retry a finished step forever. The work/ lifecycle rule expires the
        // object anyway, so a failed delete is logged (without the key) and tolerated.
        if let Err(e) = result {
            tracing::warn!(error = %code_of(&e), "could not delete the masked intermediate");
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl DocumentStore for S3DocumentStore {
    async fn read(&self, reference: &str) -> Result<String, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.read(reference).await;
        }
        self.read_s3(reference).await
    }

    async fn write_stage(
        &self,
        reference: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.write_stage(reference, stage, text).await;
        }
        self.write_s3(reference, &self.config.output_prefix, stage, text)
            .await
    }

    async fn delete(&self, reference: &str) -> Result<(), EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.delete(reference).await;
        }
        self.delete_s3(reference).await
    }

    fn chunk_bytes(&self) -> Option<u64> {
        Some(self.config.chunk_bytes).filter(|b| *b > 0)
    }

    async fn len(&self, reference: &str) -> Result<u64, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.len(reference).await;
        }
        self.len_s3(reference).await
    }

    async fn read_bytes(
        &self,
        reference: &str,
        begin: u64,
        end: u64,
    ) -> Result<Vec<u8>, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.read_bytes(reference, begin, end).await;
        }
        if begin > end {
            return Err(invalid("the range lies outside the document"));
        }
        self.get_s3(reference, Some((begin, end))).await
    }

    /// Under the work prefix, whatever this function's output prefix: a chunk's result is
    /// scratch until the join.
    async fn write_part(
        &self,
        reference: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.write_part(reference, stage, text).await;
        }
        self.write_s3(reference, &self.config.work_prefix, stage, text)
            .await
    }

    async fn concat_stage(
        &self,
        reference: &str,
        stage: &str,
        parts: &[DocRef],
    ) -> Result<String, EngineError> {
        if let Some(files) = self.file_store(reference)? {
            return files.concat_stage(reference, stage, parts).await;
        }
        self.concat_s3(reference, stage, parts).await
    }
}

#[derive(Debug, PartialEq, Eq)]
struct S3Object<'r> {
    bucket: &'r str,
    key: &'r str,
}

impl<'r> S3Object<'r> {
    fn parse(reference: &'r str) -> Result<Self, EngineError> {
        let rest = reference
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("a document reference must start with s3:// or file://"))?;
        match rest.split_once('/') {
            Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => {
                Ok(Self { bucket, key })
            }
            _ => Err(invalid("an s3:// reference needs a bucket and a key")),
        }
    }
}

/// `<prefix><32 hex>/<name>.<stage>`, the digest being of the whole reference (128 bits of
/// SHA-256): two references never share a directory, whatever their folders are called.
fn stage_key(prefix: &str, reference: &str, key: &str, stage: &str) -> String {
    use sha2::Digest;
    let name = key.rsplit_once('/').map_or(key, |(_, name)| name);
    let name = name.strip_suffix(".masked").unwrap_or(name);
    let digest = data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(reference.as_bytes())[..16]);
    format!("{prefix}{digest}/{name}.{stage}")
}

fn utf8(bytes: Vec<u8>) -> Result<String, EngineError> {
    String::from_utf8(bytes).map_err(|e| {
        invalid(&format!(
            "the document is not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn invalid(message: &str) -> EngineError {
    EngineError::Document(message.to_string())
}

fn unavailable(message: &str) -> EngineError {
    EngineError::Vault(VaultError::Storage(message.to_string()))
}

fn code_of<E: aws_sdk_s3::error::ProvideErrorMetadata>(e: &E) -> String {
    e.code().unwrap_or("unknown").to_string()
}

/// Missing objects and denied access are the caller's reference; throttling is retryable;
/// the rest is S3 being unavailable. Only the S3 error code is kept: it names no key.
fn s3_error<E, R>(op: &str, e: &aws_sdk_s3::error::SdkError<E, R>) -> EngineError
where
    E: aws_sdk_s3::error::ProvideErrorMetadata,
{
    let code = e.as_service_error().and_then(|s| s.code()).unwrap_or("");
    match code {
        "NoSuchKey" | "NoSuchBucket" | "AccessDenied" | "InvalidObjectState" => {
            invalid(&format!("{op} failed: {code}"))
        }
        "SlowDown" | "Throttling" | "ThrottlingException" | "RequestLimitExceeded" => {
            EngineError::Vault(VaultError::Throttled(format!("S3 {op}: {code}")))
        }
        _ => unavailable(&format!(
            "S3 {op} failed{}",
            if code.is_empty() {
                String::new()
            } else {
                format!(": {code}")
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        let o = S3Object::parse("s3://b/incoming/a b.txt").unwrap();
        assert_eq!(
            o,
            S3Object {
                bucket: "b",
                key: "incoming/a b.txt"
            }
        );
        for bad in ["s3://b", "s3:///k", "s3://b/", "http://b/k"] {
            assert!(S3Object::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stage_keys_hash_the_whole_reference() {
        let masked = stage_key("work/", "s3://b/incoming/x.txt", "incoming/x.txt", "masked");
        let (dir, name) = masked.rsplit_once('/').unwrap();
        assert_eq!(name, "x.txt.masked");
        assert!(
            dir.starts_with("work/") && dir.len() == "work/".len() + 32,
            "{dir}"
        );
        // Another input with the same name gets another directory.
        let other = stage_key("work/", "s3://b/other/x.txt", "other/x.txt", "masked");
        assert_ne!(other, masked);
    }

    #[test]
    fn sources_in_folders_named_like_digests_do_not_collide() {
        // Both parents look like a digest; reusing the parent name put both results at
        // `results/0123456789abcdef/x.txt.anonymized`.
        let a = stage_key(
            "results/",
            "s3://b/tenant-a/0123456789abcdef/x.txt",
            "tenant-a/0123456789abcdef/x.txt",
            "anonymized",
        );
        let b = stage_key(
            "results/",
            "s3://b/tenant-b/0123456789abcdef/x.txt",
            "tenant-b/0123456789abcdef/x.txt",
            "anonymized",
        );
        assert_ne!(a, b);
        // A stage of a stage is named after its own reference too.
        let masked = stage_key("work/", "s3://b/in/x.txt", "in/x.txt", "masked");
        let result = stage_key(
            "results/",
            &format!("s3://b/{masked}"),
            &masked,
            "anonymized",
        );
        assert!(result.ends_with("/x.txt.anonymized"), "{result}");
        assert_ne!(result.split('/').nth(1), masked.split('/').nth(1));
    }

    #[test]
    fn foreign_buckets_and_unconfigured_schemes_are_refused() {
        let store = S3DocumentStore::new(
            None,
            S3StoreConfig {
                bucket: Some("mine".into()),
                ..Default::default()
            },
        );
        assert!(store.object("s3://theirs/k").is_err());
        assert!(store.object("s3://mine/k").is_ok());
        assert!(store.files().is_err());
    }

    mod multipart_join {
        use aws_sdk_s3::config::retry::RetryConfig;
        use aws_sdk_s3::operation::abort_multipart_upload::AbortMultipartUploadOutput;
        use aws_sdk_s3::operation::complete_multipart_upload::CompleteMultipartUploadOutput;
        use aws_sdk_s3::operation::create_multipart_upload::CreateMultipartUploadOutput;
        use aws_sdk_s3::operation::get_object::GetObjectOutput;
        use aws_sdk_s3::operation::upload_part::UploadPartOutput;
        use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

        use super::*;

        fn rules(upload_fails: bool) -> [Rule; 5] {
            let create = mock!(aws_sdk_s3::Client::create_multipart_upload).then_output(|| {
                CreateMultipartUploadOutput::builder()
                    .upload_id("u-1")
                    .build()
            });
            let get = mock!(aws_sdk_s3::Client::get_object).then_output(|| {
                GetObjectOutput::builder()
                    .content_length(5)
                    .body(ByteStream::from_static(b"chunk"))
                    .build()
            });
            let upload = if upload_fails {
                mock!(aws_sdk_s3::Client::upload_part)
                    .sequence()
                    .http_status(
                        500,
                        Some("<Error><Code>InternalError</Code></Error>".into()),
                    )
                    .build()
            } else {
                mock!(aws_sdk_s3::Client::upload_part)
                    .then_output(|| UploadPartOutput::builder().e_tag("\"e\"").build())
            };
            let complete = mock!(aws_sdk_s3::Client::complete_multipart_upload)
                .then_output(|| CompleteMultipartUploadOutput::builder().build());
            let abort = mock!(aws_sdk_s3::Client::abort_multipart_upload)
                .then_output(|| AbortMultipartUploadOutput::builder().build());
            [create, get, upload, complete, abort]
        }

        fn store(rules: &[Rule; 5]) -> S3DocumentStore {
            let client = mock_client!(aws_sdk_s3, RuleMode::MatchAny, rules, |b| b
                .retry_config(RetryConfig::disabled()));
            S3DocumentStore::new(
                Some(client),
                S3StoreConfig {
                    output_prefix: "results/".into(),
                    work_prefix: "work/".into(),
                    ..Default::default()
                },
            )
        }

        fn parts() -> Vec<DocRef> {
            vec![
                DocRef::Reference {
                    reference: "s3://b/work/d/x.txt.0-5.anonymized".into(),
                    range: None,
                },
                DocRef::Reference {
                    reference: "s3://b/incoming/x.txt".into(),
                    range: Some([5, 10]),
                },
            ]
        }

        #[tokio::test]
        async fn the_parts_go_up_as_one_multipart_upload() {
            let rules = rules(false);
            let store = store(&rules);
            let result = store
                .concat_stage("s3://b/incoming/x.txt", "anonymized", &parts())
                .await
                .unwrap();
            assert!(result.starts_with("s3://b/results/") && result.ends_with("/x.txt.anonymized"));
            let [create, get, upload, complete, abort] = &rules;
            assert_eq!(create.num_calls(), 1);
            assert_eq!(get.num_calls(), 2, "one read per part");
            assert_eq!(upload.num_calls(), 1, "10 bytes fit one upload part");
            assert_eq!(complete.num_calls(), 1);
            assert_eq!(abort.num_calls(), 0);
        }

        #[tokio::test]
        async fn a_failed_part_aborts_the_upload_and_reports_s3_unavailable() {
            let rules = rules(true);
            let store = store(&rules);
            let e = store
                .concat_stage("s3://b/incoming/x.txt", "anonymized", &parts())
                .await
                .unwrap_err();
            assert_eq!(e.kind(), deidentify::ErrorKind::Unavailable, "{e}");
            assert!(e.to_string().contains("UploadPart"), "{e}");
            let [_, _, _, complete, abort] = &rules;
            assert_eq!(complete.num_calls(), 0, "nothing half-joined is published");
            assert_eq!(abort.num_calls(), 1);
        }
    }

    #[test]
    fn non_utf8_is_reported_by_offset() {
        let e = utf8(vec![b'a', b'b', 0xff]).unwrap_err();
        assert!(e.to_string().contains("offset 2"), "{e}");
    }
}
