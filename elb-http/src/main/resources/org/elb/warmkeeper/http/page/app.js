// ELB Warmkeeper status page: vanilla JS, no build step.
// Reads the runner's API with the caller's identity and follows GET /api/events (Server-Sent Events read
// through fetch, so the identity travels in a header as on every other request; EventSource cannot send one).
"use strict";

(function () {
  const LAST_FAILED_KEY = "elb_last_failed_provision_v1";
  const DISMISSED_KEY = "elb_dismissed_failure_v1";
  const OWNER_KEY = "elb_owner_v1";
  const TOKEN_KEY = "elb_token_v1";
  const GATE_EVERY_MS = 60000;

  const state = {
    config: { identity: "header", owner_header: "X-Elb-Owner", gate_services: [] },
    lastEventId: null,
    controller: null,
    retryMs: 2000,
    failure: null,
    jobs: new Map(),
    generation: 0,
  };

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ identity

  function credential() {
    return state.config.identity === "jwt"
      ? sessionStorage.getItem(TOKEN_KEY) || ""
      : localStorage.getItem(OWNER_KEY) || "";
  }

  function identityHeaders() {
    const value = credential().trim();
    if (!value) return {};
    return state.config.identity === "jwt"
      ? { Authorization: "Bearer " + value }
      : { [state.config.owner_header]: value };
  }

  function storageKey(key) {
    // one owner's snapshot is never shown to another owner using the same browser
    return key + ":" + credential().trim();
  }

  async function api(path, options) {
    const headers = Object.assign({ Accept: "application/json" }, identityHeaders(), (options && options.headers) || {});
    const res = await fetch(path, Object.assign({}, options || {}, { headers, cache: "no-store" }));
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    return { status: res.status, body };
  }

  // ------------------------------------------------------------------ "Last attempt failed" banner

  function failureFromRow(row) {
    return {
      job_id: row.job_id, task_id: row.task_id, cluster_name: row.cluster_name, region: row.region,
      error: row.error || {}, failed_at: row.failed_at,
    };
  }

  function failureFromJob(job) {
    const p = job.payload || {};
    return {
      job_id: job.job_id, task_id: job.task_id, cluster_name: p.cluster_name, region: p.region,
      error: job.error || {}, failed_at: job.updated_at,
    };
  }

  function newer(a, b) {
    return !b || Date.parse(a.failed_at) > Date.parse(b.failed_at);
  }

  function showFailure(f, remember) {
    if (f && localStorage.getItem(storageKey(DISMISSED_KEY)) === f.job_id) f = null;
    state.failure = f;
    const banner = $("banner");
    if (!f) {
      banner.hidden = true;
      if (remember) localStorage.removeItem(storageKey(LAST_FAILED_KEY));
      return;
    }
    if (remember) localStorage.setItem(storageKey(LAST_FAILED_KEY), JSON.stringify(f));
    const when = f.failed_at ? new Date(f.failed_at).toLocaleString() : "";
    $("banner-summary").textContent =
      "The provision of " + (f.cluster_name || "a cluster") + (f.region ? " in " + f.region : "") +
      " failed" + (when ? " at " + when : "") + ".";
    $("banner-category").textContent = f.error.category || "unknown";
    $("banner-message").textContent = f.error.message || "";
    const list = $("banner-actions");
    list.replaceChildren();
    (f.error.suggested_actions || []).forEach((a) => {
      const li = document.createElement("li");
      li.textContent = a;
      list.appendChild(li);
    });
    $("banner-actions-title").hidden = list.children.length === 0;
    banner.hidden = false;
  }

  function localFailure() {
    try { return JSON.parse(localStorage.getItem(storageKey(LAST_FAILED_KEY)) || "null"); } catch (e) { return null; }
  }

  async function loadFailure() {
    const local = localFailure();
    showFailure(local, false); // instant, from this browser
    const r = await api("/api/aks/recent-failed-provisions?hours=24&limit=1");
    if (r.status !== 200 || !r.body || r.body.degraded) return; // the local snapshot stays
    const row = (r.body.jobs || [])[0];
    if (row) {
      const server = failureFromRow(row);
      if (newer(server, local)) showFailure(server, true); // the stored row wins only when strictly newer
    }
  }

  // ------------------------------------------------------------------ cancel-with-partial card

  function showCancel(view) {
    const card = $("cancel-card");
    const p = view.payload || {};
    const cluster = view.cluster_name || p.cluster_name || "the cluster";
    $("cancel-text").textContent = "The provision of " + cluster + " was cancelled before it finished.";
    const link = $("portal-link");
    const url = view.portal_url || "";
    if (view.partial_resource_likely && /^https:\/\//.test(url)) {
      link.href = url;
      link.hidden = false;
    } else {
      link.removeAttribute("href");
      link.hidden = true;
    }
    card.hidden = false;
  }

  // ------------------------------------------------------------------ provisions seen live

  function renderJob(job) {
    if (job.type !== "aks_provision") return;
    const known = state.jobs.get(job.job_id);
    if (known && known.version > job.version) return;
    state.jobs.set(job.job_id, job);
    let li = document.querySelector('#jobs li[data-job="' + CSS.escape(job.job_id) + '"]');
    if (!li) {
      li = document.createElement("li");
      li.dataset.job = job.job_id;
      $("jobs").prepend(li);
    }
    li.replaceChildren();
    const p = job.payload || {};
    const name = document.createElement("strong");
    name.textContent = p.cluster_name || job.task_id || job.job_id;
    const status = document.createElement("span");
    status.className = "job-status";
    status.textContent = job.status + (job.cluster_state ? " (" + job.cluster_state + ")" : "");
    li.append(name, status);
    if ((job.status === "queued" || job.status === "running") && job.task_id) {
      const stop = document.createElement("button");
      stop.type = "button";
      stop.className = "secondary stop";
      stop.textContent = "Stop";
      stop.setAttribute("aria-label", "Stop the provision of " + name.textContent);
      stop.addEventListener("click", () => cancelJob(job));
      li.append(stop);
    }
  }

  async function cancelJob(job) {
    const r = await api("/api/aks/provision/" + encodeURIComponent(job.task_id) + "/cancel?mode=stop", { method: "POST" });
    if (r.status === 200 && r.body) {
      showCancel(Object.assign({ payload: job.payload }, r.body));
    }
  }

  function onJob(job) {
    renderJob(job);
    if (job.type !== "aks_provision") return;
    const p = job.payload || {};
    if (job.status === "failed") {
      const f = failureFromJob(job);
      if (newer(f, state.failure)) showFailure(f, true);
    } else if (job.status === "succeeded" && state.failure && p.cluster_name === state.failure.cluster_name &&
               Date.parse(job.updated_at) > Date.parse(state.failure.failed_at)) {
      showFailure(null, true); // failed, then succeeded: the banner clears
    } else if (job.status === "cancelled") {
      showCancel(job);
    }
  }

  // ------------------------------------------------------------------ auto-warm grid

  function renderTick(report) {
    const head = document.querySelector("#grid thead");
    const body = document.querySelector("#grid tbody");
    const clusters = report.clusters || [];
    if (!report.started_at) {
      $("grid-meta").textContent = "No tick yet.";
    } else {
      $("grid-meta").textContent = "Last tick " + new Date(report.started_at).toLocaleString() +
        (report.force ? " (forced)" : "") + ".";
    }
    const dbs = [];
    clusters.forEach((c) => (c.databases || []).forEach((d) => { if (!dbs.includes(d)) dbs.push(d); }));
    const hr = document.createElement("tr");
    ["Cluster", "Status"].concat(dbs).forEach((t) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      hr.appendChild(th);
    });
    head.replaceChildren(hr);
    body.replaceChildren();
    clusters.forEach((c) => {
      const tr = document.createElement("tr");
      tr.dataset.cluster = c.cluster_name;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = c.cluster_name;
      const st = document.createElement("td");
      st.className = "cluster-status status-" + c.status;
      st.textContent = c.status;
      if (c.detail) {
        const d = document.createElement("span");
        d.className = "reason";
        d.textContent = c.detail;
        st.appendChild(d);
      }
      tr.append(th, st);
      const skipped = new Map((c.skipped || []).map((s) => [s.db, s]));
      dbs.forEach((db) => {
        const td = document.createElement("td");
        td.dataset.db = db;
        if (!(c.databases || []).includes(db)) {
          td.textContent = "—";
          td.setAttribute("aria-label", "not configured");
        } else if ((c.enqueued || []).includes(db)) {
          td.className = "cell-enqueued";
          td.textContent = "enqueued";
        } else if (skipped.has(db)) {
          const s = skipped.get(db);
          td.className = "cell-skipped";
          td.textContent = "skipped";
          const r = document.createElement("span");
          r.className = "reason";
          r.textContent = s.reason + (s.retry_at ? " until " + new Date(s.retry_at).toLocaleString() : "");
          td.appendChild(r);
        } else if (c.status === "cluster_not_ready" || c.status === "error") {
          td.className = "cell-failed";
          td.textContent = "not checked";
        } else {
          td.className = "cell-warm";
          td.textContent = "warm";
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  async function loadTick() {
    const r = await api("/api/autowarm/status");
    if (r.status === 200 && r.body) renderTick(r.body);
  }

  // ------------------------------------------------------------------ version gate

  async function loadGates() {
    const box = $("gate");
    const panels = [];
    for (const service of state.config.gate_services || []) {
      const r = await api("/api/version-gate/" + encodeURIComponent(service));
      if (r.status !== 200 || !r.body || r.body.decision !== "update_available") continue; // up to date: no panel
      const div = document.createElement("div");
      div.className = "gate";
      div.dataset.service = service;
      const h = document.createElement("h2");
      h.textContent = "Update " + service + " to " + r.body.to;
      const p = document.createElement("p");
      p.className = "help";
      p.textContent = "The running service reports " + r.body.from + "; the pinned image is " + r.body.to +
        " (" + r.body.direction + ").";
      div.append(h, p);
      panels.push(div);
    }
    box.replaceChildren(...panels);
  }

  // ------------------------------------------------------------------ the event stream

  function setLive(s, text) {
    const el = $("live");
    el.dataset.state = s;
    el.textContent = text;
  }

  function dispatch(type, data, generation) {
    if (generation !== state.generation) return;
    let body = null;
    try { body = data ? JSON.parse(data) : null; } catch (e) { return; }
    if (type === "ready") setLive("live", "Live");
    else if (type === "job" && body) onJob(body);
    else if (type === "autowarm" && body) renderTick(body);
    else if (type === "reset") { loadFailure(); loadTick(); }
    else if (type === "close") setLive("reconnecting", "Reconnecting (" + ((body && body.reason) || "closed") + ")");
  }

  async function follow(generation) {
    if (!credential().trim()) {
      setLive("offline", "Enter your identity to see live changes");
      return;
    }
    const controller = new AbortController();
    state.controller = controller;
    const headers = Object.assign({ Accept: "text/event-stream" }, identityHeaders());
    if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
    try {
      const res = await fetch("/api/events", { headers, cache: "no-store", signal: controller.signal });
      if (!res.ok || !res.body) {
        setLive("offline", res.status === 401 ? "Not signed in (401)" : "Live updates unavailable (" + res.status + ")");
        if (res.status === 401 || res.status === 400) return;
        throw new Error("status " + res.status);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let type = "message", data = [], id = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1));
          if (line === "") {
            if (id !== null) state.lastEventId = id;
            if (data.length) dispatch(type, data.join("\n"), generation);
            type = "message"; data = []; id = null;
            continue;
          }
          if (line.startsWith(":")) continue; // heartbeat
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let v = colon < 0 ? "" : line.slice(colon + 1);
          if (v.startsWith(" ")) v = v.slice(1);
          if (field === "event") type = v;
          else if (field === "data") data.push(v);
          else if (field === "id") id = v;
          else if (field === "retry" && /^\d+$/.test(v)) state.retryMs = Number(v);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (generation !== state.generation) return;
    setLive("reconnecting", "Reconnecting…");
    setTimeout(() => { if (generation === state.generation) follow(generation); }, state.retryMs);
  }

  function restart() {
    state.generation += 1;
    state.lastEventId = null;
    if (state.controller) state.controller.abort();
    state.jobs.clear();
    $("jobs").replaceChildren();
    const generation = state.generation;
    loadFailure();
    loadTick();
    loadGates();
    follow(generation);
  }

  // ------------------------------------------------------------------ start

  async function start() {
    try {
      const r = await fetch("/page-config.json", { cache: "no-store" });
      if (r.ok) state.config = await r.json();
    } catch (e) { /* defaults */ }
    const jwt = state.config.identity === "jwt";
    const input = $("owner");
    $("owner-label").textContent = jwt ? "Bearer token" : "Owner";
    $("identity-help").textContent = jwt
      ? "Kept in this tab only; sent as Authorization: Bearer."
      : "Kept in this browser; sent as the " + state.config.owner_header + " header.";
    if (jwt) input.type = "password";
    input.value = credential();
    $("identity").addEventListener("submit", (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (jwt) sessionStorage.setItem(TOKEN_KEY, v); else localStorage.setItem(OWNER_KEY, v);
      restart();
    });
    $("banner-dismiss").addEventListener("click", () => {
      if (state.failure) localStorage.setItem(storageKey(DISMISSED_KEY), state.failure.job_id);
      showFailure(null, true);
    });
    $("cancel-close").addEventListener("click", () => { $("cancel-card").hidden = true; });
    // Cross-tab: a save, dismiss or clear in another tab of this browser shows here without a reload.
    window.addEventListener("storage", (e) => {
      if (e.key === storageKey(LAST_FAILED_KEY) || e.key === storageKey(DISMISSED_KEY)) {
        const f = localFailure();
        state.failure = null;
        showFailure(f, false);
      } else if (e.key === OWNER_KEY && !jwt) {
        input.value = credential();
        restart();
      }
    });
    setInterval(loadGates, GATE_EVERY_MS);
    restart();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
