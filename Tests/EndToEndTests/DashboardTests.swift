import Foundation
import Testing
import TestSupport

/// The dashboard in a real headless browser (Debian's chromium) against one `drover up` seeded with
/// a completed Job and one that waits for it, a failed, a stepping and a running Job, a CronJob, a Deployment, a Kueue
/// ClusterQueue with one admitted and one queued Job, and the local node:
/// every view shows them, progress and logs arrive live, and buttons change objects on the server.
@Suite(.serialized) struct DashboardTests {
    static let chromium = DroverBinary.which("chromium") ?? DroverBinary.which("chromium-browser")
    /// Where a person can look at the views: .build/dashboard-screenshots/ in the package.
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/dashboard-screenshots").path

    static let seed = """
    {"apiVersion":"v1","kind":"List","items":[
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"done-job","labels":{"team":"a"}},"spec":{"completions":2,"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sh","-c","echo finished"],"resources":{"requests":{"cpu":"100m","memory":"32Mi"}}}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"chained-job","annotations":{"drover.dev/depends-on":"afterok:done-job"}},
      "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox","command":["echo","chained"]}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"bad-job"},"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sh","-c","echo failing; exit 3"]}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"steps-job"},"spec":{"completions":4,"parallelism":1,"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sh","-c","sleep 3; echo step"]}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"sleepy-job"},"spec":{"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sh","-c","i=0; while [ $i -lt 120 ]; do i=$((i+1)); echo line $i; sleep 1; done"],
                     "resources":{"requests":{"cpu":"250m","memory":"64Mi"}}}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"huge-job"},"spec":{"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["true"],"resources":{"requests":{"cpu":"500"}}}]}}}},
    {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"nightly"},"spec":{"schedule":"30 2 * * *","jobTemplate":{"spec":{"template":{"spec":{
      "restartPolicy":"Never","containers":[{"name":"main","image":"busybox","command":["echo","nightly"]}]}}}}}},
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"busybox","command":["sleep","3600"]}]}}}},
    {"apiVersion":"kueue.x-k8s.io/v1beta1","kind":"ResourceFlavor","metadata":{"name":"default-flavor"}},
    {"apiVersion":"kueue.x-k8s.io/v1beta1","kind":"ClusterQueue","metadata":{"name":"dash-queue"},"spec":{"namespaceSelector":{},
      "resourceGroups":[{"coveredResources":["cpu"],"flavors":[{"name":"default-flavor","resources":[{"name":"cpu","nominalQuota":"100m"}]}]}]}},
    {"apiVersion":"kueue.x-k8s.io/v1beta1","kind":"LocalQueue","metadata":{"name":"dash-queue"},"spec":{"clusterQueue":"dash-queue"}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"queued-a","labels":{"kueue.x-k8s.io/queue-name":"dash-queue"}},"spec":{"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sleep","600"],"resources":{"requests":{"cpu":"100m"}}}]}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"queued-b","labels":{"kueue.x-k8s.io/queue-name":"dash-queue"}},"spec":{"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"main","image":"busybox","command":["sleep","600"],"resources":{"requests":{"cpu":"100m"}}}]}}}},
    {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agentd"},"spec":{"selector":{"matchLabels":{"app":"agentd"}},
      "template":{"metadata":{"labels":{"app":"agentd"}},"spec":{"containers":[{"name":"agentd","image":"busybox","command":["sleep","3600"]}]}}}}
    ]}
    """

