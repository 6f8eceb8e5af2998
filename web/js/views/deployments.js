// Deployments and ReplicaSets (ready / updated / available, scale, revisions); DaemonSets have
// their own view (daemonsets.js). Rollback patches the Deployment's template back to
// a ReplicaSet's, as `kubectl rollout undo`; the pods change only once the Deployment controller
// (issue 10) runs. Until then these views show the stored objects and their desired state.
import { h, table, ageCell, badge, bar } from "../dom.js";
import { rolloutProgress } from "../lib/rollout.js";
import { objectPath } from "../api.js";
import { routeHash } from "../lib/router.js";
import { rollbackPatch } from "../lib/manifests.js";

function ownedBy(object, owner) {
  return (object.metadata.ownerReferences ?? []).some((o) => o.uid === owner.metadata.uid);
}

function scaleControls(ctx, d) {
  const replicas = d.spec?.replicas ?? 1;
  const path = objectPath("deployments", d.metadata.namespace, d.metadata.name, "scale");
  const set = (n) => ctx.act(`${d.metadata.name} scaled to ${n}.`, () => ctx.api.mergePatch(path, { spec: { replicas: n } }));
  const key = `${d.metadata.namespace}-${d.metadata.name}`;
  return h("div", { class: "actions", role: "group", "aria-label": `Scale ${d.metadata.name}` },
    h("button", { type: "button", class: "secondary", "data-key": `scale-down-${key}`, "aria-label": `Scale ${d.metadata.name} down`,
      disabled: replicas <= 0, onclick: () => set(replicas - 1) }, "−"),
    h("span", { class: "replicas", "data-replicas": replicas }, String(replicas)),
    h("button", { type: "button", class: "secondary", "data-key": `scale-up-${key}`, "aria-label": `Scale ${d.metadata.name} up`,
      onclick: () => set(replicas + 1) }, "+"));
}

function rollback(ctx, d, rs, revision) {
  if (!confirm(`Roll ${d.metadata.name} back to revision ${revision}?`)) return;
  ctx.act(`${d.metadata.name} rolled back to revision ${revision}.`, () => ctx.api.request("PATCH",
    objectPath("deployments", d.metadata.namespace, d.metadata.name), { body: rollbackPatch(d, rs), contentType: "application/json-patch+json" }));
}

function revisions(ctx, d, replicaSets) {
  const owned = replicaSets.filter((rs) => ownedBy(rs, d))
    .map((rs) => ({ rs, revision: Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0) }))
    .sort((a, b) => b.revision - a.revision);
  if (owned.length === 0) return h("p", { class: "muted" }, "No ReplicaSets yet: revisions and rollback appear once the Deployment controller runs (issue 10).");
  const current = Number(d.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0);
  return table({
    columns: [
      { key: "rev", title: "Revision", cell: (r) => String(r.revision || "—"), class: "num" },
      { key: "name", title: "ReplicaSet", cell: (r) => r.rs.metadata.name },
      { key: "ready", title: "Ready", cell: (r) => `${r.rs.status?.readyReplicas ?? 0}/${r.rs.spec?.replicas ?? 0}` },
      { key: "cause", title: "Change cause", cell: (r) => r.rs.metadata.annotations?.["kubernetes.io/change-cause"] ?? "" },
      { key: "rollback", title: "Rollback", cell: (r) => (r.revision && r.revision === current ? "current"
        : h("button", { type: "button", class: "secondary", "data-key": `rollback-${d.metadata.name}-${r.revision}`,
          "aria-label": `Roll ${d.metadata.name} back to revision ${r.revision}`, onclick: () => rollback(ctx, d, r.rs, r.revision) }, "Roll back")) },
    ],
    rows: owned, rowKey: (r) => r.rs.metadata.name, caption: "Revisions",
  });
}

