// bulletin-search web page: search as you type, facets, bulletin dossiers,
// URL state (every view is a shareable link), keyboard use. No dependencies.
"use strict";

const $ = (sel) => document.querySelector(sel);
const FACETS = [["lang", "Language"], ["kind", "Kind"], ["severity", "Severity"], ["impact", "Impact"],
  ["product", "Product"], ["year", "Year"]];
// Every filter the URL and the API carry: the facets, and the release range.
const FILTERS = [...FACETS, ["from", "Released from"], ["to", "Released to"]];
// Facets with many values show their first few, the rest behind "more".
const FACET_SHOWN = 8;
// Each language's own name, from /api/stats (the server's one table of
// languages): a language added there needs no edit here.
const LANG_NAMES = { und: "?" };

let controller = null;   // the request in flight, cancelled by the next keystroke
let timer = null;        // debounce
// A pause this long in typing searches: short enough that results follow the
// keys (a search takes a few ms), long enough not to search every key of a word.
const DEBOUNCE_MS = 40;
let selected = -1;       // keyboard selection in the result list
let pushed = 0;           // views this page pushed: "back" stays on the site only over these
let shown = null;        // the results on screen: { q, hits, total, offset } (for "more" and Enter)

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function state() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get("q") || "", bulletin: p.get("bulletin") || "", doc: p.get("doc") || "", cmp: p.get("cmp") || "",
    credits: p.get("credits"),
    researcher: p.get("researcher") || "", org: p.get("org") || "", prefer: p.get("prefer_lang") || "",
    sort: p.get("sort") === "date" ? "date" : "", v: p.get("v") || "",
    per: /^\d{1,3}$/.test(p.get("per_page") || "") ? p.get("per_page") : "" };
  for (const [f] of FILTERS) s[f] = p.get(f) || "";
  return s;
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.bulletin || s.doc) {
    p.set(s.bulletin ? "bulletin" : "doc", s.bulletin || s.doc);
    if (s.v) p.set("v", s.v);
    if (s.cmp) p.set("cmp", s.cmp);
  } else if (s.researcher || s.org) {
    p.set(s.researcher ? "researcher" : "org", s.researcher || s.org);
    if (s.year) p.set("year", s.year);
  }
  else if (s.credits != null) p.set("credits", s.credits);
  else {
    if (s.q) p.set("q", s.q);
    for (const [f] of FILTERS) if (s[f]) p.set(f, s[f]);
    if (s.sort) p.set("sort", s.sort);
    if (s.per) p.set("per_page", s.per);
    if (s.prefer) p.set("prefer_lang", s.prefer);
  }
  const qs = p.toString();
  return qs ? "/?" + qs : "/";
}

function go(s, push, typing) {
  // A click or key that navigates wins over a search still waiting for the typing to pause.
  if (typing !== true) clearTimeout(timer);
  const url = urlOf(s);
  if (url !== location.pathname + location.search) {
    if (push) { history.pushState(null, "", url); pushed += 1; } else history.replaceState(null, "", url);
  }
  render(typing);
}