    /// Roles and labels, axe-style: every control has a label, every button and link a name.
    static let accessibilityCheck = """
    (() => { const bad = [];
      for (const el of document.querySelectorAll('input, select, textarea'))
        if (!(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) bad.push(el.outerHTML.slice(0, 90));
      for (const el of document.querySelectorAll('button, a[href]'))
        if (!((el.innerText || '').trim() || el.getAttribute('aria-label') || el.title)) bad.push(el.outerHTML.slice(0, 90));
      if (!document.querySelector('main') || !document.querySelector('nav[aria-label]')) bad.push('landmarks');
      // Bars are images with a text alternative; labels point at elements that exist, ids are unique.
      for (const el of document.querySelectorAll('[role="img"]')) if (!el.getAttribute('aria-label')) bad.push(el.outerHTML.slice(0, 90));
      for (const el of document.querySelectorAll('[aria-labelledby], [aria-describedby]'))
        for (const id of `${el.getAttribute('aria-labelledby') ?? ''} ${el.getAttribute('aria-describedby') ?? ''}`.split(/\\s+/).filter(Boolean))
          if (!document.getElementById(id)) bad.push(`missing #${id}`);
      const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
      for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) bad.push(`duplicate #${id}`);
      // Nothing focusable is hidden from the keyboard by a negative tabindex, except the main landmark.
      for (const el of document.querySelectorAll('[tabindex^="-"]')) if (el.id !== 'view') bad.push(el.outerHTML.slice(0, 90));
      return bad; })()
    """

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func everyViewShowsTheClusterLiveAndItsButtonsChangeTheServer() async throws {
        try await offCooperativePool { try everyViewBlocking() }
    }

    func everyViewBlocking() throws {
        // Usage (metrics.k8s.io) sampled every 2 s so the pod and node views show it in time.
        let up = try DroverUp(arguments: ["--metric-resolution", "2"])
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/seed.json"
        try Self.seed.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        try waitFor("done-job Complete and bad-job Failed") {
            let table = try up.cli(["get", "jobs"]).output
            return table.contains("Complete") && table.contains("Failed")
        }
        let node = try up.cli(["get", "nodes", "-o", "name"]).output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "node/", with: "")

        let browser = try Chromium(executable: Self.chromium!, profile: "\(up.dataDir)/chromium")
        defer { browser.close() }
        let page = try browser.open("\(up.server)/#token=\(up.token)")
        func go(_ hash: String) throws { try page.evaluate("location.hash = \(ChromiumPage.quoted(hash))") }
        func shoot(_ name: String) throws { try page.screenshot(to: "\(Self.screenshots)/\(name).png") }
        func checkAccessibility(_ view: String) throws {
            let problems = try page.evaluate(Self.accessibilityCheck) as? [String] ?? ["the check did not run"]
            #expect(problems.isEmpty, "\(view): unlabelled controls \(problems)")
        }

        // Overview: the token left the address bar; counts, requests and events are there.
        try page.wait(for: "document.querySelector('#count-nodes-ready')?.innerText.startsWith('1')", "one ready node")
        try page.wait(for: "document.querySelector('#count-jobs-failed')?.innerText.startsWith('1')", "one failed job")
        #expect((try page.evaluate("location.href") as? String)?.contains("token") == false)
        // The latest events (only ten: on a loaded machine the failed Job's event may already have
        // scrolled off, so the events view below checks it).
        try page.wait(for: "document.querySelector('#events-title')?.parentElement.querySelector('tr[data-row]')", "the latest events")
        try page.wait(for: "document.querySelector('#pending-pods')?.innerText.includes('Insufficient cpu')", "the scheduler's reason for huge-job's pod")
        try page.evaluate("window.sameDocument = true")
        try checkAccessibility("overview")
        try shoot("overview")

