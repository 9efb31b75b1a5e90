//! The JSON API handlers. Parameters are parsed strictly (a bad value is a
//! 400 with a JSON error, never a 500); searches run on the blocking pool.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery};
use percent_encoding::percent_decode_str;
use serde::Serialize;
use utoipa::IntoParams;

use super::Current;
use super::error::{ApiError, Code, ErrorBody};
use crate::Engine;
use crate::index::SCHEMA_VERSION;
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Lang, Severity};
use crate::search::document::{DocumentView, document};
use crate::search::lookup::{self, Dossier, KbLookup, Stats};
use crate::search::{Filters, SearchRequest, SearchResponse, Sort, search};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The largest page.
pub const MAX_LIMIT: usize = 100;
/// The deepest page start.
pub const MAX_OFFSET: usize = 10_000;

/// Parameters of `/api/search`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: KB numbers (`925902`, `KB925902`), bulletin ids (`MS07-017`), CVE ids, words, "phrases".
    pub q: String,
    /// Only records written in this language (`da`, `de`, `ja`, …).
    pub lang: Option<String>,
    /// Only records of this kind (`bulletin`, `summary`, `advisory`, `acknowledgments`, `other`).
    pub kind: Option<String>,
    /// Only records of this severity (`critical`, `important`, `moderate`, `low`).
    pub severity: Option<String>,
    /// Only records of this year.
    pub year: Option<String>,
    /// Only bulletins affecting a product of these words (`Windows Vista`).
    pub product: Option<String>,
    /// Only records of this impact (`remote-code-execution`, `elevation-of-privilege`, …).
    pub impact: Option<String>,
    /// Only records released on or after this day: `2007-04-03`, `2007-04` or `2007`.
    pub from: Option<String>,
    /// Only records released on or before this day: `2008-12-31`, `2008-12` or `2008` (its last day).
    pub to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<String>,
    /// Hits to skip, 0–10000 (default 0).
    pub offset: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
    /// The query's language (`da`, `ja`, …); detected when absent.
    pub qlang: Option<String>,
    /// Show each result through its version in this language when it has one.
    pub prefer_lang: Option<String>,
    /// `0` to search the words as typed, without their translations (default `1`).
    pub expand: Option<String>,
    /// `1` to return the query plan: detected language, translations with weights.
    pub explain: Option<String>,
}

/// Decodes a raw query string strictly: invalid percent-encoded UTF-8 is an error.
pub fn decode_query(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| {
                    ApiError::new(
                        Code::BadEncoding,
                        "the query string is not valid percent-encoded UTF-8",
                    )
                })
        };
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

