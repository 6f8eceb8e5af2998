// A YAML subset for the submit box's manifests: block mappings and sequences, plain, quoted and
// block (| >) scalars, flow [..] and {..} collections, comments and --- documents. Anchors, tags and
// multi-line plain scalars are not supported and are reported with their line. Pure.

/** Parses YAML text into an array of documents; throws Error("line N: ...") on what it cannot read. */
export function parseYAMLDocuments(text) {
  const docs = [];
  let current = [];
  const all = (text ?? "").replace(/\r\n?/g, "\n").split("\n");
  all.forEach((raw, index) => {
    if (/^---\s*(#.*)?$/.test(raw)) { docs.push(current); current = []; return; }
    if (/^\.\.\.\s*$/.test(raw)) return;
    current.push({ raw, number: index + 1 });
  });
  docs.push(current);
  return docs.map(parseDocument).filter((d) => d !== undefined);
}

function parseDocument(lines) {
  for (const l of lines) if (/^\s*\t/.test(l.raw)) throw new Error(`line ${l.number}: tabs cannot indent YAML`);
  const p = { lines, i: 0 };
  skipBlank(p);
  if (p.i >= lines.length) return undefined;
  const value = parseBlock(p, indentOf(lines[p.i].raw));
  skipBlank(p);
  if (p.i < lines.length) throw new Error(`line ${lines[p.i].number}: unexpected indentation`);
  return value;
}

const indentOf = (raw) => raw.match(/^ */)[0].length;
const isBlank = (raw) => /^\s*(#.*)?$/.test(raw);
function skipBlank(p) { while (p.i < p.lines.length && isBlank(p.lines[p.i].raw)) p.i++; }
const isItem = (content) => content === "-" || content.startsWith("- ");

/** Removes a trailing comment (" #…") outside quotes. */
function stripComment(text) {
  let quote = null;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (quote) { if (ch === quote) quote = null; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (k === 0 || /\s/.test(text[k - 1]))) return text.slice(0, k).trimEnd();
  }
  return text.trimEnd();
}

function parseBlock(p, indent) {
  const content = p.lines[p.i].raw.slice(indent);
  return isItem(content) ? parseSequence(p, indent) : parseMapping(p, indent);
}

function parseSequence(p, indent) {
  const items = [];
  while (p.i < p.lines.length) {
    skipBlank(p);
    if (p.i >= p.lines.length) break;
    const line = p.lines[p.i];
    const lineIndent = indentOf(line.raw);
    const content = line.raw.slice(lineIndent);
    if (lineIndent < indent || !isItem(content)) break;
    if (lineIndent > indent) throw new Error(`line ${line.number}: unexpected indentation`);
    const rest = stripComment(content.slice(1)).trimStart();
    if (rest === "") {
      p.i++;
      skipBlank(p);
      const next = p.lines[p.i];
      items.push(next && indentOf(next.raw) > indent ? parseBlock(p, indentOf(next.raw)) : null);
    } else if (keyOf(rest)) {
      // "- key: value" starts a mapping indented where the key begins.
      const offset = content.length - content.slice(1).trimStart().length;
      p.lines[p.i] = { ...line, raw: " ".repeat(indent + offset) + content.slice(offset) };
      items.push(parseMapping(p, indent + offset));
    } else {
      p.i++;
      items.push(blockOrScalar(p, rest, indent, line.number));
    }
  }
  return items;
}

/** The key and the rest of a "key: value" line, or null. */
function keyOf(text) {
  const m = text.match(/^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[{\-?][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*)|$)/);
  if (!m) return null;
  return { key: scalar(m[1].trim(), 0), rest: m[2] ?? "" };
}

function parseMapping(p, indent) {
  const object = {};
  while (p.i < p.lines.length) {
    skipBlank(p);
    if (p.i >= p.lines.length) break;
    const line = p.lines[p.i];
    const lineIndent = indentOf(line.raw);
    if (lineIndent < indent) break;
    if (lineIndent > indent) throw new Error(`line ${line.number}: unexpected indentation`);
    const content = line.raw.slice(lineIndent);
    if (isItem(content)) break;
    const entry = keyOf(stripComment(content));
    if (!entry) throw new Error(`line ${line.number}: expected "key: value", got "${content.trim()}"`);
    const rest = stripComment(entry.rest);
    p.i++;
    if (rest === "") {
      skipBlank(p);
      const next = p.lines[p.i];
      const nextIndent = next ? indentOf(next.raw) : -1;
      if (next && nextIndent > indent) object[entry.key] = parseBlock(p, nextIndent);
      else if (next && nextIndent === indent && isItem(next.raw.slice(indent))) object[entry.key] = parseSequence(p, indent);
      else object[entry.key] = null;
    } else {
      object[entry.key] = blockOrScalar(p, rest, indent, line.number);
    }
  }
  return object;
}

/** A block scalar (| or >, with - or + chomping) from the following lines, or an inline scalar. */
function blockOrScalar(p, rest, indent, number) {
  const m = rest.match(/^([|>])([-+]?)$/);
  if (!m) return scalar(rest, number);
  const body = [];
  let blockIndent = null;
  while (p.i < p.lines.length) {
    const raw = p.lines[p.i].raw;
    if (raw.trim() === "") { body.push(""); p.i++; continue; }
    const ind = indentOf(raw);
    if (ind <= indent) break;
    blockIndent ??= ind;
    body.push(raw.slice(Math.min(ind, blockIndent)));
    p.i++;
  }
  while (body.length && body[body.length - 1] === "" && m[2] !== "+") body.pop();
  let text = m[1] === "|" ? body.join("\n") : body.join("\n").replace(/([^\n])\n(?=[^\n])/g, "$1 ");
  if (m[2] !== "-" && text) text += "\n";
  return text;
}

/** A plain, quoted or flow scalar. */
function scalar(text, number) {
  const t = text.trim();
  if (t.startsWith('"')) {
    try { return JSON.parse(t); } catch { throw new Error(`line ${number}: bad double-quoted string ${t}`); }
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`line ${number}: unterminated single-quoted string`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t.startsWith("[") || t.startsWith("{")) return parseFlow(t, number);
  if (t.startsWith("&") || t.startsWith("*") || t.startsWith("!")) throw new Error(`line ${number}: anchors, aliases and tags are not supported`);
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^(null|Null|NULL|~)?$/.test(t)) return null;
  if (/^[-+]?(\d+|\d*\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/** A flow collection: [a, "b", {c: 1}]. */
function parseFlow(text, number) {
  let k = 0;
  const fail = (what) => { throw new Error(`line ${number}: ${what} in ${text}`); };
  const space = () => { while (/\s/.test(text[k] ?? "")) k++; };
  function value() {
    space();
    if (text[k] === "[") {
      k++; const list = []; space();
      if (text[k] === "]") { k++; return list; }
      for (;;) { list.push(value()); space(); if (text[k] === ",") { k++; continue; } if (text[k] === "]") { k++; return list; } fail("expected , or ]"); }
    }
    if (text[k] === "{") {
      k++; const map = {}; space();
      if (text[k] === "}") { k++; return map; }
      for (;;) {
        const key = atom(":");
        space(); if (text[k] !== ":") fail("expected :"); k++;
        map[key] = value(); space();
        if (text[k] === ",") { k++; continue; } if (text[k] === "}") { k++; return map; } fail("expected , or }");
      }
    }
    return atom(",]}");
  }
  function atom(stops) {
    space();
    const start = k;
    if (text[k] === '"' || text[k] === "'") {
      const q = text[k++];
      while (k < text.length && !(text[k] === q && (q === "'" ? text[k + 1] !== "'" : text[k - 1] !== "\\"))) k += q === "'" && text[k] === "'" ? 2 : 1;
      k++;
      return scalar(text.slice(start, k), number);
    }
    while (k < text.length && !stops.includes(text[k]) && !(stops === ":" && text[k] === ":")) k++;
    return scalar(text.slice(start, k), number);
  }
  const result = value();
  space();
  if (k < text.length) fail("unexpected text after the collection");
  return result;
}
