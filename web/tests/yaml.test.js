import { test } from "node:test";
import assert from "node:assert/strict";
import { parseYAMLDocuments } from "../js/lib/yaml.js";

/** Each row: YAML text → the documents it reads as (JSON values), or a single document. */
function check(rows, { single = true } = {}) {
  for (const [yaml, expected] of rows) {
    const docs = parseYAMLDocuments(yaml);
    assert.deepEqual(single ? docs[0] : docs, expected, yaml);
    if (single) assert.equal(docs.length, 1, yaml);
  }
}
/** Each row: YAML text → the error it must raise (a pattern naming the line). */
function refuse(rows) {
  for (const [yaml, error] of rows) assert.throws(() => parseYAMLDocuments(yaml), error, yaml);
}

test("a Job manifest in YAML reads as its JSON", () => {
  const [job] = parseYAMLDocuments(`
apiVersion: batch/v1   # the group
kind: Job
metadata:
  name: "hello"
  labels: {app: web, tier: 'front'}
spec:
  completions: 3
  suspend: false
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c"]
        args:
          - |
            echo one
            echo two
        env:
          - name: A
            value: "1"
          - {name: B, value: x}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`);
  assert.deepEqual(job, {
    apiVersion: "batch/v1", kind: "Job", metadata: { name: "hello", labels: { app: "web", tier: "front" } },
    spec: { completions: 3, suspend: false, template: { spec: { restartPolicy: "Never", containers: [{
      name: "main", image: "busybox", command: ["sh", "-c"], args: ["echo one\necho two\n"],
      env: [{ name: "A", value: "1" }, { name: "B", value: "x" }],
      resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } } },
  });
});

test("real-world manifests with anchors and merge keys: Deployments sharing labels, a Job's containers sharing env", () => {
  const docs = parseYAMLDocuments(`
# two Deployments of one app share their labels
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: shop
    tier: web
spec:
  replicas: 2
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - &web
        name: web
        image: shop:1.4
        ports: [{containerPort: 8080}]
        resources: &small
          requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-canary
  labels: &labels
    app: shop
    tier: web
    track: canary
spec:
  replicas: 1
  selector: {matchLabels: *labels}
  template:
    metadata: {labels: *labels}
    spec:
      containers:
      - name: web
        image: shop:1.5
        resources: {requests: {cpu: 100m, memory: 128Mi}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: etl}
x-defaults:
  env: &env
  - {name: REGION, value: eu-west-1}
  - name: LOG_LEVEL
    value: info
  container: &container
    image: etl:2
    imagePullPolicy: IfNotPresent
    resources:
      limits: &limits {cpu: "1", memory: 1Gi}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - <<: *container
        name: extract
        env: *env
      - <<: [*container, {resources: {}}]
        name: load
        imagePullPolicy: Always   # explicit keys win over merged ones
        env:
        - *env
        - [{name: BATCH, value: "500"}]
`);
  const labels = { app: "shop", tier: "web" };
  const web = { name: "web", image: "shop:1.4", ports: [{ containerPort: 8080 }], resources: { requests: { cpu: "100m", memory: "128Mi" } } };
  assert.deepEqual(docs[0], { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [web] } } } });
  const canary = { ...labels, track: "canary" };
  assert.deepEqual(docs[1].spec, { replicas: 1, selector: { matchLabels: canary }, template: { metadata: { labels: canary },
    spec: { containers: [{ name: "web", image: "shop:1.5", resources: { requests: { cpu: "100m", memory: "128Mi" } } }] } } });
  const env = [{ name: "REGION", value: "eu-west-1" }, { name: "LOG_LEVEL", value: "info" }];
  const limits = { limits: { cpu: "1", memory: "1Gi" } };
  assert.deepEqual(docs[2].spec.template.spec.containers, [
    { name: "extract", image: "etl:2", imagePullPolicy: "IfNotPresent", resources: limits, env },
    { name: "load", image: "etl:2", imagePullPolicy: "Always", resources: limits, env: [env, [{ name: "BATCH", value: "500" }]] },
  ]);
  // Anchors belong to their document: the canary cannot use the first Deployment's &web.
  assert.throws(() => parseYAMLDocuments("a: &web {x: 1}\n---\nb:\n  <<: *web\n"), /line 4: unknown alias \*web/);
});

