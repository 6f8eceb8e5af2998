// A Job's dependency chain, from the drover.dev/depends-on annotation (Slurm's --dependency:
// afterok:prep,afterany:a:b,singleton). Pure; mirrors Sources/Model/Dependencies.

export const DEPENDS_ON = "drover.dev/depends-on";
export const HELD = "drover.dev/held-by-dependencies";
export const SATISFIED = "drover.dev/dependencies-satisfied";
const TYPES = ["after", "afterok", "afternotok", "afterany", "singleton"];
const conditionTrue = (job, type) => (job?.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");

/**
 * The requirements an annotation value lists, one per Job: [{ type, name }] (name null for
 * singleton). Throws an Error with the reason when the value does not parse.
 */
export function parseDependencies(text) {
  const trimmed = (text ?? "").trim();
  if (!trimmed) return [];
  if (trimmed.includes("?")) throw new Error("'?' (any one of several) is not supported");
  const result = [];
  for (const raw of trimmed.split(",")) {
    const [type, ...names] = raw.trim().split(":");
    if (!TYPES.includes(type)) throw new Error(`unknown dependency type "${type}"`);
    if (type === "singleton") {
      if (names.length) throw new Error("singleton takes no job name");
      if (!result.some((d) => d.type === "singleton")) result.push({ type, name: null });
      continue;
    }
    if (!names.length || names.some((n) => !n)) throw new Error(`${type} needs a job name`);
    for (const name of names) if (!result.some((d) => d.type === type && d.name === name)) result.push({ type, name });
  }
  return result;
}

/** The requirements of a Job, or [] when it has none or they do not parse. */
export function dependenciesOf(job) {
  try { return parseDependencies(job?.metadata?.annotations?.[DEPENDS_ON]); } catch { return []; }
}

/** A Job's state as its dependents see it (a missing Job is "Deleted"). */
export function dependencyState(job) {
  if (!job) return "Deleted";
  if (conditionTrue(job, "Complete")) return "Complete";
  if (conditionTrue(job, "Failed")) return "Failed";
  if (job.spec?.suspend) return job.metadata?.annotations?.[HELD] === "true" ? "Waiting" : "Suspended";
  return hasStarted(job) ? "Running" : "Pending";
}

function hasStarted(job) {
  const s = job.status ?? {};
  return (s.active ?? 0) > 0 || (s.succeeded ?? 0) > 0 || (s.failed ?? 0) > 0
    || (s.uncountedTerminatedPods?.succeeded?.length ?? 0) > 0 || (s.uncountedTerminatedPods?.failed?.length ?? 0) > 0;
}

/** Whether a requirement on `upstream` (null: deleted) holds: "satisfied", "waiting" or "never". */
export function verdict(type, upstream) {
  const state = dependencyState(upstream);
  const finished = state === "Complete" || state === "Failed";
  switch (type) {
    case "after": return !upstream || finished || hasStarted(upstream) ? "satisfied" : "waiting";
    case "afterany": return !upstream || finished ? "satisfied" : "waiting";
    case "afterok": return state === "Complete" ? "satisfied" : state === "Failed" || !upstream ? "never" : "waiting";
    case "afternotok": return state === "Failed" ? "satisfied" : state === "Complete" || !upstream ? "never" : "waiting";
    default: return "waiting";
  }
}

const created = (job) => [job.metadata?.creationTimestamp ?? "", job.metadata?.name ?? ""];
const before = (a, b) => { const [ta, na] = created(a), [tb, nb] = created(b); return ta !== tb ? ta < tb : na < nb; };
const sameNamespace = (a, b) => a.metadata?.namespace === b.metadata?.namespace;

/**
 * What `job` waits for: one row per requirement, { requirement, type, name, job (or null),
 * state, verdict }. A singleton row lists the earlier unfinished Jobs of its group (same
 * generateName) as `blockers`. A requirement recorded as satisfied by the controller stays so.
 */
export function upstreamOf(job, jobs) {
  const recorded = (job.metadata?.annotations?.[SATISFIED] ?? "").split(",").filter(Boolean);
  return dependenciesOf(job).map(({ type, name }) => {
    const requirement = name ? `${type}:${name}` : type;
    if (!name) {
      const group = job.metadata?.generateName;
      const blockers = group ? jobs.filter((j) => sameNamespace(j, job) && j.metadata?.name !== job.metadata?.name
        && j.metadata?.generateName === group && before(j, job) && !["Complete", "Failed"].includes(dependencyState(j))) : [];
      const met = recorded.includes(requirement) || blockers.length === 0;
      return { requirement, type, name: null, job: null, state: "", blockers, verdict: met ? "satisfied" : "waiting" };
    }
    const upstream = jobs.find((j) => sameNamespace(j, job) && j.metadata?.name === name) ?? null;
    return { requirement, type, name, job: upstream, state: dependencyState(upstream), blockers: [],
      verdict: recorded.includes(requirement) ? "satisfied" : verdict(type, upstream) };
  });
}

/** The Jobs that wait for `job`: those naming it, and the later singleton Jobs of its group. */
export function downstreamOf(job, jobs) {
  const name = job.metadata?.name;
  const group = job.metadata?.generateName;
  const rows = [];
  for (const other of jobs) {
    if (!sameNamespace(other, job) || other.metadata?.name === name) continue;
    for (const d of dependenciesOf(other)) {
      const waits = d.name === name || (d.type === "singleton" && group && other.metadata?.generateName === group && before(job, other));
      if (waits) rows.push({ requirement: d.name ? `${d.type}:${d.name}` : d.type, job: other, state: dependencyState(other) });
    }
  }
  return rows.sort((a, b) => (a.job.metadata.name < b.job.metadata.name ? -1 : a.job.metadata.name > b.job.metadata.name ? 1 : 0));
}