async function fetchJson(url, signal) {
  const r = await fetch(url, { signal, headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error(body && body.error ? body.error.message : `HTTP ${r.status}`);
  return body;
}

function setStatus(text, isError) {
  const s = $("#status");
  // A polite live region: announced only when what it says changes.
  if (s.textContent !== text) s.textContent = text;
  s.classList.toggle("error", !!isError);
}

// Draws the view the URL describes. `typing`: the URL changed because the
// user typed, so the search box already holds the query.
function render(typing) {
  const s = state();
  const view = s.bulletin || s.doc ? "dossier" : s.researcher || s.org ? "profile" : s.credits != null ? "people" : "search";
  if (typing !== true) $("#q").value = view === "people" ? s.credits : view === "search" ? s.q : $("#q").value;
  for (const v of ["search", "dossier", "people", "profile"]) $("#" + (v === "search" ? "search-view" : v)).hidden = v !== view;
  const researchers = view === "people" || view === "profile";
  $("#mode-bulletins").setAttribute("aria-pressed", String(!researchers));
  $("#mode-researchers").setAttribute("aria-pressed", String(researchers));
  $("#q").placeholder = researchers
    ? "A researcher or organisation: Tavis Ormandy, sotirov, iDefense   ( / )"
    : "KB925902, MS07-017, CVE-2007-0038 or words in any language   ( / )";
  if (view === "dossier" && s.doc) showDocument(s.doc, s.v || s.prefer || rememberedLang());
  else if (view === "dossier") showDossier(s.bulletin, s.v || s.prefer || rememberedLang());
  else if (view === "profile") showProfile(s.researcher ? "researchers" : "organisations", s.researcher || s.org);
  else if (view === "people") runCredits(s.credits);
  else runSearch(s);
}

async function runSearch(s) {
  if (controller) controller.abort();
  if (!s.q.trim()) {
    controller = null;
    $("#results").replaceChildren();
    $("#facets").replaceChildren();
    $("#chips").replaceChildren();
    setStatus("Type a KB number (925902), a bulletin id (MS07-017), a CVE id or words in any language.");
    document.title = "bulletin-search";
    restoreFocus();
    return;
  }
  $("#prefer").value = s.prefer;
  $("#sort").value = s.sort;
  const partial = partialId(s.q);
  if (partial) {
    // Half an id finds nothing useful: say what it is becoming instead.
    controller = null;
    shown = null;
    $("#results").replaceChildren();
    $("#facets").replaceChildren();
    $("#chips").replaceChildren();
    setStatus(partial);
    return;
  }
  controller = new AbortController();
  try {
    const r = await fetchJson("/api/search?" + searchParams(s, 0), controller.signal);
    retryDelay = 1000;
    document.title = `${s.q} – bulletin-search`;
    showResults(r, s);
  } catch (e) {
    if (e.name === "AbortError") return;
    if (unreachable(e)) { retryLater(); return; }
    $("#results").replaceChildren();
    $("#facets").replaceChildren();
    $("#chips").replaceChildren();
    setStatus(`Search failed: ${e.message}. Check the query and try again.`, true);
  }
}

// Results per page: 20, or the link's `per_page` (1–100).
function pageSize(s) {
  const n = Number(s.per);
  return n >= 1 && n <= 100 ? n : 20;
}

function searchParams(s, offset) {
  const p = new URLSearchParams({ q: s.q, limit: String(pageSize(s)) });
  if (offset) p.set("offset", String(offset));
  for (const [f] of FILTERS) if (s[f]) p.set(f, s[f]);
  if (s.sort) p.set("sort", s.sort);
  if (s.prefer) p.set("prefer_lang", s.prefer);
  return p;
}

// What a query that is the start of an id is becoming, or "" for a query to search.
function partialId(q) {
  const t = q.trim();
  if (t.length === 1 && !/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(t)) return "Keep typing: one letter finds nothing useful.";
  if (/^(kb|q)\s?\d{0,5}$/i.test(t) || (/^\d{1,5}$/.test(t))) return `${t}…: a KB number (6 or 7 digits), keep typing.`;
  if (/^ms(\d{0,2}|\d\d-\d{0,1})$/i.test(t)) return `${t}…: a bulletin id (MSyy-nnn) or a month's summary (MSyy-mmm), keep typing.`;
  if (/^ms\d\d-[a-z]{1,2}$/i.test(t)) return `${t}…: a month's summary (MSyy-mmm, e.g. MS07-APR), keep typing.`;
  if (/^cve(-\d{0,4}(-\d{0,3})?)?$/i.test(t)) return `${t}…: a CVE id (CVE-yyyy-nnnn), keep typing.`;
  return "";
}

// The server did not answer at all (not an error answer): the results on
// screen stay, and the search is tried again, 1 s, 2 s, 4 s … 30 s apart.
let retryDelay = 1000;
let retryTimer = null;
function unreachable(e) {
  return e instanceof TypeError;
}
function retryLater() {
  setStatus(`Server unreachable: trying again in ${Math.round(retryDelay / 1000)} s. The results shown are from before.`, true);
  clearTimeout(retryTimer);
  const url = location.href;
  retryTimer = setTimeout(() => { if (location.href === url) render(); }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30000);
}

function showResults(r, s) {
  shown = { q: s.q, hits: r.hits, total: r.total };
  if (r.ids) { showIdList(r, s); return; }
  const warn = r.warnings && r.warnings.length ? ` (${r.warnings.join("; ")})` : "";
  if (r.total === 0) {
    setStatus(`No results for “${s.q}”${warn}. Try fewer words, another spelling, or remove a filter.`);
  } else {
    const where = s.lang ? `searched in ${LANG_NAMES[s.lang] || s.lang}` : "searched in every language";
    const read = r.query_lang ? ` · query read as ${LANG_NAMES[r.query_lang] || r.query_lang}, ${where}` : "";
    setStatus(`${r.total} result${r.total === 1 ? "" : "s"} in ${r.took_ms.toFixed(1)} ms${read}${warn}`);
  }
  selected = -1;
  $("#results").replaceChildren(...r.hits.map(hitCard));
  moreButton(s);
  showFacets(r.facets || {}, s);
  restoreFocus();
}

// "Show more": the next page of results, appended.
function moreButton(s) {
  const left = shown.total - shown.hits.length;
  if (left <= 0) return;
  const button = el("button", { type: "button", class: "more", text: `Show ${Math.min(pageSize(s), left)} more (${left} left)` });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const r = await fetchJson("/api/search?" + searchParams(s, shown.hits.length));
      shown.hits.push(...r.hits);
      button.parentElement.remove();
      $("#results").append(...r.hits.map(hitCard));
      moreButton(s);
    } catch (e) {
      button.disabled = false;
      setStatus(`Could not load more: ${e.message}.`, true);
    }
  });
  $("#results").append(el("li", { class: "more-row" }, button));
}

// A query of ids only: one row per id, in the order given, with the ids nothing answers.
function showIdList(r, s) {
  const missing = r.ids.filter((row) => row.hit == null);
  setStatus(`${r.ids.length} ids: ${r.ids.length - missing.length} found${missing.length ? `, ${missing.length} not found (${missing.map((m) => m.id).join(", ")})` : ""}`);
  const rows = r.ids.map((row) => {
    const h = row.hit == null ? null : r.hits[row.hit];
    if (!h) return el("tr", { class: "missing" }, el("td", { text: row.id }), el("td", { colspan: "5", text: "not found" }));
    const target = h.bulletin_id ? { bulletin: h.bulletin_id, v: h.lang } : { doc: h.group, v: h.lang };
    return el("tr", {},
      el("td", { text: row.id }),
      el("td", {}, el("a", { href: urlOf(target), onclick: (e) => { e.preventDefault(); go(target, true); }, text: h.bulletin_id || h.doc_id })),
      el("td", { text: h.kb ? "KB" + h.kb : "" }),
      el("td", {}, h.severity ? el("span", { class: `badge sev ${h.severity}`, text: h.severity }) : ""),
      el("td", { text: h.released || h.published || "" }),
      el("td", { lang: tagOf(h), text: h.title }));
  });
  const head = el("tr", {}, ...["Id", "Answer", "Main KB", "Severity", "Released", "Title"].map((t) => el("th", { text: t })));
  const table = el("table", { class: "idlist" }, el("thead", {}, head), el("tbody", {}, ...rows));
  const exportAs = (kind) => {
    const records = r.ids.map((row) => {
      const h = row.hit == null ? null : r.hits[row.hit];
      return { id: row.id, found: !!h, bulletin_id: h ? h.bulletin_id || "" : "", doc_id: h ? h.doc_id : "",
        kb: h && h.kb ? "KB" + h.kb : "", severity: h ? h.severity || "" : "", released: h ? h.released || h.published || "" : "",
        title: h ? h.title : "", lang: h ? h.lang : "" };
    });
    const quote = (v) => /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
    const text = kind === "json" ? JSON.stringify(records, null, 2)
      : [Object.keys(records[0]).join(","), ...records.map((x) => Object.values(x).map(quote).join(","))].join("\n") + "\n";
    const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: kind === "json" ? "application/json" : "text/csv" })),
      download: `bulletin-search-ids.${kind}` });
    document.body.append(a);
    a.click();
    a.remove();
  };
  const tools = el("div", { class: "export" },
    el("button", { type: "button", id: "export-csv", text: "Export CSV", onclick: () => exportAs("csv") }),
    el("button", { type: "button", id: "export-json", text: "Export JSON", onclick: () => exportAs("json") }));
  selected = -1;
  $("#results").replaceChildren(el("li", { class: "idlist-row" }, tools, el("div", { class: "scroll" }, table)));
  $("#facets").replaceChildren();
  showChips(s);
}