test("anchors and aliases on scalars, mappings and sequences; merge keys", () => {
  check([
    ["a: &x 1\nb: *x", { a: 1, b: 1 }],
    ["a: &x hello world\nb: [*x, *x]", { a: "hello world", b: ["hello world", "hello world"] }],
    ["a: &s\n- 1\n- two\nb: *s", { a: [1, "two"], b: [1, "two"] }],
    ["a: &m\n  k: v\nb: *m", { a: { k: "v" }, b: { k: "v" } }],
    ["- &m {k: v}\n- *m\n- &e\n- *e", [{ k: "v" }, { k: "v" }, null, null]],
    ["&top\na: 1", { a: 1 }],
    ["a: !!str &x 12\nb: *x\nc: &y !!int '7'\nd: *y", { a: "12", b: "12", c: 7, d: 7 }],
    ["a: &x |\n  text\nb: *x", { a: "text\n", b: "text\n" }],
    ["&k key: v\nother: *k", { key: "v", other: "key" }],
    ["base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3", { base: { a: 1, b: 2 }, m: { a: 1, b: 3 } }],
    ["m:\n  b: 3\n  <<: {a: 1, b: 2}", { m: { b: 3, a: 1 } }],
    ["x: &x {a: 1, b: 1}\nz: &z {b: 2, c: 2}\nm:\n  <<: [*x, *z]\n  c: 3", { x: { a: 1, b: 1 }, z: { b: 2, c: 2 }, m: { a: 1, b: 1, c: 3 } }],
    ["x: &x {a: 1}\nm: {<<: *x, b: 2}", { x: { a: 1 }, m: { a: 1, b: 2 } }],
    ["a: &a {x: 1}\nb: &b\n  <<: *a\n  w: 2\nc:\n  <<: *b\n  z: 3", { a: { x: 1 }, b: { x: 1, w: 2 }, c: { x: 1, w: 2, z: 3 } }],
    ["m:\n  '<<': {a: 1}", { m: { "<<": { a: 1 } } }], // a quoted << is an ordinary key
  ]);
  refuse([
    ["a: *nope", /line 1: unknown alias \*nope/],
    ["a: 1\nb:\n  c: [1, *later]\nd: &later 2", /line 3: unknown alias \*later/],
    ["a: &a\n  b: *a", /line 2: \*a is inside its own anchor &a/],
    ["a: &x 1\nm:\n  <<: *x", /line 3: << merges a mapping or a list of mappings/],
    ["m:\n  <<: [{a: 1}, 2]", /line 2: << merges a mapping/],
    ["a: &x &y 1", /line 1: a node has at most one anchor and one tag/],
    ["a: &x *y", /line 1: an alias cannot have an anchor or a tag/],
  ]);
});

test("aliases that would expand to millions of values are refused", () => {
  let text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 0; i < 7; i++) text += `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]\n`;
  assert.throws(() => parseYAMLDocuments(text), /aliases expand to more than 1000000 values/);
});

test("tags: core ones type or check the value, !!binary decodes, local ones are ignored", () => {
  check([
    ["a: !!str 12\nb: !!str true\nc: !!str\nd: !!str ~", { a: "12", b: "true", c: "", d: "~" }],
    ["a: !!int 12\nb: !!int '0x1F'\nc: !!float 1\nd: !!float 1.5e3\ne: !!bool yes\nf: !!bool \"false\"\ng: !!null ~\nh: !!null", { a: 12, b: 31, c: 1, d: 1500, e: true, f: false, g: null, h: null }],
    ["a: !!timestamp 2024-01-02\nb: 2024-01-02T10:00:00Z", { a: "2024-01-02", b: "2024-01-02T10:00:00Z" }],
    ["a: !!map {x: 1}\nb: !!seq [1]\nc: !!map\n  w: 2\nd: !!seq\n- 3", { a: { x: 1 }, b: [1], c: { w: 2 }, d: [3] }],
    ["a: !<tag:yaml.org,2002:str> 5\nb: !<tag:yaml.org,2002:int> '5'", { a: "5", b: 5 }],
    ["token: !!binary aGVsbG8=\nblock: !!binary |\n  aGVs\n  bG8gd29ybGQ=\nempty: !!binary ''", { token: "hello", block: "hello world", empty: "" }],
    ["a: !foo 12\nb: !foo\n  k: v\nc: ! yes\nd: !foo\ne: !<!bar> [1]", { a: "12", b: { k: "v" }, c: "yes", d: "", e: [1] }],
    ["!!str 1: one\n!!int '2': two", { 1: "one", 2: "two" }],
  ]);
  refuse([
    ["a: !!int abc", /line 1: cannot read "abc" as !!int/],
    ["a: !!int 1.5", /line 1: cannot read "1.5" as !!int/],
    ["a: !!bool 1", /line 1: cannot read "1" as !!bool/],
    ["a: !!null x", /line 1: cannot read "x" as !!null/],
    ["a: !!timestamp soon", /line 1: cannot read "soon" as !!timestamp/],
    ["a:\n  b: !!binary not*base64", /line 2: !!binary value is not valid base64/],
    ["a: !!binary aGVsbG8", /line 1: !!binary value is not valid base64/],
    ["a: 1\nb: !e!x 2", /line 2: undefined tag handle in !e!x/],
  ]);
});

