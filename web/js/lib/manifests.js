// Objects the dashboard posts: a rerun of a Job, a manual run of a CronJob, a Job from the submit
// form, the objects of a pasted manifest; and where the server's validation causes belong on that
// form. Pure.
import { parseYAMLDocuments } from "./yaml.js";

/** Labels the Job controller sets on a Job and its template; a copy must not carry them. */
export const controllerLabels = ["batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name", "controller-uid", "job-name"];
/** Marks a rerun with the Job it repeats (as `drover rerun` does). */
export const rerunOfAnnotation = "drover.dev/rerun-of";

const withoutKeys = (map, keys) => Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !keys.includes(k)));
const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** A new Job with `job`'s spec: generateName "<original>-", selector and controller labels stripped. */
export function rerunJob(job) {
  const meta = job.metadata ?? {};
  const original = meta.annotations?.[rerunOfAnnotation] ?? meta.name;
  const metadata = { generateName: `${original}-`, namespace: meta.namespace };
  const labels = withoutKeys(meta.labels, controllerLabels);
  if (Object.keys(labels).length) metadata.labels = labels;
  // The dependency controller's annotations describe the original's wait; the copy keeps
  // drover.dev/depends-on and is held afresh by the server.
  const skipped = ["kubectl.kubernetes.io/last-applied-configuration", "drover.dev/held-by-dependencies", "drover.dev/dependencies-satisfied"];
  metadata.annotations = { ...withoutKeys(meta.annotations, skipped), [rerunOfAnnotation]: original };
  const spec = clone(job.spec ?? {});
  if (meta.annotations?.["drover.dev/held-by-dependencies"] === "true") spec.suspend = false;
  delete spec.selector;
  delete spec.manualSelector;
  if (spec.template?.metadata) {
    const templateLabels = withoutKeys(spec.template.metadata.labels, controllerLabels);
    if (Object.keys(templateLabels).length) spec.template.metadata.labels = templateLabels; else delete spec.template.metadata.labels;
  }
  return { apiVersion: "batch/v1", kind: "Job", metadata, spec };
}

/** What `kubectl create job NAME --from=cronjob/CJ` posts: the template, annotation instantiate=manual, the CronJob as controller. */
export function manualJob(cronJob, name) {
  const template = cronJob.spec?.jobTemplate ?? {};
  const metadata = { name, namespace: cronJob.metadata.namespace };
  if (template.metadata?.labels && Object.keys(template.metadata.labels).length) metadata.labels = clone(template.metadata.labels);
  metadata.annotations = { ...(template.metadata?.annotations ?? {}), "cronjob.kubernetes.io/instantiate": "manual" };
  metadata.ownerReferences = [{ apiVersion: "batch/v1", kind: "CronJob", name: cronJob.metadata.name, uid: cronJob.metadata.uid,
    controller: true, blockOwnerDeletion: true }];
  return { apiVersion: "batch/v1", kind: "Job", metadata, spec: clone(template.spec ?? {}) };
}

/** A manual run's name: "<cronjob>-manual-<5 random characters>", at most 63 characters. */
export function manualJobName(cronJobName, random = Math.random) {
  const suffix = Array.from({ length: 5 }, () => "bcdfghjklmnpqrstvwxz2456789"[Math.floor(random() * 27)]).join("");
  return `${cronJobName.slice(0, 63 - 13)}-manual-${suffix}`;
}

/** Parses "KEY=value" lines into env entries; throws Error naming the bad line. */
export function parseEnv(text) {
  return (text ?? "").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((line) => {
    const i = line.indexOf("=");
    if (i <= 0) throw new Error(`env: expected KEY=value, got "${line}"`);
    return { name: line.slice(0, i), value: line.slice(i + 1) };
  });
}

/** Splits a command line into words, honouring single and double quotes. */
export function splitCommand(text) {
  const words = [];
  let current = null, quote = null;
  for (const ch of text ?? "") {
    if (quote) { if (ch === quote) quote = null; else current += ch; continue; }
    if (ch === "'" || ch === '"') { quote = ch; current ??= ""; continue; }
    if (/\s/.test(ch)) { if (current !== null) { words.push(current); current = null; } continue; }
    current = (current ?? "") + ch;
  }
  if (quote) throw new Error("command: unterminated quote");
  if (current !== null) words.push(current);
  return words;
}

