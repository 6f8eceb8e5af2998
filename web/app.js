// Drover's first page: server version and live counts of nodes, pods and jobs.
// The token comes from the URL fragment (#token=..., as printed by `drover up`) or from a form,
// and is kept in localStorage; it never appears in a query string or server log.
"use strict";

const state = { token: null };

function readToken() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    localStorage.setItem("drover-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  return localStorage.getItem("drover-token");
}

async function api(path) {
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("The server needs a valid token.");
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

async function count(path) {
  const list = await api(path + "?limit=500");
  return list.items.length + (list.metadata.remainingItemCount || 0);
}

function showError(message) {
  const el = document.getElementById("error");
  el.textContent = message || "";
  el.hidden = !message;
}

async function refresh() {
  try {
    const [nodes, pods, jobs] = await Promise.all([
      count("/api/v1/nodes"), count("/api/v1/pods"), count("/apis/batch/v1/jobs"),
    ]);
    document.getElementById("count-nodes").textContent = nodes;
    document.getElementById("count-pods").textContent = pods;
    document.getElementById("count-jobs").textContent = jobs;
    showError("");
  } catch (e) {
    showError(e.message);
  }
}

async function start() {
  state.token = readToken();
  try {
    const version = await api("/version");
    document.getElementById("version").textContent = "server " + version.gitVersion;
  } catch (e) {
    showError(e.message);
  }
  document.querySelector("#token-form form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.token = document.getElementById("token-input").value.trim();
    localStorage.setItem("drover-token", state.token);
    document.getElementById("token-form").hidden = true;
    refresh();
  });
  refresh();
  setInterval(refresh, 2000);
}

start();