function hitCard(h) {
  const head = el("div", { class: "head" },
    el("span", { class: "id", text: h.bulletin_id || h.kind }),
    h.kb ? el("span", { class: "badge kb", text: "KB" + h.kb }) : null,
    h.severity ? el("span", { class: `badge sev ${h.severity}`, text: h.severity }) : null,
    (h.released || h.published) ? el("span", { class: "badge date", text: h.released || h.published }) : null);
  // Every language the bulletin exists in; the shown one outlined, the ones that matched filled.
  const langs = (h.languages && h.languages.length ? h.languages : [h.lang]);
  const matched = new Set(h.matched_languages || [h.lang]);
  for (const l of langs) {
    const how = matched.has(l) ? "matched the query" : "also in this language";
    head.append(el("span", { class: "badge lang" + (l === h.lang ? " current" : "") + (matched.has(l) ? " matched" : ""),
      title: `${LANG_NAMES[l] || l}: ${how}`, text: l }));
  }
  const snippet = el("div", { class: "snippet", lang: tagOf(h) });
  snippet.innerHTML = h.snippet; // server-escaped text with <mark> only
  const li = el("li", { class: "hit", tabindex: "0", "data-bulletin": h.bulletin_id || "", "data-group": h.group, "data-lang": h.lang },
    head, el("div", { class: "title", lang: tagOf(h), text: h.title }), snippet,
    el("div", { class: "path", text: h.doc_id }));
  li.hit = h;
  li.addEventListener("click", () => open(h));
  return li;
}

// Every card opens something: a bulletin its dossier, a summary its month
// (the bulletins it lists), an advisory or other page its own view.
function open(h) {
  lastOpened = h.group;
  if (h.bulletin_id) go({ bulletin: h.bulletin_id, v: h.lang }, true);
  else go({ doc: h.group, v: h.lang }, true);
}

// A facet value as the page writes it.
function facetLabel(f, k) {
  return f === "lang" ? `${LANG_NAMES[k] || k} (${k})` : f === "impact" ? impactLabel(k) : k;
}

function facetButton(f, k, count, s) {
  const active = s[f] === k;
  return el("button", {
    type: "button", "aria-pressed": String(active), "data-facet": f, "data-value": k,
    onclick: () => go({ ...state(), [f]: active ? "" : k }, true),
  }, el("span", { text: facetLabel(f, k), lang: f === "lang" && k !== "und" ? k : "" }), el("span", { class: "count", text: String(count) }));
}

function showFacets(facets, s) {
  const groups = [];
  for (const [f, label] of FACETS) {
    const counts = facets[f] || {};
    const keys = Object.keys(counts).sort((a, b) => f === "year" ? b.localeCompare(a) : counts[b] - counts[a]);
    if (!keys.length) continue;
    const g = el("div", { class: "group" }, el("h2", { text: label }));
    const many = f === "product" && keys.length > FACET_SHOWN;
    // The value picked stays in sight, first.
    if (many && s[f]) keys.sort((a, b) => (b === s[f]) - (a === s[f]));
    for (const [i, k] of keys.entries()) {
      const active = s[f] === k;
      if (many && i === FACET_SHOWN && !active) {
        const rest = keys.slice(i).filter((x) => x !== s[f]);
        g.append(el("button", { type: "button", class: "facet-more", text: `${rest.length} more…`, onclick: (e) => {
          e.currentTarget.remove();
          for (const r of rest) g.append(facetButton(f, r, counts[r], s));
        } }));
        break;
      }
      g.append(facetButton(f, k, counts[k], s));
    }
    groups.push(g);
  }
  $("#facets").replaceChildren(releaseRange(s), ...groups);
  showChips(s);
}

// The release range: two days (a typed year or month also reads, as the API takes them).
function releaseRange(s) {
  const input = (f, label) => {
    const box = el("input", { type: "date", id: `range-${f}`, min: "1998-01-01", max: "2017-12-31", value: s[f] });
    box.addEventListener("change", () => go({ ...state(), [f]: box.value }, true));
    return el("label", { for: `range-${f}` }, el("span", { text: label }), box);
  };
  return el("div", { class: "group range" }, el("h2", { text: "Released" }), input("from", "From"), input("to", "To"));
}