impl SearchParams {
    fn from_pairs(pairs: Vec<(String, String)>) -> SearchParams {
        let mut p = SearchParams::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "q" => {
                    p.q = v;
                    continue;
                }
                "lang" => &mut p.lang,
                "kind" => &mut p.kind,
                "severity" => &mut p.severity,
                "year" => &mut p.year,
                "product" => &mut p.product,
                "impact" => &mut p.impact,
                "from" => &mut p.from,
                "to" => &mut p.to,
                "limit" => &mut p.limit,
                "offset" => &mut p.offset,
                "sort" => &mut p.sort,
                "qlang" => &mut p.qlang,
                "prefer_lang" => &mut p.prefer_lang,
                "expand" => &mut p.expand,
                "explain" => &mut p.explain,
                _ => continue,
            };
            *slot = Some(v).filter(|v| !v.is_empty());
        }
        p
    }

    fn into_request(self) -> Result<SearchRequest, ApiError> {
        let q = self.q.trim();
        if q.is_empty() {
            return Err(ApiError::new(
                Code::MissingQuery,
                "q is required: a KB number, bulletin id, CVE id or words",
            ));
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::new(
                Code::QueryTooLong,
                format!("q is longer than {MAX_QUERY_CHARS} characters"),
            ));
        }
        let day = |v: Option<String>, name: &str, end: bool| {
            v.map(|v| {
                crate::search::day_bound(&v, end).ok_or_else(|| {
                    ApiError::new(
                        Code::BadParameter,
                        format!(
                            "{name} must be a day (2007-04-03), a month (2007-04) or a year (2007), not {:?}",
                            truncate(&v)
                        ),
                    )
                })
            })
            .transpose()
        };
        let (from, to) = (day(self.from, "from", false)?, day(self.to, "to", true)?);
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(ApiError::new(
                Code::BadParameter,
                "from must not be after to",
            ));
        }
        let filters = Filters {
            lang: parse_opt(self.lang, "lang", "a language code such as da, de, ja, zh")?,
            kind: parse_opt::<DocKind>(
                self.kind,
                "kind",
                "bulletin, summary, advisory, acknowledgments or other",
            )?,
            severity: parse_opt::<Severity>(
                self.severity,
                "severity",
                "critical, important, moderate or low",
            )?,
            year: number(self.year, "year", 1990, 2030)?,
            product: product_filter(self.product)?,
            impact: parse_opt::<Impact>(
                self.impact,
                "impact",
                "remote-code-execution, elevation-of-privilege, information-disclosure, denial-of-service, spoofing, tampering or security-feature-bypass",
            )?,
            from,
            to,
        };
        let sort = match self.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(other) => {
                return Err(ApiError::new(
                    Code::BadParameter,
                    format!("sort must be relevance or date, not {other:?}"),
                ));
            }
        };
        Ok(SearchRequest {
            query: q.to_string(),
            filters,
            limit: number(self.limit, "limit", 1, MAX_LIMIT as u64)?.unwrap_or(20) as usize,
            offset: number(self.offset, "offset", 0, MAX_OFFSET as u64)?.unwrap_or(0) as usize,
            sort,
            facets: true,
            query_lang: parse_opt(
                self.qlang,
                "qlang",
                "a language code such as da, de, ja, zh",
            )?,
            prefer_lang: parse_opt(
                self.prefer_lang,
                "prefer_lang",
                "a language code such as da, de, ja, zh",
            )?,
            expand: flag(self.expand, "expand")?.unwrap_or(true),
            explain: flag(self.explain, "explain")?.unwrap_or(false),
        })
    }
}

fn flag(v: Option<String>, name: &str) -> Result<Option<bool>, ApiError> {
    v.map(|v| match v.trim() {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(ApiError::new(
            Code::BadParameter,
            format!("{name} must be 1 or 0, not {:?}", truncate(other)),
        )),
    })
    .transpose()
}

fn parse_opt<T: std::str::FromStr>(
    v: Option<String>,
    name: &str,
    expected: &str,
) -> Result<Option<T>, ApiError> {
    v.map(|v| {
        v.parse().map_err(|_| {
            ApiError::new(
                Code::BadParameter,
                format!("{name} must be {expected}, not {:?}", truncate(&v)),
            )
        })
    })
    .transpose()
}

fn number(v: Option<String>, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
    v.map(|v| match v.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::new(
            Code::BadParameter,
            format!(
                "{name} must be a whole number from {min} to {max}, not {:?}",
                truncate(&v)
            ),
        )),
    })
    .transpose()
}

/// A product filter: some words, at most 200 characters.
fn product_filter(v: Option<String>) -> Result<Option<String>, ApiError> {
    match v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > 200 => Err(ApiError::new(
            Code::BadParameter,
            "product must be at most 200 characters",
        )),
        v => Ok(v),
    }
}

fn parse_bulletin(id: &str) -> Result<BulletinId, ApiError> {
    id.parse().map_err(|_| {
        ApiError::new(
            Code::BadParameter,
            format!("{:?} is not a bulletin id (MSyy-nnn)", truncate(id)),
        )
    })
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// Search the index.
#[utoipa::path(
    get,
    path = "/api/search",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, total and facet counts", body = SearchResponse),
        (status = 400, description = "A parameter is missing or invalid", body = ErrorBody),
    )
)]
pub async fn search_handler(
    Current(engine): Current,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = SearchParams::from_pairs(decode_query(raw.as_deref())?).into_request()?;
    let response = blocking(move || Ok(search(&engine, &request)?)).await?;
    Ok(Json(response))
}

