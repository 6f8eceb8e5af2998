// A Deployment's rollout progress, from its status as the Deployment controller writes it. Pure.

/**
 * {want, updated, available, ready, old, done, message, widths}: of the `want` replicas, how many
 * run the current template and are available (`updatedAvailable`, at most both counts), how many
 * run it but are not available yet, and how many old-template replicas remain (`old`, what the
 * rollout still has to replace). `done` as `kubectl rollout status` says "successfully rolled
 * out": the controller saw this generation and every replica is updated and available, with no
 * old ones left. `message` is the Progressing condition's.
 */
export function rolloutProgress(deployment) {
  const s = deployment?.status ?? {};
  const want = deployment?.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const total = s.replicas ?? 0;
  const old = Math.max(0, total - updated);
  const updatedAvailable = Math.min(updated, available);
  const observed = s.observedGeneration != null && s.observedGeneration >= (deployment?.metadata?.generation ?? 1);
  const done = observed && updated === want && available === want && total === want;
  const scale = Math.max(want, updated + old, 1);
  const pct = (n) => Math.round((n / scale) * 1000) / 10;
  const progressing = (s.conditions ?? []).find((c) => c.type === "Progressing");
  return {
    want, updated, available, ready: s.readyReplicas ?? 0, old, done, observed,
    message: progressing?.message ?? "",
    text: `${updated} of ${want} updated, ${available} available${old ? `, ${old} old` : ""}`,
    widths: { updatedAvailable: pct(updatedAvailable), updating: pct(updated - updatedAvailable), old: pct(old) },
  };
}
