//! The HTTP API through `router().oneshot(...)`: status codes, JSON shapes
//! (snapshots, timings redacted), every error path, assets.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bulletin_search::serve::router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::fixture_engine;

async fn get(uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = router(fixture_engine())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, content_type, body)
}

async fn json(uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, content_type, body) = get(uri).await;
    assert_eq!(content_type, "application/json", "{uri}");
    (status, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn search_returns_hits_and_facets() {
    let (status, body) = json("/api/search?q=KB925902&limit=2").await;
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!("search_kb925902", body, {
        ".took_ms" => "[took_ms]",
        ".hits[].score" => "[score]",
    });
}

#[tokio::test]
async fn the_plan_is_explained_on_request() {
    // The fixtures share no bulletin across two languages, so their lexicon
    // is empty: a given query language is used as given, nothing is translated.
    let (status, body) = json("/api/search?q=s%C3%A5rbarhed%20i%20GDI&qlang=da&explain=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["query_lang"], "da");
    let t = &body["explain"]["translation"];
    assert_eq!(t["detected_by"], "given");
    assert_eq!(t["expanded"], false);
    assert_eq!(
        body["explain"]["plan"]["terms"],
        serde_json::json!(["sårbarhed", "i", "GDI"])
    );
    assert_eq!(body["hits"][0]["group"], "MS07-017");
    let (_, plain) = json("/api/search?q=GDI").await;
    assert!(plain.get("explain").is_none());
    assert_eq!(plain["query_lang"], serde_json::Value::Null);
}

#[tokio::test]
async fn filters_and_date_sort_apply() {
    let (status, body) = json("/api/search?q=Windows&lang=nl&sort=date&limit=3").await;
    assert_eq!(status, StatusCode::OK);
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["lang"] == "nl"));
    // Facets ignore the filters, so the other languages stay visible.
    assert!(body["facets"]["lang"]["da"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn bulletin_dossier_lists_every_version_and_the_conflict() {
    let (status, body) = json("/api/bulletins/ms07-53").await;
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!("dossier_ms07_053", body);
}

#[tokio::test]
async fn kb_lookup_puts_the_bulletin_before_mentions() {
    let (status, body) = json("/api/kb/Q925902").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["kb"], "925902");
    assert_eq!(body["bulletins"][0]["bulletin_id"], "MS07-017");
    assert_eq!(body["mentions"][0]["kind"], "summary");
}

#[tokio::test]
async fn health_and_stats_describe_the_index() {
    let (status, body) = json("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["documents"], 21);
    let (status, body) = json("/api/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["documents"], 7);
    assert_eq!(body["bulletins"], 15);
    assert_eq!(body["counts"]["kind"]["summary"], 4);
}

#[tokio::test]
async fn every_bad_request_is_a_400_with_a_json_error() {
    let long = "a".repeat(10_000);
    for (uri, code) in [
        ("/api/search", "missing_query"),
        ("/api/search?q=", "missing_query"),
        ("/api/search?q=%20%20", "missing_query"),
        ("/api/search?q=x&limit=-1", "bad_parameter"),
        ("/api/search?q=x&limit=10000", "bad_parameter"),
        ("/api/search?q=x&limit=abc", "bad_parameter"),
        ("/api/search?q=x&offset=-5", "bad_parameter"),
        ("/api/search?q=x&lang=xx", "bad_parameter"),
        ("/api/search?q=x&kind=poem", "bad_parameter"),
        ("/api/search?q=x&severity=high", "bad_parameter"),
        ("/api/search?q=x&year=1200", "bad_parameter"),
        ("/api/search?q=x&sort=popular", "bad_parameter"),
        ("/api/search?q=x&qlang=klingon", "bad_parameter"),
        ("/api/search?q=x&prefer_lang=xx", "bad_parameter"),
        ("/api/search?q=x&expand=maybe", "bad_parameter"),
        ("/api/search?q=x&explain=2", "bad_parameter"),
        ("/api/search?q=%FF%FE", "bad_encoding"),
        (&format!("/api/search?q={long}"), "query_too_long"),
        ("/api/bulletins/not-an-id", "bad_parameter"),
        ("/api/kb/12", "bad_parameter"),
    ] {
        let (status, body) = json(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["error"]["code"], code, "{uri}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn unknown_things_are_404s_with_a_json_error() {
    for uri in [
        "/api/bulletins/MS99-001",
        "/api/kb/999999",
        "/api/nothing",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/../../etc/passwd",
        "/assets/app.js",
    ] {
        let (status, body) = json(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body["error"]["code"], "not_found", "{uri}");
    }
}

#[tokio::test]
async fn queries_that_cannot_be_parsed_still_answer() {
    let (status, body) = json("/api/search?q=%22unbalanced%20(*)%20%26%26").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["warnings"][0],
        "unbalanced quote: searched as plain words"
    );
}

#[tokio::test]
async fn the_page_and_its_versioned_assets_are_served_with_their_types() {
    let (status, content_type, body) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/html; charset=utf-8");
    let page = String::from_utf8(body).unwrap();
    let asset = |ext: &str| {
        page.match_indices("/assets/")
            .map(|(i, _)| page[i..].split('"').next().unwrap().to_string())
            .find(|p| p.ends_with(ext))
            .unwrap()
    };
    for (ext, ty) in [
        ("js", "text/javascript; charset=utf-8"),
        ("css", "text/css; charset=utf-8"),
    ] {
        let path = asset(ext);
        assert!(path.len() > "/assets/app..js".len(), "{path} is versioned");
        let (status, content_type, _) = get(&path).await;
        assert_eq!(
            (status, content_type.as_str()),
            (StatusCode::OK, ty),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_names_every_endpoint() {
    let (status, body) = json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths: Vec<&str> = body["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        [
            "/api/bulletins/{id}",
            "/api/chain/{id}",
            "/api/credits",
            "/api/documents/{group}",
            "/api/health",
            "/api/kb/{number}",
            "/api/organisations/{name}",
            "/api/products",
            "/api/researchers/{name}",
            "/api/search",
            "/api/stats"
        ]
    );
    let params: Vec<&str> = body["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        params,
        [
            "q",
            "lang",
            "kind",
            "severity",
            "year",
            "product",
            "impact",
            "from",
            "to",
            "limit",
            "offset",
            "sort",
            "qlang",
            "prefer_lang",
            "expand",
            "explain"
        ]
    );
}

#[tokio::test]
async fn credits_answer_who_found_what() {
    let (status, body) = json("/api/credits?q=sotirov").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    let r = &body["researchers"][0];
    assert_eq!(r["researcher"], "Alexander Sotirov");
    assert_eq!(
        r["organisations"],
        serde_json::json!(["Determina Security Research"])
    );
    assert_eq!(r["credits"][0]["bulletin_id"], "MS07-017");
    assert_eq!(r["credits"][0]["locales"], serde_json::json!(["da-dk"]));

    let (status, body) = json("/api/researchers/greg%20macmanus").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "Greg MacManus");
    let bulletins: Vec<&str> = body["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bulletin_id"].as_str().unwrap())
        .collect();
    assert_eq!(bulletins, ["MS07-002", "MS07-019"]);

    let (status, body) = json("/api/organisations/idefense").await;
    assert_eq!(status, StatusCode::OK);
    let mut spellings: Vec<&str> = body["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["organisation"].as_str().unwrap())
        .collect();
    spellings.sort();
    spellings.dedup();
    assert_eq!(spellings, ["IDefense Labs", "iDefense", "iDefense Labs"]);

    let (status, body) = json("/api/bulletins/MS07-017").await;
    assert_eq!(status, StatusCode::OK);
    let credited: Vec<&str> = body["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            if c["researcher"] == "" {
                c["organisation"].as_str().unwrap()
            } else {
                c["researcher"].as_str().unwrap()
            }
        })
        .collect();
    assert_eq!(
        credited,
        [
            "iDefense Labs",
            "McAfee",
            "Alexander Sotirov",
            "Sergey Svinolobov",
            "Shaun Colley",
            "Thomas Phinney"
        ]
    );
}

#[tokio::test]
async fn bad_credit_requests_are_400s_and_unknown_names_404s() {
    for (uri, status, code) in [
        ("/api/credits", StatusCode::BAD_REQUEST, "missing_query"),
        (
            "/api/credits?q=x&limit=0",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/credits?q=x&year=nineteen",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/credits?q=%FF",
            StatusCode::BAD_REQUEST,
            "bad_encoding",
        ),
        (
            "/api/researchers/nobody%20at%20all",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/organisations/nothing",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        let (got, body) = json(uri).await;
        assert_eq!(got, status, "{uri}");
        assert_eq!(body["error"]["code"], code, "{uri}");
    }
}

// Over a real socket: what hyper answers by itself, timeouts, limits,
// shutdown, and generation switches.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulletin_search::index::{BuildOptions, build_index};
use bulletin_search::serve::{Limits, Live, serve_until};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(live: Live, limits: Limits) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(serve_until(Arc::new(live), listener, limits, async {
        let _ = stopped.await;
    }));
    Server {
        addr,
        stop: Some(stop),
        done,
    }
}

fn fixture_server_live() -> Live {
    Live::fixed(crate::common::fixture_engine())
}

/// Sends raw bytes, reads until the server closes (at most `wait`): (head, body).
async fn raw(addr: SocketAddr, request: &[u8], wait: Duration) -> (String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut data = Vec::new();
    let _ = tokio::time::timeout(wait, s.read_to_end(&mut data)).await;
    let text = String::from_utf8_lossy(&data).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test]
async fn routing_and_decoding_errors_are_json_too() {
    let post = router(fixture_engine())
        .oneshot(
            Request::post("/api/search?q=x")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.headers()[header::ALLOW], "GET,HEAD");
    let body = post.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let (status, body) = json("/api/bulletins/%FF").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_request");
    assert_eq!(
        body["error"]["message"],
        "Invalid URL: Invalid UTF-8 in `id`"
    );
    let long = format!("/api/search?q={}", "a".repeat(40_000));
    let (status, body) = json(&long).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert_eq!(body["error"]["code"], "uri_too_long");
}

#[tokio::test]
async fn what_hyper_answers_by_itself_is_json_too() {
    let server = start(fixture_server_live(), Limits::default()).await;
    let wait = Duration::from_secs(3);
    let big_header = format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(100_000)
    );
    let uri = |n: usize| {
        format!(
            "GET /api/search?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "a".repeat(n)
        )
    };
    let (long_uri, huge_uri) = (uri(40_000), uri(70_000));
    let cases: [(&[u8], &str, &str); 5] = [
        (
            b"GET /api/search?q=a b HTTP/1.1\r\nHost: x\r\n\r\n",
            "400",
            "bad_request",
        ),
        (
            b"GET /api/search?q=\"a\" HTTP/1.1\r\nHost: x\r\n\r\n",
            "400",
            "bad_request",
        ),
        (big_header.as_bytes(), "431", "headers_too_large"),
        (long_uri.as_bytes(), "414", "uri_too_long"),
        // Over the 64 kB a request head may take: hyper's answer, in JSON.
        (huge_uri.as_bytes(), "431", "headers_too_large"),
    ];
    for (request, status, code) in cases {
        let (head, body) = raw(server.addr, request, wait).await;
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        assert_eq!(
            header(&head, "content-type"),
            Some("application/json"),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"]["code"], code);
    }
    // A well-formed request on the same server is answered as ever.
    let (head, body) = raw(
        server.addr,
        b"GET /api/search?q=KB925902 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        wait,
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(body.contains("\"bulletin_id\":\"MS07-017\""));
}

#[tokio::test]
async fn idle_and_slow_clients_are_cut_off_and_a_full_server_answers_503() {
    let limits = Limits {
        max_connections: 2,
        header_read: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(fixture_server_live(), limits).await;
    // One client idles on keep-alive after a request, one never finishes its head.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHo")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The limit is reached: the next connection is told so, in JSON.
    let (head, body) = raw(
        server.addr,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(3),
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    assert_eq!(header(&head, "retry-after"), Some("1"));
    assert!(body.contains("\"code\":\"overloaded\""), "{body}");
    // Both are disconnected after the header-read timeout.
    let started = Instant::now();
    for s in [&mut idle, &mut slow] {
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
        assert!(
            matches!(n, Ok(Ok(0))),
            "still open after {:?}",
            started.elapsed()
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // And the server serves again.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (head, _) = raw(
        server.addr,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(3),
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
}

#[tokio::test]
async fn shutdown_with_an_idle_keep_alive_connection_ends_within_the_grace_period() {
    let limits = Limits {
        grace: Duration::from_secs(1),
        ..Limits::default()
    };
    let mut server = start(fixture_server_live(), limits).await;
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    assert!(idle.read(&mut buf).await.unwrap() > 0);
    let started = Instant::now();
    server.stop.take().unwrap().send(()).unwrap();
    let done = tokio::time::timeout(Duration::from_secs(3), &mut server.done).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "{done:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    // The idle connection was closed, not left hanging.
    assert!(matches!(idle.read(&mut buf).await, Ok(0) | Err(_)));
}

#[tokio::test]
async fn a_running_server_switches_to_a_new_generation_whole() {
    let dir = crate::common::root().join("target/test-scratch/switch");
    let _ = std::fs::remove_dir_all(&dir);
    let fixtures = crate::common::fixtures();
    build_index(
        std::slice::from_ref(&fixtures),
        &dir,
        &BuildOptions::default(),
    )
    .unwrap();
    let live = Live::open(&dir).unwrap();
    let server = start(live, Limits::default()).await;
    let get = |path: &'static str| async move {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let (_, body) = raw(server.addr, request.as_bytes(), Duration::from_secs(5)).await;
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let before = get("/api/stats").await;
    assert_eq!(
        (before["documents"].clone(), before["records"].clone()),
        (7.into(), 21.into())
    );
    let april = fixtures.join("da-dk/security-updates/SecurityBulletinSummaries/2007/ms07-apr.md");
    let d = dir.clone();
    tokio::task::spawn_blocking(move || build_index(&[april], &d, &BuildOptions::default()))
        .await
        .unwrap()
        .unwrap();
    let started = Instant::now();
    let after = loop {
        let stats = get("/api/stats").await;
        if stats["records"] != 21 || started.elapsed() > Duration::from_secs(10) {
            break stats;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Index, report and credits of one generation: never a mix.
    assert_eq!(
        (after["documents"].clone(), after["records"].clone()),
        (1.into(), 7.into())
    );
    assert_eq!(get("/api/health").await["documents"], 7);
    let hit = &get("/api/search?q=KB925902").await["hits"][0];
    assert_eq!(hit["bulletin_id"], "MS07-017");
    assert_eq!(hit["languages"], serde_json::json!(["da"]));
    assert_eq!(hit["matched_languages"], serde_json::json!(["da"]));
    let credits = get("/api/credits?q=MS07-019").await;
    assert!(credits["total"].as_u64().unwrap() > 0);
    let gone = get("/api/credits?q=MS07-001").await;
    assert_eq!(gone["total"], 0, "credits of the old generation: {gone}");
}

/// A summary's page: every language version, and the bulletins it lists,
/// each with its main KB, severity and title per language.
#[tokio::test]
async fn a_summary_opens_as_its_month_with_the_bulletins_it_lists() {
    let (status, body) = json("/api/documents/ms07-apr").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["group"], "MS07-APR");
    assert_eq!(body["kind"], "summary");
    assert_eq!(body["released"], "2007-04-03");
    assert_eq!(body["languages"], serde_json::json!(["da"]));
    let versions = body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        versions[0]["path"],
        "fixtures/da-dk/security-updates/SecurityBulletinSummaries/2007/ms07-apr.md"
    );
    assert!(
        versions[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Oversigt over sikkerhedsopdateringer fra Microsoft for april 2007")
    );
    let listed: Vec<(String, String, String)> = body["bulletins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bulletin_id"].as_str().unwrap().to_string(),
                b["kb"].as_str().unwrap_or("").to_string(),
                b["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("MS07-017", "925902", "critical"),
        ("MS07-018", "925939", "critical"),
        ("MS07-019", "931261", "critical"),
        ("MS07-020", "932168", "critical"),
        ("MS07-021", "930178", "critical"),
        ("MS07-022", "931784", "important"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(listed, expected);
    assert_eq!(
        body["bulletins"][0]["titles"]["da"],
        "Sårbarheder i GDI kan give mulighed for fjernudførelse af kode (925902)"
    );
    // A bulletin's page is its dossier; a bad or unknown group is a JSON error.
    assert_eq!(
        json("/api/documents/MS07-017").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        json("/api/documents/MS99-XYZ").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(json("/api/documents/%20").await.0, StatusCode::BAD_REQUEST);
}

/// An advisory (a hand-made page beside the fixtures) opens as its own page.
#[tokio::test]
async fn an_advisory_opens_as_its_own_page() {
    use bulletin_search::search::document::document;
    let advisory = crate::common::root().join("tests/data/advisory-en");
    let engine =
        bulletin_search::Engine::build_in_ram(&[advisory, crate::common::fixtures()]).unwrap();
    let page = document(&engine, "935423").unwrap().unwrap();
    assert_eq!(page.kind.code(), "advisory");
    assert_eq!(page.released.as_deref(), Some("2007-03-29"));
    assert_eq!(page.versions.len(), 1);
    let v = &page.versions[0];
    assert_eq!(
        v.version.title,
        "Microsoft Security Advisory 935423: Vulnerability in Windows Animated Cursor Handling"
    );
    assert_eq!(v.version.published.as_deref(), Some("2007-03-29"));
    assert_eq!(v.version.updated.as_deref(), Some("2007-04-03"));
    assert!(
        v.text
            .contains("names the bulletin that fixed what it describes, MS07-017")
    );
    assert!(page.bulletins.is_empty());
    assert!(document(&engine, "935424").unwrap().is_none());
}

/// A profile's titles follow the language asked for, where the index has
/// the bulletin in it; an unknown language is a 400.
#[tokio::test]
async fn a_profile_gives_titles_in_the_language_asked_for() {
    let title =
        |body: &serde_json::Value| body["credits"][0]["title"].as_str().unwrap().to_string();
    let (status, en) = json("/api/researchers/Alexander%20Sotirov?lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(en["credits"][0]["bulletin_id"], "MS07-017");
    assert_eq!(
        title(&en),
        "Vulnerabilities in GDI Could Allow Remote Code Execution (925902)"
    );
    let (_, da) = json("/api/researchers/Alexander%20Sotirov?lang=da").await;
    assert_eq!(
        title(&da),
        "Sårbarheder i GDI kan give mulighed for fjernudførelse af kode (925902)"
    );
    let (status, err) = json("/api/researchers/Alexander%20Sotirov?lang=xx").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"]["code"], "bad_parameter");
}

/// A release range narrows a search, its facets count under it, and a
/// range that is no range is a 400.
#[tokio::test]
async fn a_release_range_narrows_the_results_and_their_facets() {
    let groups = |body: &serde_json::Value| -> Vec<(String, String)> {
        let mut g: Vec<(String, String)> = body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["group"].as_str().unwrap().to_string(),
                    h["released"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        g.sort();
        g
    };
    let (status, body) = json("/api/search?q=Windows&to=2007-03-31&limit=50").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        groups(&body),
        [
            ("MS07-004".to_string(), "2007-01-09".to_string()),
            ("MS07-JAN".to_string(), "2007-01-09".to_string()),
            ("MS07-MAR".to_string(), "2007-03-13".to_string()),
        ]
    );
    assert_eq!(body["facets"]["year"], serde_json::json!({"2007": 3}));
    // A year stands for all of it, a month for all its days.
    let (_, body) = json("/api/search?q=Windows&from=2008&limit=50").await;
    assert_eq!(
        groups(&body),
        [("MS08-067".to_string(), "2008-10-23".to_string())]
    );
    let (_, body) = json("/api/search?q=Windows&from=2007-04&to=2007-09&limit=50").await;
    assert_eq!(body["total"], 10);
    assert!(
        groups(&body)
            .iter()
            .all(|(_, d)| ("2007-04-01".."2007-10-01").contains(&d.as_str()))
    );
    for bad in ["from=2008&to=2007", "from=07", "to=2007-02-30"] {
        let (status, err) = json(&format!("/api/search?q=Windows&{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(err["error"]["code"], "bad_parameter");
    }
}
