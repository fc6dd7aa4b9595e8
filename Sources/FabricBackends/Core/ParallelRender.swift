import Dispatch
import Foundation

/// Lays out many per-device files at once: rendering is pure (a view model
/// in, text out), so it runs on every core; the result keeps the input's
/// order, so the output is the same bytes as a sequential render. Also
/// for the output writer's digests, in the package.
package enum ParallelRender {
    package static func map<Model: Sendable, Result: Sendable>(_ models: [Model], _ render: @Sendable (Model) -> Result)
        -> [Result]
    {
        guard models.count > 1 else { return models.map(render) }
        let results = Results<Result>(count: models.count)
        DispatchQueue.concurrentPerform(iterations: models.count) { index in
            results.set(index, render(models[index]))
        }
        return results.all
    }

    /// Slots written once each, from several threads.
    private final class Results<Result: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result) {
            lock.lock()
            slots[index] = result
            lock.unlock()
        }

        var all: [Result] { lock.withLock { slots.map { $0! } } }
    }
}
