import Foundation
import Model
import Testing
import TestSupport
@testable import Agent

/// The usage sampler: CPU as a rate over the last two samples, the node from /proc, and a real
/// busy child measured through its cgroup.
@Suite struct UsageSamplerTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    static func sample(_ seconds: Double, cpu: Int64, memory: Int64 = 4096) -> UsageSample {
        UsageSample(time: t0.addingTimeInterval(seconds), cpuNanoseconds: cpu, workingSetBytes: memory)
    }

    @Test(arguments: [
        // (first, second, expected nanocores)
        (sample(0, cpu: 0), sample(10, cpu: 2_000_000_000), Int64?.some(200_000_000)),
        (sample(0, cpu: 5_000_000_000), sample(10, cpu: 5_000_000_000), Int64?.some(0)),
        (sample(0, cpu: 0), sample(0.5, cpu: 1_000_000_000), Int64?.some(2_000_000_000)),
        // A counter that went backwards (restarted container) starts over: no rate yet.
        (sample(0, cpu: 9_000_000_000), sample(10, cpu: 1_000), Int64?.none),
        // The same instant twice is no window.
        (sample(5, cpu: 0), sample(5, cpu: 1_000), Int64?.none),
    ])
    func cpuIsTheCounterDeltaOverTheWindow(first: UsageSample, second: UsageSample, expected: Int64?) {
        let window = UsageWindow(older: nil, newer: first).adding(second)
        #expect(window.nanocores == expected)
        #expect(window.newer == second)
    }

    @Test func oneSampleHasNoRateAndThreeKeepTheLastTwo() {
        var window = UsageWindow(older: nil, newer: Self.sample(0, cpu: 0))
        #expect(window.nanocores == nil && window.seconds == 0)
        window = window.adding(Self.sample(10, cpu: 10_000_000_000)).adding(Self.sample(20, cpu: 15_000_000_000))
        #expect(window.nanocores == 500_000_000)
        #expect(window.seconds == 10)
    }

    @Test func nodeCPUCountsNonIdleTicksAndMemoryIsTotalLessAvailable() {
        let stat = "cpu  100 5 50 1000 40 3 2 1 7 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n"
        // user+nice+system+irq+softirq+steal = 100+5+50+3+2+1 ticks of 10 ms.
        #expect(NodeUsage.cpuNanoseconds(procStat: stat) == Int64(1_610_000_000))
        #expect(NodeUsage.cpuNanoseconds(procStat: "intr 1 2") == nil)
        let meminfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\n"
        #expect(NodeUsage.workingSetBytes(meminfo: meminfo) == Int64(10_240_000_000))
        #expect(NodeUsage.workingSetBytes(meminfo: "MemTotal: 1 kB\n") == nil)
        #expect(NodeUsage.read(now: Date())?.cpuNanoseconds ?? 0 > 0)
    }

    @Test func theSummaryListsRatedContainersWithTheirPodsLabels() {
        let index = LogIndex()
        index.set(namespace: "ns", name: "web", pod: LogIndex.Pod(uid: "u1", labels: ["app": "web"], containers: [
            ("main", LogIndex.Container(restart: 0, running: true, hasPrevious: false, processID: "p1")),
            ("idle", LogIndex.Container(restart: 0, running: false, hasPrevious: false)),
        ]))
        let counter = Counter()
        let sampler = UsageSampler(index: index, nodeName: "n1",
                                   usage: { _ in CgroupUsage(cpuNanoseconds: counter.next(), memoryBytes: 8192, workingSetBytes: 4096) },
                                   node: { UsageSample(time: $0, cpuNanoseconds: 0, workingSetBytes: 1 << 20) })
        sampler.sample(now: Self.t0)
        #expect(sampler.summary()["pods"] == [])
        sampler.sample(now: Self.t0.addingTimeInterval(10))
        let summary = sampler.summary()
        #expect(summary["node"]?["nodeName"] == "n1")
        #expect(summary["node"]?["memory"]?["workingSetBytes"] == .int(1 << 20))
        let pod = summary["pods"]?[0]
        #expect(pod?["podRef"]?["name"] == "web" && pod?["labels"]?["app"] == "web")
        #expect(pod?["containers"]?.array?.count == 1)
        #expect(pod?["containers"]?[0]?["cpu"]?["usageNanoCores"] == .int(100_000_000))
        #expect(pod?["containers"]?[0]?["memory"]?["workingSetBytes"] == 4096)
    }

    @Test(.enabled(if: (try? CgroupLayout.detect(name: "drover").get()) != nil, "cgroups are not writable here"))
    func aBusyChildUnder200mIsMeasuredAboveZeroAndWithinItsLimit() async throws {
        let fixture = try RuntimeFixture()
        let spec = fixture.spec(["sh", "-c", "while :; do :; done"], cpuLimitMillis: 200)
        let waiter = try fixture.start(spec)
        defer { fixture.runtime.stop(id: spec.id, grace: 0) }
        let index = LogIndex()
        index.set(namespace: "default", name: "busy", pod: LogIndex.Pod(uid: "u", containers: [
            ("burn", LogIndex.Container(restart: 0, running: true, hasPrevious: false, processID: spec.id)),
        ]))
        let runtime = fixture.runtime
        let sampler = UsageSampler(index: index, nodeName: "n", usage: { runtime.cgroup(of: $0)?.usage() })
        sampler.sample(now: Date())
        try await Task.sleep(for: .seconds(3))
        sampler.sample(now: Date())
        let rate = try #require(sampler.summary()["pods"]?[0]?["containers"]?[0]?["cpu"]?["usageNanoCores"]?.int)
        fixture.runtime.stop(id: spec.id, grace: 0)
        _ = await waiter.exit()
        // The quota allows 200m; a loaded machine may give less, never much more (a period of slack).
        #expect(rate > 0 && rate < 300_000_000, "measured \(rate) nanocores")
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0
    func next() -> Int64 { lock.withLock { value += 1_000_000_000; return value } }
}
