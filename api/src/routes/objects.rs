//! `PUT` and `GET /local/objects/{area}`: the local server's presigned uploads and result
//! downloads. No bearer token: the signed query is the credential (see `signed_urls`).

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::auth::forbidden_response;
use crate::signed_urls::{SignedQuery, SignedUrlError, SignedUrls};

/// The largest document a local upload takes.
pub const MAX_UPLOAD_BYTES: u64 = 1 << 30;

/// The routes of the local server's signed URLs.
pub fn signed_objects_router(urls: Arc<SignedUrls>) -> Router {
    Router::new()
        .route("/local/objects/{area}", put(put_object).get(get_object))
        // Bodies stream to disk under MAX_UPLOAD_BYTES instead of the API's JSON limit.
        .layer(DefaultBodyLimit::disable())
        .with_state(urls)
}

fn refused(e: SignedUrlError) -> Response {
    match e {
        SignedUrlError::NotFound => (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"message": "Not Found"})),
        )
            .into_response(),
        SignedUrlError::Storage => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"message": "the object cannot be stored"})),
        )
            .into_response(),
        SignedUrlError::BadSignature | SignedUrlError::Expired => {
            tracing::info!(reason = %e, "signed URL refused");
            let mut res = forbidden_response("");
            res.headers_mut().remove(header::WWW_AUTHENTICATE);
            res
        }
    }
}

async fn put_object(
    State(urls): State<Arc<SignedUrls>>,
    Path(area): Path<String>,
    Query(query): Query<SignedQuery>,
    body: Body,
) -> Response {
    let target = match urls
        .verify("PUT", &area, &query, SystemTime::now())
        .and_then(|(_, path)| urls.upload_target(&path))
    {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    match write_body(&target, body).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(res) => res,
    }
}

/// Streams `body` into a partial file beside `target` and renames it into place once
/// complete (a rename replaces a symlink at `target`, never follows it).
async fn write_body(target: &std::path::Path, body: Body) -> Result<(), Response> {
    let partial = target.with_file_name(format!(".{}.partial", uuid::Uuid::new_v4()));
    let unavailable = || refused(SignedUrlError::Storage);
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .await
        .map_err(|_| unavailable())?;
    let outcome = async {
        let mut body = body;
        let mut written: u64 = 0;
        while let Some(frame) =
            std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
        {
            let frame = frame
                .map_err(|_| (StatusCode::BAD_REQUEST, "the upload was cut off").into_response())?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            written += data.len() as u64;
            if written > MAX_UPLOAD_BYTES {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    axum::Json(serde_json::json!({
                        "message": format!("a local upload is at most {MAX_UPLOAD_BYTES} bytes")
                    })),
                )
                    .into_response());
            }
            file.write_all(&data).await.map_err(|_| unavailable())?;
        }
        file.sync_all().await.map_err(|_| unavailable())?;
        tokio::fs::rename(&partial, target)
            .await
            .map_err(|_| unavailable())
    }
    .await;
    if outcome.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    outcome
}

async fn get_object(
    State(urls): State<Arc<SignedUrls>>,
    Path(area): Path<String>,
    Query(query): Query<SignedQuery>,
) -> Response {
    let file = match urls
        .verify("GET", &area, &query, SystemTime::now())
        .and_then(|(_, path)| urls.result_file(&path))
    {
        Ok(f) => f,
        Err(e) => return refused(e),
    };
    let Ok(handle) = tokio::fs::File::open(&file).await else {
        return refused(SignedUrlError::NotFound);
    };
    let mut res = Body::from_stream(chunks(handle)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The file in 64 KiB pieces, so a large result never sits in memory whole.
fn chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}