        // Jobs: every seeded job with its status, and the stepping job's bar moving without a reload.
        try go("#/jobs")
        try page.wait(for: "document.querySelector('tr[data-row=\"default/bad-job\"]')?.innerText.includes('Failed')", "bad-job Failed")
        #expect(try page.text("tr[data-row=\"default/done-job\"]").contains("Complete"))
        #expect(try page.text("tr[data-row=\"default/done-job\"]").contains("2/2"))
        try page.wait(for: "document.querySelector('tr[data-row=\"default/sleepy-job\"]')?.innerText.includes('Running')", "sleepy-job Running")
        let progress = "document.querySelector('tr[data-row=\"default/steps-job\"] [data-progress]')?.dataset.progress"
        let first = try page.evaluate(progress) as? String ?? ""
        // Relative times tick without new data.
        let age = "document.querySelector('tr[data-row=\"default/done-job\"] time[data-age]')?.textContent"
        let firstAge = try page.evaluate(age) as? String ?? ""
        try page.wait(for: "\(age) !== \(ChromiumPage.quoted(firstAge))", "done-job's age to tick from \(firstAge)")
        try checkAccessibility("jobs")
        try shoot("jobs")
        try page.wait(for: "\(progress) !== \(ChromiumPage.quoted(first))", timeout: 30, "steps-job's progress to change from \(first)")
        try page.wait(for: "\(progress) === '4/0/0'", timeout: 40, "steps-job to reach 4/4")
        #expect(try page.evaluate("window.sameDocument") as? Bool == true, "the page reloaded")
        try go("#/jobs?status=Failed")
        try page.wait(for: "document.querySelector('#jobs-count')?.innerText === '1 job'", "the status filter")
        // The namespace selector narrows every view; its options come from the server.
        let choose = "(ns) => { const s = document.getElementById('namespace'); s.value = ns; s.dispatchEvent(new Event('change')); }"
        try page.wait(for: "document.querySelector('#namespace option[value=\"kube-system\"]')", "the namespaces")
        try page.evaluate("(\(choose))('kube-system')")
        try page.wait(for: "document.querySelector('#jobs-count')?.innerText === '0 jobs'", "no jobs in kube-system")
        try page.evaluate("(\(choose))('')")
        // Keyboard: a sort header focused and Enter pressed (real key events through the DevTools
        // protocol) sorts the table; Tab moves on to the next header.
        try go("#/jobs")
        try page.wait(for: "document.querySelector('#jobs-table [data-key=\"sort-name\"]')", "the sort buttons")
        try page.evaluate("document.querySelector('#jobs-table [data-key=\"sort-name\"]').focus()")
        try page.press("Enter", code: "Enter", keyCode: 13, text: "\r")
        try page.wait(for: "location.hash === '#/jobs?sort=name&dir=asc'", "the table sorted by name from the keyboard")
        try page.wait(for: "document.activeElement?.dataset.key === 'sort-name'", "focus kept on the header")
        try page.press("Tab", code: "Tab", keyCode: 9)
        #expect(try page.evaluate("document.activeElement?.dataset.key") as? String == "sort-status")

        // Job detail: the failed pod's exit code and the Failed condition.
        try go("#/jobs/default/bad-job")
        try page.wait(for: "[...document.querySelectorAll('#job-pods td')].some((td) => td.innerText === '3')", "the exit code 3")
        #expect(try page.text("#job-conditions").contains("BackoffLimitExceeded"))
        try shoot("job-detail")
        // The dependency chain: chained-job waited for done-job (afterok); each page links the other.
        try go("#/jobs/default/chained-job")
        try page.wait(for: "document.querySelector('#job-dependencies')?.innerText.includes('afterok:done-job')", "chained-job's requirement")
        try page.wait(for: "document.querySelector('#job-dependencies')?.innerText.includes('satisfied')", "its satisfied verdict")
        #expect(try page.evaluate("document.querySelector('#job-dependencies a')?.getAttribute('href')") as? String == "#/jobs/default/done-job")
        try go("#/jobs/default/done-job")
        try page.wait(for: "document.querySelector('#job-dependencies')?.innerText.includes('chained-job')", "done-job's dependent")
        try shoot("job-dependencies")
        try go("#/jobs/default/huge-job")
        try page.wait(for: "document.querySelector('#job-conditions')?.innerText.includes('PodsUnschedulable')", "Drover's PodsUnschedulable condition")
        #expect(try page.text("#job-conditions").contains("Insufficient cpu"))

        // Rerun makes a new Job from done-job's spec and opens it.
        try go("#/jobs/default/done-job")
        try page.wait(for: "document.getElementById('job-rerun')", "the rerun button")
        try page.evaluate("document.getElementById('job-rerun').click()")
        try page.wait(for: "/^#\\/jobs\\/default\\/done-job-[a-z0-9]+$/.test(location.hash)", "the rerun's page")
        let rerun = String((try page.evaluate("location.hash") as? String ?? "").split(separator: "/").last ?? "")
        #expect(try object(up, ["job", rerun])?.value(at: "metadata", "annotations", "drover.dev/rerun-of") as? String == "done-job")
        // Delete asks first (confirm is answered here), then the Job is gone from the server.
        try page.wait(for: "document.getElementById('job-delete')", "the delete button")
        try page.evaluate("window.confirm = () => true; document.getElementById('job-delete').click()")
        try waitFor("the rerun deleted") { try up.cli(["get", "job", rerun]).status != 0 }
        try page.wait(for: "location.hash === '#/jobs'", "the jobs list after the delete")