/// One bulletin's dossier, with every language version.
#[utoipa::path(
    get,
    path = "/api/bulletins/{id}",
    params(("id" = String, Path, description = "Bulletin id in any spelling: MS07-017, ms07-17")),
    responses(
        (status = 200, description = "The dossier", body = Dossier),
        (status = 400, description = "Not a bulletin id", body = ErrorBody),
        (status = 404, description = "No such bulletin in the index", body = ErrorBody),
    )
)]
pub async fn bulletin_handler(
    Current(engine): Current,
    Path(id): Path<String>,
) -> Result<Json<Dossier>, ApiError> {
    let id = parse_bulletin(&id)?;
    let dossier = blocking(move || Ok(lookup::bulletin(&engine, id)?)).await?;
    dossier
        .map(Json)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("{id} is not in the index")))
}

/// The page of a summary, advisory or other document: every language
/// version, and for a summary the bulletins it lists.
#[utoipa::path(
    get,
    path = "/api/documents/{group}",
    params(("group" = String, Path, description = "A summary id (MS07-APR, ms07-apr), an advisory number (935423), or the path a page with no id is grouped by")),
    responses(
        (status = 200, description = "Every version, and a summary's bulletins", body = DocumentView),
        (status = 400, description = "An empty or over-long group", body = ErrorBody),
        (status = 404, description = "No such document in the index (a bulletin's page is /api/bulletins/{id})", body = ErrorBody),
    )
)]
pub async fn document_handler(
    Current(engine): Current,
    Path(group): Path<String>,
) -> Result<Json<DocumentView>, ApiError> {
    let group = group.trim().to_string();
    if group.is_empty() || group.len() > 1_000 {
        return Err(ApiError::new(
            Code::BadParameter,
            "a document is named by its id (MS07-APR, 935423) or path, of at most 1000 bytes",
        ));
    }
    let wanted = group.clone();
    let view = blocking(move || {
        // Summary ids are stored upper case; an advisory's number or a
        // page's path as written.
        let upper = wanted.to_uppercase();
        Ok(match document(&engine, &wanted)? {
            Some(v) => Some(v),
            None if upper != wanted => document(&engine, &upper)?,
            None => None,
        })
    })
    .await?;
    view.map(Json).ok_or_else(|| {
        ApiError::new(
            Code::NotFound,
            format!(
                "{:?} is not a summary, advisory or page in the index",
                truncate(&group)
            ),
        )
    })
}

/// The bulletin(s) whose main update a KB number is, then every record that mentions it.
#[utoipa::path(
    get,
    path = "/api/kb/{number}",
    params(("number" = String, Path, description = "KB number: 925902, KB925902, Q925902")),
    responses(
        (status = 200, description = "Bulletins and mentions", body = KbLookup),
        (status = 400, description = "Not a KB number", body = ErrorBody),
        (status = 404, description = "No record names this KB", body = ErrorBody),
    )
)]
pub async fn kb_handler(
    Current(engine): Current,
    Path(number): Path<String>,
) -> Result<Json<KbLookup>, ApiError> {
    let kb: KbNumber = number.parse().map_err(|_| {
        ApiError::new(
            Code::BadParameter,
            format!("{:?} is not a KB number (6 or 7 digits)", truncate(&number)),
        )
    })?;
    let found = blocking(move || Ok(lookup::kb(&engine, kb, 50)?)).await?;
    if found.bulletins.is_empty() && found.mentions.is_empty() {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no record names KB{kb}"),
        ));
    }
    Ok(Json(found))
}

/// Product names matching a prefix.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProductsResponse {
    /// Names matched in all.
    pub total: usize,
    /// The first `limit`, the most named first.
    pub products: Vec<ProductCount>,
}

/// A product name and the bulletins that name it affected.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProductCount {
    /// The name, as most locales write it.
    pub product: String,
    /// Bulletins naming it.
    pub bulletins: usize,
}

/// Parameters of `/api/products`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductParams {
    /// The start of a product name, any case (`windows xp`, `Office 2003`); `Microsoft` may be left out.
    pub q: Option<String>,
    /// How many names, 1–100 (default 20).
    pub limit: Option<String>,
}

