//! In: an open `Engine`. Out: an HTTP service (axum): the JSON API under
//! `/api`, its OpenAPI document, and the web page embedded from `web/`.
//!
//! The engine knows nothing of HTTP; `api` parses requests into engine
//! calls, and `error` maps every failure to one JSON error shape.

pub mod api;
mod conn;
pub mod error;

pub use conn::Limits;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, RwLock};
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
        api::document_handler,
        api::kb_handler,
        api::products_handler,
        api::chain_handler,
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

/// The generation a server answers from: one engine (index, lexicon,
/// credits and report of one generation together), replaced whole when the
/// index folder switches to a new generation.
pub struct Live {
    dir: Option<PathBuf>,
    engine: RwLock<Arc<Engine>>,
}

impl Live {
    /// A server over one engine that never changes (tests, in-RAM indexes).
    pub fn fixed(engine: Arc<Engine>) -> Live {
        Live {
            dir: None,
            engine: RwLock::new(engine),
        }
    }

    /// A server over the index folder `dir`, starting from its generation in use.
    pub fn open(dir: &std::path::Path) -> crate::Result<Live> {
        let engine = Engine::open(dir)?;
        warm(&engine);
        Ok(Live {
            dir: Some(dir.to_path_buf()),
            engine: RwLock::new(Arc::new(engine)),
        })
    }

    /// The engine of the generation in use; a request keeps the one it got.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Opens the generation the folder now names if it is not the one in
    /// use, and switches to it once it is open and warm. Returns the new
    /// generation's name. Blocking: run it off the async threads.
    pub fn reload(&self) -> crate::Result<Option<String>> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let named = crate::index::store::current_name(dir)?;
        if named.as_deref().unwrap_or("") == self.engine().generation {
            return Ok(None);
        }
        let engine = Engine::open(dir)?;
        warm(&engine);
        let name = engine.generation.clone();
        *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
        Ok(Some(name))
    }
}

/// Computes what the first request would otherwise wait for.
pub fn warm(engine: &Engine) {
    let _ = crate::search::lookup::languages_of(engine, "");
    let _ = crate::search::facets::FacetTable::of(engine, &engine.reader.searcher());
}

/// The engine of the generation in use, for one request.
pub struct Current(pub Arc<Engine>);

impl axum::extract::FromRequestParts<AppState> for Current {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _: &mut axum::http::request::Parts,
        live: &AppState,
    ) -> Result<Current, Self::Rejection> {
        Ok(Current(live.engine()))
    }
}

/// Shared state of the handlers.
pub type AppState = Arc<Live>;

/// The longest URI read, in bytes: longer ones get a 414.
pub const MAX_URI_BYTES: usize = 32 * 1024;

/// Every error answer is JSON: what axum's extractors and routing answer
/// (a 405, a path that is not UTF-8) and what the timeout layer answers is
/// rewritten into the one error body, headers such as `allow` kept.
async fn json_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if request.uri().to_string().len() > MAX_URI_BYTES {
        return ApiError::new(
            Code::UriTooLong,
            format!("the URI is longer than {MAX_URI_BYTES} bytes"),
        )
        .into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let message = if text.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let error = ApiError::for_status(status, message);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(error.body()))
}

/// The whole service for an engine that never changes.
pub fn router(engine: Arc<Engine>) -> Router {
    router_for(Arc::new(Live::fixed(engine)))
}

/// The whole service for a live generation.
pub fn router_for(live: AppState) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{file}", get(asset))
        .route("/api/search", get(api::search_handler))
        .route("/api/bulletins/{id}", get(api::bulletin_handler))
        .route("/api/documents/{group}", get(api::document_handler))
        .route("/api/kb/{number}", get(api::kb_handler))
        .route("/api/products", get(api::products_handler))
        .route("/api/chain/{id}", get(api::chain_handler))
        .route("/api/credits", get(api::credits_handler))
        .route("/api/researchers/{name}", get(api::researcher_handler))
        .route("/api/organisations/{name}", get(api::organisation_handler))
        .route("/api/health", get(api::health_handler))
        .route("/api/stats", get(api::stats_handler))
        .route("/api/openapi.json", get(openapi))
        .fallback(not_found)
        .with_state(live)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Serves the index folder `dir` on `addr` until Ctrl-C or SIGTERM; calls
/// `ready` with the bound address and the engine of the generation in use.
/// The generation in use is replaced whole when the folder switches to a
/// new one (polled every second) or on SIGHUP.
pub async fn serve(
    dir: PathBuf,
    addr: SocketAddr,
    limits: Limits,
    ready: impl FnOnce(SocketAddr, &Engine),
) -> std::io::Result<()> {
    let live = tokio::task::spawn_blocking(move || Live::open(&dir))
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?, &live.engine());
    serve_until(Arc::new(live), listener, limits, shutdown_signal()).await
}

/// Serves `live` on `listener` until `shutdown` completes, switching
/// generations as the folder does; returns once connections are closed
/// (within [`Limits::grace`]).
pub async fn serve_until(
    live: AppState,
    listener: tokio::net::TcpListener,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(watch_generations(live.clone()));
    let served = conn::serve_connections(router_for(live), listener, limits, shutdown).await;
    watcher.abort();
    served
}

/// What one look at the index folder did.
enum Step {
    Same,
    Switched(String),
    /// The generation named (if the pointer could be read) did not open.
    Failed(Option<String>, crate::Error),
}

/// Switches the live generation when the folder names a new one: polled
/// every second, and at once on SIGHUP. A generation that failed to open is
/// logged once and retried only on SIGHUP or when the pointer changes.
async fn watch_generations(live: AppState) {
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut failed: Option<Option<String>> = None;
    loop {
        #[cfg(unix)]
        let hup = async {
            match hangup.as_mut() {
                Some(h) => drop(h.recv().await),
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let hup = std::future::pending::<()>();
        let explicit = tokio::select! {
            _ = tick.tick() => false,
            _ = hup => true,
        };
        let l = live.clone();
        let skip = failed.clone().filter(|_| !explicit);
        let step = tokio::task::spawn_blocking(move || {
            let Some(dir) = l.dir.as_deref() else {
                return Step::Same;
            };
            let named = match crate::index::store::current_name(dir) {
                Ok(n) => n,
                Err(e) => return Step::Failed(None, e),
            };
            if skip.as_ref() == Some(&named) {
                return Step::Same;
            }
            match l.reload() {
                Ok(Some(name)) => Step::Switched(name),
                Ok(None) => Step::Same,
                Err(e) => Step::Failed(named, e),
            }
        })
        .await
        .unwrap_or(Step::Same);
        match step {
            Step::Same => {}
            Step::Switched(name) => {
                let e = live.engine();
                tracing::info!(
                    "switched to generation {name}: {} documents, {} records",
                    e.report.documents_indexed,
                    e.report.records
                );
                failed = None;
            }
            Step::Failed(named, err) => {
                if failed.as_ref() != Some(&named) {
                    tracing::error!(
                        "cannot switch generations, still serving the one in use: {err}"
                    );
                }
                failed = Some(named);
            }
        }
    }
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
