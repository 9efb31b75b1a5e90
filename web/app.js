// bulletin-search web page: search as you type, facets, bulletin dossiers,
// URL state (every view is a shareable link), keyboard use. No dependencies.
"use strict";

const $ = (sel) => document.querySelector(sel);
const FACETS = [["lang", "Language"], ["kind", "Kind"], ["severity", "Severity"], ["year", "Year"]];
const LANG_NAMES = { cs: "Čeština", da: "Dansk", de: "Deutsch", en: "English", es: "Español", fi: "Suomi",
  fr: "Français", hu: "Magyar", it: "Italiano", ja: "日本語", ko: "한국어", nb: "Norsk", nl: "Nederlands",
  pl: "Polski", pt: "Português", ru: "Русский", sv: "Svenska", tr: "Türkçe", zh: "中文", und: "?" };

let controller = null;   // the request in flight, cancelled by the next keystroke
let timer = null;        // debounce
let selected = -1;       // keyboard selection in the result list

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
  const s = { q: p.get("q") || "", bulletin: p.get("bulletin") || "" };
  for (const [f] of FACETS) s[f] = p.get(f) || "";
  return s;
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.bulletin) p.set("bulletin", s.bulletin);
  else {
    if (s.q) p.set("q", s.q);
    for (const [f] of FACETS) if (s[f]) p.set(f, s[f]);
  }
  const qs = p.toString();
  return qs ? "/?" + qs : "/";
}

