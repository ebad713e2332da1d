// The sktune dashboard's pages: fetch JSON from the server, show it as text.
// Every value from a checkpoint goes through textContent (never innerHTML);
// figures are plotly.js specifications whose text the server escaped.
"use strict";

const POLL_MS = 1500;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function fmt(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    const a = Math.abs(value);
    return (a !== 0 && (a < 1e-3 || a >= 1e5)) ? value.toExponential(3) : value.toPrecision(4);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function fillTable(table, columns, rows) {
  const head = table.tHead, body = table.tBodies[0];
  head.replaceChildren();
  const tr = el("tr");
  columns.forEach((c) => tr.appendChild(el("th", c.label ?? c)));
  head.appendChild(tr);
  body.replaceChildren();
  rows.forEach((row) => {
    const line = el("tr");
    row.forEach((cell) => {
      const td = el("td");
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = fmt(cell);
      line.appendChild(td);
    });
    body.appendChild(line);
  });
  return head.rows[0];
}

async function getJSON(url) {
  const response = await fetch(url, {cache: "no-store"});
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function setLive(ok, text) {
  const live = document.getElementById("live");
  live.textContent = text;
  live.className = ok ? "live" : "live stale";
}

function poll(load) {
  const tick = async () => {
    try {
      await load();
      setLive(true, "live: updated " + new Date().toLocaleTimeString());
    } catch (err) {
      setLive(false, "not updated: " + err.message);
    }
    setTimeout(tick, POLL_MS);
  };
  tick();
}

function drawFigures(container, figures, order) {
  for (const name of order) {
    const fig = figures[name];
    if (!fig) continue;
    let div = document.getElementById("figure-" + name);
    if (!div) {
      div = el("div", null, {id: "figure-" + name, class: "figure"});
      // a figure computed later (once the search is quiet) keeps its place
      const later = order.slice(order.indexOf(name) + 1)
        .map((n) => document.getElementById("figure-" + n)).find((d) => d);
      container.insertBefore(div, later || null);
    }
    if (fig.layout.height) div.style.height = fig.layout.height + "px";
    Plotly.react(div, fig.data, fig.layout, {responsive: true, displaylogo: false});
  }
}

function envText(env) {
  if (!env) return "";
  const keys = ["python", "scikit-learn", "numpy", "scipy", "sktune", "joblib backend"];
  return keys.filter((k) => env[k] !== undefined && env[k] !== null)
    .map((k) => `${k} ${env[k]}`).join(", ") + (env.machine ? ` on ${env.machine}` : "");
}

// experiments ---------------------------------------------------------------
function experimentsPage() {
  const table = document.getElementById("experiments");
  const button = document.getElementById("compare");
  const selected = new Set();
  let last = "";
  button.addEventListener("click", () => {
    const query = [...selected].map((id) => "id=" + encodeURIComponent(id)).join("&");
    window.location.href = "/compare?" + query;
  });
  poll(async () => {
    const list = await getJSON("/api/experiments");
    const key = JSON.stringify(list);
    if (key === last) return;
    last = key;
    const rows = list.map((s) => {
      const box = el("input", null, {type: "checkbox", "aria-label": "compare " + s.name});
      box.checked = selected.has(s.id);
      box.addEventListener("change", () => {
        if (box.checked) selected.add(s.id); else selected.delete(s.id);
        button.disabled = selected.size < 2;
      });
      const link = el("a", s.name, {href: "/search/" + encodeURIComponent(s.id)});
      const state = el("span", s.status + (s.status_detail ? ` (${s.status_detail})` : ""),
                       {class: "status " + s.status});
      return [box, link, s.strategy, s.estimator, s.data, s.started, state, s.n_candidates,
              s.best === null || s.best === undefined ? "" : `${fmt(s.best)} ${s.metric ?? ""}`,
              envText(s.environment)];
    });
    fillTable(table, ["", "checkpoint", "strategy", "estimator", "data", "started", "status",
                      "candidates", "best", "environment"], rows);
  });
}

// one search ----------------------------------------------------------------
function searchPage(id) {
  const state = {sort: 0, ascending: true, filter: "", board: null};
  const filter = document.getElementById("filter");
  filter.addEventListener("input", () => { state.filter = filter.value.toLowerCase(); board(); });
  let last = "";

  function board() {
    if (!state.board) return;
    const {columns, rows} = state.board;
    let shown = rows.filter((r) => !state.filter ||
      r.some((c) => fmt(c).toLowerCase().includes(state.filter)));
    const k = state.sort;
    shown = shown.slice().sort((a, b) => {
      // rows without a value (other budgets' rows have no rank) stay last
      if (a[k] === null) return b[k] === null ? 0 : 1;
      if (b[k] === null) return -1;
      const cmp = typeof a[k] === "number" && typeof b[k] === "number"
        ? a[k] - b[k] : fmt(a[k]).localeCompare(fmt(b[k]));
      return state.ascending ? cmp : -cmp;
    });
    const head = fillTable(document.getElementById("leaderboard"), columns, shown);
    [...head.cells].forEach((th, i) => {
      th.classList.add("sortable");
      if (i === state.sort) th.textContent += state.ascending ? " ▲" : " ▼";
      th.addEventListener("click", () => {
        state.ascending = state.sort === i ? !state.ascending : true;
        state.sort = i;
        board();
      });
    });
    document.getElementById("n-shown").textContent = `${shown.length} of ${rows.length} rows`;
  }

  function showNotes(notes) {
    const div = document.getElementById("figure-notes");
    if (div) div.replaceChildren(...(notes || []).map((n) => el("p", n, {class: "note"})));
  }

  // the version of the data shown: while only the summary and the notes
  // change, the server answers with those alone
  let version = null;
  poll(async () => {
    const since = version === null ? "" : "?since=" + encodeURIComponent(version);
    const page = await getJSON("/api/search/" + encodeURIComponent(id) + since);
    const s = page.summary;
    document.getElementById("n-candidates").textContent = String(s.n_candidates);
    document.getElementById("status").textContent =
      s.status + (s.status_detail ? ` (${s.status_detail})` : "");
    if (page.unchanged) { showNotes(page.notes); return; }
    const key = JSON.stringify([s, page.leaderboard && page.leaderboard.n_rows]);
    if (key === last) { version = page.version ?? null; return; }
    last = key;
    const facts = [["strategy", s.strategy], ["estimator", s.estimator], ["scoring", s.scoring],
                   ["data", s.data], ["started", s.started],
                   ["best", s.best === null ? "" : `${fmt(s.best)} ${s.metric ?? ""}`],
                   ["environment", envText(s.environment)]];
    const factTable = document.getElementById("facts");
    factTable.replaceChildren();
    facts.forEach(([k, v]) => {
      const tr = el("tr");
      tr.appendChild(el("th", k));
      tr.appendChild(el("td", v ?? ""));
      factTable.appendChild(tr);
    });
    if (page.leaderboard) { state.board = page.leaderboard; board(); }
    if (page.figures) {
      drawFigures(document.getElementById("figures"), page.figures,
                  ["convergence", "parallel", "slices", "importance", "dependence", "hyperband", "timeline"]);
    }
    showNotes(page.notes);
    const runs = (page.runs || []).map((r, i) => [i + 1, r.search, r.started && new Date(r.started * 1000).toLocaleString(),
      r.stop_reason ?? "", `${r.host ?? ""} pid ${r.pid ?? ""}`, envText(r.environment)]);
    fillTable(document.getElementById("runs"),
              ["run", "search", "started", "stop reason", "process", "environment"], runs);
    version = page.version ?? null;  // once shown: a page that failed to draw asks again
  });
}

// compare -------------------------------------------------------------------
function comparePage(ids) {
  let last = "";
  poll(async () => {
    const query = ids.map((id) => "id=" + encodeURIComponent(id)).join("&");
    const page = await getJSON("/api/compare?" + query);
    const key = JSON.stringify(page.searches);
    if (key === last) return;
    last = key;
    document.getElementById("same-data").textContent = page.same_data
      ? "Same data in every search." : "These searches ran on different data: their scores may not compare.";
    fillTable(document.getElementById("searches"),
              ["checkpoint", "strategy", "status", "candidates", "best"],
              page.searches.map((s) => [
                el("a", s.name, {href: "/search/" + encodeURIComponent(s.id)}), s.strategy,
                s.status, s.n_candidates, s.best === null ? "" : `${fmt(s.best)} ${s.metric ?? ""}`]));
    drawFigures(document.getElementById("figures"), {convergence: page.figure}, ["convergence"]);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const body = document.body;
  if (body.dataset.page === "experiments") experimentsPage();
  else if (body.dataset.page === "search") searchPage(body.dataset.id);
  else if (body.dataset.page === "compare") comparePage(body.dataset.ids.split(","));
});
