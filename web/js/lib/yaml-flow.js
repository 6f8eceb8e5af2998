// The YAML syntax that may span lines, read over a document as one string (p.text, whose line i
// starts at p.starts[i]): flow [..] and {..} collections and quoted scalars; and the &anchor and
// !tag properties before a node. yaml.js reads the block structure around them. Pure.
import { Mapping, isMergeKey, keyString, longTag, scalarValue, yamlError } from "./yaml-nodes.js";

const skipSpaces = (text, k) => { while (text[k] === " " || text[k] === "\t") k++; return k; };

// &anchor and !tag properties before a node: anchor names as libyaml reads them, then a space,
// a flow indicator or the end.
const PROPERTY = /(?:&([A-Za-z0-9_-]+)|(!(?:<[^> \t\n]*>|[^ \t\n,[\]{}]*)))(?=[ \t\n,[\]{}]|$)[ \t]*/y;
export function properties(text, k, number) {
  const found = { anchor: undefined, tag: undefined, end: k };
  for (let m; (PROPERTY.lastIndex = found.end, m = PROPERTY.exec(text)); found.end = PROPERTY.lastIndex) {
    if ((m[1] !== undefined && found.anchor !== undefined) || (m[2] !== undefined && found.tag !== undefined)) {
      throw yamlError(number, "a node has at most one anchor and one tag");
    }
    // Without %TAG directives only ! and !! are defined handles, as in libyaml.
    if (/^![A-Za-z0-9-]+!/.test(m[2] ?? "")) throw yamlError(number, `undefined tag handle in ${m[2]}`);
    if (m[1] !== undefined) found.anchor = m[1]; else found.tag = longTag(m[2]);
  }
  return found;
}

export const ALIAS = /\*([A-Za-z0-9_-]+)/y;

export function lineIndexAt(p, offset) {
  let low = 0;
  let high = p.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (p.starts[mid] <= offset) low = mid; else high = mid - 1;
  }
  return low;
}
const lineAt = (p, offset) => p.lines[lineIndexAt(p, offset)].number;

/** Skips spaces, line breaks and comments inside a flow collection. */
function space(r) {
  const text = r.p.text;
  for (;;) {
    while (/[ \t\n]/.test(text[r.k] ?? "")) r.k++;
    if (text[r.k] !== "#") return;
    while (r.k < text.length && text[r.k] !== "\n") r.k++;
  }
}

/** A node in flow style at r.k of p.text (r = {p, k}): [..], {..}, a quoted or plain scalar, an alias. r.scalar tells keys what it was. */
export function flowNode(r, inherited, isKey = false) {
  const { p } = r;
  const text = p.text;
  space(r);
  const number = lineAt(p, r.k);
  const props = properties(text, r.k, number);
  const tag = props.tag ?? inherited;
  r.k = props.end;
  r.scalar = null;
  return p.nodes.anchored(props.anchor, () => {
    space(r);
    const c = text[r.k];
    if (c === "[") return flowSequence(r, number);
    if (c === "{") return flowMapping(r, number);
    if (c === "*") {
      ALIAS.lastIndex = r.k;
      const m = ALIAS.exec(text);
      if (!m) throw yamlError(number, "an alias is *name");
      r.k = ALIAS.lastIndex;
      return p.nodes.alias(m[1], number);
    }
    let value;
    let plainText = null;
    if (c === '"' || c === "'") {
      ({ value, end: r.k } = readQuoted(p, r.k));
    } else {
      if (/^\?[ \t\n]/.test(text.slice(r.k, r.k + 2))) throw yamlError(number, "complex keys (? key) are not supported");
      const start = r.k; // a plain scalar ends at , [ ] { }, at ":" before a space or those, or at " #"
      for (; r.k < text.length; r.k++) {
        const ch = text[r.k];
        if (/[,[\]{}]/.test(ch) || (ch === ":" && /[ \t\n,[\]{}]/.test(text[r.k + 1] ?? " ")) || (ch === "#" && /[ \t\n]/.test(text[r.k - 1]))) break;
      }
      value = plainText = text.slice(start, r.k).replace(/^[ \t\n]+|[ \t\n]+$/g, "").replace(/[ \t]*\n[ \t\n]*/g, (s) => folded(s.split("\n").length - 1));
      if (value === "" && props.tag === undefined && props.anchor === undefined) {
        throw yamlError(lineAt(p, r.k), `expected a value, got "${text[r.k] ?? "the end"}"`);
      }
    }
    r.scalar = { plain: plainText !== null, text: plainText, tag };
    return isKey ? scalarValue(value, plainText !== null, tag, number) : p.nodes.scalar(value, plainText !== null, tag, number);
  });
}