// The active filters as chips, each removable, and "clear all".
function showChips(s) {
  const active = FILTERS.filter(([f]) => s[f]);
  const chips = active.map(([f, label]) => {
    const shown = `${label}: ${f === "lang" ? LANG_NAMES[s[f]] || s[f] : facetLabel(f, s[f])}`;
    // The name said is the text shown, then what a press does.
    return el("button", {
      type: "button", class: "chip", "data-chip": f, "aria-label": `${shown} (remove this filter)`,
      onclick: () => go({ ...state(), [f]: "" }, true),
    }, document.createTextNode(`${shown} ×`));
  });
  if (active.length > 1) {
    const cleared = Object.fromEntries(FILTERS.map(([f]) => [f, ""]));
    chips.push(el("button", { type: "button", class: "chip clear", id: "clear-filters", text: "Clear all",
      onclick: () => go({ ...state(), ...cleared }, true) }));
  }
  $("#chips").replaceChildren(...chips);
  $("#filters-toggle").textContent = active.length ? `Filters (${active.length})` : "Filters";
}

// The language a dossier opens in when the link names none: the one the
// user last chose, remembered across visits.
const LANG_KEY = "bulletin-search.lang";
function rememberedLang() {
  try { return localStorage.getItem(LANG_KEY) || ""; } catch { return ""; }
}
function rememberLang(l) {
  try { if (l) localStorage.setItem(LANG_KEY, l); } catch { /* private mode: not remembered */ }
}

// The BCP 47 tag a text is marked with: its locale where it is the text's
// language (zh-tw → zh-TW, so the font for Traditional Chinese is chosen),
// else its language.
function tagOf(v) {
  const m = /^([a-z]{2,3})-([a-z]{2,4})$/i.exec(v.locale || "");
  if (m && m[1].toLowerCase() === v.lang) return `${m[1].toLowerCase()}-${m[2].toUpperCase()}`;
  return v.lang && v.lang !== "und" ? v.lang : "";
}

// Impact codes as words: remote-code-execution → Remote code execution.
function impactLabel(code) {
  const words = String(code).replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Links out: a KB number to its support article, a CVE id to its record.
function kbLink(kb) {
  return el("a", { class: "link", href: `https://support.microsoft.com/kb/${kb}`, rel: "noopener external", text: "KB" + kb });
}
function cveLink(id) {
  return el("a", { class: "link", href: `https://www.cve.org/CVERecord?id=${encodeURIComponent(id)}`, rel: "noopener external", text: id });
}
function joined(nodes, sep = ", ") {
  const span = el("span");
  nodes.forEach((n, i) => { if (i) span.append(sep); span.append(n); });
  return nodes.length ? span : document.createTextNode("—");
}

// A version named for a list of who states what: its language, and for a
// summary's entry the summary's file (`da ms08-sep`).
function versionName(v) {
  const file = (v.path || "").split("/").pop().replace(/\.(md|markdown|txt)$/i, "");
  return v.origin === "file" ? v.lang : `${v.lang} ${file}`;
}

// Where the versions disagree (main KB, severity, date stated), each value
// with the versions that state it; the majority is what the facts show.
function disagreements(d) {
  const rows = [];
  for (const [key, label, fmt] of [["kb_claimed", "Main update", (k) => "KB" + k], ["severity", "Severity", (x) => x],
    ["published", "Date stated", (x) => x]]) {
    const by = new Map();
    for (const v of d.versions) {
      if (!v[key]) continue;
      if (!by.has(v[key])) by.set(v[key], []);
      by.get(v[key]).push(versionName(v));
    }
    if (by.size < 2) continue;
    const values = [...by.entries()].sort((a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0])));
    // The most stated value by its count, the others by who states them.
    const said = ([x, who], i) => `${fmt(x)} in ${i === 0 && who.length > 4 ? `${who.length} versions` : who.join(", ")}`;
    rows.push(el("li", { "data-field": key }, el("strong", { text: `${label}: ` }),
      document.createTextNode(values.map(said).join(" · "))));
  }
  if (!rows.length) return null;
  const dates = rows.some((r) => r.dataset.field === "published")
    ? " Pages of some locales state their local date, the day after the release; the release date above is the day that explains every version's date." : "";
  return el("div", { class: "conflict", role: "note" },
    el("p", { text: `The versions disagree. The facts above are the majority's; each value below with the versions stating it.${dates}` }),
    el("ul", {}, ...rows));
}

// The version to show first: the language or locale asked for (`nb`,
// `zh-TW`; a locale before its language's other versions, its own file
// before a summary's entry), else the browser's, else the first.
function firstVersion(versions, wanted) {
  const asked = [String(wanted || ""), navigator.language || ""].map((w) => w.toLowerCase()).filter(Boolean);
  for (const w of asked) {
    const byLocale = (v) => (v.locale || "").toLowerCase() === w;
    const byLang = (v) => v.lang === w.split("-")[0];
    for (const match of [byLocale, byLang]) {
      const i = versions.findIndex((v) => match(v) && (v.origin || "file") === "file");
      if (i >= 0) return i;
      const j = versions.findIndex(match);
      if (j >= 0) return j;
    }
  }
  return 0;
}

// A version's name on its tab: its language, and for a summary's entry
// which summary (a bulletin can be in two months' summaries).
function tabLabel(v) {
  const name = LANG_NAMES[v.lang] || v.lang;
  if (v.origin === "file" || !v.origin) return name;
  const file = (v.path || "").split("/").pop().replace(/\.(md|markdown|txt)$/i, "");
  return `${name} (summary ${file})`;
}

// One version's text, marked with its language.
function versionBlock(v, body) {
  return el("article", { class: "version", lang: tagOf(v), "data-lang": v.lang },
    el("h2", { text: v.title }), ...body(v));
}