/// Product names by prefix, with the bulletins that name each.
#[utoipa::path(
    get,
    path = "/api/products",
    params(ProductParams),
    responses(
        (status = 200, description = "Product names with counts", body = ProductsResponse),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    )
)]
pub async fn products_handler(
    Current(engine): Current,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProductsResponse>, ApiError> {
    let mut p = ProductParams::default();
    for (k, v) in decode_query(raw.as_deref())? {
        match k.as_str() {
            "q" => p.q = Some(v),
            "limit" => p.limit = Some(v).filter(|v| !v.trim().is_empty()),
            _ => {}
        }
    }
    let q = p.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            Code::QueryTooLong,
            format!("q is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = number(p.limit, "limit", 1, MAX_LIMIT as u64)?.unwrap_or(20) as usize;
    let response = blocking(move || {
        let all = engine.products.products(&q, usize::MAX);
        let total = all.len();
        let products = all
            .into_iter()
            .take(limit)
            .map(|(product, bulletins)| ProductCount { product, bulletins })
            .collect();
        Ok(ProductsResponse { total, products })
    })
    .await?;
    Ok(Json(response))
}

/// The bulletins that replaced one, directly or not, oldest first; with
/// `product`, only through replacements stated for that product (or for
/// the whole bulletin).
#[utoipa::path(
    get,
    path = "/api/chain/{id}",
    params(
        ("id" = String, Path, description = "Bulletin id: MS06-014"),
        ("product" = Option<String>, Query, description = "Only replacements for a product of these words: Windows XP"),
    ),
    responses(
        (status = 200, description = "The chain", body = crate::products::Chain),
        (status = 400, description = "Not a bulletin id, or a bad parameter", body = ErrorBody),
        (status = 404, description = "No such bulletin in the index", body = ErrorBody),
    )
)]
pub async fn chain_handler(
    Current(engine): Current,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::products::Chain>, ApiError> {
    let id = parse_bulletin(&id)?;
    let mut product = None;
    for (k, v) in decode_query(raw.as_deref())? {
        if k == "product" {
            product = product_filter(Some(v))?;
        }
    }
    blocking(move || Ok(engine.products.chain(id, product.as_deref())))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("{id} is not in the index")))
}

/// Researchers matching a query, with their credits.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreditsResponse {
    /// Researchers (and organisation-only or anonymous parties) matched.
    pub total: usize,
    /// The first `limit` of them, the most credited first.
    pub researchers: Vec<crate::researchers::Researcher>,
}

/// Parameters of `/api/credits`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreditParams {
    /// Names (prefix, one typo allowed), organisations, bulletin or CVE ids.
    pub q: Option<String>,
    /// Only credits of this organisation (any spelling).
    pub org: Option<String>,
    /// Only credits of this year.
    pub year: Option<String>,
    /// How many researchers, 1–100 (default 20).
    pub limit: Option<String>,
}

/// Who found what: researchers with their credits.
#[utoipa::path(
    get,
    path = "/api/credits",
    params(CreditParams),
    responses(
        (status = 200, description = "Researchers and credits", body = CreditsResponse),
        (status = 400, description = "A parameter is missing or invalid", body = ErrorBody),
    )
)]
pub async fn credits_handler(
    Current(engine): Current,
    RawQuery(raw): RawQuery,
) -> Result<Json<CreditsResponse>, ApiError> {
    let mut p = CreditParams::default();
    for (k, v) in decode_query(raw.as_deref())? {
        let v = Some(v).filter(|v| !v.trim().is_empty());
        match k.as_str() {
            "q" => p.q = v,
            "org" => p.org = v,
            "year" => p.year = v,
            "limit" => p.limit = v,
            _ => {}
        }
    }
    if p.q.is_none() && p.org.is_none() {
        return Err(ApiError::new(
            Code::MissingQuery,
            "q or org is required: a researcher, an organisation, a bulletin or CVE id",
        ));
    }
    if p.q
        .as_deref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ApiError::new(
            Code::QueryTooLong,
            format!("q is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let year = number(p.year, "year", 1990, 2030)?.map(|y| y as u16);
    let limit = number(p.limit, "limit", 1, MAX_LIMIT as u64)?.unwrap_or(20) as usize;
    let response = blocking(move || {
        let found = engine
            .credits
            .search(p.q.as_deref().unwrap_or(""), p.org.as_deref(), year);
        let mut researchers = crate::researchers::group(&found);
        let total = researchers.len();
        researchers.truncate(limit);
        Ok(CreditsResponse { total, researchers })
    })
    .await?;
    Ok(Json(response))
}

/// One researcher's profile: every credit by year, organisations over time.
#[utoipa::path(
    get,
    path = "/api/researchers/{name}",
    params(
        ("name" = String, Path, description = "The researcher's name, any case or accents"),
        ("lang" = Option<String>, Query, description = "Titles in this language where the index has it: da, de, ja …"),
    ),
    responses(
        (status = 200, description = "The profile", body = crate::researchers::Profile),
        (status = 404, description = "No credit names this researcher", body = ErrorBody),
    )
)]
pub async fn researcher_handler(
    Current(engine): Current,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::researchers::Profile>, ApiError> {
    let lang = profile_lang(raw.as_deref())?;
    profile(
        engine,
        name,
        lang,
        crate::researchers::CreditStore::researcher,
    )
    .await
}

/// The `lang` a profile's titles are wanted in, if any.
fn profile_lang(raw: Option<&str>) -> Result<Option<Lang>, ApiError> {
    let lang = decode_query(raw)?
        .into_iter()
        .rev()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty());
    parse_opt(lang, "lang", "a language code such as da, de, ja, zh")
}