test("plain scalars are typed as YAML 1.1, like kubectl (go-yaml v2)", () => {
  const rows = [
    ["1", 1], ["-12", -12], ["+7", 7], ["1_000", 1000], ["0x1F", 31], ["-0x1f", -31], ["0o17", 15], ["017", 15], ["0b101", 5],
    ["0", 0], ["-0", 0], ["08", 8], ["09.5", 9.5], ["1.5", 1.5], ["1.", 1], [".5", 0.5], ["-.5", -0.5], ["1e3", 1000], ["1E-2", 0.01], ["+1.5e+3", 1500],
    ["true", true], ["True", true], ["TRUE", true], ["yes", true], ["Yes", true], ["on", true], ["ON", true], ["y", true], ["Y", true],
    ["false", false], ["no", false], ["NO", false], ["off", false], ["Off", false], ["n", false], ["N", false],
    ["null", null], ["Null", null], ["NULL", null], ["~", null], ["", null],
    ["yES", "yES"], ["nil", "nil"], ["none", "none"], ["hello", "hello"], ["1.2.3", "1.2.3"], ["10.0.0.1", "10.0.0.1"], ["-x", "-x"],
    ["0x", "0x"], ["0o", "0o"], ["1e", "1e"], ["1:20", "1:20"], ["12:30:00", "12:30:00"], ["2024-01-02", "2024-01-02"], ["1e400", "1e400"],
    ["inf", "inf"], ["-inf", "-inf"], ["NaN", "NaN"], ["<<", "<<"], ["100m", "100m"], ["64Mi", "64Mi"], ["1.5Gi", "1.5Gi"], ["v1.2", "v1.2"],
    ["http://example.com:8080/x", "http://example.com:8080/x"], ["a#b", "a#b"], ["C:\\temp", "C:\\temp"], ["@@", "@@"],
    ['"1"', "1"], ["'true'", "true"], ['"~"', "~"], ["'0x1F'", "0x1F"], ['""', ""],
  ];
  check(rows.map(([text, value]) => [`v: ${text}\n`, { v: value }]));
  check(rows.map(([text, value]) => [`- ${text}`, [value]]));
  refuse([
    ["v: .inf", /line 1: \.inf cannot be represented in JSON/],
    ["v: [-.Inf]", /line 1: -\.Inf cannot be represented in JSON/],
    ["a: 1\nv: .nan", /line 2: \.nan cannot be represented in JSON/],
  ]);
});

test("keys are typed, then written back as text, as sigs.k8s.io/yaml does (on: → \"true\")", () => {
  const [keys] = parseYAMLDocuments("on: push\n'off': quoted\nno: 0\n1: one\n0x10: hex\n1.5: f\n~: nil\n.inf: i\nyES: s\n__proto__: p");
  assert.deepEqual(keys, Object.fromEntries([["true", "push"], ["off", "quoted"], ["false", 0], ["1", "one"], ["16", "hex"],
    ["1.5", "f"], ["null", "nil"], [".inf", "i"], ["yES", "s"], ["__proto__", "p"]]));
  check([["y: 2\nN: 3", { true: 2, false: 3 }], ["- {yes: 1, 'yes': 2}", [{ true: 1, yes: 2 }]]]);
  assert.equal(Object.getPrototypeOf(parseYAMLDocuments("__proto__: {polluted: 1}")[0]).polluted, undefined);
  refuse([
    ["on: 1\ntrue: 2", /line 2: duplicate key "true" \(first on line 1\)/],
    ["a: 1\nb:\n  c: 1\n  c: 2", /line 4: duplicate key "c" \(first on line 3\)/],
    ["m: {a: 1, b: 2, a: 3}", /line 1: duplicate key "a"/],
    ["- name: x\n  image: y\n  name: z", /line 3: duplicate key "name"/],
    ["a: &k [1]\n*k : v", /line 2: a mapping key must be a scalar/],
    ["? complex\n: key", /line 1: complex keys \(\? key\) are not supported/],
  ]);
});

