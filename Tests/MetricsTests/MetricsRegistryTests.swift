import Foundation
import Testing
@testable import Metrics

/// The text exposition format 0.0.4 as Prometheus parses it.
@Suite struct MetricsRegistryTests {
    @Test func countersGaugesAndHistogramsRenderInTheTextFormat() {
        let registry = MetricsRegistry()
        let requests = registry.counter("demo_requests_total", "Requests.\nSecond line", labels: ["verb", "code"])
        requests.inc("GET", "200")
        requests.inc("GET", "200", by: 2)
        requests.inc("PUT", "409")
        requests.inc("PUT", "409", by: -5)   // ignored: a counter never goes down
        let depth = registry.gauge("demo_depth", "Depth.", labels: ["name"])
        depth.set(3, "job")
        depth.observe { [(["job"], 2), (["cronjob"], 1)] }
        let latency = registry.histogram("demo_seconds", "Latency.", buckets: [0.1, 1])
        latency.observe(0.05)
        latency.observe(0.5)
        latency.observe(7)
        #expect(registry.exposition() == """
        # HELP demo_depth Depth.
        # TYPE demo_depth gauge
        demo_depth{name="cronjob"} 1
        demo_depth{name="job"} 5
        # HELP demo_requests_total Requests.\\nSecond line
        # TYPE demo_requests_total counter
        demo_requests_total{verb="GET",code="200"} 3
        demo_requests_total{verb="PUT",code="409"} 1
        # HELP demo_seconds Latency.
        # TYPE demo_seconds histogram
        demo_seconds_bucket{le="0.1"} 1
        demo_seconds_bucket{le="1"} 2
        demo_seconds_bucket{le="+Inf"} 3
        demo_seconds_sum 7.55
        demo_seconds_count 3

        """)
    }

    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("demo_total", "x", labels: ["path"]).inc("a\"b\\c\nd")
        #expect(registry.exposition().contains(#"demo_total{path="a\"b\\c\nd"} 1"#))
    }

    @Test func registeringANameTwiceSharesTheFirstFamily() {
        let registry = MetricsRegistry()
        let first = registry.counter("demo_total", "x")
        let second = registry.counter("demo_total", "x")
        second.inc()
        #expect(first === second)
        #expect(first.value() == 1)
    }

    @Test func histogramBoundsAreInclusive() {
        let h = Histogram(name: "h", help: "h", buckets: [1, 2])
        h.observe(1)
        h.observe(2)
        var text = ""
        h.appendSamples(to: &text)
        #expect(text.contains("h_bucket{le=\"1\"} 1\n"))
        #expect(text.contains("h_bucket{le=\"2\"} 2\n"))
    }
}