/// A researcher's or an organisation's profile, or a 404 naming what was
/// asked; with `lang`, each credit's title as that language writes it,
/// where the index has the bulletin in it.
async fn profile(
    engine: Arc<Engine>,
    name: String,
    lang: Option<Lang>,
    find: fn(&crate::researchers::CreditStore, &str) -> Option<crate::researchers::Profile>,
) -> Result<Json<crate::researchers::Profile>, ApiError> {
    let shown = truncate(&name);
    blocking(move || {
        let Some(mut p) = find(&engine.credits, &name) else {
            return Ok(None);
        };
        if let Some(lang) = lang {
            let ids: Vec<BulletinId> = p.credits.iter().filter_map(|c| c.bulletin_id).collect();
            let titles = lookup::titles_in(&engine, &ids, lang)?;
            for c in &mut p.credits {
                if let Some(t) = c.bulletin_id.and_then(|b| titles.get(&b)) {
                    c.title.clone_from(t);
                }
            }
        }
        Ok(Some(p))
    })
    .await?
    .map(Json)
    .ok_or_else(|| ApiError::new(Code::NotFound, format!("no credit names {shown:?}")))
}

/// One organisation's profile: every spelling together, researchers over time.
#[utoipa::path(
    get,
    path = "/api/organisations/{name}",
    params(
        ("name" = String, Path, description = "The organisation, any spelling: iDefense, VeriSign iDefense Labs"),
        ("lang" = Option<String>, Query, description = "Titles in this language where the index has it: da, de, ja …"),
    ),
    responses(
        (status = 200, description = "The profile", body = crate::researchers::Profile),
        (status = 404, description = "No credit names this organisation", body = ErrorBody),
    )
)]
pub async fn organisation_handler(
    Current(engine): Current,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::researchers::Profile>, ApiError> {
    let lang = profile_lang(raw.as_deref())?;
    profile(
        engine,
        name,
        lang,
        crate::researchers::CreditStore::organisation,
    )
    .await
}

/// Health of the server and its index.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Whether an index is loaded.
    pub index_loaded: bool,
    /// Records in the index.
    pub documents: u64,
    /// Schema version.
    pub schema_version: u32,
}

/// Is the server up, with an index?
#[utoipa::path(get, path = "/api/health", responses((status = 200, description = "Healthy", body = Health)))]
pub async fn health_handler(Current(engine): Current) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        index_loaded: true,
        documents: engine.reader.searcher().num_docs(),
        schema_version: SCHEMA_VERSION,
    })
}

/// Counts per language, kind, severity and year.
#[utoipa::path(get, path = "/api/stats", responses((status = 200, description = "Counts", body = Stats)))]
pub async fn stats_handler(Current(engine): Current) -> Result<Json<Stats>, ApiError> {
    Ok(Json(blocking(move || Ok(lookup::stats(&engine)?)).await?))
}

/// Languages the API accepts for `lang`.
pub fn languages() -> Vec<&'static str> {
    Lang::ALL.iter().map(|l| l.code()).collect()
}