        // Pod detail: log lines arrive while following; pause holds them.
        let pod = try up.cli(["get", "pods", "-l", "job-name=sleepy-job", "-o", "name"]).output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "pod/", with: "")
        try go("#/pods/default/\(pod)")
        try page.wait(for: "/line \\d+/.test(document.querySelector('#log-output')?.textContent)", "log lines")
        let lines = "(document.querySelector('#log-output').textContent.match(/line \\d+/g) || []).length"
        let seen = try page.evaluate(lines) as? Int ?? 0
        try page.wait(for: "\(lines) >= \(seen + 2)", "two more log lines while following")
        try page.evaluate("document.getElementById('log-pause').click()")
        let paused = try page.evaluate(lines) as? Int ?? 0
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try page.evaluate(lines) as? Int == paused, "lines arrived while paused")
        try page.evaluate("document.getElementById('log-pause').click()")
        try page.wait(for: "\(lines) > \(paused)", "the held lines after resuming")
        // Live usage against the pod's requests (250m, 64Mi), refreshed without a reload.
        try page.wait(for: "/ of 250m requested \\(\\d+%\\)$/.test(document.querySelector('#pod-usage-cpu')?.textContent)", timeout: 30, "the pod's CPU use")
        try page.wait(for: "/ of 64Mi requested/.test(document.querySelector('#pod-usage-memory')?.textContent)", "the pod's memory use")
        try checkAccessibility("pod")
        try shoot("pod-logs")

        // Suspend the running job from its page; the server has spec.suspend, the badge follows.
        try go("#/jobs/default/sleepy-job")
        try page.wait(for: "document.getElementById('job-suspend')", "the suspend button")
        try page.evaluate("document.getElementById('job-suspend').click()")
        try waitFor("sleepy-job suspended on the server") { try object(up, ["job", "sleepy-job"])?.value(at: "spec", "suspend") as? Bool == true }
        try page.wait(for: "document.querySelector('#job-title')?.innerText.includes('Suspended')", "the Suspended badge")

        // CronJobs: schedule in words; run now creates an owned manual job.
        try go("#/cronjobs")
        try page.wait(for: "document.querySelector('#cronjob-default-nightly')?.innerText.includes('at 02:30 every day')", "the schedule in words")
        try page.evaluate("document.querySelector('[data-key=\"cj-run-default-nightly\"]').click()")
        try waitFor("a manual run of nightly") { try up.cli(["get", "jobs", "-o", "name"]).output.contains("nightly-manual-") }
        try page.wait(for: "document.querySelector('#cronjob-default-nightly')?.innerText.includes('run now')", "the manual run in the list")
        try checkAccessibility("cronjobs")
        try shoot("cronjobs")

        // Deployments: run by the Deployment controller, scaled up with a button.
        try go("#/deployments")
        try page.wait(for: "/^[0-3]\\/2$/.test(document.querySelector('#deployment-default-web .deploy-ready')?.innerText ?? '')", "web n/2")
        try page.evaluate("document.querySelector('[data-key=\"scale-up-default-web\"]').click()")
        try waitFor("web scaled to 3") { try object(up, ["deployment", "web"])?.value(at: "spec", "replicas") as? Int == 3 }
        try page.wait(for: "document.querySelector('#deployment-default-web [data-replicas]')?.dataset.replicas === '3'", "the new replica count")
        // The rollout bar follows the controller: 3 updated, 3 available, no old replicas.
        try page.wait(for: "document.querySelector('#deployment-default-web [data-rollout]')?.dataset.rollout === '3/3/0'", timeout: 40, "the rollout at 3 of 3")
        #expect(try page.text("#deployment-default-web .rollout").contains("rolled out"))
        // A template change makes revision 2 (a new ReplicaSet); the button rolls back to revision 1.
        let changed = #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"busybox","command":["sleep","10"]}]}}}}"#
        #expect(try up.cli(["patch", "deployment", "web", "--type", "merge", "-p", changed]).status == 0)
        try page.wait(for: "document.querySelector('[data-key=\"rollback-web-1\"]')", "revision 1 in the history")
        try page.evaluate("window.confirm = () => true; document.querySelector('[data-key=\"rollback-web-1\"]').click()")
        try waitFor("web's template rolled back", detail: { (try? page.text("#error")) ?? "" }) {
            let containers = try object(up, ["deployment", "web"])?.value(at: "spec", "template", "spec", "containers") as? [[String: Any]]
            return containers?.first?["command"] as? [String] == ["sleep", "3600"]
        }
        #expect(try page.text("tr[data-row^=\"default/web-\"]").contains("Deployment/web"))
        try shoot("deployments")

        // DaemonSets: their own view, status numbers as the API gives them, pods per node.
        try go("#/daemonsets")
        try page.wait(for: "document.querySelector('#daemonset-default-agentd')?.innerText.includes('Desired')", "the agentd DaemonSet")
        #expect(try page.text("#daemonset-default-agentd").contains("app=agentd"))
        try checkAccessibility("daemonsets")
        try shoot("daemonsets")

        // Events, filtered by type.
        try go("#/events?type=Warning")
        try page.wait(for: "document.querySelector('#events-list')?.innerText.includes('BackoffLimitExceeded')", "the warning event")
        #expect(try page.text("#events-list").contains("SuccessfulCreate") == false)
        try shoot("events")

        // Submit: the server's validation causes next to their fields.
        try go("#/submit")
        try page.wait(for: "document.getElementById('f-parallelism')", "the form")
        try page.evaluate("document.getElementById('f-command').value = 'true'; document.getElementById('f-parallelism').value = '-1'; document.getElementById('f-cpu').value = 'lots'; document.getElementById('submit-job').click()")
        try page.wait(for: "document.querySelector('[data-error-for=\"parallelism\"]')?.innerText.includes('greater than or equal to 0')", "the parallelism error")
        #expect(try page.text("[data-error-for=\"cpu\"]").contains("quantities must match"))
        try checkAccessibility("submit")
        try shoot("submit")
        // A YAML manifest in the text box becomes a Job, and its page opens.
        let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: from-yaml\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox\n        command: [echo, from yaml]\n"
        try page.evaluate("document.getElementById('f-manifest').value = \(ChromiumPage.quoted(yaml)); document.getElementById('submit-manifest').click()")
        try page.wait(for: "location.hash === '#/jobs/default/from-yaml'", "the YAML job's page")
        #expect(try object(up, ["job", "from-yaml"])?.value(at: "metadata", "name") as? String == "from-yaml")
        // Any kind the server serves (found through discovery): a Kueue LocalQueue; an unknown kind says so.
        try go("#/submit")
        try page.wait(for: "document.getElementById('f-manifest')", "the manifest box")
        let queue = "apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: from-yaml-queue\nspec:\n  clusterQueue: dash-queue\n---\napiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n"
        try page.evaluate("document.getElementById('f-manifest').value = \(ChromiumPage.quoted(queue)); document.getElementById('submit-manifest').click()")
        try page.wait(for: "document.querySelector('#manifest-error')?.innerText.includes('The server has no kind Widget in v1')", "the unknown kind's message")
        try waitFor("the LocalQueue created") { try object(up, ["localqueue", "from-yaml-queue"])?.value(at: "spec", "clusterQueue") as? String == "dash-queue" }

        // Nodes: the topology box with the running pod; cordon reaches the server and comes back live.
        try go("#/nodes")
        try page.wait(for: "document.querySelector('#node-\(node)')", "the node's box")
        try page.wait(for: "/^Used: CPU .+ allocatable/.test(document.querySelector('#node-used-\(node)')?.textContent)", timeout: 30, "the node's usage")
        try checkAccessibility("nodes")
        try shoot("nodes")
        try page.evaluate("document.getElementById('cordon-\(node)').click()")
        try waitFor("the node cordoned on the server") { try object(up, ["node", node])?.value(at: "spec", "unschedulable") as? Bool == true }
        try page.wait(for: "document.querySelector('#node-\(node)')?.innerText.includes('Cordoned')", "the Cordoned mark")
        try go("#/nodes?dense=1")
        try page.wait(for: "document.querySelector('#topology.dense .tile.cordoned')", "the dense view")
        // Grouped by status, the cordoned node has its group; a tile opens the node's box in place.
        try go("#/nodes?group=status&dense=1")
        try page.wait(for: "document.querySelector('#topology details.node-group[data-group=\"Cordoned\"] .tile[data-node=\"\(node)\"]')", "the Cordoned group")
        #expect(try page.text("details.node-group[data-group=\"Cordoned\"] summary").contains("1 node, 0 not ready, 1 cordoned"))
        try page.evaluate("document.querySelector('#topology .tile[data-node=\"\(node)\"]').click()")
        try page.wait(for: "document.querySelector('#node-detail #node-\(node)')?.innerText.includes('Uncordon')", "the chosen node's box")
        #expect(try page.evaluate("location.hash") as? String == "#/nodes?group=status&dense=1&selected=\(node)")
        try checkAccessibility("nodes grouped")
        try shoot("nodes-grouped")

        // Queues: the ClusterQueue's quota bar (queued-a holds all of it), queued-b's position and why,
        // the admitted Job; Hold reaches the server, the queue reads Stopped and the pending Job Inadmissible.
        try go("#/queues")
        try page.wait(for: "document.querySelector('#clusterqueue-dash-queue tr[data-quota=\"default-flavor/cpu\"]')?.dataset.used === '0.1'", "dash-queue's cpu in use")
        #expect(try page.text("#clusterqueue-dash-queue tr[data-quota=\"default-flavor/cpu\"]").contains("100m of 100m (100%)"))
        try page.wait(for: "document.querySelector('#pending-dash-queue')?.innerText.includes('position 1 of 1')", "queued-b's position")
        #expect(try page.text("#pending-dash-queue").contains("queued-b"))
        #expect(try page.text("#pending-dash-queue").contains("needs 100m cpu"))
        try page.wait(for: "document.querySelector('#admitted-dash-queue')?.innerText.includes('queued-a')", "queued-a admitted")
        #expect(try page.text("#clusterqueue-dash-queue .cq-locals").contains("default/dash-queue"))
        try checkAccessibility("queues")
        try shoot("queues")
        // The queued Job reads Queued in the list and its page says where it waits.
        try go("#/jobs?status=Queued")
        try page.wait(for: "document.querySelector('#jobs-count')?.innerText === '1 job' && document.querySelector('tr[data-row=\"default/queued-b\"]')", "queued-b Queued")
        try go("#/jobs/default/queued-b")
        try page.wait(for: "document.querySelector('#job-queue')?.innerText.includes('Position 1 of 1')", "queued-b's place in its queue")
        #expect(try page.evaluate("document.getElementById('job-suspend')") is NSNull, "a queued Job has no resume button")
        try go("#/queues")
        try page.evaluate("document.getElementById('queue-hold-dash-queue').click()")
        try waitFor("dash-queue held on the server") { try object(up, ["clusterqueue", "dash-queue"])?.value(at: "spec", "stopPolicy") as? String == "Hold" }
        try page.wait(for: "document.querySelector('#clusterqueue-dash-queue .detail-head')?.innerText.includes('Stopped')", "the Stopped badge")
        // Held, the queue admits nothing: the pending Job says so.
        try page.wait(for: "document.querySelector('#pending-dash-queue')?.innerText.includes('Inadmissible')", "queued-b inadmissible while held")

        // A failed action shows the server's Status message, not a generic error.
        try page.evaluate("drover.ctx.act('never', () => drover.ctx.api.mergePatch('/apis/batch/v1/namespaces/default/jobs/no-such-job', { spec: {} }))")
        try page.wait(for: "!document.getElementById('error').hidden && document.getElementById('error-text').textContent.includes('no-such-job')", "the Status message in the error bar")
        #expect(try page.text("#error-text").contains("not found"))
        try page.evaluate("document.getElementById('error-close').click()")

        // Dark mode follows prefers-color-scheme.
        try browser.send("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": "dark"]]], session: page.session)
        try go("#/jobs")
        try page.wait(for: "getComputedStyle(document.body).backgroundColor !== 'rgb(244, 245, 248)'", "the dark theme")
        try shoot("jobs-dark")

        // The server goes away: the banner says so while the watches retry.
        #expect(try page.evaluate("document.getElementById('banner').hidden") as? Bool == true)
        let lists = "drover.store.collections.get('/apis/batch/v1/jobs').stats.lists"
        let listed = try page.evaluate(lists) as? Int ?? -1
        up.stop()
        try page.wait(for: "!document.getElementById('banner').hidden", "the unreachable banner")
        try shoot("unreachable")
        // Back on the same port and database: the banner goes, the watch resumes from the last
        // resourceVersion (no new list) and a Job created now appears without a reload.
        let port = URL(string: up.server)?.port ?? 0
        let again = try DroverUp(dataDir: up.dataDir, arguments: ["--port", String(port)])
        defer { again.stop() }
        try page.wait(for: "document.getElementById('banner').hidden", timeout: 60, "the banner gone once the server is back")
        try page.evaluate("drover.ctx.setQuery({ name: 'after-restart' })")
        #expect(try again.cli(["submit", "after-restart", "--", "true"]).status == 0)
        try page.wait(for: "document.querySelector('tr[data-row=\"default/after-restart\"]')", timeout: 30, "the Job created after the restart")
        #expect(try page.evaluate(lists) as? Int == listed, "the jobs were listed again instead of resuming the watch")
        #expect(try page.evaluate("window.sameDocument") as? Bool == true, "the page reloaded")
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func withoutATokenThePageAsksForOneWithTheServersMessage() async throws {
        try await offCooperativePool { try withoutATokenBlocking() }
    }

    func withoutATokenBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let browser = try Chromium(executable: Self.chromium!, profile: "\(up.dataDir)/chromium")
        defer { browser.close() }
        let page = try browser.open("\(up.server)/#/jobs")
        try page.wait(for: "document.querySelector('#signin-message')?.innerText === 'Unauthorized'", "the sign-in form with the server's message")
        #expect(try page.evaluate("location.hash") as? String == "#/signin?next=%2Fjobs")
        try page.screenshot(to: "\(Self.screenshots)/signin.png")
        // Signing in with the token returns to the page asked for.
        try page.evaluate("document.getElementById('f-token').value = \(ChromiumPage.quoted(up.token)); document.querySelector('form.signin button').click()")
        try page.wait(for: "location.hash === '#/jobs' && document.querySelector('#jobs-count')", "the jobs view after signing in")
        #expect(try page.evaluate("sessionStorage.getItem('drover-token')") as? String == up.token)
        // Signing out forgets the token and returns to the form.
        try page.evaluate("document.getElementById('sign-out').click()")
        try page.wait(for: "document.querySelector('#signin-message')?.innerText === 'Signed out.'", "the signed-out form")
        #expect(try page.evaluate("sessionStorage.getItem('drover-token')") is NSNull)
    }

    /// An object read through the CLI as JSON.
    func object(_ up: DroverUp, _ arguments: [String]) throws -> [String: Any]? {
        let result = try up.cli(["get"] + arguments + ["-o", "json"])
        return try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    }

    /// Waits for a condition on the server; `detail` (say, the page's error bar) is added to a timeout.
    func waitFor(_ what: String, timeout: TimeInterval = 60, detail: () -> String = { "" }, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw E2EError("timed out waiting for \(what) \(detail())")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a path of keys in decoded JSON.
    func value(at path: String...) -> Any? {
        var current: Any? = self
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}
