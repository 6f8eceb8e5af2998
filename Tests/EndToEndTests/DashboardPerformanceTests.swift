import Foundation
import Testing
import TestSupport

/// The dashboard with a big cluster in headless chromium: 1,000 Jobs and 5,000 pods put straight
/// into the page's caches (window.drover.store, through the collections' change journal, as watch
/// events arrive). Behaviour only: every Job is in the (virtually scrolled) table while only the rows
/// in view are in the DOM, a stream of changes reaches the rows, and the topology shows 1,000
/// nodes. Timings are not asserted here: bench/dashboard/run.sh measures them against a real server.
@Suite(.serialized) struct DashboardPerformanceTests {
    /// Fills the caches and streams changes; returns what the page showed as JSON.
    static let script = """
    (async () => {
      const { ctx } = window.drover;
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const until = async (p) => { for (let i = 0; i < 600 && !p(); i++) await frame(); return p(); };
      const now = new Date().toISOString();
      const jobs = ctx.collection("jobs"), pods = ctx.collection("pods"), nodes = ctx.collection("nodes");
      const put = (c, key, object) => { c.items.set(key, object); c.changed(key); };
      for (let i = 0; i < 1000; i++) put(jobs, `bench/job-${String(i).padStart(4, "0")}`, { metadata: { name: `job-${String(i).padStart(4, "0")}`, namespace: "bench", uid: `u${i}`,
        creationTimestamp: now, labels: { app: i % 2 ? "a" : "b" } }, spec: { completions: 5, parallelism: 2 },
        status: { succeeded: i % 5, active: 1, startTime: now } });
      for (let i = 0; i < 5000; i++) put(pods, `bench/pod-${i}`, { metadata: { name: `pod-${i}`, namespace: "bench", uid: `p${i}`,
        creationTimestamp: now, labels: { "batch.kubernetes.io/controller-uid": `u${i % 1000}` } },
        spec: { nodeName: `node-${i % 1000}`, containers: [{ name: "main", resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
        status: { phase: "Running" } });
      jobs.notify();
      ctx.setQuery({ sort: "name", dir: "asc" });
      const counted = await until(() => document.querySelector("#jobs-count")?.textContent.startsWith("100"));
      const count = document.querySelector("#jobs-count")?.textContent;
      const rowsInDOM = document.querySelectorAll("#jobs-table tr[data-row]").length;
      const first = document.querySelector("#jobs-table tr[data-row]")?.dataset.row;
      // Scrolled to the end, the last Job is drawn.
      const scroller = document.getElementById("jobs-table");
      scroller.scrollTop = scroller.scrollHeight;
      await until(() => document.querySelector('tr[data-row="bench/job-0999"]'));
      const last = !!document.querySelector('tr[data-row="bench/job-0999"]');
      scroller.scrollTop = 0;
      await until(() => document.querySelector('tr[data-row="bench/job-0000"]'));
      // 300 changes, 100 a second, to the Jobs in view: each row follows.
      let n = 0;
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const key = `bench/job-${String(n % 5).padStart(4, "0")}`;
          const j = jobs.items.get(key);
          put(jobs, key, { ...j, status: { ...j.status, succeeded: (j.status.succeeded + 1) % 6 } });
          jobs.notify();
          if (++n >= 300) { clearInterval(timer); resolve(); }
        }, 10);
      });
      const expected = (k) => `${jobs.items.get(`bench/job-000${k}`).status.succeeded}/0/1`;
      const live = await until(() => [0, 1, 2, 3, 4].every((k) => document.querySelector(`tr[data-row="bench/job-000${k}"] [data-progress]`)?.dataset.progress === expected(k)));

      for (let i = 0; i < 1000; i++) put(nodes, `node-${i}`, { metadata: { name: `node-${i}`, creationTimestamp: now },
        spec: i % 97 === 0 ? { unschedulable: true } : {}, status: { allocatable: { cpu: "8", memory: "32Gi" },
        conditions: [{ type: "Ready", status: i % 50 === 0 ? "False" : "True" }] } });
      location.hash = "#/nodes";
      await until(() => document.querySelectorAll("#topology .tile").length >= 1000);
      const tiles = document.querySelectorAll("#topology .tile").length;
      const cordoned = document.querySelectorAll("#topology .tile.cordoned").length;
      // Incremental: every tile is marked; a pod change on node-7 and a node change of node-8
      // replace those two tiles only.
      for (const el of document.querySelectorAll("#topology .tile")) el.__kept = true;
      const p7 = pods.items.get("bench/pod-7");
      put(pods, "bench/pod-7", { ...p7, status: { phase: "Succeeded" } });
      pods.notify();
      const n8 = nodes.items.get("node-8");
      put(nodes, "node-8", { ...n8, spec: { unschedulable: true } });
      nodes.notify();
      const tile = (n) => document.querySelector(`#topology .tile[data-node="${n}"]`);
      // A tile being replaced may be missing for a frame: wait until both are drawn again.
      await until(() => tile("node-7") && !tile("node-7").__kept && tile("node-8")?.classList.contains("cordoned"));
      const replaced = [...document.querySelectorAll("#topology .tile")].filter((el) => !el.__kept).map((el) => el.dataset.node).sort();
      const level7 = tile("node-7")?.className ?? "";
      // Grouped by status: the not-ready and cordoned nodes first, each group with its totals.
      ctx.setQuery({ group: "status" });
      await until(() => document.querySelectorAll("#topology details.node-group").length === 3);
      const groups = [...document.querySelectorAll("#topology details.node-group")].map((d) => [d.dataset.group, d.querySelectorAll(".tile").length]);
      const groupTotals = document.querySelector('#topology details.node-group[data-group="Ready"] .group-totals')?.textContent ?? "";
      // A tile opens its node's box above the grid, in place.
      tile("node-3").click();
      await until(() => document.querySelector("#node-detail #node-node-3"));
      const detail = document.querySelector("#node-detail #node-node-3")?.innerText ?? "";
      const marked = tile("node-3").getAttribute("aria-current");
      return JSON.stringify({ counted, count, rowsInDOM, first, last, live, tiles, cordoned, replaced, level7, groups, groupTotals, detail, marked });
    })()
    """