// Tabs over the versions, and a second version beside the first to compare
// (`cmp=` in the link); the chosen tab is in the link and remembered.
function versionTabs(versions, wanted, body) {
  const tabs = el("div", { class: "tabs", role: "tablist", "aria-label": "Language versions" });
  const panel = el("div", { role: "tabpanel", class: "panel" });
  const compare = el("select", { id: "compare" },
    el("option", { value: "", text: "no other version" }),
    ...versions.map((v, i) => el("option", { value: String(i), text: tabLabel(v) })));
  let current = 0;
  const draw = () => {
    const v = versions[current];
    for (const [j, b] of [...tabs.children].entries()) {
      b.setAttribute("aria-selected", String(j === current));
      b.tabIndex = j === current ? 0 : -1;
    }
    panel.setAttribute("lang", tagOf(v));
    const other = compare.value === "" ? null : versions[Number(compare.value)];
    panel.classList.toggle("side-by-side", !!other);
    panel.replaceChildren(...[versionBlock(v, body), other && versionBlock(other, body)].filter(Boolean));
    groupRowsIn(v);
  };
  const choose = (i, remember) => {
    current = i;
    if (remember) {
      rememberLang(versions[i].lang);
      history.replaceState(null, "", urlOf({ ...state(), v: versions[i].lang }));
    }
    draw();
  };
  versions.forEach((v, i) => tabs.append(el("button", {
    type: "button", role: "tab", "data-lang": v.lang, lang: tagOf(v),
    text: tabLabel(v), onclick: () => choose(i, true),
  })));
  // Arrow keys move between the tabs, as a tab list does.
  tabs.addEventListener("keydown", (e) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    choose((current + step + versions.length) % versions.length, true);
    tabs.children[current].focus();
  });
  compare.addEventListener("change", () => {
    const other = compare.value === "" ? "" : versions[Number(compare.value)].lang;
    history.replaceState(null, "", urlOf({ ...state(), cmp: other }));
    draw();
  });
  current = firstVersion(versions, wanted);
  const cmp = state().cmp;
  if (cmp) {
    const j = versions.findIndex((v, i) => v.lang === cmp && i !== current);
    if (j >= 0) compare.value = String(j);
  }
  draw();
  return [el("div", { class: "tab-row" }, tabs, el("label", { class: "compare" }, "Compare with ", compare)), panel];
}

// Loads a view's data into `box` (the request before it cancelled), saying
// so meanwhile; on failure says why, and gives null.
async function loadView(box, url, name) {
  if (controller) controller.abort();
  controller = new AbortController();
  box.replaceChildren(el("p", { text: `Loading ${name}…` }));
  try {
    return await fetchJson(url, controller.signal);
  } catch (e) {
    if (e.name !== "AbortError") {
      box.replaceChildren(backButton(), el("p", { class: "error", text: `Could not load ${name}: ${e.message}` }));
    }
    return null;
  }
}

async function showDossier(id, wanted) {
  const box = $("#dossier");
  const d = await loadView(box, "/api/bulletins/" + encodeURIComponent(id), id);
  if (!d) return;
  document.title = `${d.bulletin_id} – bulletin-search`;
  const latest = el("dd", { id: "chain-latest", text: "…" });
  const facts = el("dl", { class: "facts" },
    el("dt", { text: "Main update" }), el("dd", {}, d.kb ? kbLink(d.kb) : "—"),
    el("dt", { text: "Severity" }), el("dd", {}, d.severity ? el("span", { class: `badge sev ${d.severity}`, text: d.severity }) : "—"),
    el("dt", { text: "Impact" }), el("dd", { text: d.impacts.map(impactLabel).join(", ") || "—" }),
    el("dt", { text: "Released" }), el("dd", { text: d.released || d.published || "—" }),
    el("dt", { text: "CVE ids" }), el("dd", {}, joined(d.cves.map(cveLink))),
    d.products.length ? null : el("dt", { text: "Affected software" }),
    d.products.length ? null : el("dd", { text: d.affected.join("; ") || "—" }),
    el("dt", { text: "Languages" }), el("dd", { text: d.languages.map((l) => LANG_NAMES[l] || l).join(", ") }),
    d.superseded_by.length ? el("dt", { text: "Latest in its chain" }) : null, d.superseded_by.length ? latest : null);
  const body = (v) => [
    el("p", { text: v.summary || "" }),
    el("dl", {},
      el("dt", { text: "Source file" }), el("dd", { class: "path", text: `${v.origin === "file" ? "bulletin" : "monthly summary"} · ${v.path}` }),
      el("dt", { text: "Locale" }), el("dd", { text: v.locale || "—" }),
      el("dt", { text: "Severity stated" }), el("dd", { text: v.severity || "—" }),
      el("dt", { text: "KB stated" }), el("dd", {}, v.kb_claimed ? kbLink(v.kb_claimed) : "—"),
      el("dt", { text: "Dates" }), el("dd", { text: [v.published, v.updated].filter(Boolean).join(" · updated ") || "—" })),
    v.acknowledgments.length ? el("h3", { text: "Acknowledgments" }) : null,
    v.acknowledgments.length ? el("ul", {}, ...v.acknowledgments.map((a) => el("li", { text: a }))) : null];
  const credits = d.credits.length ? el("div", {}, el("h2", { text: "Credits" }), creditTable(d.credits, false)) : null;
  box.replaceChildren(...[backButton(), el("h1", { text: d.bulletin_id }), facts, disagreements(d),
    el("h2", { class: "versions-head", text: `Versions (${d.versions.length})` }), ...versionTabs(d.versions, wanted, body),
    productSection(d), supersedence(d), credits].filter(Boolean));
  groupRowsIn(d.versions[firstVersion(d.versions, wanted)]);
  if (d.superseded_by.length) fillLatest(d.bulletin_id, latest);
}

