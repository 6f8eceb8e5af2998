// Submit: a form for a Job, or a JSON or YAML manifest of any kind the dashboard knows. The server's
// validation errors (Status details.causes) are shown next to the fields they name.
import { h, field } from "../dom.js";
import { jobFromForm, formFieldForCause, collectionPath, discoveryPath, manifestsIn } from "../lib/manifests.js";
import { collectionIn } from "../api.js";

function clearErrors(form) {
  for (const el of form.querySelectorAll("[data-error-for]")) el.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** Puts each cause next to its field; returns the causes no field claims. */
function showCauses(form, error) {
  const rest = [];
  for (const cause of error.causes) {
    const name = formFieldForCause(cause.field);
    const slot = name && form.querySelector(`[data-error-for="${name}"]`);
    if (slot) {
      slot.textContent = `${cause.field}: ${cause.message}`;
      form.querySelector(`#f-${name}`)?.setAttribute("aria-invalid", "true");
    } else rest.push(cause);
  }
  return rest;
}

function jobForm(ctx) {
  const input = (name, attrs = {}) => h("input", { name, id: `f-${name}`, "data-key": `f-${name}`, ...attrs });
  const controls = {
    name: input("name", { placeholder: "generated when empty" }),
    command: input("command", { required: true, placeholder: "sh -c 'echo hello'" }),
    image: input("image", { placeholder: "busybox" }),
    parallelism: input("parallelism", { type: "number", min: "0", placeholder: "1" }),
    completions: input("completions", { type: "number", min: "0", placeholder: "1" }),
    cpu: input("cpu", { placeholder: "100m" }),
    memory: input("memory", { placeholder: "64Mi" }),
    env: h("textarea", { name: "env", id: "f-env", rows: 3, placeholder: "KEY=value, one per line" }),
  };
  const general = h("p", { class: "error", role: "alert", id: "submit-error" });
  const form = h("form", { class: "submit-form", id: "job-form", "aria-labelledby": "job-form-title", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    clearErrors(form);
    general.textContent = "";
    let job;
    try {
      job = jobFromForm(Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value.trim()])));
    } catch (e) { general.textContent = e.message; return; }
    const namespace = ctx.namespace || "default";
    try {
      const created = await ctx.api.post(collectionIn("jobs", namespace), job);
      ctx.notify(`Created job ${created.metadata.name}.`);
      ctx.navigate("jobs", [created.metadata.namespace, created.metadata.name]);
    } catch (e) {
      const rest = showCauses(form, e);
      general.textContent = rest.length || !e.causes.length ? [e.message, ...rest.map((c) => `${c.field}: ${c.message}`)].join(" · ") : "";
    }
  } },
  h("h3", { id: "job-form-title" }, "New Job"),
  h("p", { class: "muted" }, "Created in the selected namespace (default when all are shown)."),
  field("Name", controls.name, "name"), field("Command", controls.command, "command"), field("Image", controls.image, "image"),
  h("div", { class: "row" }, field("Parallelism", controls.parallelism, "parallelism"), field("Completions", controls.completions, "completions")),
  h("div", { class: "row" }, field("CPU request", controls.cpu, "cpu"), field("Memory request", controls.memory, "memory")),
  field("Environment", controls.env, "env"), general, h("button", { type: "submit", id: "submit-job" }, "Create job"));
  return form;
}

function manifestForm(ctx) {
  const text = h("textarea", { id: "f-manifest", name: "manifest", rows: 14, class: "mono", spellcheck: false,
    placeholder: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hello\nspec: …" });
  const message = h("div", { class: "error", role: "alert", id: "manifest-error" });
  return h("form", { class: "submit-form", "aria-labelledby": "manifest-title", onsubmit: async (event) => {
    event.preventDefault();
    message.replaceChildren();
    let manifests;
    try { manifests = manifestsIn(text.value); } catch (e) { message.textContent = `Cannot read the manifest: ${e.message}`; return; }
    if (manifests.length === 0) { message.textContent = "The manifest is empty."; return; }
    const created = [];
    // Each apiVersion's discovery document, read once per submit: it says where a kind is posted.
    const discovery = new Map();
    const pathOf = async (manifest) => {
      const doc = discoveryPath(manifest);
      if (!doc) throw new Error(`${manifest?.kind ?? "An object"} has no apiVersion.`);
      if (!discovery.has(doc)) discovery.set(doc, ctx.api.get(doc).catch((e) => { throw new Error(`The server does not serve ${manifest.apiVersion}: ${e.message}`); }));
      const path = collectionPath(manifest, ctx.namespace, await discovery.get(doc));
      if (!path) throw new Error(`The server has no kind ${manifest.kind ?? "(none given)"} in ${manifest.apiVersion}.`);
      return path;
    };
    for (const manifest of manifests) {
      let path;
      try { path = await pathOf(manifest); } catch (e) { message.append(h("p", {}, e.message)); break; }
      try {
        const object = await ctx.api.post(path, manifest);
        created.push(`${object.kind ?? manifest.kind} ${object.metadata.name}`);
        if (manifests.length === 1 && manifest.kind === "Job") ctx.navigate("jobs", [object.metadata.namespace, object.metadata.name]);
      } catch (e) {
        message.append(h("p", {}, `${manifest.kind ?? "object"} ${manifest.metadata?.name ?? ""}: ${e.message}`),
          e.causes.length ? h("ul", {}, e.causes.map((c) => h("li", {}, h("code", {}, c.field ?? ""), " ", c.message))) : "");
        break;
      }
    }
    if (created.length) ctx.notify(`Created ${created.join(", ")}.`);
  } },
  h("h3", { id: "manifest-title" }, "Manifest"),
  h("p", { class: "muted" }, "JSON or YAML (one or more documents, or a List) of any kind the server serves: Jobs, CronJobs, Deployments, Kueue's ClusterQueues and LocalQueues… YAML is read as kubectl reads it (YAML 1.1: yes/no/on/off are booleans), anchors, aliases, << merge keys and tags included."),
  field("Manifest (JSON or YAML)", text, "manifest"), message, h("button", { type: "submit", id: "submit-manifest" }, "Create"));
}

export default {
  title: () => "Submit",
  head: (ctx) => h("div", {}, h("h2", {}, "Submit"), h("div", { class: "two-col" }, jobForm(ctx), manifestForm(ctx))),
  body: () => h("div"),
};
