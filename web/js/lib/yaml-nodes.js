// What parsed YAML becomes — the JSON kubectl would send (sigs.k8s.io/yaml over go-yaml v2): plain
// scalars typed as YAML 1.1, tags, anchors and aliases, mappings with `<<` merge keys and duplicate
// keys refused. yaml.js reads the syntax and builds its values here. Pure.

export const yamlError = (number, message) => new Error(`line ${number}: ${message}`);

const words = (list, value) => Object.fromEntries(list.split(" ").map((word) => [word, value]));
/** go-yaml v2's table of plain words: YAML 1.1 booleans (yes/no/on/off/y/n too), nulls, .inf and .nan. */
const PLAIN_WORDS = {
  ...words("y Y yes Yes YES true True TRUE on On ON", ["bool", true]),
  ...words("n N no No NO false False FALSE off Off OFF", ["bool", false]),
  ...words("~ null Null NULL", ["null", null]), "": ["null", null],
  ...words(".nan .NaN .NAN", ["float", NaN]),
  ...words(".inf .Inf .INF +.inf +.Inf +.INF", ["float", Infinity]),
  ...words("-.inf -.Inf -.INF", ["float", -Infinity]),
};
// Go's strconv.ParseInt(s, 0, 64) syntax: a sign, then 0x, 0o, 0b or a leading 0 (octal).
const INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|(0|[1-9][0-9]*))$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/; // go-yaml v2's yamlStyleFloat
const TIMESTAMP = /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/;

/** The kind (null, bool, int, float, timestamp, str) and value of a plain scalar, as go-yaml v2 resolves it. */
export function resolvePlain(text) {
  if (Object.hasOwn(PLAIN_WORDS, text)) return PLAIN_WORDS[text];
  if (text[0] === ".") return FLOAT.test(text) ? ["float", Number(text)] : ["str", text];
  if (!/^[-+0-9]/.test(text)) return ["str", text];
  if (TIMESTAMP.test(text)) return ["timestamp", text]; // go-yaml v2 keeps the text for untyped values
  const plain = text.replace(/_/g, "");
  const m = INT.exec(plain);
  if (m) {
    const [, sign, hex, octal, binary, zeroOctal, decimal] = m;
    const digits = hex ? `0x${hex}` : octal ?? zeroOctal ? `0o${octal ?? zeroOctal}` : binary ? `0b${binary}` : decimal;
    return ["int", Number(BigInt(digits)) * (sign === "-" ? -1 : 1) || 0];
  }
  // A float too large for a float64 fails Go's ParseFloat and stays text.
  if (FLOAT.test(plain) && Number.isFinite(Number(plain))) return ["float", Number(plain)];
  return ["str", text];
}

export const CORE = "tag:yaml.org,2002:";
/** A tag as written (!!int, !<tag:yaml.org,2002:int>, !local) in its long form. */
export const longTag = (tag) => (tag.startsWith("!!") ? CORE + tag.slice(2) : tag.startsWith("!<") ? tag.slice(2, -1) : tag);

/**
 * A scalar's value, as go-yaml v2 decodes it into an untyped value. Untagged: plain text is typed
 * (resolvePlain), quoted and block text is a string. !!str is the text; !!bool, !!int, !!float,
 * !!null, !!timestamp type it and fail when it is not one; !!binary is base64 decoded to text;
 * any other tag — local ones (!foo), `!`, !!map, !!seq — is ignored and leaves the text a string.
 */
export function scalarValue(text, plain, tag, number) {
  if (tag === undefined) return plain ? resolvePlain(text)[1] : text;
  const core = tag.startsWith(CORE) ? tag.slice(CORE.length) : null;
  if (core === "str") return text;
  if (core === "binary") return decodeBinary(text, number);
  if (["bool", "int", "float", "null", "timestamp"].includes(core)) {
    const [kind, value] = resolvePlain(text);
    if (kind === core || (core === "float" && kind === "int")) return value;
    throw yamlError(number, `cannot read ${JSON.stringify(text)} as !!${core}`);
  }
  return text;
}

/** !!binary: base64 (line breaks ignored, as Go's decoder does) to the text of its bytes. */
function decodeBinary(text, number) {
  const base64 = text.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) {
    throw yamlError(number, "!!binary value is not valid base64");
  }
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** A mapping key as JSON needs it: typed keys become text again (`on:` → "true", `1:` → "1"), as sigs.k8s.io/yaml does. */
export function keyString(value) {
  if (typeof value === "string") return value;
  if (value === null) return "null";
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity || value === -Infinity) return value > 0 ? ".inf" : "-.inf";
  return String(value);
}

/** A plain << key (or one tagged !!merge) merges the mapping(s) it is given. */
export const isMergeKey = (plain, text, tag) => plain && text === "<<" && (tag === undefined || tag === `${CORE}merge`);

const isMapping = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
/** Sets own property `key` ("__proto__" too, which plain assignment would take as the prototype). */
function define(object, key, value) {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** A mapping being read: explicit keys (a duplicate is an error) and `<<` merge sources, applied by done(). */
export class Mapping {
  object = {};
  #lines = new Map();
  #merged = [];

  set(key, value, number) {
    if (this.#lines.has(key)) throw yamlError(number, `duplicate key ${JSON.stringify(key)} (first on line ${this.#lines.get(key)})`);
    this.#lines.set(key, number);
    define(this.object, key, value);
  }

  /** `<<: *a` or `<<: [*a, *b]`: their keys are added unless the mapping has them; earlier sources win. */
  merge(value, number) {
    for (const source of Array.isArray(value) ? value : [value]) {
      if (!isMapping(source)) throw yamlError(number, "<< merges a mapping or a list of mappings");
      this.#merged.push(source);
    }
  }

  done() {
    for (const source of this.#merged) {
      for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(this.object, key)) define(this.object, key, value);
    }
    return this.object;
  }
}

/** Aliases may expand to at most this many values per document (a "billion laughs" stops here). */
const MAX_EXPANDED = 1_000_000;

/** One document's anchors. An alias is its anchor's value itself (shared, not copied). */
export class Nodes {
  #anchors = new Map();
  #open = new Set();
  #sizes = new WeakMap();
  #expanded = 0;

  /** The value build() returns, recorded under &name when the node carries one. */
  anchored(name, build) {
    if (name === undefined) return build();
    this.#open.add(name);
    const value = build();
    this.#open.delete(name);
    this.#anchors.set(name, value);
    return value;
  }

  alias(name, number) {
    if (this.#open.has(name)) throw yamlError(number, `*${name} is inside its own anchor &${name}`);
    if (!this.#anchors.has(name)) throw yamlError(number, `unknown alias *${name} (no &${name} before it in this document)`);
    const value = this.#anchors.get(name);
    this.#expanded += this.#size(value);
    if (this.#expanded > MAX_EXPANDED) throw yamlError(number, `aliases expand to more than ${MAX_EXPANDED} values`);
    return value;
  }

  /** A scalar in value position: JSON has no .inf or .nan (kubectl's json.Marshal refuses them too). */
  scalar(text, plain, tag, number) {
    const value = scalarValue(text, plain, tag, number);
    if (typeof value === "number" && !Number.isFinite(value)) throw yamlError(number, `${text} cannot be represented in JSON`);
    return value;
  }

  #size(value) {
    if (value === null || typeof value !== "object") return 1;
    if (!this.#sizes.has(value)) this.#sizes.set(value, Object.values(value).reduce((sum, v) => sum + this.#size(v), 1));
    return this.#sizes.get(value);
  }
}
