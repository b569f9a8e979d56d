// The page's assets, served from the binary so that the studio needs no files beside it.
// Edit them here; the page has no inline script or style (Content-Security-Policy: default-src 'self').
enum Assets {
    static let indexHTML = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lspsim studio</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1>lspsim studio</h1>
  <p>Try governance options for a Local Strategic Partnership: change the set-up, press Compare, and see what the change does in paired runs (common random numbers). Model results under the scenario's stated assumptions, not a forecast.</p>
</header>
<main>
  <section class="panel" id="scenario-panel">
    <label for="scenario">Scenario</label>
    <select id="scenario"></select>
    <div id="scenario-info"></div>
  </section>
  <section class="panel" id="governance-panel">
    <h2>Governance</h2>
    <form id="governance" novalidate>
      <fieldset class="control" data-key="levels">
        <legend>Levels of joint working</legend>
        <label><input type="checkbox" name="levels" value="strategic"> strategic</label>
        <label><input type="checkbox" name="levels" value="executive"> executive</label>
        <label><input type="checkbox" name="levels" value="thematic"> thematic</label>
        <span class="current" id="current-levels"></span>
        <span class="error" id="error-levels" role="alert"></span>
      </fieldset>
      <div class="control" data-key="decision_rule">
        <label for="decision_rule">Decision rule</label>
        <select id="decision_rule" name="decision_rule">
          <option value="consensus">consensus</option>
          <option value="resource_weighted">resource weighted</option>
          <option value="lead_partner">lead partner</option>
        </select>
        <span class="current" id="current-decision_rule"></span>
        <span class="error" id="error-decision_rule" role="alert"></span>
      </div>
      <div class="control" data-key="lead_partner">
        <label for="lead_partner">Lead partner</label>
        <select id="lead_partner" name="lead_partner"></select>
        <span class="current" id="current-lead_partner"></span>
        <span class="error" id="error-lead_partner" role="alert"></span>
      </div>
      <div class="control" data-key="pooled_fraction">
        <label for="pooled_fraction">Pooled fraction (0 to under 1)</label>
        <input id="pooled_fraction" name="pooled_fraction" type="text" inputmode="decimal">
        <span class="current" id="current-pooled_fraction"></span>
        <span class="error" id="error-pooled_fraction" role="alert"></span>
      </div>
      <div class="control" data-key="commissioning">
        <label for="commissioning">Commissioning skill (0 to 1)</label>
        <input id="commissioning" name="commissioning" type="text" inputmode="decimal">
        <span class="current" id="current-commissioning"></span>
        <span class="error" id="error-commissioning" role="alert"></span>
      </div>
      <div class="control" data-key="performance_management">
        <label for="performance_management">Performance management (0 to 1)</label>
        <input id="performance_management" name="performance_management" type="text" inputmode="decimal">
        <span class="current" id="current-performance_management"></span>
        <span class="error" id="error-performance_management" role="alert"></span>
      </div>
      <div class="control" data-key="review_every">
        <label for="review_every">Review every (quarters)</label>
        <input id="review_every" name="review_every" type="text" inputmode="numeric">
        <span class="current" id="current-review_every"></span>
        <span class="error" id="error-review_every" role="alert"></span>
      </div>
      <div class="control" data-key="leadership">
        <label for="leadership">Leadership (0 to 1)</label>
        <input id="leadership" name="leadership" type="text" inputmode="decimal">
        <span class="current" id="current-leadership"></span>
        <span class="error" id="error-leadership" role="alert"></span>
      </div>
      <div class="control" data-key="scrutiny">
        <label for="scrutiny">Scrutiny (0 to 1)</label>
        <input id="scrutiny" name="scrutiny" type="text" inputmode="decimal">
        <span class="current" id="current-scrutiny"></span>
        <span class="error" id="error-scrutiny" role="alert"></span>
      </div>
      <div class="control" data-key="replications">
        <label for="replications">Replications</label>
        <input id="replications" name="replications" type="text" inputmode="numeric" value="1000">
        <label for="seed">Seed</label>
        <input id="seed" name="seed" type="text" inputmode="numeric" value="1">
        <span class="error" id="error-replications" role="alert"></span>
      </div>
      <p class="error" id="error-general" role="alert"></p>
      <div class="buttons">
        <button type="submit" id="compare">Compare</button>
        <button type="button" id="long">10,000-replication comparison</button>
        <button type="button" id="cancel" disabled>Cancel</button>
        <button type="button" id="reset">Reset to current</button>
      </div>
      <progress id="progress" max="1" value="0" hidden></progress>
      <p id="status" aria-live="polite"></p>
    </form>
  </section>
  <section class="panel wide" id="result" hidden></section>
  <section class="panel wide" id="history-panel" hidden>
    <h2>Options tried in this session</h2>
    <div class="scroll"><table id="history"></table></div>
  </section>
</main>
</body>
</html>
"""#

    static let appJS = #"""
"use strict";
// lspsim studio: the page's behaviour. Served from the binary at /app.js; talks only to its own server.
(function () {
  const OPTIONS = ["levels", "decision_rule", "lead_partner", "pooled_fraction", "commissioning",
    "performance_management", "review_every", "leadership", "scrutiny"];
  const $ = (id) => document.getElementById(id);
  let scenario = null;      // the scenario's JSON (partners, indicators, governance)
  let initial = {};         // the controls' values for the current governance
  let job = null;           // {id, source} of a long comparison
  const tried = [];         // comparisons of this session

  function el(name, attrs, children) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of [].concat(children === undefined ? [] : children)) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const pct = (x) => (x * 100).toFixed(1) + "%";
  const fmt = (x, digits) => (x === null || x === undefined) ? "n/a" : Number(x).toFixed(digits === undefined ? 4 : digits);
  const signed = (x, digits) => (x > 0 ? "+" : "") + fmt(x, digits);

  async function getJSON(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  // ---- scenario and governance form ----
  async function loadScenarios() {
    const list = await getJSON("/api/scenarios");
    const select = $("scenario");
    select.replaceChildren(...list.map((s) => el("option", { value: s.id }, s.name + " (" + s.file + ")")));
    if (list.length === 0) { $("status").textContent = "No scenarios are listed: start lspsim studio in the project folder or name scenario files."; return; }
    const unitary = list.find((s) => s.id === "unitary");
    select.value = unitary ? unitary.id : list[0].id;
    await loadScenario(select.value);
  }

  // A later choice of scenario supersedes an earlier one still loading: the earlier answer, if it
  // arrives last, must not reset the form (and clear its errors) under what the user typed since.
  let loadSequence = 0;
  async function loadScenario(id) {
    const sequence = ++loadSequence;
    const loaded = await getJSON("/api/scenarios/" + encodeURIComponent(id));
    if (sequence !== loadSequence) return;
    scenario = loaded;
    const info = $("scenario-info");
    const partners = el("table", {}, [el("tr", {}, ["partner", "kind", "tier", "budget (GBP m)"].map((h, i) => el("th", i === 3 ? { class: "num" } : {}, h)))]
      .concat(scenario.partners.map((p) => el("tr", {}, [el("td", {}, p.name + " (" + p.id + ")"), el("td", {}, p.kind), el("td", {}, p.tier), el("td", { class: "num" }, fmt(p.budget, 1))]))));
    const indicators = el("table", {}, [el("tr", {}, ["indicator", "name", "baseline", "target", "LAA"].map((h, i) => el("th", i >= 2 && i < 4 ? { class: "num" } : {}, h)))]
      .concat(scenario.indicators.map((k) => el("tr", {}, [el("td", {}, k.id), el("td", {}, k.name), el("td", { class: "num" }, String(k.baseline)), el("td", { class: "num" }, String(k.target)), el("td", {}, k.laa_target ? "yes" : "")]))));
    info.replaceChildren(
      el("p", {}, [el("strong", {}, scenario.name), " \u2014 " + (scenario.tier === "single" ? "single-tier (unitary)" : "two-tier") + " area, " + scenario.quarters + " quarters, file " + scenario.file]),
      scenario.description ? el("p", { class: "small" }, scenario.description) : "",
      el("h3", {}, "Partners"), partners, el("h3", {}, "Indicators"), indicators,
      scenario.uncertain.length ? el("p", { class: "small" }, "Drawn from a distribution in each run (the form shows the mean): " + scenario.uncertain.join(", ")) : "");
    const lead = $("lead_partner");
    lead.replaceChildren(el("option", { value: "" }, "(none)"), ...scenario.partners.map((p) => el("option", { value: p.id }, p.name)));
    setForm(scenario.governance);
    initial = readForm();
    for (const key of OPTIONS) {
      const g = scenario.governance[key];
      $("current-" + key).textContent = "current: " + (Array.isArray(g) ? "[" + g.join(", ") + "]" : (g === null || g === undefined ? "none" : g));
    }
    clearErrors();
    markChanged();
  }

  function setForm(g) {
    for (const box of document.querySelectorAll("input[name=levels]")) box.checked = g.levels.includes(box.value);
    $("decision_rule").value = g.decision_rule;
    $("lead_partner").value = g.lead_partner || "";
    for (const key of ["pooled_fraction", "commissioning", "performance_management", "review_every", "leadership", "scrutiny"]) $(key).value = String(g[key]);
  }

  function readForm() {
    const values = { levels: [...document.querySelectorAll("input[name=levels]")].filter((b) => b.checked).map((b) => b.value) };
    for (const key of OPTIONS.slice(1)) values[key] = $(key).value.trim();
    return values;
  }

  // Only the options that differ from the scenario's own are sent.
  function changes() {
    const now = readForm(), out = {};
    for (const key of OPTIONS) {
      if (key === "levels" ? now.levels.join() !== initial.levels.join() : now[key] !== initial[key]) out[key] = now[key];
    }
    return out;
  }

  function markChanged() {
    const changed = changes();
    for (const key of OPTIONS) document.querySelector(".control[data-key=" + key + "]").classList.toggle("changed", key in changed);
  }

  function request(replications) {
    return { scenario: scenario.id, governance: changes(), replications: replications, seed: Number($("seed").value) };
  }

  // ---- errors next to their controls ----
  function clearErrors() {
    for (const node of document.querySelectorAll(".error")) node.textContent = "";
    for (const node of document.querySelectorAll(".invalid")) node.classList.remove("invalid");
  }

  function showErrors(errors) {
    clearErrors();
    for (const e of errors) {
      const match = /^governance\.([a-z_]+)/.exec(e.path);
      let key = match ? match[1] : (e.path === "replications" || e.path === "seed" ? "replications" : null);
      const target = key && $("error-" + key) ? $("error-" + key) : $("error-general");
      target.textContent = (target.textContent ? target.textContent + " " : "") + (e.path ? e.path + ": " : "") + e.message;
      const control = key && document.querySelector(".control[data-key=" + key + "]");
      if (control) control.classList.add("invalid");
    }
  }

  let validateTimer = null;
  function scheduleValidate() {
    markChanged();
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, 250);
  }

  // Only the latest check's answer is shown: an older one arriving late would show stale errors.
  let validateSequence = 0;
  async function validate() {
    const sequence = ++validateSequence;
    const response = await fetch("/api/validate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request(replicationsWanted())) });
    const body = await response.json();
    if (sequence === validateSequence) showErrors(body.errors || []);
    return response.ok;
  }

  function replicationsWanted() {
    const n = Number($("replications").value);
    return Number.isInteger(n) ? n : -1;
  }

  function busy(on, long) {
    $("compare").disabled = on;
    $("long").disabled = on;
    $("cancel").disabled = !(on && long);
    $("progress").hidden = !on;
  }

  // ---- Compare ----
  async function compare(event) {
    event.preventDefault();
    busy(true, false);
    $("progress").removeAttribute("value");
    $("status").textContent = "Running " + replicationsWanted() + " paired replications\u2026";
    const started = performance.now();
    try {
      const response = await fetch("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request(replicationsWanted())) });
      const body = await response.json();
      if (!response.ok) { showErrors(body.errors || [{ path: "", message: "HTTP " + response.status }]); $("status").textContent = "Not run: see the message next to the control."; return; }
      clearErrors();
      show(body);
      $("status").textContent = body.replications + " paired replications in " + (body.seconds * 1000).toFixed(0) + " ms of simulation (" + (performance.now() - started).toFixed(0) + " ms on the page).";
    } catch (error) {
      $("status").textContent = "Failed: " + error.message;
    } finally {
      busy(false, false);
      $("progress").value = 0;
    }
  }

  // ---- the long comparison, streamed ----
  async function longCompare() {
    const response = await fetch("/api/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request(10000)) });
    const body = await response.json();
    if (!response.ok) { showErrors(body.errors || []); return; }
    clearErrors();
    busy(true, true);
    $("progress").max = body.replications;
    $("progress").value = 0;
    const source = new EventSource("/api/jobs/" + body.id + "/events");
    job = { id: body.id, source: source };
    const finish = (text) => { source.close(); job = null; busy(false, false); $("status").textContent = text; };
    source.addEventListener("progress", (e) => {
      const p = JSON.parse(e.data);
      $("progress").value = p.done;
      $("status").textContent = p.done + " of " + p.total + " paired replications\u2026";
    });
    source.addEventListener("done", (e) => { const result = JSON.parse(e.data); show(result); finish(result.replications + " paired replications done."); });
    source.addEventListener("cancelled", (e) => { const p = JSON.parse(e.data); finish("Cancelled after " + p.done + " of " + p.total + " replications."); });
    source.onerror = () => { if (job && job.source === source) finish("The comparison's stream closed."); };
  }

  async function cancel() {
    if (!job) return;
    const id = job.id;
    await fetch("/api/jobs/" + id + "/cancel", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
  }

  // ---- results ----
  function show(c) {
    const result = $("result");
    const diffRows = c.differences.map((d) => {
      const cls = d.lower > 0 ? "better" : (d.upper < 0 ? "worse" : "");
      return el("tr", { id: "diff-" + d.measure, "data-measure": d.measure }, [
        el("td", {}, d.label),
        el("td", { class: "num current-mean", "data-value": String(d.current_mean) }, fmt(d.current_mean)),
        el("td", { class: "num changed-mean", "data-value": String(d.changed_mean) }, fmt(d.changed_mean)),
        el("td", { class: "num difference " + cls, "data-value": String(d.difference) }, signed(d.difference)),
        el("td", { class: "num interval", "data-lower": String(d.lower), "data-upper": String(d.upper) }, "[" + fmt(d.lower) + ", " + fmt(d.upper) + "]"),
        el("td", { class: "num share-better", "data-value": String(d.share_better) }, pct(d.share_better)),
        el("td", { class: "num share-worse", "data-value": String(d.share_worse) }, pct(d.share_worse)),
        el("td", { class: "num pairs" }, String(d.pairs))]);
    });
    const head = (names) => el("tr", {}, names.map((n, i) => el("th", i > 0 ? { class: "num" } : {}, n)));
    const diffTable = el("table", { id: "differences" }, [head(["measure", "current", "changed", "difference", "95% interval (paired t)", "better", "worse", "pairs"])].concat(diffRows));
    const indicatorTable = el("table", { id: "indicator-chances" }, [el("tr", {}, [el("th", {}, "indicator"), el("th", {}, "name"), el("th", { class: "num" }, "current"), el("th", { class: "num" }, "changed")])]
      .concat(c.indicators.map((k) => el("tr", { "data-indicator": k.id }, [el("td", {}, k.id), el("td", {}, k.name),
        el("td", { class: "num", "data-value": String(k.current) }, pct(k.current)), el("td", { class: "num", "data-value": String(k.changed) }, pct(k.changed))]))));
    const charts = el("div", { class: "charts" });
    for (const svg of [c.charts.trust, c.charts.moved]) {
      // Parsed as HTML, as the report embeds it: the HTML parser puts <svg> in the SVG namespace.
      const doc = new DOMParser().parseFromString(svg, "text/html");
      charts.append(document.importNode(doc.body.firstElementChild, true));
    }
    const share = c.differences.find((d) => d.measure === "targets_met_share");
    const headline = share ? "Share of LAA targets met: " + pct(share.current_mean) + " now, " + pct(share.changed_mean) + " changed (difference " + signed(share.difference * 100, 1) + " points, 95% interval " + fmt(share.lower * 100, 1) + " to " + fmt(share.upper * 100, 1) + "); the change did better in " + pct(share.share_better) + " of paired runs and worse in " + pct(share.share_worse) + "." : "";
    result.replaceChildren(
      el("h2", {}, "Comparison " + c.id + ": " + c.scenario_name),
      el("p", { class: "small" }, "Changed: " + (c.changes.length ? c.changes.join("; ") : "nothing (both set-ups are the same)") + ". " + c.replications + " paired replications, seed " + c.seed + "; " + c.pairs + " pairs" + (c.failed_current + c.failed_changed ? ", " + (c.failed_current + c.failed_changed) + " runs with invalid draws left out" : "") + "."),
      el("p", { class: "headline", id: "headline" }, headline),
      diffTable,
      el("h3", {}, "Chance of meeting each LAA target"), indicatorTable,
      el("h3", {}, "Over the quarters"), charts,
      el("p", { class: "downloads" }, [el("a", { href: c.yaml_url, download: "", id: "download-yaml" }, "Download the changed scenario (YAML)"), el("a", { href: c.report_url, download: "", id: "download-report" }, "Download this comparison (HTML report)")]));
    result.hidden = false;
    result.dataset.comparison = String(c.id);
    tried.push(c);
    showHistory();
  }

  function showHistory() {
    const table = $("history");
    const rows = [el("tr", {}, [el("th", {}, "")].concat(tried.map((c) => el("th", {}, "#" + c.id + " " + c.scenario))))];
    const add = (label, f) => rows.push(el("tr", {}, [el("th", {}, label)].concat(tried.map((c) => el("td", {}, f(c))))));
    const d = (c, m) => c.differences.find((x) => x.measure === m);
    add("changed", (c) => c.changes.length ? c.changes.join("; ") : "nothing");
    add("replications", (c) => String(c.replications));
    add("share met: current \u2192 changed", (c) => pct(d(c, "targets_met_share").current_mean) + " \u2192 " + pct(d(c, "targets_met_share").changed_mean));
    add("difference [95%]", (c) => { const x = d(c, "targets_met_share"); return signed(x.difference * 100, 1) + " pts [" + fmt(x.lower * 100, 1) + ", " + fmt(x.upper * 100, 1) + "]"; });
    add("mean progress difference [95%]", (c) => { const x = d(c, "mean_progress"); return signed(x.difference, 3) + " [" + fmt(x.lower, 3) + ", " + fmt(x.upper, 3) + "]"; });
    add("better / worse pairs", (c) => pct(d(c, "targets_met_share").share_better) + " / " + pct(d(c, "targets_met_share").share_worse));
    add("downloads", (c) => el("span", {}, [el("a", { href: c.yaml_url, download: "" }, "YAML"), " ", el("a", { href: c.report_url, download: "" }, "report")]));
    table.replaceChildren(...rows);
    $("history-panel").hidden = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("scenario").addEventListener("change", (e) => loadScenario(e.target.value));
    $("governance").addEventListener("submit", compare);
    $("governance").addEventListener("input", scheduleValidate);
    $("governance").addEventListener("change", scheduleValidate);
    $("long").addEventListener("click", longCompare);
    $("cancel").addEventListener("click", cancel);
    $("reset").addEventListener("click", () => { setForm(scenario.governance); clearErrors(); markChanged(); });
    loadScenarios().catch((error) => { $("status").textContent = "Could not load the scenarios: " + error.message; });
  });
})();
"""#

    static let appCSS = #"""
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #f5f6f8; }
header.top { background: #16324f; color: #fff; padding: 0.8em 1.5em; }
header.top h1 { margin: 0 0 0.2em 0; font-size: 1.5em; }
header.top p { margin: 0; max-width: 70em; font-size: 0.95em; }
main { display: grid; grid-template-columns: minmax(22em, 1fr) minmax(26em, 1fr); gap: 1em; padding: 1em 1.5em; }
.panel { background: #fff; border: 1px solid #d8dbe0; border-radius: 6px; padding: 0.8em 1.2em; }
.panel.wide { grid-column: 1 / -1; }
h2 { font-size: 1.15em; margin: 0.3em 0 0.6em 0; }
h3 { font-size: 1em; margin: 1em 0 0.4em 0; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.control { margin: 0 0 0.7em 0; border: none; padding: 0; }
fieldset.control legend { font-weight: 600; padding: 0; }
.control > label { display: inline-block; min-width: 16em; }
fieldset.control > label { margin-right: 1.2em; display: inline-block; min-width: 0; }
input[type=text] { width: 7em; padding: 3px 5px; }
.current { color: #666; font-size: 0.85em; margin-left: 0.6em; }
.error { color: #b00020; font-size: 0.9em; margin-left: 0.6em; }
.error:empty { display: none; }
.invalid input, .invalid select { border: 2px solid #b00020; }
.changed input, .changed select { background: #fff6d6; }
.buttons button { margin: 0.3em 0.5em 0.3em 0; padding: 0.45em 1em; font-size: 0.95em; }
button#compare { background: #16324f; color: #fff; border: 1px solid #16324f; border-radius: 4px; }
progress { width: 100%; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.better { color: #0b6b3a; }
.worse { color: #b00020; }
.headline { font-size: 1.05em; }
.scroll { overflow-x: auto; }
.small { color: #555; font-size: 0.85em; }
.downloads a { margin-right: 1.2em; }
"""#
}
