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
    assert_eq!(body["documents"], 19);
    let (status, body) = json("/api/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["documents"], 5);
    assert_eq!(body["bulletins"], 14);
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
            "/api/credits",
            "/api/health",
            "/api/kb/{number}",
            "/api/organisations/{name}",
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
