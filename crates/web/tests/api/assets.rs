//! The stylesheets and scripts: compressed for browsers that accept it, the same text either way.

use crate::helpers::spawn_app;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::io::Read as _;
use tower::ServiceExt as _;

async fn fetch(
    app: &crate::helpers::TestApp,
    path: &str,
    accept: Option<&str>,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut req = Request::builder().uri(path);
    if let Some(a) = accept {
        req = req.header("accept-encoding", a);
    }
    let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());
    assert_eq!(res.headers().get("vary").map(|v| v.to_str().unwrap()), Some("Accept-Encoding"), "{path}");
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
    (status, encoding, bytes)
}

#[tokio::test]
async fn assets_are_sent_gzipped_when_the_browser_accepts_it_and_plain_otherwise() {
    let app = spawn_app().await;
    for path in [
        "/static/gastvrij.css",
        "/static/utrecht-werkplek.css",
        "/static/werkplek.css",
        "/static/werkplek.js",
        "/static/portaal.js",
    ] {
        let (status, encoding, plain) = fetch(&app, path, None).await;
        assert_eq!((status, encoding), (StatusCode::OK, None), "{path} without Accept-Encoding");
        let (_, encoding, refused) = fetch(&app, path, Some("gzip;q=0, identity")).await;
        assert_eq!((encoding, &refused), (None, &plain), "{path}: gzip;q=0 means no gzip");

        let (status, encoding, packed) = fetch(&app, path, Some("br;q=1.0, gzip;q=0.8, *;q=0.1")).await;
        assert_eq!((status, encoding.as_deref()), (StatusCode::OK, Some("gzip")), "{path}");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, plain, "{path}: the same text once unpacked");
        assert!(packed.len() < plain.len(), "{path}: compressed is smaller");
    }
}

/// Pages are never compressed: a page holding the form token beside text the visitor chose could
/// leak the token through its compressed size (BREACH).
#[tokio::test]
async fn pages_are_never_compressed() {
    let app = spawn_app().await;
    for path in ["/", "/vraag", "/melding"] {
        let res = app
            .router
            .clone()
            .oneshot(Request::builder().uri(path).header("accept-encoding", "gzip").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert!(res.headers().get("content-encoding").is_none(), "{path}");
    }
}