test("block scalars: literal and folded, chomping, indentation indicators", () => {
  check([
    ["s: |\n  one\n  two\n", { s: "one\ntwo\n" }],
    ["s: |-\n  one\n  two\n\n", { s: "one\ntwo" }],
    ["s: |+\n  one\n  two\n\n\nt: 1", { s: "one\ntwo\n\n\n", t: 1 }],
    ["s: |+\n  one\n", { s: "one\n" }],
    ["s: |\n  one\n\n  two\n\n", { s: "one\n\ntwo\n" }],
    ["s: >\n  one\n  two\n\n  three\n", { s: "one two\nthree\n" }],
    ["s: >-\n  one\n  two\n", { s: "one two" }],
    ["s: >+\n  one\n\n", { s: "one\n\n" }],
    ["s: >\n  folded\n  line\n\n  next\n  line\n    * bullet\n\n    * list\n  last\n", { s: "folded line\nnext line\n  * bullet\n\n  * list\nlast\n" }],
    ["s: |2\n    indented\n  base\n", { s: "  indented\nbase\n" }],
    ["s: |1-\n  two spaces\n", { s: " two spaces" }],
    ["s: >-2\n     more\n   less\n", { s: "   more\n less" }],
    ["- |1\n  x\n- z", [" x\n", "z"]],
    ["- key: |2\n     x\n  other: 1", [{ key: " x\n", other: 1 }]],
    ["s: |\n  # not a comment\n  tab\there\n  \tindented by a tab\nt: 1", { s: "# not a comment\ntab\there\n\tindented by a tab\n", t: 1 }],
    ["s: | # a comment\n  x\n", { s: "x\n" }],
    ["s: |\n\n  after an empty line\n", { s: "\nafter an empty line\n" }],
    ["s: |\nt: 1", { s: "", t: 1 }],
    ["s: >\n\n", { s: "" }],
    ["s: |\n  no line break at the end of the text", { s: "no line break at the end of the text" }], // as libyaml reads it
    ["s: |+\n  x\n\n  ", { s: "x\n\n" }],
    ["script: |\n  #!/bin/sh\n  if [ -n \"$A\" ]; then\n    echo \"a: $A\"\n  fi\n", { script: "#!/bin/sh\nif [ -n \"$A\" ]; then\n  echo \"a: $A\"\nfi\n" }],
  ]);
  refuse([["s: |x\n  y", /line 1: bad block scalar header "\|x"/], ["s: |0\n  y", /line 1: bad block scalar header/]]);
});

test("flow collections, also over several lines", () => {
  check([
    ["a: {x: 1, b: [x, y]}", { a: { x: 1, b: ["x", true] } }], // y is a YAML 1.1 boolean, as in kubectl
    ["a: []\nb: {}\nc: [[], {}]", { a: [], b: {}, c: [[], {}] }],
    ["a: [1, 2, ]\nb: {x: 1, }", { a: [1, 2], b: { x: 1 } }],
    ["a: {x, w: }", { a: { x: null, w: null } }],
    ["a: [\"q, 1\", 'it''s', plain text, http://x:80, \"a]\"]", { a: ["q, 1", "it's", "plain text", "http://x:80", "a]"] }],
    ["a: {\"k\":1, 'j': \"v\"}", { a: { k: 1, j: "v" } }],
    ["a: {url: http://x/y, t: 12:30}", { a: { url: "http://x/y", t: "12:30" } }],
    ["args: [\n  \"--port=80\",   # the port\n  --verbose,\n  yes\n]\nnext: 1", { args: ["--port=80", "--verbose", true], next: 1 }],
    ["resources: {\n  requests: {cpu: 1,\n    memory: 1Gi}\n  }", { resources: { requests: { cpu: 1, memory: "1Gi" } } }],
    ["a: [one\n  two, three]", { a: ["one two", "three"] }],
    ["- [a, [b, {c: [d]}]]", [["a", ["b", { c: ["d" ] }]]]],
    ['{"apiVersion": "v1", "kind": "Pod",\n "metadata": {"name": "p"}}', { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }],
    ["[1, 2]", [1, 2]],
  ]);
  refuse([
    ["a: [1, 2", /line 1: expected , or \]/],
    ["a: [1, 2\nb: 3", /line 2: expected , or \] \(the \[ is on line 1/],
    ["a: {x: 1", /line 1: expected , or \}/],
    ["a: [1, , 2]", /line 1: expected a value/],
    ["a: [x: 1]", /line 1: expected , or \] \(the \[ is on line 1; "key: value" needs \{\} inside \[\]\)/],
    ["a: [1] tail", /line 1: unexpected "tail" after the value/],
    ["a: [{b: 1}: 2]", /line 1: /],
  ]);
});

