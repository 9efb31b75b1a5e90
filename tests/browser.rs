//! End-to-end: the real server on a random loopback port, driven in headless
//! Chromium through chromedriver (Debian `chromium` + `chromium-driver`).
//! Skips with a notice where chromedriver is absent, unless CI is set.
//! Screenshots of every step go to `target/screenshots/`.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{fixture_engine, root};

/// Kills chromedriver, and the Chromium it started (found by its private
/// profile directory), when the test ends, however it ends.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new("pkill")
            .arg("-f")
            .arg(self.profile.as_os_str())
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

async fn start_browser() -> Option<(Client, Driver)> {
    let Some(driver_path) = chromedriver() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromedriver is missing in CI: .ci/run must install chromium-driver"
        );
        eprintln!("NOTICE: chromedriver not found: browser tests skipped");
        return None;
    };
    let port = free_port();
    let profile = std::env::temp_dir().join(format!("bs-chrome-{}-{port}", std::process::id()));
    let driver = Driver {
        child: Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
        profile: profile.clone(),
    };
    let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
        }
    }))
    .unwrap();
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Some((c, driver)),
            Err(e) if started.elapsed() > Duration::from_secs(20) => panic!("chromedriver: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn start_server() -> String {
    serve_on("127.0.0.1:0").await.0
}

/// Serves the fixtures on `addr`; the task's handle stops it.
async fn serve_on(addr: &str) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = bulletin_search::serve::router(fixture_engine());
    let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), task)
}

