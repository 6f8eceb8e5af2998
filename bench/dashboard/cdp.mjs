// A minimal DevTools-protocol client for headless chromium over --remote-debugging-pipe: commands
// go to the browser's fd 3, answers come back on its fd 4, each a JSON message ended by a NUL.
import { spawn } from "node:child_process";

export class Chromium {
  /** Starts headless chromium with a profile in `profile`. */
  constructor(executable, profile) {
    this.child = spawn(executable, ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
      `--user-data-dir=${profile}`, "--no-first-run", "--window-size=1280,900", "about:blank"],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
    this.nextId = 1;
    this.pending = new Map();
    let buffer = Buffer.alloc(0);
    this.child.stdio[4].on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let end = buffer.indexOf(0); end >= 0; end = buffer.indexOf(0)) {
        const message = JSON.parse(buffer.subarray(0, end).toString("utf8"));
        buffer = buffer.subarray(end + 1);
        const waiter = this.pending.get(message.id);
        if (!waiter) continue;
        this.pending.delete(message.id);
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${JSON.stringify(message.error)}`));
        else waiter.resolve(message.result ?? {});
      }
    });
  }

  /** Sends one command (to a page when `session` is given) and resolves with its result. */
  send(method, params = {}, session) {
    const id = this.nextId++;
    const message = { id, method, params, ...(session ? { sessionId: session } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.child.stdio[3].write(JSON.stringify(message) + "\0");
    });
  }

  /** Opens a 1280×900 page at `url`; returns its session. */
  async open(url) {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    await this.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await this.send("Page.navigate", { url }, sessionId);
    return sessionId;
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  async evaluate(session, expression) {
    const result = await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, session);
    if (result.exceptionDetails) throw new Error(`${expression.slice(0, 120)}: ${JSON.stringify(result.exceptionDetails).slice(0, 500)}`);
    return result.result?.value;
  }

  /** Waits until `expression` is true in the page (checked from here every 50 ms). */
  async waitFor(session, expression, what, timeoutMs = 120000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.evaluate(session, `Boolean(${expression})`).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  close() {
    this.send("Browser.close").catch(() => {});
    setTimeout(() => this.child.kill("SIGKILL"), 3000).unref();
  }
}
