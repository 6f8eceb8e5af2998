// YAML for the submit box's manifests, read the way kubectl reads them (sigs.k8s.io/yaml over go-yaml
// v2): documents split on --- lines, block mappings and sequences, flow [..] and {..} collections
// (over several lines too), plain (multi-line), quoted and block (| > with chomping and indentation
// indicators) scalars, comments, anchors, aliases, << merge keys and tags. yaml-flow.js reads flow
// collections and quoted scalars, yaml-nodes.js says what the values become. What it cannot read is an Error("line N: ..."). Pure.
import { Mapping, Nodes, isMergeKey, keyString, scalarValue, yamlError } from "./yaml-nodes.js";
import { ALIAS, flowNode, lineIndexAt, properties, readQuoted } from "./yaml-flow.js";

/** Parses YAML text into an array of documents (empty ones left out); throws Error("line N: ...") on what it cannot read. */
export function parseYAMLDocuments(text) {
  const all = (text ?? "").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const finalBreak = all.at(-1) === "";
  if (finalBreak) all.pop(); // the final line break ends the last line
  const docs = [[]];
  let ended = false;
  all.forEach((raw, index) => {
    const number = index + 1;
    if (raw.startsWith("---")) {
      // kubectl splits documents on these lines and allows only a comment after ---.
      if (!/^---[ \t]*(#.*)?$/.test(raw)) throw yamlError(number, `only a comment may follow --- (start "${raw.slice(3).trim()}" on the next line)`);
      docs.push([]);
      ended = false;
    } else if (/^\.\.\.[ \t]*(#.*)?$/.test(raw)) ended = true;
    else if (ended && !isBlank(raw)) throw yamlError(number, "a document ended by ... needs --- before the next one");
    else if (raw.startsWith("%")) throw yamlError(number, "directives (%YAML, %TAG) are not supported");
    else docs.at(-1).push({ raw, number, unbroken: number === all.length && !finalBreak });
  });
  return docs.map(parseDocument).filter((d) => d !== undefined);
}

/** A document's value, or undefined when it holds only comments. */
function parseDocument(lines) {
  // p.text is the document as one string (for flow collections and quoted scalars, which may span
  // lines); p.starts[i] is where line i begins in it.
  const p = { lines, i: 0, nodes: new Nodes(), text: lines.map((l) => l.raw).join("\n"), starts: [] };
  lines.reduce((offset, l) => { p.starts.push(offset); return offset + l.raw.length + 1; }, 0);
  skipBlank(p);
  if (p.i >= lines.length) return undefined;
  const value = node(p, indentAt(p, p.i), -1, true);
  skipBlank(p);
  if (p.i < lines.length) throw yamlError(lines[p.i].number, "unexpected indentation");
  return value;
}

// Only spaces and tabs are blanks in YAML (not, say, a no-break space).
const isBlank = (raw) => /^[ \t]*(#.*)?$/.test(raw);
const trimBlanks = (text) => text.replace(/^[ \t]+|[ \t]+$/g, "");
function skipBlank(p) { while (p.i < p.lines.length && isBlank(p.lines[p.i].raw)) p.i++; }
const isItem = (content) => content === "-" || /^-[ \t]/.test(content);
const skipSpaces = (text, k) => { while (text[k] === " " || text[k] === "\t") k++; return k; };
/** A plain scalar's text without its comment (" #…" or a leading "#"). */
function stripComment(text) {
  const m = /(^|[ \t])#/.exec(text);
  return trimBlanks(m ? text.slice(0, m.index) : text);
}

/** The indentation of line `li` (not blank); a tab there is an error, as in YAML. */
function indentAt(p, li) {
  const { raw, number } = p.lines[li];
  const n = raw.match(/^ */)[0].length;
  if (raw[n] === "\t") throw yamlError(number, "tabs cannot indent YAML");
  return n;
}

/**
 * The node starting at column `col` of line p.i — after "key:" or "- ", or at the line's indentation
 * when `startsLine` (then it may be a block mapping or sequence) — inside a block collection indented
 * `parent` (-1 at the top). Leaves p.i on the line after it. A mapping value (`seqAtParent`) may be a
 * sequence indented like its key; `tag` comes from a property line above.
 */
function node(p, col, parent, startsLine, seqAtParent = false, tag = undefined) {
  const line = p.lines[p.i];
  col = skipSpaces(line.raw, col);
  const content = line.raw.slice(col);
  if (startsLine && isItem(content)) return sequence(p, col);
  if (startsLine && keyAt(content, line.number)) return mapping(p, col);
  if (startsLine && /^\?([ \t]|$)/.test(content)) notAKey(content, line.number);
  const props = properties(line.raw, col, line.number);
  const at = skipSpaces(line.raw, props.end);
  const body = stripComment(line.raw.slice(at));
  tag = props.tag ?? tag;
  return p.nodes.anchored(props.anchor, () => {
    if (body === "") return below(p, parent, seqAtParent, tag, line.number);
    if (body[0] === "*") {
      if (!/^\*[A-Za-z0-9_-]+$/.test(body)) throw yamlError(line.number, `an alias is *name alone, got "${body}"`);
      if (props.end > col) throw yamlError(line.number, "an alias cannot have an anchor or a tag");
      p.i++;
      return p.nodes.alias(body.slice(1), line.number);
    }
    if (body[0] === "|" || body[0] === ">") return blockScalar(p, body, parent, tag, line.number);
    if ("[{\"'".includes(body[0])) return inline(p, p.starts[p.i] + at, tag);
    const value = plain(p, body, parent, tag, line.number);
    if (parent < 0 && value !== null) notAKey(content, line.number); // a document may be ~, not text
    return value;
  });
}

/** A node with nothing after its key, dash or properties: the lines below hold it, or it is empty (null). */
function below(p, parent, seqAtParent, tag, number) {
  p.i++;
  skipBlank(p);
  if (p.i < p.lines.length) {
    const indent = indentAt(p, p.i);
    if (indent > parent) return node(p, indent, parent, true, false, tag);
    if (seqAtParent && indent === parent && isItem(p.lines[p.i].raw.slice(indent))) return sequence(p, indent);
  }
  return p.nodes.scalar("", true, tag, number);
}

function sequence(p, indent) {
  const items = [];
  for (let first = true; ; first = false) {
    if (!first) skipBlank(p);
    if (p.i >= p.lines.length) break;
    const ind = first ? indent : indentAt(p, p.i);
    if (ind < indent) break;
    if (ind > indent) throw yamlError(p.lines[p.i].number, "unexpected indentation");
    if (!isItem(p.lines[p.i].raw.slice(ind))) break;
    items.push(node(p, ind + 1, indent, true)); // "- a: 1" and "- - x" start a collection after the dash
  }
  return items;
}

function mapping(p, indent) {
  const m = new Mapping();
  for (let first = true; ; first = false) {
    if (!first) skipBlank(p);
    if (p.i >= p.lines.length) break;
    const line = p.lines[p.i];
    const ind = first ? indent : indentAt(p, p.i);
    if (ind < indent) break;
    if (ind > indent) throw yamlError(line.number, "unexpected indentation");
    const content = line.raw.slice(ind);
    if (isItem(content)) throw yamlError(line.number, `a "- " item needs its key on the line above, got "${content.trim()}"`);
    const key = keyAt(content, line.number) ?? notAKey(content, line.number);
    const name = keyName(p, key, p.starts[p.i] + ind, line.number);
    const value = node(p, ind + key.valueAt, indent, false, true);
    if (name.merge) m.merge(value, line.number); else m.set(name.key, value, line.number);
  }
  return m.done();
}

function notAKey(content, number) {
  if (/^\?([ \t]|$)/.test(content)) throw yamlError(number, "complex keys (? key) are not supported");
  throw yamlError(number, `expected "key: value", got "${content.trim()}"`);
}

const QUOTED_KEY = /"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/y;
/** The key of a "key: value" line (properties, then a quoted, aliased or plain key on this line), or null. */
function keyAt(content, number) {
  const props = properties(content, 0, number);
  const key = { anchor: props.anchor, tag: props.tag, at: props.end, plain: false };
  let k = props.end;
  if (content[k] === '"' || content[k] === "'") {
    QUOTED_KEY.lastIndex = k;
    if (!QUOTED_KEY.exec(content)) return null;
    k = QUOTED_KEY.lastIndex;
  } else if (content[k] === "*") {
    ALIAS.lastIndex = k;
    const m = ALIAS.exec(content);
    if (!m) return null;
    key.alias = m[1];
    k = ALIAS.lastIndex;
  } else {
    if (/^(?:[-?:](?:[ \t]|$)|[[\]{},#&*!|>%@`])/.test(content.slice(k))) return null;
    let j = k; // a plain key ends at ": " or a final ":"; " #" starts a comment instead
    for (; j < content.length && !(content[j] === ":" && /[ \t]/.test(content[j + 1] ?? " ")); j++) {
      if (content[j] === "#" && /[ \t]/.test(content[j - 1])) return null;
    }
    key.text = trimBlanks(content.slice(k, j));
    if (j >= content.length || key.text === "") return null;
    key.plain = true;
    k = j;
  }
  k = skipSpaces(content, k);
  if (content[k] !== ":" || !/[ \t]/.test(content[k + 1] ?? " ")) return null;
  key.valueAt = k + 1;
  return key;
}

/** A key's JSON name, and whether it is a merge key (a plain <<). `offset` is where its line's content starts in p.text. */
function keyName(p, key, offset, number) {
  const value = p.nodes.anchored(key.anchor, () => {
    if (key.alias !== undefined) return p.nodes.alias(key.alias, number);
    const text = key.plain ? key.text : readQuoted(p, offset + key.at).value;
    return scalarValue(text, key.plain, key.tag, number); // a key may be .inf: it becomes text
  });
  if (value !== null && typeof value === "object") throw yamlError(number, "a mapping key must be a scalar");
  return { key: keyString(value), merge: isMergeKey(key.plain, key.text, key.tag) };
}

/** A plain scalar: this line's text and the more indented lines after it, folded into one line. */
function plain(p, first, parent, tag, number) {
  if (/:([ \t]|$)/.test(first)) throw yamlError(number, `a plain value cannot hold ": ", quote it: ${first}`);
  if (isItem(first)) throw yamlError(number, "a sequence cannot start on the line of its key");
  let text = first;
  let breaks = 0;
  for (p.i++; p.i < p.lines.length; p.i++) {
    const trimmed = trimBlanks(p.lines[p.i].raw);
    if (trimmed === "") { breaks++; continue; }
    if (trimmed.startsWith("#") || indentAt(p, p.i) <= parent) break;
    const more = stripComment(trimmed);
    if (/:([ \t]|$)/.test(more)) throw yamlError(p.lines[p.i].number, "unexpected indentation");
    text += breaks ? "\n".repeat(breaks) : " ";
    text += more;
    breaks = 0;
    if (more !== trimmed) { p.i++; break; } // a comment ends the scalar
  }
  return p.nodes.scalar(text, true, tag, number);
}

/** A block scalar (| literal, > folded; - strip, + keep; an indentation digit) from the lines below its header. */
function blockScalar(p, header, parent, tag, number) {
  const m = /^([|>])(?:([1-9])([-+]?)|([-+])([1-9]?))?$/.exec(header);
  if (!m) throw yamlError(number, `bad block scalar header "${header}"`);
  const chomp = m[3] || m[4] || "";
  const digit = Number(m[2] || m[5] || 0);
  let indent = digit ? Math.max(parent, 0) + digit : null;
  const lines = [];
  const headerLine = p.i;
  for (p.i++; p.i < p.lines.length; p.i++) {
    const raw = p.lines[p.i].raw;
    if (/^[ \t]*$/.test(raw)) { lines.push(indent === null ? "" : raw.slice(indent)); continue; }
    const ind = raw.match(/^ */)[0].length;
    if (indent === null) {
      if (ind <= parent) break;
      indent = ind;
    }
    if (ind < indent) break;
    lines.push(raw.slice(indent));
  }
  let end = lines.length;
  while (end > 0 && lines[end - 1] === "") end--;
  const content = lines.slice(0, end);
  let text = m[1] === "|" ? content.join("\n") : fold(content);
  // The line breaks after the text: its last line's and the empty lines' (the text's last line may have none).
  const breaks = (content.length ? 1 : 0) + lines.length - end - (p.i > headerLine + 1 && p.lines[p.i - 1].unbroken ? 1 : 0);
  if (chomp === "+") text += "\n".repeat(breaks);
  else if (chomp === "" && content.length && breaks) text += "\n";
  return p.nodes.scalar(text, false, tag, number);
}

/** Folding of > scalars: a line break between two text lines is a space, except next to more-indented lines; n empty lines are n breaks. */
function fold(lines) {
  let text = "";
  let breaks = 0;
  let previous = null; // whether the previous text line was more indented; null before the first
  for (const line of lines) {
    if (line === "") { breaks++; continue; }
    const more = /^[ \t]/.test(line);
    if (previous === null) text += "\n".repeat(breaks);
    else if (more || previous) text += "\n".repeat(breaks + 1);
    else text += breaks ? "\n".repeat(breaks) : " ";
    text += line;
    breaks = 0;
    previous = more;
  }
  return text;
}

/** A flow collection or quoted scalar starting at `offset` of p.text; only a comment may follow it on its last line. */
function inline(p, offset, tag) {
  const r = { p, k: offset };
  const value = flowNode(r, tag);
  const li = lineIndexAt(p, r.k);
  const after = p.lines[li].raw.slice(r.k - p.starts[li]);
  if (stripComment(after) !== "") throw yamlError(p.lines[li].number, `unexpected "${after.trim()}" after the value`);
  p.i = li + 1;
  return value;
}