test("quoted strings: escapes, '' and line folding", () => {
  check([
    ['a: "line\\nbreak\\ttab \\"q\\" \\\\ \\/ \\x41\\u00e9\\U0001F600 \\e\\0"', { a: 'line\nbreak\ttab "q" \\ / Aé😀 \x1b\0' }],
    ["a: 'it''s ''quoted'' \\n'", { a: "it's 'quoted' \\n" }],
    ['a: "it\'s"\nb: \'say "hi"\'', { a: "it's", b: 'say "hi"' }],
    ['a: "one\n  two\n\n  three"', { a: "one two\nthree" }],
    ["a: 'one   \n   two'", { a: "one two" }],
    ['a: "joined\\\n   here"', { a: "joinedhere" }],
    ['a: "keep \\t\n  b"', { a: "keep \t b" }],
    ['a: "# not a comment" # a comment', { a: "# not a comment" }],
    ['"quoted key": 1\n\'single key\': 2\n"a: b": 3', { "quoted key": 1, "single key": 2, "a: b": 3 }],
    ['- "a": 1\n  "b": 2', [{ a: 1, b: 2 }]],
  ]);
  refuse([
    ['a: "open', /line 1: unterminated double-quoted string/],
    ["a: 'open\nb: 1", /line 1: unterminated single-quoted string/],
    ['a: "bad \\q"', /line 1: unknown escape \\q/],
    ['a: "x" y', /line 1: unexpected "y" after the value/],
  ]);
});

test("plain scalars over several lines, comments, block structure", () => {
  check([
    ["description: a long\n  text over\n\n  lines\nnext: 1", { description: "a long text over\nlines", next: 1 }],
    ["- one\n  two\n- three", ["one two", "three"]],
    ["a:\n  - 1\n   - 2", { a: ["1 - 2"] }], // more indented: the text goes on, as libyaml reads it
    ["a: one # comment\n  # another\nb: 2", { a: "one", b: 2 }],
    ["key:\n  value on the next line\n  and more", { key: "value on the next line and more" }],
    ["a:\n- 1\n- 2\nb:\n  - 3", { a: [1, 2], b: [3] }],
    ["- - a\n  - b\n- - c", [["a", "b"], ["c"]]],
    ["-   name: x\n    image: img\n-\n  name: z", [{ name: "x", image: "img" }, { name: "z" }]],
    ["- # comment\n  a: 1", [{ a: 1 }]],
    ["a:\n  b:\n    c: deep\n  d: 1\ne: [2]", { a: { b: { c: "deep" }, d: 1 }, e: [2] }],
    ["  indented: 1\n  document: 2", { indented: 1, document: 2 }],
    ["a: b\t# tab before a comment\nc:\td", { a: "b", c: "d" }],
    ["a: x#y\nb: echo \"quoted\" text", { a: "x#y", b: 'echo "quoted" text' }],
    ["a: \u00a0x\u00a0\nb: [\u00a0]", { a: "\u00a0x\u00a0", b: ["\u00a0"] }], // only spaces and tabs are blanks
    ["-x: 1\n-y: [-1, - 2]", { "-x": 1, "-y": [-1, "- 2"] }],
  ]);
  refuse([
    ["a: 1\n   b: 2", /line 2: unexpected indentation/],
    ["a:\n\t b: 2", /line 2: tabs/],
    ["just words here", /line 1: expected "key: value"/],
    ["a: b: c", /line 1: a plain value cannot hold ": "/],
    ["a: 1\n- b", /line 2: a "- " item needs its key on the line above/],
    ["a: - b", /line 1: a sequence cannot start on the line of its key/],
    ["a:\n    b: 1\n  c: 2", /line 3: unexpected indentation/],
  ]);
});

test("documents: --- and ... markers, empty documents skipped, as kubectl splits them", () => {
  check([
    ["a: 1\n---\nb: 2", [{ a: 1 }, { b: 2 }]],
    ["---\na: 1\n--- # the second\nb: 2\n...\n---\n\n# only a comment\n---\n", [{ a: 1 }, { b: 2 }]],
    ["a: 1\n...\n# a comment after the end\n---\nb: 2\n", [{ a: 1 }, { b: 2 }]],
    ["---\n~\n---\nnull", [null, null]],
    ["\uFEFFa: 1\r\nb: |\r\n  x\r\n", [{ a: 1, b: "x\n" }]],
    ["# only a comment\n", []],
    ["", []],
  ], { single: false });
  refuse([
    ["a: 1\n--- b: 2", /line 2: only a comment may follow ---/],
    ["--- |\n  text", /line 1: only a comment may follow ---/],
    ["a: 1\n...\nb: 2", /line 3: a document ended by \.\.\. needs --- before the next one/],
    ["%YAML 1.1\n---\na: 1", /line 1: directives/],
  ]);
});
