//! In: an open `Engine`. Out: an HTTP service (axum): the JSON API under
//! `/api`, its OpenAPI document, and the web page embedded from `web/`.
//!
//! The engine knows nothing of HTTP; `api` parses requests into engine
//! calls, and `error` maps every failure to one JSON error shape.

pub mod api;
pub mod error;

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;

use crate::Engine;
use error::{ApiError, Code};

/// The OpenAPI description, generated from the handlers and types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "bulletin-search",
        description = "Search Microsoft security bulletins in every language"
    ),
    paths(
        api::search_handler,
        api::bulletin_handler,
        api::kb_handler,
        api::credits_handler,
        api::researcher_handler,
        api::organisation_handler,
        api::health_handler,
        api::stats_handler
    )
)]
pub struct ApiDoc;

/// An embedded web asset.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../web/app.js"),
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../web/style.css"),
    },
];

const INDEX_HTML: &str = include_str!("../../web/index.html");

/// A short content hash, so asset URLs change whenever their content does.
fn version(body: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h as u32)
}

/// `name` → versioned path (`/assets/app.3f2a9c1b.js`).
fn asset_path(a: &Asset) -> String {
    let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
    format!("/assets/{stem}.{}.{ext}", version(a.body))
}

static PAGE: LazyLock<String> = LazyLock::new(|| {
    ASSETS.iter().fold(INDEX_HTML.to_string(), |page, a| {
        page.replace(&format!("{{{{{}}}}}", a.name), &asset_path(a))
    })
});

async fn page() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        PAGE.as_str(),
    )
        .into_response()
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS
        .iter()
        .find(|a| asset_path(a) == format!("/assets/{file}"))
    {
        Some(a) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(a.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            a.body,
        )
            .into_response(),
        None => not_found().await,
    }
}

async fn openapi() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}

async fn not_found() -> Response {
    ApiError::new(Code::NotFound, "no such page or endpoint").into_response()
}

/// The whole service for an engine.
pub fn router(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{file}", get(asset))
        .route("/api/search", get(api::search_handler))
        .route("/api/bulletins/{id}", get(api::bulletin_handler))
        .route("/api/kb/{number}", get(api::kb_handler))
        .route("/api/credits", get(api::credits_handler))
        .route("/api/researchers/{name}", get(api::researcher_handler))
        .route("/api/organisations/{name}", get(api::organisation_handler))
        .route("/api/health", get(api::health_handler))
        .route("/api/stats", get(api::stats_handler))
        .route("/api/openapi.json", get(openapi))
        .fallback(not_found)
        .with_state(engine)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Serves `engine` on `addr` until Ctrl-C or SIGTERM; calls `ready` with the bound address.
pub async fn serve(
    engine: Arc<Engine>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Warm the per-bulletin language map before the first request needs it.
    let _ = crate::search::lookup::languages_of(&engine, "");
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, router(engine))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