/// Polls a JavaScript expression until it equals `expected` (15 s at most:
/// the corpus tests load both cores while this runs).
async fn wait_for(c: &Client, expr: &str, expected: Value) -> Value {
    let started = Instant::now();
    loop {
        let got = c
            .execute(&format!("return ({expr});"), vec![])
            .await
            .unwrap();
        if got == expected || started.elapsed() > Duration::from_secs(15) {
            assert_eq!(got, expected, "{expr}");
            return got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element `css` selects, scrolled into view; retries for a
/// while, since a view may still be redrawing.
async fn click(c: &Client, css: &str) {
    for _ in 0..50 {
        let scroll =
            format!("document.querySelector({css:?})?.scrollIntoView({{block: 'center'}});");
        let _ = c.execute(&scroll, vec![]).await;
        if let Ok(e) = c.find(Locator::Css(css)).await
            && e.click().await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} could not be clicked");
}

async fn shot(c: &Client, name: &str) {
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
}

async fn type_query(c: &Client, text: &str) {
    let q = c.find(Locator::Css("#q")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys(text).await.unwrap();
}

const FIRST_ID: &str = "document.querySelector('#results .hit .id')?.textContent ?? null";
const FIRST_LANG: &str =
    "document.querySelector('#results .hit .lang.current')?.textContent ?? null";
const STATUS: &str = "document.querySelector('#status').textContent";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_searches_filters_opens_a_bulletin_and_shares_the_link() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let base = start_server().await;
    c.goto(&base).await.unwrap();

    // Type a KB number: MS07-017 comes first.
    type_query(&c, "KB925902").await;
    wait_for(&c, FIRST_ID, json!("MS07-017")).await;
    shot(&c, "1-kb925902").await;

    // A Danish word finds the Danish summary entries.
    type_query(&c, "sårbarheder").await;
    wait_for(&c, FIRST_LANG, json!("da")).await;
    shot(&c, "2-danish-word").await;

    // A facet narrows the results, and the count changes.
    type_query(&c, "Windows").await;
    wait_for(
        &c,
        "document.querySelector('#facets [data-facet=lang][data-value=nl]') !== null",
        json!(true),
    )
    .await;
    let before = c
        .execute(&format!("return {STATUS};"), vec![])
        .await
        .unwrap();
    click(&c, "#facets [data-facet=lang][data-value=nl]").await;
    wait_for(&c, "[...document.querySelectorAll('#results .hit .lang.current')].every(e => e.textContent === 'nl') && document.querySelectorAll('#results .hit').length > 0", json!(true)).await;
    let after = c
        .execute(&format!("return {STATUS};"), vec![])
        .await
        .unwrap();
    assert_ne!(before, after);
    assert!(c.current_url().await.unwrap().as_str().contains("lang=nl"));
    shot(&c, "3-facet-nl").await;

    // Clicking the active facet again clears it.
    click(&c, "#facets [data-facet=lang][data-value=nl]").await;
    wait_for(&c, "location.search.includes('lang=')", json!(false)).await;

    // One result per bulletin: the English file and the Norwegian summary
    // entry of MS07-053 are one card, both languages matched; "show in" picks
    // the Norwegian version, and the choice is in the URL.
    type_query(&c, "939778").await;
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit').length",
        json!(1),
    )
    .await;
    wait_for(&c, "[...document.querySelectorAll('#results .hit .lang.matched')].map(e => e.textContent).join(',')", json!("en,nb")).await;
    wait_for(
        &c,
        "document.querySelector('#results .hit .lang.current').textContent",
        json!("en"),
    )
    .await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#prefer option')].some(o => o.value === 'nb')",
        json!(true),
    )
    .await;
    c.execute("const s = document.querySelector('#prefer'); s.value = 'nb'; s.dispatchEvent(new Event('change'));", vec![])
        .await
        .unwrap();
    wait_for(
        &c,
        "document.querySelector('#results .hit .lang.current')?.textContent ?? null",
        json!("nb"),
    )
    .await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("prefer_lang=nb")
    );
    shot(&c, "3b-grouped-prefer-nb").await;
    c.execute("const s = document.querySelector('#prefer'); s.value = ''; s.dispatchEvent(new Event('change'));", vec![])
        .await
        .unwrap();
    wait_for(&c, "location.search.includes('prefer_lang')", json!(false)).await;

    // Open a bulletin: every language version is there.
    type_query(&c, "MS07-053").await;
    wait_for(&c, "location.search", json!("?q=MS07-053")).await;
    wait_for(&c, FIRST_ID, json!("MS07-053")).await;
    click(&c, "#results .hit").await;
    wait_for(
        &c,
        "document.querySelector('#dossier h1')?.textContent ?? null",
        json!("MS07-053"),
    )
    .await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#dossier [role=tab]')].map(t => t.dataset.lang).join(',')",
        json!("en,nb"),
    )
    .await;
    wait_for(
        &c,
        "document.querySelector('#dossier .conflict') !== null",
        json!(true),
    )
    .await;
    wait_for(
        &c,
        "document.querySelector('#search-view').offsetParent === null",
        json!(true),
    )
    .await;
    // The dossier may still be redrawing (its credits arrive separately).
    click(&c, "#dossier [role=tab][data-lang=nb]").await;
    wait_for(
        &c,
        "document.querySelector('#dossier [role=tabpanel] h2').textContent.includes('(941522)')",
        json!(true),
    )
    .await;
    shot(&c, "4-dossier-ms07-053").await;

    // Back returns to the results; a shared link restores the same view.
    c.back().await.unwrap();
    wait_for(&c, FIRST_ID, json!("MS07-053")).await;
    let shared = format!("{base}/?q=KB925902&lang=da");
    c.goto(&shared).await.unwrap();
    wait_for(&c, "document.querySelector('#q').value", json!("KB925902")).await;
    wait_for(
        &c,
        "document.querySelector('#facets [data-value=da]')?.getAttribute('aria-pressed') ?? null",
        json!("true"),
    )
    .await;
    wait_for(&c, FIRST_ID, json!("MS07-017")).await;
    shot(&c, "5-shared-link").await;

    // Keyboard: "/" focuses the box, arrows move, Enter opens.
    c.execute("document.activeElement.blur();", vec![])
        .await
        .unwrap();
    let body = c.find(Locator::Css("body")).await.unwrap();
    body.send_keys("/").await.unwrap();
    wait_for(&c, "document.activeElement.id", json!("q")).await;
    c.find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("\u{E015}")
        .await
        .unwrap(); // ArrowDown
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit.selected').length",
        json!(1),
    )
    .await;
    c.execute("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));", vec![]).await.unwrap();
    wait_for(
        &c,
        "new URLSearchParams(location.search).get('bulletin')",
        json!("MS07-017"),
    )
    .await;

    // A phone-width window still shows the results.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/?q=Windows")).await.unwrap();
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit').length > 0",
        json!(true),
    )
    .await;
    wait_for(
        &c,
        "document.documentElement.scrollWidth <= window.innerWidth + 1",
        json!(true),
    )
    .await;
    // The filters wait behind a button: the first result is on the first screen.
    wait_for(
        &c,
        "document.querySelector('#results .hit').getBoundingClientRect().top < window.innerHeight / 2",
        json!(true),
    )
    .await;
    shot(&c, "6-phone").await;
    click(&c, "#filters-toggle").await;
    wait_for(
        &c,
        "document.querySelector('#facets [data-facet=lang]')?.offsetParent !== null",
        json!(true),
    )
    .await;
    shot(&c, "6b-phone-filters").await;
    // A profile's wide credit table scrolls inside itself, not the page.
    c.goto(&format!("{base}/?researcher=Alexander%20Sotirov"))
        .await
        .unwrap();
    wait_for(
        &c,
        "document.querySelector('#profile table.credits') !== null",
        json!(true),
    )
    .await;
    wait_for(
        &c,
        "document.documentElement.scrollWidth <= window.innerWidth + 1",
        json!(true),
    )
    .await;

    // Researchers: find one, open the profile, follow a credit to its bulletin.
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&base).await.unwrap();
    click(&c, "#mode-researchers").await;
    type_query(&c, "sotirov").await;
    wait_for(
        &c,
        "document.querySelector('#people-results .person .name')?.textContent ?? null",
        json!("Alexander Sotirov"),
    )
    .await;
    shot(&c, "8-researchers").await;
    click(&c, "#people-results .person").await;
    wait_for(
        &c,
        "document.querySelector('#profile h1')?.textContent ?? null",
        json!("Alexander Sotirov"),
    )
    .await;
    wait_for(&c, "[...document.querySelectorAll('#profile table.credits tbody tr td:first-child')].map(t => t.textContent).join(',')", json!("MS07-017")).await;
    shot(&c, "9-researcher-profile").await;
    click(&c, "#profile table.credits tbody tr td:first-child a").await;
    wait_for(
        &c,
        "document.querySelector('#dossier h1')?.textContent ?? null",
        json!("MS07-017"),
    )
    .await;
    wait_for(
        &c,
        "document.querySelectorAll('#dossier table.credits tbody tr').length",
        json!(6),
    )
    .await;

    // Nothing found, and a failing request, say what to do.
    c.goto(&format!("{base}/?q=zzzqqqxxx")).await.unwrap();
    wait_for(
        &c,
        &format!("{STATUS}.startsWith('No results')"),
        json!(true),
    )
    .await;
    c.goto(&format!("{base}/?q=xy&lang=xx")).await.unwrap();
    wait_for(
        &c,
        &format!("{STATUS}.startsWith('Search failed')"),
        json!(true),
    )
    .await;
    shot(&c, "7-error").await;

    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_pastes_ids_pages_through_results_and_opens_with_enter() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let base = start_server().await;

    // A pasted list of ids: one row per id, in the order given, and the
    // one nothing answers listed as not found.
    c.goto(&format!("{base}/?q=KB925902,939778%0AMS07-017%09KB999999"))
        .await
        .unwrap();
    const ROWS: &str = "[...document.querySelectorAll('table.idlist tbody tr')].map(r => [...r.children].slice(0, 2).map(t => t.textContent).join(' ')).join(' | ')";
    wait_for(
        &c,
        ROWS,
        json!("KB925902 MS07-017 | KB939778 MS07-053 | MS07-017 MS07-017 | KB999999 not found"),
    )
    .await;
    wait_for(&c, STATUS, json!("4 ids: 3 found, 1 not found (KB999999)")).await;
    wait_for(
        &c,
        "document.querySelector('#export-csv') !== null && document.querySelector('#export-json') !== null",
        json!(true),
    )
    .await;
    shot(&c, "10-id-list").await;
    // Each answer is a real link to its dossier.
    wait_for(
        &c,
        "document.querySelector('table.idlist tbody tr a').getAttribute('href').startsWith('/?bulletin=MS07-017')",
        json!(true),
    )
    .await;

    // The same column pasted into the box: its lines stay apart.
    c.goto(&base).await.unwrap();
    c.execute(
        "const q = document.querySelector('#q'); q.focus(); const d = new DataTransfer(); d.setData('text/plain', 'KB925902\\r\\n939778\\r\\nKB999999\\r\\n'); q.dispatchEvent(new ClipboardEvent('paste', {clipboardData: d, bubbles: true, cancelable: true}));",
        vec![],
    )
    .await
    .unwrap();
    wait_for(
        &c,
        "document.querySelector('#q').value",
        json!("KB925902 939778 KB999999"),
    )
    .await;
    wait_for(&c, STATUS, json!("3 ids: 2 found, 1 not found (KB999999)")).await;

    // Half an id says what it is becoming, and searches nothing.
    c.goto(&base).await.unwrap();
    type_query(&c, "KB92").await;
    wait_for(
        &c,
        STATUS,
        json!("KB92…: a KB number (6 or 7 digits), keep typing."),
    )
    .await;
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit').length",
        json!(0),
    )
    .await;
    // A month's summary id, half typed and then whole, finds its month.
    type_query(&c, "ms07-ap").await;
    wait_for(
        &c,
        STATUS,
        json!("ms07-ap…: a month's summary (MSyy-mmm, e.g. MS07-APR), keep typing."),
    )
    .await;
    type_query(&c, "ms07-apr").await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#results .hit')].map(h => h.dataset.group).join(' ')",
        json!("MS07-APR"),
    )
    .await;

    // Paging: two per page, "show more" appends the next two, in order.
    c.goto(&format!("{base}/?q=Windows&per_page=2"))
        .await
        .unwrap();
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit').length",
        json!(2),
    )
    .await;
    let first_page: Value = c
        .execute(
            "return [...document.querySelectorAll('#results .hit .id')].map(e => e.textContent);",
            vec![],
        )
        .await
        .unwrap();
    click(&c, "#results .more").await;
    wait_for(
        &c,
        "document.querySelectorAll('#results .hit').length",
        json!(4),
    )
    .await;
    let api: Value = c
        .execute(
            "return fetch('/api/search?q=Windows&limit=4').then(r => r.json()).then(r => r.hits.map(h => h.bulletin_id || h.kind));",
            vec![],
        )
        .await
        .unwrap();
    let shown: Value = c
        .execute(
            "return [...document.querySelectorAll('#results .hit .id')].map(e => e.textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shown, api, "the pages shown are the API's first four");
    assert_eq!(
        first_page.as_array().unwrap()[..],
        api.as_array().unwrap()[..2]
    );

    // A facet count is what a click gives, under the other filters too;
    // the active filters are chips, and "clear all" removes them.
    c.goto(&format!("{base}/?q=Windows")).await.unwrap();
    wait_for(
        &c,
        "document.querySelector('#facets [data-facet=lang][data-value=nl]') !== null",
        json!(true),
    )
    .await;
    let count = |facet: &str, value: &str| {
        format!(
            "Number(document.querySelector('#facets [data-facet={facet}][data-value={value}] .count')?.textContent)"
        )
    };
    let total = "Number(document.querySelector('#status').textContent.split(' ')[0])";
    let nl: Value = c
        .execute(&format!("return {};", count("lang", "nl")), vec![])
        .await
        .unwrap();
    click(&c, "#facets [data-facet=lang][data-value=nl]").await;
    wait_for(&c, total, nl.clone()).await;
    // The other languages stay listed, to switch to.
    wait_for(
        &c,
        "document.querySelector('#facets [data-facet=lang][data-value=en]') !== null",
        json!(true),
    )
    .await;
    let kind: Value = c
        .execute(&format!("return {};", count("kind", "summary")), vec![])
        .await
        .unwrap();
    click(&c, "#facets [data-facet=kind][data-value=summary]").await;
    wait_for(&c, total, kind).await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#chips .chip')].map(c => c.textContent).join(' | ')",
        json!("Language: Nederlands × | Kind: summary × | Clear all"),
    )
    .await;
    shot(&c, "11-facets-chips").await;
    click(&c, "#clear-filters").await;
    wait_for(&c, "location.search", json!("?q=Windows")).await;
    wait_for(
        &c,
        "document.querySelectorAll('#chips .chip').length",
        json!(0),
    )
    .await;

    // Enter in the box opens the top hit, in the version that matched.
    type_query(&c, "KB925902").await;
    wait_for(&c, FIRST_ID, json!("MS07-017")).await;
    c.find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap(); // Enter
    wait_for(
        &c,
        "document.querySelector('#dossier h1')?.textContent ?? null",
        json!("MS07-017"),
    )
    .await;

    // The dossier opens on the version the link names, by its locale too,
    // and a tab chosen is kept in the link.
    c.goto(&format!("{base}/?bulletin=MS07-053&v=nb-NO"))
        .await
        .unwrap();
    wait_for(
        &c,
        "document.querySelector('#dossier [role=tab][aria-selected=true]')?.dataset.lang ?? null",
        json!("nb"),
    )
    .await;
    c.goto(&format!("{base}/?bulletin=MS07-053&v=nb"))
        .await
        .unwrap();
    wait_for(
        &c,
        "document.querySelector('#dossier [role=tab][aria-selected=true]')?.dataset.lang ?? null",
        json!("nb"),
    )
    .await;
    click(&c, "#dossier [role=tab][data-lang=en]").await;
    wait_for(
        &c,
        "new URLSearchParams(location.search).get('v')",
        json!("en"),
    )
    .await;
    wait_for(
        &c,
        "document.querySelector('#dossier [role=tabpanel]').getAttribute('lang')",
        json!("en-US"),
    )
    .await;
    // One h1 in the view. Esc from a shared dossier link goes to the
    // search page, not away from the site.
    wait_for(
        &c,
        "[...document.querySelectorAll('h1')].filter(h => h.closest('section:not([hidden])')).length",
        json!(1),
    )
    .await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E00C}")
        .await
        .unwrap(); // Escape
    wait_for(&c, "location.href", json!(format!("{base}/"))).await;
    wait_for(
        &c,
        "[...document.querySelectorAll('h1')].filter(h => h.closest('section:not([hidden])')).map(h => h.textContent).join()",
        json!("Search Microsoft security bulletins in every language"),
    )
    .await;
    // Focus is not lost: it is in the search box.
    wait_for(&c, "document.activeElement.id", json!("q")).await;

    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_keeps_the_results_retries_and_recovers() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let (base, server) = serve_on("127.0.0.1:0").await;
    c.goto(&format!("{base}/?q=KB925902")).await.unwrap();
    wait_for(&c, FIRST_ID, json!("MS07-017")).await;
    // The server goes away: the results stay, and the page says so.
    server.abort();
    let _ = server.await;
    type_query(&c, "939778").await;
    wait_for(
        &c,
        &format!("{STATUS}.startsWith('Server unreachable: trying again in')"),
        json!(true),
    )
    .await;
    wait_for(&c, FIRST_ID, json!("MS07-017")).await;
    shot(&c, "12-outage").await;
    // It comes back on the same address: the retry finds the query's result.
    let addr = base.trim_start_matches("http://").to_string();
    let (_, _again) = serve_on(&addr).await;
    wait_for(&c, FIRST_ID, json!("MS07-053")).await;
    wait_for(
        &c,
        &format!("{STATUS}.startsWith('Server unreachable')"),
        json!(false),
    )
    .await;
    c.close().await.unwrap();
}

