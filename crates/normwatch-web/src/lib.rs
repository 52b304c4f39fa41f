//! The web UI and the JSON API over the application layer (`normwatch-app`).
//!
//! Only this crate knows HTTP and HTML. Pages are server-rendered askama templates
//! (escaped by default); the API returns the contract types of `normwatch-api`, the same
//! the CLI prints, and every table of every page also exports as CSV and JSON
//! (`?table=NAME&format=csv`). The OpenAPI description is generated from the route table
//! below (`/api/openapi.json`, browsable at `/api/docs`).
//!
//! Modules are layered; a module refers only to modules of lower layers (a test checks):
//!
//! | layer | modules | what |
//! |---|---|---|
//! | 0 | `routes`, `charts` | typed URL builders (the one kind→URL mapping); SVG drawing |
//! | 1 | `ui` | links, figures, cells, labels, shared export tables |
//! | 2 | `error`, `ctx` | `ApiError`/`PageError`; the shared state and its answer cache |
//! | 3 | `filters`, `session` | one typed query struct per route, the extractors, the document filter; the session cookie and CSRF rule |
//! | 4 | `http` | JSON/CSV answers, lists and exports, the API layer (ETags, kept answers), static files |
//! | 5 | `votes`, `measurement` | roll-call and measurement views |
//! | 6 | `pages`, `timeline`, `browse`, `states`, `search`, `norms`, `texts`, `assess`, `assess_pages`, `accounts`, `account_pages` | the other views; the self-assessment API and pages; the accounts' API and pages |
//! | 7 | `lib.rs` | the router, the OpenAPI document, the service layers, serving |

mod account_pages;
mod accounts;
mod assess;
mod assess_crosswalk;
mod assess_pages;
mod browse;
mod charts;
mod ctx;
mod error;
mod filters;
mod http;
mod measurement;
mod norms;
mod pages;
mod routes;
mod search;
mod session;
mod states;
mod texts;
mod timeline;
mod ui;
mod votes;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use normwatch_app::App;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

pub use ctx::Ctx;
pub use error::{ApiError, PageError};
pub use search::hit_json;

use filters::{ApiQuery, FigureQuery};

/// What the server is started with: the application.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
}

/// The frame of the OpenAPI description; the paths and schemas come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "normwatch",
        description = "A sourced observatory of how norms for cyberspace are made at the United Nations. \
            Every fact carries its source and basis; where sources disagree, every claim is kept. \
            Lists are paged (`offset`, `limit`, `X-Total-Count`, `Link`); with `format=csv` or \
            `format=json` a list is an export and returns every row unless `limit` is given.",
        license(name = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "documents", description = "UN documents: resolutions, drafts, reports, letters"),
        (name = "timeline", description = "Every dated document, group and event"),
        (name = "series", description = "Resolution series"),
        (name = "groups", description = "Expert groups (GGEs, OEWGs)"),
        (name = "states", description = "Member States on the cyber agenda"),
        (name = "bodies", description = "Bodies of the UN system"),
        (name = "events", description = "Events and exogenous incidents"),
        (name = "actors", description = "Other actors"),
        (name = "measurement", description = "The norm-emergence index, life cycles and figures"),
        (name = "norms", description = "Norms and the crosswalk to the instruments that carry them"),
        (name = "search", description = "Full-text search"),
        (name = "texts", description = "Texts as data: the General Debate speeches counted, resolution paragraphs, diffs"),
        (name = "knowledge base", description = "What the database holds"),
        (name = "assessment", description = "The GA 64/211 self-assessment: private, per user (session cookie; X-CSRF-Token on unsafe requests)"),
        (name = "accounts", description = "The installation's accounts: your own, and the administrators' list, changes and audit (session cookie; X-CSRF-Token on unsafe requests)"),
    )
)]
struct ApiDoc;

/// The API's routes and their OpenAPI description, from one table: the public routes (one
/// answer per revision and address, kept by the answer cache) and the private ones (per
/// user, never kept).
fn api_routes() -> (Router<Ctx>, Router<Ctx>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(pages::api_stats))
        .routes(routes!(timeline::api))
        .routes(routes!(pages::api_documents))
        .routes(routes!(pages::api_document))
        .routes(routes!(browse::api_series_list))
        .routes(routes!(browse::api_series))
        .routes(routes!(browse::api_groups))
        .routes(routes!(browse::api_group))
        .routes(routes!(states::api_list))
        .routes(routes!(states::api_state))
        .routes(routes!(browse::api_bodies))
        .routes(routes!(browse::api_body))
        .routes(routes!(browse::api_events))
        .routes(routes!(browse::api_event))
        .routes(routes!(browse::api_actors))
        .routes(routes!(browse::api_actor))
        .routes(routes!(measurement::api))
        .routes(routes!(norms::api_list))
        .routes(routes!(norms::api_norm))
        .routes(routes!(search::api))
        .routes(routes!(texts::api_terms))
        .routes(routes!(texts::api_kwic))
        .routes(routes!(texts::api_speech))
        .routes(routes!(texts::api_paragraphs))
        .routes(routes!(texts::api_diff))
        .routes(routes!(figure))
        .routes(routes!(assess::frameworks))
        .split_for_parts();
    let (private, private_api) = OpenApiRouter::new()
        .routes(routes!(assess::login))
        .routes(routes!(assess::logout))
        .routes(routes!(assess::list, assess::create))
        .routes(routes!(assess::import))
        .routes(routes!(assess::show))
        .routes(routes!(assess::update_item))
        .routes(routes!(assess::workflow))
        .routes(routes!(assess::members))
        .routes(routes!(assess::audit))
        .routes(routes!(assess::reassess))
        .routes(routes!(assess::compare))
        .routes(routes!(assess_crosswalk::api))
        .routes(routes!(assess::export))
        .routes(routes!(assess::upload))
        .routes(routes!(assess::evidence))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::list, accounts::create))
        .routes(routes!(accounts::update))
        .routes(routes!(accounts::audit))
        .split_for_parts();
    openapi.merge(private_api);
    // Axum's catch-all `{*symbol}` is an ordinary path parameter in OpenAPI.
    let paths = std::mem::take(&mut openapi.paths.paths);
    openapi.paths.paths = paths.into_iter().map(|(path, item)| (path.replace("{*", "{"), item)).collect();
    (router, private, openapi)
}

