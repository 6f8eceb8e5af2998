import Model

/// Preemption in a cohort that shares fairly: Kueue's fair-sharing strategies (KEP-1714), pure.
///
/// The preemptor's usage is charged to its queue first, so every share below is the share it
/// would have once admitted. Then, repeatedly, the queue with the highest share among those that
/// still have candidates and borrow (the preemptor's own queue stays while it has candidates) is
/// the target:
/// - the preemptor's own queue: its next candidate is taken (priority within the queue);
/// - another queue: its candidates in order are tried against rule S2-a,
///   `LessThanOrEqualToFinalShare` — the preemptor's new share is at most the target's share
///   without that candidate; the first that passes is taken and the target chosen again (shares
///   moved); those that fail are kept for the second rule.
/// Once no target is left, rule S2-b, `LessThanInitialShare`, runs over the kept candidates: a
/// queue whose share (with them) is strictly above the preemptor's new share gives up its first
/// kept candidate, once. After each victim the preemptor is tried (borrowing allowed); the first
/// fit ends the search, and victims it turns out not to need are spared.
extension Preemption {
    static func fairTargets(_ context: Context, candidates: [Holder]) -> [(Holder, Cause)]? {
        var trial = context.book
        let usage = context.usage
        trial.charge(context.queue.name, usage)
        var chosen: [(Holder, Cause)] = []
        func fitsNow() -> Bool {
            var without = trial
            without.charge(context.queue.name, usage.mapValues { -$0 })
            return context.fits(without)
        }
        func take(_ holder: Holder, _ cause: Cause) -> Bool {
            trial.charge(holder.clusterQueue, holder.usage.mapValues { -$0 })
            chosen.append((holder, cause))
            return fitsNow()
        }
        func finish() -> [(Holder, Cause)] {
            var without = trial
            without.charge(context.queue.name, usage.mapValues { -$0 })
            return fillBack(chosen, context: context, trial: without, allowBorrowing: true)
        }

        var remaining = grouped(candidates)
        var retry: [Holder] = []
        while let target = highestShare(in: remaining, trial: trial, preemptor: context.queue.name) {
            if target == context.queue.name {
                let holder = remaining[target]!.removeFirst()
                if take(holder, .inClusterQueue) { return finish() }
                continue
            }
            let preemptorShare = FairShare.share(of: context.queue.name, in: trial).share
            var took = false
            while !remaining[target]!.isEmpty {
                let holder = remaining[target]!.removeFirst()
                let targetShare = FairShare.share(of: target, in: trial, adding: holder.usage.mapValues { -$0 }).share
                if preemptorShare <= targetShare {
                    if take(holder, .fairSharing) { return finish() }
                    took = true
                    break
                }
                retry.append(holder)
            }
            if !took { remaining[target] = [] }
        }

        var second = grouped(retry)
        while let target = highestShare(in: second, trial: trial, preemptor: context.queue.name) {
            let preemptorShare = FairShare.share(of: context.queue.name, in: trial).share
            let targetShare = FairShare.share(of: target, in: trial).share
            if preemptorShare < targetShare, take(second[target]!.first!, .fairSharing) { return finish() }
            // Rule S2-b applies at most once per queue.
            second[target] = []
        }
        return nil
    }

    /// Candidates by queue, each queue's in candidate order.
    private static func grouped(_ holders: [Holder]) -> [String: [Holder]] {
        var out: [String: [Holder]] = [:]
        for holder in holders { out[holder.clusterQueue, default: []].append(holder) }
        return out
    }

    /// The queue with candidates left and the highest share (ties by name); other queues that
    /// borrow nothing are passed over, the preemptor's own never while it has candidates.
    private static func highestShare(in remaining: [String: [Holder]], trial: QuotaBook, preemptor: String) -> String? {
        var best: (share: Int, name: String)?
        for (name, holders) in remaining.sorted(by: { $0.key < $1.key }) where !holders.isEmpty {
            let share = FairShare.share(of: name, in: trial).share
            if share == 0 && name != preemptor { continue }
            if best.map({ share > $0.share }) ?? true { best = (share, name) }
        }
        return best?.name
    }
}