// The ends of the bulletin's supersedence chain, from /api/chain: the
// bulletins that replace it (directly or not) and are replaced by none.
// Over all its products these are many for an Office or Windows bulletin:
// past five they wait behind a disclosure.
async function fillLatest(id, dd) {
  try {
    const c = await fetchJson("/api/chain/" + encodeURIComponent(id));
    const ends = (c.latest || []).map((b) => bulletinLink(b));
    if (ends.length <= 5) { dd.replaceChildren(joined(ends)); return; }
    dd.replaceChildren(el("details", {}, el("summary", { text: `${ends.length} bulletins, over all its products` }), joined(ends)));
  } catch {
    dd.textContent = "—";
  }
}

// A summary (its month: the bulletins it lists), an advisory or another page.
async function showDocument(group, wanted) {
  const box = $("#dossier");
  const d = await loadView(box, "/api/documents/" + encodeURIComponent(group), group);
  if (!d) return;
  const versions = d.versions;
  const first = versions[firstVersion(versions, wanted)];
  const heading = d.kind === "summary" ? `Bulletins of ${d.group}` : d.kind === "advisory" ? `Advisory ${d.group}` : first.title;
  document.title = `${heading} – bulletin-search`;
  const facts = el("dl", { class: "facts" },
    el("dt", { text: "Kind" }), el("dd", { text: d.kind }),
    el("dt", { text: "Released" }), el("dd", { text: d.released || "—" }),
    el("dt", { text: "Languages" }), el("dd", { text: d.languages.map((l) => LANG_NAMES[l] || l).join(", ") }));
  const body = (v) => [
    v.summary ? el("p", { text: v.summary }) : null,
    el("dl", {},
      el("dt", { text: "Source file" }), el("dd", { class: "path", text: v.path }),
      el("dt", { text: "Dates" }), el("dd", { text: [v.published, v.updated].filter(Boolean).join(" · updated ") || "—" })),
    el("div", { class: "opening", tabindex: "0", role: "region", "aria-label": "The opening of the page", text: v.text })];
  let listed = null;
  if (d.bulletins.length) {
    const lang = first.lang;
    const rows = d.bulletins.map((b) => {
      const titleLang = b.titles[lang] ? lang : Object.keys(b.titles)[0];
      return el("tr", { "data-bulletin": b.bulletin_id },
        el("td", {}, el("a", { href: urlOf({ bulletin: b.bulletin_id, v: lang }), class: "link",
          onclick: (e) => { e.preventDefault(); go({ bulletin: b.bulletin_id, v: lang }, true); }, text: b.bulletin_id })),
        el("td", { lang: titleLang, text: b.titles[titleLang] || "" }),
        el("td", {}, b.kb ? kbLink(b.kb) : "—"),
        el("td", {}, b.severity ? el("span", { class: `badge sev ${b.severity}`, text: b.severity }) : "—"));
    });
    listed = el("div", { class: "listed" }, el("h2", { text: `Bulletins (${d.bulletins.length})` }),
      el("div", { class: "scroll" }, el("table", { class: "products" },
        el("thead", {}, el("tr", {}, ...["Bulletin", "Title", "Update", "Severity"].map((t) => el("th", { scope: "col", text: t })))),
        el("tbody", {}, ...rows))));
  }
  box.replaceChildren(...[backButton(), el("h1", { text: heading }), facts, listed,
    el("h2", { class: "versions-head", text: `Versions (${versions.length})` }), ...versionTabs(versions, wanted, body)].filter(Boolean));
}

// A link to another bulletin's dossier.
function bulletinLink(id) {
  return el("a", { href: urlOf({ bulletin: id }), class: "bulletin-link", onclick: (e) => { e.preventDefault(); go({ bulletin: id }, true); }, text: id });
}

// The product table's group rows as the open version's locale writes
// them; where it writes none, as most locales do, marked with the language
// of a locale that writes it so.
function groupRowsIn(v) {
  for (const th of document.querySelectorAll("#dossier tr.group-row th")) {
    const groups = th.groups || {};
    const own = groups[v.locale];
    th.textContent = own || th.fallback;
    const whose = own ? v.locale : Object.keys(groups).find((l) => groups[l] === th.fallback);
    const tag = whose ? tagOf({ locale: whose, lang: whose.split("-")[0].toLowerCase() }) : "";
    if (tag) th.setAttribute("lang", tag); else th.removeAttribute("lang");
  }
}

// The affected software as a table: one row per product (under its group
// row), its update's KB, impact, severity and what it replaces.
function productSection(d) {
  if (!d.products.length) return null;
  const head = el("tr", {}, ...["Product", "Update", "Impact", "Severity", "Replaces"].map((t) => el("th", { scope: "col", text: t })));
  const body = el("tbody");
  let group = null;
  for (const r of d.products) {
    if (r.group && r.group !== group) {
      group = r.group;
      const th = el("th", { colspan: "5", scope: "rowgroup", text: group });
      th.groups = r.groups || {};
      th.fallback = group;
      body.append(el("tr", { class: "group-row" }, th));
    }
    const replaces = el("td");
    if (r.replaces.length) r.replaces.forEach((x, i) => {
      if (i) replaces.append(document.createTextNode(", "));
      replaces.append(bulletinLink(x.bulletin));
      if (x.kb) replaces.append(document.createTextNode(` (KB${x.kb})`));
    });
    else replaces.textContent = "—";
    const product = el("td", {}, el("span", { text: r.product }));
    if (r.component) product.append(el("div", { class: "component", text: r.component }));
    if (r.conflicts && r.conflicts.length) product.append(el("div", { class: "conflict-note", text: `versions disagree: ${r.conflicts.join("; ")}` }));
    body.append(el("tr", { "data-product": r.product },
      product,
      el("td", { class: "kb" }, joined(r.kbs.map(kbLink))),
      el("td", { text: r.impact ? impactLabel(r.impact) : "—" }),
      el("td", {}, r.severity ? el("span", { class: `badge sev ${r.severity}`, text: r.severity }) : "—"),
      replaces));
  }
  const parts = [el("h2", { text: `Affected software (${d.products.length})` }),
    el("div", { class: "scroll" }, el("table", { class: "products" }, el("thead", {}, head), body))];
  if (d.not_affected.length) parts.push(el("p", { class: "not-affected", text: `Not affected: ${d.not_affected.join("; ")}` }));
  return el("div", { class: "products-section" }, ...parts);
}