    @Test(.enabled(if: DashboardTests.chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func aBigClusterShowsEveryJobInAVirtualTableAndStaysLive() async throws {
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
        // The seeded server has its own Jobs (none here) beside the 1,000 put into the cache.
        #expect(figures["count"] as? String == "1000 jobs", "\(json)")
        #expect(figures["first"] as? String == "bench/job-0000", "\(json)")
        let rows = figures["rowsInDOM"] as? Int ?? 0
        #expect(rows > 0 && rows < 100, "only the rows in view are in the DOM: \(json)")
        #expect(figures["last"] as? Bool == true, "\(json)")
        #expect(figures["live"] as? Bool == true, "\(json)")
        #expect((figures["tiles"] as? Int ?? 0) >= 1000, "\(json)")
        #expect((figures["cordoned"] as? Int ?? 0) == 11, "\(json)")
        #expect(figures["replaced"] as? [String] == ["node-7", "node-8"], "only the changed nodes' tiles are new: \(json)")
        // node-7 had pods 7, 1007, ... 4007 (5 × 250m of 8 cpu): one finished leaves 4, 12.5%.
        #expect((figures["level7"] as? String ?? "").contains("tile-low"), "\(json)")
        // Not ready: every 50th node (20, node-0 among them); cordoned and ready: every 97th but node-0 (10), plus node-8;
        // ready: the other 969 and the server's own node.
        let groups = figures["groups"] as? [[Any]] ?? []
        #expect(groups.map { $0.first as? String ?? "" } == ["NotReady", "Cordoned", "Ready"], "\(json)")
        #expect(groups.map { $0.last as? Int ?? 0 } == [20, 11, 970], "\(json)")
        #expect((figures["groupTotals"] as? String ?? "").hasPrefix("970 nodes, 0 not ready, 0 cordoned"), "\(json)")
        #expect((figures["detail"] as? String ?? "").contains("pod-3"), "the chosen node's box lists its pods: \(json)")
        #expect(figures["marked"] as? String == "true", "\(json)")
        try page.screenshot(to: "\(DashboardTests.screenshots)/nodes-1000-dense.png")
    }
}
