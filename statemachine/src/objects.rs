//! The object store a Distributed Map's ItemReader lists and its ResultWriter writes to.
//! Step Functions reads S3 itself; the local executor reads and writes `file://` buckets,
//! a directory whose relative paths are the keys.

use crate::error::StatesError;
use async_trait::async_trait;
use serde_json::{Value, json};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

pub const STATES_ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
pub const STATES_RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";

#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// ListObjectsV2 as a Distributed Map sees it: `{"Key", "Size", "Etag", "LastModified",
    /// "StorageClass"}` per object under the prefix, in key order.
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<Value>, StatesError>;
    async fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, StatesError>;
    async fn put(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), StatesError>;
}

/// `file:///abs/dir` buckets. Keys are `/`-separated paths relative to the directory and
/// may not climb out of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectoryObjects;

fn bucket_dir(bucket: &str, error: &str) -> Result<PathBuf, StatesError> {
    match bucket.strip_prefix("file://") {
        Some(p) if p.starts_with('/') => Ok(PathBuf::from(p)),
        _ => Err(StatesError::new(
            error,
            format!("the local executor reads and writes file:// buckets only, not {bucket:?}"),
        )),
    }
}

fn object_path(bucket: &str, key: &str, error: &str) -> Result<PathBuf, StatesError> {
    let dir = bucket_dir(bucket, error)?;
    let rel = Path::new(key);
    if key.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(StatesError::new(
            error,
            format!("key {key:?} is not a relative path inside the bucket"),
        ));
    }
    Ok(dir.join(rel))
}

fn walk(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<Value>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let Some(key) = rel
            .to_str()
            .map(|k| k.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            continue;
        };
        if ty.is_dir() {
            // Only descend where a key under this directory could still match the prefix.
            let dir_key = format!("{key}/");
            if dir_key.starts_with(prefix) || prefix.starts_with(&dir_key) {
                walk(root, &path, prefix, out)?;
            }
        } else if ty.is_file() && key.starts_with(prefix) {
            let meta = entry.metadata()?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            out.push(json!({
                "Key": key,
                "Size": meta.len(),
                "Etag": format!("\"{:x}-{:x}\"", meta.len(), modified),
                "LastModified": modified,
                "StorageClass": "STANDARD",
            }));
        }
    }
    Ok(())
}

#[async_trait]
impl ObjectStore for DirectoryObjects {
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<Value>, StatesError> {
        let root = bucket_dir(bucket, STATES_ITEM_READER_FAILED)?;
        let prefix = prefix.to_owned();
        let listed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            walk(&root, &root, &prefix, &mut out).map(|()| out)
        })
        .await
        .map_err(|e| StatesError::new(STATES_ITEM_READER_FAILED, e.to_string()))?;
        let mut items = listed.map_err(|e| {
            StatesError::new(
                STATES_ITEM_READER_FAILED,
                format!("listing {bucket}: {}", e.kind()),
            )
        })?;
        // ListObjectsV2 returns keys in UTF-8 binary order.
        items.sort_by(|a, b| a["Key"].as_str().cmp(&b["Key"].as_str()));
        Ok(items)
    }

    async fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, StatesError> {
        let path = object_path(bucket, key, STATES_ITEM_READER_FAILED)?;
        tokio::fs::read(&path).await.map_err(|e| {
            StatesError::new(
                STATES_ITEM_READER_FAILED,
                format!("reading {key:?} from {bucket}: {}", e.kind()),
            )
        })
    }

    async fn put(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), StatesError> {
        let path = object_path(bucket, key, STATES_RESULT_WRITER_FAILED)?;
        let failed = |e: std::io::Error| {
            StatesError::new(
                STATES_RESULT_WRITER_FAILED,
                format!("writing {key:?} to {bucket}: {}", e.kind()),
            )
        };
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(failed)?;
        }
        tokio::fs::write(&path, body).await.map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(dir: &Path) -> String {
        format!("file://{}", dir.display())
    }

    #[tokio::test]
    async fn lists_files_under_the_prefix_in_key_order_with_relative_keys() {
        let dir = tempfile::tempdir().unwrap();
        for k in ["in/b.txt", "in/a.txt", "in/sub/c.txt", "out/x.txt"] {
            let p = dir.path().join(k);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, k).unwrap();
        }
        let items = DirectoryObjects
            .list(&bucket(dir.path()), "in/")
            .await
            .unwrap();
        let keys: Vec<&str> = items.iter().map(|i| i["Key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["in/a.txt", "in/b.txt", "in/sub/c.txt"]);
        assert_eq!(items[0]["Size"], json!("in/a.txt".len()));
    }

    #[tokio::test]
    async fn keys_that_climb_out_and_other_schemes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let b = bucket(dir.path());
        for key in ["../escape", "/abs", "a/../../b", ""] {
            let e = DirectoryObjects.put(&b, key, vec![]).await.unwrap_err();
            assert_eq!(e.error, STATES_RESULT_WRITER_FAILED, "{key}");
        }
        let e = DirectoryObjects.list("my-bucket", "").await.unwrap_err();
        assert_eq!(e.error, STATES_ITEM_READER_FAILED);
        assert!(e.cause.contains("file://"), "{}", e.cause);
    }

    #[tokio::test]
    async fn a_missing_directory_is_an_item_reader_failure() {
        let dir = tempfile::tempdir().unwrap();
        let e = DirectoryObjects
            .list(&bucket(&dir.path().join("nope")), "")
            .await
            .unwrap_err();
        assert_eq!(e.error, STATES_ITEM_READER_FAILED);
    }
}