/// The OpenAPI description of the API, as served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().2
}

/// The content security policy: scripts, styles and everything else from this server only;
/// no inline script or style; images may be `data:` (the PNG export draws one); no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The policy of the Swagger UI pages (`/api/docs`): the same, except one inline style
/// element that Swagger UI 5.32 injects, allowed by its hash (no `unsafe-inline`).
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// How long one request may take before it is answered `503`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request body accepted by the public routes (every one is a GET).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The largest request body of the private (self-assessment) routes: an uploaded file at
/// the evidence policy's limit, or an imported export (the upload policy refuses a larger
/// file with a reason before this limit answers 413).
pub const PRIVATE_BODY_LIMIT: usize = normwatch_assess::evidence::MAX_EVIDENCE_FILE_BYTES as usize + (64 << 10);

/// The application: every route with the service layers, ready to serve or to test with
/// `oneshot`.
pub fn router(state: AppState) -> Router {
    let ctx = Ctx::new(state.app);
    let (api, private, openapi) = api_routes();
    let api = api
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), http::api_layer))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    // Per-user answers: not through the answer cache, and not kept by any browser or proxy.
    // (axum's own 2 MB default for buffered bodies gives way to the limit layer's.)
    let private = private
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(PRIVATE_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    // The self-assessment's pages: per user, like the private API.
    let private_pages = Router::new()
        .route("/login", get(assess_pages::login_page).post(assess_pages::login_submit))
        .route("/logout", axum::routing::post(assess_pages::logout_submit))
        .route("/assessments", get(assess_pages::list_page).post(assess_pages::create_submit))
        .route("/assessments/{id}", get(assess_pages::dashboard))
        .route("/assessments/{id}/crosswalk", get(assess_crosswalk::crosswalk_page))
        .route("/assessments/{id}/items/{item}", get(assess_pages::question_page).post(assess_pages::question_submit))
        .route("/assessments/{id}/items/{item}/workflow", axum::routing::post(assess_pages::workflow_submit))
        .route("/assessments/{id}/members", axum::routing::post(assess_pages::members_submit))
        .route("/assessments/{id}/reassess", axum::routing::post(assess_pages::reassess_submit))
        .route(
            "/assessments/{id}/items/{item}/evidence/remove",
            axum::routing::post(assess_pages::evidence_remove_submit),
        )
        .route("/assessments/{id}/compare", get(assess_pages::compare_page))
        .route("/assessments/{id}/report", get(assess_pages::report_page))
        .route("/account", get(account_pages::account))
        .route("/account/password", axum::routing::post(account_pages::password_submit))
        .route("/admin/users", get(account_pages::users).post(account_pages::add_submit))
        .route("/admin/users/{email}", axum::routing::post(account_pages::change_submit))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT * 8))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    // The evidence form: an uploaded file, up to the private routes' limit.
    let private_uploads = Router::new()
        .route("/assessments/{id}/items/{item}/evidence", axum::routing::post(assess_pages::evidence_submit))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(PRIVATE_BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/timeline", get(timeline::page))
        .route("/documents", get(|| async { Redirect::permanent("/timeline") }))
        .route("/documents/{*symbol}", get(pages::document_page))
        .route("/series", get(browse::series_index))
        .route("/series/{id}", get(browse::series_page))
        .route("/groups", get(browse::groups_index))
        .route("/groups/{id}", get(browse::group_page))
        .route("/states", get(states::index))
        .route("/states/{iso3}", get(states::page))
        .route("/bodies", get(browse::bodies_page))
        .route("/bodies/{id}", get(browse::body_page))
        .route("/events/{id}", get(browse::event_page))
        .route("/actors/{id}", get(browse::actor_page))
        .route("/measurement", get(measurement::page))
        .route("/norms", get(norms::index))
        .route("/norms/{id}", get(norms::page))
        .route("/search", get(search::page))
        .route("/terms", get(texts::terms_page))
        .route("/kwic", get(texts::kwic_page))
        .route("/speeches/{iso3}/{year}", get(texts::speech_page))
        .route("/diff", get(texts::diff_page))
        // A page, like an API answer, is a function of the store's revision and its address:
        // the same layer gives it an ETag and keeps the rendered page until the next write.
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), http::api_layer))
        .route("/static/{name}", get(http::static_file))
        .route("/healthz", get(|| async { "ok" }))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let docs: Router = Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi)).layer(
        SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_CONTENT_SECURITY_POLICY),
        ),
    );
    Router::new()
        .merge(pages)
        .merge(api)
        .merge(private)
        .merge(private_pages)
        .merge(private_uploads)
        .fallback(|uri: axum::http::Uri| async move { error::no_route(uri.path()) })
        .with_state(ctx)
        .merge(docs)
        // Each `layer` wraps the ones before: the security headers are set on every answer,
        // also on a refused body (413) or a timeout (503); the trace sees everything. (The
        // body limits are set per router above: the private routes take an import.)
        .layer(RequestBodyLimitLayer::new(PRIVATE_BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(TraceLayer::new_for_http())
}

/// Serves until interrupted (Ctrl-C or SIGTERM) or the listener fails; requests in flight
/// are finished first.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    serve_on(state, listener).await
}

