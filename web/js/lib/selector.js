// Label selectors: the text form (?labelSelector=) parsed and matched, and the object form
// ({matchLabels, matchExpressions}) matched and printed. Pure.

/** Parses "a=b,c!=d,e in (x,y),f notin (z),g,!h" into requirements; throws Error on bad input. */
export function parseSelector(text) {
  const requirements = [];
  const source = (text ?? "").trim();
  if (!source) return requirements;
  // Split on commas outside parentheses.
  const parts = [];
  let depth = 0, current = "";
  for (const ch of source) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) { parts.push(current); current = ""; } else current += ch;
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    let m;
    if ((m = part.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3].split(",").map((v) => v.trim()).filter((v) => v !== "");
      requirements.push({ key: m[1], operator: m[2] === "in" ? "In" : "NotIn", values });
    } else if ((m = part.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      requirements.push({ key: m[1], operator: m[2] === "!=" ? "NotIn" : "In", values: [m[3]] });
    } else if ((m = part.match(/^!\s*([\w./-]+)$/))) {
      requirements.push({ key: m[1], operator: "DoesNotExist", values: [] });
    } else if ((m = part.match(/^([\w./-]+)$/))) {
      requirements.push({ key: m[1], operator: "Exists", values: [] });
    } else {
      throw new Error(`invalid label selector: "${part}"`);
    }
  }
  return requirements;
}

/** Whether `labels` satisfy every requirement. */
export function matchesRequirements(requirements, labels = {}) {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case "In": return has && values.includes(labels[key]);
      case "NotIn": return !has || !values.includes(labels[key]);
      case "Exists": return has;
      case "DoesNotExist": return !has;
      default: return false;
    }
  });
}

/** Whether `labels` match the text selector (an empty selector matches everything). */
export function matchesText(text, labels) {
  return matchesRequirements(parseSelector(text), labels);
}

/** Requirements of a LabelSelector object; an absent selector matches nothing, an empty one everything. */
export function requirementsOf(selector) {
  if (!selector) return null;
  const list = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({ key, operator: "In", values: [v] }));
  for (const e of selector.matchExpressions ?? []) list.push({ key: e.key, operator: e.operator, values: e.values ?? [] });
  return list;
}

/** Whether `labels` match a LabelSelector object. */
export function matchesSelector(selector, labels) {
  const requirements = requirementsOf(selector);
  return requirements != null && matchesRequirements(requirements, labels);
}

/** A LabelSelector object in text form, as the server's Table prints it. */
export function selectorText(selector) {
  return (requirementsOf(selector) ?? []).map(({ key, operator, values }) => {
    switch (operator) {
      case "In": return values.length === 1 ? `${key}=${values[0]}` : `${key} in (${values.join(",")})`;
      case "NotIn": return `${key} notin (${values.join(",")})`;
      case "Exists": return key;
      default: return `!${key}`;
    }
  }).join(",");
}