/// An administrator opens MS08-067: its affected software is a table with
/// each row's KB, impact, severity and replaced bulletin; the product facet
/// narrows a search to one product's bulletins.
#[tokio::test]
async fn an_administrator_reads_the_product_table_and_filters_by_product() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let base = start_server().await;
    c.goto(&format!("{base}/?bulletin=MS08-067")).await.unwrap();
    wait_for(
        &c,
        "document.querySelectorAll('table.products tbody tr[data-product]').length",
        json!(6),
    )
    .await;
    let first = c
        .execute(
            "return [...document.querySelectorAll('table.products tbody tr[data-product]')[0].children].map(td => td.textContent.trim());",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        first,
        json!([
            "Microsoft Windows 2000 Service Pack 4",
            "KB958644",
            "Remote code execution",
            "critical",
            "MS06-040 (KB921883)"
        ])
    );
    let vista = c
        .execute(
            "return document.querySelector('table.products tr[data-product^=\"Windows Vista\"] td:nth-child(4)').textContent;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(vista, json!("important"));
    wait_for(
        &c,
        "document.querySelector('.not-affected').textContent",
        json!("Not affected: Windows 7 Pre-Beta; Windows 7 Pre-Beta x64-based Systems"),
    )
    .await;
    shot(&c, "products-ms08-067").await;

    // MS07-017 replaced MS05-002 for Windows Server 2003 only: its
    // supersedence links open the other dossier.
    c.goto(&format!("{base}/?bulletin=MS07-017")).await.unwrap();
    wait_for(
        &c,
        "[...document.querySelectorAll('.supersedence dd a')].map(a => a.textContent).join(' ')",
        json!("MS05-002 MS05-053 MS06-001"),
    )
    .await;
    wait_for(
        &c,
        "document.querySelector('.supersedence dd .for').textContent",
        json!(" — for Windows Server 2003"),
    )
    .await;

    // The product facet: Windows Server 2008 leaves MS08-067 alone.
    c.goto(&format!("{base}/?q=Windows")).await.unwrap();
    wait_for(
        &c,
        "document.querySelector('#facets [data-facet=product][data-value=\"Windows Server 2008\"]') !== null",
        json!(true),
    )
    .await;
    click(
        &c,
        "#facets [data-facet=product][data-value=\"Windows Server 2008\"]",
    )
    .await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#results .hit')].map(h => h.querySelector('.id')?.textContent).join(' ')",
        json!("MS08-067"),
    )
    .await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("product=Windows+Server+2008")
    );
    shot(&c, "product-facet").await;
}

