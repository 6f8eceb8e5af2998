import Model
import Scheduling
import Testing

@Suite struct GangPlacementTests {
    func members(_ count: Int, cpu: String = "1", gpu: Int? = nil) -> [PodInfo] {
        (0..<count).map { i in
            var requests: JSONValue = ["cpu": .string(cpu)]
            if let gpu { requests["example.com/gpu"] = .string(String(gpu)) }
            return Fixture.pod("m\(i)", containers: [requests])
        }
    }

    func place(_ members: [PodInfo], needed: Int, nodes: [NodeInfo], minResources: ResourceAmounts = ResourceAmounts()) -> GangPlacement {
        var start = 0
        return Profile.binPacking.placeGang(members, needed: needed, minResources: minResources, nodes: nodes,
                                            tieBreak: .firstByName, nextStartIndex: &start)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var members: Int
        var needed: Int
        var nodeCPUs: [Int64]
        var placed: Int
        var fits: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the whole gang fits across nodes", members: 4, needed: 4, nodeCPUs: [2000, 2000], placed: 4, fits: true),
        Case(name: "room for 3 of 4: nothing is bound", members: 4, needed: 4, nodeCPUs: [2000, 1000], placed: 3, fits: false),
        Case(name: "minMember 3 of 4 members: the three that fit go", members: 4, needed: 3, nodeCPUs: [2000, 1000], placed: 3, fits: true),
        Case(name: "a started gang's replacement needs nobody else", members: 1, needed: 0, nodeCPUs: [1000], placed: 1, fits: true),
        Case(name: "a started gang's replacement that fits nowhere waits alone", members: 1, needed: 0, nodeCPUs: [500], placed: 0, fits: true),
        Case(name: "no node at all", members: 2, needed: 2, nodeCPUs: [], placed: 0, fits: false),
    ]

    @Test(arguments: cases)
    func placesAllOrNothing(_ c: Case) {
        let nodes = c.nodeCPUs.enumerated().map { Fixture.node("n\($0.offset)", milliCPU: $0.element) }
        let plan = place(members(c.members), needed: c.needed, nodes: nodes)
        #expect(plan.placements.count == c.placed)
        #expect(plan.fits == c.fits)
    }

    @Test func placementsTakeEachOthersRoomSoTheyFitTogether() {
        // Two 2-CPU nodes and four 1-CPU members: no node may be given three.
        let plan = place(members(4), needed: 4, nodes: [Fixture.node("a", milliCPU: 2000), Fixture.node("b", milliCPU: 2000)])
        let perNode = Dictionary(grouping: plan.placements, by: \.node).mapValues(\.count)
        #expect(perNode == ["a": 2, "b": 2])
    }

    @Test func aGangThatDoesNotFitSaysHowManyCanBePlacedAndWhy() {
        let plan = place(members(4), needed: 4, nodes: [Fixture.node("a", milliCPU: 2000), Fixture.node("b", milliCPU: 1000)])
        #expect(plan.waitingMessage == "waiting for gang: 3 of 4 pods can be placed; 0/2 nodes are available: 2 Insufficient cpu.")
    }

    @Test func extendedResourcesCountLikeAnyOther() {
        let gpuNode = Fixture.node("gpu", milliCPU: 64000, scalars: ["example.com/gpu": 4])
        let cpuNode = Fixture.node("cpu", milliCPU: 64000)
        #expect(place(members(4, gpu: 1), needed: 4, nodes: [cpuNode, gpuNode]).fits)
        let tooMany = place(members(5, gpu: 1), needed: 5, nodes: [cpuNode, gpuNode])
        #expect(!tooMany.fits)
        #expect(tooMany.waitingMessage?.contains("4 of 5 pods can be placed") == true)
        #expect(tooMany.waitingMessage?.contains("Insufficient example.com/gpu") == true)
    }

    @Test func tooFewMembersAreNotSearchedFor() {
        let plan = place(members(2), needed: 3, nodes: [Fixture.node("a")])
        #expect(plan.placements.isEmpty)
        #expect(plan.waitingMessage == "waiting for gang: 2 of 3 pods exist")
    }

    @Test func minResourcesBeyondTheFreeRoomOfTheClusterWait() {
        let nodes = [Fixture.node("a", milliCPU: 4000, requested: ResourceAmounts(milliCPU: 3000)), Fixture.node("b", milliCPU: 2000)]
        let plan = place(members(1), needed: 1, nodes: nodes, minResources: ResourceAmounts(milliCPU: 4000))
        #expect(!plan.fits)
        #expect(plan.waitingMessage == "waiting for gang: minResources not available in the cluster (cpu 4000m > 3000m free)")
        #expect(place(members(1), needed: 1, nodes: nodes, minResources: ResourceAmounts(milliCPU: 3000)).fits)
    }
}
