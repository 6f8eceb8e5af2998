import Foundation
import Testing
import TestSupport

/// The dashboard's rendering budget in headless chromium: with 5,000 pods and 1,000 jobs in its
/// caches the Jobs view renders within a second and keeps its frames while 100 changes a second
/// stream in; the topology of 1,000 nodes renders within a second. The objects are put straight
/// into the page's caches (window.drover.store), so the figures measure the page, not the server.
@Suite(.serialized) struct DashboardPerformanceTests {
    /// Fills the caches and renders; returns {jobsMs, maxFrameGapMs, frames, nodesMs} as JSON.
    static let script = """
    (async () => {
      const { ctx } = window.drover;
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const now = new Date().toISOString();
      const jobs = ctx.collection("jobs"), pods = ctx.collection("pods"), nodes = ctx.collection("nodes");
      for (let i = 0; i < 1000; i++) jobs.items.set(`bench/job-${i}`, { metadata: { name: `job-${i}`, namespace: "bench", uid: `u${i}`,
        creationTimestamp: now, labels: { app: i % 2 ? "a" : "b" } }, spec: { completions: 5, parallelism: 2 },
        status: { succeeded: i % 5, active: 1, startTime: now } });
      for (let i = 0; i < 5000; i++) pods.items.set(`bench/pod-${i}`, { metadata: { name: `pod-${i}`, namespace: "bench", uid: `p${i}`,
        creationTimestamp: now, labels: { "batch.kubernetes.io/controller-uid": `u${i % 1000}` } },
        spec: { nodeName: `node-${i % 1000}`, containers: [{ name: "main", resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
        status: { phase: "Running" } });
      let t0 = performance.now();
      jobs.notify();
      await frame();
      const jobsMs = performance.now() - t0;
      const firstRender = ctx.lastRender;
      if (!document.querySelector('tr[data-row="bench/job-999"], tr[data-row^="bench/"]')) throw new Error("the jobs did not render");

      // 100 changes a second for 3 s; record the longest gap between frames.
      let last = performance.now(), maxGap = 0, frames = 0, running = true; const gaps = [];
      const loop = (t) => { gaps.push(Math.round(t - last)); maxGap = Math.max(maxGap, t - last); last = t; frames++; if (running) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
      let n = 0;
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const j = jobs.items.get(`bench/job-${n % 1000}`);
          jobs.items.set(`bench/job-${n % 1000}`, { ...j, status: { ...j.status, succeeded: (j.status.succeeded + 1) % 6 } });
          jobs.notify();
          if (++n >= 300) { clearInterval(timer); resolve(); }
        }, 10);
      });
      running = false;

      for (let i = 0; i < 1000; i++) nodes.items.set(`node-${i}`, { metadata: { name: `node-${i}`, creationTimestamp: now },
        spec: i % 97 === 0 ? { unschedulable: true } : {}, status: { allocatable: { cpu: "8", memory: "32Gi" },
        conditions: [{ type: "Ready", status: i % 50 === 0 ? "False" : "True" }] } });
      location.hash = "#/nodes";
      t0 = performance.now();
      await new Promise((r) => window.addEventListener("hashchange", r, { once: true }));
      await frame();
      const nodesMs = performance.now() - t0;
      const tiles = document.querySelectorAll("#topology .tile").length;
      return JSON.stringify({ firstRender, lastRender: ctx.lastRender, jobsMs, maxFrameGapMs: maxGap, frames, nodesMs, tiles, gaps: gaps.slice(0, 8), top: [...gaps].sort((a, b) => b - a).slice(0, 5) });
    })()
    """

    @Test(.enabled(if: DashboardTests.chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func aBigClusterRendersWithinASecondAndKeepsItsFrames() async throws {
        try await offCooperativePool { try bigClusterBlocking() }
    }

    func bigClusterBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let browser = try Chromium(executable: DashboardTests.chromium!, profile: "\(up.dataDir)/chromium")
        defer { browser.close() }
        let page = try browser.open("\(up.server)/#token=\(up.token)")
        try page.wait(for: "location.hash === '#/overview' && window.drover", "the app")
        try page.evaluate("location.hash = '#/jobs'")
        try page.wait(for: "window.drover.ctx.collection('jobs').synced && document.querySelector('#jobs-count')", "the jobs view")
        let json = try page.evaluate(Self.script) as? String ?? "{}"
        let figures = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        print("dashboard performance: \(json)")
        #expect(((figures["jobsMs"] as? Double) ?? .infinity) <= 1000, "\(json)")
        #expect(((figures["nodesMs"] as? Double) ?? .infinity) <= 1000, "\(json)")
        #expect((figures["tiles"] as? Int ?? 0) >= 1000, "\(json)")
        // 100 changes a second are coalesced into at most one render per frame, and slow renders
        // are spaced out; on two shared cores under load a frame still stalls now and then (other
        // processes), so this bound is loose and the figures are printed.
        #expect(((figures["maxFrameGapMs"] as? Double) ?? .infinity) <= 1000, "\(json)")
        #expect(((figures["lastRender"] as? [String: Double])?["totalMs"] ?? .infinity) <= 100, "\(json)")
        try page.screenshot(to: "\(DashboardTests.screenshots)/nodes-1000-dense.png")
    }
}