const SELECTED_TAB: &str =
    "document.querySelector('#dossier [role=tab][aria-selected=true]')?.dataset.lang ?? null";

/// Every card opens something (a summary its month, whose bulletins open
/// their dossiers); a dossier links its KB and CVE ids out, lists where its
/// versions disagree, compares two versions side by side (kept in the
/// link) and opens in the language last chosen; a profile filters by year
/// and gives its titles in the chosen language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_card_opens_and_a_dossier_compares_two_languages() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let base = start_server().await;

    // A release range: the days typed are in the link, a chip each, and
    // the results are those released in it.
    c.goto(&format!("{base}/?q=Windows")).await.unwrap();
    wait_for(
        &c,
        "document.querySelector('#range-to') !== null",
        json!(true),
    )
    .await;
    c.execute(
        "const i = document.querySelector('#range-to'); i.value = '2007-03-31'; i.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    wait_for(
        &c,
        "[...document.querySelectorAll('#results .hit')].map(h => h.dataset.group).sort().join(',')",
        json!("MS07-004,MS07-JAN,MS07-MAR"),
    )
    .await;
    wait_for(
        &c,
        "document.querySelector('#chips [data-chip=to]')?.textContent ?? null",
        json!("Released to: 2007-03-31 ×"),
    )
    .await;
    assert_eq!(
        c.current_url().await.unwrap().query(),
        Some("q=Windows&to=2007-03-31")
    );

    // A summary's card opens its month: the bulletins it lists.
    c.goto(&format!("{base}/?q=sikkerhedsopdateringer&kind=summary"))
        .await
        .unwrap();
    click(&c, "#results .hit[data-group=MS07-APR]").await;
    wait_for(
        &c,
        "document.querySelector('#dossier h1')?.textContent ?? null",
        json!("Bulletins of MS07-APR"),
    )
    .await;
    wait_for(
        &c,
        "[...document.querySelectorAll('#dossier .listed tbody tr')].map(r => r.dataset.bulletin).join(',')",
        json!("MS07-017,MS07-018,MS07-019,MS07-020,MS07-021,MS07-022"),
    )
    .await;
    assert_eq!(
        c.current_url().await.unwrap().query(),
        Some("doc=MS07-APR&v=da")
    );
    shot(&c, "20-summary-month").await;
    click(&c, "#dossier .listed tbody tr a").await;
    wait_for(
        &c,
        "document.querySelector('#dossier h1')?.textContent ?? null",
        json!("MS07-017"),
    )
    .await;
    wait_for(&c, SELECTED_TAB, json!("da")).await;
    // The KB and the CVE link to their articles.
    wait_for(
        &c,
        "[...document.querySelectorAll('#dossier .facts a')].map(a => a.href).join(' ')",
        json!(
            "https://support.microsoft.com/kb/925902 https://www.cve.org/CVERecord?id=CVE-2006-5758"
        ),
    )
    .await;

    // The keyboard reaches the credit links, Tab after Tab.
    let mut reached = Value::Null;
    for _ in 0..80 {
        c.active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap(); // Tab
        reached = c
            .execute(
                "return document.activeElement.closest('#dossier table.credits') ? document.activeElement.textContent : null;",
                vec![],
            )
            .await
            .unwrap();
        if !reached.is_null() {
            break;
        }
    }
    assert_eq!(
        reached,
        json!("MS07-017"),
        "Tab never reached a credit link"
    );

    // Two versions side by side; the link keeps the comparison.
    c.execute(
        "const s = document.querySelector('#compare'); s.value = [...s.options].find(o => o.text === 'English')?.value; s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    const PANELS: &str = "[...document.querySelectorAll('#dossier [role=tabpanel] article')].map(a => a.dataset.lang + ':' + a.lang).join(',')";
    wait_for(&c, PANELS, json!("da:da-DK,en:en-US")).await;
    wait_for(
        &c,
        "new URLSearchParams(location.search).get('cmp')",
        json!("en"),
    )
    .await;
    shot(&c, "21-dossier-compare").await;
    let shared = c.current_url().await.unwrap();
    c.goto(shared.as_str()).await.unwrap();
    wait_for(&c, PANELS, json!("da:da-DK,en:en-US")).await;

    // Where the versions disagree, each value with the versions stating it.
    c.goto(&format!("{base}/?bulletin=MS07-053")).await.unwrap();
    wait_for(
        &c,
        "document.querySelector('#dossier .conflict li[data-field=kb_claimed]')?.textContent ?? null",
        json!("Main update: KB939778 in en · KB941522 in nb ms07-sep"),
    )
    .await;
    // A tab chosen is the language the next dossier opens in, across visits.
    click(&c, "#dossier [role=tab][data-lang=nb]").await;
    wait_for(&c, SELECTED_TAB, json!("nb")).await;
    c.goto(&format!("{base}/?bulletin=MS07-053")).await.unwrap();
    wait_for(&c, SELECTED_TAB, json!("nb")).await;
    click(&c, "#dossier [role=tab][data-lang=en]").await;
    c.goto(&format!("{base}/?bulletin=MS07-053")).await.unwrap();
    wait_for(&c, SELECTED_TAB, json!("en")).await;

    // A profile by year, its titles in the chosen language.
    c.execute(
        "localStorage.setItem('bulletin-search.lang', 'da');",
        vec![],
    )
    .await
    .unwrap();
    c.goto(&format!("{base}/?researcher=Alexander%20Sotirov"))
        .await
        .unwrap();
    const TITLE: &str = "[...document.querySelectorAll('#profile table.credits tbody td')].map(t => t.lang).filter(Boolean).join() + ' ' + document.querySelector('#profile table.credits tbody td:nth-child(6)')?.textContent";
    wait_for(
        &c,
        TITLE,
        json!("da Sårbarheder i GDI kan give mulighed for fjernudførelse af kode (925902)"),
    )
    .await;
    click(&c, "#profile .years [data-year='2007']").await;
    wait_for(
        &c,
        "document.querySelector('#profile h2:nth-of-type(2)')?.textContent ?? null",
        json!("Credits of 2007 (1 of 1)"),
    )
    .await;
    wait_for(
        &c,
        "new URLSearchParams(location.search).get('year')",
        json!("2007"),
    )
    .await;
    c.close().await.unwrap();
}

