//! `FileStore`: where KYC files live, a closed set of backends behind one small API
//! (put, get as a stream, delete). Both are `object_store` implementations, so the
//! local folder and any S3-compatible bucket (AWS, MinIO, Ceph) behave the same; the
//! documents service only ever passes keys it generated itself, never a client's file
//! name. Failures are classified once here: a missing object versus a store that
//! cannot be reached.
//! Imports: nothing from the crate (leaf of `storage`).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};

/// The bytes of a stored file, chunk by chunk, so a download never holds the whole
/// file in memory.
pub type FileStream = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// A storage failure callers can branch on.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    /// No object under that key (a row whose file was removed by hand, say).
    #[error("no stored file under this key")]
    NotFound,
    /// The folder or bucket refused or did not answer; callers answer 503.
    #[error("file storage unavailable: {0}")]
    Unavailable(String),
}

impl From<object_store::Error> for FileStoreError {
    fn from(err: object_store::Error) -> Self {
        match err {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::Unavailable(other.to_string()),
        }
    }
}

/// Connection settings of an S3-compatible bucket (`Debug` hides the secret key).
#[derive(Clone, Default)]
pub struct S3Settings {
    /// Bucket name.
    pub bucket: String,
    /// Region (AWS needs the right one; MinIO and moto accept any).
    pub region: String,
    /// Endpoint of an S3-compatible service (`http://minio:9000`); `None`: AWS.
    pub endpoint: Option<String>,
    /// Access key id; `None`: the environment's AWS credentials chain.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
    /// Path-style requests (`endpoint/bucket/key`), as MinIO and Ceph expect; false:
    /// virtual-hosted style (`bucket.endpoint/key`).
    pub path_style: bool,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "[REDACTED]"),
            )
            .field("path_style", &self.path_style)
            .finish()
    }
}

/// Where KYC files are kept.
#[derive(Debug, Clone)]
pub enum FileStore {
    /// A folder on this machine (one instance, or a shared volume).
    Local(Arc<LocalFileSystem>),
    /// An S3-compatible bucket shared by every instance.
    S3(Arc<AmazonS3>),
}

impl FileStore {
    /// Files under `dir`, created if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, FileStoreError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            FileStoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
        })?;
        let fs = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
        Ok(Self::Local(Arc::new(fs)))
    }

    /// A bucket; nothing is contacted until the first request. Retries are few and
    /// short so a dead endpoint turns into a 503 within seconds, not minutes.
    pub fn s3(settings: S3Settings) -> Result<Self, FileStoreError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(settings.bucket)
            .with_region(settings.region)
            .with_virtual_hosted_style_request(!settings.path_style)
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(30)),
            )
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
            });
        if let Some(endpoint) = settings.endpoint {
            builder = builder
                .with_allow_http(endpoint.starts_with("http://"))
                .with_endpoint(endpoint);
        }
        if let Some(id) = settings.access_key_id {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = settings.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        Ok(Self::S3(Arc::new(builder.build()?)))
    }

    fn store(&self) -> &dyn ObjectStore {
        match self {
            Self::Local(fs) => fs.as_ref(),
            Self::S3(s3) => s3.as_ref(),
        }
    }

    /// Stores `bytes` under `key` (replacing any object there).
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileStoreError> {
        self.store().put(&Path::from(key), bytes.into()).await?;
        Ok(())
    }

    /// Opens the object under `key` for streaming.
    pub async fn get(&self, key: &str) -> Result<FileStream, FileStoreError> {
        let result = self.store().get(&Path::from(key)).await?;
        Ok(result
            .into_stream()
            .map(|chunk| chunk.map_err(std::io::Error::other))
            .boxed())
    }

    /// Removes the object under `key`; a missing object is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FileStoreError> {
        match self.store().delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_round_trip_and_idempotent_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::local(&dir.path().join("uploads")).unwrap();
        store
            .put("documents/u/a.png", Bytes::from_static(b"abc"))
            .await
            .unwrap();
        let mut stream = store.get("documents/u/a.png").await.unwrap();
        let mut got = Vec::new();
        while let Some(chunk) = stream.next().await {
            got.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(got, b"abc");
        store.delete("documents/u/a.png").await.unwrap();
        store.delete("documents/u/a.png").await.unwrap();
        assert!(matches!(
            store.get("documents/u/a.png").await,
            Err(FileStoreError::NotFound)
        ));
    }
}