function go(s, push, typing) {
  const url = urlOf(s);
  if (url !== location.pathname + location.search) {
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
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
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

// Draws the view the URL describes. `typing`: the URL changed because the
// user typed, so the search box already holds the query.
function render(typing) {
  const s = state();
  if (typing !== true && !s.bulletin) $("#q").value = s.q;
  if (s.bulletin) {
    $("#search-view").hidden = true;
    $("#dossier").hidden = false;
    showDossier(s.bulletin);
  } else {
    $("#search-view").hidden = false;
    $("#dossier").hidden = true;
    runSearch(s);
  }
}

async function runSearch(s) {
  if (controller) controller.abort();
  if (!s.q.trim()) {
    controller = null;
    $("#results").replaceChildren();
    $("#facets").replaceChildren();
    setStatus("Type a KB number (925902), a bulletin id (MS07-017), a CVE id or words in any language.");
    document.title = "bulletin-search";
    return;
  }
  controller = new AbortController();
  const p = new URLSearchParams({ q: s.q, limit: "20" });
  for (const [f] of FACETS) if (s[f]) p.set(f, s[f]);
  try {
    const r = await fetchJson("/api/search?" + p, controller.signal);
    document.title = `${s.q} – bulletin-search`;
    showResults(r, s);
  } catch (e) {
    if (e.name === "AbortError") return;
    $("#results").replaceChildren();
    $("#facets").replaceChildren();
    setStatus(`Search failed: ${e.message}. Check the query and try again.`, true);
  }
}

function showResults(r, s) {
  const warn = r.warnings && r.warnings.length ? ` (${r.warnings.join("; ")})` : "";
  if (r.total === 0) {
    setStatus(`No results for “${s.q}”${warn}. Try fewer words, another spelling, or remove a filter.`);
  } else {
    setStatus(`${r.total} result${r.total === 1 ? "" : "s"} in ${r.took_ms.toFixed(1)} ms${warn}`);
  }
  selected = -1;
  $("#results").replaceChildren(...r.hits.map(hitCard));
  showFacets(r.facets || {}, s);
}

function hitCard(h) {
  const head = el("div", { class: "head" },
    el("span", { class: "id", text: h.bulletin_id || h.kind }),
    h.kb ? el("span", { class: "badge kb", text: "KB" + h.kb }) : null,
    h.severity ? el("span", { class: `badge sev ${h.severity}`, text: h.severity }) : null,
    h.published ? el("span", { class: "badge date", text: h.published }) : null);
  const langs = (h.languages && h.languages.length ? h.languages : [h.lang]);
  for (const l of langs) {
    head.append(el("span", { class: "badge lang" + (l === h.lang ? " current" : ""), title: LANG_NAMES[l] || l, text: l }));
  }
  const snippet = el("div", { class: "snippet" });
  snippet.innerHTML = h.snippet; // server-escaped text with <mark> only
  const li = el("li", { class: "hit", tabindex: "0", "data-bulletin": h.bulletin_id || "" },
    head, el("div", { class: "title", text: h.title }), snippet,
    el("div", { class: "path", text: h.doc_id }));
  li.addEventListener("click", () => open(h));
  return li;
}

function open(h) {
  if (h.bulletin_id) go({ bulletin: h.bulletin_id }, true);
}

function showFacets(facets, s) {
  const groups = [];
  for (const [f, label] of FACETS) {
    const counts = facets[f] || {};
    const keys = Object.keys(counts).sort((a, b) => f === "year" ? b.localeCompare(a) : counts[b] - counts[a]);
    if (!keys.length) continue;
    const g = el("div", { class: "group" }, el("h3", { text: label }));
    for (const k of keys) {
      const active = s[f] === k;
      g.append(el("button", {
        type: "button", "aria-pressed": String(active), "data-facet": f, "data-value": k,
        onclick: () => go({ ...state(), [f]: active ? "" : k }, true),
      }, el("span", { text: f === "lang" ? `${LANG_NAMES[k] || k} (${k})` : k }), el("span", { class: "count", text: String(counts[k]) })));
    }
    groups.push(g);
  }
  $("#facets").replaceChildren(...groups);
}

async function showDossier(id) {
  if (controller) controller.abort();
  controller = new AbortController();
  const box = $("#dossier");
  box.replaceChildren(el("p", { text: `Loading ${id}…` }));
  let d;
  try {
    d = await fetchJson("/api/bulletins/" + encodeURIComponent(id), controller.signal);
  } catch (e) {
    if (e.name === "AbortError") return;
    box.replaceChildren(backButton(), el("p", { class: "error", text: `Could not load ${id}: ${e.message}` }));
    return;
  }
  document.title = `${d.bulletin_id} – bulletin-search`;
  const facts = el("dl", {},
    el("dt", { text: "Main update" }), el("dd", { text: d.kb ? "KB" + d.kb : "—" }),
    el("dt", { text: "Severity" }), el("dd", {}, d.severity ? el("span", { class: `badge sev ${d.severity}`, text: d.severity }) : "—"),
    el("dt", { text: "Impact" }), el("dd", { text: d.impacts.join(", ") || "—" }),
    el("dt", { text: "Published" }), el("dd", { text: d.published || "—" }),
    el("dt", { text: "CVE ids" }), el("dd", { text: d.cves.join(", ") || "—" }),
    el("dt", { text: "Affected software" }), el("dd", { text: d.affected.join("; ") || "—" }),
    el("dt", { text: "Languages" }), el("dd", { text: d.languages.map((l) => LANG_NAMES[l] || l).join(", ") }));
  const conflicts = d.conflicts.map((c) => el("div", { class: "conflict", text:
    `Versions disagree about the main KB: ${Object.entries(c.claims).map(([kb, p]) => `KB${kb} in ${p.length} version(s)`).join(", ")}. The majority, KB${c.chosen}, is used.` }));
  const tabs = el("div", { class: "tabs", role: "tablist" });
  const panel = el("div", { class: "version", role: "tabpanel" });
  const showVersion = (i) => {
    const v = d.versions[i];
    for (const [j, b] of [...tabs.children].entries()) b.setAttribute("aria-selected", String(j === i));
    panel.replaceChildren(
      el("h2", { text: v.title }),
      el("p", { text: v.summary || "" }),
      el("dl", {},
        el("dt", { text: "Source" }), el("dd", { text: `${v.origin === "file" ? "bulletin" : "monthly summary"} · ${v.path}` }),
        el("dt", { text: "Locale" }), el("dd", { text: v.locale || "—" }),
        el("dt", { text: "KB stated" }), el("dd", { text: v.kb_claimed ? "KB" + v.kb_claimed : "—" }),
        el("dt", { text: "Dates" }), el("dd", { text: [v.published, v.updated].filter(Boolean).join(" · updated ") || "—" })),
      v.acknowledgments.length ? el("h3", { text: "Acknowledgments" }) : null,
      v.acknowledgments.length ? el("ul", {}, ...v.acknowledgments.map((a) => el("li", { text: a }))) : null);
  };
  d.versions.forEach((v, i) => tabs.append(el("button", {
    type: "button", role: "tab", "data-lang": v.lang,
    text: `${LANG_NAMES[v.lang] || v.lang}${v.origin === "file" ? "" : " (summary)"}`, onclick: () => showVersion(i),
  })));
  box.replaceChildren(backButton(), el("h1", { text: d.bulletin_id }), facts, ...conflicts, tabs, panel);
  showVersion(0);
}

function backButton() {
  return el("button", { type: "button", class: "back", text: "← Back to results", onclick: () => history.length > 1 ? history.back() : go({}, true) });
}

function moveSelection(delta) {
  const items = [...document.querySelectorAll("#results .hit")];
  if (!items.length) return;
  selected = Math.max(0, Math.min(items.length - 1, selected + delta));
  items.forEach((it, i) => it.classList.toggle("selected", i === selected));
  items[selected].focus();
  items[selected].scrollIntoView({ block: "nearest" });
}

$("#q").addEventListener("input", () => {
  clearTimeout(timer);
  if (controller) controller.abort();
  timer = setTimeout(() => go({ ...state(), q: $("#q").value, bulletin: "" }, false, true), 150);
});
$("#form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  go({ ...state(), q: $("#q").value, bulletin: "" }, true);
});
$("#home").addEventListener("click", (e) => { e.preventDefault(); $("#q").value = ""; go({}, true); });
document.addEventListener("keydown", (e) => {
  const inInput = document.activeElement === $("#q");
  if (e.key === "/" && !inInput) { e.preventDefault(); $("#q").focus(); $("#q").select(); return; }
  if (e.key === "Escape" && state().bulletin) { history.back(); return; }
  if ($("#search-view").hidden) return;
  if (e.key === "ArrowDown") { e.preventDefault(); moveSelection(1); }
  else if (e.key === "ArrowUp") { e.preventDefault(); moveSelection(-1); }
  else if (e.key === "Enter" && !inInput && selected >= 0) {
    const item = document.querySelectorAll("#results .hit")[selected];
    if (item && item.dataset.bulletin) go({ bulletin: item.dataset.bulletin }, true);
  }
});
window.addEventListener("popstate", () => render());
render();