function flowSequence(r, number) {
  const text = r.p.text;
  const items = [];
  for (r.k++; ;) {
    space(r);
    if (text[r.k] === "]") { r.k++; return items; }
    items.push(flowNode(r));
    space(r);
    if (text[r.k] === ",") { r.k++; continue; }
    if (text[r.k] === "]") { r.k++; return items; }
    const pair = text[r.k] === ":" ? `; "key: value" needs {} inside []` : "";
    throw yamlError(lineAt(r.p, r.k), `expected , or ] (the [ is on line ${number}${pair})`);
  }
}

function flowMapping(r, number) {
  const text = r.p.text;
  const m = new Mapping();
  for (r.k++; ;) {
    space(r);
    if (text[r.k] === "}") { r.k++; return m.done(); }
    const line = lineAt(r.p, r.k);
    const key = flowNode(r, undefined, true);
    if (key !== null && typeof key === "object") throw yamlError(line, "a mapping key must be a scalar");
    const merge = r.scalar !== null && isMergeKey(r.scalar.plain, r.scalar.text, r.scalar.tag);
    space(r);
    let value = null;
    if (text[r.k] === ":") {
      r.k++;
      space(r);
      if (text[r.k] !== "," && text[r.k] !== "}") value = flowNode(r);
    }
    if (merge) m.merge(value, line); else m.set(keyString(key), value, line);
    space(r);
    if (text[r.k] === ",") { r.k++; continue; }
    if (text[r.k] === "}") { r.k++; return m.done(); }
    throw yamlError(lineAt(r.p, r.k), `expected , or } (the { is on line ${number})`);
  }
}

/** What n line breaks inside a flow or quoted scalar fold to: one is a space, more are n - 1 breaks. */
const folded = (n) => (n === 1 ? " " : "\n".repeat(n - 1));

const ESCAPES = { 0: "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ",
  '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
/**
 * A quoted scalar at `k` of p.text: 'single' ('' is a quote) or "double" (with YAML's escapes). A line
 * break inside folds to a space (n empty lines: n breaks), dropping the blanks around it; in double
 * quotes a \ at the end of a line joins the lines.
 */
export function readQuoted(p, k) {
  const text = p.text;
  const quote = text[k];
  const number = lineAt(p, k);
  let out = "";
  let blanks = ""; // spaces and tabs kept only if more text follows on the line
  for (k++; ;) {
    if (k >= text.length) throw yamlError(number, `unterminated ${quote === '"' ? "double" : "single"}-quoted string`);
    const c = text[k];
    if (c === quote && !(quote === "'" && text[k + 1] === "'")) return { value: out + blanks, end: k + 1 };
    if (c === "\n") {
      const start = k;
      while (/[ \t\n]/.test(text[k] ?? "")) k++;
      out += folded(text.slice(start, k).split("\n").length - 1);
      blanks = "";
    } else if (c === " " || c === "\t") {
      blanks += c;
      k++;
    } else if (c === "'" && quote === "'") { // '' inside single quotes
      out += `${blanks}'`;
      blanks = "";
      k += 2;
    } else if (c === "\\" && quote === '"') {
      const e = text[k + 1];
      out += blanks;
      blanks = "";
      if (e === "\n") { k = skipSpaces(text, k + 2); continue; }
      if (Object.hasOwn(ESCAPES, e ?? "")) { out += ESCAPES[e]; k += 2; continue; }
      const length = { x: 2, u: 4, U: 8 }[e];
      const hex = length ? text.slice(k + 2, k + 2 + length) : "";
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === length ? parseInt(hex, 16) : -1;
      if (code < 0 || code > 0x10ffff) throw yamlError(lineAt(p, k), `unknown escape \\${e ?? ""} in a double-quoted string`);
      out += String.fromCodePoint(code);
      k += 2 + length;
    } else {
      out += blanks + c;
      blanks = "";
      k++;
    }
  }
}
