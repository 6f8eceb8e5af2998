// The log viewer: streams GET …/pods/NAME/log?follow=true into a <pre>; choose the container,
// pause (keeps reading, shows on resume), download, or the previous instance after a restart.
import { h, field } from "../dom.js";
import { objectPath } from "../api.js";

const maxChars = 2_000_000;

/** Builds the viewer for pod NS/NAME; `collection` is the pods collection, `state.cleanup` stops it. */
export function logViewer(ctx, namespace, name, state) {
  const pre = h("pre", { class: "logs", id: "log-output", tabindex: "0", "aria-label": "Log output", "aria-live": "off" });
  const status = h("span", { class: "muted", id: "log-status", role: "status" }, "waiting for the pod…");
  const container = h("select", { "data-key": "log-container", onchange: () => restart() });
  const follow = h("input", { type: "checkbox", checked: true, onchange: () => restart() });
  const previous = h("input", { type: "checkbox", onchange: () => restart() });
  const pause = h("button", { type: "button", id: "log-pause", "aria-pressed": "false", onclick: () => setPaused(!paused) }, "Pause");
  const download = h("button", { type: "button", class: "secondary", id: "log-download", onclick: () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = h("a", { href: url, download: `${name}-${container.value}.log` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } }, "Download");
  let text = "", pending = "", paused = false, controller = null, started = false;

  function show() {
    if (paused) return;
    text += pending;
    pending = "";
    if (text.length > maxChars) text = text.slice(text.length - maxChars);
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = text;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
  function setPaused(value) {
    paused = value;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", String(paused));
    if (!paused) show();
  }

  async function stream() {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    text = ""; pending = ""; pre.textContent = "";
    const params = new URLSearchParams({ container: container.value });
    if (follow.checked) params.set("follow", "true");
    if (previous.checked) params.set("previous", "true");
    status.textContent = follow.checked ? "following…" : "loading…";
    try {
      const response = await ctx.api.open("GET", `${objectPath("pods", namespace, name, "log")}?${params}`, { accept: "text/plain", signal: mine.signal });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += decoder.decode(value, { stream: true });
        show();
      }
      status.textContent = follow.checked ? "the stream ended (the container stopped)" : "";
    } catch (e) {
      if (e?.name !== "AbortError") status.textContent = `logs unavailable: ${e.message}`;
    }
  }
  const restart = () => { if (started) stream(); };

  const pods = ctx.collection("pods");
  const unsubscribe = pods.subscribe(() => {
    const pod = pods.items.get(`${namespace}/${name}`);
    if (!pod) return;
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    if ([...container.options].map((o) => o.value).join() !== names.join()) {
      const chosen = container.value;
      container.replaceChildren(...names.map((n) => h("option", { value: n }, n)));
      if (names.includes(chosen)) container.value = chosen;
    }
    // Logs exist once the agent has started the container.
    if (!started && pod.spec?.nodeName && pod.status?.phase && pod.status.phase !== "Pending") { started = true; stream(); }
  });
  state.cleanup = () => { unsubscribe(); controller?.abort(); };

  return h("section", { class: "panel", "aria-labelledby": "logs-title" },
    h("div", { class: "log-head" }, h("h3", { id: "logs-title" }, "Logs"),
      h("div", { class: "log-tools" }, field("Container", container, "log-container"),
        h("label", { class: "check" }, follow, " Follow"), h("label", { class: "check" }, previous, " Previous instance"),
        pause, download, status)),
    pre);
}