/** The Job the submit form describes. Empty fields are left out so the server's defaults apply. */
export function jobFromForm(form) {
  const container = { name: "main", image: form.image || "busybox", command: splitCommand(form.command) };
  const requests = {};
  if (form.cpu) requests.cpu = form.cpu;
  if (form.memory) requests.memory = form.memory;
  if (Object.keys(requests).length) container.resources = { requests };
  const env = parseEnv(form.env);
  if (env.length) container.env = env;
  const spec = { template: { spec: { restartPolicy: "Never", containers: [container] } } };
  if (form.parallelism !== "" && form.parallelism != null) spec.parallelism = Number(form.parallelism);
  if (form.completions !== "" && form.completions != null) spec.completions = Number(form.completions);
  if (form.backoffLimit !== "" && form.backoffLimit != null) spec.backoffLimit = Number(form.backoffLimit);
  const metadata = form.name ? { name: form.name } : { generateName: "job-" };
  return { apiVersion: "batch/v1", kind: "Job", metadata, spec };
}

/** Which form field a Status cause's field path belongs to ("spec.template.spec.containers[0].command" → "command"). */
export function formFieldForCause(path) {
  const p = path ?? "";
  if (/^metadata\.(name|generateName)/.test(p)) return "name";
  if (/\.command|\.args/.test(p)) return "command";
  if (/\.image$/.test(p)) return "image";
  if (/resources\.(requests|limits)(\.|\[)cpu/.test(p)) return "cpu";
  if (/resources\.(requests|limits)(\.|\[)memory/.test(p)) return "memory";
  if (/\.env/.test(p)) return "env";
  if (/^spec\.parallelism/.test(p)) return "parallelism";
  if (/^spec\.completions/.test(p)) return "completions";
  if (/^spec\.backoffLimit/.test(p)) return "backoffLimit";
  return null;
}

/**
 * The objects in the manifest box: JSON or YAML, one or more documents, a List's items. As kubectl
 * does, text that starts like JSON but is not JSON is read as YAML, and null documents are skipped.
 */
export function manifestsIn(text) {
  const trimmed = text.trim();
  let docs = null;
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try { docs = [JSON.parse(trimmed)]; } catch { /* YAML in flow style, say {kind: Job, …} */ }
  }
  docs ??= parseYAMLDocuments(text);
  return docs.flatMap((d) => (Array.isArray(d) ? d : d?.kind === "List" ? d.items ?? [] : [d])).filter((d) => d != null);
}

/** The discovery document that lists a manifest's kinds: /api/v1 for "v1", /apis/G/V for "G/V"; null without an apiVersion. */
export function discoveryPath(manifest) {
  const version = manifest?.apiVersion;
  if (typeof version !== "string" || !version) return null;
  return version.includes("/") ? `/apis/${version}` : `/api/${version}`;
}

/**
 * Where a manifest is posted, from its apiVersion's discovery document (an APIResourceList): the
 * resource whose kind is the manifest's (not a subresource), in the manifest's namespace, else
 * `namespace`, else default, when namespaced. Any kind the server serves works, Kueue's and
 * custom ones included; null when the server has no such kind.
 */
export function collectionPath(manifest, namespace, resourceList) {
  const base = discoveryPath(manifest);
  const resource = (resourceList?.resources ?? []).find((r) => r.kind === manifest?.kind && !r.name.includes("/"));
  if (!base || !resource) return null;
  const ns = manifest.metadata?.namespace || namespace || "default";
  return resource.namespaced ? `${base}/namespaces/${encodeURIComponent(ns)}/${resource.name}` : `${base}/${resource.name}`;
}

/** Annotations a Deployment keeps when rolled back (kubectl's rollout undo skips the same). */
const rollbackSkips = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas"];

/**
 * The JSON patch of `kubectl rollout undo --to-revision`: the Deployment's pod template becomes the
 * ReplicaSet's (without its pod-template-hash label) and it takes the ReplicaSet's annotations
 * (such as the change cause). The Deployment controller then rolls the pods.
 */
export function rollbackPatch(deployment, replicaSet) {
  const template = clone(replicaSet.spec?.template ?? {});
  if (template.metadata?.labels) {
    delete template.metadata.labels["pod-template-hash"];
  }
  const annotations = { ...withoutKeys(deployment.metadata?.annotations, rollbackSkips),
    ...withoutKeys(replicaSet.metadata?.annotations, rollbackSkips) };
  if (deployment.metadata?.annotations?.["deployment.kubernetes.io/revision"]) {
    annotations["deployment.kubernetes.io/revision"] = deployment.metadata.annotations["deployment.kubernetes.io/revision"];
  }
  return [{ op: "replace", path: "/spec/template", value: template },
    // "add" replaces the member when it exists and creates it when the Deployment has no annotations.
    { op: "add", path: "/metadata/annotations", value: annotations }];
}