// What the bulletin replaces and what replaced it, each a link, with the
// products the replacement is stated for.
function supersedence(d) {
  if (!d.supersedes.length && !d.superseded_by.length) return null;
  const line = (label, edges) => {
    if (!edges.length) return null;
    const dd = el("dd");
    edges.forEach((s, i) => {
      if (i) dd.append(el("br"));
      dd.append(bulletinLink(s.bulletin));
      if (s.kb) dd.append(document.createTextNode(` (KB${s.kb})`));
      dd.append(el("span", { class: "for", text: s.products.length ? ` — for ${s.products.join("; ")}` : " — the whole bulletin" }));
    });
    return [el("dt", { text: label }), dd];
  };
  return el("div", { class: "supersedence" }, el("h2", { text: "Supersedence" }),
    el("dl", {}, ...(line("Replaces", d.supersedes) || []), ...(line("Replaced by", d.superseded_by) || [])));
}

function backButton() {
  return el("button", { type: "button", class: "back", text: "← Back to results", onclick: back });
}

// Back to where the user came from on this site; from a shared link, to the search page.
// Focus comes back with the results: to the card that was opened, else the box.
function back() {
  refocus = lastOpened;
  if (pushed > 0) { pushed -= 1; history.back(); } else go({}, true);
}
let refocus = null;
let lastOpened = "";
function restoreFocus() {
  if (refocus === null) return;
  const card = [...document.querySelectorAll("#results .hit")].find((h) => refocus && h.dataset.group === refocus);
  (card || $("#q")).focus();
  refocus = null;
}

function moveSelection(delta) {
  const items = [...document.querySelectorAll("#results .hit")];
  if (!items.length) return;
  selected = Math.max(0, Math.min(items.length - 1, selected + delta));
  items.forEach((it, i) => it.classList.toggle("selected", i === selected));
  items[selected].focus();
  items[selected].scrollIntoView({ block: "nearest" });
}

function researcherMode() {
  return $("#mode-researchers").getAttribute("aria-pressed") === "true";
}
function fromBox() {
  if (researcherMode()) return { credits: $("#q").value };
  const s = state();
  // A profile's year is no search filter.
  if (s.researcher || s.org) s.year = "";
  return { ...s, q: $("#q").value, bulletin: "", doc: "", cmp: "", v: "", credits: null, researcher: "", org: "" };
}
$("#q").addEventListener("input", () => {
  clearTimeout(timer);
  if (controller) controller.abort();
  timer = setTimeout(() => go(fromBox(), false, true), DEBOUNCE_MS);
});
// A column pasted from a spreadsheet: its line breaks and tabs become spaces
// (an input drops line breaks, gluing the ids together).
$("#q").addEventListener("paste", (e) => {
  const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
  if (!/[\r\n\t]/.test(text)) return;
  e.preventDefault();
  const q = $("#q");
  q.setRangeText(text.replace(/[\r\n\t]+/g, " ").trim(), q.selectionStart, q.selectionEnd, "end");
  q.dispatchEvent(new Event("input"));
});
$("#form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  // Enter on results already shown for this query opens the highlighted one, else the top one.
  if (!researcherMode() && shown && shown.q === $("#q").value && shown.hits.length && !state().bulletin) {
    const h = shown.hits[Math.max(0, selected)];
    if (h) { open(h); return; }
  }
  go(fromBox(), true);
});
$("#mode-researchers").addEventListener("click", () => { $("#q").value = ""; go({ credits: "" }, true); $("#q").focus(); });
$("#mode-bulletins").addEventListener("click", () => { $("#q").value = ""; go({}, true); $("#q").focus(); });
$("#home").addEventListener("click", (e) => { e.preventDefault(); $("#q").value = ""; go({}, true); });
document.addEventListener("keydown", (e) => {
  const inInput = document.activeElement === $("#q");
  if (e.key === "/" && !inInput) { e.preventDefault(); $("#q").focus(); $("#q").select(); return; }
  if (e.key === "Escape" && (state().bulletin || state().doc || state().researcher || state().org)) { back(); return; }
  if ($("#search-view").hidden) return;
  if (e.key === "ArrowDown") { e.preventDefault(); moveSelection(1); }
  else if (e.key === "ArrowUp") { e.preventDefault(); moveSelection(-1); }
  else if (e.key === "Enter" && !inInput) {
    const item = document.activeElement && document.activeElement.closest ? document.activeElement.closest("#results .hit") : null;
    if (item && item.hit) open(item.hit);
  }
});
async function runCredits(q) {
  if (controller) controller.abort();
  const status = $("#people-status");
  status.classList.remove("error");
  if (!q || !q.trim()) {
    controller = null;
    $("#people-results").replaceChildren();
    status.textContent = "Type a researcher (Tavis Ormandy, sotirov), an organisation (iDefense) or a bulletin id.";
    return;
  }
  controller = new AbortController();
  try {
    const r = await fetchJson("/api/credits?" + new URLSearchParams({ q, limit: "50" }), controller.signal);
    status.textContent = r.total ? `${r.total} researcher${r.total === 1 ? "" : "s"} or organisation${r.total === 1 ? "" : "s"}` : `No credits for “${q}”. Try part of the name or another spelling.`;
    $("#people-results").replaceChildren(...r.researchers.map(personCard));
  } catch (e) {
    if (e.name === "AbortError") return;
    $("#people-results").replaceChildren();
    status.textContent = `Search failed: ${e.message}.`;
    status.classList.add("error");
  }
}