/// axe-core, from `target/axe` where `.ci/run` installs it (or `AXE_CORE`).
fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/axe/node_modules/axe-core/axe.min.js"));
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "axe-core is missing in CI ({}: {e}): .ci/run must install it",
                path.display()
            );
            eprintln!(
                "NOTICE: axe-core not found at {}: accessibility checks skipped",
                path.display()
            );
            None
        }
    }
}

/// Every view, at a desktop and a phone width: no axe-core violation of
/// impact moderate, serious or critical, and no page wider than the window.
/// Also prints the median time from the last keystroke to painted results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_passes_axe_at_desktop_and_phone_widths() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let base = start_server().await;
    // Each view, and what shows it is drawn.
    let views = [
        (
            "home",
            "/",
            "document.querySelector('#status').textContent.length > 0",
        ),
        (
            "search",
            "/?q=Windows",
            "document.querySelectorAll('#results .hit').length > 0",
        ),
        (
            "filtered",
            "/?q=Windows&lang=nl&kind=summary",
            "document.querySelectorAll('#chips .chip').length === 3",
        ),
        (
            "id-list",
            "/?q=KB925902%20KB938829%20KB999999",
            "document.querySelector('table.idlist') !== null",
        ),
        (
            "typing-id",
            "/?q=KB92",
            "document.querySelector('#status').textContent.startsWith('KB92')",
        ),
        (
            "dossier",
            "/?bulletin=MS07-053&v=nb&cmp=en",
            "document.querySelectorAll('#dossier [role=tabpanel] article').length === 2",
        ),
        (
            "summary",
            "/?doc=MS07-APR&v=da",
            "document.querySelector('#dossier .listed') !== null",
        ),
        (
            "researchers",
            "/?credits=sotirov",
            "document.querySelectorAll('#people-results .person').length > 0",
        ),
        (
            "profile",
            "/?researcher=Alexander%20Sotirov&year=2007",
            "document.querySelector('#profile table.credits') !== null",
        ),
        (
            "organisation",
            "/?org=Determina%20Security%20Research",
            "document.querySelector('#profile table.credits') !== null",
        ),
    ];
    for (width, height) in [(1366, 900), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        for (name, path, ready) in views {
            c.goto(&format!("{base}{path}")).await.unwrap();
            wait_for(&c, ready, json!(true)).await;
            wait_for(&c, "window.innerWidth", json!(width)).await;
            wait_for(
                &c,
                "document.documentElement.scrollWidth <= window.innerWidth + 1",
                json!(true),
            )
            .await;
            c.execute(
                "if (!window.axe) { const s = document.createElement('script'); s.textContent = arguments[0]; document.head.append(s); } return typeof window.axe;",
                vec![json!(axe)],
            )
            .await
            .unwrap();
            let found = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
                       .filter(v => v.impact !== 'minor')
                       .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(found, json!([]), "{name} at {width} px: {path}");
            shot(&c, &format!("axe-{width}-{name}")).await;
        }
    }

    // Keystroke to painted results: the time from the last key of a query
    // to the frame after its results replace the list.
    c.set_window_size(1366, 900).await.unwrap();
    c.goto(&base).await.unwrap();
    c.execute(
        "window.__lat = []; window.__t0 = 0;
         document.querySelector('#q').addEventListener('input', () => { window.__t0 = performance.now(); }, true);
         new MutationObserver(() => {
           const t = window.__t0;
           // Only the results of the whole query count, not of a prefix.
           if (!t || document.querySelector('#q').value !== window.__want || !document.querySelector('#results .hit')) return;
           window.__t0 = 0;
           requestAnimationFrame(() => window.__lat.push(performance.now() - t));
         }).observe(document.querySelector('#results'), { childList: true });",
        vec![],
    )
    .await
    .unwrap();
    let queries = [
        "KB925902",
        "sårbarheder",
        "Windows",
        "MS07-053",
        "GDI",
        "beveiligingslek",
        "939778",
        "Agent",
        "CSRSS",
        "kernel",
    ];
    for (i, q) in queries.iter().enumerate() {
        c.execute("window.__want = arguments[0];", vec![json!(q)])
            .await
            .unwrap();
        type_query(&c, q).await;
        wait_for(&c, "window.__lat.length", json!(i + 1)).await;
    }
    let lat = c.execute("return window.__lat;", vec![]).await.unwrap();
    let mut ms: Vec<f64> = lat
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "keystroke to painted results: median {:.0} ms, slowest {:.0} ms over {} queries (debounce included)",
        ms[ms.len() / 2],
        ms[ms.len() - 1],
        ms.len()
    );
    c.close().await.unwrap();
}
