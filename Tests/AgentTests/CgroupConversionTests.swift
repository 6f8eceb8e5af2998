import Testing
@testable import Agent

/// The kubelet's CPU arithmetic: requests to shares (v1) and weights (v2), limits to CFS quotas.
@Suite struct CgroupConversionTests {
    @Test(arguments: [(Int64(0), Int64(2)), (1, 2), (100, 102), (250, 256), (1000, 1024), (4000, 4096), (1_000_000, 262_144)])
    func millicoresBecomeShares(millis: Int64, shares: Int64) {
        #expect(ContainerCgroup.cpuShares(millis: millis) == shares)
    }

    @Test(arguments: [(Int64(2), Int64(1)), (102, 4), (1024, 39), (262_144, 10_000), (1, 1), (1 << 30, 10_000)])
    func sharesBecomeWeights(shares: Int64, weight: Int64) {
        #expect(ContainerCgroup.cpuWeight(shares: shares) == weight)
    }

    @Test(arguments: [(Int64(1), Int64(1000)), (200, 20_000), (1500, 150_000)])
    func limitsBecomeQuotasPerHundredMilliseconds(millis: Int64, quota: Int64) {
        #expect(ContainerCgroup.cpuQuota(millis: millis) == quota)
    }
}