function deploymentCard(ctx, d, replicaSets) {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const rollout = rolloutProgress(d);
  const done = rollout.done;
  return h("article", { class: "panel", id: `deployment-${d.metadata.namespace}-${d.metadata.name}` },
    h("div", { class: "detail-head" },
      h("h3", {}, h("span", { class: "name" }, d.metadata.name), " ", h("span", { class: "muted" }, d.metadata.namespace), " ",
        badge(done ? "Available" : s.observedGeneration == null ? "Not observed" : "Progressing", done ? "complete" : "pending")),
      scaleControls(ctx, d)),
    h("dl", { class: "facts" },
      h("dt", {}, "Ready"), h("dd", { class: "deploy-ready" }, `${s.readyReplicas ?? 0}/${want}`),
      h("dt", {}, "Up to date"), h("dd", {}, String(s.updatedReplicas ?? 0)),
      h("dt", {}, "Available"), h("dd", {}, String(s.availableReplicas ?? 0)),
      h("dt", {}, "Strategy"), h("dd", {}, d.spec?.strategy?.type ?? "RollingUpdate"),
      h("dt", {}, "Age"), h("dd", {}, ageCell(d.metadata.creationTimestamp))),
    h("div", { class: "progress rollout", "data-rollout": `${rollout.updated}/${rollout.available}/${rollout.old}` },
      bar([{ value: rollout.widths.updatedAvailable, class: "ok" }, { value: rollout.widths.updating, class: "run" }, { value: rollout.widths.old, class: "wait" }],
        `Rollout of ${d.metadata.name}: ${rollout.text}`),
      h("span", { class: "progress-text" }, rollout.done ? "rolled out" : rollout.text)),
    rollout.message && !rollout.done ? h("p", { class: "muted note" }, rollout.message) : null,
    s.observedGeneration == null ? h("p", { class: "muted note" }, "No controller has observed this Deployment yet: rollout progress, and pods following a scale or rollback, appear once the Deployment controller runs.") : null,
    revisions(ctx, d, replicaSets));
}

function replicaSetsTable(replicaSets) {
  return table({
    columns: [
      { key: "name", title: "ReplicaSet", cell: (rs) => `${rs.metadata.namespace}/${rs.metadata.name}`, sort: (rs) => rs.metadata.name },
      { key: "owner", title: "Owner", cell: (rs) => { const o = (rs.metadata.ownerReferences ?? []).find((x) => x.controller); return o ? `${o.kind}/${o.name}` : "—"; } },
      { key: "desired", title: "Desired", cell: (rs) => String(rs.spec?.replicas ?? 1), class: "num" },
      { key: "current", title: "Current", cell: (rs) => String(rs.status?.replicas ?? 0), class: "num" },
      { key: "ready", title: "Ready", cell: (rs) => String(rs.status?.readyReplicas ?? 0), class: "num" },
      { key: "age", title: "Age", cell: (rs) => ageCell(rs.metadata.creationTimestamp), sort: (rs) => rs.metadata.creationTimestamp },
    ],
    rows: replicaSets, sort: { key: "name", dir: "asc" }, empty: "No ReplicaSets.", rowKey: (rs) => `${rs.metadata.namespace}/${rs.metadata.name}`, caption: "ReplicaSets",
  });
}

export default {
  title: () => "Deployments",
  needs: () => ["deployments", "replicasets"],
  body(ctx) {
    const deployments = ctx.collection("deployments").list().filter(ctx.inNamespace)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const replicaSets = ctx.collection("replicasets").list();
    return h("div", {}, h("h2", {}, "Deployments"),
      deployments.length === 0 ? h("p", { class: "muted" }, ctx.collection("deployments").synced ? "No deployments." : "Loading…")
        : deployments.slice(0, 200).map((d) => deploymentCard(ctx, d, replicaSets)),
      h("h2", {}, "ReplicaSets"), replicaSetsTable(replicaSets.filter(ctx.inNamespace)),
      h("p", {}, "DaemonSets have ", h("a", { href: routeHash("daemonsets") }, "a view of their own"), "."));
  },
};