function personCard(p) {
  const orgOnly = !p.researcher;
  const name = orgOnly ? (p.organisations[0] || "—") : p.researcher;
  const bulletins = [...new Set(p.credits.map((c) => c.bulletin_id || (c.advisory && `Advisory ${c.advisory}`)).filter(Boolean))];
  const li = el("li", { class: "person", tabindex: "0", "data-name": name },
    el("div", {}, el("span", { class: "name", text: name }), el("span", { class: "badge", text: `${p.count} credit${p.count === 1 ? "" : "s"}` })),
    p.organisations.length && !orgOnly ? el("div", { class: "orgs", text: p.organisations.slice(0, 4).join(" · ") }) : null,
    el("div", { class: "bulletins", text: bulletins.slice(0, 12).join(" ") + (bulletins.length > 12 ? " …" : "") }));
  li.addEventListener("click", () => go(orgOnly ? { org: name } : p.researcher === "anonymous" ? { credits: "anonymous" } : { researcher: name }, true));
  return li;
}

function creditTable(credits, showResearcher, titleLang) {
  const link = (text, target) => text
    ? el("a", { class: "link", href: urlOf(target), text, onclick: (e) => { e.preventDefault(); go(target, true); } })
    : document.createTextNode("—");
  const rows = credits.map((c) => el("tr", {},
    el("td", {}, c.bulletin_id ? link(c.bulletin_id, { bulletin: c.bulletin_id })
      : c.advisory ? link(`Advisory ${c.advisory}`, { q: c.advisory }) : document.createTextNode("—")),
    el("td", {}, c.anonymous ? document.createTextNode("anonymous") : link(c.researcher, { researcher: c.researcher })),
    el("td", {}, link(c.organisation, { org: c.organisation })),
    el("td", { text: c.partner || "" }),
    el("td", { text: c.cves.join(" ") }),
    showResearcher ? el("td", { text: c.title, lang: titleLang || "" }) : null,
    el("td", { text: c.locales.join(" ") })));
  const head = el("tr", {}, ...["Bulletin", "Researcher", "Organisation", "Working with", "CVE", showResearcher ? "Title" : null, "Seen in"]
    .filter(Boolean).map((h) => el("th", { text: h })));
  // Wide tables scroll inside themselves on a narrow screen, not the page.
  return el("div", { class: "scroll" }, el("table", { class: "credits" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}

// A researcher's or organisation's profile; its titles in the language the
// user chose (else as first seen), its credits filtered by year (`year=`).
async function showProfile(kind, name) {
  const box = $("#profile");
  const s = state();
  const lang = s.prefer || rememberedLang();
  const p = await loadView(box, `/api/${kind}/` + encodeURIComponent(name) + (lang ? "?lang=" + encodeURIComponent(lang) : ""), name);
  if (!p) return;
  document.title = `${p.name} – bulletin-search`;
  const year = Object.hasOwn(p.by_year, s.year) ? s.year : "";
  const yearButton = (y, label) => el("button", { type: "button", class: "year", "aria-pressed": String(year === y), "data-year": y,
    text: label, onclick: () => go({ ...state(), year: y }, false) });
  const years = el("div", { class: "years", role: "group", "aria-label": "Credits by year" },
    yearButton("", `All years: ${p.credits.length}`), ...Object.entries(p.by_year).map(([y, n]) => yearButton(y, `${y}: ${n}`)));
  const credits = year ? p.credits.filter((c) => String(c.year) === year) : p.credits;
  const affiliations = el("ul", {}, ...p.affiliations.map((a) => el("li", { text:
    `${a.name} — ${a.count} credit${a.count === 1 ? "" : "s"}${a.first_year ? `, ${a.first_year}${a.last_year !== a.first_year ? "–" + a.last_year : ""}` : ""}` })));
  box.replaceChildren(...[backButton(), el("h1", { text: p.name }),
    p.aliases.length ? el("p", { class: "aliases", text: "Also written: " + p.aliases.join(", ") }) : null,
    el("h2", { text: kind === "researchers" ? "Organisations" : "Researchers" }), affiliations,
    el("h2", { text: year ? `Credits of ${year} (${credits.length} of ${p.credits.length})` : `Credits (${p.credits.length})` }), years,
    creditTable(credits, true, lang)].filter(Boolean));
}

// Below 720 px the filters are behind a button, so results start on the first screen.
$("#filters-toggle").addEventListener("click", () => {
  const open = $("#facets").classList.toggle("open");
  $("#filters-toggle").setAttribute("aria-expanded", String(open));
});
window.addEventListener("popstate", () => render());
$("#prefer").addEventListener("change", () => { rememberLang($("#prefer").value); go({ ...state(), prefer: $("#prefer").value }, true); });
$("#sort").addEventListener("change", () => go({ ...state(), sort: $("#sort").value }, true));
// The languages' names come first; the languages offered for display are
// the ones indexed. Without the stats the page still works, with codes.
fetchJson("/api/stats").then((st) => {
  Object.assign(LANG_NAMES, st.languages || {});
  const langs = Object.keys((st.counts && st.counts.lang) || {}).filter((l) => l !== "und").sort();
  $("#prefer").append(...langs.map((l) => el("option", { value: l, text: `${LANG_NAMES[l] || l} (${l})` })));
  $("#prefer").value = state().prefer;
}).catch(() => {}).then(render);