pub async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    // The client's address reaches the handlers (failed sign-ins are limited per address).
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves on Ctrl-C, or on SIGTERM (what `docker stop`, systemd and Kubernetes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}

/// A server-drawn SVG figure: `index`, `lifecycle`, … (the measurement's), or
/// `document-votes?symbol=`, `series-sponsorship?id=`, `series-votes?id=`,
/// `series-index?id=`, `state-agreement?id=&compare=`.
#[utoipa::path(
    get,
    path = "/api/figures/{name}",
    tag = "measurement",
    params(("name" = String, Path, description = "The figure's name, with or without `.svg`"), FigureQuery),
    responses(
        (status = 200, description = "The figure as standalone SVG", content((String = "image/svg+xml"))),
        (status = 400, description = "A parameter that cannot be read", body = normwatch_api::NotFoundJson),
        (status = 404, description = "No such figure, or no data for it", body = normwatch_api::NotFoundJson),
    )
)]
async fn figure(
    State(ctx): State<Ctx>,
    Path(name): Path<String>,
    ApiQuery(query): ApiQuery<FigureQuery>,
) -> Result<Response, ApiError> {
    let app = ctx.app();
    let stem = name.strip_suffix(".svg").unwrap_or(&name);
    let id = query.id.as_deref().unwrap_or_default();
    let svg = match stem {
        "document-votes" => pages::document_votes_svg(app, &query).await?,
        "series-sponsorship" | "series-votes" => browse::series_svg(app, stem, id).await?,
        "state-agreement" => states::agreement_figure(app, &query).await?,
        "series-index" => measurement::series_index_svg(app, id).await?,
        other => measurement::figure(app, other).await?,
    };
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}

#[cfg(test)]
mod layering {
    //! The modules form layers; a module may refer only to modules of lower layers. This
    //! test reads every module's source and fails on a reference at its own layer or above,
    //! so no cycle can come back.

    const LAYERS: &[&[&str]] = &[
        &["routes", "charts"],
        &["ui"],
        &["error", "ctx"],
        &["filters", "session"],
        &["http"],
        &["votes", "measurement"],
        &[
            "pages",
            "timeline",
            "browse",
            "states",
            "search",
            "norms",
            "texts",
            "assess",
            "assess_pages",
            "accounts",
            "account_pages",
        ],
        &["assess_crosswalk"],
    ];

    fn layer_of(module: &str) -> Option<usize> {
        LAYERS.iter().position(|layer| layer.contains(&module))
    }

    /// The crate modules a source refers to: `crate::x`, and each name of `crate::{x, y}`.
    fn references(source: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (at, _) in source.match_indices("crate::") {
            let rest = &source[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
            }
        }
        out
    }

    #[test]
    fn modules_refer_only_to_lower_layers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut seen = Vec::new();
        let mut problems = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let module = path.file_stem().unwrap().to_string_lossy().to_string();
            if module == "lib" {
                continue;
            }
            let Some(layer) = layer_of(&module) else {
                problems.push(format!("{module}.rs is in no layer; add it to LAYERS (and to the table in lib.rs)"));
                continue;
            };
            seen.push(module.clone());
            let source = std::fs::read_to_string(&path).unwrap();
            for target in references(&source) {
                match layer_of(&target) {
                    Some(to) if to >= layer => {
                        problems.push(format!("{module} (layer {layer}) refers to crate::{target} (layer {to})"))
                    }
                    None => problems.push(format!("{module} refers to crate::{target}, which is in no layer")),
                    _ => {}
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(seen.len() >= 14, "the module files were not found: {seen:?}");
    }

    #[test]
    fn references_are_read_in_both_forms() {
        let source =
            "use crate::ui::{Link};\nuse crate::{error, http::json_response};\nlet x = crate::routes::document(s);";
        assert_eq!(references(source), ["ui", "error", "http", "routes"]);
    }
}
